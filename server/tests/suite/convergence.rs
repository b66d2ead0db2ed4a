//! Convergence through the real server: three to five real SQLCipher devices, enrolled with
//! the real server on a loopback port, create, edit, delete and merge rows of the same
//! folders offline and exchange them in pieces over the real protocol: pushes of a few
//! entries (some sent again), pulls of small pages (some from an older cursor, so delivered
//! twice), each page applied in a shuffled order. Then every device syncs with its sync
//! client until nothing moves. For every case: every device and the server hold the same
//! entries for those folders, every device shows the same folders and the same conflicts,
//! those the rule gives for the whole log, and no value any device wrote is lost.
//!
//! 250 cases in the normal run, new ones each run (the seed is random); a case takes about
//! two thirds of a second in the test build, and this one test decided how long the whole
//! suite took at 1,000. `PORTA_CONVERGENCE_CASES` runs more for a deeper search. The
//! server and the devices are set up once (a device's key derivation is deliberately slow);
//! each case works on folders of its own.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use porta::clock::{Clock, ManualClock, SystemClock};
use porta::folder::Entity;
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::seeded::SeededRandom;
use porta::store::change_log::ChangeEntry;
use porta::store::conflicts::Resolution;
use porta::store::{Folder, Store};
use porta::sync::client::{StoreAccess, SyncClient};
use porta::sync::protocol::{PullResponse, PushRequest, PushResponse};
use porta_server::storage::SyncStore;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ring::rand::SystemRandom;
use uuid::Uuid;

use crate::common::{Server, device, signed_request};

use crate::conflict_rule;

/// What one device does.
#[derive(Debug, Clone)]
enum Op {
    /// Renames one of the case's people.
    Rename { device: usize, who: usize, name: usize },
    /// Adds a contact to one of the case's folders.
    AddContact { device: usize, who: usize },
    /// Changes the duration of one of the case's contacts (the `which`-th it holds).
    Duration { device: usize, which: usize, minutes: u16 },
    /// Deletes one of the case's contacts.
    Delete { device: usize, which: usize },
    /// Merges one person's folder into the other's, or undoes that merge.
    Merge { device: usize, absorbed: usize, undo: bool },
    /// Settles the first conflict it sees.
    Resolve { device: usize, restore: bool },
    /// Pushes up to `count` entries not yet acknowledged, or again some already sent.
    Push { device: usize, count: usize, again: bool },
    /// Pulls a page of up to `count` entries, sometimes from an older cursor, shuffled.
    Pull { device: usize, count: usize, again: bool, seed: u64 },
    /// The device clocks move on.
    Tick(u16),
}

