//! A new device joining an Ambito, in a process of its own so that its peak memory is its
//! own: sets up an encrypted store, enrolls with a one-time code and pulls every folder of
//! its office through the real sync client. Started by `porta-bench`; prints one JSON line:
//! `{"seconds": …, "pulled": …, "peak_mb": …, "rounds": …, "push_s": …}` (seconds from enrolled
//! to up to date).
//!
//! A round cut by the link is followed by another, as the app's sync engine does, from where
//! the cut left it (pulled pages keep their cursor); `rounds` counts them. With
//! `--contacts N`, the device then records a day's outreach — N contacts with a note, with
//! people of the folders it pulled — and `push_s` times the round that sends it.
//!
//! With `--fill N` it is instead the device an office already worked on: it writes N
//! synthetic people with their folders (as `porta-demo` does) and pushes them, so that a
//! device enrolled next — the real window in the end-to-end tests — has a long pull to make.

use std::sync::Mutex;
use std::time::Instant;

use porta::DataDir;
use porta::clock::SystemClock;
use porta::demo::{self, DemoSpec};
use porta::folder::contact::ContactDetails;
use porta::folder::note::NoteDetails;
use porta::store::{FirstRun, Store};
use porta::sync::client::{RoundReport, SyncClient, SyncError};
use ring::rand::SystemRandom;

/// Rounds tried before giving up: a link that cuts one request in a hundred never needs many.
const MAX_ROUNDS: usize = 50;

/// The process's peak resident memory (VmHWM), in megabytes.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kilobytes = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kilobytes / 1000.0
}

/// Rounds until one completes; answers the last round's report and how many rounds it took.
fn sync_until_done(
    runtime: &tokio::runtime::Runtime,
    client: &SyncClient,
    device: &Mutex<Option<Store>>,
) -> (RoundReport, usize) {
    for round in 1..=MAX_ROUNDS {
        match runtime.block_on(client.sync_once(device, &SystemClock, &SystemRandom::new())) {
            Ok(report) => return (report, round),
            // Cut: what the round applied before the cut stays applied.
            Err(SyncError::Unreachable) => continue,
            Err(error) => panic!("sync failed: {error}"),
        }
    }
    panic!("no round completed in {MAX_ROUNDS}");
}

#[allow(clippy::print_stdout)] // Its answer is its standard output.
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(server), Some(code)) = (args.next(), args.next()) else {
        eprintln!("usage: porta-bootstrap SERVER_URL ENROLLMENT_CODE [--contacts N | --fill N]");
        std::process::exit(2);
    };
    let (contacts, fill): (usize, usize) = match (args.next().as_deref(), args.next()) {
        (Some("--contacts"), Some(n)) => (n.parse().expect("--contacts takes a number"), 0),
        (Some("--fill"), Some(n)) => (0, n.parse().expect("--fill takes a number")),
        _ => (0, 0),
    };
    let folder = tempfile::tempdir().expect("a temporary folder");
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).expect("the data folder");
    let first = FirstRun::example("Nuovo portatile");
    let (store, _) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).expect("first run");
    let device = Mutex::new(Some(store));
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let client = SyncClient::new(&server);
    let random = SystemRandom::new();
    runtime.block_on(client.enroll(&device, &code, &SystemClock, &random)).expect("enrolled");
    if fill > 0 {
        let spec = DemoSpec { persons: fill, seed: 1, today: porta::calendar::date(2026, 11, 26) };
        let summary = demo::fill(device.lock().expect("the store").as_mut().expect("unlocked"), &spec).expect("filled");
        let started = Instant::now();
        let (report, rounds) = sync_until_done(&runtime, &client, &device);
        println!(
            "{}",
            serde_json::json!({ "persons": summary.persons, "pushed": report.pushed, "rounds": rounds, "seconds": started.elapsed().as_secs_f64() })
        );
        return;
    }
    let started = Instant::now();
    let (_, rounds) = sync_until_done(&runtime, &client, &device);
    let seconds = started.elapsed().as_secs_f64();
    // Counted in the store, so that what cut rounds applied counts too (and nothing twice).
    let pulled = device.lock().expect("the store").as_ref().expect("unlocked").entries_from_others().expect("a count");

    let push_s = (contacts > 0).then(|| {
        {
            let mut guard = device.lock().expect("the store");
            let store = guard.as_mut().expect("unlocked");
            let people = store.search_people("a", None, contacts).expect("people to meet");
            assert!(!people.is_empty(), "the bootstrap brought no people");
            // Saved one by one, as through the day.
            for n in 0..contacts {
                let note = NoteDetails { text: format!("Incontro in strada n. {n}"), ..NoteDetails::example() };
                let person = people[n % people.len()].id;
                store.record_contact(person, &ContactDetails::example(), Some(&note), &SystemClock).expect("a contact");
            }
        }
        let started = Instant::now();
        let (report, _) = sync_until_done(&runtime, &client, &device);
        assert!(report.pushed > 0, "the contacts were not pushed");
        started.elapsed().as_secs_f64()
    });
    println!(
        "{}",
        serde_json::json!({ "seconds": seconds, "pulled": pulled, "peak_mb": peak_mb(), "rounds": rounds, "push_s": push_s })
    );
}
