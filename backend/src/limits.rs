//! Rate limits on minting nonces: per signed-in user and per client
//! address, each a token bucket (`governor`) refilled at the configured
//! rate per minute and holding as many. A nonce costs a CxReports call and
//! opens a viewer, so a script with one stolen session, or many sessions
//! from one machine, cannot mint them without bound.
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::auth::{whole_secs, User};
use crate::error::BackendError;

/// The buckets are pruned of idle keys once every this many checks.
const PRUNE_EVERY: u64 = 4096;

/// The nonce rate limits.
pub(crate) struct NonceLimits {
    per_user: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    checks: AtomicU64,
}

impl std::fmt::Debug for NonceLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NonceLimits")
    }
}

impl NonceLimits {
    /// Buckets of `per_user` and `per_client` nonces a minute (0 is taken
    /// as 1).
    pub(crate) fn new(per_user: u32, per_client: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        NonceLimits {
            per_user: RateLimiter::keyed(quota(per_user)),
            per_client: RateLimiter::keyed(quota(per_client)),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// Takes one nonce from `user`'s bucket and `client`'s (when known), or
    /// says how long to wait. The client's is checked first, so one
    /// machine's flood does not use up its users' buckets.
    pub(crate) fn check(&self, user: &User, client: Option<IpAddr>) -> Result<(), BackendError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.per_user.retain_recent();
            self.per_client.retain_recent();
        }
        let refused = |scope, not_until: governor::NotUntil<_>| BackendError::RateLimited {
            scope,
            retry_after_secs: whole_secs(not_until.wait_time_from(self.clock.now())),
        };
        if let Some(client) = client {
            self.per_client
                .check_key(&client)
                .map_err(|not_until| refused("per client address", not_until))?;
        }
        self.per_user
            .check_key(&user.name().to_owned())
            .map_err(|not_until| refused("per user", not_until))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_and_each_client_has_a_bucket() {
        let limits = NonceLimits::new(3, 5);
        let alice = User::new("alice").unwrap();
        let bob = User::new("bob").unwrap();
        let here: IpAddr = "127.0.0.1".parse().unwrap();
        let there: IpAddr = "10.0.0.9".parse().unwrap();
        for _ in 0..3 {
            limits.check(&alice, Some(here)).unwrap();
        }
        let refused = limits.check(&alice, Some(there)).unwrap_err();
        assert!(
            matches!(
                refused,
                BackendError::RateLimited {
                    scope: "per user",
                    retry_after_secs: 1..=20
                }
            ),
            "{refused:?}"
        );
        // Bob has his own bucket, but the machine's is nearly spent.
        limits.check(&bob, Some(here)).unwrap();
        limits.check(&bob, Some(here)).unwrap();
        let refused = limits.check(&bob, Some(here)).unwrap_err();
        assert!(
            matches!(
                refused,
                BackendError::RateLimited {
                    scope: "per client address",
                    ..
                }
            ),
            "{refused:?}"
        );
        limits.check(&bob, Some(there)).unwrap();
    }
}
