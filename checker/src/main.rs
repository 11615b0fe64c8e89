//! `cxreports-backend-check --base URL [options]`: see `--help`.
#![deny(clippy::unwrap_used, clippy::expect_used)]
use std::io::Write as _;
use std::process::ExitCode;

use cxreports_backend_check::{parse_args, run, Command, USAGE};

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            let _ = std::io::stdout().lock().write_all(USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("cxreports-backend-check: {e}");
            return ExitCode::from(e.exit_code());
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cxreports-backend-check: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(&options)) {
        Ok(report) => {
            let text = if options.json {
                report.to_json_text() + "\n"
            } else {
                report.to_text()
            };
            // A closed pipe (`| head`) is not worth a panic; the status stands.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            ExitCode::from(report.exit_code())
        }
        Err(e) => {
            eprintln!("cxreports-backend-check: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
