//! Folders shared with another office, taken back and moved, with the real server and two
//! real SQLCipher devices in two offices: the folder arrives whole, edits travel both ways,
//! and a folder that leaves is removed from the device once what was typed in it was sent.

use porta::ErrorCode;
use porta::clock::SystemClock;
use porta::error::UserFacingError;
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::store::Store;
use porta::sync::client::{StoreAccess, SyncClient};
use porta::sync::protocol::RejectionCode;
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;
use std::sync::Mutex;
use uuid::Uuid;

use crate::common::{RawDevice, Server, device, device_with_administrator};

async fn sync(client: &SyncClient, device: &Mutex<Option<Store>>) {
    client.sync_once(device, &SystemClock, &SystemRandom::new()).await.unwrap();
}

fn holds(device: &Mutex<Option<Store>>, folder: Uuid) -> Result<usize, ErrorCode> {
    device
        .with_store(|store| store.folder(folder, &SystemClock).map(|f| f.contacts.len()).map_err(|error| error.code()))
        .unwrap()
}

fn entries_of(device: &Mutex<Option<Store>>, folder: Uuid) -> usize {
    device.with_store(|store| store.change_log().unwrap().iter().filter(|e| e.folder_id == folder).count()).unwrap()
}

type Device = (tempfile::TempDir, Mutex<Option<Store>>);

/// The real server, and a device enrolled in each of its offices: PUA Galatina and Soleto.
async fn two_offices() -> (Server, SyncClient, Device, Device) {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let client = SyncClient::new(&server.base);
    let (a_folder, galatina) = device("Galatina 1");
    let (b_folder, soleto) = device_with_administrator("Soleto 1", "admin.soleto");
    client.enroll(&galatina, &server.code_for("PUA Galatina", "Galatina 1", 10), &SystemClock, &random).await.unwrap();
    client.enroll(&soleto, &server.code_for("Soleto", "Soleto 1", 10), &SystemClock, &random).await.unwrap();
    (server, client, (a_folder, galatina), (b_folder, soleto))
}

#[tokio::test]
async fn a_shared_folder_arrives_whole_travels_both_ways_and_leaves_once_its_edits_are_sent() {
    let (server, client, (_a_folder, galatina), (_b_folder, soleto)) = two_offices().await;

    let person = PersonDetails { family_name: "Kone".into(), given_names: "Mariam".into(), ..Default::default() };
    let folder = galatina.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
    galatina.with_store(|store| store.add(folder, &ContactDetails::example(), &SystemClock).unwrap()).unwrap();
    sync(&client, &galatina).await;
    sync(&client, &soleto).await;
    assert_eq!(holds(&soleto, folder), Err(ErrorCode::NotFound), "Soleto does not hold Galatina's folders");

    // Shared after Soleto's pulls passed its entries: they arrive whole all the same.
    assert!(server.storage.share_folder(folder, "Soleto").unwrap());
    sync(&client, &soleto).await;
    assert_eq!(holds(&soleto, folder), Ok(1));
    assert_eq!(entries_of(&soleto, folder), entries_of(&galatina, folder));
    let found = soleto.with_store(|store| store.search_people("Kone Mariam", None, 5).unwrap()).unwrap();
    assert_eq!(found.len(), 1, "and search finds it");

    // Edits travel both ways.
    soleto.with_store(|store| store.add(folder, &ContactDetails::example(), &SystemClock).unwrap()).unwrap();
    sync(&client, &soleto).await;
    sync(&client, &galatina).await;
    assert_eq!(holds(&galatina, folder), Ok(2));

    // Taken back while Soleto has an edit waiting: the edit is sent and kept by the server for
    // the folder's office (the device says so), then the folder leaves the device.
    assert!(server.storage.unshare_folder(folder, "Soleto").unwrap());
    soleto.with_store(|store| store.add(folder, &ContactDetails::example(), &SystemClock).unwrap()).unwrap();
    sync(&client, &soleto).await;
    assert_eq!(holds(&soleto, folder), Err(ErrorCode::NotFound));
    assert_eq!(entries_of(&soleto, folder), 0, "its history is gone from the device too");
    let refused = soleto.with_store(|store| store.sync_progress().unwrap().rejected).unwrap();
    assert!(!refused.is_empty() && refused.iter().all(|r| r.code == RejectionCode::HeldForOwner), "{refused:?}");
    // Nothing is lost: the administrator delivers it to Galatina, whose devices receive it.
    let held = server.storage.held_entries().unwrap();
    assert_eq!((held.len(), held[0].folder_id, held[0].owner.as_str()), (1, folder, "PUA Galatina"));
    assert_eq!(server.storage.deliver_held(folder).unwrap(), refused.len() as u64);
    assert!(server.storage.held_entries().unwrap().is_empty(), "delivered once");
    sync(&client, &galatina).await;
    assert_eq!(holds(&galatina, folder), Ok(3), "Soleto's late contact arrived at Galatina");
    // In a folder its office never held, a device gets no such courtesy: out of scope.
    let never_shared =
        PersonDetails { family_name: "Diarra".into(), given_names: "Oumou".into(), ..Default::default() };
    let galatinas = galatina.with_store(|store| store.create_person(&never_shared, &SystemClock).unwrap()).unwrap();
    sync(&client, &galatina).await;
    let stranger = RawDevice::enroll_in(&server, "Soleto").await;
    let [mut intruding] = stranger.entries(1, 1).try_into().unwrap();
    intruding.folder_id = galatinas;
    let body = serde_json::to_value(porta::sync::protocol::PushRequest::new(stranger.id, &[intruding])).unwrap();
    let answer: porta::sync::protocol::PushResponse = stranger.push(&server.base, &body).await.json().await.unwrap();
    assert_eq!(answer.rejected[0].code, RejectionCode::OutOfScope);
    assert!(soleto.with_store(|store| store.search_people("Kone Mariam", None, 5).unwrap().is_empty()).unwrap());
    // Writing goes on with new sequence numbers, never reused.
    let other = PersonDetails { family_name: "Traore".into(), given_names: "Ali".into(), ..Default::default() };
    let own = soleto.with_store(|store| store.create_person(&other, &SystemClock).unwrap()).unwrap();
    sync(&client, &soleto).await;
    assert!(soleto.with_store(|store| store.sync_progress().unwrap().waiting).unwrap() == 0);
    assert_eq!(server.storage.folder_scope(own).unwrap().unwrap().owner, "Soleto");

    // Moved to Soleto: it comes back whole there and leaves Galatina.
    assert!(server.storage.move_folder(folder, "Soleto").unwrap());
    sync(&client, &soleto).await;
    sync(&client, &galatina).await;
    assert_eq!(holds(&soleto, folder), Ok(3), "the delivered contact with it");
    assert_eq!(holds(&galatina, folder), Err(ErrorCode::NotFound));
}

