//! The sync protocol against the real server on a loopback port: the storage conformance
//! suite, enrollment, signed requests and every kind of bad input, and two real SQCipher
//! stores converging through it with the device's sync client.

use std::sync::{Arc, Mutex};

use porta::clock::{Clock, SystemClock};
use porta::error::UserFacingError;
use porta::folder::Entity;
use porta::folder::anonymous_contact::AnonymousContactDetails;
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::store::Store;
use porta::sync::client::{StoreAccess, SyncClient};
use porta::sync::protocol::{
    EnrollResponse, PROTOCOL_VERSION, PULL_MAX_ENTRIES, PullResponse, PushRequest, PushResponse, RejectionCode,
};
use porta::sync::pull_meter::{PullMeter, PullProgress};
use porta::sync::signing::DeviceKey;
use porta::{ErrorCode, ErrorPayload};
use porta_server::enrollment::issue_code;
use porta_server::rate_limit::Limits;
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{DeviceStatus, SyncStore, conformance};
use ring::rand::SystemRandom;
use uuid::Uuid;

use crate::common::{RawDevice, Server, device, eventually};

#[test]
fn the_sqlite_backend_passes_the_storage_conformance_suite() {
    conformance::run(|| SqliteStore::in_memory().unwrap());
    let folder = tempfile::tempdir().unwrap();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    conformance::run(|| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        SqliteStore::open(&folder.path().join(format!("server-{n}.db"))).unwrap()
    });
}

async fn refused(response: reqwest::Response, status: u16, code: ErrorCode) -> String {
    assert_eq!(response.status(), status);
    let error: ErrorPayload = response.json().await.unwrap();
    assert_eq!(error.code, code);
    error.message
}

type Device = (tempfile::TempDir, Mutex<Option<Store>>);

/// Two SQLCipher devices of the office, enrolled through the real client; the laptop's
/// enrollment answer is returned too.
async fn office_and_laptop(server: &Server) -> (Device, Device, SyncClient, EnrollResponse) {
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (office, laptop) = (device("Ufficio"), device("Portatile"));
    let client = SyncClient::new(&server.base);
    client.enroll(&office.1, &server.code("Ufficio", 10), &clock, &random).await.unwrap();
    let enrolled = client.enroll(&laptop.1, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    (office, laptop, client, enrolled)
}

/// A device's store, looked at by the test each time the sync client turns to it: what the
/// pull meter showed then.
struct Watched<'a> {
    store: &'a Mutex<Option<Store>>,
    meter: Arc<PullMeter>,
    seen: Mutex<Vec<PullProgress>>,
}

impl StoreAccess for Watched<'_> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Result<R, porta::sync::client::SyncError> {
        if let Some(shown) = self.meter.progress() {
            self.seen.lock().unwrap().push(shown);
        }
        self.store.with_store(f)
    }

    fn wipe(&self) {
        self.store.wipe();
    }

    fn lock_out(&self) {
        self.store.lock_out();
    }
}

