//! Enrollment that went wrong halfway (issue 17): the answer lost on the way back must not
//! leave the device unable to enroll for ever; the administrator forgets the enrollment and
//! a new code connects it again, its sequence kept.

use porta::ErrorCode;
use porta::clock::{Clock, SystemClock};
use porta::error::UserFacingError;
use porta::folder::person::PersonDetails;
use porta::sync::client::{StoreAccess, SyncClient};
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;

use crate::common::{Server, device};

#[tokio::test]
async fn a_lost_enrollment_answer_is_recovered_by_forgetting_the_device() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (_dir, laptop) = device("Portatile");
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();

    // The server enrolls the device, and the answer never arrives: the device saved nothing.
    let lost = porta::sync::protocol::EnrollRequest {
        protocol: porta::sync::protocol::PROTOCOL_VERSION,
        code: server.code("Portatile", 10),
        device_id,
        public_key: data_encoding::BASE64URL_NOPAD.encode(&[7u8; 32]),
        login: "admin".into(),
    };
    let sent = reqwest::Client::new().post(format!("{}/api/v1/enroll", server.base)).json(&lost).send().await;
    assert_eq!(sent.unwrap().status(), 200);
    assert_eq!(laptop.with_store(|store| store.enrollment().unwrap()).unwrap(), None);

    // A new code alone does not help: the server knows the device under the lost key.
    let client = SyncClient::new(&server.base);
    let refused = client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap_err();
    assert_eq!(refused.server_code(), Some(ErrorCode::DeviceAlreadyEnrolled));

    // The administrator forgets it (`porta-server devices forget`), and a new code works.
    assert!(server.storage.forget_device(device_id).unwrap());
    assert!(!server.storage.forget_device(device_id).unwrap(), "forgotten once");
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Mensah".into(), given_names: "Ama".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    let report = client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert!(report.pushed > 0);
    assert!(server.storage.devices().unwrap().iter().any(|device| device.id == device_id));
}

#[tokio::test]
async fn the_server_refuses_a_code_issued_for_another_certificate() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let issued_for_tls = porta_server::enrollment::issue_code(
        &*server.storage,
        "Portatile",
        "PUA Galatina",
        Some(&"ab".repeat(32)),
        10,
        SystemClock.now_ms(),
        &random,
    )
    .unwrap();
    let request = porta::sync::protocol::EnrollRequest {
        protocol: porta::sync::protocol::PROTOCOL_VERSION,
        code: issued_for_tls,
        device_id: uuid::Uuid::now_v7(),
        public_key: data_encoding::BASE64URL_NOPAD.encode(&[7u8; 32]),
        login: "admin".into(),
    };
    // This server serves plain HTTP: the code names a certificate it does not have.
    let sent = reqwest::Client::new().post(format!("{}/api/v1/enroll", server.base)).json(&request).send().await;
    let answer = sent.unwrap();
    assert_eq!(answer.status(), 400);
    let payload: porta::ErrorPayload = answer.json().await.unwrap();
    assert_eq!(payload.code, ErrorCode::EnrollmentCodeInvalid);
    assert!(server.storage.devices().unwrap().is_empty(), "nothing enrolled");
}

#[tokio::test]
async fn joining_again_is_an_explicit_recorded_act_within_the_same_ambito_and_office() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let (_dir, laptop) = device("Portatile");
    let device_id = laptop.with_store(|store| store.device_id()).unwrap();
    let client = SyncClient::new(&server.base);
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Mensah".into(), given_names: "Ama".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&person, &clock).unwrap()).unwrap();
    client.sync_once(&laptop, &clock, &random).await.unwrap();

    // Enrolling an enrolled device is refused on the device, before the code is sent.
    let code = server.code("Portatile", 10);
    let plain = client.enroll(&laptop, &code, &clock, &random).await.unwrap_err();
    assert_eq!((plain.code(), plain.server_code()), (ErrorCode::DeviceAlreadyEnrolled, None));
    // Joining again needs the administrator to forget the device on the server first.
    let unforgotten = client.reenroll(&laptop, &code, &clock, &random).await.unwrap_err();
    assert_eq!(unforgotten.server_code(), Some(ErrorCode::DeviceAlreadyEnrolled));

    // Another office of the Ambito: its administrator is not this device's, so the server
    // refuses. Another Ambito's server (where an `admin` may exist) would take the device's
    // folders elsewhere: the device refuses, and stays as it was.
    assert!(server.storage.forget_device(device_id).unwrap());
    let soleto = server.code_for("Soleto", "Portatile", 10);
    let refused = client.reenroll(&laptop, &soleto, &clock, &random).await.unwrap_err();
    assert_eq!(refused.server_code(), Some(ErrorCode::EnrollerNotAdministrator));
    let nardo = Server::start().await;
    nardo.storage.set_up(&porta_server::storage::Ambito { name: "Ambito di Nardò".into(), offices: vec![] }).unwrap();
    let other = SyncClient::new(&nardo.base);
    let refused = other.reenroll(&laptop, &nardo.code("Portatile", 10), &clock, &random).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::NotPermitted);
    let message = refused.payload(&porta::Localizer::new(), porta::Locale::It).message;
    assert!(message.contains("Nardò") && message.contains("devices forget"), "{message}");
    let kept = laptop.with_store(|store| store.enrollment().unwrap().unwrap()).unwrap();
    assert_eq!((kept.office.as_str(), kept.server_url.as_str()), ("PUA Galatina", server.base.as_str()));
    assert!(laptop.with_store(|store| store.reenrollments().unwrap()).unwrap().is_empty());

    // Within its office (still forgotten on its server): joined again, recorded for good,
    // and sync goes on where it was.
    client.reenroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let recorded = laptop.with_store(|store| store.reenrollments().unwrap()).unwrap();
    let admin = laptop.with_store(|store| store.operator().account_id).unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (recorded[0].from_server.as_str(), recorded[0].to_server.as_str()),
        (server.base.as_str(), server.base.as_str())
    );
    assert_eq!(recorded[0].operator_id, admin);
    let another = PersonDetails { family_name: "Boateng".into(), given_names: "Kofi".into(), ..Default::default() };
    laptop.with_store(|store| store.create_person(&another, &clock).unwrap()).unwrap();
    let report = client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert!(report.pushed > 0);
    assert_eq!(laptop.with_store(|store| store.sync_progress().unwrap().waiting).unwrap(), 0);
}
