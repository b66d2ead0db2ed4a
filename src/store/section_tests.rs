//! The whole case-folder model through the store: every section written, read, changed and
//! deleted; restricted rows, attachments, households, archive, erasure, and entries from
//! other devices.

use std::time::Duration;

use rusqlite::Connection;

use super::test_support::{EntityRow, FieldRow, NOW_MS, as_role, count, person, restricted_reads, state, store_as};
use super::*;
use crate::clock::ManualClock;
use crate::folder::appointment::AppointmentDetails;
use crate::folder::consent::ConsentDetails;
use crate::folder::contact::ContactDetails;
use crate::folder::document::{DocumentDetails, DocumentKind};
use crate::folder::household::{HouseholdMemberDetails, Relation};
use crate::folder::need::NeedDetails;
use crate::folder::note::{Confidentiality, NoteDetails};
use crate::folder::person::{PersonDetails, StpEniCode};
use crate::folder::practice::{PracticeDetails, PracticeStatus};
use crate::folder::referral::{ReferralDetails, ReferralTarget};
use crate::folder::{Day, Entity, Problem, Row, Section};
use crate::store::change_log::ChangeEntry;
use crate::{ErrorCode, UserFacingError};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";

/// Everything the store holds about case data, to check that a refused call changed nothing.
type Everything = ((Vec<FieldRow>, Vec<EntityRow>), i64, i64, i64);

fn everything(conn: &Connection) -> Everything {
    (state(conn), count(conn, "changes"), count(conn, "audit_log"), count(conn, "attachment_blobs"))
}

#[test]
fn every_section_reads_back_as_validated_and_opens_with_the_folder() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Coordinator);
    let head = store.create_person(&person("Diallo", "Aminata", Some(1990)), &clock).unwrap();
    let child = store.create_person(&person("Diallo", "Moussa", Some(2015)), &clock).unwrap();
    let today = crate::clock::today_in_rome(&clock);

    let member = store
        .add(head, &HouseholdMemberDetails { member: child, relation: Relation::Child, arrived_on: None }, &clock)
        .unwrap();
    let document = store.add(head, &DocumentDetails::example(), &clock).unwrap();
    let consent = store.add(head, &ConsentDetails::example(), &clock).unwrap();
    let need = store.add(head, &NeedDetails::example(), &clock).unwrap();
    let practice =
        store.add(head, &PracticeDetails { need: Some(need), ..PracticeDetails::example() }, &clock).unwrap();
    let appointment = store.add(head, &AppointmentDetails::example(), &clock).unwrap();
    let contact = store.add(head, &ContactDetails::example(), &clock).unwrap();
    let referral = store.add(head, &ReferralDetails::example(), &clock).unwrap();
    let note = store.add(head, &NoteDetails::example(), &clock).unwrap();
    let scan = store.add_attachment(head, Some(document), "permesso.pdf", PDF, 1_000_000, &clock).unwrap();

    clock.advance(Duration::from_secs(5));
    let folder = store.folder(head, &clock).unwrap();
    assert_eq!(
        folder.household,
        vec![Row {
            id: member,
            details: HouseholdMemberDetails { member: child, relation: Relation::Child, arrived_on: None }
        }]
    );
    assert_eq!(
        folder.documents,
        vec![Row { id: document, details: DocumentDetails::example().validated(today).unwrap() }]
    );
    assert_eq!(folder.needs[0].id, need);
    assert_eq!(folder.practices[0].id, practice);
    assert_eq!(folder.appointments[0].id, appointment);
    assert_eq!(folder.referrals[0].id, referral);
    assert_eq!(folder.notes[0].id, note);
    assert_eq!(folder.consents[0].id, consent);
    assert_eq!(folder.consents[0].details.recorded_by, Some(store.operator().id), "the store names who recorded it");
    assert_eq!(folder.contacts[0].id, contact);
    assert_eq!(folder.contacts[0].details.recorded_by, Some(store.operator().id));
    assert_eq!(folder.attachments[0].id, scan);
    assert_eq!(folder.attachments[0].details.content_type, "application/pdf");
    assert_eq!(folder.attachments[0].details.document, Some(document));
    assert_eq!(store.attachment_bytes(scan, &clock).unwrap(), PDF);
    assert!(!folder.archived);
    assert_eq!(store.folder(child, &clock).unwrap().member_of, vec![head], "the child knows its household");

    let last = store.folder_accesses(head).unwrap().into_iter().rev().nth(1).unwrap();
    assert_eq!((last.action, last.section.as_str(), last.at_ms), (AuditAction::Read, "folder", NOW_MS + 5_000));
}

