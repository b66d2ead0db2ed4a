//! The server over TLS with a self-signed certificate, as a municipal office would run it:
//! a device enrolls over HTTPS, pins the certificate, syncs, and refuses a server that
//! presents another certificate.

use std::sync::Arc;

use porta::clock::{Clock, SystemClock};
use porta::folder::person::PersonDetails;
use porta::store::Role;
use porta::sync::client::{StoreAccess, SyncClient};
use porta::{ErrorCode, Locale, Localizer, UserFacingError};
use porta_server::enrollment::issue_code;
use porta_server::storage::sqlite::SqliteStore;
use porta_server::storage::{Ambito, SyncStore};
use porta_server::tls::TlsIdentity;
use ring::rand::SystemRandom;
use tokio::sync::oneshot;

use crate::common::device;

/// A self-signed certificate for 127.0.0.1 written as PEM files; its identity.
fn self_signed(dir: &std::path::Path, name: &str) -> TlsIdentity {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert, key) = (dir.join(format!("{name}.pem")), dir.join(format!("{name}.key")));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    TlsIdentity::from_pem_files(&cert, &key).unwrap()
}

/// Serves `storage` over TLS on a fresh loopback port; the sender stops it.
fn serve(storage: &Arc<SqliteStore>, identity: TlsIdentity) -> (String, oneshot::Sender<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(porta_server::serve_tls(listener, storage.clone(), identity, async {
        let _ = stopped.await;
    }));
    (base, stop)
}

#[tokio::test]
async fn a_device_enrolls_over_tls_pins_the_certificate_and_refuses_another() {
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let certificates = tempfile::tempdir().unwrap();
    let storage = Arc::new(SqliteStore::in_memory().unwrap());
    storage.set_up(&Ambito { name: "Ambito di Galatina".into(), offices: vec!["PUA Galatina".into()] }).unwrap();
    // The office's administrator, whom the device's first-run administrator `admin` becomes.
    porta_server::operators::create(
        &*storage,
        "admin",
        "Amministrazione",
        Role::Administrator,
        "PUA Galatina",
        7,
        clock.now_ms(),
        &random,
    )
    .unwrap();
    let municipal = self_signed(certificates.path(), "municipal");
    let pinned = municipal.fingerprint.clone();
    let (base, _stop) = serve(&storage, municipal);

    let (_dir, laptop) = device("Portatile");
    let code = issue_code(&*storage, "Portatile", "PUA Galatina", Some(&pinned), 10, clock.now_ms(), &random).unwrap();
    // Someone in between at enrollment, with a certificate of their own, serving the same
    // Ambito (the worst case: they relay everything). The code names the real certificate,
    // so the device stops before sending it.
    let (intruder_base, _intruder_stop) = serve(&storage, self_signed(certificates.path(), "intruder-at-enrollment"));
    let intercepted = SyncClient::new(&intruder_base).enroll(&laptop, &code, &clock, &random).await.unwrap_err();
    assert_eq!(intercepted.code(), ErrorCode::EnrollmentCodeMismatch);
    let message = intercepted.payload(&Localizer::new(), Locale::It).message;
    assert!(message.contains("non è stato inviato") && message.contains("amministratore"), "{message}");
    assert!(storage.devices().unwrap().is_empty(), "the code was never sent, so it still enrolls nobody");
    assert!(laptop.with_store(|store| store.enrollment().unwrap()).unwrap().is_none());
    // A code issued for plain HTTP does not enroll over TLS either.
    let plain = issue_code(&*storage, "Portatile", "PUA Galatina", None, 10, clock.now_ms(), &random).unwrap();
    let wrong = SyncClient::new(&base).enroll(&laptop, &plain, &clock, &random).await.unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::EnrollmentCodeMismatch);

    let client = SyncClient::new(&base);
    client.enroll(&laptop, &code, &clock, &random).await.unwrap();
    let enrollment = laptop.with_store(|store| store.enrollment().unwrap().unwrap()).unwrap();
    assert_eq!(enrollment.server_certificate.as_deref(), Some(pinned.as_str()), "the certificate is pinned");

    let person = PersonDetails { family_name: "Diallo".into(), given_names: "Aminata".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    let round = client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert!(round.pushed > 0, "synced over TLS");
    let acknowledged = storage.acknowledged(laptop.with_store(|store| store.device_id()).unwrap()).unwrap();

    // The same data served with another certificate, as an interceptor would: refused.
    let (other_base, _other_stop) = serve(&storage, self_signed(certificates.path(), "intruder"));
    laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    let refused = SyncClient::new(&other_base).sync_once(&laptop, &clock, &random).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::CertificateMismatch);
    let message = refused.payload(&Localizer::new(), Locale::It).message;
    assert!(message.contains("certificato") && message.contains("amministratore"), "{message}");
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();
    assert_eq!(storage.acknowledged(device_id).unwrap(), acknowledged, "nothing reached the other server");
    let waiting = laptop.with_store(|store| store.sync_progress().unwrap().waiting).unwrap();
    assert!(waiting > 0, "the new entries still wait for the real server");

    // The real server still works with the same device.
    client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert_eq!(laptop.with_store(|store| store.sync_progress().unwrap().waiting).unwrap(), 0);
}
