//! The two-device scenario of the README, run for real and narrated:
//!
//!     cargo run -p porta-server --example two_devices
//!
//! It starts the real server on a loopback port, sets up two devices (two encrypted SQLCipher
//! stores in a temporary folder), enrolls both with one-time codes, records a person on the
//! office desktop and syncs it to the laptop, then — with the network "cut" — both change the
//! person's given names, and the laptop records a contact. Back online, both sync: both end
//! with the same folder, the contact included, and the same single conflict to review, which
//! the office resolves; the resolution syncs like any other change.

#![allow(clippy::print_stdout)] // A narrated demonstration: its output is the point.

use std::sync::{Arc, Mutex};

use porta::clock::{Clock, SystemClock};
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::store::conflicts::Resolution;
use porta::store::{FirstRun, Store};
use porta::sync::client::{StoreAccess, SyncClient};
use porta_server::ServerState;
use porta_server::enrollment::issue_code;
use porta_server::loopback::LoopbackServer;
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{Ambito, SyncStore};
use ring::rand::SystemRandom;

fn device(folder: &std::path::Path, name: &str) -> Mutex<Option<Store>> {
    let data_dir = porta::DataDir::resolve(Some(folder.join(name))).expect("a data folder");
    let first = FirstRun::example(name);
    let (store, _recovery) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).expect("set up");
    Mutex::new(Some(store))
}

#[tokio::main]
async fn main() {
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let folder = tempfile::tempdir().expect("a temporary folder");

    let storage = Arc::new(SqliteStore::open(&folder.path().join("server.db")).expect("the server database"));
    let ambito = Ambito { name: "Ambito di Galatina".into(), offices: vec!["PUA Galatina".into()] };
    storage.set_up(&ambito).expect("init");
    // The office's administrator on the server: the devices' first-run administrator (`admin`)
    // enrolls them and is adopted by this account.
    porta_server::operators::create(
        &*storage,
        "admin",
        "Amministrazione PUA",
        porta::store::Role::Administrator,
        "PUA Galatina",
        7,
        clock.now_ms(),
        &random,
    )
    .expect("the administrator's account");
    let server = LoopbackServer::start(ServerState::new(storage.clone(), None)).await.expect("a loopback port");
    let base = server.base.clone();
    println!("1. The server runs at {base} (data in {}).", folder.path().display());

    let office = device(folder.path(), "Ufficio");
    let laptop = device(folder.path(), "Portatile");
    let client = SyncClient::new(&base);
    for (store, name) in [(&office, "Ufficio"), (&laptop, "Portatile")] {
        let code = issue_code(&*storage, name, "PUA Galatina", None, 10, clock.now_ms(), &random).expect("a code");
        client.enroll(store, &code, &clock, &random).await.expect("enrollment");
        println!("2. Device \"{name}\" enrolled with the one-time code {code}.");
    }

    let person = PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
    let folder_id = office.with_store(|store| store.create_person(&person, &clock)).expect("unlocked").expect("saved");
    client.sync_once(&office, &clock, &random).await.expect("office sync");
    client.sync_once(&laptop, &clock, &random).await.expect("laptop sync");
    println!("3. The office records Aminata Diallo; after a sync the laptop has her folder too.");

    let renamed = |given: &str| PersonDetails { given_names: given.into(), ..person.clone() };
    office.with_store(|store| store.update_person(folder_id, &renamed("Aminata Fatou"), &clock)).unwrap().unwrap();
    laptop.with_store(|store| store.update_person(folder_id, &renamed("Aminatà"), &clock)).unwrap().unwrap();
    laptop.with_store(|store| store.add(folder_id, &ContactDetails::example(), &clock)).unwrap().unwrap();
    println!("4. Offline, the office writes \"Aminata Fatou\", the laptop \"Aminatà\" and records a contact.");

    for store in [&office, &laptop, &office] {
        client.sync_once(store, &clock, &random).await.expect("sync");
    }
    let conflicts = office.with_store(|store| store.conflicts(None)).unwrap().expect("conflicts");
    let on_laptop = laptop.with_store(|store| store.conflicts(None)).unwrap().expect("conflicts");
    let contacts = office.with_store(|store| store.folder(folder_id, &clock)).unwrap().expect("folder").contacts.len();
    println!("5. Both synced. The office sees the laptop's contact ({contacts}) and {} conflict(s):", conflicts.len());
    for conflict in &conflicts {
        println!("   field `{}`:", conflict.topic);
        for version in &conflict.versions {
            println!("     - {} (written at {})", version.value, version.hlc);
        }
    }
    println!("   The laptop holds the same conflict: {}.", if on_laptop == conflicts { "yes" } else { "NO" });

    let keep = conflicts[0].versions.first().expect("a version").hlc;
    office
        .with_store(|store| {
            store.resolve_conflict(
                conflicts[0].entity,
                conflicts[0].row_id,
                &conflicts[0].topic,
                &Resolution::Keep { hlc: keep },
                &clock,
            )
        })
        .unwrap()
        .expect("resolved");
    for store in [&office, &laptop] {
        client.sync_once(store, &clock, &random).await.expect("sync");
    }
    let left = laptop.with_store(|store| store.conflicts(None)).unwrap().expect("conflicts").len();
    let name = laptop.with_store(|store| store.person(folder_id, &clock)).unwrap().expect("person").details.given_names;
    println!(
        "6. The office keeps one version; after syncing, the laptop has {left} conflict(s) left and reads \"{name}\"."
    );
}