#[test]
fn an_update_writes_only_what_changed_and_keeps_who_recorded_the_row() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let folder = store.create_person(&person("Khan", "Imran", Some(1988)), &clock).unwrap();
    let contact = store.add(folder, &ContactDetails::example(), &clock).unwrap();
    let before = count(&store.conn, "changes");
    let recorder = store.operator().id;
    let mut other = as_role(store, Role::Mediator);
    let longer = ContactDetails { duration_minutes: 55, recorded_by: Some(Uuid::nil()), ..ContactDetails::example() };
    other.update(contact, &longer, &clock).unwrap();
    assert_eq!(count(&other.conn, "changes"), before + 1, "only the duration changed");
    let stored = other.rows::<ContactDetails>(folder, &clock).unwrap();
    assert_eq!(stored[0].details.duration_minutes, 55);
    assert_eq!(stored[0].details.recorded_by, Some(recorder), "a caller cannot rewrite who recorded it");
    // Clearing an optional field writes it as empty.
    other.update(contact, &ContactDetails { mediator: None, ..longer }, &clock).unwrap();
    assert_eq!(other.rows::<ContactDetails>(folder, &clock).unwrap()[0].details.mediator, None);
}

#[test]
fn refused_input_in_any_section_changes_nothing() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Coordinator);
    let folder = store.create_person(&person("Popescu", "Ioana", Some(1979)), &clock).unwrap();
    let practice = store.add(folder, &PracticeDetails::example(), &clock).unwrap();
    let before = everything(&store.conn);
    let invalid = |error: StoreError| match error {
        StoreError::Invalid(invalid) => (invalid.field, invalid.problem),
        other => panic!("not a validation error: {other:?}"),
    };

    let expired_first = DocumentDetails { expires_on: Some(Day::ymd(2020, 1, 1)), ..DocumentDetails::example() };
    assert_eq!(
        invalid(store.add(folder, &expired_first, &clock).unwrap_err()),
        ("field-expires-on", Problem::BeforeStart)
    );
    let tomorrow = ContactDetails { on: Day::ymd(2026, 11, 27), ..ContactDetails::example() };
    assert_eq!(invalid(store.add(folder, &tomorrow, &clock).unwrap_err()), ("field-on", Problem::InFuture));
    let endless = ContactDetails { duration_minutes: 0, ..ContactDetails::example() };
    assert_eq!(invalid(store.add(folder, &endless, &clock).unwrap_err()).1, Problem::OutOfRange);
    let stranger = HouseholdMemberDetails { member: Uuid::now_v7(), relation: Relation::Partner, arrived_on: None };
    assert_eq!(invalid(store.add(folder, &stranger, &clock).unwrap_err()), ("field-member", Problem::UnknownValue));
    let own_member = HouseholdMemberDetails { member: folder, relation: Relation::Partner, arrived_on: None };
    assert_eq!(invalid(store.add(folder, &own_member, &clock).unwrap_err()).0, "field-member");
    let jumped = PracticeDetails { status: PracticeStatus::Accepted, ..PracticeDetails::example() };
    assert_eq!(
        invalid(store.update(practice, &jumped, &clock).unwrap_err()),
        ("field-status", Problem::ChangeNotAllowed)
    );
    assert_eq!(store.add(Uuid::now_v7(), &NoteDetails::example(), &clock).unwrap_err().code(), ErrorCode::NotFound);

    let too_large = store.add_attachment(folder, None, "scan.pdf", PDF, 10, &clock).unwrap_err();
    assert_eq!(too_large.code(), ErrorCode::AttachmentRefused);
    let message = crate::ErrorPayload::localized(&too_large, &crate::Localizer::new(), crate::Locale::It).message;
    assert!(message.contains("MB"), "{message}");
    let renamed_program = store.add_attachment(folder, None, "permesso.pdf", b"MZ\x90\x00\x03\x00", 1_000_000, &clock);
    assert_eq!(renamed_program.unwrap_err().code(), ErrorCode::AttachmentRefused);
    let wrong_document = store.add_attachment(folder, Some(Uuid::now_v7()), "scan.pdf", PDF, 1_000_000, &clock);
    assert_eq!(invalid(wrong_document.unwrap_err()).0, "field-document");

    assert_eq!(everything(&store.conn), before);
    // The workflow taken step by step is fine.
    for status in [PracticeStatus::InProgress, PracticeStatus::Submitted, PracticeStatus::Accepted] {
        store.update(practice, &PracticeDetails { status, ..PracticeDetails::example() }, &clock).unwrap();
    }
}

