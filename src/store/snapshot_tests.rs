//! A new device that starts from a snapshot (`porta_wire::snapshot::needed` of the server's log
//! up to some position) and then takes in the rest holds exactly what a device that took in
//! every entry holds: values, rows, conflicts, merges, erasures and the derived lists. So does
//! a device that compacted its history at that position (`compaction`).

use std::time::Duration;

use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::change_log::{self, ChangeEntry};
use super::conflicts::Resolution;
use super::test_support::{NOW_MS, person, state, store_as};
use super::*;
use crate::clock::ManualClock;
use crate::folder::Entity;
use crate::folder::appointment::AppointmentDetails;
use crate::folder::contact::ContactDetails;
use crate::folder::document::DocumentDetails;
use crate::folder::practice::PracticeDetails;

/// What one device does.
#[derive(Debug, Clone)]
enum Op {
    Rename {
        device: usize,
        who: usize,
        name: usize,
    },
    AddContact {
        device: usize,
        who: usize,
    },
    Duration {
        device: usize,
        which: usize,
        minutes: u16,
    },
    Delete {
        device: usize,
        which: usize,
    },
    Merge {
        device: usize,
        absorbed: usize,
        undo: bool,
    },
    Resolve {
        device: usize,
        restore: bool,
    },
    Erase {
        device: usize,
        who: usize,
    },
    /// Sends everything not yet sent; the server appends it to its log.
    Push {
        device: usize,
    },
    /// Takes the next `count` entries of the server's log, shuffled.
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
        2 => (device.clone(), 0..2usize, 0..4usize).prop_map(|(device, who, name)| Op::Rename { device, who, name }),
        1 => (device.clone(), 0..2usize).prop_map(|(device, who)| Op::AddContact { device, who }),
        2 => (device.clone(), 0..4usize, 5..120u16).prop_map(|(device, which, minutes)| Op::Duration {
            device,
            which,
            minutes
        }),
        1 => (device.clone(), 0..4usize).prop_map(|(device, which)| Op::Delete { device, which }),
        1 => (device.clone(), 0..2usize, any::<bool>()).prop_map(|(device, absorbed, undo)| Op::Merge {
            device,
            absorbed,
            undo
        }),
        1 => (device.clone(), any::<bool>()).prop_map(|(device, restore)| Op::Resolve { device, restore }),
        1 => (device.clone(), 0..6usize).prop_map(|(device, who)| Op::Erase { device, who }),
        2 => device.clone().prop_map(|device| Op::Push { device }),
        2 => (device, 1..30usize, any::<u64>()).prop_map(|(device, count, seed)| Op::Pull { device, count, seed }),
        1 => (0..3000u16).prop_map(Op::Tick),
    ]
}

const NAMES: [&str; 4] = ["Aminata", "Aminatà", "Fatou", "Awa"];

