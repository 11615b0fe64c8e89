//! `cxreports-bench --backend URL --cxreports URL [--rate 2000] [--seconds 4]
//!  [--rounds 4] [--repeats 3] [--warmup-seconds 1] [--out FILE]`
//!
//! Loads `POST {backend}/api/cxreports/nonce` (after the demo sign-in) and
//! `POST {cxreports}/api/v1/nonce-tokens` (with the PAT in `CXREPORTS_PAT`)
//! at the same fixed rate, alternating in rounds so that drift of the
//! machine hits both alike, the whole `--repeats` times, and prints (or
//! writes) JSON: each endpoint's throughput and latency percentiles, and the
//! backend's overhead, from the repeat with the median p99 overhead.
use std::process::ExitCode;
use std::time::Duration;

use cxreports_bench::load::{self, Outcome, Plan};
use cxreports_bench::stats::{median_index, Comparison, Summary};
use cxreports_bench::targets;

const USAGE: &str = "usage: cxreports-bench --backend URL --cxreports URL [--rate 2000] \
    [--seconds 4] [--rounds 4] [--repeats 3] [--warmup-seconds 1] [--out FILE]   (PAT in CXREPORTS_PAT)";
/// Hard bounds, whatever the arguments say.
const MAX_RATE: u32 = 20_000;
const MAX_SECONDS: f64 = 60.0;
const MAX_TOTAL_SECONDS: f64 = 300.0;

