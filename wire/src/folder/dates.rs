//! Calendar dates and local times as the desk writes them: Italian civil dates, times in
//! Europe/Rome. They travel as ISO 8601 text (`2026-11-26`, `2026-11-26T09:30:00`); the UI
//! shows them as `dd/mm/yyyy`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar::{Date, DateTime};

/// A calendar date (no time, no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
pub struct Day(#[ts(type = "string")] pub Date);

impl Day {
    /// The date `year-month-day`; panics on a date that does not exist (for literals).
    pub fn ymd(year: i32, month: u32, day: u32) -> Day {
        Day(crate::calendar::date(year, month, day))
    }
}

/// A date and time on the wall clock in Europe/Rome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
pub struct LocalDateTime(#[ts(type = "string")] pub DateTime);

/// Text that is not a date (`2023-02-29`) is refused with a message that says so, which
/// `parse_section` reports as `NotADate` for the field.
impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse_from_str(&text, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date")))
    }
}

/// `2026-11-26T09:30:00`, or without seconds as a form sends it (`2026-11-26T09:30`).
impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        DateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| DateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M"))
            .map(LocalDateTime)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date and time")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Timelike;

    #[test]
    fn dates_travel_as_iso_text_and_impossible_ones_are_refused() {
        assert_eq!(serde_json::to_value(Day::ymd(2024, 2, 29)).unwrap(), serde_json::json!("2024-02-29"));
        assert!(serde_json::from_value::<Day>(serde_json::json!("2023-02-29")).is_err());
        let at: LocalDateTime = serde_json::from_value(serde_json::json!("2026-11-26T09:30:00")).unwrap();
        assert_eq!(at.0.hour(), 9);
        assert_eq!(serde_json::to_value(at).unwrap(), serde_json::json!("2026-11-26T09:30:00"));
        let typed: LocalDateTime = serde_json::from_value(serde_json::json!("2026-11-26T09:30")).unwrap();
        assert_eq!(typed, at);
        assert!(serde_json::from_value::<LocalDateTime>(serde_json::json!("2026-11-26T25:00")).is_err());
    }
}
