//! Operator accounts managed on the real server reach real SQCipher devices: first access
//! with the activation code, role changes, disabling; and the devices' audit lines reach the
//! server, so the Ambito sees every access to a folder.

use porta::clock::{Clock, ManualClock, SystemClock};
use porta::error::UserFacingError;
use porta::folder::person::PersonDetails;
use porta::keys::{KeyFile, Passphrase};
use porta::store::{AuditAction, Role, Store};
use porta::sync::client::{StoreAccess, SyncClient, SyncError};
use porta::{DataDir, ErrorCode};
use porta_server::operators::create;
use porta_server::storage::{OperatorChange, SyncStore};
use ring::rand::SystemRandom;

use crate::common::{PASSPHRASE, RawDevice, Server, administrator_of, device, device_with_administrator};

const MARIA: &str = "una frase tutta di Maria";

fn data_dir(folder: &tempfile::TempDir) -> DataDir {
    DataDir::resolve(Some(folder.path().to_owned())).unwrap()
}

fn code(error: porta::store::StoreError) -> ErrorCode {
    error.code()
}

#[tokio::test]
async fn an_operator_created_on_the_server_opens_a_device_once_with_the_code_then_with_a_passphrase() {
    let server = Server::start().await;
    let now = SystemClock.now_ms();
    let random = SystemRandom::new();
    let (_, activation) =
        create(&*server.storage, "m.rossi", "Maria Rossi", Role::Mediator, "PUA Galatina", 7, now, &random).unwrap();
    // An account of another office never reaches this device.
    create(&*server.storage, "s.bianchi", "Sara Bianchi", Role::Operator, "Soleto", 7, now, &random).unwrap();
    let (folder, laptop) = device("Portatile 1");
    let client = SyncClient::new(&server.base);
    let enrolled = client.enroll(&laptop, &server.code("Portatile 1", 10), &SystemClock, &random).await.unwrap();
    let logins: Vec<&str> = enrolled.operators.iter().map(|account| account.login.as_str()).collect();
    assert_eq!(logins, ["admin", "m.rossi"], "the enrollment answer carries the office's accounts");
    laptop.lock_out();
    let dir = data_dir(&folder);
    let key_file = KeyFile::load(&dir.key_file()).unwrap();
    assert_eq!(key_file.activation_logins(now).into_iter().map(|(_, login)| login).collect::<Vec<_>>(), ["m.rossi"]);

    // A passphrase is not what opens the device the first time; a wrong code does not either.
    let first = Store::unlock(&dir, "m.rossi", MARIA, &SystemClock).unwrap_err();
    assert_eq!(code(first), ErrorCode::ActivationRequired);
    let passphrase = Passphrase::new(MARIA).unwrap();
    let wrong = Store::activate(&dir, "m.rossi", "AAAA-BBBB-CCCC", &passphrase, &SystemClock, &random).unwrap_err();
    assert_eq!(code(wrong), ErrorCode::WrongPassphrase);
    // Typed leniently: lower case, no dashes.
    let typed = activation.code.replace('-', "").to_lowercase();
    let store = Store::activate(&dir, "m.rossi", &typed, &passphrase, &SystemClock, &random).unwrap();
    assert_eq!((store.operator().login.as_str(), store.operator().role), ("m.rossi", Role::Mediator));
    store.lock();
    let again = Store::activate(&dir, "m.rossi", &activation.code, &passphrase, &SystemClock, &random).unwrap_err();
    assert_eq!(code(again), ErrorCode::UnknownOperator, "the code works once per device");
    let store = Store::unlock(&dir, "m.rossi", MARIA, &SystemClock).unwrap();
    assert_eq!(store.operator().role, Role::Mediator);
    store.lock();

    // A new role applies at the next unlock after a sync.
    server.storage.change_operator("m.rossi", &OperatorChange::Role(Role::Coordinator)).unwrap();
    let admin = Store::unlock(&dir, "admin", PASSPHRASE, &SystemClock).unwrap();
    let access = std::sync::Mutex::new(Some(admin));
    client.sync_once(&access, &SystemClock, &random).await.unwrap();
    access.lock_out();
    assert_eq!(Store::unlock(&dir, "m.rossi", MARIA, &SystemClock).unwrap().operator().role, Role::Coordinator);

    // Disabled: the device that Maria is using locks at its next sync, and she unlocks no more.
    server.storage.change_operator("m.rossi", &OperatorChange::Disabled(true)).unwrap();
    let hers = std::sync::Mutex::new(Some(Store::unlock(&dir, "m.rossi", MARIA, &SystemClock).unwrap()));
    let locked = client.sync_once(&hers, &SystemClock, &random).await.unwrap_err();
    assert!(matches!(locked, SyncError::Locked), "{locked:?}");
    assert!(hers.lock().unwrap().is_none(), "the store was locked");
    let refused = Store::unlock(&dir, "m.rossi", MARIA, &SystemClock).unwrap_err();
    assert_eq!(code(refused), ErrorCode::UnknownOperator);
    assert!(Store::unlock(&dir, "admin", PASSPHRASE, &SystemClock).is_ok(), "the others still unlock");
}