/// A pull longer than a page (a laptop back from weeks offline): the client asks for the next
/// page while it applies the one before, and the pages still land whole, once and in order;
/// meanwhile the pull shows how far it has come (the Sync page's bar).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_of_many_pages_arrives_whole_and_in_order() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, _) = office_and_laptop(&server).await;
    // The laptop has started (from the snapshot) before the weeks away.
    let first = PersonDetails { family_name: "Popescu".into(), given_names: "Ana".into(), ..Default::default() };
    office.with_store(|store| store.create_person(&first, &clock).unwrap()).unwrap();
    let before = client.sync_once(&office, &clock, &random).await.unwrap().pushed;
    assert_eq!(client.sync_once(&laptop, &clock, &random).await.unwrap().pulled as u64, before);
    let person = |n: usize| PersonDetails {
        family_name: format!("Popescu {n}"),
        given_names: "Ioana".into(),
        phone: Some(format!("+39 333 {n:07}")),
        languages: vec!["ro".into(), "it".into()],
        citizenships: vec!["Z129".into()],
        ..Default::default()
    };
    office
        .with_store(|store| {
            store.in_one_transaction(|store| {
                (0..3_500).try_for_each(|n| store.create_person(&person(n), &clock).map(drop))
            })
        })
        .unwrap()
        .unwrap();
    let sent = client.sync_once(&office, &clock, &random).await.unwrap();
    assert!(sent.pushed > 2 * PULL_MAX_ENTRIES as u64, "{} entries fill three pages", sent.pushed);

    // The laptop pulls with a client that meters its pulls, as the app's engine does; the test
    // looks at the meter each time the client turns to the store.
    let meter = Arc::new(PullMeter::default());
    let watched = Watched { store: &laptop, meter: meter.clone(), seen: Mutex::default() };
    let metered = SyncClient::new(&server.base).metering_pulls(meter.clone());
    let got = metered.sync_once(&watched, &clock, &random).await.unwrap();
    assert_eq!(got.pulled as u64, sent.pushed, "every entry arrived once");
    let seen = watched.seen.into_inner().unwrap();
    assert!(!seen.is_empty(), "a pull of three pages showed its progress");
    assert!(seen.windows(2).all(|pair| pair[0].percent <= pair[1].percent), "{seen:?}");
    assert!(
        seen.iter().all(|shown| (1..100).contains(&shown.percent) && shown.remaining_seconds.is_some()),
        "{seen:?}"
    );
    assert_eq!(meter.progress(), None, "nothing shown once the pull is done");
    let (office_log, laptop_log, cursor, found) = (
        office.with_store(|store| store.change_log().unwrap()).unwrap(),
        laptop.with_store(|store| store.change_log().unwrap()).unwrap(),
        laptop.with_store(|store| store.sync_progress().unwrap().pulled_cursor).unwrap(),
        laptop.with_store(|store| store.search_people("Popescu 3499", None, 5).unwrap()).unwrap(),
    );
    assert_eq!(laptop_log, office_log, "the same log, in the same order");
    assert_eq!(cursor, before + sent.pushed, "the cursor stands after the last page");
    assert_eq!(found.first().map(|hit| hit.family_name.as_str()), Some("Popescu 3499"));
    assert_eq!(client.sync_once(&laptop, &clock, &random).await.unwrap().pulled, 0, "nothing pulled twice");
}

/// A device's store that locks (as the idle lock does) the first time the sync client turns to
/// it while a snapshot is under way: a first sync cut after its first page.
struct LocksMidSnapshot<'a> {
    store: &'a Mutex<Option<Store>>,
    locked: std::sync::atomic::AtomicBool,
}

impl StoreAccess for LocksMidSnapshot<'_> {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> Result<R, porta::sync::client::SyncError> {
        let under_way = self.store.with_store(|store| store.snapshot_under_way().unwrap())?;
        if under_way.is_some() && !self.locked.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(porta::sync::client::SyncError::Locked);
        }
        self.store.with_store(f)
    }

    fn wipe(&self) {
        self.store.wipe();
    }

    fn lock_out(&self) {
        self.store.lock_out();
    }
}

