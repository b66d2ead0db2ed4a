//! Clocks that lie (issue 17): outreach laptops offline for weeks drift, a dead battery puts
//! one years in the past. A device learns the server's time from every answer and signs and
//! writes with it; the operator is told how far off the computer's clock is.

use std::sync::Arc;

use porta::ErrorCode;
use porta::clock::{Clock, SystemClock};
use porta::folder::person::PersonDetails;
use porta::sync::client::{StoreAccess, SyncClient};
use porta::sync::server_time::ServerClock;
use ring::rand::SystemRandom;

use crate::common::{Server, device};

/// The computer's clock, `skew_ms` off the true time.
struct Skewed(i64);

impl Clock for Skewed {
    fn now_ms(&self) -> u64 {
        (SystemClock.now_ms() as i64 + self.0) as u64
    }
}

const MINUTE: i64 = 60_000;
const DAY: i64 = 24 * 60 * MINUTE;

#[tokio::test]
async fn devices_with_wrong_clocks_sync_with_the_servers_time() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let (_office_dir, office) = device("Ufficio");
    let office_client = SyncClient::new(&server.base);
    office_client.enroll(&office, &server.code("Ufficio", 10), &SystemClock, &random).await.unwrap();

    for (name, skew) in
        [("dieci minuti avanti", 10 * MINUTE), ("un giorno indietro", -DAY), ("dieci anni indietro", -3652 * DAY)]
    {
        let computer: Arc<dyn Clock> = Arc::new(Skewed(skew));
        let (_dir, laptop) = device(name);

        // Without the server's time, every round is refused as stale: the failure this fixes.
        let blind = SyncClient::new(&server.base);
        blind.enroll(&laptop, &server.code(name, 10), computer.as_ref(), &random).await.unwrap();
        let refused = blind.sync_once(&laptop, computer.as_ref(), &random).await.unwrap_err();
        assert_eq!(refused.server_code(), Some(ErrorCode::StaleRequest), "{name}");

        // Learning it from the answers: the round goes through, and new entries carry it.
        let clock = Arc::new(ServerClock::new(computer.clone()));
        let client = SyncClient::new(&server.base).learning_time(clock.clone());
        client.sync_once(&laptop, clock.as_ref(), &random).await.expect(name);
        let offset = clock.offset_ms().unwrap();
        assert!((offset + skew).abs() < 5_000, "{name}: offset {offset}");
        let person = PersonDetails { family_name: "Orologio".into(), given_names: name.into(), ..Default::default() };
        let folder = laptop.with_store(|store| store.create_person(&person, clock.as_ref()).unwrap()).unwrap();
        let report = client.sync_once(&laptop, clock.as_ref(), &random).await.expect(name);
        assert!(report.pushed > 0, "{name}");
        office_client.sync_once(&office, &SystemClock, &random).await.unwrap();
        let written = laptop.with_store(|store| store.change_log().unwrap()).unwrap();
        let newest = written.iter().map(|entry| entry.hlc.wall_ms).max().unwrap();
        assert!(newest.abs_diff(SystemClock.now_ms()) < 5_000, "{name}: entries stamped with the server's time");
        let seen = office.with_store(|store| store.person(folder, &SystemClock).unwrap().details.given_names).unwrap();
        assert_eq!(seen, name);
    }
}

#[tokio::test]
async fn a_laptop_restarted_offline_still_writes_with_the_servers_time() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let computer: Arc<dyn Clock> = Arc::new(Skewed(-DAY));
    let (folder, laptop) = device("un giorno indietro, riavviato");
    let memory = folder.path().join("server-clock.json");
    let clock = Arc::new(ServerClock::remembered(computer.clone(), memory.clone()));
    let client = SyncClient::new(&server.base).learning_time(clock.clone());
    client.enroll(&laptop, &server.code("Riavviato", 10), clock.as_ref(), &random).await.unwrap();
    client.sync_once(&laptop, clock.as_ref(), &random).await.unwrap();

    // The app is restarted out of reach of the server: the remembered offset applies at once.
    let restarted = ServerClock::remembered(computer, memory);
    assert!(restarted.offset_ms().is_some_and(|offset| (offset - DAY).abs() < 5_000), "{restarted:?}");
    let person = PersonDetails { family_name: "Offline".into(), given_names: "Ada".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&person, &restarted).unwrap()).unwrap();
    let written = laptop.with_store(|store| store.change_log().unwrap()).unwrap();
    let newest = written.iter().map(|entry| entry.hlc.wall_ms).max().unwrap();
    assert!(newest.abs_diff(SystemClock.now_ms()) < 5_000, "stamped with the server's time, not a day behind");
}

