//! Privacy notices given and consents to share (GDPR Art. 13; health data with the ASL).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Day, Entity, Invalid, Problem, Section, language_code, not_before, not_in_future};

/// What the person was told or agreed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// The privacy notice was given (and explained) to the person.
    PrivacyNotice,
    /// The person agrees that the desk shares their data with the Consultorio / ASL.
    ShareWithHealthServices,
}

/// A notice given or a consent, with when, in which language and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConsentDetails {
    pub kind: ConsentKind,
    pub given_on: Day,
    /// The language the notice was given in (ISO 639 code).
    pub language: Option<String>,
    /// When the person withdrew the consent, if they did.
    pub withdrawn_on: Option<Day>,
    /// The operator who recorded it (set by the store).
    pub recorded_by: Option<Uuid>,
}

impl ConsentDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        ConsentDetails {
            kind: ConsentKind::PrivacyNotice,
            given_on: Day::ymd(2026, 11, 2),
            language: Some("ar".into()),
            withdrawn_on: None,
            recorded_by: None,
        }
    }
}

impl Section for ConsentDetails {
    const ENTITY: Entity = Entity::Consent;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-given-on", Some(self.given_on), today)?;
        not_in_future("field-withdrawn-on", self.withdrawn_on, today)?;
        not_before("field-withdrawn-on", self.withdrawn_on, Some(self.given_on))?;
        if self.kind == ConsentKind::PrivacyNotice && self.withdrawn_on.is_some() {
            // A notice is information given, not a consent: it cannot be withdrawn.
            return Err(Invalid::new("field-withdrawn-on", Problem::Malformed));
        }
        Ok(ConsentDetails { language: language_code("field-language", &self.language)?, ..self.clone() })
    }

    fn recorded_by(&mut self) -> Option<&mut Option<Uuid>> {
        Some(&mut self.recorded_by)
    }
}