/// A new device starts from the server's snapshot of its office, not from every entry ever
/// written: a field's older versions stay on the server. A start cut after its first page goes
/// on from the next folder, and what was written after the snapshot's position is pulled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_device_starts_from_the_snapshot_goes_on_after_a_cut_and_pulls_what_came_after() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, _) = office_and_laptop(&server).await;
    let person = |n: usize, given: &str| PersonDetails {
        family_name: format!("Popescu {n}"),
        given_names: given.into(),
        phone: Some(format!("+39 333 {n:07}")),
        ..Default::default()
    };
    let folders: Vec<Uuid> = office
        .with_store(|store| {
            store.in_one_transaction(|store| {
                (0..3_500).map(|n| store.create_person(&person(n, "Ioana"), &clock)).collect()
            })
        })
        .unwrap()
        .unwrap();
    // One folder with a history: its given names written four times.
    for given in ["Ioana Maria", "Ioana M.", "Ioana Maria"] {
        office.with_store(|store| store.update_person(folders[7], &person(7, given), &clock).unwrap()).unwrap();
    }
    client.sync_once(&office, &clock, &random).await.unwrap();

    let cut = LocksMidSnapshot { store: &laptop, locked: Default::default() };
    let stopped = client.sync_once(&cut, &clock, &random).await;
    assert!(matches!(stopped, Err(porta::sync::client::SyncError::Locked)), "{stopped:?}");
    let held_at_cut = laptop.with_store(|store| store.entries_from_others().unwrap()).unwrap();
    let place = laptop.with_store(|store| store.snapshot_under_way().unwrap()).unwrap().expect("still under way");
    assert!(place.after.is_some() && held_at_cut > 0, "one page taken in: {held_at_cut} entries");
    assert_eq!(laptop.with_store(|store| store.sync_progress().unwrap().pulled_cursor).unwrap(), 0);

    // Meanwhile the office goes on: this comes after the snapshot's position.
    office
        .with_store(|store| store.update_person(folders[3_499], &person(3_499, "Ioana Elena"), &clock).unwrap())
        .unwrap();
    client.sync_once(&office, &clock, &random).await.unwrap();

    let round = client.sync_once(&laptop, &clock, &random).await.unwrap();
    let (office_log, laptop_log) = (
        office.with_store(|store| store.change_log().unwrap()).unwrap(),
        laptop.with_store(|store| store.change_log().unwrap()).unwrap(),
    );
    assert_eq!(held_at_cut + round.pulled as u64, laptop_log.len() as u64, "nothing taken in twice");
    assert_eq!(laptop.with_store(|store| store.snapshot_under_way().unwrap()).unwrap(), None);
    assert_eq!(
        laptop.with_store(|store| store.sync_progress().unwrap().pulled_cursor).unwrap(),
        office_log.len() as u64,
        "pulling goes on after the last entry"
    );
    // Every entry but the three older given names of folder 7, which the newest replaced.
    let left_out: Vec<_> = office_log.iter().filter(|entry| !laptop_log.contains(entry)).collect();
    assert_eq!(left_out.len(), 3, "{left_out:?}");
    assert!(left_out.iter().all(|entry| entry.row_id == folders[7] && entry.field == "given_names"));
    for folder in [folders[0], folders[7], folders[3_499]] {
        let (there, here) = (
            office.with_store(|store| store.folder(folder, &clock).unwrap()).unwrap(),
            laptop.with_store(|store| store.folder(folder, &clock).unwrap()).unwrap(),
        );
        assert_eq!(here, there);
    }
    let found = laptop.with_store(|store| store.search_people("Popescu 3499", None, 5).unwrap()).unwrap();
    assert_eq!(found.first().map(|hit| hit.given_names.as_str()), Some("Ioana Elena"));
    assert_eq!(client.sync_once(&laptop, &clock, &random).await.unwrap().pulled, 0, "nothing pulled twice");
}

/// A device that worked before its first sync starts from the snapshot without its own
/// entries coming back: it holds them, and a page that sent them would only be read and
/// skipped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_worked_before_its_first_sync_is_not_sent_its_own_entries_back() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, _) = office_and_laptop(&server).await;
    let write = |device: &Mutex<Option<Store>>, family: &str| {
        device
            .with_store(|store| {
                store.in_one_transaction(|store| {
                    (0..40)
                        .map(|n| {
                            let person = PersonDetails { family_name: format!("{family} {n}"), ..Default::default() };
                            store.create_person(&person, &clock)
                        })
                        .collect::<Result<Vec<Uuid>, _>>()
                })
            })
            .unwrap()
            .unwrap()
    };
    write(&office, "Popescu");
    client.sync_once(&office, &clock, &random).await.unwrap();
    write(&laptop, "Diallo");
    let laptop_id = laptop.with_store(|store| store.device_id()).unwrap();

    let whole = |requester| {
        server.storage.snapshot(
            "PUA Galatina",
            requester,
            None,
            0,
            PULL_MAX_ENTRIES,
            porta::sync::protocol::PULL_MAX_BYTES,
        )
    };
    let round = client.sync_once(&laptop, &clock, &random).await.unwrap();
    let (for_anyone, for_laptop) = (whole(None).unwrap(), whole(Some(laptop_id)).unwrap());
    assert!(!for_anyone.more && !for_laptop.more);
    let written_by = |page: &porta_wire::protocol::SnapshotResponse, device| {
        page.entries.iter().filter(|entry| entry.device_id == device).count() as u64
    };
    assert_eq!(written_by(&for_anyone, laptop_id), round.pushed, "the laptop's entries are the office's too");
    assert_eq!(written_by(&for_laptop, laptop_id), 0, "none of them goes back to the laptop");
    assert_eq!(for_laptop.entries.len() as u64, round.pulled as u64, "the office's entries come, once");

    client.sync_once(&office, &clock, &random).await.unwrap();
    let log = |device: &Mutex<Option<Store>>| {
        let mut log = device.with_store(|store| store.change_log().unwrap()).unwrap();
        log.sort_by_key(|entry| entry.op_id);
        log
    };
    assert_eq!(log(&laptop), log(&office));
    let found = laptop.with_store(|store| store.search_people("Popescu 39", None, 5).unwrap()).unwrap();
    assert_eq!(found.len(), 1);
}