/// Every row of the tables a device derives from its values, each as text, sorted.
fn derived(conn: &Connection) -> Vec<(String, Vec<String>)> {
    let tables = [
        "conflicts",
        "concurrent_fields",
        "folder_merges",
        "person_codice_fiscale",
        "household_links",
        "folder_deadlines",
        "agenda",
        "open_practices",
    ];
    let mut derived: Vec<(String, Vec<String>)> = tables
        .iter()
        .map(|table| {
            let mut statement = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let columns = statement.column_count();
            let mut rows: Vec<String> = statement
                .query_map([], |row| {
                    (0..columns).map(|index| row.get::<_, Value>(index).map(|value| format!("{value:?}"))).collect()
                })
                .unwrap()
                .map(|row: rusqlite::Result<Vec<String>>| row.unwrap().join("|"))
                .collect();
            rows.sort();
            (table.to_string(), rows)
        })
        .collect();
    let mut search: Vec<String> = conn
        // By person, not by the index's own row numbers, which follow the order rows came in.
        .prepare(
            "SELECT hex(i.person_id) || '|' || quote(i.year) || '|' || quote(i.identity) || '|' || quote(i.merged_into)
                    || '|' || coalesce(s.folded, '') || '|' || coalesce(s.skeletons, '')
                    || '|' || coalesce((SELECT group_concat(word, ' ') FROM (SELECT word FROM person_words w WHERE w.id = i.id ORDER BY word)), '')
             FROM person_index i LEFT JOIN person_search s ON s.rowid = i.id",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    search.sort();
    derived.push(("person_index".into(), search));
    derived
}

/// Takes `entries` in, in pages of up to `page` entries.
fn take_in(store: &mut Store, entries: &[ChangeEntry], page: usize, clock: &ManualClock) {
    for chunk in entries.chunks(page.max(1)) {
        store.apply_entries(chunk, clock).unwrap();
    }
}

/// How many cases run: `PORTA_CONVERGENCE_CASES`, 256 by default (about a minute in the test build).
fn cases() -> u32 {
    std::env::var("PORTA_CONVERGENCE_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Devices edit, delete, merge, resolve and erase the same folders offline and sync
    /// through a server's log. A new device then starts from the snapshot of that log at any
    /// position, in pages, and takes in what came after: it holds what a device that took in
    /// the whole log holds, table by table.
    #[test]
    fn a_snapshot_and_what_came_after_give_the_state_of_the_whole_log(
        (devices, ops) in (2..=4usize).prop_flat_map(|n| (Just(n), proptest::collection::vec(op(n), 1..50))),
        cut in any::<prop::sample::Index>(),
        page in 1..40usize,
    ) {
        let clock = ManualClock::at(NOW_MS);
        let mut stores: Vec<Store> = (0..devices).map(|_| store_as(Role::Administrator)).collect();
        let people: Vec<Uuid> = (0..2)
            .map(|i| stores[0].create_person(&person("Diallo", NAMES[i], Some(1990)), &clock).unwrap())
            .collect();
        for who in &people {
            stores[0].add(*who, &ContactDetails::example(), &clock).unwrap();
            stores[0].add(*who, &PracticeDetails::example(), &clock).unwrap();
            stores[0].add(*who, &AppointmentDetails::example(), &clock).unwrap();
            stores[0].add(*who, &DocumentDetails::example(), &clock).unwrap();
        }
        let mut server = change_log::all_entries(&stores[0].conn).unwrap();
        let mut pushed = vec![0u64; devices];
        pushed[0] = server.len() as u64;
        let mut cursors = vec![server.len(); devices];
        for store in &mut stores[1..] {
            store.apply_entries(&server, &clock).unwrap();
        }
        let contacts_on = |store: &Store| -> Vec<Uuid> {
            let mut contacts: Vec<Uuid> = people
                .iter()
                .flat_map(|who| store.rows::<ContactDetails>(*who, &clock).unwrap_or_default())
                .map(|row| row.id)
                .collect();
            contacts.sort();
            contacts.dedup();
            contacts
        };
        for op in ops {
            match op {
                Op::Rename { device, who, name } => {
                    let _ = stores[device].update_person(people[who], &person("Diallo", NAMES[name], Some(1990)), &clock);
                }
                Op::AddContact { device, who } => {
                    let _ = stores[device].add(people[who], &ContactDetails::example(), &clock);
                }
                Op::Duration { device, which, minutes } => {
                    if let Some(contact) = contacts_on(&stores[device]).get(which) {
                        let changed = ContactDetails { duration_minutes: minutes, ..ContactDetails::example() };
                        let _ = stores[device].update(*contact, &changed, &clock);
                    }
                }
                Op::Delete { device, which } => {
                    if let Some(contact) = contacts_on(&stores[device]).get(which) {
                        let _ = stores[device].delete(Entity::Contact, *contact, &clock);
                    }
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
                        stores[device]
                            .resolve_conflict(conflict.entity, conflict.row_id, &conflict.topic, &resolution, &clock)
                            .unwrap();
                    }
                }
                // Rarely: one chance in three of the draws names a folder.
                Op::Erase { device, who } => {
                    if let Some(folder) = people.get(who) {
                        let _ = stores[device].erase_folder(*folder, &clock);
                    }
                }
                Op::Push { device } => {
                    let unsent = stores[device].own_entries_after(pushed[device], usize::MAX >> 1).unwrap();
                    if let Some(last) = unsent.last() {
                        pushed[device] = last.seq;
                    }
                    server.extend(unsent);
                }
                Op::Pull { device, count, seed } => {
                    let mut random = crate::seeded::SeededRandom::new(seed);
                    let end = (cursors[device] + count).min(server.len());
                    let mut page = server[cursors[device]..end].to_vec();
                    for i in (1..page.len()).rev() {
                        page.swap(i, random.below(i as u64 + 1) as usize);
                    }
                    stores[device].apply_entries(&page, &clock).unwrap();
                    cursors[device] = end;
                }
                Op::Tick(ms) => clock.advance(Duration::from_millis(u64::from(ms))),
            }
        }
        for (device, store) in stores.iter().enumerate() {
            server.extend(store.own_entries_after(pushed[device], usize::MAX >> 1).unwrap());
        }

        let mut whole = store_as(Role::Administrator);
        take_in(&mut whole, &server, page, &clock);
        let position = cut.index(server.len() + 1);
        let snapshot = porta_wire::snapshot::needed(server[..position].to_vec());
        let mut started = store_as(Role::Administrator);
        take_in(&mut started, &snapshot, page, &clock);
        take_in(&mut started, &server[position..], page, &clock);

        // A device that kept everything up to the position, then forgot every version the state
        // no longer needs (a retention that ended now), then took in the rest.
        let mut compacted = store_as(Role::Administrator);
        take_in(&mut compacted, &server[..position], page, &clock);
        let forgotten = compacted.compact_history(u64::MAX).unwrap();
        prop_assert_eq!(forgotten, position - snapshot.len());
        take_in(&mut compacted, &server[position..], page, &clock);

        prop_assert_eq!(state(&started.conn), state(&whole.conn));
        prop_assert_eq!(derived(&started.conn), derived(&whole.conn));
        prop_assert_eq!(state(&compacted.conn), state(&whole.conn));
        prop_assert_eq!(derived(&compacted.conn), derived(&whole.conn));
        prop_assert_eq!(change_log::all_entries(&compacted.conn).unwrap(), change_log::all_entries(&started.conn).unwrap());
        let opened = |store: &Store| -> Vec<Option<Folder>> {
            people.iter().map(|who| store.folder(*who, &clock).ok()).collect()
        };
        prop_assert_eq!(opened(&started), opened(&whole));
        prop_assert_eq!(opened(&compacted), opened(&whole));
        let whole_log = change_log::all_entries(&whole.conn).unwrap();
        let started_log = change_log::all_entries(&started.conn).unwrap();
        prop_assert!(started_log.iter().all(|entry| whole_log.contains(entry)), "only entries of the log");
        // The snapshot leaves history out: a log where fields were written more than once is shorter.
        prop_assert_eq!(started_log.len(), snapshot.len() + server.len() - position);
    }
}
