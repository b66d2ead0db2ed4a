//! The same person opened on two offline devices: flagged, merged, and the merge synced.

use super::change_log;
use super::test_support::{NOW_MS, person, state, store_as, sync};
use super::*;
use crate::clock::ManualClock;
use crate::error::{ErrorCode, UserFacingError};
use crate::folder::contact::ContactDetails;
use crate::folder::document::DocumentDetails;
use crate::folder::person::{PartialDate, PersonDetails};

fn sync_both(a: &mut Store, b: &mut Store, clock: &ManualClock) {
    sync(a, b, clock);
    sync(b, a, clock);
}

const CODE: &str = "DLLMNT90A41Z343M";

fn born(family: &str, given: &str) -> PersonDetails {
    PersonDetails {
        birth_date: Some(PartialDate { year: 1990, month: Some(1), day: Some(1), estimated: false }),
        ..person(family, given, None)
    }
}

fn ids(hits: &[PersonHit]) -> Vec<Uuid> {
    hits.iter().map(|hit| hit.id).collect()
}

/// Two devices each open a folder for the same person while offline; both sync.
fn the_same_person_twice(clock: &ManualClock) -> (Store, Store, Uuid, Uuid) {
    let mut office = store_as(Role::Administrator);
    let mut laptop = store_as(Role::Administrator);
    let first = PersonDetails { codice_fiscale: Some(CODE.into()), ..born("Diallo", "Aminata") };
    let here = office.create_person(&first, clock).unwrap();
    office.add(here, &ContactDetails::example(), clock).unwrap();
    let second = PersonDetails { codice_fiscale: Some(CODE.into()), ..born("Dialo", "Amina") };
    let there = laptop.create_person(&second, clock).unwrap();
    laptop.add(there, &DocumentDetails::example(), clock).unwrap();
    sync_both(&mut office, &mut laptop, clock);
    (office, laptop, here, there)
}

#[test]
fn the_same_person_opened_on_two_offline_devices_is_two_flagged_folders_on_both() {
    let clock = ManualClock::at(NOW_MS);
    let (office, laptop, here, there) = the_same_person_twice(&clock);
    for store in [&office, &laptop] {
        let flagged = store.possible_duplicate_folders().unwrap();
        assert_eq!(flagged.len(), 1, "one pair, listed once though both rules match");
        let pair = &flagged[0];
        let mut pair_ids = vec![pair.first.id, pair.second.id];
        pair_ids.sort();
        let mut expected = vec![here, there];
        expected.sort();
        assert_eq!(pair_ids, expected);
        assert_eq!(pair.reason, DuplicateReason::SameCodiceFiscale);
        assert!(store.folder(here, &clock).is_ok() && store.folder(there, &clock).is_ok());
    }
    // Without a codice fiscale, the same names and birth date flag them too.
    let mut a = store_as(Role::Administrator);
    let mut b = store_as(Role::Administrator);
    a.create_person(&born("Diop", "Awa"), &clock).unwrap();
    b.create_person(&born("DIOP", "Awà"), &clock).unwrap();
    b.create_person(&PersonDetails { birth_date: None, ..born("Diop", "Awa") }, &clock).unwrap();
    sync_both(&mut a, &mut b, &clock);
    let flagged = a.possible_duplicate_folders().unwrap();
    assert_eq!(flagged.len(), 1, "a folder with no birth date is not flagged by name alone");
    assert_eq!(flagged[0].reason, DuplicateReason::SameNameAndBirthDate);
}

#[test]
fn a_merge_made_on_one_device_shows_one_folder_with_both_folders_rows_on_every_device() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop, here, there) = the_same_person_twice(&clock);
    office.merge_folders(here, there, &clock).unwrap();
    // Meanwhile the laptop, offline, adds a contact to the folder being absorbed.
    let late =
        laptop.add(there, &ContactDetails { duration_minutes: 45, ..ContactDetails::example() }, &clock).unwrap();
    sync_both(&mut office, &mut laptop, &clock);
    assert_eq!(state(&office.conn), state(&laptop.conn));
    for store in [&office, &laptop] {
        for opened in [here, there] {
            let folder = store.folder(opened, &clock).unwrap();
            assert_eq!(folder.person.id, here, "the absorbed folder opens as the one kept");
            assert_eq!(folder.person.details.given_names, "Aminata");
            assert_eq!(folder.merged_from.len(), 1);
            assert_eq!(folder.merged_from[0].details.given_names, "Amina");
            assert_eq!(folder.contacts.len(), 2, "the contact added offline to the absorbed folder is there");
            assert!(folder.contacts.iter().any(|contact| contact.id == late));
            assert_eq!(folder.documents.len(), 1);
        }
        assert_eq!(store.rows::<ContactDetails>(there, &clock).unwrap().len(), 2);
        // Search finds the one folder, by either spelling and by the absorbed folder's document.
        for query in ["Diallo Aminata", "Dialo Amina", "I12345678"] {
            assert_eq!(ids(&store.search_people(query, None, 10).unwrap()), vec![here], "{query}");
        }
        assert!(store.possible_duplicate_folders().unwrap().is_empty());
    }
    // The person already has a folder: a third one with the code is refused.
    let third = PersonDetails { codice_fiscale: Some(CODE.into()), ..born("Diallo", "Ami") };
    assert_eq!(office.create_person(&third, &clock).unwrap_err().code(), ErrorCode::DuplicateCodiceFiscale);
}

