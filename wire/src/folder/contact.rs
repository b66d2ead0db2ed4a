//! Contacts: every encounter with the person. They drive the desk's statistics.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::need::NeedCategory;
use super::{Day, Entity, Invalid, Problem, Section, language_code, not_in_future, optional_line};

/// Where the encounter happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Office,
    /// Outreach: a camp, a farm, a square, a reception centre.
    Outdoor,
    Phone,
}

/// One encounter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ContactDetails {
    pub on: Day,
    pub place_kind: PlaceKind,
    /// The office or outreach place, by name.
    pub place: Option<String>,
    /// The intercultural mediator present, if any.
    pub mediator: Option<String>,
    /// The language the encounter was held in (ISO 639 code).
    pub language: Option<String>,
    pub duration_minutes: u16,
    /// The services given.
    #[serde(default)]
    pub services: Vec<NeedCategory>,
    /// The operator who recorded it (set by the store).
    pub recorded_by: Option<Uuid>,
}

/// The services given, each once, in a stable order.
pub(crate) fn distinct_services(services: &[NeedCategory]) -> Vec<NeedCategory> {
    let mut services = services.to_vec();
    services.sort();
    services.dedup();
    services
}

/// The longest encounter a contact records: a working day.
pub const MAX_CONTACT_MINUTES: u16 = 12 * 60;

impl ContactDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        ContactDetails {
            on: Day::ymd(2026, 11, 2),
            place_kind: PlaceKind::Outdoor,
            place: Some("Borgo Mezzanone".into()),
            mediator: Some("Fatima".into()),
            language: Some("fr".into()),
            duration_minutes: 40,
            services: vec![NeedCategory::HealthAccess, NeedCategory::Mediation],
            recorded_by: None,
        }
    }
}

impl Section for ContactDetails {
    const ENTITY: Entity = Entity::Contact;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-on", Some(self.on), today)?;
        if !(1..=MAX_CONTACT_MINUTES).contains(&self.duration_minutes) {
            return Err(Invalid::new("field-duration-minutes", Problem::OutOfRange));
        }
        let services = distinct_services(&self.services);
        Ok(ContactDetails {
            on: self.on,
            place_kind: self.place_kind,
            place: optional_line("field-place", &self.place)?,
            mediator: optional_line("field-mediator", &self.mediator)?,
            language: language_code("field-language", &self.language)?,
            duration_minutes: self.duration_minutes,
            services,
            recorded_by: self.recorded_by,
        })
    }

    fn recorded_by(&mut self) -> Option<&mut Option<Uuid>> {
        Some(&mut self.recorded_by)
    }
}
