//! Latency figures from samples: nearest-rank percentiles, in milliseconds.
use serde::Serialize;

/// Nearest-rank percentile `p` (0..=100) of sorted samples.
pub fn percentile(sorted: &[u64], p: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// What the report prints for one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Answers that were a nonce.
    pub ok: usize,
    /// Requests that failed, timed out or answered something else.
    pub errors: u64,
    /// Requests not sent because too many were already in flight.
    pub skipped: u64,
    /// Answers per second over the time the load ran.
    pub throughput: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

fn ms(nanos: Option<u64>) -> f64 {
    nanos.map_or(f64::NAN, |n| (n as f64 / 1e3).round() / 1e3)
}

impl Summary {
    /// Summarizes latencies (nanoseconds) measured over `seconds`.
    pub fn new(mut latencies: Vec<u64>, errors: u64, skipped: u64, seconds: f64) -> Self {
        latencies.sort_unstable();
        let mean =
            (!latencies.is_empty()).then(|| latencies.iter().sum::<u64>() / latencies.len() as u64);
        Summary {
            ok: latencies.len(),
            errors,
            skipped,
            throughput: if seconds > 0.0 {
                (latencies.len() as f64 / seconds * 10.0).round() / 10.0
            } else {
                0.0
            },
            p50_ms: ms(percentile(&latencies, 50.0)),
            p90_ms: ms(percentile(&latencies, 90.0)),
            p99_ms: ms(percentile(&latencies, 99.0)),
            p999_ms: ms(percentile(&latencies, 99.9)),
            max_ms: ms(latencies.last().copied()),
            mean_ms: ms(mean),
        }
    }
}

/// One endpoint against the other, measured under the same load.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// CxReports' nonce endpoint, hit directly.
    pub direct: Summary,
    /// The backend's nonce endpoint (which calls the direct one).
    pub backend: Summary,
    /// `backend.p50 - direct.p50`.
    pub overhead_p50_ms: f64,
    /// `backend.p99 - direct.p99`.
    pub overhead_p99_ms: f64,
}

impl Comparison {
    pub fn new(direct: Summary, backend: Summary) -> Self {
        let round3 = |x: f64| (x * 1000.0).round() / 1000.0;
        Comparison {
            overhead_p50_ms: round3(backend.p50_ms - direct.p50_ms),
            overhead_p99_ms: round3(backend.p99_ms - direct.p99_ms),
            direct,
            backend,
        }
    }
}

/// The index of the median of `values` (the lower middle for an even
/// count); `None` when empty. NaN sorts last.
pub fn median_index(values: &[f64]) -> Option<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    order.get(values.len().checked_sub(1)? / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let s: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&s, 50.0), Some(50));
        assert_eq!(percentile(&s, 99.0), Some(99));
        assert_eq!(percentile(&s, 99.9), Some(100));
        assert_eq!(percentile(&s, 0.0), Some(1));
        assert_eq!(percentile(&[7], 99.0), Some(7));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn summary_in_milliseconds() {
        let s = Summary::new(vec![3_000_000, 1_000_000, 2_000_000, 4_000_000], 1, 0, 2.0);
        assert_eq!(s.ok, 4);
        assert_eq!(s.errors, 1);
        assert_eq!(s.throughput, 2.0);
        assert_eq!(s.p50_ms, 2.0);
        assert_eq!(s.p99_ms, 4.0);
        assert_eq!(s.max_ms, 4.0);
        assert_eq!(s.mean_ms, 2.5);
    }

    #[test]
    fn overhead_is_backend_minus_direct() {
        let direct = Summary::new(vec![1_000_000; 10], 0, 0, 1.0);
        let backend = Summary::new(vec![1_250_000; 10], 0, 0, 1.0);
        let c = Comparison::new(direct, backend);
        assert_eq!(c.overhead_p50_ms, 0.25);
        assert_eq!(c.overhead_p99_ms, 0.25);
    }

    #[test]
    fn median_index_picks_the_middle_run() {
        assert_eq!(median_index(&[2.4, 0.2, 0.7]), Some(2));
        assert_eq!(median_index(&[5.0]), Some(0));
        assert_eq!(median_index(&[3.0, 1.0, 2.0, 4.0]), Some(2));
        assert_eq!(median_index(&[]), None);
    }

    #[test]
    fn no_samples_is_not_a_number_not_zero() {
        let s = Summary::new(vec![], 10, 0, 1.0);
        assert!(s.p99_ms.is_nan());
        assert_eq!(s.ok, 0);
    }
}
