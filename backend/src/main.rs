//! `cxreports-backend [--addr 127.0.0.1:8082] [--ready-file PATH]`
//!
//! Serves the reference backend; configuration comes from the environment
//! (see `BackendConfig::from_env` and the README). Once listening it writes
//! `http://IP:PORT` to the ready file, if asked, so scripts can wait for
//! that file instead of polling a port.
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use cxreports_backend::{BackendConfig, ConfigError};
use thiserror::Error;

const DEFAULT_ADDR: &str = "127.0.0.1:8082";
const USAGE: &str = "usage: cxreports-backend [--addr 127.0.0.1:8082] [--ready-file PATH]";
const CONFIG_HELP: &str = "Configuration: CXREPORTS_URL, CXREPORTS_PAT or CXREPORTS_PAT_FILE, \
     CXREPORTS_WORKSPACE, CXREPORTS_ALLOWED_REPORT_TYPES, CXREPORTS_ALLOWED_REPORTS, \
     BACKEND_ALLOWED_ORIGINS, BACKEND_SESSION_SECRET, CXREPORTS_TIMEOUT_MS (see README.md).";
/// After a shutdown signal, open connections (a PDF download, a browser's
/// keep-alive) get this long before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

#[derive(Debug, Error)]
enum MainError {
    #[error("{0}\n{USAGE}")]
    Usage(String),
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error(
        "cannot listen on {addr}: {source} (is another backend running there? pick another --addr)"
    )]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot write the ready file {path}: {source} (check that its folder exists and is writable)")]
    ReadyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen for shutdown signals: {0}")]
    Signal(std::io::Error),
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
}

struct Args {
    addr: SocketAddr,
    ready_file: Option<PathBuf>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, MainError> {
    let mut addr = None;
    let mut ready_file = None;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| MainError::Usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--addr" => {
                let text = value("--addr")?;
                addr = Some(text.parse().map_err(|_| {
                    MainError::Usage(format!(
                        "--addr {text:?} is not IP:PORT, e.g. 127.0.0.1:8082"
                    ))
                })?);
            }
            "--ready-file" => ready_file = Some(PathBuf::from(value("--ready-file")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(MainError::Usage(format!("unknown argument {other:?}"))),
        }
    }
    let addr = match addr {
        Some(addr) => addr,
        None => DEFAULT_ADDR
            .parse()
            .map_err(|_| MainError::Usage("the default address is invalid".into()))?,
    };
    Ok(Some(Args { addr, ready_file }))
}

/// Writes via a temporary file and a rename, so a reader never sees a
/// half-written URL.
fn write_ready_file(path: &Path, url: &str) -> Result<(), MainError> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, url)
        .and_then(|()| std::fs::rename(&temp, path))
        .map_err(|source| MainError::ReadyFile {
            path: path.to_owned(),
            source,
        })
}

async fn shutdown_signal() -> Result<(), MainError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).map_err(MainError::Signal)?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.map_err(MainError::Signal),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await.map_err(MainError::Signal)
    }
}

#[cfg(feature = "fault-injection")]
fn app(config: BackendConfig) -> axum::Router {
    eprintln!(
        "cxreports-backend: WARNING: built with the `fault-injection` feature: anyone who can \
         reach this port can make it fail through /__faults. For tests only; never deploy this build."
    );
    cxreports_backend::router_with_faults(config, cxreports_simulator::faults::Faults::new())
}

#[cfg(not(feature = "fault-injection"))]
fn app(config: BackendConfig) -> axum::Router {
    cxreports_backend::router(config)
}

async fn run(args: Args) -> Result<(), MainError> {
    let config = BackendConfig::from_env()?;
    let summary = format!(
        "CxReports: {}, workspace: {}",
        config.cxreports_url, config.workspace
    );
    let app = app(config);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|source| MainError::Bind {
            addr: args.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| MainError::Bind {
        addr: args.addr,
        source,
    })?;
    let url = format!("http://{addr}");
    if let Some(path) = &args.ready_file {
        write_ready_file(path, &url)?;
    }
    println!("cxreports-backend listening on {url} ({summary})");

    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = stop_rx.wait_for(|stop| *stop).await;
    });
    let server = std::future::IntoFuture::into_future(server);
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => return result.map_err(MainError::Serve),
        signal = shutdown_signal() => signal?,
    }
    let _ = stop_tx.send(true);
    tokio::select! {
        result = &mut server => result.map_err(MainError::Serve)?,
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            eprintln!("cxreports-backend: connections still open after {SHUTDOWN_GRACE:?}; closing them");
        }
    }
    if let Some(path) = &args.ready_file {
        // A stale ready file would tell the next script a dead server is up.
        let _ = std::fs::remove_file(path);
    }
    println!("cxreports-backend stopped");
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}\n{CONFIG_HELP}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("cxreports-backend: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cxreports-backend: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ MainError::Config(_)) => {
            eprintln!("cxreports-backend: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("cxreports-backend: {error}");
            ExitCode::FAILURE
        }
    }
}
