//! A bounded load test of the nonce endpoint, on loopback only: the backend
//! and the CxReports simulator it calls run in this process, a fixed number
//! of requests goes through at a fixed concurrency, and the test asserts that
//! every one was answered with a distinct nonce that the simulator really
//! issued, within a time limit, with memory flat.
//!
//! The figures go into the assertion messages and into
//! `target/load-report.txt`, so they are readable without `--nocapture`.

mod common;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::COOKIE;
use serde_json::Value;

/// Requests in the measured run.
const REQUESTS: usize = 5_000;
/// Requests before the first memory reading, so that connection pools,
/// allocator arenas and the simulator's bounded logs reach their working size.
const WARM_UP: usize = 1_000;
/// Requests in flight at once.
const CONCURRENCY: usize = 32;
/// The measured run must finish within this (a debug build on two shared
/// cores does it in a few seconds).
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Resident memory may grow by at most this over the measured run. What the
/// run legitimately keeps: the simulator's unspent nonces (60 s lifetime,
/// ~5,000 short strings) and its request log (bounded at 10,000 entries);
/// together well under 4 MiB. A leak of even 1 KiB per request would pass
/// this bound only barely, 2 KiB would not.
const RSS_GROWTH_LIMIT_KIB: u64 = 10 * 1024;

/// One answered request.
struct Sample {
    status: u16,
    nonce: Option<String>,
    latency: Duration,
    error: Option<String>,
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line")
}

/// Sends `count` nonce requests, `CONCURRENCY` at a time.
async fn run(client: &reqwest::Client, url: &str, cookie: &str, count: usize) -> Vec<Sample> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (client, url, cookie, next) = (
            client.clone(),
            url.to_owned(),
            cookie.to_owned(),
            next.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let started = Instant::now();
                let result = client
                    .post(&url)
                    .header(COOKIE, &cookie)
                    .header("x-requested-with", "cxreports-widget")
                    .send()
                    .await;
                let sample = match result {
                    Err(e) => Sample {
                        status: 0,
                        nonce: None,
                        latency: started.elapsed(),
                        error: Some(e.to_string()),
                    },
                    Ok(response) => {
                        let status = response.status().as_u16();
                        let body = response.bytes().await;
                        let latency = started.elapsed();
                        match body {
                            Err(e) => Sample {
                                status,
                                nonce: None,
                                latency,
                                error: Some(e.to_string()),
                            },
                            Ok(body) => {
                                let nonce = serde_json::from_slice::<Value>(&body)
                                    .ok()
                                    .and_then(|v| v["nonce"].as_str().map(str::to_owned))
                                    .filter(|n| !n.is_empty());
                                let error = nonce.is_none().then(|| {
                                    format!("no nonce in: {}", String::from_utf8_lossy(&body))
                                });
                                Sample {
                                    status,
                                    nonce,
                                    latency,
                                    error,
                                }
                            }
                        }
                    }
                };
                samples.push(sample);
            }
            samples
        }));
    }
    let mut all = Vec::with_capacity(count);
    for worker in workers {
        all.extend(worker.await.expect("a load worker panicked"));
    }
    all
}

/// Nearest-rank percentile of sorted latencies.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn sim_events(client: &reqwest::Client, sim: std::net::SocketAddr) -> Value {
    client
        .get(format!("http://{sim}/__sim/events"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_nonces_none_lost_none_repeated_memory_flat() {
    // One user minting thousands at once is what the rate limit stops;
    // here it is lifted, to measure the backend itself.
    let mut h = common::start(cxreports_simulator::SimConfig::default(), |config| {
        config.nonces_per_minute_per_user = u32::MAX;
        config.nonces_per_minute_per_client = u32::MAX;
    })
    .await;
    h.login("load").await;
    let cookie = h.cookie.clone().expect("a session cookie");
    let url = format!("{}/api/cxreports/nonce", h.backend);
    let client = common::client();

    let warm_up = run(&client, &url, &cookie, WARM_UP).await;
    assert!(
        warm_up.iter().all(|s| s.status == 200 && s.nonce.is_some()),
        "the warm-up failed: {:?}",
        warm_up.iter().find_map(|s| s.error.as_ref())
    );
    h.clear_upstream_requests().await;
    let rss_before = rss_kib();

    let started = Instant::now();
    let samples = run(&client, &url, &cookie, REQUESTS).await;
    let duration = started.elapsed();
    let rss_after = rss_kib();

    let events = sim_events(&client, h.sim).await;
    let issued: Vec<&str> = events["noncesIssued"]
        .as_array()
        .expect("noncesIssued")
        .iter()
        .filter_map(Value::as_str)
        .collect();

    let failures: Vec<String> = samples
        .iter()
        .filter(|s| s.status != 200 || s.nonce.is_none())
        .map(|s| {
            format!(
                "{} {}",
                s.status,
                s.error.as_deref().unwrap_or("(no message)")
            )
        })
        .collect();
    let received: HashSet<&str> = samples.iter().filter_map(|s| s.nonce.as_deref()).collect();
    let issued_set: HashSet<&str> = issued.iter().copied().collect();
    let mut latencies: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;

    let mut report = String::new();
    let _ = writeln!(
        report,
        "reference backend load test (loopback, in-process simulator, debug build: {})",
        if cfg!(debug_assertions) { "yes" } else { "no" }
    );
    let _ = writeln!(
        report,
        "requests: {} (after {WARM_UP} warm-up) at concurrency {CONCURRENCY}",
        samples.len()
    );
    let _ = writeln!(
        report,
        "answered 200 with a nonce: {}",
        samples.len() - failures.len()
    );
    let _ = writeln!(report, "distinct nonces: {}", received.len());
    let _ = writeln!(
        report,
        "simulator noncesIssued during the run: {}",
        issued.len()
    );
    let _ = writeln!(report, "duration: {:.2} s", duration.as_secs_f64());
    let _ = writeln!(
        report,
        "throughput: {:.0} req/s",
        samples.len() as f64 / duration.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "latency: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(*latencies.last().expect("samples"))
    );
    let _ = writeln!(
        report,
        "VmRSS: {rss_before} KiB before, {rss_after} KiB after ({:+} KiB; limit +{RSS_GROWTH_LIMIT_KIB} KiB)",
        rss_after as i64 - rss_before as i64
    );
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../load-report.txt");
    let _ = std::fs::write(&path, &report);

    assert_eq!(samples.len(), REQUESTS, "requests lost\n{report}");
    assert!(
        failures.is_empty(),
        "{} failed, e.g. {:?}\n{report}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert_eq!(received.len(), REQUESTS, "repeated nonces\n{report}");
    assert_eq!(
        issued.len(),
        REQUESTS,
        "the simulator issued a different number of nonces\n{report}"
    );
    assert_eq!(
        received, issued_set,
        "answered nonces differ from the issued ones\n{report}"
    );
    assert!(duration < TIME_LIMIT, "too slow\n{report}");
    assert!(
        rss_after.saturating_sub(rss_before) < RSS_GROWTH_LIMIT_KIB,
        "memory grew\n{report}"
    );
    // The figures, for anyone reading the test output.
    assert!(path.exists(), "{report}");
}
