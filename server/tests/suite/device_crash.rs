//! A device process killed — SIGKILL on Linux, TerminateProcess on Windows (`Child::kill`;
//! the Windows build runs this under Wine) — while it syncs: after its local commits, before or
//! while the server acknowledges them — and restarted: once sync completes, the server holds
//! every entry exactly once and another device sees every committed person.
//!
//! The test re-runs itself as the device (with `PORTA_SYNC_CRASH_DIR` and
//! `PORTA_SYNC_CRASH_SERVER` set): the child unlocks a real SQLCipher store, commits people
//! and syncs with the real server in a loop, printing what it has done; the parent kills it
//! at varying moments of a sync round.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use porta::DataDir;
use porta::clock::SystemClock;
use porta::folder::person::PersonDetails;
use porta::store::Store;
use porta::sync::client::{StoreAccess, SyncClient};
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;

use crate::common::{PASSPHRASE, Server, device};

const TEST_NAME: &str = "device_crash::a_device_killed_while_syncing_loses_and_doubles_nothing";

fn iterations() -> usize {
    std::env::var("PORTA_SYNC_CRASH_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(8)
}

/// The child's part: commit and sync until killed. Standard output tells the parent.
#[allow(clippy::print_stdout)]
fn sync_until_killed(dir: std::ffi::OsString, server: String) -> ! {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let data_dir = DataDir::resolve(Some(dir.into())).unwrap();
    let device = Mutex::new(Some(Store::unlock(&data_dir, "admin", PASSPHRASE, &SystemClock).unwrap()));
    let client = SyncClient::new(&server);
    let random = SystemRandom::new();
    for round in 0.. {
        for n in 0..20 {
            let person = PersonDetails {
                family_name: format!("Prova {round}-{n}"),
                given_names: "Sync".into(),
                phone: Some(format!("+39 333 {round:04}{n:03}")),
                ..Default::default()
            };
            let id = device.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
            println!("committed {id}");
        }
        println!("syncing");
        match runtime.block_on(client.sync_once(&device, &SystemClock, &random)) {
            Ok(_) => println!("synced"),
            Err(error) => println!("failed {error}"),
        }
    }
    unreachable!("the loop ends only when the process is killed")
}

#[test]
fn a_device_killed_while_syncing_loses_and_doubles_nothing() {
    if let (Some(dir), Ok(server)) =
        (std::env::var_os("PORTA_SYNC_CRASH_DIR"), std::env::var("PORTA_SYNC_CRASH_SERVER"))
    {
        sync_until_killed(dir, server);
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(Server::start());
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (folder, laptop) = device("Portatile");
    let client = SyncClient::new(&server.base);
    runtime.block_on(client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random)).unwrap();
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();
    laptop.lock().unwrap().take().unwrap().lock();

    let mut committed = Vec::new();
    let mut killed_mid_round = 0;
    for iteration in 0..iterations() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
            .env("PORTA_SYNC_CRASH_DIR", folder.path())
            .env("PORTA_SYNC_CRASH_SERVER", &server.base)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill during the first or second round, a varying time after it starts.
        let rounds = 1 + iteration % 2;
        let started = Instant::now();
        let mut seen_rounds = 0;
        let mut in_round = false;
        while seen_rounds < rounds && started.elapsed() < Duration::from_secs(60) {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(id) = line.strip_prefix("committed ") {
                committed.push(id.to_owned());
            } else if line == "syncing" {
                seen_rounds += 1;
                in_round = true;
            } else {
                in_round = false;
            }
        }
        assert_eq!(seen_rounds, rounds, "iteration {iteration}: the device stopped early");
        std::thread::sleep(Duration::from_millis((iteration as u64 * 7) % 40));
        child.kill().unwrap();
        child.wait().unwrap();
        let mut finished = false;
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("committed ") {
                committed.push(id.to_owned());
            } else if line == "synced" || line.starts_with("failed") {
                finished = true;
            }
        }
        if in_round && !finished {
            killed_mid_round += 1;
        }
    }
    eprintln!("kills inside a sync round: {killed_mid_round} of {}", iterations());
    assert!(killed_mid_round > 0, "at least one kill landed inside a sync round");

    // Restarted, the device syncs until nothing waits.
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).unwrap();
    let laptop = Mutex::new(Some(Store::unlock(&data_dir, "admin", PASSPHRASE, &clock).unwrap()));
    runtime.block_on(client.sync_once(&laptop, &clock, &random)).unwrap();
    let (log, waiting) =
        laptop.with_store(|store| (store.change_log().unwrap(), store.sync_progress().unwrap().waiting)).unwrap();
    assert_eq!(waiting, 0);
    let last = log.iter().map(|entry| entry.seq).max().unwrap();

    // The server holds each of the device's entries exactly once, byte for byte.
    assert_eq!(server.storage.acknowledged(device_id).unwrap(), last);
    let page = server.storage.pull(0, 1_000_000, usize::MAX, "PUA Galatina", None).unwrap();
    let stored: Vec<_> = page.entries.iter().filter(|entry| entry.device_id == device_id).collect();
    let seqs: Vec<u64> = stored.iter().map(|entry| entry.seq).collect();
    assert_eq!(seqs, (1..=last).collect::<Vec<_>>(), "every entry once, none missing, none doubled");
    for (stored, local) in stored.iter().zip(&log) {
        assert_eq!(**stored, *local, "the server holds what the device wrote");
    }

    // Another device sees every person the killed device committed.
    let (_office_dir, office) = device("Ufficio");
    runtime.block_on(client.enroll(&office, &server.code("Ufficio", 10), &clock, &random)).unwrap();
    runtime.block_on(client.sync_once(&office, &clock, &random)).unwrap();
    office
        .with_store(|store| {
            for id in &committed {
                let id = uuid::Uuid::try_parse(id).unwrap();
                store.person(id, &clock).unwrap_or_else(|error| panic!("committed person {id} lost: {error:?}"));
            }
        })
        .unwrap();
}
