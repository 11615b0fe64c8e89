//! Open-loop load at a fixed rate: requests leave on a schedule whatever the
//! server does, so a slow server is seen as slow (not as a lower rate), up to
//! a cap on requests in flight. Every run is bounded in count and time.
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// How much load, for how long.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Requests per second.
    pub rate: u32,
    /// How long requests are sent.
    pub duration: Duration,
    /// Beyond this many in flight, a scheduled request is skipped (counted).
    pub max_in_flight: usize,
    /// A request still unanswered after this is an error.
    pub timeout: Duration,
}

impl Plan {
    /// Requests this plan sends.
    pub fn requests(&self) -> u64 {
        (f64::from(self.rate) * self.duration.as_secs_f64()).round() as u64
    }

    /// When request `i` leaves, from the start.
    pub fn send_time(&self, i: u64) -> Duration {
        Duration::from_nanos(i * 1_000_000_000 / u64::from(self.rate.max(1)))
    }
}

/// What one run measured.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latency of each good answer, in nanoseconds, from send to body read.
    pub latencies: Vec<u64>,
    pub errors: u64,
    pub skipped: u64,
    /// The first error, to explain a failed run.
    pub first_error: Option<String>,
    /// From the first send to the last answer.
    pub elapsed: Duration,
    /// The latest any request left after its scheduled time (pacing quality).
    pub max_send_lag: Duration,
}

impl Outcome {
    /// Adds another run's results to this one.
    pub fn merge(&mut self, other: Outcome) {
        self.latencies.extend(other.latencies);
        self.errors += other.errors;
        self.skipped += other.skipped;
        self.first_error = self.first_error.take().or(other.first_error);
        self.elapsed += other.elapsed;
        self.max_send_lag = self.max_send_lag.max(other.max_send_lag);
    }
}

/// Runs `plan` against `request` (one request per call; `Err` tells why it
/// failed). The pacing runs on this thread, with OS sleeps, which are finer
/// than the async runtime's millisecond timer; the requests run on `runtime`.
pub fn run<F, Fut>(runtime: &tokio::runtime::Handle, plan: &Plan, request: F) -> Outcome
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel::<Result<u64, String>>();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut outcome = Outcome::default();
    let mut spawned = 0u64;
    let start = Instant::now();
    for i in 0..plan.requests() {
        let due = start + plan.send_time(i);
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        outcome.max_send_lag = outcome
            .max_send_lag
            .max(Instant::now().saturating_duration_since(due));
        if in_flight.load(Ordering::Acquire) >= plan.max_in_flight {
            outcome.skipped += 1;
            continue;
        }
        in_flight.fetch_add(1, Ordering::AcqRel);
        spawned += 1;
        let (future, done, in_flight, timeout) =
            (request(), done_tx.clone(), in_flight.clone(), plan.timeout);
        runtime.spawn(async move {
            let sent = Instant::now();
            let result = match tokio::time::timeout(timeout, future).await {
                Ok(Ok(())) => Ok(sent.elapsed().as_nanos() as u64),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(format!("no answer within {timeout:?}")),
            };
            in_flight.fetch_sub(1, Ordering::AcqRel);
            let _ = done.send(result);
        });
    }
    drop(done_tx);
    // Every spawned request ends by its timeout; allow a margin, then give up.
    let deadline = Instant::now() + plan.timeout + Duration::from_secs(2);
    for _ in 0..spawned {
        let left = deadline.saturating_duration_since(Instant::now());
        match done_rx.recv_timeout(left) {
            Ok(Ok(nanos)) => outcome.latencies.push(nanos),
            Ok(Err(error)) => {
                outcome.errors += 1;
                outcome.first_error.get_or_insert(error);
            }
            Err(_) => {
                outcome.errors += 1;
                outcome
                    .first_error
                    .get_or_insert_with(|| "a request never finished".to_owned());
            }
        }
    }
    outcome.elapsed = start.elapsed();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(rate: u32, ms: u64) -> Plan {
        Plan {
            rate,
            duration: Duration::from_millis(ms),
            max_in_flight: 100,
            timeout: Duration::from_millis(500),
        }
    }

    #[test]
    fn schedule_is_even() {
        let p = plan(2000, 1000);
        assert_eq!(p.requests(), 2000);
        assert_eq!(p.send_time(0), Duration::ZERO);
        assert_eq!(p.send_time(1), Duration::from_micros(500));
        assert_eq!(p.send_time(1999), Duration::from_micros(999_500));
    }

    #[test]
    fn counts_answers_errors_and_timeouts() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let outcome = run(runtime.handle(), &plan(1000, 30), || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                match n % 3 {
                    0 => Ok(()),
                    1 => Err("refused".to_owned()),
                    _ => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        Ok(())
                    }
                }
            }
        });
        assert_eq!(outcome.latencies.len(), 10);
        assert_eq!(outcome.errors, 20);
        assert_eq!(outcome.first_error.as_deref(), Some("refused"));
        assert!(outcome.elapsed < Duration::from_secs(3));
    }

    #[test]
    fn skips_beyond_the_in_flight_cap() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut p = plan(1000, 20);
        p.max_in_flight = 5;
        p.timeout = Duration::from_millis(200);
        let outcome = run(runtime.handle(), &p, || async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(())
        });
        assert_eq!(outcome.skipped, 15);
        assert_eq!(outcome.errors, 5);
    }
}
