//! One enrolled device that crafts entries must never stop an office (issue 17): copies of
//! other entries, timestamps that claim another device or exhaust the counter, rows moved to
//! another folder. Against the real server on loopback, with real SQLCipher devices.

use porta::clock::{Clock, SystemClock};
use porta::folder::Entity;
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::hlc::MAX_COUNTER;
use porta::store::change_log::ChangeEntry;
use porta::sync::client::{StoreAccess, SyncClient};
use porta::sync::protocol::{PushRequest, PushResponse, RejectionCode};
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;
use uuid::Uuid;

use crate::common::{RawDevice, Server, device};

fn person(family: &str, given: &str) -> PersonDetails {
    PersonDetails { family_name: family.into(), given_names: given.into(), ..Default::default() }
}

#[tokio::test]
async fn crafted_entries_are_refused_and_the_office_keeps_syncing() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let client = SyncClient::new(&server.base);
    let ((_office_dir, office), (_laptop_dir, laptop)) = (device("Ufficio"), device("Portatile"));
    client.enroll(&office, &server.code("Ufficio", 10), &clock, &random).await.unwrap();
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    let (first, second) = laptop
        .with_store(|store| {
            let first = store.create_person(&person("Sahin", "Elif"), &clock).unwrap();
            store.add(first, &ContactDetails::example(), &clock).unwrap();
            (first, store.create_person(&person("Osei", "Kwame"), &clock).unwrap())
        })
        .unwrap();
    client.sync_once(&laptop, &clock, &random).await.unwrap();
    client.sync_once(&office, &clock, &random).await.unwrap();

    // A third device of the office, enrolled like any other, that writes by hand.
    let intruder = RawDevice::enroll(&server).await;
    let seen = intruder.pull_all(&server.base).await;
    let of_field = |field: &str| seen.iter().find(|entry| entry.field == field).unwrap().clone();
    let mut seq = 0;
    let mut forged = |original: ChangeEntry, change: &dyn Fn(&mut ChangeEntry)| {
        seq += 1;
        let mut entry = ChangeEntry { device_id: intruder.id, seq, op_id: Uuid::now_v7(), ..original };
        entry.hlc.device = intruder.id;
        entry.hlc.wall_ms = SystemClock.now_ms();
        change(&mut entry);
        entry
    };
    let copy = forged(of_field("given_names"), &|entry| entry.op_id = seen[0].op_id);
    let laptops_clock = forged(of_field("given_names"), &|entry| entry.hlc.device = seen[0].device_id);
    let contact_moved = forged(of_field("duration_minutes"), &|entry| entry.folder_id = second);
    let person_moved = forged(of_field("family_name"), &|entry| entry.folder_id = second);
    let last_counter = forged(of_field("family_name"), &|entry| {
        entry.hlc.counter = MAX_COUNTER;
        entry.value = serde_json::json!("Sahin-Yilmaz");
    });
    let batch = [copy, laptops_clock, contact_moved, person_moved, last_counter];
    let body = serde_json::to_value(PushRequest::new(intruder.id, &batch)).unwrap();
    let answer: PushResponse = intruder.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(answer.acknowledged, 5);
    assert_eq!(
        codes,
        [
            (1, RejectionCode::DuplicateEntry),
            (2, RejectionCode::WrongDevice),
            (3, RejectionCode::RowInOtherFolder),
            (4, RejectionCode::RowInOtherFolder),
        ]
    );

    // The office takes in what was accepted, and its next edit of that field still works.
    client.sync_once(&office, &clock, &random).await.unwrap();
    let family = |device: &std::sync::Mutex<Option<porta::store::Store>>| {
        device.with_store(|store| store.person(first, &clock).unwrap().details.family_name).unwrap()
    };
    assert_eq!(family(&office), "Sahin-Yilmaz");
    office
        .with_store(|store| store.update_person(first, &person("Şahin", "Elif"), &clock))
        .unwrap()
        .expect("an edit after a timestamp with the largest counter");
    client.sync_once(&office, &clock, &random).await.unwrap();
    client.sync_once(&laptop, &clock, &random).await.unwrap();
    assert_eq!((family(&office), family(&laptop)), ("Şahin".to_owned(), "Şahin".to_owned()));
    let contacts = laptop.with_store(|store| store.rows::<ContactDetails>(second, &clock).unwrap()).unwrap();
    assert!(contacts.is_empty(), "no row moved into another folder");
    let kinds: Vec<Entity> = server
        .storage
        .pull(0, 1000, usize::MAX, "PUA Galatina", None)
        .unwrap()
        .entries
        .iter()
        .filter(|entry| entry.device_id == intruder.id)
        .map(|entry| entry.entity)
        .collect();
    assert_eq!(kinds, [Entity::Person], "only the honest entry was stored");
}

