//! The due list across folders: what it shows, to whom, and that it follows every change —
//! written here, pulled from another device, superseded, archived, merged.

use super::test_support::{NOW_MS, as_role, count, person, state, store_as, sync};
use super::*;
use crate::UserFacingError;
use crate::clock::ManualClock;
use crate::folder::document::{DocumentDetails, DocumentKind};
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::person::{PartialDate, PersonDetails, Sex};
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::{Day, Entity};
use crate::rules::deadlines::{DeadlineKind, Urgency};

/// A permit issued on `issued` that expires on `expires`.
fn permit(issued: Day, expires: Day) -> DocumentDetails {
    DocumentDetails { issued_on: Some(issued), expires_on: Some(expires), ..DocumentDetails::example() }
}

fn lines(store: &Store, clock: &ManualClock) -> Vec<(String, DeadlineKind, i64)> {
    let due = store.due_list(clock).unwrap();
    due.items.into_iter().map(|item| (item.given_names, item.reminder.deadline.kind, item.reminder.days_left)).collect()
}

#[test]
fn the_due_list_shows_what_falls_due_across_folders_overdue_first_and_follows_every_change() {
    // 26 November 2026 in Rome.
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let amina = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    let omar = store.create_person(&person("Haddad", "Omar", Some(1985)), &clock).unwrap();
    store.create_person(&person("Rossi", "Nessuno", Some(1970)), &clock).unwrap();
    // Amina's permit expired on 16 November: overdue. Omar's expires on 5 January: its window
    // opened on 6 November.
    let old_permit = store.add(amina, &permit(Day::ymd(2024, 11, 17), Day::ymd(2026, 11, 16)), &clock).unwrap();
    store.add(omar, &permit(Day::ymd(2025, 1, 6), Day::ymd(2027, 1, 5)), &clock).unwrap();
    assert_eq!(
        lines(&store, &clock),
        vec![("Amina".into(), DeadlineKind::PermitRenewal, -10), ("Omar".into(), DeadlineKind::PermitRenewal, 40),],
        "overdue first; nobody's permit irregularity point is near yet; nothing for who has nothing due"
    );
    assert_eq!(store.due_list(&clock).unwrap().items[0].reminder.urgency, Urgency::Overdue);

    // Amina's permit is renewed: the old one leaves the list (a first renewal asks for the
    // residence declaration only when she has a residence).
    store.add(amina, &permit(Day::ymd(2026, 11, 20), Day::ymd(2028, 11, 19)), &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Omar".into(), DeadlineKind::PermitRenewal, 40)]);
    // Deleting the renewal brings the old permit back: the list is the rules' answer for the
    // rows as they are now.
    let renewal = store.folder(amina, &clock).unwrap().documents.iter().find(|d| d.id != old_permit).unwrap().id;
    store.delete(Entity::Document, renewal, &clock).unwrap();
    assert_eq!(lines(&store, &clock).len(), 2);

    // An archived folder is out of the daily lists.
    store.set_archived(omar, true, &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Amina".into(), DeadlineKind::PermitRenewal, -10)]);
    store.set_archived(omar, false, &clock).unwrap();
    assert_eq!(lines(&store, &clock).len(), 2);

    // Another device, from the entries alone, lists the same; a folder merged into another
    // lists its deadlines once, under the surviving folder.
    let mut other = store_as(Role::Operator);
    sync(&store, &mut other, &clock);
    assert_eq!(lines(&other, &clock), lines(&store, &clock));
    store.merge_folders(amina, omar, &clock).unwrap();
    // One person now, with two permits: the newer one (Omar's, as recorded) is chased.
    let merged = lines(&store, &clock);
    assert_eq!(merged, vec![("Amina".into(), DeadlineKind::PermitRenewal, 40)]);
    sync(&store, &mut other, &clock);
    assert_eq!(lines(&other, &clock), merged);
    store.undo_merge(omar, &clock).unwrap();
    assert_eq!(lines(&store, &clock).len(), 2);
    assert!(lines(&store, &clock).iter().any(|(name, ..)| name == "Omar"));

    // Tomorrow is another day: the same rows, one day closer.
    clock.advance(std::time::Duration::from_secs(24 * 3600));
    assert_eq!(lines(&store, &clock)[0].2, -11);
}

#[test]
fn a_health_restricted_practices_deadline_is_listed_only_to_roles_that_read_it() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::HealthLiaison);
    let folder = store.create_person(&person("Sow", "Fatou", Some(1996)), &clock).unwrap();
    let consultorio = PracticeDetails {
        template: "consultorio-referral".into(),
        status: PracticeStatus::Open,
        deadline: Some(Day::ymd(2026, 12, 1)),
        steps_done: Vec::new(),
        ..PracticeDetails::example()
    };
    store.add(folder, &consultorio, &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Fatou".into(), DeadlineKind::PracticeDeadline, 5)]);
    let mediator = as_role(store, Role::Mediator);
    let due = mediator.due_list(&clock).unwrap();
    assert!(due.items.is_empty() && due.more == 0, "not even counted: {due:?}");
    let statistics = as_role(mediator, Role::StatisticsReader);
    assert_eq!(statistics.due_list(&clock).unwrap_err().code(), crate::ErrorCode::NotPermitted);
}

#[test]
fn a_childs_birth_recorded_in_her_own_folder_puts_the_maternity_cheque_on_her_mothers_line() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let mother = store
        .create_person(&PersonDetails { sex: Some(Sex::Female), ..person("Sow", "Fatou", Some(1996)) }, &clock)
        .unwrap();
    let baby = store.create_person(&person("Sow", "Awa", None), &clock).unwrap();
    store
        .add(mother, &HouseholdMemberDetails { member: baby, relation: Relation::Child, arrived_on: None }, &clock)
        .unwrap();
    assert!(lines(&store, &clock).is_empty(), "no birth date yet");
    // The birth date is written in the child's folder, not the mother's.
    let born = PartialDate { year: 2026, month: Some(6), day: Some(10), estimated: false };
    store.update_person(baby, &PersonDetails { birth_date: Some(born), ..person("Sow", "Awa", None) }, &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Fatou".into(), DeadlineKind::MaternityCheque, 14)]);
    // The request, opened as a practice, takes the reminder's place.
    let request = PracticeDetails {
        template: "maternity-cheque".into(),
        opened_on: Day::ymd(2026, 11, 26),
        deadline: None,
        steps_done: Vec::new(),
        ..PracticeDetails::example()
    };
    store.add(mother, &request, &clock).unwrap();
    assert!(lines(&store, &clock).is_empty());
}

#[test]
fn for_an_adopted_child_the_maternity_cheque_runs_from_the_day_the_child_arrived() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let mother = store
        .create_person(&PersonDetails { sex: Some(Sex::Female), ..person("Sow", "Fatou", Some(1990)) }, &clock)
        .unwrap();
    // Born seven years ago: the cheque for her birth lapsed long ago, no line for it.
    let born = PartialDate { year: 2019, month: Some(3), day: Some(31), estimated: false };
    let child = store
        .create_person(&PersonDetails { birth_date: Some(born), ..person("Sow", "Mariam", None) }, &clock)
        .unwrap();
    let adopted = HouseholdMemberDetails { member: child, relation: Relation::Child, arrived_on: None };
    let row = store.add(mother, &adopted, &clock).unwrap();
    assert!(lines(&store, &clock).is_empty());
    // She came into the family on 31 May: six months end on 30 November (a month end), four
    // days after today.
    let arrived = HouseholdMemberDetails { arrived_on: Some(Day::ymd(2026, 5, 31)), ..adopted.clone() };
    store.update(row, &arrived, &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Fatou".into(), DeadlineKind::MaternityCheque, 4)]);
    // Missed by 16 days, it is still listed, overdue, for the desk to tell the family; by 38,
    // it is gone.
    let missed = HouseholdMemberDetails { arrived_on: Some(Day::ymd(2026, 5, 10)), ..adopted.clone() };
    store.update(row, &missed, &clock).unwrap();
    assert_eq!(lines(&store, &clock), vec![("Fatou".into(), DeadlineKind::MaternityCheque, -16)]);
    let lapsed = HouseholdMemberDetails { arrived_on: Some(Day::ymd(2026, 4, 19)), ..adopted.clone() };
    store.update(row, &lapsed, &clock).unwrap();
    assert!(lines(&store, &clock).is_empty());
    // An arrival in the future is refused naming the field, and nothing changes.
    let before = (state(&store.conn), count(&store.conn, "changes"));
    let tomorrow = HouseholdMemberDetails { arrived_on: Some(Day::ymd(2026, 11, 27)), ..adopted };
    assert!(matches!(
        store.update(row, &tomorrow, &clock),
        Err(StoreError::Invalid(crate::folder::Invalid { field: "field-arrived-on", .. }))
    ));
    assert_eq!((state(&store.conn), count(&store.conn, "changes")), before);
}

#[test]
fn the_list_holds_at_most_its_limit_and_counts_the_rest() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    store
        .in_one_transaction(|store| {
            for n in 0..DUE_LIST_LIMIT + 5 {
                let id = store.create_person(&person("Persona", &format!("N{n}"), Some(1990)), &clock)?;
                let isee = DocumentDetails {
                    kind: DocumentKind::Isee,
                    issued_on: Some(Day::ymd(2026, 1, 10)),
                    expires_on: Some(Day::ymd(2026, 12, 1)),
                    ..DocumentDetails::example()
                };
                store.add(id, &isee, &clock)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let due = store.due_list(&clock).unwrap();
    assert_eq!((due.items.len(), due.more), (DUE_LIST_LIMIT, 5));
    assert!(due.items.iter().all(|item| item.reminder.deadline.due == Day::ymd(2026, 12, 1)));
}

#[test]
fn a_days_appointments_are_listed_across_folders_earliest_first_cup_bookings_only_to_the_health_side() {
    use crate::folder::LocalDateTime;
    use crate::folder::appointment::AppointmentDetails;
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Coordinator);
    let amina = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    let omar = store.create_person(&person("Haddad", "Omar", Some(1985)), &clock).unwrap();
    let at =
        |day: u32, hour: u32| LocalDateTime(crate::calendar::date(2026, 12, day).and_hms_opt(hour, 30, 0).unwrap());
    let desk = |when| AppointmentDetails {
        at: when,
        cup: None,
        purpose: Some("Rinnovo".into()),
        ..AppointmentDetails::example()
    };
    let cup = |when| AppointmentDetails { at: when, ..AppointmentDetails::example() };
    store.add(omar, &desk(at(3, 11)), &clock).unwrap();
    store.add(amina, &cup(at(3, 9)), &clock).unwrap();
    store.add(amina, &desk(at(4, 9)), &clock).unwrap();
    // The last minute of the day before and midnight after are not that day.
    store
        .add(omar, &desk(LocalDateTime(crate::calendar::date(2026, 12, 2).and_hms_opt(23, 59, 0).unwrap())), &clock)
        .unwrap();
    store
        .add(omar, &desk(LocalDateTime(crate::calendar::date(2026, 12, 4).and_hms_opt(0, 0, 0).unwrap())), &clock)
        .unwrap();
    let listed = |store: &Store| -> Vec<(String, u32)> {
        use crate::calendar::Timelike;
        store
            .appointments_on(Day::ymd(2026, 12, 3))
            .unwrap()
            .into_iter()
            .map(|item| (item.given_names, item.appointment.details.at.0.hour()))
            .collect()
    };
    assert_eq!(listed(&store), vec![("Amina".into(), 9), ("Omar".into(), 11)]);
    // Another device lists the same from the entries alone.
    let mut other = store_as(Role::Coordinator);
    sync(&store, &mut other, &clock);
    assert_eq!(listed(&other), listed(&store));
    // An archived folder's appointments leave the list; a CUP booking is health content.
    store.set_archived(omar, true, &clock).unwrap();
    assert_eq!(listed(&store), vec![("Amina".into(), 9)]);
    store.set_archived(omar, false, &clock).unwrap();
    let operator = as_role(store, Role::Operator);
    assert_eq!(listed(&operator), vec![("Omar".into(), 11)]);
}

#[test]
fn the_renewal_window_is_a_setting_with_the_sourced_default_of_sixty_days() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let amina = store.create_person(&person("Diallo", "Amina", Some(1990)), &clock).unwrap();
    // Expires on 14 February 2027, 80 days after 26 November 2026.
    store.add(amina, &permit(Day::ymd(2025, 2, 15), Day::ymd(2027, 2, 14)), &clock).unwrap();
    assert!(lines(&store, &clock).is_empty(), "60 days by default: not yet");
    let ninety = store.due_list_with_renewal_window(&clock, 90).unwrap();
    assert_eq!(ninety.items.len(), 1);
    let reminder = &ninety.items[0].reminder;
    assert_eq!((reminder.deadline.kind, reminder.days_left), (DeadlineKind::PermitRenewal, 80));
    assert_eq!(reminder.deadline.from, Some(Day::ymd(2026, 11, 16)), "the window opened 90 days before");
    assert!(store.due_list_with_renewal_window(&clock, 79).unwrap().items.is_empty());
    assert_eq!(store.due_list_with_renewal_window(&clock, 80).unwrap().items.len(), 1, "from the window's first day");
}
