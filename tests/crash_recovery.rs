//! A device killed with SIGKILL in the middle of a stream of writes loses nothing it had
//! committed, and its change log still agrees with its state.
//!
//! The test re-runs itself as the writer (with `PORTA_CRASH_DIR` set): the child unlocks a
//! real SQLCipher store and creates people in a loop, printing each id after its transaction
//! committed; the parent kills it after a varying number of commits, wherever it is, reopens
//! the store and checks.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use porta::DataDir;
use porta::clock::SystemClock;
use porta::folder::person::PersonDetails;
use porta::store::{FirstRun, Store};
use ring::rand::SystemRandom;

const PASSPHRASE: &str = FirstRun::EXAMPLE_PASSPHRASE;
/// Kills in a normal run; `PORTA_CRASH_ITERATIONS` asks for more.
fn iterations() -> usize {
    std::env::var("PORTA_CRASH_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(8)
}

fn details(n: u64) -> PersonDetails {
    PersonDetails {
        family_name: format!("Prova{n}"),
        given_names: "Crash".into(),
        aliases: vec![format!("Alias{n}")],
        phone: Some(format!("+39 333 {n:07}")),
        ..Default::default()
    }
}

/// The child's part: write until killed.
fn write_until_killed(dir: std::ffi::OsString) -> ! {
    let data_dir = DataDir::resolve(Some(dir.into())).unwrap();
    let mut store = Store::unlock(&data_dir, "admin", PASSPHRASE, &SystemClock).unwrap();
    for n in 0.. {
        let id = store.create_person(&details(n), &SystemClock).unwrap();
        // Printed only after create_person returned, that is after the commit; standard
        // output is how the child tells the parent.
        #[allow(clippy::print_stdout)]
        {
            println!("committed {id}");
        }
    }
    unreachable!("the loop ends only when the process is killed")
}

#[test]
fn a_killed_writer_loses_nothing_it_committed() {
    if let Some(dir) = std::env::var_os("PORTA_CRASH_DIR") {
        write_until_killed(dir);
    }
    let folder = tempfile::tempdir().unwrap();
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).unwrap();
    let first = FirstRun::example("Prova crash");
    Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).unwrap().0.lock();

    let mut committed = Vec::new();
    for iteration in 0..iterations() {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["a_killed_writer_loses_nothing_it_committed", "--exact", "--nocapture", "--test-threads=1"])
            .env("PORTA_CRASH_DIR", folder.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Let it write for a varying number of commits, then kill it wherever it is.
        let wanted = 3 + (iteration % 8) * 5;
        let started = Instant::now();
        let mut seen = 0;
        while seen < wanted && started.elapsed() < Duration::from_secs(60) {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(id) = line.strip_prefix("committed ") {
                        committed.push(id.to_owned());
                        seen += 1;
                    }
                }
                _ => break,
            }
        }
        assert_eq!(seen, wanted, "iteration {iteration}: the writer stopped early");
        child.kill().unwrap();
        child.wait().unwrap();
        // Anything printed before the kill landed is committed too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("committed ") {
                committed.push(id.to_owned());
            }
        }
    }

    let store = Store::unlock(&data_dir, "admin", PASSPHRASE, &SystemClock).unwrap();
    for id in &committed {
        let id = uuid::Uuid::try_parse(id).unwrap();
        store.person(id, &SystemClock).unwrap_or_else(|error| panic!("committed person {id} lost: {error:?}"));
    }

    // The change log agrees with the state: the last entry of every field is its value, and
    // the sequence has no gap.
    let log = store.change_log().unwrap();
    let seqs: Vec<u64> = log.iter().map(|entry| entry.seq).collect();
    assert_eq!(seqs, (1..=log.len() as u64).collect::<Vec<_>>(), "gapless sequence after crashes");
    let mut last: BTreeMap<(uuid::Uuid, String), &serde_json::Value> = BTreeMap::new();
    let mut ordered: Vec<_> = log.iter().collect();
    ordered.sort_by_key(|entry| entry.hlc);
    for entry in ordered {
        last.insert((entry.row_id, entry.field.clone()), &entry.value);
    }
    let people: std::collections::BTreeSet<uuid::Uuid> = last.keys().map(|(row, _)| *row).collect();
    assert!(people.len() >= committed.len(), "every committed person is in the log");
    for person in people {
        let current = serde_json::to_value(store.person(person, &SystemClock).unwrap().details).unwrap();
        for ((row, field), value) in last.range((person, String::new())..) {
            if *row != person {
                break;
            }
            assert_eq!(&current[field.as_str()], *value, "{person} {field}");
        }
    }
}