/// Every entry names an account of the device's office, whose role may write it: an unknown
/// operator, an erasure by anyone but an administrator, health-restricted content by a role
/// that may not read it are refused one by one, the rest of the batch kept.
#[tokio::test]
async fn entries_are_written_by_accounts_of_the_office_whose_role_allows_them() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let now = SystemClock.now_ms();
    let device = RawDevice::enroll(&server).await;
    let (mediator, _) = porta_server::operators::create(
        &*server.storage,
        "m.rossi",
        "Maria Rossi",
        porta::store::Role::Mediator,
        "PUA Galatina",
        7,
        now,
        &random,
    )
    .unwrap();
    let (elsewhere, _) = porta_server::operators::create(
        &*server.storage,
        "s.bianchi",
        "Sara Bianchi",
        porta::store::Role::Coordinator,
        "Soleto",
        7,
        now,
        &random,
    )
    .unwrap();
    let folder = Uuid::now_v7();
    let entry = |seq: u64, operator: Uuid, entity: Entity, field: &str, value: serde_json::Value| {
        let [mut entry] = device.entries(seq, seq).try_into().unwrap();
        (entry.operator_id, entry.entity, entry.field, entry.value, entry.folder_id) =
            (operator, entity, field.into(), value, folder);
        if entity == Entity::Person {
            entry.row_id = folder;
        }
        entry
    };
    let health = serde_json::json!("health_restricted");
    let batch = [
        entry(1, mediator.id, Entity::Person, "family_name", serde_json::json!("Diop")),
        entry(2, Uuid::now_v7(), Entity::Note, "text", serde_json::json!("Chi sono?")),
        entry(3, elsewhere.id, Entity::Note, "text", serde_json::json!("Da un altro ufficio")),
        entry(4, mediator.id, Entity::Person, "_erased", serde_json::json!(true)),
        entry(5, mediator.id, Entity::Note, "confidentiality", health.clone()),
        entry(6, device.operator, Entity::Note, "confidentiality", health),
        entry(7, mediator.id, Entity::Note, "text", serde_json::json!("Chiede del permesso")),
    ];
    let body = serde_json::to_value(PushRequest::new(device.id, &batch)).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(answer.acknowledged, 7);
    assert_eq!(
        codes,
        [
            (2, RejectionCode::UnknownOperator),
            (3, RejectionCode::UnknownOperator),
            (4, RejectionCode::NotPermitted),
            (5, RejectionCode::NotPermitted),
        ]
    );
    let stored = server.storage.pull(0, 1000, usize::MAX, "PUA Galatina", None).unwrap().entries;
    assert_eq!(stored.iter().map(|entry| entry.seq).collect::<Vec<_>>(), [1, 6, 7], "the rest of the batch kept");
    // The erasure was refused, so nothing was blanked.
    assert_eq!(stored[0].value, serde_json::json!("Diop"));

    // Row 6 is a health note now: the mediator may not write its text either (the text alone
    // does not say so: the server remembers the row), while note 7 stays theirs to edit.
    let on_row = |seq: u64, row: u64| {
        let mut edit = entry(seq, mediator.id, Entity::Note, "text", serde_json::json!("Aggiunta"));
        edit.row_id = Uuid::from_u128(u128::from(row));
        edit
    };
    let body = serde_json::to_value(PushRequest::new(device.id, &[on_row(8, 6), on_row(9, 7)])).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!((answer.acknowledged, codes), (9, vec![(8, RejectionCode::NotPermitted)]));

    // Within one push too: the server looks a row up once per push, and what the push itself
    // wrote counts. Note 10 is the mediator's until entry 11 makes it a health note.
    let note = |seq: u64, operator: Uuid, field: &str, value: serde_json::Value| {
        let mut edit = entry(seq, operator, Entity::Note, field, value);
        edit.row_id = Uuid::from_u128(10);
        edit
    };
    let batch = [
        note(10, mediator.id, "text", serde_json::json!("Prima")),
        note(11, device.operator, "confidentiality", serde_json::json!("health_restricted")),
        note(12, mediator.id, "text", serde_json::json!("Dopo")),
    ];
    let body = serde_json::to_value(PushRequest::new(device.id, &batch)).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!((answer.acknowledged, codes), (12, vec![(12, RejectionCode::NotPermitted)]));
}