struct Args {
    backend: String,
    cxreports: String,
    rate: u32,
    seconds: f64,
    rounds: u32,
    repeats: u32,
    warmup_seconds: f64,
    out: Option<String>,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args {
        backend: String::new(),
        cxreports: String::new(),
        rate: 2000,
        seconds: 4.0,
        rounds: 4,
        repeats: 3,
        warmup_seconds: 1.0,
        out: None,
    };
    while let Some(flag) = argv.next() {
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = |what: &str| -> Result<f64, String> {
            value
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| format!("{what} must be a number, not {value:?}"))
        };
        match flag.as_str() {
            "--backend" => args.backend = value.clone(),
            "--cxreports" => args.cxreports = value.clone(),
            "--rate" => args.rate = number("--rate")? as u32,
            "--seconds" => args.seconds = number("--seconds")?,
            "--rounds" => args.rounds = number("--rounds")? as u32,
            "--repeats" => args.repeats = number("--repeats")? as u32,
            "--warmup-seconds" => args.warmup_seconds = number("--warmup-seconds")?,
            "--out" => args.out = Some(value.clone()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.backend.is_empty() || args.cxreports.is_empty() {
        return Err("--backend and --cxreports are required".into());
    }
    if !(1..=MAX_RATE).contains(&args.rate) {
        return Err(format!("--rate must be 1 to {MAX_RATE}"));
    }
    if args.seconds <= 0.0 || args.seconds + args.warmup_seconds > MAX_SECONDS {
        return Err(format!(
            "--seconds must be above 0, and with the warm-up at most {MAX_SECONDS}"
        ));
    }
    if args.seconds * f64::from(args.repeats) * 2.0 + args.warmup_seconds > MAX_TOTAL_SECONDS {
        return Err(format!(
            "--seconds x --repeats x 2 endpoints must stay within {MAX_TOTAL_SECONDS} s"
        ));
    }
    if !(1..=100).contains(&args.rounds) || !(1..=9).contains(&args.repeats) {
        return Err("--rounds must be 1 to 100, --repeats 1 to 9".into());
    }
    Ok(args)
}

fn plan(rate: u32, seconds: f64) -> Plan {
    Plan {
        rate,
        duration: Duration::from_secs_f64(seconds),
        max_in_flight: 1000,
        timeout: Duration::from_secs(5),
    }
}

fn summarize(outcome: &Outcome) -> Summary {
    Summary::new(
        outcome.latencies.clone(),
        outcome.errors,
        outcome.skipped,
        outcome.elapsed.as_secs_f64(),
    )
}

fn run(args: Args) -> Result<serde_json::Value, String> {
    let backend = targets::loopback_base(&args.backend)?;
    let cxreports = targets::loopback_base(&args.cxreports)?;
    let pat = std::env::var("CXREPORTS_PAT")
        .map_err(|_| "set CXREPORTS_PAT to the PAT the simulator accepts".to_owned())?;
    let authorization = format!("Bearer {}", pat.trim());
    let backend_uri = targets::endpoint(&backend, "/api/cxreports/nonce")?;
    let direct_uri = targets::endpoint(&cxreports, "/api/v1/nonce-tokens")?;

    // One worker: the servers under test need the machine's other cores.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let client = runtime.block_on(async { targets::client() });
    let cookie = runtime.block_on(targets::sign_in(&client, &backend))?;

    let handle = runtime.handle();
    let direct = || targets::direct_nonce(&client, &direct_uri, &authorization);
    let via_backend = || targets::backend_nonce(&client, &backend_uri, &cookie);

    if args.warmup_seconds > 0.0 {
        let warm = plan(args.rate, args.warmup_seconds / 2.0);
        load::run(handle, &warm, direct);
        load::run(handle, &warm, via_backend);
    }
    // Repeats, and the one with the median overhead: a burst of other work
    // on the machine during one repeat does not decide the figure.
    let round = plan(args.rate, args.seconds / f64::from(args.rounds));
    let mut repeats = Vec::new();
    let mut first_errors = (None, None);
    let mut max_send_lag = Duration::ZERO;
    for _ in 0..args.repeats {
        let (mut direct_total, mut backend_total) = (Outcome::default(), Outcome::default());
        for _ in 0..args.rounds {
            direct_total.merge(load::run(handle, &round, direct));
            backend_total.merge(load::run(handle, &round, via_backend));
        }
        for (name, outcome) in [("CxReports", &direct_total), ("backend", &backend_total)] {
            if outcome.latencies.is_empty() {
                return Err(format!(
                    "no {name} nonce succeeded; first error: {}",
                    outcome.first_error.as_deref().unwrap_or("none")
                ));
            }
        }
        first_errors.0 = first_errors.0.or(direct_total.first_error.clone());
        first_errors.1 = first_errors.1.or(backend_total.first_error.clone());
        max_send_lag = max_send_lag
            .max(direct_total.max_send_lag)
            .max(backend_total.max_send_lag);
        repeats.push(Comparison::new(
            summarize(&direct_total),
            summarize(&backend_total),
        ));
    }
    let p99s: Vec<f64> = repeats.iter().map(|r| r.overhead_p99_ms).collect();
    let chosen = median_index(&p99s).ok_or("no repeat ran")?;
    let median = &repeats[chosen];
    Ok(serde_json::json!({
        "rate": args.rate,
        "secondsPerEndpoint": args.seconds,
        "rounds": args.rounds,
        "repeats": args.repeats,
        "direct": median.direct,
        "backend": median.backend,
        "overhead": {
            "p50Ms": median.overhead_p50_ms,
            "p99Ms": median.overhead_p99_ms,
        },
        "overheadP99MsByRepeat": p99s,
        "allRepeats": repeats,
        "firstErrors": { "direct": first_errors.0, "backend": first_errors.1 },
        "maxSendLagMs": (max_send_lag.as_secs_f64() * 1e6).round() / 1e3,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(error) => {
            eprintln!("cxreports-bench: {error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let out = args.out.clone();
    let report = match run(args) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("cxreports-bench: {error}");
            return ExitCode::FAILURE;
        }
    };
    let text = serde_json::to_string_pretty(&report).unwrap_or_default();
    match out {
        Some(path) => {
            if let Err(error) = std::fs::write(&path, text + "\n") {
                eprintln!("cxreports-bench: cannot write {path}: {error}");
                return ExitCode::FAILURE;
            }
        }
        None => println!("{text}"),
    }
    ExitCode::SUCCESS
}
