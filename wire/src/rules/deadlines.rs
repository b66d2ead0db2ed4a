//! What is due, and when, for a person: permit renewal and the irregularity point, STP/ENI
//! expiry, the maternity cheque's six months, ISEE and voluntary SSN registration ending on
//! 31 December, the habitual-residence declaration after a new permit, the 90 days before
//! the Italian test can be taken again, and practices' own deadlines. Dates are Italian civil
//! dates; "today" is the date in Europe/Rome (`crate::clock::today_in_rome`).

use crate::calendar::{Date, end_of_year, plus_days, plus_months};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::folder::Day;
use crate::folder::Folder;
use crate::folder::document::DocumentKind;
use crate::folder::person::Sex;
use crate::folder::practice::PracticeStatus;

/// Days before a permit expires from which its renewal should be requested.
pub const PERMIT_RENEWAL_WINDOW_DAYS: i64 = 60;
/// Days after expiry, with no renewal requested, after which the person is irregular.
pub const PERMIT_IRREGULAR_AFTER_DAYS: i64 = 60;
/// Days after a new permit within which the habitual residence must be declared again.
pub const RESIDENCE_RENEWAL_DAYS: i64 = 60;
/// Months after a birth within which the municipal maternity cheque can be requested.
pub const MATERNITY_CHEQUE_MONTHS: u32 = 6;
/// Days to wait after failing the Italian A2 test before booking it again.
pub const ITALIAN_TEST_RETRY_DAYS: i64 = 90;

/// The kinds of deadline the desk watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Request the permit's renewal (the window opens 60 days before expiry).
    PermitRenewal,
    /// The permit expired more than 60 days ago with no renewal requested.
    PermitIrregular,
    StpExpiry,
    EniExpiry,
    /// Request the municipal maternity cheque within six months of the birth.
    MaternityCheque,
    /// The ISEE attestation ends on 31 December.
    IseeExpiry,
    /// Voluntary SSN registration ends on 31 December.
    VoluntarySsnExpiry,
    /// Declare the habitual residence again after a new permit.
    ResidenceRenewal,
    /// The day the Italian test can be booked again after a fail.
    ItalianTestRetry,
    /// A practice's own deadline.
    PracticeDeadline,
}

/// Something due for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub folder: Uuid,
    /// The row it comes from (a document, a practice), if any.
    pub row: Option<Uuid>,
    /// The day it is due.
    pub due: Day,
    /// The day from which it makes sense to act (a renewal window opening), if earlier.
    pub from: Option<Day>,
}

/// How close a deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Overdue,
    /// Due within 7 days.
    ThisWeek,
    /// Due within 30 days.
    ThisMonth,
    Later,
}

/// A deadline as the home screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Reminder {
    pub deadline: Deadline,
    /// Negative when overdue.
    #[ts(type = "number")]
    pub days_left: i64,
    pub urgency: Urgency,
}