/// An office archives only its own folders: Soleto's device archiving (or deleting) a folder
/// that Galatina holds is refused `out_of_scope`, the folder stays as Galatina left it, and the
/// same device's archive of its own folder in the same batch is stored.
#[tokio::test]
async fn an_archive_of_a_folder_outside_the_office_is_refused() {
    let server = Server::start().await;
    let galatina = RawDevice::enroll_in(&server, "PUA Galatina").await;
    let soleto = RawDevice::enroll_in(&server, "Soleto").await;
    let on_person = |device: &RawDevice, seq: u64, folder: Uuid, field: &str, value: serde_json::Value| {
        let [mut entry] = device.entries(seq, seq).try_into().unwrap();
        (entry.entity, entry.field, entry.value, entry.folder_id, entry.row_id) =
            (Entity::Person, field.into(), value, folder, folder);
        entry
    };
    let (galatinas, soletos) = (Uuid::now_v7(), Uuid::now_v7());
    let body = serde_json::to_value(PushRequest::new(
        galatina.id,
        &[on_person(&galatina, 1, galatinas, "family_name", serde_json::json!("Diop"))],
    ))
    .unwrap();
    let answer: PushResponse = galatina.push(&server.base, &body).await.json().await.unwrap();
    assert!(answer.rejected.is_empty(), "{:?}", answer.rejected);

    let batch = [
        on_person(&soleto, 1, soletos, "family_name", serde_json::json!("Kone")),
        on_person(&soleto, 2, galatinas, porta::folder::ARCHIVED, serde_json::json!(true)),
        on_person(&soleto, 3, galatinas, porta::folder::DELETED, serde_json::json!(true)),
        on_person(&soleto, 4, soletos, porta::folder::ARCHIVED, serde_json::json!(true)),
    ];
    let body = serde_json::to_value(PushRequest::new(soleto.id, &batch)).unwrap();
    let answer: PushResponse = soleto.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!((answer.acknowledged, codes), (4, vec![(2, RejectionCode::OutOfScope), (3, RejectionCode::OutOfScope)]));

    let galatina_sees = server.storage.pull(0, 1000, usize::MAX, "PUA Galatina", None).unwrap().entries;
    assert_eq!(galatina_sees.iter().map(|entry| entry.field.as_str()).collect::<Vec<_>>(), ["family_name"]);
    let soleto_sees = server.storage.pull(0, 1000, usize::MAX, "Soleto", None).unwrap().entries;
    let soletos_own: Vec<(Uuid, &str)> =
        soleto_sees.iter().map(|entry| (entry.folder_id, entry.field.as_str())).collect();
    assert_eq!(soletos_own, [(soletos, "family_name"), (soletos, porta::folder::ARCHIVED)]);
}

async fn refused(response: reqwest::Response, status: u16, code: porta::ErrorCode) {
    assert_eq!(response.status(), status);
    let error: porta::ErrorPayload = response.json().await.unwrap();
    assert_eq!(error.code, code);
}

