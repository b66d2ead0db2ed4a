//! Practices: one instance of a procedure of the desk (a permit renewal, an STP release…),
//! with its status, checklist, deadline and external references.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::rules::procedures;

use super::{
    Day, Entity, Invalid, MAX_LINE_CHARS, MAX_NOTE_CHARS, Problem, Section, not_before, not_in_future, optional_line,
    optional_long,
};

/// Where a practice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PracticeStatus {
    Open,
    InProgress,
    /// Sent to the office that decides (Questura, INPS, Prefettura, ASL…).
    Submitted,
    Accepted,
    Refused,
    Closed,
}

impl PracticeStatus {
    /// The workflow: open → in progress → submitted → accepted or refused → closed. A practice
    /// may be closed early (withdrawn) and a closed one reopened; staying put is always allowed.
    pub fn may_become(self, next: PracticeStatus) -> bool {
        use PracticeStatus::*;
        self == next
            || matches!(
                (self, next),
                (Open, InProgress)
                    | (Open | InProgress, Closed)
                    | (InProgress, Submitted)
                    | (Submitted, Accepted | Refused | InProgress)
                    | (Accepted | Refused, Closed)
                    | (Closed, Open)
            )
    }
}

/// A practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PracticeDetails {
    /// The procedure template it follows (e.g. `permit-renewal`, see `assets/procedures/`).
    pub template: String,
    /// The need it answers, if recorded.
    pub need: Option<Uuid>,
    pub status: PracticeStatus,
    pub opened_on: Day,
    pub deadline: Option<Day>,
    /// The checklist steps done, by their id in the template.
    #[serde(default)]
    pub steps_done: Vec<String>,
    pub protocol_number: Option<String>,
    /// The postal receipt of a permit kit (ricevuta di Poste Italiane).
    pub postal_receipt: Option<String>,
    /// A booking code (CUP, Prefettura).
    pub booking_code: Option<String>,
    /// When the outcome (accepted, refused) came.
    pub outcome_on: Option<Day>,
    pub outcome_note: Option<String>,
    /// The operator in charge (an account of the office): whose open practices it counts in.
    #[serde(default)]
    pub in_charge: Option<Uuid>,
}

impl PracticeDetails {
    /// A valid example, for tests and documentation.
    pub fn example() -> Self {
        PracticeDetails {
            template: "permit-renewal".into(),
            need: None,
            status: PracticeStatus::Open,
            opened_on: Day::ymd(2026, 11, 2),
            deadline: Some(Day::ymd(2027, 1, 8)),
            steps_done: vec!["check-expiry".into()],
            protocol_number: None,
            postal_receipt: None,
            booking_code: None,
            outcome_on: None,
            outcome_note: None,
            in_charge: None,
        }
    }
}

/// A template or step id: lower-case letters, digits and dashes.
fn slug(field: &'static str, value: &str) -> Result<String, Invalid> {
    let value = super::required_text(field, value, MAX_LINE_CHARS)?;
    if !value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(Invalid::new(field, Problem::Malformed));
    }
    Ok(value)
}

impl Section for PracticeDetails {
    const ENTITY: Entity = Entity::Practice;

    /// A practice of a procedure flagged `health_restricted` (the consultorio's) says something
    /// about the person's health; one of an unknown procedure is treated as if it did.
    fn health_restricted(&self) -> bool {
        crate::rules::procedures::template(&self.template).is_none_or(|template| template.health_restricted)
    }

    fn validated(&self, today: crate::calendar::Date) -> Result<Self, Invalid> {
        not_in_future("field-opened-on", Some(self.opened_on), today)?;
        not_before("field-deadline", self.deadline, Some(self.opened_on))?;
        not_in_future("field-outcome-on", self.outcome_on, today)?;
        not_before("field-outcome-on", self.outcome_on, Some(self.opened_on))?;
        let template_id = slug("field-template", &self.template)?;
        let template =
            procedures::template(&template_id).ok_or(Invalid::new("field-template", Problem::UnknownValue))?;
        let mut steps_done = Vec::new();
        for step in &self.steps_done {
            let step = slug("field-steps-done", step)?;
            if !template.steps.contains(&step) {
                return Err(Invalid::new("field-steps-done", Problem::UnknownValue));
            }
            if !steps_done.contains(&step) {
                steps_done.push(step);
            }
        }
        Ok(PracticeDetails {
            template: template_id,
            need: self.need,
            status: self.status,
            opened_on: self.opened_on,
            deadline: self.deadline,
            steps_done,
            protocol_number: optional_line("field-protocol-number", &self.protocol_number)?,
            postal_receipt: optional_line("field-postal-receipt", &self.postal_receipt)?,
            booking_code: optional_line("field-booking-code", &self.booking_code)?,
            outcome_on: self.outcome_on,
            outcome_note: optional_long("field-outcome-note", &self.outcome_note, MAX_NOTE_CHARS)?,
            in_charge: self.in_charge,
        })
    }

