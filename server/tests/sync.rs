//! The sync protocol against the real server on a loopback port: the storage conformance
//! suite, every kind of bad input, and two real stores converging through it.

use std::sync::Arc;

use porta::clock::{Clock, ManualClock, SystemClock};
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::keys::Passphrase;
use porta::store::{FirstRun, Store};
use porta::sync::protocol::{PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse, RejectionCode};
use porta::{ErrorCode, ErrorPayload};
use porta_server::storage::conformance;
use porta_server::storage::sqlite::SqliteStore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use uuid::Uuid;

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

/// Starts the server on `127.0.0.1:0` with a fresh database; dropping the sender stops it.
async fn spawn_server() -> (String, oneshot::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let storage = Arc::new(SqliteStore::in_memory().unwrap());
    tokio::spawn(porta_server::serve(listener, storage, async {
        let _ = stopped.await;
    }));
    (format!("http://{address}"), stop)
}

/// A real device: a SQLCipher store set up in a temporary folder.
fn device(name: &str) -> (tempfile::TempDir, Store) {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = porta::DataDir::resolve(Some(folder.path().to_owned())).unwrap();
    let first = FirstRun {
        device_name: name.into(),
        office: "PUA Galatina".into(),
        admin_login: "admin".into(),
        admin_name: "Amministratrice".into(),
        admin_passphrase: Passphrase::new("una frase per la prova di sync").unwrap(),
    };
    let (store, _) = Store::set_up(&data_dir, first, &SystemClock, &ring::rand::SystemRandom::new()).unwrap();
    (folder, store)
}

async fn push(base: &str, body: &serde_json::Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("{base}/api/v1/push")).json(body).send().await.unwrap()
}

async fn pull_all(base: &str) -> Vec<porta::store::change_log::ChangeEntry> {
    let (mut cursor, mut all) = (0, Vec::new());
    loop {
        let page: PullResponse =
            reqwest::get(format!("{base}/api/v1/pull?after={cursor}&limit=7")).await.unwrap().json().await.unwrap();
        all.extend(page.entries);
        cursor = page.cursor;
        if !page.more {
            return all;
        }
    }
}

async fn refused(response: reqwest::Response, status: u16, code: ErrorCode) -> String {
    assert_eq!(response.status(), status);
    let error: ErrorPayload = response.json().await.unwrap();
    assert_eq!(error.code, code);
    error.message
}

#[tokio::test]
async fn two_devices_converge_through_the_server() {
    let (base, _stop) = spawn_server().await;
    let clock = ManualClock::at(SystemClock.now_ms());
    let (_office_dir, mut office) = device("Ufficio");
    let (_laptop_dir, mut laptop) = device("Portatile");
    let person = PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
    let folder = office.create_person(&person, &clock).unwrap();
    let body = serde_json::to_value(PushRequest::new(office.device_id(), &office.own_entries_after(0, 1000).unwrap()))
        .unwrap();
    let answer: PushResponse = push(&base, &body).await.json().await.unwrap();
    assert_eq!(answer.acknowledged, office.highest_seq(office.device_id()).unwrap());
    assert!(answer.rejected.is_empty());
    laptop.apply_entries(&pull_all(&base).await, &clock).unwrap();
    laptop.add(folder, &ContactDetails::example(), &clock).unwrap();
    let body = serde_json::to_value(PushRequest::new(laptop.device_id(), &laptop.own_entries_after(0, 1000).unwrap()))
        .unwrap();
    let answer: PushResponse = push(&base, &body).await.json().await.unwrap();
    assert_eq!(answer.acknowledged, laptop.highest_seq(laptop.device_id()).unwrap());
    office.apply_entries(&pull_all(&base).await, &clock).unwrap();
    assert_eq!(office.folder(folder, &clock).unwrap().contacts.len(), 1, "the office sees the laptop's contact");
    assert_eq!(office.change_log().unwrap(), laptop.change_log().unwrap(), "both hold the same log");
    // Sending everything again changes nothing.
    let again: PushResponse = push(&base, &body).await.json().await.unwrap();
    assert_eq!(again.acknowledged, answer.acknowledged);
    assert_eq!(pull_all(&base).await.len(), office.change_log().unwrap().len());
}

#[tokio::test]
async fn bad_input_is_refused_with_its_own_code_and_stores_nothing() {
    let (base, _stop) = spawn_server().await;
    let device = Uuid::now_v7();
    let good = |from, to| conformance::entries(device, from, to);
    let request = |entries: &[porta::store::change_log::ChangeEntry]| {
        serde_json::to_value(PushRequest::new(device, entries)).unwrap()
    };

    let malformed = reqwest::Client::new()
        .post(format!("{base}/api/v1/push"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    refused(malformed, 400, ErrorCode::MalformedRequest).await;

    let mut old_protocol = request(&good(1, 1));
    old_protocol["protocol"] = serde_json::json!(PROTOCOL_VERSION + 1);
    refused(push(&base, &old_protocol).await, 400, ErrorCode::UnsupportedProtocol).await;

    let huge = serde_json::json!({ "protocol": PROTOCOL_VERSION, "device_id": device, "entries": vec![serde_json::json!({"seq": 1}); porta::sync::protocol::PUSH_MAX_ENTRIES + 1] });
    refused(push(&base, &huge).await, 413, ErrorCode::PayloadTooLarge).await;

    let gap = refused(push(&base, &request(&good(3, 4))).await, 409, ErrorCode::SequenceGap).await;
    assert!(gap.contains('1'), "the message names where to start: {gap}");

    let mut from_the_future = good(1, 1);
    from_the_future[0].hlc.wall_ms = SystemClock.now_ms() + 3_600_000;
    let drift = refused(push(&base, &request(&from_the_future)).await, 409, ErrorCode::ClockDrift).await;
    assert!(drift.contains("60") || drift.contains("59"), "{drift}");

    assert!(pull_all(&base).await.is_empty(), "nothing was stored");
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), 200, "the server still serves");

    // An entry the server cannot read is rejected alone and keeps its place.
    let mut batch = request(&good(1, 3));
    batch["entries"][1]["entity"] = serde_json::json!("spaceship");
    batch["entries"][2]["device_id"] = serde_json::json!(Uuid::now_v7());
    let answer: PushResponse = push(&base, &batch).await.json().await.unwrap();
    assert_eq!(answer.acknowledged, 3);
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(codes, vec![(2, RejectionCode::InvalidEntry), (3, RejectionCode::WrongDevice)]);
    assert_eq!(pull_all(&base).await.len(), 1);
}