#[tokio::test]
async fn entries_are_checked_with_the_sections_own_types() {
    let server = Server::start().await;
    let device = RawDevice::enroll(&server).await;
    let folder = Uuid::now_v7();
    let entry = |seq: u64, entity: Entity, field: &str, value: serde_json::Value| {
        let [mut entry] = device.entries(seq, seq).try_into().unwrap();
        (entry.entity, entry.field, entry.value, entry.folder_id) = (entity, field.into(), value, folder);
        if entity == Entity::Person {
            entry.row_id = folder;
        }
        entry
    };
    let mut old_schema = entry(5, Entity::Note, "text", serde_json::json!("Una nota"));
    old_schema.schema_version = 0;
    let batch = [
        entry(1, Entity::Person, "family_name", serde_json::json!("Diop")),
        entry(2, Entity::Note, "spaceship", serde_json::json!(true)),
        entry(3, Entity::Contact, "duration_minutes", serde_json::json!("quaranta")),
        entry(4, Entity::Note, "text", serde_json::json!("x".repeat(10 * 1024 * 1024))),
        old_schema,
        entry(6, Entity::Note, "text", serde_json::json!("Una nota")),
    ];
    let body = serde_json::to_value(PushRequest::new(device.id, &batch)).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    let codes: Vec<(u64, RejectionCode)> = answer.rejected.iter().map(|r| (r.seq, r.code)).collect();
    assert_eq!(answer.acknowledged, 6);
    assert_eq!(
        codes,
        [
            (2, RejectionCode::UnknownField),
            (3, RejectionCode::InvalidValue),
            (4, RejectionCode::ValueTooLarge),
            (5, RejectionCode::UnknownSchema),
        ]
    );
    let stored = || server.storage.pull(0, 1000, usize::MAX, "PUA Galatina", None).unwrap().entries;
    assert_eq!(stored().iter().map(|entry| entry.seq).collect::<Vec<_>>(), [1, 6]);

    // Two entries under one sequence number: the whole request is refused. A value nested a
    // thousand deep: that entry is refused. Nothing stored, and the server serves the next.
    let twice = [
        entry(7, Entity::Note, "text", serde_json::json!("a")),
        entry(7, Entity::Note, "text", serde_json::json!("b")),
    ];
    let body = serde_json::to_value(PushRequest::new(device.id, &twice)).unwrap();
    refused(device.push(&server.base, &body).await, 400, porta::ErrorCode::MalformedRequest).await;
    let deep = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
    let text = serde_json::to_string(&entry(7, Entity::Note, "text", serde_json::json!("x"))).unwrap();
    let nested = text.replace("\"x\"", &deep);
    let body = format!(
        r#"{{"protocol":{},"device_id":"{}","entries":[{nested}]}}"#,
        porta::sync::protocol::PROTOCOL_VERSION,
        device.id
    );
    let response = device
        .request(&server.base, "POST", "/api/v1/push", body.as_bytes(), SystemClock.now_ms())
        .send()
        .await
        .unwrap();
    let answer: PushResponse = response.json().await.unwrap();
    assert_eq!(answer.rejected.iter().map(|r| (r.seq, r.code)).collect::<Vec<_>>(), [(7, RejectionCode::InvalidEntry)]);
    assert_eq!(stored().len(), 2);
    let next = [entry(8, Entity::Note, "text", serde_json::json!("Dopo"))];
    let body = serde_json::to_value(PushRequest::new(device.id, &next)).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    assert_eq!((answer.acknowledged, answer.rejected.len()), (8, 0));
    assert_eq!(stored().len(), 3);
}

/// Weeks offline with long notes: more entries' text than the server reads in one request.
/// The client sends them in pushes the server accepts, and every one arrives.
#[tokio::test]
async fn a_long_offline_stretch_of_long_notes_leaves_in_pushes_the_server_takes() {
    use porta::folder::note::{Confidentiality, NoteDetails};
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let client = SyncClient::new(&server.base);
    let (_laptop_dir, laptop) = device("Portatile");
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
    // 460 notes of 20,000 Arabic letters: about 18 MB of entries, over the 16 MB a request may be.
    let long_text = "ملاحظة ".repeat(20_000 / 7);
    laptop
        .with_store(|store| {
            store.in_one_transaction(|store| {
                let folder = store.create_person(&person("Haddad", "Rania"), &clock)?;
                for _ in 0..460 {
                    store.add(
                        folder,
                        &NoteDetails { text: long_text.clone(), confidentiality: Confidentiality::Normal },
                        &clock,
                    )?;
                }
                Ok(())
            })
        })
        .unwrap()
        .unwrap();
    let written = laptop.with_store(|store| store.highest_seq(store.device_id()).unwrap()).unwrap();
    let report = client.sync_once(&laptop, &clock, &random).await.expect("pushes the server accepts");
    assert_eq!(report.pushed, written);
    let progress = laptop.with_store(|store| store.sync_progress().unwrap()).unwrap();
    assert_eq!((progress.acknowledged, progress.rejected.len()), (written, 0));
}

