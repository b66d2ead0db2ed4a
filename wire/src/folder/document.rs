//! Identity, residence and income documents: what the desk checks and whose expiry it watches.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Day, Entity, Invalid, Problem, Section, not_before, not_in_future, optional_line};

/// The kinds of document the desk records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Permesso di soggiorno (or the postal receipt of its request).
    ResidencePermit,
    Passport,
    /// Carta d'identità.
    IdentityCard,
    /// Tessera sanitaria / TEAM.
    HealthCard,
    /// Attestazione ISEE.
    Isee,
    /// Visto d'ingresso: its issue and expiry dates are the period it covers.
    Visa,
    Other,
}

/// A document the person showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentDetails {
    pub kind: DocumentKind,
    pub number: Option<String>,
    /// Who issued it: the Questura, a consulate, a municipality, INPS.
    pub issued_by: Option<String>,
    pub issued_on: Option<Day>,
    pub expires_on: Option<Day>,
    /// For a residence permit: its reason (lavoro subordinato, famiglia, protezione…).
    pub permit_reason: Option<String>,
    /// For a residence permit: when its renewal was requested (postal kit sent).
    pub renewal_requested_on: Option<Day>,
    /// For an ISEE attestation: its value in euro cents.
    #[ts(type = "number | null")]
    pub isee_value_cents: Option<u64>,
    /// A protocol number (the DSU's, the renewal's).
    pub protocol: Option<String>,
}

impl DocumentDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        DocumentDetails {
            kind: DocumentKind::ResidencePermit,
            number: Some("I12345678".into()),
            issued_by: Some("Questura di Lecce".into()),
            issued_on: Some(Day::ymd(2025, 3, 10)),
            expires_on: Some(Day::ymd(2027, 3, 9)),
            permit_reason: Some("Lavoro subordinato".into()),
            renewal_requested_on: None,
            isee_value_cents: None,
            protocol: None,
        }
    }
}

impl Section for DocumentDetails {
    const ENTITY: Entity = Entity::Document;

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-issued-on", self.issued_on, today)?;
        not_before("field-expires-on", self.expires_on, self.issued_on)?;
        not_in_future("field-renewal-requested-on", self.renewal_requested_on, today)?;
        not_before("field-renewal-requested-on", self.renewal_requested_on, self.issued_on)?;
        if self.isee_value_cents.is_some() && self.kind != DocumentKind::Isee {
            return Err(Invalid::new("field-isee-value-cents", Problem::Malformed));
        }
        let number = optional_line("field-number", &self.number)?.map(|number| number.to_uppercase());
        Ok(DocumentDetails {
            kind: self.kind,
            number,
            issued_by: optional_line("field-issued-by", &self.issued_by)?,
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            permit_reason: optional_line("field-permit-reason", &self.permit_reason)?,
            renewal_requested_on: self.renewal_requested_on,
            isee_value_cents: self.isee_value_cents,
            protocol: optional_line("field-protocol", &self.protocol)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;

    use super::*;

    #[test]
    fn dates_must_follow_each_other_and_the_isee_value_belongs_to_an_isee() {
        let today = date(2026, 11, 26);
        assert!(DocumentDetails::example().validated(today).is_ok());
        let expired_before_issue =
            DocumentDetails { expires_on: Some(Day::ymd(2024, 1, 1)), ..DocumentDetails::example() };
        assert_eq!(
            expired_before_issue.validated(today).unwrap_err(),
            Invalid::new("field-expires-on", Problem::BeforeStart)
        );
        let issued_tomorrow = DocumentDetails { issued_on: Some(Day::ymd(2026, 11, 27)), ..DocumentDetails::example() };
        assert_eq!(issued_tomorrow.validated(today).unwrap_err().problem, Problem::InFuture);
        let passport_with_isee = DocumentDetails { isee_value_cents: Some(750_000), ..DocumentDetails::example() };
        assert_eq!(passport_with_isee.validated(today).unwrap_err().field, "field-isee-value-cents");
        let isee = DocumentDetails { kind: DocumentKind::Isee, ..passport_with_isee };
        assert!(isee.validated(today).is_ok());
    }
}
