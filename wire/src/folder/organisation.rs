//! The services of the territory (consultori, ASL offices, job centres, adult schools,
//! associations, lawyers, employers) that the desk refers people to: rows of the Ambito's
//! directory (see [`super::directory`]). It names services, never the people sent there.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::referral::ReferralTarget;
use super::{Entity, Invalid, MAX_NOTE_CHARS, Section, optional_line, optional_long, required_text};

/// A service of the territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrganisationDetails {
    /// As the person will read it on the letter: "Consultorio familiare di Galatina".
    pub name: String,
    pub kind: ReferralTarget,
    /// The municipality it is in.
    pub municipality: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// When it receives people, as the desk tells them ("lun–ven 9–12").
    pub opening_hours: Option<String>,
    /// Anything the desk should know before sending someone (who to ask for, what to bring).
    pub note: Option<String>,
    /// It takes no new referrals; kept so that earlier referrals still name it.
    #[serde(default)]
    pub closed: bool,
}

impl OrganisationDetails {
    /// A valid example, for tests and documentation (not a real service's details).
    pub fn example() -> Self {
        OrganisationDetails {
            name: "Consultorio familiare di Galatina".into(),
            kind: ReferralTarget::Consultorio,
            municipality: Some("Galatina".into()),
            address: Some("Via dell'Esempio 1".into()),
            phone: Some("0836 000000".into()),
            email: None,
            opening_hours: Some("lun–ven 9–12".into()),
            note: None,
            closed: false,
        }
    }
}

impl Section for OrganisationDetails {
    const ENTITY: Entity = Entity::Organisation;

    fn validated(&self, _today: crate::calendar::Date) -> Result<Self, Invalid> {
        Ok(OrganisationDetails {
            name: required_text("field-name", &self.name, super::MAX_LINE_CHARS)?,
            kind: self.kind,
            municipality: optional_line("field-municipality", &self.municipality)?,
            address: optional_line("field-address", &self.address)?,
            phone: optional_line("field-phone", &self.phone)?,
            email: optional_line("field-email", &self.email)?,
            opening_hours: optional_line("field-opening-hours", &self.opening_hours)?,
            note: optional_long("field-note", &self.note, MAX_NOTE_CHARS)?,
            closed: self.closed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folder::Problem;

    #[test]
    fn a_name_is_required_and_text_is_trimmed() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let unnamed = OrganisationDetails { name: "   ".into(), ..OrganisationDetails::example() };
        assert_eq!(unnamed.validated(today), Err(Invalid::new("field-name", Problem::Required)));
        let spaced = OrganisationDetails {
            name: "  CPIA Lecce ".into(),
            phone: Some("   ".into()),
            ..OrganisationDetails::example()
        };
        let kept = spaced.validated(today).unwrap();
        assert_eq!((kept.name.as_str(), kept.phone), ("CPIA Lecce", None));
        let long = OrganisationDetails { address: Some("x".repeat(201)), ..OrganisationDetails::example() };
        assert_eq!(long.validated(today), Err(Invalid::new("field-address", Problem::TooLong)));
    }
}