    fn check_change(&self, before: &Self) -> Result<(), Invalid> {
        if before.status.may_become(self.status) {
            Ok(())
        } else {
            Err(Invalid::new("field-status", Problem::ChangeNotAllowed))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PracticeStatus::*;
    use super::*;

    #[test]
    fn every_service_of_the_desk_has_a_template_with_labels_in_every_language() {
        for category in crate::folder::need::NeedCategory::ALL {
            let name = serde_json::to_value(category).unwrap();
            assert!(
                procedures::all().iter().any(|t| t.category == name.as_str().unwrap()),
                "no template for {category:?}"
            );
        }
        for id in [
            "ssn-registration",
            "ssn-voluntary",
            "stp",
            "eni",
            "family-doctor",
            "cup-booking",
            "permit-first-request",
            "permit-renewal",
            "residence-renewal",
            "citizenship-residence",
            "citizenship-marriage",
            "italian-test",
            "maternity-cheque",
            "isee-dsu",
            "energy-bonus",
            "legal-consultancy",
            "mediation-session",
            "work-referral",
            "cpia-course",
            "consultorio-referral",
        ] {
            let template = procedures::template(id).unwrap_or_else(|| panic!("no template {id}"));
            for message in template.message_ids() {
                for locale in crate::Locale::ALL {
                    let text = crate::Localizer::new().format(locale, &message, &[]);
                    assert!(!text.is_empty() && text != message, "{message} in {locale:?}");
                }
            }
        }
        assert!(procedures::template("consultorio-referral").unwrap().health_restricted);
    }

    #[test]
    fn the_status_workflow() {
        let all = [Open, InProgress, Submitted, Accepted, Refused, Closed];
        let allowed: Vec<(PracticeStatus, PracticeStatus)> = all
            .iter()
            .flat_map(|from| all.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| from != to && from.may_become(*to))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Open, InProgress),
                (Open, Closed),
                (InProgress, Submitted),
                (InProgress, Closed),
                (Submitted, InProgress),
                (Submitted, Accepted),
                (Submitted, Refused),
                (Accepted, Closed),
                (Refused, Closed),
                (Closed, Open),
            ]
        );
        let submitted = PracticeDetails { status: Submitted, ..PracticeDetails::example() };
        let reopened = PracticeDetails { status: Open, ..PracticeDetails::example() };
        assert_eq!(reopened.check_change(&submitted).unwrap_err().problem, Problem::ChangeNotAllowed);
    }

    #[test]
    fn templates_and_steps_must_exist() {
        let today = crate::calendar::date(2026, 11, 26);
        let spaced = PracticeDetails { template: "Permit renewal".into(), ..PracticeDetails::example() };
        assert_eq!(spaced.validated(today).unwrap_err(), Invalid::new("field-template", Problem::Malformed));
        let unknown = PracticeDetails { template: "moon-landing".into(), ..PracticeDetails::example() };
        assert_eq!(unknown.validated(today).unwrap_err(), Invalid::new("field-template", Problem::UnknownValue));
        let foreign_step = PracticeDetails { steps_done: vec!["sit-test".into()], ..PracticeDetails::example() };
        assert_eq!(foreign_step.validated(today).unwrap_err(), Invalid::new("field-steps-done", Problem::UnknownValue));
        let deadline_before = PracticeDetails { deadline: Some(Day::ymd(2026, 1, 1)), ..PracticeDetails::example() };
        assert_eq!(deadline_before.validated(today).unwrap_err().problem, Problem::BeforeStart);
    }
}