#[test]
fn health_restricted_rows_never_leave_the_store_for_a_mediator() {
    let clock = ManualClock::at(NOW_MS);
    let mut liaison = store_as(Role::HealthLiaison);
    let folder = liaison.create_person(&person("Khan", "Ayesha", Some(1990)), &clock).unwrap();
    let consultorio = ReferralDetails { target: ReferralTarget::Consultorio, ..ReferralDetails::example() };
    let referral = liaison.add(folder, &consultorio, &clock).unwrap();
    liaison.add(folder, &ReferralDetails::example(), &clock).unwrap();
    let health_note = NoteDetails { text: "Gravidanza".into(), confidentiality: Confidentiality::HealthRestricted };
    let note = liaison.add(folder, &health_note, &clock).unwrap();
    let consultorio_practice = PracticeDetails {
        template: "consultorio-referral".into(),
        steps_done: vec!["consent-to-share".into()],
        ..PracticeDetails::example()
    };
    liaison.add(folder, &consultorio_practice, &clock).unwrap();
    liaison.add(folder, &PracticeDetails::example(), &clock).unwrap();
    let cup = AppointmentDetails::example();
    assert!(cup.cup.is_some(), "the example appointment is a CUP booking");
    liaison.add(folder, &cup, &clock).unwrap();
    liaison.add(folder, &AppointmentDetails { cup: None, ..cup.clone() }, &clock).unwrap();
    let health_need = NeedDetails {
        description: Some("Terapia per il diabete".into()),
        confidentiality: Confidentiality::HealthRestricted,
        ..NeedDetails::example()
    };
    liaison.add(folder, &health_need, &clock).unwrap();
    liaison.add(folder, &NeedDetails::example(), &clock).unwrap();
    let full = liaison.folder(folder, &clock).unwrap();
    assert_eq!((full.referrals.len(), full.practices.len(), full.appointments.len()), (2, 2, 2));
    assert_eq!(full.needs.len(), 2);

    let mut mediator = as_role(liaison, Role::Mediator);
    let seen = mediator.folder(folder, &clock).unwrap();
    assert_eq!(seen.referrals.len(), 1);
    assert_eq!(seen.referrals[0].details.target, ReferralTarget::AdultSchool);
    assert!(seen.notes.is_empty());
    assert_eq!(seen.practices.len(), 1, "the consultorio's practice is health content");
    assert_eq!(seen.practices[0].details.template, PracticeDetails::example().template);
    assert_eq!(seen.appointments.len(), 1, "a CUP booking is health content");
    assert!(seen.appointments[0].details.cup.is_none());
    assert_eq!(seen.needs.len(), 1, "a need marked as health content");
    assert_eq!(seen.needs[0].details.confidentiality, Confidentiality::Normal);
    assert!(mediator.rows::<ReferralDetails>(folder, &clock).unwrap().iter().all(|r| !r.details.health_restricted()));
    for refused in [
        mediator.add(folder, &consultorio, &clock).unwrap_err(),
        mediator.add(folder, &consultorio_practice, &clock).unwrap_err(),
        mediator.add(folder, &cup, &clock).unwrap_err(),
        mediator.add(folder, &health_need, &clock).unwrap_err(),
        mediator.update(referral, &ReferralDetails::example(), &clock).unwrap_err(),
        mediator.delete(Entity::Referral, referral, &clock).unwrap_err(),
        mediator.delete(Entity::Note, note, &clock).unwrap_err(),
    ] {
        assert_eq!(refused.code(), ErrorCode::NotPermitted);
    }
    let reads = restricted_reads(&mediator, folder);
    assert_eq!(reads, vec![true, false, false]);
}

