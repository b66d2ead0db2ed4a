//! Conflict records: concurrent writes on several devices, exchanged in any order.

use std::time::Duration;

use proptest::prelude::*;
use rusqlite::Connection;

use super::change_log::{self, ChangeEntry};
use super::conflicts::{self, DELETION, Resolution};
use super::test_support::{NOW_MS, person, state, store_as, sync};
use super::*;
use crate::clock::ManualClock;
use crate::folder::Entity;
use crate::folder::contact::ContactDetails;
use crate::folder::note::{Confidentiality, NoteDetails};

/// A folder with one contact, created on `office` and copied to `laptop`.
fn shared_folder(office: &mut Store, laptop: &mut Store, clock: &ManualClock) -> (Uuid, Uuid) {
    let folder = office.create_person(&person("Diallo", "Aminata", Some(1990)), clock).unwrap();
    let contact = office.add(folder, &ContactDetails::example(), clock).unwrap();
    sync(office, laptop, clock);
    (folder, contact)
}

type ConflictRow = (String, Vec<u8>, String, String, String, String);

fn conflict_rows(conn: &Connection) -> Vec<ConflictRow> {
    let mut statement =
        conn.prepare("SELECT entity, row_id, topic, hlc, field, value FROM conflicts ORDER BY 1, 2, 3, 4").unwrap();
    statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_same_field_edited_on_two_offline_devices_is_one_conflict_on_both() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop) = (store_as(Role::Administrator), store_as(Role::Mediator));
    let (folder, _) = shared_folder(&mut office, &mut laptop, &clock);
    office.update_person(folder, &person("Diallo", "Aminata Fatou", Some(1990)), &clock).unwrap();
    clock.advance(Duration::from_secs(60));
    laptop.update_person(folder, &person("Diallo", "Aminatà", Some(1990)), &clock).unwrap();
    sync(&office, &mut laptop, &clock);
    sync(&laptop, &mut office, &clock);

    for device in [&office, &laptop] {
        let conflicts = device.conflicts(None).unwrap();
        assert_eq!(conflicts.len(), 1, "one conflict: {conflicts:?}");
        let conflict = &conflicts[0];
        assert_eq!(
            (conflict.entity, conflict.row_id, conflict.topic.as_str()),
            (Entity::Person, folder, "given_names")
        );
        let values: Vec<&serde_json::Value> = conflict.versions.iter().map(|version| &version.value).collect();
        assert_eq!(values, [&serde_json::json!("Aminata Fatou"), &serde_json::json!("Aminatà")], "oldest first");
        // Meanwhile the last writer's value is shown.
        assert_eq!(device.person(folder, &clock).unwrap().details.given_names, "Aminatà");
    }
    assert_eq!(state(&office.conn), state(&laptop.conn));
    assert_eq!(conflict_rows(&office.conn), conflict_rows(&laptop.conn));

    // The office keeps its own version; once the laptop has the resolution, nothing is left to review.
    let kept = office.conflicts(None).unwrap()[0].versions[0].hlc;
    office.resolve_conflict(Entity::Person, folder, "given_names", &Resolution::Keep { hlc: kept }, &clock).unwrap();
    sync(&office, &mut laptop, &clock);
    for device in [&office, &laptop] {
        assert!(device.conflicts(None).unwrap().is_empty());
        assert_eq!(device.person(folder, &clock).unwrap().details.given_names, "Aminata Fatou");
    }
}

#[test]
fn edits_made_one_after_another_are_no_conflict() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop) = (store_as(Role::Administrator), store_as(Role::Mediator));
    let (folder, contact) = shared_folder(&mut office, &mut laptop, &clock);
    laptop.update(contact, &ContactDetails { duration_minutes: 45, ..ContactDetails::example() }, &clock).unwrap();
    sync(&laptop, &mut office, &clock);
    office.update(contact, &ContactDetails { duration_minutes: 50, ..ContactDetails::example() }, &clock).unwrap();
    sync(&office, &mut laptop, &clock);
    // Delivered twice and out of order: still nothing to review.
    let mut all = change_log::all_entries(&office.conn).unwrap();
    all.reverse();
    laptop.apply_entries(&all, &clock).unwrap();
    for device in [&office, &laptop] {
        assert!(device.conflicts(Some(folder)).unwrap().is_empty());
        assert_eq!(device.rows::<ContactDetails>(folder, &clock).unwrap()[0].details.duration_minutes, 50);
    }
}