/// No device can use up the ASL's series of STP/ENI numbers: blocks are bounded, and each
/// device has a quota per month; the others are still served.
#[tokio::test]
async fn one_device_cannot_use_up_the_stp_eni_series() {
    use porta::rules::stp_eni::StpEniKind;
    use porta::sync::protocol::{
        MAX_STP_ENI_BLOCK, PROTOCOL_VERSION, STP_ENI_DEVICE_QUOTA, StpEniBlock, StpEniBlockRequest,
    };
    let server = Server::start().await;
    let series = porta_server::storage::StpEniSeries { region: "160".into(), asl: "116".into() };
    server.storage.set_stp_eni_series(&series, None).unwrap();
    let greedy = RawDevice::enroll(&server).await;
    let ask = |device: &RawDevice, count: u32| {
        let body = serde_json::to_vec(&StpEniBlockRequest { protocol: PROTOCOL_VERSION, kind: StpEniKind::Stp, count })
            .unwrap();
        device.request(&server.base, "POST", "/api/v1/stp-eni-blocks", &body, SystemClock.now_ms()).send()
    };
    for count in [0, MAX_STP_ENI_BLOCK + 1] {
        refused(ask(&greedy, count).await.unwrap(), 400, porta::ErrorCode::MalformedRequest).await;
    }
    for _ in 0..STP_ENI_DEVICE_QUOTA / MAX_STP_ENI_BLOCK {
        let block: StpEniBlock = ask(&greedy, MAX_STP_ENI_BLOCK).await.unwrap().json().await.unwrap();
        assert_eq!(block.last - block.first + 1, MAX_STP_ENI_BLOCK);
    }
    refused(ask(&greedy, 1).await.unwrap(), 429, porta::ErrorCode::StpEniQuotaReached).await;
    let other = RawDevice::enroll(&server).await;
    let block: StpEniBlock = ask(&other, 100).await.unwrap().json().await.unwrap();
    assert_eq!((block.first, block.last), (STP_ENI_DEVICE_QUOTA + 1, STP_ENI_DEVICE_QUOTA + 100));
}

