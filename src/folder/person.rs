//! The person a case folder is about.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Invalid, MAX_LINE_CHARS, Problem, optional_text, required_text};

/// Sex as recorded on the person's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    /// Neither, or not stated on the documents.
    Unspecified,
}

/// A birth date as far as it is known: often only the year, sometimes estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// The person or the operator estimated it (no document states it).
    pub estimated: bool,
}

/// What the operator records about a person. Fields never written read as empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct PersonDetails {
    pub family_name: String,
    pub given_names: String,
    /// Other spellings and transliterations of the name.
    pub aliases: Vec<String>,
    pub sex: Option<Sex>,
    pub birth_date: Option<PartialDate>,
    /// The country of birth (ANPR code, `Z` and three digits).
    pub birth_country: Option<String>,
    /// Citizenships (ANPR codes); empty for a stateless person.
    pub citizenships: Vec<String>,
    /// The language to speak and to write documents in (ISO 639-1).
    pub preferred_language: Option<String>,
    pub phone: Option<String>,
    pub codice_fiscale: Option<String>,
}

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Person {
    pub id: Uuid,
    pub details: PersonDetails,
}

/// The fields of a person that search looks at.
pub const SEARCHED_FIELDS: [&str; 5] = ["family_name", "given_names", "aliases", "phone", "codice_fiscale"];

impl PartialDate {
    /// Refuses dates that do not exist and dates after `today`.
    pub fn validate(&self, field: &'static str, today: jiff::civil::Date) -> Result<(), Invalid> {
        let invalid = |problem| Invalid { field, problem };
        if self.day.is_some() && self.month.is_none() {
            return Err(invalid(Problem::NotADate));
        }
        let first_possible =
            jiff::civil::Date::new(self.year, self.month.unwrap_or(1) as i8, self.day.unwrap_or(1) as i8)
                .map_err(|_| invalid(Problem::NotADate))?;
        if self.year < 1900 {
            return Err(invalid(Problem::NotADate));
        }
        if first_possible > today {
            return Err(invalid(Problem::InFuture));
        }
        Ok(())
    }
}

impl PersonDetails {
    /// The details as they will be stored (trimmed, normalised), or the first wrong field.
    pub fn validated(&self, today: jiff::civil::Date) -> Result<PersonDetails, Invalid> {
        let line = |field, value: &Option<String>| -> Result<Option<String>, Invalid> {
            match value.as_deref().map(|v| optional_text(field, v, MAX_LINE_CHARS)).transpose()? {
                Some(text) if text.is_empty() => Ok(None),
                other => Ok(other),
            }
        };
        let list = |field, values: &[String]| -> Result<Vec<String>, Invalid> {
            let mut kept = Vec::new();
            for value in values {
                let text = optional_text(field, value, MAX_LINE_CHARS)?;
                if !text.is_empty() && !kept.contains(&text) {
                    kept.push(text);
                }
            }
            Ok(kept)
        };
        if let Some(date) = &self.birth_date {
            date.validate("field-birth-date", today)?;
        }
        let phone = line("field-phone", &self.phone)?;
        if let Some(phone) = &phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-/().".contains(c));
            if !allowed || !(6..=15).contains(&digits) {
                return Err(Invalid { field: "field-phone", problem: Problem::Malformed });
            }
        }
        let codice_fiscale = line("field-codice-fiscale", &self.codice_fiscale)?.map(|code| code.to_uppercase());
        if let Some(code) = &codice_fiscale
            && (code.len() != 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(Invalid { field: "field-codice-fiscale", problem: Problem::Malformed });
        }
        Ok(PersonDetails {
            family_name: required_text("field-family-name", &self.family_name, MAX_LINE_CHARS)?,
            given_names: required_text("field-given-names", &self.given_names, MAX_LINE_CHARS)?,
            aliases: list("field-aliases", &self.aliases)?,
            sex: self.sex,
            birth_date: self.birth_date,
            birth_country: line("field-birth-country", &self.birth_country)?,
            citizenships: list("field-citizenships", &self.citizenships)?,
            preferred_language: line("field-preferred-language", &self.preferred_language)?,
            phone,
            codice_fiscale,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn someone() -> PersonDetails {
        PersonDetails { family_name: " Diallo ".into(), given_names: "Aminata".into(), ..Default::default() }
    }

    #[test]
    fn names_are_trimmed_and_required() {
        let today = date(2026, 11, 26);
        assert_eq!(someone().validated(today).unwrap().family_name, "Diallo");
        let nameless = PersonDetails { family_name: "  ".into(), ..someone() };
        assert_eq!(
            nameless.validated(today).unwrap_err(),
            Invalid { field: "field-family-name", problem: Problem::Required }
        );
    }

    #[test]
    fn partial_and_estimated_birth_dates_are_accepted() {
        let today = date(2026, 11, 26);
        for (month, day) in [(None, None), (Some(2), None), (Some(2), Some(29))] {
            let birth = PartialDate { year: 2000, month, day, estimated: month.is_none() };
            assert!(PersonDetails { birth_date: Some(birth), ..someone() }.validated(today).is_ok());
        }
    }

    #[test]
    fn impossible_and_future_birth_dates_are_refused() {
        let today = date(2026, 11, 26);
        let check = |year, month, day| {
            PersonDetails { birth_date: Some(PartialDate { year, month, day, estimated: false }), ..someone() }
                .validated(today)
                .map(|_| ())
        };
        let not_a_date = Err(Invalid { field: "field-birth-date", problem: Problem::NotADate });
        let in_future = Err(Invalid { field: "field-birth-date", problem: Problem::InFuture });
        assert_eq!(check(2001, Some(2), Some(29)), not_a_date, "2001 is not a leap year");
        assert_eq!(check(2000, Some(13), None), not_a_date);
        assert_eq!(check(2000, None, Some(3)), not_a_date, "a day without a month");
        assert_eq!(check(2026, Some(11), Some(27)), in_future);
        assert_eq!(check(2027, None, None), in_future);
        assert_eq!(check(2026, Some(11), Some(26)), Ok(()), "born today");
    }

    #[test]
    fn phone_numbers_and_codes_are_checked_for_shape() {
        let today = date(2026, 11, 26);
        let with_phone = |phone: &str| PersonDetails { phone: Some(phone.into()), ..someone() }.validated(today);
        assert!(with_phone("+39 0836 123456").is_ok());
        assert_eq!(with_phone("chiamare dopo").unwrap_err().problem, Problem::Malformed);
        let with_code = |code: &str| PersonDetails { codice_fiscale: Some(code.into()), ..someone() }.validated(today);
        assert_eq!(with_code("dllmnt90a41z343x").unwrap().codice_fiscale.as_deref(), Some("DLLMNT90A41Z343X"));
        assert_eq!(with_code("DLLMNT90").unwrap_err().problem, Problem::Malformed);
    }

    #[test]
    fn empty_optional_fields_and_repeated_aliases_are_dropped() {
        let details = PersonDetails {
            phone: Some("  ".into()),
            aliases: vec!["Aminatou".into(), " Aminatou ".into(), "".into()],
            ..someone()
        };
        let stored = details.validated(date(2026, 11, 26)).unwrap();
        assert_eq!(stored.phone, None);
        assert_eq!(stored.aliases, vec!["Aminatou".to_owned()]);
    }
}