#[tokio::test]
async fn after_enrollment_the_servers_accounts_are_the_only_ones_and_entries_carry_their_ids() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let now = SystemClock.now_ms();
    let (_, luca) =
        create(&*server.storage, "l.conte", "Luca Conte", Role::Operator, "PUA Galatina", 1, now, &random).unwrap();
    let (folder, laptop) = device("Portatile 2");
    let dir = data_dir(&folder);
    // Before enrollment: work done offline, and an account made on this device only.
    let person = PersonDetails { family_name: "Sow".into(), given_names: "Binta".into(), ..Default::default() };
    let written = laptop.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
    let fatima = Passphrase::new("la frase di Fatima Mediatrice").unwrap();
    laptop
        .with_store(|store| store.add_operator("fatima", "Fatima", Role::Mediator, &fatima, &SystemClock, &random))
        .unwrap()
        .unwrap();

    // Enrolling needs an administrator account of the office on the server with the same
    // login: a device's own account is refused, and the code is not spent.
    let (_other_folder, stranger) = device_with_administrator("Portatile sconosciuto", "amministratrice.locale");
    let one_time = server.code("Portatile 2", 10);
    let refused = SyncClient::new(&server.base).enroll(&stranger, &one_time, &SystemClock, &random).await.unwrap_err();
    assert_eq!(refused.server_code(), Some(ErrorCode::EnrollerNotAdministrator));
    let message = refused.payload(&porta::Localizer::new(), porta::Locale::En).message;
    assert!(message.contains("amministratrice.locale") && message.contains("PUA Galatina"), "{message}");
    let client = SyncClient::new(&server.base);
    client.enroll(&laptop, &one_time, &SystemClock, &random).await.unwrap();

    // The administrator is adopted: the server's id in every entry, those written before too.
    let admin_account = administrator_of(&server, "PUA Galatina");
    let operator = laptop.with_store(|store| store.operator().clone()).unwrap();
    assert_eq!(operator.account_id, admin_account);
    assert_ne!(operator.id, admin_account, "the passphrase's wrap keeps its own id");
    client.sync_once(&laptop, &SystemClock, &random).await.unwrap();
    let stored = RawDevice::enroll(&server).await.pull_all(&server.base).await;
    let theirs: Vec<_> = stored.iter().filter(|entry| entry.folder_id == written).collect();
    assert!(!theirs.is_empty() && theirs.iter().all(|entry| entry.operator_id == admin_account));
    let audit = server.storage.folder_audit(written).unwrap();
    assert!(!audit.is_empty() && audit.iter().all(|(_, line)| line.operator_id == admin_account), "{audit:?}");

    // The account the server does not know opens the device no more, and none is made here.
    laptop.lock_out();
    let outside = Store::unlock(&dir, "fatima", "la frase di Fatima Mediatrice", &SystemClock).unwrap_err();
    assert_eq!(code(outside), ErrorCode::UnknownOperator);
    let admin = Store::unlock(&dir, "admin", PASSPHRASE, &SystemClock).unwrap();
    let access = std::sync::Mutex::new(Some(admin));
    let again = access
        .with_store(|store| store.add_operator("nuovo", "Nuovo", Role::Operator, &fatima, &SystemClock, &random))
        .unwrap()
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotPermitted);
    let said = porta::ErrorPayload::localized(&again, &porta::Localizer::new(), porta::Locale::It).message;
    assert!(said.contains("server dell'Ambito"), "{said}");
    access.lock_out();

    // Two days later Luca's one-day code has expired on the device too.
    let later = ManualClock::at(now + 2 * 24 * 60 * 60 * 1000);
    let passphrase = Passphrase::new("la frase di Luca Conte").unwrap();
    let expired = Store::activate(&dir, "l.conte", &luca.code, &passphrase, &later, &random).unwrap_err();
    assert_eq!(code(expired), ErrorCode::ActivationExpired);
}