/// Malformed authentication headers and enrollment keys: each refused with its own code,
/// nothing stored, and the server serving the next request.
#[tokio::test]
async fn malformed_headers_and_keys_are_refused_and_the_server_keeps_serving() {
    use porta::sync::signing::{HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
    let server = Server::start().await;
    let device = RawDevice::enroll(&server).await;
    let path = "/api/v1/pull?after=0";
    // A correctly signed request, then one header at a time replaced.
    let signed = |replace: (&'static str, &str)| {
        let request = device.request(&server.base, "GET", path, b"", SystemClock.now_ms()).build().unwrap();
        let mut headers = request.headers().clone();
        headers.insert(replace.0, replace.1.parse().unwrap());
        reqwest::Client::new().get(format!("{}{path}", server.base)).headers(headers).send()
    };
    let future = (SystemClock.now_ms() + 3_600_000).to_string();
    for (header, value, code) in [
        (HEADER_DEVICE, "non-un-uuid", porta::ErrorCode::Unauthenticated),
        (HEADER_TIMESTAMP, "ieri", porta::ErrorCode::Unauthenticated),
        (HEADER_TIMESTAMP, future.as_str(), porta::ErrorCode::BadSignature),
        (HEADER_NONCE, "zz", porta::ErrorCode::Unauthenticated),
        (HEADER_SIGNATURE, "***non base64***", porta::ErrorCode::BadSignature),
    ] {
        refused(signed((header, value)).await.unwrap(), 401, code).await;
    }
    // A public key that is not 32 bytes, or not base64 at all.
    for public_key in ["AAAA", "non base64 !!"] {
        let request = porta::sync::protocol::EnrollRequest {
            protocol: porta::sync::protocol::PROTOCOL_VERSION,
            code: server.code("Chiave storta", 10),
            device_id: Uuid::now_v7(),
            public_key: public_key.into(),
            login: "admin".into(),
        };
        let sent = reqwest::Client::new().post(format!("{}/api/v1/enroll", server.base)).json(&request).send().await;
        refused(sent.unwrap(), 400, porta::ErrorCode::MalformedRequest).await;
    }
    assert_eq!(server.storage.devices().unwrap().len(), 1, "no device enrolled by a malformed key");
    let fine = device.request(&server.base, "GET", path, b"", SystemClock.now_ms()).send().await.unwrap();
    assert_eq!(fine.status(), 200, "the server still serves");
}

/// Limits that hold before a request is authenticated: per address (stricter for enrolling)
/// and on requests served at once.
#[tokio::test]
async fn an_address_over_its_rate_is_refused_before_authentication() {
    use porta_server::gate::GateLimits;
    use porta_server::rate_limit::Limits;
    let server = Server::start_with_gate(GateLimits {
        per_address: Limits { burst: 6, per_second: 1 },
        enroll_per_address: Limits { burst: 2, per_second: 1 },
        concurrent: 16,
    })
    .await;
    let client = reqwest::Client::new();
    // Unsigned requests: refused as unauthenticated while the address has allowance, then
    // refused before any device is looked up.
    for _ in 0..3 {
        let answer = client.get(format!("{}/api/v1/pull?after=0", server.base)).send().await.unwrap();
        assert_eq!(answer.status(), 401);
    }
    let enroll = || {
        let request = porta::sync::protocol::EnrollRequest {
            protocol: porta::sync::protocol::PROTOCOL_VERSION,
            code: "ZZZZ-ZZZZ-ZZZZ".into(),
            device_id: Uuid::now_v7(),
            public_key: data_encoding::BASE64URL_NOPAD.encode(&[1u8; 32]),
            login: "admin".into(),
        };
        client.post(format!("{}/api/v1/enroll", server.base)).json(&request).send()
    };
    for _ in 0..2 {
        refused(enroll().await.unwrap(), 400, porta::ErrorCode::EnrollmentCodeInvalid).await;
    }
    let guessing = enroll().await.unwrap();
    assert!(guessing.headers().contains_key("retry-after"));
    refused(guessing, 429, porta::ErrorCode::RateLimited).await;
    let answer = client.get(format!("{}/api/v1/pull?after=0", server.base)).send().await.unwrap();
    assert_eq!(answer.status(), 401, "other paths still have allowance");
    let over = client.get(format!("{}/api/v1/pull?after=0", server.base)).send().await.unwrap();
    refused(over, 429, porta::ErrorCode::RateLimited).await;

    // A server that may serve nothing at once says it is busy, in words.
    let busy = Server::start_with_gate(GateLimits { concurrent: 0, ..GateLimits::default() }).await;
    let answer = client.get(format!("{}/health", busy.base)).send().await.unwrap();
    refused(answer, 503, porta::ErrorCode::ServerBusy).await;
}

/// An audit line is short words, never text for a terminal: one with an escape sequence is
/// refused, nothing stored.
#[tokio::test]
async fn an_audit_line_with_terminal_escapes_is_refused() {
    use porta::sync::protocol::{AuditLine, AuditPush, PROTOCOL_VERSION};
    let server = Server::start().await;
    let device = RawDevice::enroll(&server).await;
    let folder = Uuid::now_v7();
    let line = |seq: u64, section: &str| AuditLine {
        seq,
        at_ms: SystemClock.now_ms(),
        operator_id: Uuid::now_v7(),
        action: porta::store::AuditAction::Read,
        folder_id: folder,
        section: section.into(),
        health_restricted: false,
    };
    let push = |lines: Vec<AuditLine>| {
        let body = serde_json::to_vec(&AuditPush { protocol: PROTOCOL_VERSION, lines }).unwrap();
        device.request(&server.base, "POST", "/api/v1/audit", &body, SystemClock.now_ms()).send()
    };
    let crafted = push(vec![line(1, "note"), line(2, "\u{1b}[2J\u{1b}[31mtutto a posto")]).await.unwrap();
    refused(crafted, 400, porta::ErrorCode::MalformedRequest).await;
    assert!(server.storage.folder_audit(folder).unwrap().is_empty());
    assert_eq!(push(vec![line(1, "note")]).await.unwrap().status(), 200);
    assert_eq!(server.storage.folder_audit(folder).unwrap().len(), 1);
}

/// A device cannot write into the access log of another office's folder: the line is refused
/// with its own code, keeps its place, and the device's next lines are stored.
#[tokio::test]
async fn audit_lines_about_another_offices_folder_are_refused() {
    use porta::sync::protocol::{AuditLine, AuditPush, AuditPushResponse, PROTOCOL_VERSION, Rejection};
    let server = Server::start().await;
    let random = SystemRandom::new();
    let (_dir, galatina) = device("Galatina");
    let client = SyncClient::new(&server.base);
    client.enroll(&galatina, &server.code("Galatina", 10), &SystemClock, &random).await.unwrap();
    let person = PersonDetails { family_name: "Kone".into(), given_names: "Issa".into(), ..Default::default() };
    let theirs = galatina.with_store(|store| store.create_person(&person, &SystemClock).unwrap()).unwrap();
    client.sync_once(&galatina, &SystemClock, &random).await.unwrap();
    let lines_before = server.storage.folder_audit(theirs).unwrap().len();
    assert!(lines_before > 0, "Galatina's own lines are stored");

    let soleto = RawDevice::enroll_in(&server, "Soleto").await;
    let line = |seq: u64, folder_id: Uuid| AuditLine {
        seq,
        at_ms: SystemClock.now_ms(),
        operator_id: Uuid::now_v7(),
        action: porta::store::AuditAction::Read,
        folder_id,
        section: "folder".into(),
        health_restricted: false,
    };
    let own = Uuid::now_v7();
    let body =
        serde_json::to_vec(&AuditPush { protocol: PROTOCOL_VERSION, lines: vec![line(1, theirs), line(2, own)] })
            .unwrap();
    let answer =
        soleto.request(&server.base, "POST", "/api/v1/audit", &body, SystemClock.now_ms()).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let answer: AuditPushResponse = answer.json().await.unwrap();
    assert_eq!(answer.acknowledged, 2);
    assert_eq!(answer.refused, vec![Rejection { seq: 1, code: RejectionCode::OutOfScope }]);
    assert_eq!(server.storage.folder_audit(theirs).unwrap().len(), lines_before, "nothing written into theirs");
    assert_eq!(server.storage.folder_audit(own).unwrap().len(), 1);
}

/// A gzip bomb (64 MB of zeros in a few tens of kB) is refused as too large once 16 MB have
/// been read, before any device is looked up, and the server serves the next request.
#[tokio::test]
async fn a_gzip_bomb_is_refused_before_the_device_is_looked_up() {
    use std::io::Write;
    let server = Server::start().await;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024, "{} bytes on the wire", bomb.len());
    // Headers well formed, for a device no one enrolled: only the body's size can refuse it.
    let answer = reqwest::Client::new()
        .post(format!("{}/api/v1/push", server.base))
        .header("content-encoding", "gzip")
        .header("content-type", "application/json")
        .header(porta::sync::signing::HEADER_DEVICE, Uuid::now_v7().to_string())
        .header(porta::sync::signing::HEADER_TIMESTAMP, SystemClock.now_ms().to_string())
        .header(porta::sync::signing::HEADER_NONCE, "0123456789abcdef0123456789abcdef")
        .header(porta::sync::signing::HEADER_SIGNATURE, "AAAA")
        .body(bomb)
        .send()
        .await
        .unwrap();
    refused(answer, 413, porta::ErrorCode::PayloadTooLarge).await;
    let health = reqwest::get(format!("{}/health", server.base)).await.unwrap();
    assert_eq!(health.status(), 200, "the server still serves");
}

