//! STP and ENI codes issued on several devices from blocks of numbers the real server hands
//! out while syncing: issued offline, never repeated, refused with a reason when the person
//! may not have one.

use std::sync::Mutex;

use porta::clock::SystemClock;
use porta::folder::person::PersonDetails;
use porta::rules::stp_eni::StpEniKind;
use porta::store::{REFILL_BELOW, REFILL_COUNT, Store};
use porta::sync::client::{StoreAccess, SyncClient};
use porta::{ErrorCode, ErrorPayload, Locale, Localizer, UserFacingError};
use porta_server::storage::{StpEniSeries, SyncStore};
use ring::rand::SystemRandom;

use crate::common::{Server, device};

fn person(family: &str, citizenship: &str) -> PersonDetails {
    PersonDetails {
        family_name: family.into(),
        given_names: "Prova".into(),
        citizenships: vec![citizenship.into()],
        ..Default::default()
    }
}

fn reserve(device: &Mutex<Option<Store>>, kind: StpEniKind) -> u32 {
    device.with_store(|store| store.stp_eni_reserve(kind).unwrap()).unwrap()
}

#[tokio::test]
async fn devices_issue_stp_codes_offline_from_blocks_and_no_number_repeats() {
    let server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let client = SyncClient::new(&server.base);
    let (_office_dir, office) = device("Ufficio");
    let (_laptop_dir, laptop) = device("Portatile");
    client.enroll(&office, &server.code("Ufficio", 10), &clock, &random).await.unwrap();
    client.enroll(&laptop, &server.code("Portatile", 10), &clock, &random).await.unwrap();

    // No series on the server yet: sync still works, and issuing says what to do.
    client.sync_once(&office, &clock, &random).await.unwrap();
    assert_eq!(reserve(&office, StpEniKind::Stp), 0);
    let first = office.with_store(|store| store.create_person(&person("Benali", "Z330"), &clock).unwrap()).unwrap();
    let refused = office.with_store(|store| store.issue_stp_eni_code(first, StpEniKind::Stp, &clock)).unwrap();
    let refused = refused.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::NoStpEniNumbers);
    let message = ErrorPayload::localized(&refused, &Localizer::new(), Locale::It).message;
    assert!(message.contains("sincronizza"), "{message}");

    // The administrator sets the series, above the codes the ASL issued before Porta.
    let series = StpEniSeries { region: "160".into(), asl: "116".into() };
    server.storage.set_stp_eni_series(&series, Some(4_711)).unwrap();
    for device in [&office, &laptop] {
        client.sync_once(device, &clock, &random).await.unwrap();
        for kind in StpEniKind::ALL {
            assert_eq!(reserve(device, kind), REFILL_COUNT);
        }
    }

    // Offline, each device issues more codes than it keeps in reserve before refilling.
    let per_device = REFILL_COUNT - REFILL_BELOW + 5;
    let mut codes = Vec::new();
    let mut laptop_folders = Vec::new();
    for (device, name) in [(&office, "Ufficio"), (&laptop, "Portatile")] {
        for n in 0..per_device {
            let issued = device
                .with_store(|store| {
                    let folder = store.create_person(&person(&format!("{name} {n}"), "Z330"), &clock).unwrap();
                    if name == "Portatile" {
                        laptop_folders.push(folder);
                    }
                    store.issue_stp_eni_code(folder, StpEniKind::Stp, &clock).unwrap()
                })
                .unwrap();
            codes.push(issued.code);
        }
        assert_eq!(reserve(device, StpEniKind::Stp), REFILL_COUNT - per_device);
    }

    // An EU citizen gets no STP code: the reason, and no number used.
    let romanian = office.with_store(|store| store.create_person(&person("Popescu", "Z129"), &clock).unwrap()).unwrap();
    let eu = office.with_store(|store| store.issue_stp_eni_code(romanian, StpEniKind::Stp, &clock)).unwrap();
    assert_eq!(eu.unwrap_err().code(), ErrorCode::StpEniRefused);
    let eni = office.with_store(|store| store.issue_stp_eni_code(romanian, StpEniKind::Eni, &clock).unwrap()).unwrap();
    assert!(eni.code.starts_with("ENI160116"), "{}", eni.code);

    // Back online: the codes travel with the folders and the reserves fill up again.
    for device in [&office, &laptop, &office] {
        client.sync_once(device, &clock, &random).await.unwrap();
    }
    for device in [&office, &laptop] {
        assert!(reserve(device, StpEniKind::Stp) >= REFILL_BELOW);
    }
    let seen_at_office: Vec<String> = office
        .with_store(|store| {
            laptop_folders
                .iter()
                .map(|folder| store.person(*folder, &clock).unwrap().details.stp.unwrap().code)
                .collect()
        })
        .unwrap();
    assert_eq!(seen_at_office, codes[per_device as usize..], "the office holds the laptop's codes");

    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), codes.len(), "no STP number was issued twice");
    for code in &codes {
        assert!(code.starts_with("STP160116"), "{code}");
        assert!(code[9..].parse::<u32>().unwrap() > 4_711, "{code}");
    }
}
