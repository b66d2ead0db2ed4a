//! Time, injected: logic asks a `Clock`, so tests can set the hour and the day.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time, in milliseconds since the Unix epoch (UTC).
pub trait Clock: Send + Sync {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> u64;
}

/// The computer's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis() as u64
    }
}

/// A clock that shows what it is told, for tests.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock stopped at `now_ms`.
    pub fn at(now_ms: u64) -> Self {
        Self(AtomicU64::new(now_ms))
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.as_millis() as u64, Ordering::SeqCst);
    }

    /// Sets the clock to `now_ms`, backwards too (as a badly set computer clock does).
    pub fn set(&self, now_ms: u64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// "Today" in Europe/Rome, where the desk is: dates typed by operators and deadlines are
/// Italian dates.
pub fn today_in_rome(clock: &dyn Clock) -> jiff::civil::Date {
    let rome = jiff::tz::TimeZone::get("Europe/Rome").expect("the bundled time-zone database has Europe/Rome");
    jiff::Timestamp::from_millisecond(clock.now_ms() as i64)
        .expect("the clock is within jiff's range")
        .to_zoned(rome)
        .date()
}

/// `at_ms` as an Italian reads it: `dd/mm/yyyy hh:mm`, Europe/Rome time.
pub fn rome_date_time(at_ms: u64) -> String {
    let rome = jiff::tz::TimeZone::get("Europe/Rome").expect("the bundled time-zone database has Europe/Rome");
    jiff::Timestamp::from_millisecond(at_ms as i64)
        .map(|at| at.to_zoned(rome).strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_rome_in_winter_and_in_summer() {
        assert_eq!(rome_date_time(1_795_683_600_000), "26/11/2026 10:00");
        assert_eq!(rome_date_time(1_782_900_000_000), "01/07/2026 12:00");
    }
}
