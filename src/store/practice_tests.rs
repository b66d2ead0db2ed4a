//! Practices started from templates and the lists of open ones; the agenda by week and by
//! operator.

use super::test_support::{NOW_MS, as_role, person, store_as, sync};
use super::*;
use crate::UserFacingError;
use crate::calendar::Timelike;
use crate::clock::ManualClock;
use crate::folder::appointment::AppointmentDetails;
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::person::{PartialDate, PersonDetails, Sex};
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::{Day, LocalDateTime};
use crate::rules::deadlines::DeadlineKind;

fn listed(store: &Store, filter: &PracticeFilter) -> Vec<(String, String, Option<Day>)> {
    let list = store.open_practices(filter, &ManualClock::at(NOW_MS)).unwrap();
    list.items
        .into_iter()
        .map(|item| (item.given_names, item.practice.details.template, item.practice.details.deadline))
        .collect()
}

#[test]
fn a_maternity_cheque_practice_started_from_its_template_carries_six_months_from_the_birth_to_home() {
    // 26 November 2026 in Rome; the baby was born on 31 May: six months end on 30 November.
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let mother = store
        .create_person(&PersonDetails { sex: Some(Sex::Female), ..person("Sow", "Fatou", Some(1996)) }, &clock)
        .unwrap();
    let born = PartialDate { year: 2026, month: Some(5), day: Some(31), estimated: false };
    let baby =
        store.create_person(&PersonDetails { birth_date: Some(born), ..person("Sow", "Awa", None) }, &clock).unwrap();
    store
        .add(mother, &HouseholdMemberDetails { member: baby, relation: Relation::Child, arrived_on: None }, &clock)
        .unwrap();

    let id = store.start_practice(mother, "maternity-cheque", &clock).unwrap();
    let practice = store.folder(mother, &clock).unwrap().practices.into_iter().find(|p| p.id == id).unwrap();
    assert_eq!(practice.details.status, PracticeStatus::Open);
    assert_eq!(practice.details.opened_on, Day::ymd(2026, 11, 26));
    assert_eq!(practice.details.deadline, Some(Day::ymd(2026, 11, 30)));
    assert_eq!(practice.details.in_charge, Some(store.operator().account_id));
    // Home shows the practice's deadline, not the birth's reminder any more.
    let due: Vec<_> = store.due_list(&clock).unwrap().items.into_iter().map(|i| i.reminder.deadline.kind).collect();
    assert_eq!(due, vec![DeadlineKind::PracticeDeadline]);
    assert_eq!(
        listed(&store, &PracticeFilter::default()),
        vec![("Fatou".into(), "maternity-cheque".into(), Some(Day::ymd(2026, 11, 30)))]
    );

    // Steps ticked; then submitted and accepted: it leaves the open practices and Home.
    let mut details = PracticeDetails { steps_done: vec!["check-isee-threshold".into()], ..practice.details };
    store.update(id, &details, &clock).unwrap();
    assert_eq!(
        store.open_practices(&PracticeFilter::default(), &clock).unwrap().items[0].practice.details.steps_done.len(),
        1
    );
    for status in [PracticeStatus::InProgress, PracticeStatus::Submitted, PracticeStatus::Accepted] {
        details.status = status;
        store.update(id, &details, &clock).unwrap();
    }
    assert!(listed(&store, &PracticeFilter::default()).is_empty());
    assert!(store.due_list(&clock).unwrap().items.is_empty());

    // An unknown template is refused naming the field, and nothing is written.
    let before = change_log::all_entries(&store.conn).unwrap().len();
    let error = store.start_practice(mother, "no-such-procedure", &clock).unwrap_err();
    assert_eq!(error.code(), crate::ErrorCode::InvalidInput);
    assert_eq!(change_log::all_entries(&store.conn).unwrap().len(), before);
}