/// Every deadline of `folder`. `births` are the birth dates of the children of the household
/// (from their own folders), which start the maternity cheque's six months for their mother.
pub fn deadlines(folder: &Folder, births: &[Date]) -> Vec<Deadline> {
    let id = folder.person.id;
    let mut due = Vec::new();
    let mut push = |kind, row, day: Date, from: Option<Date>| {
        due.push(Deadline { kind, folder: id, row, due: Day(day), from: from.map(Day) })
    };
    for document in &folder.documents {
        let details = &document.details;
        match (details.kind, details.expires_on) {
            (DocumentKind::ResidencePermit, Some(expires)) => {
                if details.renewal_requested_on.is_none() {
                    let window = plus_days(expires.0, -PERMIT_RENEWAL_WINDOW_DAYS);
                    push(DeadlineKind::PermitRenewal, Some(document.id), expires.0, Some(window));
                    push(
                        DeadlineKind::PermitIrregular,
                        Some(document.id),
                        plus_days(expires.0, PERMIT_IRREGULAR_AFTER_DAYS),
                        None,
                    );
                }
                if let Some(issued) = details.issued_on
                    && folder.person.details.residence.is_some()
                {
                    push(
                        DeadlineKind::ResidenceRenewal,
                        Some(document.id),
                        plus_days(issued.0, RESIDENCE_RENEWAL_DAYS),
                        Some(issued.0),
                    );
                }
            }
            (DocumentKind::Isee, expires) => {
                let ends = expires.map(|day| day.0).or(details.issued_on.map(|day| end_of_year(day.0)));
                if let Some(ends) = ends {
                    push(DeadlineKind::IseeExpiry, Some(document.id), ends, None);
                }
            }
            _ => {}
        }
    }
    let person = &folder.person.details;
    if let Some(stp) = &person.stp {
        push(DeadlineKind::StpExpiry, None, stp.expires_on.0, None);
    }
    if let Some(eni) = &person.eni {
        push(DeadlineKind::EniExpiry, None, eni.expires_on.0, None);
    }
    if person.sex == Some(Sex::Female) {
        for birth in births {
            push(DeadlineKind::MaternityCheque, None, plus_months(*birth, MATERNITY_CHEQUE_MONTHS), Some(*birth));
        }
    }
    for practice in &folder.practices {
        let details = &practice.details;
        let open =
            !matches!(details.status, PracticeStatus::Closed | PracticeStatus::Accepted | PracticeStatus::Refused);
        if let Some(deadline) = details.deadline
            && open
        {
            push(DeadlineKind::PracticeDeadline, Some(practice.id), deadline.0, None);
        }
        match (details.template.as_str(), details.status, details.outcome_on) {
            ("italian-test", PracticeStatus::Refused, Some(failed_on)) => push(
                DeadlineKind::ItalianTestRetry,
                Some(practice.id),
                plus_days(failed_on.0, ITALIAN_TEST_RETRY_DAYS),
                None,
            ),
            ("ssn-voluntary", PracticeStatus::Accepted, outcome) => {
                let from = outcome.unwrap_or(details.opened_on);
                push(DeadlineKind::VoluntarySsnExpiry, Some(practice.id), end_of_year(from.0), None);
            }
            _ => {}
        }
    }
    due.sort_by_key(|deadline| (deadline.due, deadline.kind));
    due
}

/// The deadlines to show on `today`, soonest first: those with a window (a permit renewal, the
/// maternity cheque, the residence declaration) from the day it opens; the others when due
/// within `horizon_days` or overdue.
pub fn reminders(deadlines: &[Deadline], today: Date, horizon_days: i64) -> Vec<Reminder> {
    let mut shown: Vec<Reminder> = deadlines
        .iter()
        .filter_map(|deadline| {
            let days_left = (deadline.due.0 - today).num_days();
            let shown = match deadline.from {
                Some(from) => from.0 <= today,
                None => days_left <= horizon_days,
            };
            if !shown {
                return None;
            }
            let urgency = match days_left {
                ..0 => Urgency::Overdue,
                0..=7 => Urgency::ThisWeek,
                8..=30 => Urgency::ThisMonth,
                _ => Urgency::Later,
            };
            Some(Reminder { deadline: deadline.clone(), days_left, urgency })
        })
        .collect();
    shown.sort_by_key(|reminder| (reminder.days_left, reminder.deadline.kind));
    shown
}

#[cfg(test)]
mod tests {
    use crate::calendar::date;

    use super::*;
    use crate::folder::Row;
    use crate::folder::document::DocumentDetails;
    use crate::folder::person::{Address, PersonDetails, StpEniCode};
    use crate::folder::practice::PracticeDetails;

