//! Unlock time: Argon2id over the passphrase, unwrapping the key, opening SQLCipher and
//! reading the schema. Run with `cargo bench --bench unlock`; BENCHMARKS.md has the results.

// A benchmark reports on standard output.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use porta::DataDir;
use porta::clock::SystemClock;
use porta::keys::Passphrase;
use porta::store::{FirstRun, Store};
use ring::rand::SystemRandom;

const RUNS: usize = 20;
const PASSPHRASE: &str = "una frase per misurare lo sblocco";

fn main() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let data_dir = DataDir::resolve(Some(folder.path().to_owned())).expect("the data folder");
    let first = FirstRun {
        device_name: "Banco di prova".into(),
        office: "Misure".into(),
        admin_login: "admin".into(),
        admin_name: "Persona di prova".into(),
        admin_passphrase: Passphrase::new(PASSPHRASE).expect("a valid passphrase"),
    };
    let (store, _) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).expect("first run");
    store.lock();

    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            let store = Store::unlock(&data_dir, "admin", PASSPHRASE, &SystemClock).expect("unlock");
            let took = started.elapsed();
            store.lock();
            took
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p50 = times[RUNS / 2];
    let p95 = times[(RUNS * 95).div_ceil(100) - 1];
    let kdf = porta::keys::PASSPHRASE_KDF;
    println!(
        "unlock (Argon2id {} MiB t={} p={} + SQLCipher open), {RUNS} runs:",
        kdf.memory_kib / 1024,
        kdf.iterations,
        kdf.parallelism
    );
    println!(
        "  min {:.0} ms, p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms",
        ms(times[0]),
        ms(p50),
        ms(p95),
        ms(times[RUNS - 1])
    );
}
