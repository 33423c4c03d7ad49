//! When to sync again: exponential backoff with full jitter, capped.

/// First retry waits up to this long.
pub const BASE_MS: u64 = 2_000;
/// No retry waits longer than this.
pub const CAP_MS: u64 = 10 * 60 * 1000;
/// While online and idle, sync this often.
pub const PERIODIC_MS: u64 = 60_000;
/// A burst of local writes is sent together after this quiet time.
pub const DEBOUNCE_MS: u64 = 1_500;

/// The wait before retry number `attempt` (0-based): a uniformly random
/// share (`random` in [0, 1)) of `min(CAP, BASE · 2^attempt)` ("full
/// jitter"), so many phones coming back at once do not stampede.
pub fn backoff_ms(attempt: u32, random: f64) -> u64 {
    let ceiling = BASE_MS.saturating_mul(1u64 << attempt.min(20)).min(CAP_MS);
    ((ceiling as f64) * random.clamp(0.0, 1.0)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert_eq!(backoff_ms(0, 0.999_999), 1_999);
        assert_eq!(backoff_ms(3, 0.5), 8_000);
        assert_eq!(backoff_ms(30, 0.999_999), CAP_MS - 1, "never more than ten minutes");
        assert_eq!(backoff_ms(5, 0.0), 0, "full jitter may retry at once");
        assert!(backoff_ms(u32::MAX, 1.0) <= CAP_MS);
    }
}
