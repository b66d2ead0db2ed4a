//! A new device joining an Ambito, in a process of its own so that its peak memory is its
//! own: sets up an encrypted store, enrolls with a one-time code and pulls every folder of
//! its office through the real sync client. Started by `porta-bench`; prints one JSON line:
//! `{"seconds": …, "pulled": …, "peak_mb": …}` (seconds from enrolled to up to date).

use std::sync::Mutex;
use std::time::Instant;

use porta::DataDir;
use porta::clock::SystemClock;
use porta::store::{FirstRun, Store};
use porta::sync::client::SyncClient;
use ring::rand::SystemRandom;

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

#[allow(clippy::print_stdout)] // Its answer is its standard output.
fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(server), Some(code)) = (args.next(), args.next()) else {
        eprintln!("usage: porta-bootstrap SERVER_URL ENROLLMENT_CODE");
        std::process::exit(2);
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
    let started = Instant::now();
    let round = runtime.block_on(client.sync_once(&device, &SystemClock, &random)).expect("a full pull");
    let seconds = started.elapsed().as_secs_f64();
    println!("{}", serde_json::json!({ "seconds": seconds, "pulled": round.pulled, "peak_mb": peak_mb() }));
}
