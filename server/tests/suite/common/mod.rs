//! What the server tests share: the real server on a loopback port, real devices.

use std::sync::{Arc, Mutex};

use porta::clock::{Clock, SystemClock};
use porta::store::{FirstRun, Store};
use porta::sync::protocol::{EnrollRequest, EnrollResponse, PROTOCOL_VERSION, PullResponse};
use porta::sync::signing::DeviceKey;
use porta_server::ServerState;
use porta_server::enrollment::issue_code;
use porta_server::loopback::LoopbackServer;
use porta_server::rate_limit::Limits;
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{Ambito, SyncStore};
use ring::rand::SystemRandom;
use uuid::Uuid;

/// The administrator account of each office on the test server: the login of the devices'
/// first-run administrator for PUA Galatina (`FirstRun::example`), another for Soleto.
pub const ADMINISTRATORS: [(&str, &str); 2] = [("admin", "PUA Galatina"), ("admin.soleto", "Soleto")];

/// The server account id of the administrator of `office`.
pub fn administrator_of(server: &Server, office: &str) -> Uuid {
    let login = ADMINISTRATORS.iter().find(|(_, of)| *of == office).expect("an office of the test server").0;
    server.storage.operators(Some(office)).unwrap().into_iter().find(|account| account.login == login).unwrap().id
}

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
        Server::start_with_state(|storage| ServerState::with_limits(storage, None, limits)).await
    }

    /// The real server with these limits before authentication.
    pub async fn start_with_gate(gate: porta_server::gate::GateLimits) -> Server {
        Server::start_with_state(|storage| ServerState::new(storage, None).with_gate(gate)).await
    }

    /// The real server offering the updates published on `shelf`.
    pub async fn start_with_updates(shelf: porta_server::updates::UpdateShelf) -> Server {
        Server::start_with_state(|storage| ServerState::new(storage, None).with_updates(shelf)).await
    }

    async fn start_with_state(state: impl FnOnce(Arc<SqliteStore>) -> ServerState) -> Server {
        let storage = Arc::new(SqliteStore::in_memory().unwrap());
        let ambito =
            Ambito { name: "Ambito di Galatina".into(), offices: vec!["PUA Galatina".into(), "Soleto".into()] };
        storage.set_up(&ambito).unwrap();
        // Each office's administrator on the server: the first-run administrator of the test
        // devices (`admin`) and of the raw devices, whom enrollment adopts.
        for (login, office) in ADMINISTRATORS {
            let account = porta_server::storage::OperatorRecord {
                id: Uuid::now_v7(),
                login: login.into(),
                display_name: format!("Amministrazione {office}"),
                role: porta::store::Role::Administrator,
                office: office.into(),
                disabled: false,
                activation: None,
            };
            storage.add_operator(&account).unwrap();
        }
        let state = state(storage.clone());
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
        issue_code(&*self.storage, device_name, office, None, minutes, SystemClock.now_ms(), &SystemRandom::new())
            .unwrap()
    }
}

/// The administrator's passphrase on every test device (login `admin`).
pub const PASSPHRASE: &str = FirstRun::EXAMPLE_PASSPHRASE;

/// A real device of PUA Galatina: a SQLCipher store set up in a temporary folder, unlocked by
/// its first-run administrator `admin`.
pub fn device(name: &str) -> (tempfile::TempDir, Mutex<Option<Store>>) {
    device_with_administrator(name, "admin")
}

/// A real device whose first-run administrator has the login `login` (for Soleto,
/// `admin.soleto`: the server account that enrollment adopts).
pub fn device_with_administrator(name: &str, login: &str) -> (tempfile::TempDir, Mutex<Option<Store>>) {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = porta::DataDir::resolve(Some(folder.path().to_owned())).unwrap();
    let first = FirstRun { admin_login: login.into(), ..FirstRun::example(name) };
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

/// A device that talks to the server by hand: enrolled with a code, signing what it sends.
pub struct RawDevice {
    pub id: Uuid,
    pub key: DeviceKey,
    /// The server account its entries name: its office's administrator.
    pub operator: Uuid,
}

impl RawDevice {
    pub async fn enroll(server: &Server) -> RawDevice {
        RawDevice::enroll_in(server, "PUA Galatina").await
    }

    pub async fn enroll_in(server: &Server, office: &str) -> RawDevice {
        let key = DeviceKey::generate(&SystemRandom::new()).unwrap();
        let id = Uuid::now_v7();
        let login = ADMINISTRATORS.iter().find(|(_, of)| *of == office).expect("an office of the test server").0;
        let request = EnrollRequest {
            protocol: PROTOCOL_VERSION,
            code: server.code_for(office, "Banco di prova", 10),
            device_id: id,
            public_key: data_encoding::BASE64URL_NOPAD.encode(key.public_key()),
            login: login.into(),
        };
        let answer = reqwest::Client::new().post(format!("{}/api/v1/enroll", server.base)).json(&request).send().await;
        let enrolled: EnrollResponse = answer.unwrap().json().await.unwrap();
        assert_eq!((enrolled.device_id, enrolled.office.as_str()), (id, office));
        RawDevice { id, key, operator: administrator_of(server, office) }
    }

    /// Entries `from..=to` of this device, written by its office's administrator.
    pub fn entries(&self, from: u64, to: u64) -> Vec<porta::store::change_log::ChangeEntry> {
        let mut entries = porta_server::storage::conformance::entries(self.id, from, to);
        for entry in &mut entries {
            entry.operator_id = self.operator;
        }
        entries
    }

    pub fn request(&self, base: &str, method: &str, path: &str, body: &[u8], at_ms: u64) -> reqwest::RequestBuilder {
        // Without automatic decompression, so tests see what travelled.
        let client = reqwest::Client::builder().no_gzip().build().unwrap();
        signed_request(&client, &self.key, self.id, (base, method, path), body, at_ms)
    }

    pub async fn push(&self, base: &str, body: &serde_json::Value) -> reqwest::Response {
        let body = serde_json::to_vec(body).unwrap();
        self.request(base, "POST", "/api/v1/push", &body, SystemClock.now_ms()).send().await.unwrap()
    }

    pub async fn pull_all(&self, base: &str) -> Vec<porta::store::change_log::ChangeEntry> {
        let (mut cursor, mut all) = (0, Vec::new());
        loop {
            let path = format!("/api/v1/pull?after={cursor}&limit=7");
            let response = self.request(base, "GET", &path, b"", SystemClock.now_ms()).send().await.unwrap();
            let page: PullResponse = response.json().await.unwrap();
            all.extend(page.entries);
            cursor = page.cursor;
            if !page.more {
                return all;
            }
        }
    }
}