/// A folder too large for one answer (900 notes of 20,000 characters: about 18 MB) cannot
/// come whole in a snapshot page: the new device gives the snapshot up after the pages before
/// it and pulls everything in pages instead, in the same round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_too_large_for_a_snapshot_page_arrives_by_pulling() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, _) = office_and_laptop(&server).await;
    let person = PersonDetails { family_name: "Rossi".into(), given_names: "Lucia".into(), ..Default::default() };
    office
        .with_store(|store| {
            store.in_one_transaction(|store| {
                // Folders before it by id (UUIDv7 follow time): more than a page of them.
                for n in 0..4_500 {
                    store
                        .create_person(&PersonDetails { given_names: format!("Anna {n}"), ..person.clone() }, &clock)?;
                }
                let folder = store.create_person(&person, &clock)?;
                for n in 0..900 {
                    let text = format!("{n:05} ").repeat(3_333);
                    let note = porta::folder::note::NoteDetails {
                        text,
                        confidentiality: porta::folder::note::Confidentiality::Normal,
                    };
                    store.add(folder, &note, &clock)?;
                }
                Ok(())
            })
        })
        .unwrap()
        .unwrap();
    let sent = client.sync_once(&office, &clock, &random).await.unwrap().pushed;
    let first = server
        .storage
        .snapshot("PUA Galatina", None, None, 0, PULL_MAX_ENTRIES, porta::sync::protocol::PULL_MAX_BYTES)
        .unwrap();
    assert!(first.more, "the large folder comes after a first page");

    let got = client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert_eq!(got.pulled as u64, sent, "every entry, once");
    assert_eq!(laptop.with_store(|store| store.snapshot_under_way().unwrap()).unwrap(), None);
    assert_eq!(laptop.with_store(|store| store.sync_progress().unwrap().pulled_cursor).unwrap(), sent);
    assert_eq!(
        laptop.with_store(|store| store.change_log().unwrap()).unwrap(),
        office.with_store(|store| store.change_log().unwrap()).unwrap()
    );
}

/// The Ambito's retention: versions replaced before it leave the server's log, nothing a
/// device shows changes, and a device that starts afterwards shows the same folder.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_forgets_versions_replaced_before_the_retention_and_no_folder_changes() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, _) = office_and_laptop(&server).await;
    let day: u64 = 24 * 60 * 60 * 1_000;
    let written = porta::clock::ManualClock::at(clock.now_ms() - 913 * day);
    let person = |family: &str, given: &str| PersonDetails {
        family_name: family.into(),
        given_names: given.into(),
        ..Default::default()
    };
    // Thirty months ago a folder is opened and its given names corrected the next day; a month
    // ago its family name changes.
    let folder =
        office.with_store(|store| store.create_person(&person("Diallo", "Aminta"), &written).unwrap()).unwrap();
    written.advance(std::time::Duration::from_millis(day));
    office.with_store(|store| store.update_person(folder, &person("Diallo", "Aminata"), &written).unwrap()).unwrap();
    written.advance(std::time::Duration::from_millis(881 * day));
    office.with_store(|store| store.update_person(folder, &person("Diallo Ba", "Aminata"), &written).unwrap()).unwrap();
    client.sync_once(&office, &clock, &random).await.unwrap();
    let shown = office.with_store(|store| store.folder(folder, &clock).unwrap()).unwrap();

    let retention = porta_wire::snapshot::kept_ms(porta_wire::snapshot::HISTORY_KEPT_MONTHS);
    assert_eq!(server.storage.compact_history(clock.now_ms() - retention).unwrap(), 1);
    assert_eq!(server.storage.compact_history(clock.now_ms() - retention).unwrap(), 0, "once");
    let page = server.storage.folder_entries(folder, 0, i64::MAX as u64, 1_000, usize::MAX).unwrap();
    assert!(!page.entries.iter().any(|entry| entry.value == "Aminta"), "the old given names are gone");
    let kept: Vec<_> = page.entries.iter().map(|entry| (entry.field.as_str(), entry.value.to_string())).collect();
    assert!(page.entries.iter().any(|entry| entry.value == "Diallo"), "replaced a month ago: kept: {kept:?}");

    client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert_eq!(laptop.with_store(|store| store.folder(folder, &clock).unwrap()).unwrap(), shown);
    assert_eq!(office.with_store(|store| store.folder(folder, &clock).unwrap()).unwrap(), shown);
}