#[test]
fn search_finds_document_numbers_and_stp_eni_codes_and_archived_folders() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let coded = PersonDetails {
        stp: Some(StpEniCode {
            code: "STP1601010004711".into(),
            issued_on: Day::ymd(2026, 9, 1),
            expires_on: Day::ymd(2027, 3, 1),
        }),
        ..person("Sow", "Fatou", Some(1996))
    };
    let folder = store.create_person(&coded, &clock).unwrap();
    store.create_person(&person("Sow", "Ibrahima", Some(1993)), &clock).unwrap();
    let passport =
        DocumentDetails { kind: DocumentKind::Passport, number: Some("a0987654".into()), ..DocumentDetails::example() };
    let document = store.add(folder, &passport, &clock).unwrap();
    let ids =
        |query: &str| -> Vec<Uuid> { store.search_people(query, None, 5).unwrap().into_iter().map(|h| h.id).collect() };
    assert_eq!(ids("STP1601010004711"), vec![folder]);
    assert_eq!(ids("A0987654"), vec![folder]);
    let mut store = store;
    store.delete(Entity::Document, document, &clock).unwrap();
    assert!(store.search_people("A0987654", None, 5).unwrap().is_empty(), "a deleted document is not found");

    let hit = &store.find_people("Fatou", None, 5, Archived::Hidden).unwrap()[0];
    assert_eq!(hit.stp_eni_code.as_deref(), Some("STP1601010004711"));
    assert_eq!((hit.birth_year, hit.open_practices), (Some(1996), 0));
    let practice = store.add(folder, &PracticeDetails::example(), &clock).unwrap();
    store
        .add(folder, &PracticeDetails { status: PracticeStatus::Closed, ..PracticeDetails::example() }, &clock)
        .unwrap();
    assert_eq!(store.find_people("Fatou", None, 5, Archived::Hidden).unwrap()[0].open_practices, 1);
    store.delete(Entity::Practice, practice, &clock).unwrap();
    assert_eq!(store.find_people("Fatou", None, 5, Archived::Hidden).unwrap()[0].open_practices, 0);

    store.set_archived(folder, true, &clock).unwrap();
    assert!(store.find_people("Fatou", None, 5, Archived::Hidden).unwrap().is_empty(), "archived: hidden");
    assert!(store.find_people("STP1601010004711", None, 5, Archived::Hidden).unwrap().is_empty());
    assert!(store.find_people("fa", None, 5, Archived::Hidden).unwrap().iter().all(|hit| hit.id != folder));
    let hit = store.find_people("Fatou", None, 5, Archived::Included).unwrap();
    assert_eq!((hit[0].id, hit[0].archived), (folder, true), "an archived folder is found when asked, marked");
    assert!(store.folder(folder, &clock).unwrap().archived);
    let duplicates =
        store.possible_duplicates(&PersonDetails { stp: coded.stp.clone(), ..person("Diop", "Awa", None) });
    assert_eq!(duplicates.unwrap()[0].id, folder, "the same STP code is a possible duplicate");
}

