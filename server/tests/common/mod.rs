//! What the server tests share: the real server on a loopback port, real devices.

#![allow(dead_code)] // Each test file uses part of it.

use std::sync::{Arc, Mutex};

use porta::clock::{Clock, SystemClock};
use porta::store::{FirstRun, Store};
use porta_server::ServerState;
use porta_server::enrollment::issue_code;
use porta_server::loopback::LoopbackServer;
use porta_server::rate_limit::Limits;
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{Ambito, SyncStore};
use ring::rand::SystemRandom;

/// The real server on `127.0.0.1:0` with a fresh database, set up with two offices.
pub struct Server {
    pub base: String,
    pub address: std::net::SocketAddr,
    pub storage: Arc<SqliteStore>,
    loopback: LoopbackServer,
}

impl Server {
    pub async fn start() -> Server {
        Server::start_with(Limits::default()).await
    }

    /// The real server with these per-device rate limits.
    pub async fn start_with(limits: Limits) -> Server {
        let storage = Arc::new(SqliteStore::in_memory().unwrap());
        let ambito =
            Ambito { name: "Ambito di Galatina".into(), offices: vec!["PUA Galatina".into(), "Soleto".into()] };
        storage.set_up(&ambito).unwrap();
        let state = ServerState::with_limits(storage.clone(), None, limits);
        let loopback = LoopbackServer::start(state).await.unwrap();
        Server { base: loopback.base.clone(), address: loopback.address, storage, loopback }
    }

    /// Stops serving (the data stay).
    pub async fn halt(&mut self) {
        self.loopback.halt().await.unwrap();
    }

    /// Serves again on the same address, with the same data.
    pub async fn resume(&mut self) {
        self.loopback.resume().await.unwrap();
    }

    /// A one-time code for a device of PUA Galatina, as `porta-server enroll` prints it.
    pub fn code(&self, device_name: &str, minutes: u64) -> String {
        self.code_for("PUA Galatina", device_name, minutes)
    }

    pub fn code_for(&self, office: &str, device_name: &str, minutes: u64) -> String {
        issue_code(&*self.storage, device_name, office, minutes, SystemClock.now_ms(), &SystemRandom::new()).unwrap()
    }
}

/// The administrator's passphrase on every test device (login `admin`).
pub const PASSPHRASE: &str = FirstRun::EXAMPLE_PASSPHRASE;

/// A real device: a SQLCipher store set up in a temporary folder, unlocked.
pub fn device(name: &str) -> (tempfile::TempDir, Mutex<Option<Store>>) {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = porta::DataDir::resolve(Some(folder.path().to_owned())).unwrap();
    let first = FirstRun::example(name);
    let (store, _) = Store::set_up(&data_dir, first, &SystemClock, &SystemRandom::new()).unwrap();
    (folder, Mutex::new(Some(store)))
}

/// A request to `base` signed by `device` with `key`, as the sync client signs one.
pub fn signed_request(
    client: &reqwest::Client,
    key: &porta::sync::signing::DeviceKey,
    device: uuid::Uuid,
    (base, method, path): (&str, &str, &str),
    body: &[u8],
    at_ms: u64,
) -> reqwest::RequestBuilder {
    let signed = key.sign(device, method, path, body, at_ms, &SystemRandom::new()).unwrap();
    let mut request = client.request(method.parse().unwrap(), format!("{base}{path}")).body(body.to_vec());
    for (name, value) in signed.pairs() {
        request = request.header(name, value);
    }
    request.header("content-type", "application/json")
}

/// Polls `check` every 20 ms for up to 10 s.
pub async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..500 {
        if check() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("never happened: {what}");
}