#[tokio::test]
async fn two_enrolled_devices_converge_and_see_one_conflict_to_review() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let ((_office_dir, office), (_laptop_dir, laptop), client, enrolled) = office_and_laptop(&server).await;
    assert_eq!((enrolled.device_name.as_str(), enrolled.ambito.as_str()), ("Portatile", "Ambito di Galatina"));

    let person = PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
    let folder = office.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    let round = client.sync_once(&office, &clock, &random).await.unwrap();
    assert!(round.pushed > 0);
    client.sync_once(&laptop, &clock, &random).await.unwrap();

    // Offline, both change the given names; the laptop also records a contact.
    let renamed = |given: &str| PersonDetails { given_names: given.into(), ..person.clone() };
    office.with_store(|store| store.update_person(folder, &renamed("Aminata Fatou"), &clock).unwrap()).unwrap();
    laptop.with_store(|store| store.update_person(folder, &renamed("Aminatà"), &clock).unwrap()).unwrap();
    laptop.with_store(|store| store.add(folder, &ContactDetails::example(), &clock).unwrap()).unwrap();
    // And people met outdoors who gave no name: a folder of its own, which the server takes.
    let outdoors = AnonymousContactDetails::example();
    let anonymous = laptop.with_store(|store| store.record_anonymous_contact(&outdoors, &clock).unwrap()).unwrap();
    for device in [&office, &laptop, &office] {
        client.sync_once(device, &clock, &random).await.unwrap();
    }

    let seen = |device: &Mutex<Option<Store>>| {
        device
            .with_store(|store| {
                let contacts = store.folder(folder, &clock).unwrap().contacts.len();
                let progress = store.sync_progress().unwrap();
                (store.change_log().unwrap(), store.conflicts(None).unwrap(), contacts, progress.waiting)
            })
            .unwrap()
    };
    let (office_log, office_conflicts, office_contacts, office_waiting) = seen(&office);
    let (laptop_log, laptop_conflicts, _, laptop_waiting) = seen(&laptop);
    assert_eq!(office_log, laptop_log, "both hold the same log");
    assert_eq!(office_contacts, 1, "the office sees the laptop's contact");
    let anonymous_entries =
        office_log.iter().filter(|entry| entry.entity == Entity::AnonymousContact && entry.folder_id == anonymous);
    assert!(anonymous_entries.count() >= 6, "the office holds the anonymous contact's fields");
    assert_eq!((office_waiting, laptop_waiting), (0, 0), "nothing waits to be sent");
    assert_eq!(office_conflicts, laptop_conflicts, "the same conflict on both");
    assert_eq!(office_conflicts.len(), 1);
    assert_eq!((office_conflicts[0].entity, office_conflicts[0].topic.as_str()), (Entity::Person, "given_names"));
    assert_eq!(office_conflicts[0].versions.len(), 2);
}

#[tokio::test]
async fn enrollment_codes_are_single_use_and_expire() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let client = SyncClient::new(&server.base);
    let (_a_dir, a) = device("A");
    let (_b_dir, b) = device("B");
    let code = server.code("A", 10);
    client.enroll(&a, &code, &clock, &random).await.unwrap();
    let reused = client.enroll(&b, &code, &clock, &random).await.unwrap_err();
    assert_eq!(reused.server_code(), Some(ErrorCode::EnrollmentCodeInvalid));
    let again = client.enroll(&a, &server.code("A", 10), &clock, &random).await.unwrap_err();
    assert_eq!((again.code(), again.server_code()), (ErrorCode::DeviceAlreadyEnrolled, None), "refused here");
    // A code issued an hour ago with the default ten minutes.
    let an_hour_ago = SystemClock.now_ms() - 3_600_000;
    let old = issue_code(&*server.storage, "B", "PUA Galatina", None, 10, an_hour_ago, &random).unwrap();
    let expired = client.enroll(&b, &old, &clock, &random).await.unwrap_err();
    assert_eq!(expired.server_code(), Some(ErrorCode::EnrollmentCodeExpired));
    // Typos are caught on the device, before anything is sent: a code too short, and a
    // character changed (the check no longer matches).
    let short = client.enroll(&b, "AAAA-BBBB-CCC", &clock, &random).await.unwrap_err();
    assert_eq!((short.code(), short.server_code()), (ErrorCode::EnrollmentCodeInvalid, None));
    let fresh = server.code("B", 10);
    let changed = if fresh.starts_with('A') { fresh.replacen('A', "B", 1) } else { format!("A{}", &fresh[1..]) };
    let typo = client.enroll(&b, &changed, &clock, &random).await.unwrap_err();
    assert_eq!((typo.code(), typo.server_code()), (ErrorCode::EnrollmentCodeMismatch, None));
    assert_eq!(b.with_store(|store| store.enrollment().unwrap()).unwrap(), None, "B is not enrolled");
    assert!(a.with_store(|store| store.enrollment().unwrap()).unwrap().is_some());
}