#[test]
fn erasing_a_folder_removes_every_value_but_keeps_the_log_gapless_and_audited() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Administrator);
    let folder = store.create_person(&person("Hoxha", "Arben", Some(1980)), &clock).unwrap();
    let kept = store.create_person(&person("Rossi", "Maria", Some(1970)), &clock).unwrap();
    store
        .add(folder, &NoteDetails { text: "ZQXERASE".into(), confidentiality: Confidentiality::Normal }, &clock)
        .unwrap();
    store.add_attachment(folder, None, "ZQXERASE.pdf", PDF, 1_000_000, &clock).unwrap();
    let entries_before = count(&store.conn, "changes");
    // A laptop that already holds the folder, and learns of the erasure later.
    let mut laptop = store_as(Role::Operator);
    laptop.apply_entries(&store.change_log().unwrap(), &clock).unwrap();

    let mut operator = as_role(store, Role::Coordinator);
    assert_eq!(operator.erase_folder(folder, &clock).unwrap_err().code(), ErrorCode::NotPermitted);
    let mut store = as_role(operator, Role::Administrator);
    store.erase_folder(folder, &clock).unwrap();

    assert_eq!(store.person(folder, &clock).unwrap_err().code(), ErrorCode::NotFound);
    assert!(store.search_people("Hoxha", None, 5).unwrap().is_empty());
    assert_eq!(store.search_people("Rossi", None, 5).unwrap()[0].id, kept);
    assert_eq!(count(&store.conn, "attachment_blobs"), 0, "the scan is gone");
    let text_left: i64 = store
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM changes WHERE value LIKE '%ZQXERASE%' OR value LIKE '%Hoxha%')
                  + (SELECT count(*) FROM field_values WHERE value LIKE '%ZQXERASE%' OR value LIKE '%Hoxha%')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(text_left, 0);
    let entries = change_log::all_entries(&store.conn).unwrap();
    assert_eq!(entries.len() as i64, entries_before + 1, "history keeps its sequence numbers, plus the erasure");
    assert_eq!(entries.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=entries.len() as u64).collect::<Vec<_>>());
    let last = store.folder_accesses(folder).unwrap().pop().unwrap();
    assert_eq!((last.action, last.operator_id), (AuditAction::Erase, store.operator().id));

    // A replica that takes the log in reverse ends in the same state.
    let mut replica = Connection::open_in_memory().unwrap();
    migrations::migrate(&mut replica).unwrap();
    let mut reversed = entries.clone();
    reversed.reverse();
    change_log::apply(&replica, &reversed).unwrap();
    assert_eq!(state(&replica), state(&store.conn));
    assert_eq!(store.erase_folder(folder, &clock).unwrap_err().code(), ErrorCode::NotFound);

    laptop.apply_entries(&store.change_log().unwrap(), &clock).unwrap();
    assert_eq!(state(&laptop.conn), state(&store.conn), "the pulled erasure blanks the laptop's copy too");
    assert_eq!(count(&laptop.conn, "attachment_blobs"), 0);
    let left_on_laptop: i64 = laptop
        .conn
        .query_row("SELECT count(*) FROM changes WHERE value LIKE '%ZQXERASE%'", [], |row| row.get(0))
        .unwrap();
    assert_eq!(left_on_laptop, 0);
}