/// Whoever answers in the server's place cannot make a device hold an answer of any size:
/// a well-formed enrollment answer padded past 16 MB (announced, or streamed without a
/// length) is unexpected, and the device saved nothing. Unbounded, it was read and taken.
#[tokio::test]
async fn a_device_reads_no_answer_larger_than_its_bound() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (random, clock) = (SystemRandom::new(), SystemClock);
    for announced in [true, false] {
        let (_dir, laptop) = device("Portatile");
        let device_id = laptop.with_store(|store| store.device_id()).unwrap();
        let answer = serde_json::to_string(&porta::sync::protocol::EnrollResponse {
            device_id,
            device_name: "Portatile".into(),
            ambito: "Ambito di Galatina".into(),
            office: "PUA Galatina".into(),
            certificate_sha256: None,
            operators: Vec::new(),
            health_key: None,
        })
        .unwrap();
        let padding = 20 * 1024 * 1024;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut request).await;
            let head = if announced {
                let size = answer.len() + padding;
                format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n")
            } else {
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n".to_owned()
            };
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(answer.as_bytes()).await;
            let block = vec![b' '; 1024 * 1024];
            for _ in 0..padding / block.len() {
                if socket.write_all(&block).await.is_err() {
                    return;
                }
            }
        });
        let code = porta_wire::enrollment_code::EnrollmentCode::new(None, &random).unwrap().display();
        let error = SyncClient::new(&base).enroll(&laptop, &code, &clock, &random).await.unwrap_err();
        assert!(matches!(error, porta::sync::client::SyncError::UnexpectedAnswer), "{announced}: {error:?}");
        assert_eq!(laptop.with_store(|store| store.enrollment().unwrap()).unwrap(), None);
    }
}