#[tokio::test]
async fn the_directory_of_services_reaches_every_office_and_only_administrators_change_it() {
    use porta::folder::Entity;
    use porta::folder::directory::DIRECTORY_FOLDER;
    use porta::folder::organisation::OrganisationDetails;
    use porta::sync::protocol::{PushRequest, PushResponse};
    use porta_server::storage::{OperatorRecord, ScopeError};

    let (server, client, (_a_folder, galatina), (_b_folder, soleto)) = two_offices().await;

    // Galatina's administrator adds a service; Soleto's devices receive it at their next sync.
    let service = OrganisationDetails::example();
    let id = galatina.with_store(|store| store.save_organisation(None, &service, &SystemClock).unwrap()).unwrap();
    sync(&client, &galatina).await;
    sync(&client, &soleto).await;
    let directory = |device: &Mutex<Option<Store>>| device.with_store(|store| store.directory().unwrap()).unwrap();
    assert_eq!(directory(&soleto).iter().map(|row| (row.id, &row.details)).collect::<Vec<_>>(), vec![(id, &service)]);
    // Soleto's administrator changes it, and Galatina sees the change: one directory.
    let moved = OrganisationDetails { address: Some("Piazza dell'Esempio 2".into()), ..service.clone() };
    soleto.with_store(|store| store.save_organisation(Some(id), &moved, &SystemClock).unwrap()).unwrap();
    sync(&client, &soleto).await;
    sync(&client, &galatina).await;
    assert_eq!(directory(&galatina)[0].details, moved);
    let progress = |device: &Mutex<Option<Store>>| device.with_store(|store| store.sync_progress().unwrap()).unwrap();
    assert!(progress(&galatina).rejected.is_empty() && progress(&soleto).rejected.is_empty());
    // The directory is every office's: neither shared nor moved.
    assert!(matches!(server.storage.share_folder(DIRECTORY_FOLDER, "Soleto"), Err(ScopeError::EveryOffice)));
    assert!(matches!(server.storage.move_folder(DIRECTORY_FOLDER, "Soleto"), Err(ScopeError::EveryOffice)));

    // A device whose entries name a mediator cannot write the directory, and nobody can put
    // a service outside it or anything else inside it.
    let mediator = OperatorRecord {
        id: Uuid::now_v7(),
        login: "mediatrice.soleto".into(),
        display_name: "Mediatrice".into(),
        role: porta::store::Role::Mediator,
        office: "Soleto".into(),
        disabled: false,
        activation: None,
    };
    server.storage.add_operator(&mediator).unwrap();
    let stranger = RawDevice::enroll_in(&server, "Soleto").await;
    let [mut as_mediator, mut outside, mut inside, mut as_administrator] = stranger.entries(1, 4).try_into().unwrap();
    for entry in [&mut as_mediator, &mut outside, &mut as_administrator] {
        (entry.entity, entry.field, entry.value) = (Entity::Organisation, "name".into(), "Servizio inventato".into());
        entry.folder_id = DIRECTORY_FOLDER;
    }
    as_mediator.operator_id = mediator.id;
    outside.folder_id = Uuid::now_v7();
    inside.folder_id = DIRECTORY_FOLDER;
    let stored = as_administrator.op_id;
    let entries = [as_mediator, outside, inside, as_administrator];
    let body = serde_json::to_value(PushRequest::new(stranger.id, &entries)).unwrap();
    let answer: PushResponse = stranger.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<_> = answer.rejected.iter().map(|rejection| (rejection.seq, rejection.code)).collect();
    assert_eq!(
        codes,
        vec![
            (1, RejectionCode::NotPermitted),
            (2, RejectionCode::RowInOtherFolder),
            (3, RejectionCode::RowInOtherFolder)
        ]
    );
    assert_eq!(answer.acknowledged, 4, "the administrator's entry is stored");
    sync(&client, &galatina).await;
    let log = galatina.with_store(|store| store.change_log().unwrap()).unwrap();
    assert!(log.iter().any(|entry| entry.op_id == stored), "and reaches the other office");
}
