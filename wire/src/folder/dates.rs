//! Calendar dates and local times as the desk writes them: Italian civil dates, times in
//! Europe/Rome. They travel as ISO 8601 text (`2026-11-26`, `2026-11-26T09:30:00`); the UI
//! shows them as `dd/mm/yyyy`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A calendar date (no time, no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
pub struct Day(#[ts(type = "string")] pub jiff::civil::Date);

impl Day {
    /// The date `year-month-day`; panics on a date that does not exist (for literals).
    pub fn ymd(year: i16, month: i8, day: i8) -> Day {
        Day(jiff::civil::date(year, month, day))
    }
}

/// A date and time on the wall clock in Europe/Rome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
pub struct LocalDateTime(#[ts(type = "string")] pub jiff::civil::DateTime);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_travel_as_iso_text_and_impossible_ones_are_refused() {
        assert_eq!(serde_json::to_value(Day::ymd(2024, 2, 29)).unwrap(), serde_json::json!("2024-02-29"));
        assert!(serde_json::from_value::<Day>(serde_json::json!("2023-02-29")).is_err());
        let at: LocalDateTime = serde_json::from_value(serde_json::json!("2026-11-26T09:30:00")).unwrap();
        assert_eq!(at.0.hour(), 9);
    }
}
