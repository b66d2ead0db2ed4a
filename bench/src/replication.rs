//! Replication against the real server on loopback: persons written on one device reaching
//! another through the server (beside the same workload on PouchDB and Automerge), and a
//! new device bootstrapping an office's folders in a process of its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use porta::DataDir;
use porta::clock::SystemClock;
use porta::folder::person::{PartialDate, PersonDetails, Sex};
use porta::store::{FirstRun, Store};
use porta::sync::client::{RoundReport, SyncClient};
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{Ambito, Incoming, Readable, SyncStore};
use ring::rand::SystemRandom;
use serde::Deserialize;

use crate::slow_link::SlowLink;

/// The real server in a temporary folder, on a loopback port, with an office per workload.
pub struct LoopbackServer {
    runtime: tokio::runtime::Runtime,
    base: String,
    storage: Arc<SqliteStore>,
    _folder: tempfile::TempDir,
    _serving: porta_server::loopback::LoopbackServer,
}

/// What the bootstrap process reports.
#[derive(Debug, Deserialize)]
pub struct Bootstrap {
    pub seconds: f64,
    pub pulled: usize,
    pub peak_mb: f64,
    /// Sync rounds it took (more than one when the link cut some).
    pub rounds: usize,
    /// The round that sent a day's outreach, when it was asked for.
    pub push_s: Option<f64>,
}

/// The health key of the benchmark's unencrypted stores, which its servers keep.
pub fn bench_health_key() -> porta::health_key::HealthKey {
    porta::health_key::HealthKey::from_bytes(&porta::store::UNENCRYPTED_STORE_HEALTH_KEY).expect("32 bytes")
}

impl LoopbackServer {
    pub fn start(offices: &[&str]) -> LoopbackServer {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        let folder = tempfile::tempdir().expect("a temporary folder");
        let storage = Arc::new(SqliteStore::open(&folder.path().join("server.db")).expect("server db"));
        let ambito = Ambito { name: "Ambito".into(), offices: offices.iter().map(|office| (*office).into()).collect() };
        storage.set_up(&ambito).expect("set up");
        // The benchmark's stores seal health content under their fixed key: the server's.
        storage.keep_health_key(&bench_health_key()).expect("the fixture's health key");
        // The per-device rate limit (300 requests at once, 30 a second) is for devices that
        // misbehave; a device pushing millions of entries and audit lines in one round would
        // meet it and wait, which measures the limit rather than the sync.
        let limits = porta_server::rate_limit::Limits { burst: 1_000_000, per_second: 1_000_000 };
        let state = porta_server::ServerState::with_limits(storage.clone(), None, limits);
        let serving = runtime.block_on(porta_server::loopback::LoopbackServer::start(state)).expect("a loopback port");
        LoopbackServer { runtime, base: serving.base.clone(), storage, _folder: folder, _serving: serving }
    }

    /// The server's address (`http://127.0.0.1:PORT`).
    pub fn base(&self) -> &str {
        &self.base
    }

    fn code(&self, office: &str) -> String {
        let now = porta::clock::Clock::now_ms(&SystemClock);
        porta_server::enrollment::issue_code(&*self.storage, "bench", office, None, 10, now, &SystemRandom::new())
            .expect("a code")
    }

    /// Gives `office` an administrator account `login` on the server, as `porta-server
    /// operators create` would: who enrolls a device must be one.
    fn administrator(&self, login: &str, office: &str) {
        let known = self.storage.operators(None).expect("the accounts").iter().any(|account| account.login == login);
        if !known {
            let account = porta_server::storage::OperatorRecord {
                id: uuid::Uuid::now_v7(),
                login: login.into(),
                display_name: login.into(),
                role: porta::store::Role::Administrator,
                office: office.into(),
                disabled: false,
                activation: None,
            };
            self.storage.add_operator(&account).expect("an administrator account");
        }
    }

    /// Enrolls `device` in `office`.
    pub fn enroll(&self, device: &Mutex<Option<Store>>, office: &str) {
        let login =
            device.lock().expect("the store's lock").as_ref().expect("an unlocked store").operator().login.clone();
        self.administrator(&login, office);
        let client = SyncClient::new(&self.base);
        let code = self.code(office);
        self.runtime.block_on(client.enroll(device, &code, &SystemClock, &SystemRandom::new())).expect("enrolled");
    }

    /// One sync round of `device` (pushing everything it wrote), timed.
    pub fn sync(&self, device: &Mutex<Option<Store>>) -> (RoundReport, f64) {
        let client = SyncClient::new(&self.base);
        let started = Instant::now();
        let round =
            self.runtime.block_on(client.sync_once(device, &SystemClock, &SystemRandom::new())).expect("a sync round");
        (round, started.elapsed().as_secs_f64())
    }

