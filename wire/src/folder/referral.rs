//! Referrals to other services, with their outcome.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Day, Entity, Invalid, MAX_NOTE_CHARS, Section, not_in_future, optional_line, optional_long};

/// Where the person is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReferralTarget {
    /// Consultorio familiare: health-restricted.
    Consultorio,
    /// Azienda Sanitaria Locale.
    Asl,
    /// Centro per l'impiego.
    EmploymentCentre,
    /// CPIA, the adult school (Italian courses, A2 test preparation).
    AdultSchool,
    /// A legal clinic or a lawyer.
    LegalClinic,
    /// An association or a volunteer service.
    Association,
    /// An employer or a work placement.
    Employer,
    Other,
}

/// How a referral went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Sent,
    Accepted,
    Completed,
    Declined,
}

/// A referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReferralDetails {
    pub target: ReferralTarget,
    /// The service in the Ambito's directory, when it is there: its address, telephone and
    /// hours are printed on the letter.
    #[serde(default)]
    pub organisation: Option<Uuid>,
    /// The named service (e.g. "Consultorio di Nardò").
    pub service_name: Option<String>,
    pub on: Day,
    pub reason: Option<String>,
    pub status: ReferralStatus,
    /// What the other service said back.
    pub feedback: Option<String>,
}

impl ReferralDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        ReferralDetails {
            target: ReferralTarget::AdultSchool,
            organisation: None,
            service_name: Some("CPIA Lecce".into()),
            on: Day::ymd(2026, 11, 2),
            reason: Some("Corso di italiano A2".into()),
            status: ReferralStatus::Sent,
            feedback: None,
        }
    }
}

impl Section for ReferralDetails {
    const ENTITY: Entity = Entity::Referral;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-on", Some(self.on), today)?;
        Ok(ReferralDetails {
            target: self.target,
            organisation: self.organisation,
            service_name: optional_line("field-service-name", &self.service_name)?,
            on: self.on,
            reason: optional_long("field-reason", &self.reason, MAX_NOTE_CHARS)?,
            status: self.status,
            feedback: optional_long("field-feedback", &self.feedback, MAX_NOTE_CHARS)?,
        })
    }

    /// A referral to the consultorio says something about the person's health.
    fn health_restricted(&self) -> bool {
        self.target == ReferralTarget::Consultorio
    }

    fn organisation(&self) -> Option<Uuid> {
        self.organisation
    }
}
