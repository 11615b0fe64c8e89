//! `nonce.rate_limit`: minting nonces is rate-limited: one session asking
//! for many, as fast as they come, soon gets 429 with `Retry-After`.
use reqwest::Method;

use super::Ctx;

const RATE: &str = "nonce.rate_limit";

/// Up to `--rate-probe` `POST {base}/nonce`s with the session.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    if ctx.options.cookie.is_none() {
        return ctx.skip(
            RATE,
            "needs a session to mint nonces with: pass --cookie (the probe spends that session's nonces, so run it on a test user)",
        );
    }
    let probe = ctx.options.rate_probe;
    let mut minted = 0;
    for sent in 1..=probe {
        let e = match ctx.send(ctx.widget(Method::POST, "/nonce")).await {
            Ok(e) => e,
            Err(t) => return ctx.fail(RATE, t.describe()),
        };
        if e.status == 429 {
            let retry_after = e.header("retry-after").map(|v| v.trim().to_owned());
            return match retry_after.filter(|v| is_retry_after(v)) {
                Some(value) => ctx.pass(
                    RATE,
                    format!("after {minted} nonces, request {sent} answered 429 with Retry-After: {value}"),
                ),
                None => ctx.fail(
                    RATE,
                    format!(
                        "request {sent} answered 429 without a valid Retry-After: send Retry-After (seconds until another nonce is allowed) so clients know when to retry"
                    ),
                ),
            };
        }
        if e.is_success() {
            minted += 1;
        } else {
            return ctx.fail(
                RATE,
                format!(
                    "request {sent} of the probe answered {} before any 429: {}",
                    e.status,
                    ctx.unexpected(&e)
                ),
            );
        }
    }
    ctx.fail(
        RATE,
        format!(
            "{minted} nonces in a row for one session, none refused: limit how many nonces a user (and a client address) may mint per minute, answering 429 with Retry-After beyond it, so a stolen session or a script cannot open reports without bound (or raise --rate-probe above your limit)"
        ),
    );
}

/// Seconds, or an HTTP date (which always names a weekday).
fn is_retry_after(value: &str) -> bool {
    value.parse::<u64>().is_ok() || value.contains(", ") && value.ends_with("GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert!(is_retry_after("3"));
        assert!(is_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"));
        assert!(!is_retry_after("soon") && !is_retry_after("-1") && !is_retry_after(""));
    }
}
