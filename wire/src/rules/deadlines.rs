//! What is due, and when, for a person: permit renewal and the irregularity point, STP/ENI
//! expiry, the maternity cheque's six months (on the household head's folder), ISEE and voluntary SSN registration ending on
//! 31 December, the habitual-residence declaration after a new permit, the 90 days before
//! the Italian test can be taken again, and practices' own deadlines. Dates are Italian civil
//! dates; "today" is the date in Europe/Rome (`crate::clock::today_in_rome`).

use crate::calendar::{Date, Datelike, end_of_year, plus_days, plus_months};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::folder::Day;
use crate::folder::document::{DocumentDetails, DocumentKind};
use crate::folder::household::Relation;
use crate::folder::practice::PracticeStatus;
use crate::folder::{Folder, Row};
use crate::rules::procedure_check::ProcedureTemplate;

/// Days before a permit expires from which its renewal should be requested.
pub const PERMIT_RENEWAL_WINDOW_DAYS: i64 = 60;
/// Days after expiry, with no renewal requested, after which the person is irregular (the
/// grace STP eligibility counts too).
pub use crate::rules::eligibility::PERMIT_IRREGULAR_AFTER_DAYS;
/// Days after a new permit within which the habitual residence must be declared again.
pub const RESIDENCE_RENEWAL_DAYS: i64 = 60;
/// Months after a birth within which the municipal maternity cheque can be requested.
pub const MATERNITY_CHEQUE_MONTHS: u32 = 6;
/// Days to wait after failing the Italian A2 test before booking it again.
pub const ITALIAN_TEST_RETRY_DAYS: i64 = 90;
/// The threshold (`assets/procedures/thresholds.toml`) of the maternity cheque's ISEE ceiling.
pub const MATERNITY_CHEQUE_ISEE_CEILING: &str = "maternity-cheque-isee-ceiling";
/// The procedure template of the maternity-cheque request.
pub const MATERNITY_CHEQUE_TEMPLATE: &str = "maternity-cheque";

/// The kinds of deadline the desk watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
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
    /// The day the person has the years to apply for citizenship (by residence or marriage).
    CitizenshipEligible,
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

impl Urgency {
    /// The urgency of a deadline `days_left` days away (negative when overdue).
    pub fn of(days_left: i64) -> Urgency {
        match days_left {
            ..0 => Urgency::Overdue,
            0..=7 => Urgency::ThisWeek,
            8..=30 => Urgency::ThisMonth,
            _ => Urgency::Later,
        }
    }
}

