//! The Ambito's intercultural mediators, in the directory beside the services: the languages
//! each one mediates in and when they are usually available, so that whoever books an
//! appointment that needs a language sees who could come. Kept by administrators, shared by
//! every office (the rows live in the directory's folder).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    Entity, Invalid, MAX_NOTE_CHARS, Problem, Section, language_code, optional_line, optional_long, required_text,
};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// A mediator and when they are usually available.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MediatorDetails {
    /// As appointments name the mediator.
    pub name: String,
    /// The languages they mediate in (ISO 639 codes), at least one.
    pub languages: Vec<String>,
    /// The days they are usually available.
    #[serde(default)]
    pub weekdays: Vec<Weekday>,
    /// From what time on those days (`HH:MM`, Europe/Rome).
    pub from_time: Option<String>,
    /// Until what time.
    pub until_time: Option<String>,
    pub phone: Option<String>,
    pub note: Option<String>,
    /// No longer mediates for the Ambito; kept so that earlier appointments still name them.
    #[serde(default)]
    pub inactive: bool,
}

impl MediatorDetails {
    /// A valid example, for tests and documentation (an invented mediator).
    pub fn example() -> Self {
        MediatorDetails {
            name: "Amina".into(),
            languages: vec!["fr".into(), "wo".into()],
            weekdays: vec![Weekday::Tuesday, Weekday::Thursday],
            from_time: Some("09:00".into()),
            until_time: Some("13:00".into()),
            phone: None,
            note: None,
            inactive: false,
        }
    }
}

/// `value` as `HH:MM`, a time of day, or none.
fn time_of_day(field: &'static str, value: &Option<String>) -> Result<Option<String>, Invalid> {
    let Some(text) = optional_line(field, value)? else { return Ok(None) };
    let parsed =
        chrono::NaiveTime::parse_from_str(&text, "%H:%M").map_err(|_| Invalid::new(field, Problem::Malformed))?;
    Ok(Some(parsed.format("%H:%M").to_string()))
}

impl Section for MediatorDetails {
    const ENTITY: Entity = Entity::Mediator;

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        let mut languages = Vec::new();
        for language in &self.languages {
            if let Some(code) = language_code("field-languages", &Some(language.clone()))?
                && !languages.contains(&code)
            {
                languages.push(code);
            }
        }
        if languages.is_empty() {
            return Err(Invalid::new("field-languages", Problem::Required));
        }
        let mut weekdays = self.weekdays.clone();
        weekdays.sort();
        weekdays.dedup();
        let from_time = time_of_day("field-from-time", &self.from_time)?;
        let until_time = time_of_day("field-until-time", &self.until_time)?;
        if let (Some(from), Some(until)) = (&from_time, &until_time)
            && until <= from
        {
            return Err(Invalid::new("field-until-time", Problem::BeforeStart));
        }
        Ok(MediatorDetails {
            name: required_text("field-name", &self.name, super::MAX_LINE_CHARS)?,
            languages,
            weekdays,
            from_time,
            until_time,
            phone: optional_line("field-phone", &self.phone)?,
            note: optional_long("field-note", &self.note, MAX_NOTE_CHARS)?,
            inactive: self.inactive,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> crate::calendar::Date {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn languages_are_codes_and_at_least_one_hours_are_times_and_in_order() {
        let mixed = MediatorDetails {
            languages: vec!["FR".into(), " wo ".into(), "fr".into()],
            weekdays: vec![Weekday::Thursday, Weekday::Tuesday, Weekday::Thursday],
            from_time: Some("9:05".into()),
            ..MediatorDetails::example()
        };
        let kept = mixed.validated(today()).unwrap();
        assert_eq!(kept.languages, vec!["fr", "wo"]);
        assert_eq!(kept.weekdays, vec![Weekday::Tuesday, Weekday::Thursday]);
        assert_eq!(kept.from_time.as_deref(), Some("09:05"));

        let none = MediatorDetails { languages: vec![" ".into()], ..MediatorDetails::example() };
        assert_eq!(none.validated(today()), Err(Invalid::new("field-languages", Problem::Required)));
        let word = MediatorDetails { languages: vec!["francese".into()], ..MediatorDetails::example() };
        assert_eq!(word.validated(today()), Err(Invalid::new("field-languages", Problem::Malformed)));
        let noon = MediatorDetails { from_time: Some("mezzogiorno".into()), ..MediatorDetails::example() };
        assert_eq!(noon.validated(today()), Err(Invalid::new("field-from-time", Problem::Malformed)));
        let backwards = MediatorDetails { until_time: Some("08:00".into()), ..MediatorDetails::example() };
        assert_eq!(backwards.validated(today()), Err(Invalid::new("field-until-time", Problem::BeforeStart)));
    }
}