#[test]
fn equal_timestamps_from_two_devices_settle_on_the_device_whose_id_sorts_last() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop) = (store_as(Role::Administrator), store_as(Role::Mediator));
    let (folder, contact) = shared_folder(&mut office, &mut laptop, &clock);
    let entries = change_log::all_entries(&office.conn).unwrap();
    let duration = entries.iter().find(|entry| entry.row_id == contact && entry.field == "duration_minutes").unwrap();
    // Two devices write the same field at the same wall time and counter, each from the
    // value both saw: only their device ids tell which one is later.
    let stamp = crate::hlc::Hlc { wall_ms: NOW_MS + 60_000, counter: 3, device: Uuid::nil() };
    let written_on = |device: u128, minutes: u64| {
        let device = Uuid::from_u128(device);
        ChangeEntry {
            op_id: Uuid::now_v7(),
            device_id: device,
            seq: 1,
            hlc: crate::hlc::Hlc { device, ..stamp },
            base: Some(duration.hlc),
            value: serde_json::json!(minutes),
            ..duration.clone()
        }
    };
    let (first, last) = (
        written_on(0x0fff_0000_0000_7000_8000_0000_0000_0001, 41),
        written_on(0xf000_0000_0000_7000_8000_0000_0000_0001, 42),
    );
    office.apply_entries(&[first.clone(), last.clone()], &clock).unwrap();
    laptop.apply_entries(&[last], &clock).unwrap();
    laptop.apply_entries(&[first], &clock).unwrap();
    for device in [&office, &laptop] {
        assert_eq!(device.rows::<ContactDetails>(folder, &clock).unwrap()[0].details.duration_minutes, 42);
        assert_eq!(device.conflicts(Some(folder)).unwrap().len(), 1, "two values from the same base");
    }
    assert_eq!(state(&office.conn), state(&laptop.conn));

    // The same tie where an entry simply replaces the value it names as its base, on a field
    // without conflicts (made up: a real device's clock always moves past the base it saw).
    let other = entries.iter().find(|entry| entry.row_id == contact && entry.field != "duration_minutes").unwrap();
    let replacing = |device: u128| {
        let device = Uuid::from_u128(device);
        ChangeEntry {
            op_id: Uuid::now_v7(),
            device_id: device,
            seq: 2,
            hlc: crate::hlc::Hlc { device, ..other.hlc },
            base: Some(other.hlc),
            ..other.clone()
        }
    };
    let (lower, higher) = (replacing(0x0000_0000_0000_7000_8000_0000_0000_0001), replacing(u128::MAX));
    assert!(lower.hlc < other.hlc && other.hlc < higher.hlc);
    let current = |device: &Store| {
        let field = super::log_refs::known_field(&device.conn, Entity::Contact, &other.field).unwrap().unwrap();
        conflicts::current_hlc_of(&device.conn, contact, field).unwrap()
    };
    office.apply_entries(std::slice::from_ref(&lower), &clock).unwrap();
    assert_eq!(current(&office), Some(other.hlc), "an equal stamp from a device that sorts first is not later");
    office.apply_entries(std::slice::from_ref(&higher), &clock).unwrap();
    assert_eq!(current(&office), Some(higher.hlc));
    laptop.apply_entries(&[higher.clone(), lower], &clock).unwrap();
    assert_eq!(current(&laptop), Some(higher.hlc));
    assert_eq!(state(&office.conn), state(&laptop.conn));
}