#[tokio::test]
async fn every_access_to_a_folder_reaches_the_server_once_with_its_device() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let (_folder, laptop) = device("Portatile 3");
    let client = SyncClient::new(&server.base);
    client.enroll(&laptop, &server.code("Portatile 3", 10), &SystemClock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Ndiaye".into(), given_names: "Awa".into(), ..Default::default() };
    let folder = laptop.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
    laptop.with_store(|store| store.folder(folder, &SystemClock).unwrap()).unwrap();
    client.sync_once(&laptop, &SystemClock, &random).await.unwrap();
    client.sync_once(&laptop, &SystemClock, &random).await.unwrap();
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();
    let lines = server.storage.folder_audit(folder).unwrap();
    let seen: Vec<(AuditAction, &str)> = lines.iter().map(|(_, line)| (line.action, line.section.as_str())).collect();
    assert_eq!(seen, [(AuditAction::Write, "person"), (AuditAction::Read, "folder")], "each line once");
    assert!(lines.iter().all(|(device, _)| *device == device_id));
    // What the device holds is what the server holds, line for line.
    let local = laptop.with_store(|store| store.folder_accesses(folder).unwrap()).unwrap();
    assert_eq!(local.len(), lines.len());
    assert!(local.iter().zip(&lines).all(|(here, (_, there))| here.at_ms == there.at_ms
        && here.operator_id == there.operator_id
        && here.action == there.action));
}

#[tokio::test]
async fn the_code_is_never_stored_nor_sent_and_a_new_one_gives_a_fresh_start() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let now = SystemClock.now_ms();
    let (maria, first) =
        create(&*server.storage, "m.rossi", "Maria Rossi", Role::Mediator, "PUA Galatina", 7, now, &random).unwrap();
    // What the server keeps and what devices receive hold no trace of the code.
    let canonical = first.code.replace('-', "");
    let stored = format!("{:?}", server.storage.operators(None).unwrap());
    let sent = serde_json::to_string(
        &porta_server::operators::accounts_of(&*server.storage, "PUA Galatina", now, &random).unwrap(),
    )
    .unwrap();
    for held in [&stored, &sent] {
        assert!(!held.contains(first.code.as_str()) && !held.contains(&canonical), "{held}");
    }
    assert!(sent.contains("\"public_key\""), "the lock is what travels: {sent}");

    let (folder, laptop) = device("Portatile 4");
    let client = SyncClient::new(&server.base);
    client.enroll(&laptop, &server.code("Portatile 4", 10), &SystemClock, &random).await.unwrap();
    laptop.lock_out();
    let dir = data_dir(&folder);
    let key_text = std::fs::read_to_string(dir.key_file()).unwrap();
    assert!(!key_text.contains(&canonical) && !key_text.contains(first.code.as_str()), "nor does the key file");

    // Two wrong codes are counted; a new code from the administrator starts from zero, and
    // only the new code opens the device.
    let passphrase = Passphrase::new(MARIA).unwrap();
    let clock = ManualClock::at(now);
    for _ in 0..2 {
        let wrong = Store::activate(&dir, "m.rossi", "AAAA-BBBB-CCCC", &passphrase, &clock, &random).unwrap_err();
        assert_eq!(code(wrong), ErrorCode::WrongPassphrase);
    }
    assert_eq!(KeyFile::load(&dir.key_file()).unwrap().attempts(maria.id).failed, 2);
    let second = porta_server::operators::reactivate(&*server.storage, "m.rossi", 7, now, &random).unwrap().unwrap();
    let admin = std::sync::Mutex::new(Some(Store::unlock(&dir, "admin", PASSPHRASE, &SystemClock).unwrap()));
    client.sync_once(&admin, &SystemClock, &random).await.unwrap();
    admin.lock_out();
    assert_eq!(KeyFile::load(&dir.key_file()).unwrap().attempts(maria.id).failed, 0, "a fresh start");
    let old = Store::activate(&dir, "m.rossi", &first.code, &passphrase, &clock, &random).unwrap_err();
    assert_eq!(code(old), ErrorCode::WrongPassphrase, "the earlier code opens nothing");
    let store = Store::activate(&dir, "m.rossi", &second.code, &passphrase, &clock, &random).unwrap();
    assert_eq!(store.operator().login, "m.rossi");
}