fn op(devices: usize) -> impl Strategy<Value = Op> {
    let device = 0..devices;
    prop_oneof![
        1 => (device.clone(), 0..2usize, 0..4usize).prop_map(|(device, who, name)| Op::Rename { device, who, name }),
        1 => (device.clone(), 0..2usize).prop_map(|(device, who)| Op::AddContact { device, who }),
        1 => (device.clone(), 0..4usize, 5..120u16).prop_map(|(device, which, minutes)| Op::Duration {
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
        2 => (device.clone(), 1..12usize, any::<bool>()).prop_map(|(device, count, again)| Op::Push {
            device,
            count,
            again
        }),
        2 => (device, 1..16usize, any::<bool>(), any::<u64>()).prop_map(|(device, count, again, seed)| Op::Pull {
            device,
            count,
            again,
            seed
        }),
        1 => (0..2000u16).prop_map(Op::Tick),
    ]
}

const NAMES: [&str; 4] = ["Aminata", "Aminatà", "Fatou", "Awa"];
const MOST_DEVICES: usize = 5;

/// The server and the enrolled devices, kept from case to case.
struct World {
    server: Server,
    devices: Vec<(tempfile::TempDir, Mutex<Option<Store>>)>,
    client: SyncClient,
    http: reqwest::Client,
    /// The server's cursor before the current case: its entries come after it.
    server_cursor: u64,
}

impl World {
    async fn start() -> World {
        let server =
            Server::start_with(porta_server::rate_limit::Limits { burst: u32::MAX, per_second: u32::MAX }).await;
        let client = SyncClient::new(&server.base);
        let mut devices = Vec::new();
        for n in 0..MOST_DEVICES {
            let (folder, store) = device(&format!("Dispositivo {n}"));
            let code = server.code(&format!("Dispositivo {n}"), 10);
            client.enroll(&store, &code, &SystemClock, &SystemRandom::new()).await.unwrap();
            devices.push((folder, store));
        }
        World { server, devices, client, http: reqwest::Client::new(), server_cursor: 0 }
    }

    fn store(&self, device: usize) -> &Mutex<Option<Store>> {
        &self.devices[device].1
    }

    fn with<R>(&self, device: usize, f: impl FnOnce(&mut Store) -> R) -> R {
        self.store(device).with_store(f).unwrap()
    }

    async fn sync(&self, device: usize, clock: &ManualClock) {
        self.client.sync_once(self.store(device), clock, &SystemRandom::new()).await.unwrap();
    }

    /// Sends `entries` of `device` in one signed push, and records the answer.
    async fn push(&self, device: usize, entries: &[ChangeEntry]) {
        let (id, key) = self.with(device, |store| (store.device_id(), store.device_key().unwrap().unwrap()));
        let body = serde_json::to_vec(&PushRequest::new(id, entries)).unwrap();
        let request = signed_request(
            &self.http,
            &key,
            id,
            (&self.server.base, "POST", "/api/v1/push"),
            &body,
            SystemClock.now_ms(),
        );
        let answer: PushResponse = request.send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
        self.with(device, |store| store.record_push(answer.acknowledged, &answer.rejected)).unwrap();
    }

    /// One signed pull of up to `limit` entries after `after`.
    async fn pull(&self, device: usize, after: u64, limit: usize) -> PullResponse {
        let (id, key) = self.with(device, |store| (store.device_id(), store.device_key().unwrap().unwrap()));
        let path = format!("/api/v1/pull?after={after}&limit={limit}");
        let request =
            signed_request(&self.http, &key, id, (&self.server.base, "GET", &path), &[], SystemClock.now_ms());
        request.send().await.unwrap().error_for_status().unwrap().json().await.unwrap()
    }

    /// The server's entries since the last case, and moves past them.
    fn server_entries_of_case(&mut self) -> Vec<ChangeEntry> {
        let mut entries = Vec::new();
        loop {
            let page = self.server.storage.pull(self.server_cursor, 10_000, usize::MAX, "PUA Galatina", None).unwrap();
            entries.extend(page.entries);
            self.server_cursor = page.cursor.max(self.server_cursor);
            if !page.more {
                break;
            }
        }
        entries.sort_by_key(|entry| (entry.device_id, entry.seq));
        entries
    }

    async fn run_case(&mut self, devices: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
        let clock = ManualClock::at(SystemClock.now_ms());
        let person = |name: usize| PersonDetails {
            family_name: "Diallo".into(),
            given_names: NAMES[name].into(),
            ..Default::default()
        };
        let people: Vec<Uuid> =
            (0..2).map(|n| self.with(0, |store| store.create_person(&person(n), &clock).unwrap())).collect();
        for who in &people {
            self.with(0, |store| store.add(*who, &ContactDetails::example(), &clock).unwrap());
        }
        // Everyone starts with the case's folders.
        for device in 0..devices {
            self.sync(device, &clock).await;
        }
        let contacts_on = |world: &World, device: usize| -> Vec<Uuid> {
            world.with(device, |store| {
                let mut contacts: Vec<Uuid> = people
                    .iter()
                    .flat_map(|who| store.rows::<ContactDetails>(*who, &clock).unwrap_or_default())
                    .map(|row| row.id)
                    .collect();
                contacts.sort();
                contacts.dedup();
                contacts
            })
        };
        // Where each device's pulls started, to pull again from an older one.
        let mut old_cursors: Vec<Vec<u64>> = vec![Vec::new(); devices];
        for op in ops {
            match op {
                Op::Rename { device, who, name } => {
                    let _ = self.with(device, |store| store.update_person(people[who], &person(name), &clock));
                }
                Op::AddContact { device, who } => {
                    let _ = self.with(device, |store| store.add(people[who], &ContactDetails::example(), &clock));
                }
                Op::Duration { device, which, minutes } => {
                    if let Some(contact) = contacts_on(self, device).get(which) {
                        let changed = ContactDetails { duration_minutes: minutes, ..ContactDetails::example() };
                        let _ = self.with(device, |store| store.update(*contact, &changed, &clock));
                    }
                }
                Op::Delete { device, which } => {
                    if let Some(contact) = contacts_on(self, device).get(which) {
                        let _ = self.with(device, |store| store.delete(Entity::Contact, *contact, &clock));
                    }
                }
                Op::Merge { device, absorbed, undo } => {
                    let _ = self.with(device, |store| {
                        if undo {
                            store.undo_merge(people[absorbed], &clock)
                        } else {
                            store.merge_folders(people[1 - absorbed], people[absorbed], &clock)
                        }
                    });
                }
                Op::Resolve { device, restore } => self.with(device, |store| {
                    let conflicts =
                        people.iter().flat_map(|who| store.conflicts(Some(*who)).unwrap_or_default()).next();
                    if let Some(conflict) = conflicts {
                        let resolution = match (conflict.is_deletion(), restore) {
                            (false, _) => Resolution::Keep { hlc: conflict.versions[0].hlc },
                            (true, true) => Resolution::Restore,
                            (true, false) => Resolution::ConfirmDeletion,
                        };
                        store
                            .resolve_conflict(conflict.entity, conflict.row_id, &conflict.topic, &resolution, &clock)
                            .unwrap();
                    }
                }),
                Op::Push { device, count, again } => {
                    let entries = self.with(device, |store| {
                        let acknowledged = store.sync_progress().unwrap().acknowledged;
                        let from = if again { acknowledged.saturating_sub(count as u64) } else { acknowledged };
                        store.own_entries_after(from, count).unwrap()
                    });
                    if !entries.is_empty() {
                        self.push(device, &entries).await;
                    }
                }
                Op::Pull { device, count, again, seed } => {
                    let cursor = self.with(device, |store| store.sync_progress().unwrap().pulled_cursor);
                    let mut random = SeededRandom::new(seed);
                    let after = match old_cursors[device].len() {
                        known if again && known > 0 => old_cursors[device][random.below(known as u64) as usize],
                        _ => cursor,
                    };
                    old_cursors[device].push(cursor);
                    let page = self.pull(device, after, count).await;
                    let mut entries = page.entries;
                    for i in (1..entries.len()).rev() {
                        entries.swap(i, random.below(i as u64 + 1) as usize);
                    }
                    let next = page.cursor.max(cursor);
                    self.with(device, |store| store.apply_pulled(&entries, next, &clock)).unwrap();
                }
                Op::Tick(ms) => clock.advance(Duration::from_millis(u64::from(ms))),
            }
        }
        // The faults stop: every device syncs until everything reached everyone.
        for _ in 0..2 {
            for device in 0..devices {
                self.sync(device, &clock).await;
            }
        }
        self.check(devices, &people, &clock)
    }

    fn check(&mut self, devices: usize, people: &[Uuid], clock: &ManualClock) -> Result<(), TestCaseError> {
        let server = self.server_entries_of_case();
        let mut first: Option<Replica> = None;
        for device in 0..devices {
            let (history, folders, conflicts) = self.with(device, |store| {
                use porta::error::UserFacingError;
                let mut history: Vec<ChangeEntry> =
                    people.iter().flat_map(|who| store.folder_history(*who, clock).unwrap_or_default()).collect();
                history.sort_by_key(|entry| (entry.device_id, entry.seq));
                history.dedup_by_key(|entry| (entry.device_id, entry.seq));
                let folders: Vec<_> =
                    people.iter().map(|who| store.folder(*who, clock).map_err(|error| error.code())).collect();
                let conflicts: BTreeSet<conflict_rule::ExpectedVersion> = people
                    .iter()
                    .flat_map(|who| store.conflicts(Some(*who)).unwrap())
                    .flat_map(|conflict| {
                        conflict.versions.into_iter().map(move |version| {
                            let topic = conflict.topic.clone();
                            (
                                conflict.entity,
                                conflict.row_id,
                                topic,
                                version.hlc,
                                version.field,
                                version.value.to_string(),
                            )
                        })
                    })
                    .collect();
                (history, folders, conflicts)
            });
            prop_assert_eq!(&history, &server, "device {} holds what the server holds", device);
            prop_assert_eq!(&conflicts, &conflict_rule::expected_conflicts(&history), "device {}", device);
            let lost = conflict_rule::lost(&history, &conflicts);
            prop_assert!(lost.is_empty(), "lost on device {}: {:?}", device, lost);
            match &first {
                None => first = Some((history, folders, conflicts)),
                Some((_, first_folders, first_conflicts)) => {
                    prop_assert_eq!(&folders, first_folders, "device {} shows other folders", device);
                    prop_assert_eq!(&conflicts, first_conflicts, "device {} lists other conflicts", device);
                }
            }
        }
        Ok(())
    }
}

/// What a device holds of a case: the folders' history, the folders it shows, the conflicts.
type Replica = (Vec<ChangeEntry>, Vec<Result<Folder, porta::ErrorCode>>, BTreeSet<conflict_rule::ExpectedVersion>);

/// How many cases run: `PORTA_CONVERGENCE_CASES`, 250 by default.
fn cases() -> u32 {
    std::env::var("PORTA_CONVERGENCE_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(250)
}

#[test]
fn devices_syncing_in_pieces_through_the_real_server_converge_and_lose_nothing() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let world = Mutex::new(runtime.block_on(World::start()));
    let strategy = (3..=MOST_DEVICES).prop_flat_map(|n| (Just(n), proptest::collection::vec(op(n), 1..40)));
    let mut runner = TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |(devices, ops)| {
        let mut world = world.lock().unwrap();
        runtime.block_on(world.run_case(devices, ops))
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