const YEAR: i64 = 365 * DAY;

/// Work done while the computer's clock was wrong and the server's time unknown: corrected
/// before it is sent. A year ahead, it is not refused for drift for a year; a year behind, it
/// is not silently outranked by what others wrote before it.
#[tokio::test]
async fn entries_stamped_while_the_clock_was_wrong_are_corrected_before_they_are_sent() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let (_office_dir, office) = device("Ufficio");
    let office_client = SyncClient::new(&server.base);
    office_client.enroll(&office, &server.code("Ufficio", 10), &SystemClock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Orologio".into(), given_names: "Prima".into(), ..Default::default() };
    let folder = office.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
    office_client.sync_once(&office, &SystemClock, &random).await.unwrap();
    let renamed = |given: &str| PersonDetails { given_names: given.into(), ..person.clone() };
    let given_names = |device: &std::sync::Mutex<Option<porta::store::Store>>| {
        device.with_store(|store| store.person(folder, &SystemClock).unwrap().details.given_names).unwrap()
    };

    // A year ahead: written before the server was ever heard, then enrolled and synced.
    let ahead: Arc<dyn Clock> = Arc::new(Skewed(YEAR));
    let (_ahead_dir, early) = device("Un anno avanti");
    let unaware = ServerClock::new(ahead.clone());
    let other = PersonDetails { family_name: "Futuro".into(), given_names: "Ada".into(), ..Default::default() };
    let written = early.with_store(|store| store.create_person(&other, &unaware).unwrap()).unwrap();
    let clock = Arc::new(ServerClock::new(ahead));
    let client = SyncClient::new(&server.base).learning_time(clock.clone());
    client.enroll(&early, &server.code("Avanti", 10), clock.as_ref(), &random).await.unwrap();
    let report = client.sync_once(&early, clock.as_ref(), &random).await.expect("not refused for drift");
    assert!(report.pushed > 0);
    let stamps = early.with_store(|store| store.change_log().unwrap()).unwrap();
    assert!(stamps.iter().all(|entry| entry.hlc.wall_ms.abs_diff(SystemClock.now_ms()) < 60_000), "now, not next year");
    office_client.sync_once(&office, &SystemClock, &random).await.unwrap();
    let arrived = office.with_store(|store| store.person(written, &SystemClock).unwrap().details.family_name).unwrap();
    assert_eq!(arrived, "Futuro");

    // A year behind: the laptop holds the folder, is restarted without the server's time, and
    // renames the person after the office did. Corrected, the later edit wins everywhere.
    let behind: Arc<dyn Clock> = Arc::new(Skewed(-YEAR));
    let (_behind_dir, late) = device("Un anno indietro");
    let clock = Arc::new(ServerClock::new(behind.clone()));
    let client = SyncClient::new(&server.base).learning_time(clock.clone());
    client.enroll(&late, &server.code("Indietro", 10), clock.as_ref(), &random).await.unwrap();
    client.sync_once(&late, clock.as_ref(), &random).await.unwrap();
    office.with_store(|store| store.update_person(folder, &renamed("Ufficio"), &SystemClock).unwrap()).unwrap();
    office_client.sync_once(&office, &SystemClock, &random).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let restarted = ServerClock::new(behind);
    late.with_store(|store| store.update_person(folder, &renamed("Portatile"), &restarted).unwrap()).unwrap();
    client.sync_once(&late, clock.as_ref(), &random).await.unwrap();
    office_client.sync_once(&office, &SystemClock, &random).await.unwrap();
    assert_eq!(given_names(&office), "Portatile", "the later edit, not outranked");
    assert_eq!(given_names(&late), "Portatile");
    let conflicts = office.with_store(|store| store.conflicts(None).unwrap().len()).unwrap();
    let laptop_conflicts = late.with_store(|store| store.conflicts(None).unwrap().len()).unwrap();
    assert_eq!(conflicts, laptop_conflicts, "both replicas agree on what conflicts");
}