    /// Gives the server everything `device` writes until `written` is set, as its pushes
    /// would have left it, without the HTTP round trips: the set-up of a bootstrap, whose
    /// push is not what it measures (`push_entries_per_s` is). `device` is a second
    /// connection to a store being written: committed entries are read back 20,000 at a time
    /// and stored through the storage's own push. Returns how many, and the seconds.
    pub fn import(&self, device: &Store, office: &str, written: &AtomicBool) -> (u64, f64) {
        let started = Instant::now();
        let (mut after, mut stored) = (0, 0);
        loop {
            // Read after the flag: once it is set, one more read sees every entry.
            let finished = written.load(Ordering::Acquire);
            let entries = device.own_entries_after(after, 20_000).expect("the device's entries");
            let Some(last) = entries.last() else {
                if finished {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
                continue;
            };
            after = last.seq;
            let incoming: Vec<Incoming> = entries
                .iter()
                .map(|entry| {
                    let body = serde_json::to_string(entry).expect("entries serialise");
                    (entry.seq, Ok(Readable::new(body, entry)))
                })
                .collect();
            let pushed = self.storage.push(device.device_id(), office, &incoming).expect("the server stores them");
            assert!(pushed.rejected.is_empty(), "the server refused entries: {:?}", pushed.rejected);
            stored += incoming.len() as u64;
        }
        (stored, started.elapsed().as_secs_f64())
    }

    /// A new device of `office` pulls everything, in its own process (`porta-bootstrap`).
    pub fn bootstrap(&self, office: &str) -> Bootstrap {
        self.bootstrap_through(office, None, 0)
    }

    /// [`LoopbackServer::bootstrap`] through `link` (else straight to the server); then, with
    /// `contacts`, the device records that many contacts and sends them.
    pub fn bootstrap_through(&self, office: &str, link: Option<&SlowLink>, contacts: usize) -> Bootstrap {
        // `porta-bootstrap` sets up its device with `FirstRun::example`'s administrator.
        self.administrator(&FirstRun::example("").admin_login, office);
        let program = sibling("porta-bootstrap");
        let base = link.map_or(self.base.as_str(), |link| link.base.as_str());
        let mut command = Command::new(&program);
        command.arg(base).arg(self.code(office)).args(["--contacts", &contacts.to_string()]);
        let output = command.output().unwrap_or_else(|error| {
            panic!("cannot start {}: {error} (build it: cargo build -p porta-bench --bins)", program.display())
        });
        assert!(output.status.success(), "bootstrap failed: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("the bootstrap's JSON line")
    }
}

/// A binary built next to this one.
fn sibling(name: &str) -> PathBuf {
    let this = std::env::current_exe().expect("this program's path");
    this.parent().expect("its folder").join(name)
}

/// One synthetic person of the replication workload: nine fields, the same the peers write.
pub fn person(n: usize) -> PersonDetails {
    PersonDetails {
        family_name: format!("Diallo {n}"),
        given_names: "Aminata".into(),
        sex: Some(if n.is_multiple_of(2) { Sex::Female } else { Sex::Male }),
        birth_date: Some(PartialDate {
            year: 1970 + (n % 40) as i16,
            month: Some(1 + (n % 12) as u8),
            day: Some(1 + (n % 28) as u8),
            estimated: false,
        }),
        birth_country: Some("Z343".into()),
        citizenships: vec!["Z343".into()],
        languages: vec!["fr".into(), "wo".into()],
        phone: Some(format!("+39 333 {n:07}")),
        ..PersonDetails::default()
    }
}

/// An encrypted store holding `count` persons of the replication workload.
pub fn persons_store(count: usize) -> (tempfile::TempDir, Mutex<Option<Store>>) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).expect("the data folder");
    let first = FirstRun::example("Sorgente");
    let (mut store, _) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).expect("first run");
    for start in (0..count).step_by(2_000) {
        store
            .in_one_transaction(|store| {
                for n in start..count.min(start + 2_000) {
                    store.create_person(&person(n), &SystemClock)?;
                }
                Ok(())
            })
            .expect("persons");
    }
    (folder, Mutex::new(Some(store)))
}

/// PouchDB's seconds for the same workload (`bench/peers/replicate.mjs`, run by Node).
#[derive(Debug, Deserialize)]
pub struct PouchDb {
    pub pouchdb_s: f64,
}

pub fn pouchdb(root: &Path, persons: usize) -> Result<PouchDb, String> {
    let script = root.join("bench/peers/replicate.mjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(persons.to_string())
        .output()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed (run `npm ci --prefix bench/peers` first): {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| format!("the peers' answer: {error}"))
}