    fn folder(person: PersonDetails) -> Folder {
        Folder {
            person: Row { id: Uuid::nil(), details: person },
            archived: false,
            merged_from: Vec::new(),
            household: Vec::new(),
            member_of: Vec::new(),
            documents: Vec::new(),
            attachments: Vec::new(),
            consents: Vec::new(),
            needs: Vec::new(),
            practices: Vec::new(),
            appointments: Vec::new(),
            contacts: Vec::new(),
            referrals: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn aminata() -> PersonDetails {
        PersonDetails {
            family_name: "Diallo".into(),
            given_names: "Aminata".into(),
            sex: Some(Sex::Female),
            ..PersonDetails::default()
        }
    }

    fn permit(issued: Date, expires: Date) -> Row<DocumentDetails> {
        Row {
            id: Uuid::from_u128(1),
            details: DocumentDetails {
                issued_on: Some(Day(issued)),
                expires_on: Some(Day(expires)),
                ..DocumentDetails::example()
            },
        }
    }

    fn kinds(reminders: &[Reminder]) -> Vec<(DeadlineKind, i64)> {
        reminders.iter().map(|r| (r.deadline.kind, r.days_left)).collect()
    }

    #[test]
    fn a_permit_shows_from_sixty_days_before_expiry_and_turns_irregular_sixty_days_after() {
        let mut with_permit = folder(aminata());
        with_permit.documents.push(permit(date(2025, 3, 31), date(2027, 3, 31)));
        let due = deadlines(&with_permit, &[]);
        assert_eq!(due[0].due, Day(date(2027, 3, 31)));
        assert_eq!(due[0].from, Some(Day(date(2027, 1, 30))), "60 days before 31 March is 30 January");
        assert!(kinds(&reminders(&due, date(2027, 1, 29), 30)).is_empty(), "the window is not open yet");
        assert_eq!(kinds(&reminders(&due, date(2027, 1, 30), 30)), vec![(DeadlineKind::PermitRenewal, 60)]);
        // After expiry the renewal is overdue, and the irregularity point comes into view.
        let late = reminders(&due, date(2027, 5, 1), 30);
        assert_eq!(kinds(&late), vec![(DeadlineKind::PermitRenewal, -31), (DeadlineKind::PermitIrregular, 29)]);
        assert_eq!(late[0].urgency, Urgency::Overdue);
        assert_eq!(due[1].due, Day(date(2027, 5, 30)), "60 days after 31 March is 30 May");
        // Requested: nothing left to chase.
        with_permit.documents[0].details.renewal_requested_on = Some(Day(date(2027, 2, 10)));
        assert!(deadlines(&with_permit, &[]).is_empty());
    }

    #[test]
    fn the_maternity_cheque_counts_six_calendar_months_even_from_a_month_end() {
        let mother = folder(aminata());
        let due = |birth| deadlines(&mother, &[birth])[0].due;
        assert_eq!(due(date(2026, 3, 15)), Day(date(2026, 9, 15)));
        assert_eq!(due(date(2025, 8, 31)), Day(date(2026, 2, 28)), "no 31 February: the month's last day");
        assert_eq!(due(date(2023, 8, 31)), Day(date(2024, 2, 29)), "a leap year");
        let father = folder(PersonDetails { sex: Some(Sex::Male), ..aminata() });
        assert!(deadlines(&father, &[date(2026, 3, 15)]).is_empty());
    }

    #[test]
    fn codes_isee_residence_and_the_italian_test() {
        let mut person = folder(PersonDetails {
            stp: Some(StpEniCode {
                code: "STP1601160000001".into(),
                issued_on: Day(date(2026, 6, 1)),
                expires_on: Day(date(2026, 12, 1)),
            }),
            residence: Some(Address { street: "Via Roma 1".into(), municipality: "Galatina".into(), postcode: None }),
            ..aminata()
        });
        person.documents.push(permit(date(2026, 11, 10), date(2028, 11, 9)));
        person.documents.push(Row {
            id: Uuid::from_u128(2),
            details: DocumentDetails {
                kind: DocumentKind::Isee,
                issued_on: Some(Day(date(2026, 2, 3))),
                expires_on: None,
                ..DocumentDetails::example()
            },
        });
        person.practices.push(Row {
            id: Uuid::from_u128(3),
            details: PracticeDetails {
                template: "italian-test".into(),
                status: PracticeStatus::Refused,
                outcome_on: Some(Day(date(2026, 10, 2))),
                deadline: None,
                ..PracticeDetails::example()
            },
        });
        let today = date(2026, 11, 26);
        let shown = kinds(&reminders(&deadlines(&person, &[]), today, 60));
        assert_eq!(
            shown,
            vec![
                (DeadlineKind::StpExpiry, 5),
                (DeadlineKind::IseeExpiry, 35),
                (DeadlineKind::ItalianTestRetry, 35),
                (DeadlineKind::ResidenceRenewal, 44),
            ]
        );
    }

    #[test]
    fn today_is_the_date_in_rome_not_in_utc() {
        // 31 December 2026, 23:30 UTC is already 1 January 2027 in Rome.
        let clock = crate::clock::ManualClock::at(1_798_759_800_000);
        assert_eq!(crate::clock::today_in_rome(&clock), date(2027, 1, 1));
        // 30 June 2026, 22:30 UTC is 1 July in Rome (summer time, UTC+2).
        let summer = crate::clock::ManualClock::at(1_782_858_600_000);
        assert_eq!(crate::clock::today_in_rome(&summer), date(2026, 7, 1));
    }
}