#[tokio::test]
async fn bad_input_is_refused_with_its_own_code_and_stores_nothing() {
    let server = Server::start().await;
    let base = &server.base;
    let device = RawDevice::enroll(&server).await;
    let good = |from, to| device.entries(from, to);
    let request = |entries: &[porta::store::change_log::ChangeEntry]| {
        serde_json::to_value(PushRequest::new(device.id, entries)).unwrap()
    };

    let malformed = device.request(base, "POST", "/api/v1/push", b"{not json", SystemClock.now_ms());
    refused(malformed.send().await.unwrap(), 400, ErrorCode::MalformedRequest).await;

    let mut old_protocol = request(&good(1, 1));
    old_protocol["protocol"] = serde_json::json!(PROTOCOL_VERSION + 1);
    refused(device.push(base, &old_protocol).await, 400, ErrorCode::UnsupportedProtocol).await;

    let huge = serde_json::json!({ "protocol": PROTOCOL_VERSION, "device_id": device.id, "entries": vec![serde_json::json!({"seq": 1}); porta::sync::protocol::PUSH_MAX_ENTRIES + 1] });
    refused(device.push(base, &huge).await, 413, ErrorCode::PayloadTooLarge).await;

    let gap = refused(device.push(base, &request(&good(3, 4))).await, 409, ErrorCode::SequenceGap).await;
    assert!(gap.contains('1'), "the message names where to start: {gap}");

    let mut from_the_future = good(1, 1);
    from_the_future[0].hlc.wall_ms = SystemClock.now_ms() + 3_600_000;
    let drift = refused(device.push(base, &request(&from_the_future)).await, 409, ErrorCode::ClockDrift).await;
    assert!(drift.contains("60") || drift.contains("59"), "{drift}");

    // Authentication: no signature, a signature by another key, a body changed after signing,
    // a request signed an hour ago, the same request twice, another device's entries.
    let body = serde_json::to_vec(&request(&good(1, 1))).unwrap();
    let unsigned = reqwest::Client::new().post(format!("{base}/api/v1/push")).body(body.clone());
    refused(unsigned.send().await.unwrap(), 401, ErrorCode::Unauthenticated).await;
    let impostor =
        RawDevice { id: device.id, key: DeviceKey::generate(&SystemRandom::new()).unwrap(), operator: device.operator };
    let forged = impostor.request(base, "POST", "/api/v1/push", &body, SystemClock.now_ms());
    refused(forged.send().await.unwrap(), 401, ErrorCode::BadSignature).await;
    let tampered = device.request(base, "POST", "/api/v1/push", &body, SystemClock.now_ms()).body(b"{}".to_vec());
    refused(tampered.send().await.unwrap(), 401, ErrorCode::BadSignature).await;
    let stale = device.request(base, "POST", "/api/v1/push", &body, SystemClock.now_ms() - 3_600_000);
    refused(stale.send().await.unwrap(), 401, ErrorCode::StaleRequest).await;
    let once = device.request(base, "GET", "/api/v1/pull?after=0", b"", SystemClock.now_ms());
    let twice = once.try_clone().unwrap();
    assert_eq!(once.send().await.unwrap().status(), 200);
    refused(twice.send().await.unwrap(), 409, ErrorCode::ReplayedRequest).await;
    let other = RawDevice::enroll(&server).await;
    let not_mine = other.push(base, &request(&good(1, 1))).await;
    refused(not_mine, 401, ErrorCode::Unauthenticated).await;

    let stored = || server.storage.pull(0, 1000, usize::MAX, "PUA Galatina", None).unwrap().entries.len();
    assert_eq!(stored(), 0, "nothing was stored");
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), 200, "the server still serves");

    // An entry the server cannot read is rejected alone and keeps its place.
    let mut batch = request(&good(1, 3));
    batch["entries"][1]["entity"] = serde_json::json!("spaceship");
    batch["entries"][2]["device_id"] = serde_json::json!(Uuid::now_v7());
    let answer: PushResponse = device.push(base, &batch).await.json().await.unwrap();
    assert_eq!(answer.acknowledged, 3);
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(codes, vec![(2, RejectionCode::InvalidEntry), (3, RejectionCode::WrongDevice)]);
    assert_eq!(stored(), 1);

    // A device of another office neither writes into this office's folder nor receives it.
    let soleto = RawDevice::enroll_in(&server, "Soleto").await;
    let intruding = soleto.entries(1, 1);
    let body = serde_json::to_value(PushRequest::new(soleto.id, &intruding)).unwrap();
    let answer: PushResponse = soleto.push(base, &body).await.json().await.unwrap();
    assert_eq!(answer.rejected.iter().map(|r| r.code).collect::<Vec<_>>(), vec![RejectionCode::OutOfScope]);
    assert!(soleto.pull_all(base).await.is_empty(), "nothing of PUA Galatina reaches Soleto");
    assert_eq!(stored(), 1, "and nothing was added to the folder");
}