#[test]
fn open_practices_are_listed_by_operator_in_charge_by_service_and_by_deadline() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Coordinator);
    let amina = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    let omar = store.create_person(&person("Haddad", "Omar", Some(1985)), &clock).unwrap();
    let practice = |template: &str, deadline: Option<Day>, in_charge: Option<Uuid>| PracticeDetails {
        template: template.into(),
        status: PracticeStatus::Open,
        opened_on: Day::ymd(2026, 11, 2),
        deadline,
        steps_done: Vec::new(),
        in_charge,
        ..PracticeDetails::example()
    };
    let me = store.operator().account_id;
    let colleague = Uuid::from_u128(42);
    store.add(amina, &practice("legal-consultancy", None, Some(me)), &clock).unwrap();
    store.add(amina, &practice("permit-renewal", Some(Day::ymd(2027, 1, 8)), Some(colleague)), &clock).unwrap();
    store.add(omar, &practice("permit-renewal", Some(Day::ymd(2026, 12, 1)), Some(me)), &clock).unwrap();
    store.add(omar, &practice("consultorio-referral", Some(Day::ymd(2026, 11, 30)), Some(me)), &clock).unwrap();
    let closed = PracticeDetails { status: PracticeStatus::Closed, ..practice("italian-test", None, Some(me)) };
    store.add(omar, &closed, &clock).unwrap();

    // Nearest deadline first, those without one last; closed ones never.
    let everyone = PracticeFilter::default();
    assert_eq!(
        listed(&store, &everyone),
        vec![
            ("Omar".into(), "consultorio-referral".into(), Some(Day::ymd(2026, 11, 30))),
            ("Omar".into(), "permit-renewal".into(), Some(Day::ymd(2026, 12, 1))),
            ("Amina".into(), "permit-renewal".into(), Some(Day::ymd(2027, 1, 8))),
            ("Amina".into(), "legal-consultancy".into(), None),
        ]
    );
    let mine = PracticeFilter { in_charge: Some(me), category: None };
    assert_eq!(listed(&store, &mine).len(), 3);
    let permits = PracticeFilter { in_charge: None, category: Some("residence_permit".into()) };
    assert_eq!(listed(&store, &permits).iter().map(|l| l.0.as_str()).collect::<Vec<_>>(), ["Omar", "Amina"]);
    let my_permits = PracticeFilter { in_charge: Some(me), category: Some("residence_permit".into()) };
    assert_eq!(listed(&store, &my_permits).len(), 1);

    // Another device lists the same from the entries alone; archived folders drop out.
    let mut other = store_as(Role::Coordinator);
    sync(&store, &mut other, &clock);
    assert_eq!(listed(&other, &everyone), listed(&store, &everyone));
    store.set_archived(omar, true, &clock).unwrap();
    assert_eq!(listed(&store, &everyone).len(), 2);
    store.set_archived(omar, false, &clock).unwrap();

    // The consultorio's practice is health content: not listed, not counted, for an operator,
    // who cannot start one either.
    let mut operator = as_role(store, Role::Operator);
    let list = operator.open_practices(&everyone, &clock).unwrap();
    assert_eq!((list.items.len(), list.more), (3, 0));
    assert!(operator.practice_templates().iter().all(|template| !template.health_restricted));
    let refused = operator.start_practice(amina, "consultorio-referral", &clock).unwrap_err();
    assert_eq!(refused.code(), crate::ErrorCode::NotPermitted);
    let statistics = as_role(operator, Role::StatisticsReader);
    assert_eq!(statistics.open_practices(&everyone, &clock).unwrap_err().code(), crate::ErrorCode::NotPermitted);
}

#[test]
fn the_agenda_lists_a_week_and_one_operators_appointments() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let amina = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    let me = store.operator().account_id;
    let at = |month: u32, day: u32, hour: u32| {
        LocalDateTime(crate::calendar::date(2026, month, day).and_hms_opt(hour, 0, 0).unwrap())
    };
    let desk = |when, operator| AppointmentDetails { at: when, cup: None, operator, ..AppointmentDetails::example() };
    // Monday 30 November to Sunday 6 December, across the month's end.
    store.add(amina, &desk(at(11, 29, 9), Some(me)), &clock).unwrap();
    store.add(amina, &desk(at(11, 30, 9), Some(me)), &clock).unwrap();
    store.add(amina, &desk(at(12, 6, 17), None), &clock).unwrap();
    store.add(amina, &desk(at(12, 7, 8), Some(me)), &clock).unwrap();
    let week = |operator| AgendaQuery { first: Day::ymd(2026, 11, 30), days: 7, operator };
    let hours =
        |items: Vec<AgendaItem>| items.into_iter().map(|i| i.appointment.details.at.0.hour()).collect::<Vec<_>>();
    assert_eq!(hours(store.appointments(&week(None)).unwrap()), vec![9, 17]);
    assert_eq!(hours(store.appointments(&week(Some(me))).unwrap()), vec![9]);
    // A moved appointment moves in the agenda.
    let moved = store.appointments(&week(Some(me))).unwrap().remove(0).appointment;
    store.update(moved.id, &AppointmentDetails { at: at(12, 8, 10), ..moved.details }, &clock).unwrap();
    assert!(store.appointments(&week(Some(me))).unwrap().is_empty());
    // No days, or more than a month, is a question the agenda refuses.
    for days in [0, MAX_AGENDA_DAYS + 1] {
        let error =
            store.appointments(&AgendaQuery { first: Day::ymd(2026, 11, 30), days, operator: None }).unwrap_err();
        assert_eq!(error.code(), crate::ErrorCode::InvalidInput);
    }
}
