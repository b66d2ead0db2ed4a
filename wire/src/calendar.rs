//! Italian civil dates and their arithmetic, on `chrono`: a date at the desk has no time zone
//! (it is the date in Europe/Rome, see `clock::today_in_rome`), and adding months clamps at the
//! month's end (31 August plus six months is 28 or 29 February), as Italian deadlines count.

pub use chrono::{Datelike, NaiveDate as Date, NaiveDateTime as DateTime, Timelike};
use chrono::{Days, Months};

/// The date `year-month-day`; panics on a date that does not exist (for literals and data
/// already validated).
pub fn date(year: i32, month: u32, day: u32) -> Date {
    Date::from_ymd_opt(year, month, day).unwrap_or_else(|| panic!("{year}-{month}-{day} is not a date"))
}

/// `day` moved by `days` (back when negative).
pub fn plus_days(day: Date, days: i64) -> Date {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.expect("dates of the desk are far from the calendar's limits")
}

/// `day` plus `months`, clamped to the last day of a shorter month.
pub fn plus_months(day: Date, months: u32) -> Date {
    day.checked_add_months(Months::new(months)).expect("dates of the desk are far from the calendar's limits")
}

/// `day` plus `years`, 29 February becoming 28 February in a common year.
pub fn plus_years(day: Date, years: u32) -> Date {
    plus_months(day, years * 12)
}

/// 31 December of `day`'s year.
pub fn end_of_year(day: Date) -> Date {
    date(day.year(), 12, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp_at_month_ends_and_leap_days() {
        assert_eq!(plus_months(date(2025, 8, 31), 6), date(2026, 2, 28));
        assert_eq!(plus_months(date(2023, 8, 31), 6), date(2024, 2, 29));
        assert_eq!(plus_years(date(2024, 2, 29), 1), date(2025, 2, 28));
        assert_eq!(plus_days(date(2027, 3, 31), -60), date(2027, 1, 30));
        assert_eq!(plus_days(date(2026, 12, 31), 1), date(2027, 1, 1));
        assert_eq!(end_of_year(date(2026, 3, 1)), date(2026, 12, 31));
    }

    #[test]
    #[should_panic(expected = "2023-2-29 is not a date")]
    fn an_impossible_literal_is_a_bug() {
        date(2023, 2, 29);
    }
}