/// Health content is sealed under the Ambito's health key, on the server as on every device:
/// a note written before its laptop joined the Ambito is sealed again under the Ambito's key,
/// another device's administrator reads it, a health liaison's first access there brings the
/// key (sealed by the server to her code's lock), and a mediator's does not.
#[tokio::test]
async fn health_content_travels_sealed_and_opens_only_for_roles_that_may_read_it() {
    use porta::folder::note::{Confidentiality, NoteDetails};
    const HEALTH: &str = "Gravidanza MARCATORE-SANITARIO";
    const SARA: &str = "una frase tutta di Sara";
    let server = Server::start().await;
    let now = SystemClock.now_ms();
    let random = SystemRandom::new();
    let (_, nurse_code) =
        create(&*server.storage, "s.verdi", "Sara Verdi", Role::HealthLiaison, "PUA Galatina", 7, now, &random)
            .unwrap();
    let (_, mediator_code) =
        create(&*server.storage, "m.rossi", "Maria Rossi", Role::Mediator, "PUA Galatina", 7, now, &random).unwrap();
    let (_office_dir, office) = device("Ufficio");
    let folder = office
        .with_store(|store| {
            let folder = store
                .create_person(&PersonDetails { family_name: "Diallo".into(), ..Default::default() }, &SystemClock)?;
            let note = NoteDetails { text: HEALTH.into(), confidentiality: Confidentiality::HealthRestricted };
            store.add(folder, &note, &SystemClock)?;
            Ok::<_, porta::store::StoreError>(folder)
        })
        .unwrap()
        .unwrap();
    let client = SyncClient::new(&server.base);
    client.enroll(&office, &server.code("Ufficio", 10), &SystemClock, &random).await.unwrap();
    client.sync_once(&office, &SystemClock, &random).await.unwrap();
    let waiting = office.with_store(|store| store.sync_progress().unwrap()).unwrap();
    assert_eq!((waiting.waiting, waiting.rejected.len()), (0, 0), "the server took the sealed note: {waiting:?}");

    let (laptop_dir, laptop) = device("Portatile");
    let other = SyncClient::new(&server.base);
    other.enroll(&laptop, &server.code("Portatile", 10), &SystemClock, &random).await.unwrap();
    other.sync_once(&laptop, &SystemClock, &random).await.unwrap();
    let read = |store: &Store| -> Vec<String> {
        store.folder(folder, &SystemClock).unwrap().notes.into_iter().map(|note| note.details.text).collect()
    };
    assert_eq!(laptop.with_store(|store| read(store)).unwrap(), [HEALTH], "one Ambito, one health key");
    laptop.lock_out();

    let dir = data_dir(&laptop_dir);
    let maria = Passphrase::new(MARIA).unwrap();
    let mediator = Store::activate(&dir, "m.rossi", &mediator_code.code, &maria, &SystemClock, &random).unwrap();
    assert!(!mediator.holds_health_key());
    assert!(read(&mediator).is_empty());
    mediator.lock();
    let sara = Passphrase::new(SARA).unwrap();
    let nurse = Store::activate(&dir, "s.verdi", &nurse_code.code, &sara, &SystemClock, &random).unwrap();
    assert!(nurse.holds_health_key(), "the server sealed the key to her code's lock");
    assert_eq!(read(&nurse), [HEALTH]);
    nurse.lock();
    let nurse = Store::unlock(&dir, "s.verdi", SARA, &SystemClock).unwrap();
    assert!(nurse.holds_health_key(), "and her passphrase brings it from then on");
    assert_eq!(read(&nurse), [HEALTH]);
}