/// A deadline as the home screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
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
    // Only the newest permit is chased: an older one was renewed (superseded), and the
    // residence declaration follows a renewal, not a first permit.
    let permits = newest_first(folder, DocumentKind::ResidencePermit);
    if let Some((current, earlier)) = permits.split_first() {
        let details = &current.details;
        if let Some(expires) = details.expires_on
            && details.renewal_requested_on.is_none()
        {
            let window = plus_days(expires.0, -PERMIT_RENEWAL_WINDOW_DAYS);
            push(DeadlineKind::PermitRenewal, Some(current.id), expires.0, Some(window));
            push(
                DeadlineKind::PermitIrregular,
                Some(current.id),
                plus_days(expires.0, PERMIT_IRREGULAR_AFTER_DAYS),
                None,
            );
        }
        if let Some(issued) = details.issued_on
            && !earlier.is_empty()
            && folder.person.details.residence.is_some()
        {
            push(
                DeadlineKind::ResidenceRenewal,
                Some(current.id),
                plus_days(issued.0, RESIDENCE_RENEWAL_DAYS),
                Some(issued.0),
            );
        }
    }
    // Only the newest ISEE: a newer attestation replaces the older one.
    if let Some(isee) = newest_first(folder, DocumentKind::Isee).first() {
        let details = &isee.details;
        let ends = details.expires_on.map(|day| day.0).or(details.issued_on.map(|day| end_of_year(day.0)));
        if let Some(ends) = ends {
            push(DeadlineKind::IseeExpiry, Some(isee.id), ends, None);
        }
    }
    let person = &folder.person.details;
    if let Some(stp) = &person.stp {
        push(DeadlineKind::StpExpiry, None, stp.expires_on.0, None);
    }
    if let Some(eni) = &person.eni {
        push(DeadlineKind::EniExpiry, None, eni.expires_on.0, None);
    }
    // On the folder of whichever parent heads the household the child is recorded in: the
    // mother's, or the father's when he heads it (the request is then made with him).
    // A maternity-cheque practice opened after a birth is the request: its own deadline
    // and status take over.
    let requested = |birth: Date| {
        folder.practices.iter().any(|practice| {
            practice.details.template == MATERNITY_CHEQUE_TEMPLATE && practice.details.opened_on.0 >= birth
        })
    };
    // The newest ISEE with a value, compared with the ceiling of the birth's year: above
    // it, the cheque is not due (without an ISEE the reminder stays, to ask for one).
    let isee = newest_first(folder, DocumentKind::Isee).into_iter().find_map(|isee| isee.details.isee_value_cents);
    let above_ceiling = |birth: Date| {
        isee.zip(crate::rules::procedures::threshold(MATERNITY_CHEQUE_ISEE_CEILING, birth.year()))
            .is_some_and(|(value, ceiling)| value > ceiling.value_cents)
    };
    for birth in births.iter().filter(|birth| !requested(**birth) && !above_ceiling(**birth)) {
        push(DeadlineKind::MaternityCheque, None, plus_months(*birth, MATERNITY_CHEQUE_MONTHS), Some(*birth));
    }
    // The day the years for citizenship are met, until a citizenship practice is opened.
    let applying = folder.practices.iter().any(|practice| practice.details.template.starts_with("citizenship-"));
    let children = folder.household.iter().any(|member| member.details.relation == Relation::Child);
    if let Some(route) = crate::rules::eligibility::citizenship_route(person, children)
        && !applying
    {
        push(DeadlineKind::CitizenshipEligible, None, crate::rules::eligibility::citizenship_years_met(route), None);
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

/// The deadline a practice of `template` started on `today` takes from its template's rule,
/// when the folder says when: the maternity cheque six months after the newest birth up to
/// today, a permit renewal at the current permit's expiry, the residence declaration 60 days
/// after the newest permit's issue. Rules that say how long a code or an attestation lasts
/// (STP, ENI, ISEE, voluntary SSN) are not a practice's deadline: their expiries are watched
/// on their own.
pub fn practice_deadline(template: &ProcedureTemplate, folder: &Folder, births: &[Date], today: Date) -> Option<Day> {
    let newest_permit = || newest_first(folder, DocumentKind::ResidencePermit).first().map(|permit| &permit.details);
    let due = match template.deadline.as_deref()? {
        "maternity_cheque" => {
            let birth = births.iter().filter(|birth| **birth <= today).max()?;
            plus_months(*birth, MATERNITY_CHEQUE_MONTHS)
        }
        "permit_renewal" => newest_permit()?.expires_on?.0,
        "sixty_days" => plus_days(newest_permit()?.issued_on?.0, RESIDENCE_RENEWAL_DAYS),
        _ => return None,
    };
    Some(Day(due))
}

/// The documents of `kind`, the newest first: by expiry, then by issue date (a document
/// with neither counts as the oldest).
fn newest_first(folder: &Folder, kind: DocumentKind) -> Vec<&Row<DocumentDetails>> {
    let mut documents: Vec<_> = folder.documents.iter().filter(|document| document.details.kind == kind).collect();
    documents.sort_by_key(|document| std::cmp::Reverse((document.details.expires_on, document.details.issued_on)));
    documents
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
            Some(Reminder { deadline: deadline.clone(), days_left, urgency: Urgency::of(days_left) })
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
    use crate::folder::person::Sex;
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
        // A father heading the household the child is recorded in: his folder carries it.
        let father = folder(PersonDetails { sex: Some(Sex::Male), ..aminata() });
        assert_eq!(deadlines(&father, &[date(2026, 3, 15)])[0].kind, DeadlineKind::MaternityCheque);
        assert!(deadlines(&father, &[]).is_empty(), "no child in his household: nothing");
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
        // A renewal: the permit before it expired on 9 November.
        person.documents.push(Row { id: Uuid::from_u128(9), ..permit(date(2024, 11, 10), date(2026, 11, 9)) });
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

    fn isee(id: u128, issued: Date) -> Row<DocumentDetails> {
        Row {
            id: Uuid::from_u128(id),
            details: DocumentDetails {
                kind: DocumentKind::Isee,
                issued_on: Some(Day(issued)),
                expires_on: None,
                ..DocumentDetails::example()
            },
        }
    }

    #[test]
    fn a_renewed_permit_clears_the_old_permits_deadlines_and_asks_for_the_residence_declaration() {
        let mut person = folder(PersonDetails {
            residence: Some(Address { street: "Via Roma 1".into(), municipality: "Galatina".into(), postcode: None }),
            ..aminata()
        });
        let old = permit(date(2025, 3, 1), date(2027, 2, 28));
        person.documents.push(old.clone());
        let first = deadlines(&person, &[]);
        assert_eq!(
            first.iter().map(|d| d.kind).collect::<Vec<_>>(),
            vec![DeadlineKind::PermitRenewal, DeadlineKind::PermitIrregular],
            "a first permit asks for no residence declaration"
        );
        // Renewed on 31 December 2027: the new permit is the one chased, and the residence
        // declaration is due 60 days later — 29 February, 2028 being a leap year.
        let renewed = Row { id: Uuid::from_u128(2), ..permit(date(2027, 12, 31), date(2029, 12, 30)) };
        person.documents.push(renewed);
        let after = deadlines(&person, &[]);
        assert!(after.iter().all(|d| d.row == Some(Uuid::from_u128(2))), "nothing left of the old permit: {after:?}");
        let residence = after.iter().find(|d| d.kind == DeadlineKind::ResidenceRenewal).unwrap();
        assert_eq!(residence.due, Day(date(2028, 2, 29)));
        let on_new_year = reminders(&after, date(2028, 1, 1), 30);
        assert_eq!(kinds(&on_new_year), vec![(DeadlineKind::ResidenceRenewal, 59)], "the old permit is not overdue");
        // The order the documents were recorded in does not matter.
        person.documents.reverse();
        assert_eq!(deadlines(&person, &[]), after);
    }

    #[test]
    fn a_newer_isee_replaces_the_older_one() {
        let mut person = folder(aminata());
        person.documents.push(isee(1, date(2025, 2, 3)));
        let due = |person: &Folder| deadlines(person, &[]).into_iter().map(|d| (d.row, d.due)).collect::<Vec<_>>();
        assert_eq!(due(&person), vec![(Some(Uuid::from_u128(1)), Day(date(2025, 12, 31)))]);
        person.documents.push(isee(2, date(2026, 1, 15)));
        assert_eq!(due(&person), vec![(Some(Uuid::from_u128(2)), Day(date(2026, 12, 31)))]);
        assert!(reminders(&deadlines(&person, &[]), date(2026, 1, 20), 30).is_empty(), "the 2025 ISEE is not overdue");
    }

    #[test]
    fn a_maternity_cheque_practice_opened_after_the_birth_takes_the_place_of_the_reminder() {
        let mut mother = folder(aminata());
        let birth = date(2026, 5, 31);
        let practice = |opened: Date| Row {
            id: Uuid::from_u128(7),
            details: PracticeDetails {
                template: MATERNITY_CHEQUE_TEMPLATE.into(),
                opened_on: Day(opened),
                deadline: Some(Day(date(2026, 11, 30))),
                ..PracticeDetails::example()
            },
        };
        // A request for an older child does not answer for this one.
        mother.practices.push(practice(date(2024, 1, 10)));
        let kinds_due = |mother: &Folder| deadlines(mother, &[birth]).into_iter().map(|d| d.kind).collect::<Vec<_>>();
        assert_eq!(kinds_due(&mother), vec![DeadlineKind::MaternityCheque, DeadlineKind::PracticeDeadline]);
        mother.practices[0] = practice(date(2026, 6, 2));
        assert_eq!(kinds_due(&mother), vec![DeadlineKind::PracticeDeadline]);
        // Six months from 31 May is 30 November (no 31st): the practice carries it.
        assert_eq!(plus_months(birth, MATERNITY_CHEQUE_MONTHS), date(2026, 11, 30));
    }

    #[test]
    fn the_maternity_cheque_is_not_due_when_the_isee_is_above_the_ceiling_of_the_births_year() {
        let mother = |isee_cents: Option<u64>| {
            let mut mother = folder(aminata());
            if let Some(cents) = isee_cents {
                mother.documents.push(Row {
                    id: Uuid::from_u128(3),
                    details: DocumentDetails { isee_value_cents: Some(cents), ..isee(3, date(2025, 2, 3)).details },
                });
            }
            mother
        };
        let kinds =
            |mother: &Folder| deadlines(mother, &[date(2025, 12, 31)]).into_iter().map(|d| d.kind).collect::<Vec<_>>();
        // The 2025 ceiling is EUR 20,382.90: a cent above it, no cheque; at it, the cheque.
        assert!(!kinds(&mother(Some(2_038_291))).contains(&DeadlineKind::MaternityCheque));
        assert!(kinds(&mother(Some(2_038_290))).contains(&DeadlineKind::MaternityCheque));
        assert!(kinds(&mother(None)).contains(&DeadlineKind::MaternityCheque), "no ISEE yet: ask for one");
    }

    #[test]
    fn the_day_the_years_for_citizenship_are_met_is_a_reminder_until_the_application_is_opened() {
        let eligible = |person: PersonDetails, practices: Vec<Row<PracticeDetails>>| {
            let folder = Folder { practices, ..folder(person) };
            deadlines(&folder, &[]).into_iter().find(|d| d.kind == DeadlineKind::CitizenshipEligible).map(|d| d.due)
        };
        let resident = |since| PersonDetails { legal_residence_since: Some(Day(since)), ..aminata() };
        assert_eq!(eligible(aminata(), vec![]), None, "nothing recorded: nothing to remind");
        // Non-EU: ten years of legal residence.
        assert_eq!(eligible(resident(date(2017, 1, 10)), vec![]), Some(Day(date(2027, 1, 10))));
        // Married to an Italian citizen on 29 February 2024, resident since before: two years
        // from the wedding, to the month's last day (sooner than ten years' residence).
        let married =
            PersonDetails { married_to_italian_on: Some(Day(date(2024, 2, 29))), ..resident(date(2020, 5, 5)) };
        assert_eq!(eligible(married.clone(), vec![]), Some(Day(date(2026, 2, 28))));
        // The application opened: the practice carries it from there.
        let application = Row {
            id: Uuid::from_u128(5),
            details: PracticeDetails {
                template: "citizenship-marriage".into(),
                steps_done: Vec::new(),
                ..PracticeDetails::example()
            },
        };
        assert_eq!(eligible(married, vec![application]), None);
    }

    #[test]
    fn a_practice_started_from_a_template_takes_the_deadline_its_rule_gives() {
        let template = |id: &str| crate::rules::procedures::template(id).unwrap();
        let mut mother = folder(aminata());
        let today = date(2026, 9, 1);
        // Six months from the newest birth up to today: 31 August 2026 → 28 February 2027.
        let births = [date(2024, 3, 3), date(2026, 8, 31), date(2026, 12, 1)];
        assert_eq!(
            practice_deadline(template(MATERNITY_CHEQUE_TEMPLATE), &mother, &births, today),
            Some(Day(date(2027, 2, 28)))
        );
        assert_eq!(practice_deadline(template(MATERNITY_CHEQUE_TEMPLATE), &mother, &[], today), None);
        // A renewal is due when the newest permit expires; the residence declaration 60 days
        // after it was issued (29 February in a leap year).
        mother.documents.push(permit(date(2025, 3, 1), date(2027, 2, 28)));
        mother.documents.push(Row { id: Uuid::from_u128(2), ..permit(date(2027, 12, 31), date(2029, 12, 30)) });
        assert_eq!(practice_deadline(template("permit-renewal"), &mother, &[], today), Some(Day(date(2029, 12, 30))));
        assert_eq!(practice_deadline(template("residence-renewal"), &mother, &[], today), Some(Day(date(2028, 2, 29))));
        // How long a code lasts is not a request's deadline.
        for id in ["stp", "eni", "isee-dsu", "ssn-voluntary", "italian-test", "legal-consultancy"] {
            assert_eq!(practice_deadline(template(id), &mother, &births, today), None, "{id}");
        }
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