#[test]
fn undoing_a_merge_separates_the_folders_again_everywhere() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop, here, there) = the_same_person_twice(&clock);
    office.merge_folders(here, there, &clock).unwrap();
    sync_both(&mut office, &mut laptop, &clock);
    laptop.undo_merge(there, &clock).unwrap();
    sync_both(&mut office, &mut laptop, &clock);
    for store in [&office, &laptop] {
        assert_eq!(store.folder(there, &clock).unwrap().person.id, there);
        assert!(store.folder(here, &clock).unwrap().merged_from.is_empty());
        assert_eq!(store.folder(here, &clock).unwrap().documents.len(), 0);
        assert_eq!(store.possible_duplicate_folders().unwrap().len(), 1, "flagged again");
        assert_eq!(ids(&store.search_people("Dialo Amina", None, 10).unwrap()), vec![there]);
    }
}

#[test]
fn merges_crossing_on_two_devices_end_as_one_folder_everywhere() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop, here, there) = the_same_person_twice(&clock);
    office.merge_folders(here, there, &clock).unwrap();
    laptop.merge_folders(there, here, &clock).unwrap();
    sync_both(&mut office, &mut laptop, &clock);
    let survivor = here.min(there);
    for store in [&office, &laptop] {
        for opened in [here, there] {
            let folder = store.folder(opened, &clock).unwrap();
            assert_eq!(folder.person.id, survivor);
            assert_eq!((folder.contacts.len(), folder.documents.len()), (1, 1));
        }
        assert_eq!(ids(&store.search_people("Dialo Amina", None, 10).unwrap()), vec![survivor]);
    }
}

#[test]
fn a_merge_that_cannot_be_is_refused_and_changes_nothing() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, _laptop, here, there) = the_same_person_twice(&clock);
    let other = office.create_person(&born("Sow", "Fatou"), &clock).unwrap();
    let before = state(&office.conn);
    let refused = |result: Result<(), StoreError>| result.unwrap_err();
    assert_eq!(refused(office.merge_folders(here, here, &clock)).message_id(), "error-merge-same-folder");
    assert_eq!(refused(office.undo_merge(there, &clock)).message_id(), "error-merge-not-merged");
    assert_eq!(refused(office.merge_folders(here, Uuid::now_v7(), &clock)).code(), ErrorCode::NotFound);
    assert_eq!(state(&office.conn), before);
    office.merge_folders(here, there, &clock).unwrap();
    let before = state(&office.conn);
    let error = refused(office.merge_folders(other, there, &clock));
    assert_eq!((error.code(), error.message_id()), (ErrorCode::MergeRefused, "error-merge-already-merged"));
    assert_eq!(refused(office.merge_folders(there, here, &clock)).message_id(), "error-merge-same-folder");
    assert_eq!(state(&office.conn), before);
    let mut statistics = super::test_support::as_role(office, Role::StatisticsReader);
    assert_eq!(refused(statistics.merge_folders(other, here, &clock)).code(), ErrorCode::NotPermitted);
}

#[test]
fn erasing_a_merged_folder_erases_every_folder_of_the_person() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop, here, there) = the_same_person_twice(&clock);
    office.merge_folders(here, there, &clock).unwrap();
    office.erase_folder(here, &clock).unwrap();
    sync_both(&mut office, &mut laptop, &clock);
    for store in [&office, &laptop] {
        assert_eq!(store.folder(there, &clock).unwrap_err().code(), ErrorCode::NotFound);
        assert!(store.search_people("Dialo Amina", None, 10).unwrap().is_empty());
        let entries = change_log::all_entries(&store.conn).unwrap();
        assert!(
            entries
                .iter()
                .filter(|e| e.folder_id == there && e.field != crate::folder::ERASED)
                .all(|e| e.value.is_null()),
            "nothing of the absorbed folder is left"
        );
    }
}
