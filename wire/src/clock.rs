//! Time, injected: logic asks a `Clock`, so tests can set the hour and the day.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time, in milliseconds since the Unix epoch (UTC).
pub trait Clock: Send + Sync {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    fn now_ms(&self) -> u64;

    /// How far this clock corrects the computer's by the server's time, once known (see the
    /// device's `ServerClock`); `None` for a clock that corrects nothing.
    fn server_offset_ms(&self) -> Option<i64> {
        None
    }
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

/// `at_ms` on the wall clock in Europe/Rome (summer time included), if it is a representable
/// instant.
pub fn in_rome(at_ms: u64) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    let at = chrono::DateTime::from_timestamp_millis(i64::try_from(at_ms).ok()?)?;
    Some(at.with_timezone(&chrono_tz::Europe::Rome))
}

/// "Today" in Europe/Rome, where the desk is: dates typed by operators and deadlines are
/// Italian dates.
pub fn today_in_rome(clock: &dyn Clock) -> crate::calendar::Date {
    in_rome(clock.now_ms()).expect("the clock shows a representable instant").date_naive()
}

/// The instant, in milliseconds since the epoch, at which the wall clock in Rome shows `day`
/// at `hour:minute` (the earlier one in the hour that repeats when summer time ends).
pub fn rome_instant_ms(day: crate::calendar::Date, hour: u32, minute: u32) -> u64 {
    use chrono::TimeZone;
    let wall = day.and_hms_opt(hour, minute, 0).expect("a time of day");
    let at = chrono_tz::Europe::Rome.from_local_datetime(&wall).earliest().expect("a time that exists in Rome");
    u64::try_from(at.timestamp_millis()).expect("after 1970")
}

/// `at_ms` as an Italian reads it: `dd/mm/yyyy hh:mm`, Europe/Rome time.
pub fn rome_date_time(at_ms: u64) -> String {
    in_rome(at_ms).map(|at| at.format("%d/%m/%Y %H:%M").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_rome_in_winter_and_in_summer() {
        assert_eq!(rome_date_time(1_795_683_600_000), "26/11/2026 10:00");
        assert_eq!(rome_date_time(1_782_900_000_000), "01/07/2026 12:00");
    }

    #[test]
    fn a_wall_clock_time_in_rome_is_the_instant_it_names() {
        assert_eq!(rome_instant_ms(crate::calendar::date(2026, 11, 26), 10, 0), 1_795_683_600_000);
        assert_eq!(rome_instant_ms(crate::calendar::date(2026, 7, 1), 12, 0), 1_782_900_000_000);
    }
}
