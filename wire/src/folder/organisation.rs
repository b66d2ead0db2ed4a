//! The directory of the territory's services (consultori, ASL offices, job centres, adult
//! schools, associations, lawyers, employers) that the desk refers people to. It is kept by
//! the Ambito's administrators and shared by every office: its rows live in one folder of
//! their own, [`DIRECTORY_FOLDER`], which syncs like any folder and is in every office's
//! scope. It names services, never the people sent there.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::referral::ReferralTarget;
use super::{Entity, Invalid, MAX_NOTE_CHARS, Section, optional_line, optional_long, required_text};

/// The one folder that holds the directory, the same on every device and on the server.
pub const DIRECTORY_FOLDER: Uuid = Uuid::from_u128(0x0000_0000_0000_7000_8000_d1ec_7042_0001);

/// Whether a row of `entity` may live in `folder`: organisations only in the directory, and
/// the directory holds nothing else (no person, so no erasure, merge or archive either).
pub fn belongs_in(entity: Entity, folder: Uuid) -> bool {
    (entity == Entity::Organisation) == (folder == DIRECTORY_FOLDER)
}

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
    fn only_organisations_live_in_the_directory_and_the_directory_holds_only_them() {
        let folder = Uuid::from_u128(42);
        assert!(belongs_in(Entity::Organisation, DIRECTORY_FOLDER));
        assert!(!belongs_in(Entity::Organisation, folder));
        for entity in Entity::ALL.into_iter().filter(|entity| *entity != Entity::Organisation) {
            assert!(belongs_in(entity, folder), "{entity:?}");
            assert!(!belongs_in(entity, DIRECTORY_FOLDER), "{entity:?}");
        }
    }

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