#[test]
fn a_delete_concurrent_with_an_edit_is_a_conflict_that_can_restore_the_row() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut laptop) = (store_as(Role::Administrator), store_as(Role::Mediator));
    let (folder, contact) = shared_folder(&mut office, &mut laptop, &clock);
    office.delete(Entity::Contact, contact, &clock).unwrap();
    laptop.update(contact, &ContactDetails { duration_minutes: 90, ..ContactDetails::example() }, &clock).unwrap();
    sync(&office, &mut laptop, &clock);
    sync(&laptop, &mut office, &clock);

    let conflicts = laptop.conflicts(Some(folder)).unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(conflicts[0].is_deletion());
    let fields: Vec<&str> = conflicts[0].versions.iter().map(|version| version.field.as_str()).collect();
    assert!(fields.contains(&"_deleted") && fields.contains(&"duration_minutes"), "{fields:?}");
    assert_eq!(conflict_rows(&office.conn), conflict_rows(&laptop.conn));
    assert!(laptop.rows::<ContactDetails>(folder, &clock).unwrap().is_empty(), "deleted until resolved");

    // Keeping a value is not an answer to a deletion: refused, nothing written.
    let before = change_log::all_entries(&laptop.conn).unwrap();
    let keep = Resolution::Keep { hlc: conflicts[0].versions[0].hlc };
    let refused = laptop.resolve_conflict(Entity::Contact, contact, DELETION, &keep, &clock);
    assert!(matches!(refused, Err(StoreError::WrongResolution)), "{refused:?}");
    assert_eq!(change_log::all_entries(&laptop.conn).unwrap(), before);

    laptop.resolve_conflict(Entity::Contact, contact, DELETION, &Resolution::Restore, &clock).unwrap();
    sync(&laptop, &mut office, &clock);
    for device in [&office, &laptop] {
        assert!(device.conflicts(None).unwrap().is_empty());
        let contacts = device.rows::<ContactDetails>(folder, &clock).unwrap();
        assert_eq!(contacts.len(), 1, "restored with the laptop's edit");
        assert_eq!(contacts[0].details.duration_minutes, 90);
    }
}

#[test]
fn a_conflict_on_a_health_restricted_note_is_not_shown_to_a_mediator() {
    let clock = ManualClock::at(NOW_MS);
    let (mut office, mut clinic) = (store_as(Role::Administrator), store_as(Role::Administrator));
    let folder = office.create_person(&person("Khan", "Imran", Some(1985)), &clock).unwrap();
    let restricted = NoteDetails { text: "visita".into(), confidentiality: Confidentiality::HealthRestricted };
    let note = office.add(folder, &restricted, &clock).unwrap();
    sync(&office, &mut clinic, &clock);
    office.update(note, &NoteDetails { text: "visita fissata".into(), ..restricted.clone() }, &clock).unwrap();
    clinic.update(note, &NoteDetails { text: "visita rinviata".into(), ..restricted }, &clock).unwrap();
    sync(&clinic, &mut office, &clock);
    assert_eq!(office.conflicts(None).unwrap().len(), 1, "the administrator reviews it");
    let mediator = super::test_support::as_role(office, Role::Mediator);
    assert!(mediator.conflicts(None).unwrap().is_empty(), "its values never reach a mediator");
}

/// What a device does in the convergence test.
#[derive(Debug, Clone)]
enum Op {
    /// Device renames one of the shared people.
    Rename {
        device: usize,
        who: usize,
        name: usize,
    },
    /// Device changes the duration of one of the shared contacts.
    Duration {
        device: usize,
        which: usize,
        minutes: u16,
    },
    /// Device deletes one of the shared contacts.
    Delete {
        device: usize,
        which: usize,
    },
    /// Device merges one shared person's folder into the other's, or undoes that merge.
    Merge {
        device: usize,
        absorbed: usize,
        undo: bool,
    },
    /// Device settles the first conflict it sees (keeping its first version, or restoring).
    Resolve {
        device: usize,
        restore: bool,
    },
    /// Device sends up to `count` of its entries not yet sent, and the server appends them.
    Push {
        device: usize,
        count: usize,
        repeat: bool,
    },
    /// Device takes the next `count` entries of the server's log, shuffled, sometimes with
    /// the previous page again.
    Pull {
        device: usize,
        count: usize,
        seed: u64,
    },
    Tick(u16),
}