#[test]
fn entries_from_another_device_apply_once_and_a_future_clock_is_refused() {
    let clock = ManualClock::at(NOW_MS);
    let mut office = store_as(Role::Operator);
    let folder = office.create_person(&person("Ben Ali", "Mohamed", Some(1991)), &clock).unwrap();
    office.add(folder, &ContactDetails::example(), &clock).unwrap();
    let entries = office.change_log().unwrap();

    let mut laptop = store_as(Role::Operator);
    assert_eq!(laptop.apply_entries(&entries, &clock).unwrap(), entries.len());
    assert_eq!(laptop.apply_entries(&entries, &clock).unwrap(), 0, "a repeated delivery changes nothing");
    assert_eq!(state(&laptop.conn), state(&office.conn));
    assert_eq!(laptop.highest_seq(office.device_id()).unwrap(), entries.len() as u64);
    assert_eq!(laptop.search_people("Mohamed", None, 5).unwrap()[0].id, folder);
    // The laptop's own writes come after what it has seen.
    laptop.add(folder, &NoteDetails::example(), &clock).unwrap();
    let own = laptop.change_log().unwrap().into_iter().find(|e| e.device_id == laptop.device_id()).unwrap();
    assert!(own.hlc > entries.last().unwrap().hlc);

    let mut ahead = entries.last().unwrap().clone();
    ahead.seq += 1;
    ahead.hlc.wall_ms = NOW_MS + 60 * 60 * 1000;
    let before = everything(&laptop.conn);
    let error = laptop.apply_entries(&[ahead], &clock).unwrap_err();
    assert_eq!(error.code(), ErrorCode::ClockDrift);
    assert_eq!(everything(&laptop.conn), before);
}

#[test]
fn crafted_entries_are_skipped_and_the_rest_of_the_page_still_applies() {
    let clock = ManualClock::at(NOW_MS);
    let mut office = store_as(Role::Operator);
    let first = office.create_person(&person("Ben Ali", "Mohamed", Some(1991)), &clock).unwrap();
    let second = office.create_person(&person("Kaur", "Simran", Some(1988)), &clock).unwrap();
    let contact = office.add(first, &ContactDetails::example(), &clock).unwrap();
    let entries = office.change_log().unwrap();
    let mut laptop = store_as(Role::Operator);
    laptop.apply_entries(&entries, &clock).unwrap();
    let before = state(&laptop.conn);

    // Another device's entries, each crafted from a real one.
    let intruder = Uuid::now_v7();
    let forged = |n: u64, change: &dyn Fn(&mut ChangeEntry)| {
        let mut entry = entries.iter().find(|e| e.field == "duration_minutes").unwrap().clone();
        (entry.device_id, entry.seq, entry.op_id, entry.hlc.device) = (intruder, n, Uuid::now_v7(), intruder);
        entry.hlc.wall_ms = NOW_MS + n;
        entry.base = None;
        change(&mut entry);
        entry
    };
    let copy_of_another = forged(1, &|entry| entry.op_id = entries[0].op_id);
    let someone_elses_clock = forged(2, &|entry| entry.hlc.device = office.device_id());
    let row_of_another_folder = forged(3, &|entry| entry.folder_id = second);
    let person_outside_its_folder = forged(4, &|entry| {
        (entry.entity, entry.row_id, entry.folder_id, entry.field) =
            (Entity::Person, first, second, "family_name".into());
        entry.value = serde_json::json!("Impostore");
    });
    let honest = forged(5, &|entry| entry.value = serde_json::json!(25));
    let page = [copy_of_another, someone_elses_clock, row_of_another_folder, person_outside_its_folder, honest.clone()];
    assert_eq!(laptop.apply_entries(&page, &clock).unwrap(), 1, "only the honest entry is new");
    assert_ne!(state(&laptop.conn), before);
    let contacts = laptop.rows::<ContactDetails>(first, &clock).unwrap();
    assert_eq!((contacts.len(), contacts[0].id), (1, contact));
    assert_eq!(contacts[0].details.duration_minutes, 25);
    assert!(laptop.rows::<ContactDetails>(second, &clock).unwrap().is_empty());
    assert_eq!(laptop.person(first, &clock).unwrap().details.family_name, "Ben Ali");
    assert_eq!(count(&laptop.conn, "changes"), entries.len() as i64 + 1);
}

