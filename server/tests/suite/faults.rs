//! Sync through a hostile network: a proxy between the devices and the real server cuts
//! connections mid-request and mid-response, sends requests twice and delays them, and the
//! server is restarted in the middle of a sync. Once the faults stop and sync completes, no
//! entry is lost or stored twice and every replica holds the same folders and conflicts.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use porta::clock::SystemClock;
use porta::folder::contact::ContactDetails;
use porta::folder::person::PersonDetails;
use porta::seeded::SeededRandom;
use porta::store::Store;
use porta::sync::client::{StoreAccess, SyncClient};
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::{Server, device};

/// What the proxy does to one connection.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Pass,
    /// Forwards only the start of the request, then closes both sides.
    CutRequest,
    /// Forwards the whole request, then closes before the whole answer is back.
    CutResponse,
    /// Sends the request to the server twice (the second answer is dropped).
    Repeat,
    /// Waits before forwarding.
    Delay,
}

/// Reads what the client sends until it pauses: one HTTP request (the client then waits).
async fn read_request(client: &mut TcpStream) -> Vec<u8> {
    let mut request = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout(Duration::from_millis(100), client.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return request,
            Ok(Ok(read)) => request.extend_from_slice(&buffer[..read]),
            Err(_) if !request.is_empty() => return request,
            Err(_) => {}
        }
    }
}

async fn relay(mut client: TcpStream, upstream: SocketAddr, fault: Fault) {
    let Ok(mut server) = TcpStream::connect(upstream).await else { return };
    match fault {
        Fault::Pass => {
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        }
        Fault::Delay => {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        }
        Fault::CutRequest => {
            let request = read_request(&mut client).await;
            let _ = server.write_all(&request[..request.len() / 2]).await;
        }
        Fault::CutResponse => {
            let request = read_request(&mut client).await;
            let _ = server.write_all(&request).await;
            let mut answer = vec![0u8; 64];
            if let Ok(read) = server.read(&mut answer).await {
                let _ = client.write_all(&answer[..read.min(40)]).await;
            }
        }
        Fault::Repeat => {
            let request = read_request(&mut client).await;
            if let Ok(mut again) = TcpStream::connect(upstream).await {
                let _ = again.write_all(&request).await;
                let mut ignored = Vec::new();
                let _ = tokio::time::timeout(Duration::from_millis(500), again.read_to_end(&mut ignored)).await;
            }
            let _ = server.write_all(&request).await;
            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        }
    }
}

/// A proxy to `upstream` that picks a fault for each connection from `seed`.
async fn hostile_proxy(upstream: SocketAddr, seed: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let random = Arc::new(Mutex::new(SeededRandom::new(seed)));
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let fault = match random.lock().unwrap().below(10) {
                0..=3 => Fault::Pass,
                4 => Fault::CutRequest,
                5 | 6 => Fault::CutResponse,
                7 | 8 => Fault::Repeat,
                _ => Fault::Delay,
            };
            tokio::spawn(relay(client, upstream, fault));
        }
    });
    format!("http://{address}")
}

fn write_something(device: &Mutex<Option<Store>>, round: usize, folders: &mut Vec<uuid::Uuid>) {
    let clock = SystemClock;
    device
        .with_store(|store| {
            let person =
                PersonDetails { family_name: format!("Prova{round}"), given_names: "Awa".into(), ..Default::default() };
            folders.push(store.create_person(&person, &clock).unwrap());
            let contact = ContactDetails { duration_minutes: 10 + round as u16, ..ContactDetails::example() };
            // Into a folder made anywhere: refused (not found) if it has not arrived here yet.
            let _ = store.add(folders[(round * 7) % folders.len()], &contact, &clock);
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_cuts_repeats_delays_and_a_server_restart_nothing_is_lost_or_doubled() {
    let mut server = Server::start().await;
    let (random, clock) = (SystemRandom::new(), SystemClock);
    let direct = SyncClient::new(&server.base);
    let devices: Vec<(tempfile::TempDir, Mutex<Option<Store>>)> =
        ["Ufficio", "Portatile 1", "Portatile 2"].into_iter().map(device).collect();
    for (index, (_, device)) in devices.iter().enumerate() {
        direct.enroll(device, &server.code(&format!("dispositivo {index}"), 10), &clock, &random).await.unwrap();
    }
    // A new connection for every request, so that each meets its own fault.
    let one_request_per_connection =
        reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(5)).build().unwrap();
    let proxy = hostile_proxy(server.address, 0x5eed).await;
    let hostile = SyncClient::with_http_client(&proxy, one_request_per_connection);
    let mut folders = Vec::new();
    let mut failures = 0;
    for round in 0..12 {
        for (_, device) in &devices {
            write_something(device, round, &mut folders);
            if hostile.sync_once(device, &clock, &random).await.is_err() {
                failures += 1;
            }
        }
        if round == 6 {
            // The server goes down while a device is syncing, and comes back.
            let (_, device) = &devices[0];
            write_something(device, round, &mut folders);
            let (interrupted, ()) = tokio::join!(hostile.sync_once(device, &clock, &random), server.halt());
            failures += usize::from(interrupted.is_err());
            server.resume().await;
        }
    }
    assert!(failures > 3, "the faults happened: {failures} failed rounds");

    // The network heals: two full rounds each bring every device up to date.
    for _ in 0..2 {
        for (_, device) in &devices {
            direct.sync_once(device, &clock, &random).await.unwrap();
        }
    }
    let mut written = 0;
    let mut logs = Vec::new();
    for (_, device) in &devices {
        let (id, highest, log, conflicts, progress) = device
            .with_store(|store| {
                let id = store.device_id();
                (
                    id,
                    store.highest_seq(id).unwrap(),
                    store.change_log().unwrap(),
                    store.conflicts(None).unwrap(),
                    store.sync_progress().unwrap(),
                )
            })
            .unwrap();
        assert_eq!(server.storage.acknowledged(id).unwrap(), highest, "the server holds all of {id}");
        assert_eq!((progress.waiting, progress.rejected.len()), (0, 0));
        written += highest;
        logs.push((log, conflicts));
    }
    let stored = server.storage.pull(0, 1_000_000, usize::MAX, "PUA Galatina", None).unwrap().entries;
    let distinct: HashSet<(uuid::Uuid, u64)> = stored.iter().map(|entry| (entry.device_id, entry.seq)).collect();
    assert_eq!(stored.len() as u64, written, "0 lost, 0 stored twice on the server");
    assert_eq!(distinct.len(), stored.len());
    assert!(logs.windows(2).all(|pair| pair[0] == pair[1]), "every replica holds the same log and conflicts");
    assert_eq!(logs[0].0.len() as u64, written);
}
