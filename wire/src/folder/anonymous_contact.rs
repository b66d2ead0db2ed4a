//! Anonymous contacts: an encounter outdoors with people who gave no name (yet). Each is a
//! folder of its own with this one row — no person, nothing that identifies anyone — so the
//! desk's statistics count the work a name would not have been asked for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::contact::{PlaceKind, distinct_services};
use super::need::NeedCategory;
use super::{Day, Entity, Invalid, Problem, Section, language_code, not_in_future, optional_line};

/// The most people one anonymous contact counts (a crowd at a distribution).
pub const MAX_PEOPLE_MET: u16 = 500;

/// An encounter with people who are not named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnonymousContactDetails {
    pub on: Day,
    pub place_kind: PlaceKind,
    /// The office or outreach place, by name.
    pub place: Option<String>,
    /// The language the encounter was held in (ISO 639 code).
    pub language: Option<String>,
    /// How many people were met.
    pub people: u16,
    /// The services given.
    #[serde(default)]
    pub services: Vec<NeedCategory>,
    /// A short note: what was given, what must follow. No names.
    pub note: Option<String>,
    /// The operator who recorded it (set by the store).
    pub recorded_by: Option<Uuid>,
}

impl AnonymousContactDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        AnonymousContactDetails {
            on: Day::ymd(2026, 11, 2),
            place_kind: PlaceKind::Outdoor,
            place: Some("Borgo Mezzanone".into()),
            language: Some("fr".into()),
            people: 6,
            services: vec![NeedCategory::HealthAccess],
            note: Some("Informazioni sul codice STP; tornano giovedì".into()),
            recorded_by: None,
        }
    }
}

impl Section for AnonymousContactDetails {
    const ENTITY: Entity = Entity::AnonymousContact;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-on", Some(self.on), today)?;
        if !(1..=MAX_PEOPLE_MET).contains(&self.people) {
            return Err(Invalid::new("field-people", Problem::OutOfRange));
        }
        let services = distinct_services(&self.services);
        Ok(AnonymousContactDetails {
            on: self.on,
            place_kind: self.place_kind,
            place: optional_line("field-place", &self.place)?,
            language: language_code("field-language", &self.language)?,
            people: self.people,
            services,
            note: optional_line("field-note", &self.note)?,
            recorded_by: self.recorded_by,
        })
    }

    fn recorded_by(&mut self) -> Option<&mut Option<Uuid>> {
        Some(&mut self.recorded_by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::date;

    #[test]
    fn the_people_met_are_counted_from_one_to_a_crowd_and_the_note_is_short() {
        let today = date(2026, 11, 30);
        let valid = AnonymousContactDetails::example();
        assert_eq!(valid.validated(today).unwrap(), valid);
        for people in [0, MAX_PEOPLE_MET + 1] {
            let wrong = AnonymousContactDetails { people, ..valid.clone() };
            assert_eq!(wrong.validated(today).unwrap_err().field, "field-people");
        }
        let long = AnonymousContactDetails { note: Some("x".repeat(201)), ..valid.clone() };
        assert_eq!(long.validated(today).unwrap_err().field, "field-note");
        let tomorrow = AnonymousContactDetails { on: Day::ymd(2026, 12, 1), ..valid };
        assert_eq!(tomorrow.validated(today).unwrap_err().field, "field-on");
    }
}