#[tokio::test]
async fn a_revoked_device_syncs_nothing_and_a_wipe_order_erases_the_device() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let client = SyncClient::new(&server.base);
    let (laptop_dir, laptop) = device("Portatile");
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Khan".into(), given_names: "Imran".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();

    server.storage.set_status(device_id, DeviceStatus::Revoked).unwrap();
    let revoked = client.sync_once(&laptop, &clock, &random).await.unwrap_err();
    assert_eq!(revoked.server_code(), Some(ErrorCode::DeviceRevoked));
    assert_eq!(server.storage.acknowledged(device_id).unwrap(), 0, "nothing was taken in");
    let waiting = laptop.with_store(|store| store.sync_progress().unwrap().waiting).unwrap();
    assert!(waiting > 0, "the folders stay on the revoked device");

    server.storage.set_status(device_id, DeviceStatus::WipeOrdered).unwrap();
    let wiped = client.sync_once(&laptop, &clock, &random).await.unwrap_err();
    assert_eq!(wiped.server_code(), Some(ErrorCode::WipeOrdered));
    if let porta::sync::client::SyncError::Refused(payload) = &wiped {
        assert!(payload.message.contains("cancellat"), "the operator is told: {}", payload.message);
    }
    assert!(matches!(laptop.with_store(|_| ()), Err(porta::sync::client::SyncError::Locked)), "the store is closed");
    let data_dir = porta::DataDir::resolve(Some(laptop_dir.path().to_owned())).unwrap();
    assert!(!data_dir.database_file().exists() && !data_dir.key_file().exists(), "database and key file erased");
}

#[tokio::test]
async fn the_background_engine_syncs_saves_reports_offline_and_catches_up() {
    use porta::sync::engine::{EngineSettings, SyncEngine, SyncState};
    use std::time::Duration;
    let mut server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (laptop_dir, laptop) = device("Portatile");
    let laptop = Arc::new(laptop);
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();
    let database_file = porta::DataDir::resolve(Some(laptop_dir.path().to_owned())).unwrap().database_file();
    let engine = SyncEngine::new();
    let settings = EngineSettings {
        every: Duration::from_secs(60),
        after_save: Duration::from_millis(20),
        first_retry: Duration::from_millis(50),
        longest_retry: Duration::from_millis(200),
    };
    let random_source: Arc<dyn ring::rand::SecureRandom + Send + Sync> = Arc::new(SystemRandom::new());
    let server_clock = Arc::new(porta::sync::server_time::ServerClock::new(Arc::new(SystemClock)));
    tokio::spawn(engine.clone().run(laptop.clone(), server_clock, random_source, settings, porta::Locale::It));
    eventually("not enrolled is reported", || engine.status().state == SyncState::NotEnrolled).await;

    // A save stays in the WAL; once the desk is quiet the engine copies it into the database.
    let database = || std::fs::read(&database_file).unwrap();
    let before = database();
    let unsynced = PersonDetails { family_name: "Osei".into(), given_names: "Kofi".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&unsynced, &clock).unwrap()).unwrap();
    assert_eq!(database(), before, "a save alone does not checkpoint");
    engine.nudge();
    eventually("the save is checkpointed", || database() != before).await;

    SyncClient::new(&server.base).enroll(&*laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Popescu".into(), given_names: "Ioana".into(), ..Default::default() };
    let folder = laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    engine.nudge();
    eventually("the save reaches the server", || {
        server.storage.acknowledged(device_id).unwrap() > 0 && engine.status().state == SyncState::UpToDate
    })
    .await;
    let status = engine.status();
    assert_eq!((status.waiting, status.last_error.clone()), (0, None));
    assert!(status.last_success_ms.is_some());

    // The server goes away: the engine says so in words and keeps trying.
    server.halt().await;
    let renamed = PersonDetails { given_names: "Ioana Maria".into(), ..person.clone() };
    laptop.with_store(|store| store.update_person(folder, &renamed, &clock).unwrap()).unwrap();
    engine.nudge();
    eventually("offline is reported", || engine.status().state == SyncState::Offline).await;
    let offline = engine.status();
    assert_eq!(offline.last_error.as_ref().map(|error| error.code), Some(ErrorCode::ServerUnreachable));
    assert!(offline.last_error.unwrap().message.contains("connessione"));
    assert!(offline.waiting > 0, "the edit waits on the laptop");

    // Back: a retry (no nudge needed) sends what waited.
    server.resume().await;
    let highest = laptop.with_store(|store| store.highest_seq(device_id).unwrap()).unwrap();
    eventually("the edit arrives after the server is back", || {
        server.storage.acknowledged(device_id).unwrap() == highest && engine.status().state == SyncState::UpToDate
    })
    .await;

    // Revoked: the engine stops for good, saying why.
    server.storage.set_status(device_id, DeviceStatus::Revoked).unwrap();
    engine.nudge();
    eventually("revocation stops the engine", || engine.status().state == SyncState::Stopped).await;
    assert_eq!(engine.status().last_error.map(|error| error.code), Some(ErrorCode::DeviceRevoked));
}