/// A sealed value is opened with the Ambito's health key and checked like any other: one
/// sealed under another key, one of the wrong type, and one in a field every reader must
/// read in clear are refused, each alone; a well-sealed note is taken.
#[tokio::test]
async fn sealed_values_are_opened_and_checked_like_any_other() {
    let server = Server::start().await;
    let device = RawDevice::enroll(&server).await;
    let ambito = server.storage.health_key(&SystemRandom::new()).unwrap();
    let stranger = porta_wire::health_key::HealthKey::generate(&SystemRandom::new());
    let folder = Uuid::now_v7();
    let entry =
        |seq: u64, entity: Entity, field: &str, value: serde_json::Value, key: &porta_wire::health_key::HealthKey| {
            let [mut entry] = device.entries(seq, seq).try_into().unwrap();
            (entry.entity, entry.field, entry.folder_id) = (entity, field.into(), folder);
            entry.value = key.seal(entity, entry.row_id, field, &value);
            entry
        };
    let batch = [
        entry(1, Entity::Note, "text", serde_json::json!("Sigillata altrove"), &stranger),
        entry(2, Entity::Note, "text", serde_json::json!(42), &ambito),
        entry(3, Entity::Appointment, "at", serde_json::json!("2026-12-03T09:30:00"), &ambito),
        entry(4, Entity::Note, "text", serde_json::json!("Gravidanza"), &ambito),
    ];
    let body = serde_json::to_value(PushRequest::new(device.id, &batch)).unwrap();
    let answer: PushResponse = device.push(&server.base, &body).await.json().await.unwrap();
    assert_eq!(answer.acknowledged, 4);
    assert_eq!(
        answer.rejected.iter().map(|r| (r.seq, r.code)).collect::<Vec<_>>(),
        [(1, RejectionCode::InvalidValue), (2, RejectionCode::InvalidValue), (3, RejectionCode::InvalidValue)]
    );
    let stored = server.storage.pull(0, 1000, usize::MAX, "PUA Galatina", None).unwrap().entries;
    assert_eq!(stored.iter().map(|entry| entry.seq).collect::<Vec<_>>(), [4]);
    assert!(porta_wire::health_key::is_sealed(&stored[0].value), "kept sealed as it came");
}

/// What a lying server answers, one way per case.
#[derive(Debug, Clone, Copy)]
enum Lie {
    /// Scope changes "with more to come" from where they started.
    ScopeThatNeverMoves,
    /// A folder shared with the office, whose entries come "with more" from where they started.
    FolderEntriesThatNeverMove,
    /// Pull pages "with more" from where they started.
    PullThatNeverMoves,
}

/// A device stops when whoever answers in the server's place says "more" without moving on:
/// each paged answer (scope changes, a shared folder's entries, pulled pages) ends the round
/// as unexpected, in bounded time, instead of asking again for ever. The device is enrolled
/// with the real server; a lying one then answers at another address.
#[tokio::test]
async fn a_device_stops_when_an_answer_says_more_without_moving_on() {
    use axum::routing::{get, post};
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let server = Server::start().await;
    for lie in [Lie::ScopeThatNeverMoves, Lie::FolderEntriesThatNeverMove, Lie::PullThatNeverMoves] {
        let (_dir, laptop) = device("Portatile");
        SyncClient::new(&server.base).enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();
        let scope = move || {
            let (cursor, more) = match lie {
                Lie::ScopeThatNeverMoves => (0, true),
                Lie::FolderEntriesThatNeverMove | Lie::PullThatNeverMoves => (1, false),
            };
            let changes = match lie {
                Lie::FolderEntriesThatNeverMove => {
                    vec![serde_json::json!({"folder_id": Uuid::now_v7(), "in_scope": true})]
                }
                Lie::ScopeThatNeverMoves | Lie::PullThatNeverMoves => Vec::new(),
            };
            axum::Json(serde_json::json!({"changes": changes, "cursor": cursor, "more": more}))
        };
        let stuck = || async { axum::Json(serde_json::json!({"entries": [], "cursor": 0, "more": true, "head": 10})) };
        let liar = axum::Router::new()
            .route(
                "/api/v1/push",
                post(|| async { axum::Json(serde_json::json!({"acknowledged": 0, "rejected": []})) }),
            )
            .route("/api/v1/scope", get(move || async move { scope() }))
            .route("/api/v1/folder-entries", get(stuck))
            .route("/api/v1/pull", get(stuck));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let serving = tokio::spawn(async move { axum::serve(listener, liar).await });
        let client = SyncClient::new(&base);
        let round = client.sync_once(&laptop, &clock, &random);
        let ended = tokio::time::timeout(std::time::Duration::from_secs(20), round).await;
        let error = ended.unwrap_or_else(|_| panic!("{lie:?}: the device kept asking")).unwrap_err();
        assert!(matches!(error, porta::sync::client::SyncError::UnexpectedAnswer), "{lie:?}: {error:?}");
        serving.abort();
    }
}