fn op(devices: usize) -> impl Strategy<Value = Op> {
    let device = 0..devices;
    prop_oneof![
        (device.clone(), 0..2usize, 0..4usize).prop_map(|(device, who, name)| Op::Rename { device, who, name }),
        (device.clone(), 0..2usize, 5..120u16).prop_map(|(device, which, minutes)| Op::Duration {
            device,
            which,
            minutes
        }),
        (device.clone(), 0..2usize).prop_map(|(device, which)| Op::Delete { device, which }),
        (device.clone(), 0..2usize, any::<bool>()).prop_map(|(device, absorbed, undo)| Op::Merge {
            device,
            absorbed,
            undo
        }),
        (device.clone(), any::<bool>()).prop_map(|(device, restore)| Op::Resolve { device, restore }),
        (device.clone(), 1..20usize, any::<bool>()).prop_map(|(device, count, repeat)| Op::Push {
            device,
            count,
            repeat
        }),
        (device, 1..30usize, any::<u64>()).prop_map(|(device, count, seed)| Op::Pull { device, count, seed }),
        (0..3000u16).prop_map(Op::Tick),
    ]
}

#[path = "../../tests/support/conflict_rule.rs"]
mod conflict_rule;

/// The rule's conflicts for the whole log, as the store's conflict table holds them.
fn expected_conflicts(entries: &[ChangeEntry]) -> Vec<ConflictRow> {
    conflict_rule::expected_conflicts(entries)
        .into_iter()
        .map(|(entity, row_id, topic, hlc, field, value)| {
            (entity.as_str().into(), row_id.as_bytes().to_vec(), topic, hlc.encode(), field, value)
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// What the store derives from the values: merged folders, search rows and duplicate flags.
type Derived = (Vec<(Vec<u8>, Vec<u8>)>, Vec<(Vec<u8>, Option<String>, Option<Vec<u8>>)>);

fn derived(conn: &Connection) -> Derived {
    let merges = conn
        .prepare("SELECT absorbed, into_folder FROM folder_merges ORDER BY 1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let index = conn
        .prepare("SELECT person_id, identity, merged_into FROM person_index ORDER BY 1")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (merges, index)
}

/// How many cases the convergence property runs: `PORTA_CONVERGENCE_CASES`, 1,000 by default.
fn convergence_cases() -> u32 {
    std::env::var("PORTA_CONVERGENCE_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(1000)
}

const NAMES: [&str; 4] = ["Aminata", "Aminatà", "Fatou", "Awa"];

proptest! {
    #![proptest_config(ProptestConfig { cases: convergence_cases(), ..ProptestConfig::default() })]

    /// Three to five devices edit and delete the same rows offline and sync through a
    /// server's log in pieces: pushes of some entries (some sent twice), pulls of pages
    /// shuffled and sometimes repeated. Once everything has reached everyone: every device holds
    /// the same values and the same conflict records, those the rule gives for the whole log,
    /// and every value any device wrote is current, was replaced by a write that saw it, or
    /// waits in a conflict record.
    #[test]
    fn devices_that_exchanged_everything_hold_the_same_folders_and_conflicts(
        (devices, ops) in (3..=5usize).prop_flat_map(|n| (Just(n), proptest::collection::vec(op(n), 1..40)))
    ) {
        let clock = ManualClock::at(NOW_MS);
        let mut stores: Vec<Store> = (0..devices).map(|_| store_as(Role::Administrator)).collect();
        let people: Vec<Uuid> = (0..2)
            .map(|i| stores[0].create_person(&person("Diallo", NAMES[i], Some(1990)), &clock).unwrap())
            .collect();
        let contacts: Vec<Uuid> = people.iter().map(|p| stores[0].add(*p, &ContactDetails::example(), &clock).unwrap()).collect();
        // The server's log, what each device has sent of its own, where each has pulled to.
        let mut server = change_log::all_entries(&stores[0].conn).unwrap();
        let mut pushed = vec![0; devices];
        pushed[0] = server.len();
        let mut cursors = vec![server.len(); devices];
        for store in &mut stores[1..] {
            store.apply_entries(&server, &clock).unwrap();
        }
        for op in ops {
            match op {
                Op::Rename { device, who, name } => {
                    let _ = stores[device].update_person(people[who], &person("Diallo", NAMES[name], Some(1990)), &clock);
                }
                Op::Duration { device, which, minutes } => {
                    let contact = ContactDetails { duration_minutes: minutes, ..ContactDetails::example() };
                    let _ = stores[device].update(contacts[which], &contact, &clock);
                }
                Op::Delete { device, which } => {
                    let _ = stores[device].delete(Entity::Contact, contacts[which], &clock);
                }
                Op::Merge { device, absorbed, undo } => {
                    let _ = if undo {
                        stores[device].undo_merge(people[absorbed], &clock)
                    } else {
                        stores[device].merge_folders(people[1 - absorbed], people[absorbed], &clock)
                    };
                }
                Op::Resolve { device, restore } => {
                    if let Some(conflict) = stores[device].conflicts(None).unwrap().into_iter().next() {
                        let resolution = match (conflict.is_deletion(), restore) {
                            (false, _) => Resolution::Keep { hlc: conflict.versions[0].hlc },
                            (true, true) => Resolution::Restore,
                            (true, false) => Resolution::ConfirmDeletion,
                        };
                        stores[device].resolve_conflict(conflict.entity, conflict.row_id, &conflict.topic, &resolution, &clock).unwrap();
                    }
                }
                Op::Push { device, count, repeat } => {
                    let from = if repeat { pushed[device].saturating_sub(count) } else { pushed[device] };
                    for entry in stores[device].own_entries_after(from as u64, count).unwrap() {
                        // The server keeps each entry once, in the order it first arrives.
                        if entry.seq as usize > pushed[device] {
                            pushed[device] = entry.seq as usize;
                            server.push(entry);
                        }
                    }
                }
                Op::Pull { device, count, seed } => {
                    let mut random = crate::seeded::SeededRandom::new(seed);
                    let start = cursors[device];
                    let end = (start + count).min(server.len());
                    // Sometimes the previous page again: the answer to it was lost.
                    let again = if random.below(3) == 0 { start.saturating_sub(count) } else { start };
                    let mut page = server[again..end].to_vec();
                    for i in (1..page.len()).rev() {
                        page.swap(i, random.below(i as u64 + 1) as usize);
                    }
                    stores[device].apply_entries(&page, &clock).unwrap();
                    cursors[device] = end;
                }
                Op::Tick(ms) => clock.advance(Duration::from_millis(u64::from(ms))),
            }
        }
        // Everyone sends everything, then takes everything.
        for (device, store) in stores.iter().enumerate() {
            server.extend(store.own_entries_after(pushed[device] as u64, usize::MAX >> 1).unwrap());
        }
        for (device, store) in stores.iter_mut().enumerate() {
            store.apply_entries(&server[cursors[device]..], &clock).unwrap();
        }
        let log = change_log::all_entries(&stores[0].conn).unwrap();
        let expected = expected_conflicts(&log);
        for store in &stores[1..] {
            prop_assert_eq!(change_log::all_entries(&store.conn).unwrap(), log.clone());
            prop_assert_eq!(state(&store.conn), state(&stores[0].conn));
            prop_assert_eq!(derived(&store.conn), derived(&stores[0].conn));
        }
        // The folder each shared person opens as is the same everywhere.
        let opened = |store: &Store| -> Vec<Option<Uuid>> {
            people.iter().map(|p| store.folder(*p, &clock).ok().map(|folder| folder.person.id)).collect()
        };
        for store in &stores[1..] {
            prop_assert_eq!(opened(store), opened(&stores[0]));
        }
        for store in &stores {
            prop_assert_eq!(conflict_rows(&store.conn), expected.clone());
        }
        // No value was lost: each is current, replaced knowingly, or in a conflict record.
        let lost = conflict_rule::lost(&log, &conflict_rule::expected_conflicts(&log));
        prop_assert!(lost.is_empty(), "lost: {:?}", lost);
    }
}