#[tokio::test]
async fn a_device_over_its_rate_is_told_when_to_come_back_and_others_are_served() {
    let server = Server::start_with(Limits { burst: 5, per_second: 1 }).await;
    let (busy, quiet) = (RawDevice::enroll(&server).await, RawDevice::enroll(&server).await);
    let pull =
        |device: &RawDevice| device.request(&server.base, "GET", "/api/v1/pull?after=0", b"", SystemClock.now_ms());
    for _ in 0..5 {
        assert_eq!(pull(&busy).send().await.unwrap().status(), 200);
    }
    let limited = pull(&busy).send().await.unwrap();
    let retry_after = limited.headers().get("retry-after").unwrap().to_str().unwrap().to_owned();
    assert_eq!(retry_after, "1");
    assert_eq!(limited.status(), 429);
    let payload: ErrorPayload = limited.json().await.unwrap();
    assert_eq!(payload.code, ErrorCode::RateLimited);
    assert!(payload.message.contains("riprende da sola"), "{}", payload.message);
    // An operator working in English reads it in English, with the same wait.
    let english = porta::sync::client::SyncError::Refused(payload).payload(&porta::Localizer::new(), porta::Locale::En);
    assert!(
        english.message.contains("resumes by itself in") && english.message.contains("\u{2068}1\u{2069}"),
        "{}",
        english.message
    );
    assert_eq!(pull(&quiet).send().await.unwrap().status(), 200, "another device is still served");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(pull(&busy).send().await.unwrap().status(), 200, "after the pause, served again");
}

#[tokio::test]
async fn answers_are_compressed_for_devices_that_accept_it_and_compressed_pushes_are_taken() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (_dir, laptop) = device("Portatile");
    let client = SyncClient::new(&server.base);
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    laptop
        .with_store(|store| {
            for n in 0..200 {
                let person = PersonDetails {
                    family_name: format!("Prova {n}"),
                    given_names: "Gzip".into(),
                    ..Default::default()
                };
                store.create_person(&person, &clock).unwrap();
            }
        })
        .unwrap();
    // Well over the size from which the client compresses its pushes.
    let round = client.sync_once(&laptop, &clock, &random).await.unwrap();
    let written = laptop.with_store(|store| store.change_log().unwrap().len()).unwrap();
    assert_eq!(round.pushed, written as u64);

    let reader = RawDevice::enroll(&server).await;
    let page = reader
        .request(&server.base, "GET", "/api/v1/pull?after=0", b"", SystemClock.now_ms())
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers().get("content-encoding").unwrap(), "gzip");
    let compressed = page.bytes().await.unwrap();
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&compressed[..]), &mut json).unwrap();
    let pulled: PullResponse = serde_json::from_slice(&json).unwrap();
    assert_eq!(pulled.entries.len(), written);
    assert!(compressed.len() * 3 < json.len(), "{} compressed bytes for {} of JSON", compressed.len(), json.len());
}
