//! Enrollment that went wrong halfway (issue 17): the answer lost on the way back must not
//! leave the device unable to enroll for ever; the administrator forgets the enrollment and
//! a new code connects it again, its sequence kept.

use porta::ErrorCode;
use porta::clock::{Clock, SystemClock};
use porta::folder::person::PersonDetails;
use porta::sync::client::{StoreAccess, SyncClient};
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;

mod common;
use common::{Server, device};

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
