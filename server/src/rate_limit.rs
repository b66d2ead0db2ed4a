//! Rate limiting: a token bucket for each enrolled device, so one misbehaving laptop (a loop,
//! a stolen key) cannot take the server from the others, and one for each network address,
//! checked before a request is authenticated. A sync round is a handful of requests and a new
//! device's first download some tens of pages, well inside the default burst.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use uuid::Uuid;

/// Buckets kept before the idle ones are dropped: addresses are many, memory is not.
const MAX_BUCKETS: usize = 100_000;

/// How many requests a device may make at once, and how fast its allowance refills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub burst: u32,
    pub per_second: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { burst: 300, per_second: 30 }
    }
}

/// The buckets of every device (or address) seen.
#[derive(Debug)]
pub struct RateLimiter<K = Uuid> {
    limits: Limits,
    buckets: Mutex<HashMap<K, (f64, u64)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    pub fn new(limits: Limits) -> RateLimiter<K> {
        RateLimiter { limits, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from `key`'s allowance at `now_ms`; when none is left, says how
    /// many whole seconds to wait.
    pub fn check(&self, key: K, now_ms: u64) -> Result<(), u64> {
        let Limits { burst, per_second } = self.limits;
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= MAX_BUCKETS {
            // A bucket idle long enough to be full again says nothing: forget it.
            let full_after_ms = u64::from(burst) * 1000 / u64::from(per_second.max(1));
            buckets.retain(|_, (_, at)| now_ms.saturating_sub(*at) < full_after_ms);
        }
        let (tokens, at) = buckets.entry(key).or_insert((f64::from(burst), now_ms));
        let elapsed = now_ms.saturating_sub(*at) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * f64::from(per_second)).min(f64::from(burst));
        *at = now_ms.max(*at);
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / f64::from(per_second.max(1))).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_gets_its_burst_then_waits_for_the_refill_and_others_are_untouched() {
        let limiter: RateLimiter = RateLimiter::new(Limits { burst: 3, per_second: 1 });
        let (laptop, office) = (Uuid::from_u128(1), Uuid::from_u128(2));
        for _ in 0..3 {
            assert_eq!(limiter.check(laptop, 1_000), Ok(()));
        }
        assert_eq!(limiter.check(laptop, 1_000), Err(1));
        assert_eq!(limiter.check(office, 1_000), Ok(()), "another device has its own bucket");
        assert_eq!(limiter.check(laptop, 1_500), Err(1), "half a request refilled is not one");
        assert_eq!(limiter.check(laptop, 2_000), Ok(()));
        assert_eq!(limiter.check(laptop, 60_000), Ok(()), "a long pause refills up to the burst only");
        assert_eq!(limiter.check(laptop, 60_000), Ok(()));
        assert_eq!(limiter.check(laptop, 60_000), Ok(()));
        assert_eq!(limiter.check(laptop, 60_000), Err(1));
    }
}