#[test]
fn a_failed_step_rolls_back_the_whole_transaction() {
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let before = everything(&store.conn);
    let result = store.in_one_transaction(|store| {
        let folder = store.create_person(&person("Rossi", "Mario", None), &clock)?;
        store.add(folder, &NoteDetails::example(), &clock)?;
        store.add(folder, &NoteDetails { text: " ".into(), ..NoteDetails::example() }, &clock)
    });
    assert_eq!(result.unwrap_err().code(), ErrorCode::InvalidInput);
    assert_eq!(everything(&store.conn), before);
    let folder =
        store.in_one_transaction(|store| store.create_person(&person("Rossi", "Mario", None), &clock)).unwrap();
    assert!(store.person(folder, &clock).is_ok());
}

#[test]
fn a_mothers_deadlines_include_her_childs_maternity_cheque_and_her_permit() {
    use crate::folder::person::Sex;
    use crate::rules::deadlines::DeadlineKind;
    let clock = ManualClock::at(NOW_MS);
    let mut store = store_as(Role::Operator);
    let mother = PersonDetails { sex: Some(Sex::Female), ..person("Sow", "Fatou", Some(1996)) };
    let mother = store.create_person(&mother, &clock).unwrap();
    let born = crate::folder::person::PartialDate { year: 2026, month: Some(9), day: Some(30), estimated: false };
    let baby = PersonDetails { birth_date: Some(born), ..person("Sow", "Awa", None) };
    let baby = store.create_person(&baby, &clock).unwrap();
    store
        .add(mother, &HouseholdMemberDetails { member: baby, relation: Relation::Child, arrived_on: None }, &clock)
        .unwrap();
    store.add(mother, &DocumentDetails::example(), &clock).unwrap();
    let due: Vec<(DeadlineKind, Day)> =
        store.folder_deadlines(mother, &clock).unwrap().into_iter().map(|d| (d.kind, d.due)).collect();
    // Soonest first: the permit (expires 09/03/2027), the cheque (six months after 30/09/2026),
    // the irregularity point (60 days after expiry).
    assert_eq!(
        due,
        vec![
            (DeadlineKind::PermitRenewal, Day::ymd(2027, 3, 9)),
            (DeadlineKind::MaternityCheque, Day::ymd(2027, 3, 30)),
            (DeadlineKind::PermitIrregular, Day::ymd(2027, 5, 8)),
        ]
    );
}

#[test]
fn a_version_written_restricted_stays_out_of_a_mediators_history_after_the_row_is_made_ordinary() {
    let clock = ManualClock::at(NOW_MS);
    let mut liaison = store_as(Role::HealthLiaison);
    let folder = liaison.create_person(&person("Akter", "Rumana", Some(1991)), &clock).unwrap();
    let secret =
        NoteDetails { text: "Gravidanza al terzo mese".into(), confidentiality: Confidentiality::HealthRestricted };
    let note = liaison.add(folder, &secret, &clock).unwrap();
    clock.advance(Duration::from_secs(60));
    let ordinary = NoteDetails { text: "Accompagnata allo sportello".into(), confidentiality: Confidentiality::Normal };
    liaison.update(note, &ordinary, &clock).unwrap();
    let texts = |store: &Store| -> Vec<serde_json::Value> {
        let history = store.folder_history(folder, &clock).unwrap();
        history.into_iter().filter(|entry| entry.field == "text").map(|entry| entry.value).collect()
    };
    assert_eq!(texts(&liaison).len(), 2, "the liaison reads both versions");

    let mediator = as_role(liaison, Role::Mediator);
    assert_eq!(mediator.folder(folder, &clock).unwrap().notes[0].details.text, "Accompagnata allo sportello");
    assert_eq!(
        texts(&mediator),
        vec![serde_json::json!("Accompagnata allo sportello")],
        "the health text stays hidden"
    );
}
