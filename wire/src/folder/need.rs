//! What the person came for.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Day, Entity, Invalid, MAX_NOTE_CHARS, Section, not_in_future, note::Confidentiality, optional_long};

/// The services of the desk, as the Ambito counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NeedCategory {
    /// SSN registration, STP/ENI, family doctor, CUP bookings.
    HealthAccess,
    /// Residence permit requests and renewals.
    ResidencePermit,
    Citizenship,
    ItalianTest,
    /// Bonuses, ISEE/DSU.
    Bonus,
    MaternityCheque,
    Legal,
    Mediation,
    Work,
    Courses,
    Other,
}

impl NeedCategory {
    /// Every category.
    pub const ALL: [NeedCategory; 11] = [
        NeedCategory::HealthAccess,
        NeedCategory::ResidencePermit,
        NeedCategory::Citizenship,
        NeedCategory::ItalianTest,
        NeedCategory::Bonus,
        NeedCategory::MaternityCheque,
        NeedCategory::Legal,
        NeedCategory::Mediation,
        NeedCategory::Work,
        NeedCategory::Courses,
        NeedCategory::Other,
    ];
}

/// A request the person made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NeedDetails {
    pub category: NeedCategory,
    pub description: Option<String>,
    pub raised_on: Day,
    /// Answered or no longer wanted.
    #[serde(default)]
    pub resolved: bool,
    /// Who may read it: a need that says something of the person's health (a treatment, a
    /// pregnancy) is for the health side only, like a note.
    #[serde(default)]
    pub confidentiality: Confidentiality,
}

impl NeedDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        NeedDetails {
            category: NeedCategory::HealthAccess,
            description: Some("Iscrizione al SSN e scelta del medico".into()),
            raised_on: Day::ymd(2026, 11, 2),
            resolved: false,
            confidentiality: Confidentiality::Normal,
        }
    }
}

impl Section for NeedDetails {
    const ENTITY: Entity = Entity::Need;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-raised-on", Some(self.raised_on), today)?;
        Ok(NeedDetails {
            description: optional_long("field-description", &self.description, MAX_NOTE_CHARS)?,
            ..self.clone()
        })
    }

    fn health_restricted(&self) -> bool {
        self.confidentiality == Confidentiality::HealthRestricted
    }
}
