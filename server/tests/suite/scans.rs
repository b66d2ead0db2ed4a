//! Scans travel: a scan added on one laptop reaches the server and another device of the
//! office, in chunks that resume where a cut left them, through the real server; a device of
//! another office cannot fetch it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use porta::clock::SystemClock;
use porta::folder::person::PersonDetails;
use porta::sync::client::{StoreAccess, SyncClient, SyncError};
use porta::sync::protocol::SCAN_CHUNK_BYTES;
use porta_server::storage::SyncStore;
use ring::rand::SystemRandom;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::{Server, device, device_with_administrator};

/// A proxy on loopback that relays everything, until it is told to cut: then, once that many
/// more bytes went one way (`upward`: from the device to the server), it closes every
/// connection, as a phone's hotspot dropping in a camp.
#[derive(Clone)]
struct Link {
    address: SocketAddr,
    cut_after: Arc<AtomicUsize>,
    upward: Arc<AtomicBool>,
}

impl Link {
    async fn to(upstream: SocketAddr) -> Link {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let link = Link {
            address: listener.local_addr().unwrap(),
            cut_after: Arc::new(AtomicUsize::new(usize::MAX)),
            upward: Arc::new(AtomicBool::new(true)),
        };
        let relay = link.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let relay = relay.clone();
                tokio::spawn(async move { relay.carry(client, upstream).await });
            }
        });
        link
    }

    fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Cuts once `bytes` more went up (or down).
    fn cut_after(&self, bytes: usize, upward: bool) {
        self.upward.store(upward, Ordering::SeqCst);
        self.cut_after.store(bytes, Ordering::SeqCst);
    }

    fn mend(&self) {
        self.cut_after.store(usize::MAX, Ordering::SeqCst);
    }

    async fn carry(&self, client: TcpStream, upstream: SocketAddr) {
        let Ok(server) = TcpStream::connect(upstream).await else { return };
        let (mut client_read, mut client_write) = client.into_split();
        let (mut server_read, mut server_write) = server.into_split();
        let up = self.clone();
        let down = self.clone();
        let upward = async move {
            let mut buffer = vec![0u8; 16 * 1024];
            while let Ok(read) = client_read.read(&mut buffer).await {
                if read == 0 || !up.pass(read, true) || server_write.write_all(&buffer[..read]).await.is_err() {
                    break;
                }
            }
        };
        let downward = async move {
            let mut buffer = vec![0u8; 16 * 1024];
            while let Ok(read) = server_read.read(&mut buffer).await {
                if read == 0 || !down.pass(read, false) || client_write.write_all(&buffer[..read]).await.is_err() {
                    break;
                }
            }
        };
        // Either side ending (or the cut) ends both.
        tokio::select! { _ = upward => {}, _ = downward => {} }
    }

    /// Whether `bytes` more may pass in that direction.
    fn pass(&self, bytes: usize, upward: bool) -> bool {
        if self.upward.load(Ordering::SeqCst) != upward {
            return self.cut_after.load(Ordering::SeqCst) > 0;
        }
        let left = self.cut_after.load(Ordering::SeqCst);
        if left == usize::MAX {
            return true;
        }
        self.cut_after.store(left.saturating_sub(bytes), Ordering::SeqCst);
        left > bytes
    }
}

/// A PDF of five chunks, the last one short; random, as a scan's compressed content is (the
/// link must not carry it in fewer bytes than it weighs).
fn scan() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n% permesso di soggiorno\n".to_vec();
    let mut content = vec![0u8; 4 * SCAN_CHUNK_BYTES + 5_000];
    ring::rand::SecureRandom::fill(&SystemRandom::new(), &mut content).unwrap();
    bytes.extend(content);
    bytes
}

fn sha256_hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

#[tokio::test]
async fn a_scan_travels_in_chunks_and_resumes_where_a_cut_left_it() {
    let server = Server::start().await;
    let random = SystemRandom::new();
    let link = Link::to(server.address).await;
    let bytes = scan();
    let sha256 = sha256_hex(&bytes);

    // The laptop enrolls directly, then syncs through the camp's link.
    let (_laptop_dir, laptop) = device("Portatile mediazione");
    SyncClient::new(&server.base)
        .enroll(&laptop, &server.code("Portatile mediazione", 10), &SystemClock, &random)
        .await
        .unwrap();
    let folder = laptop
        .with_store(|store| {
            let folder = store
                .create_person(&PersonDetails { family_name: "Diallo".into(), ..Default::default() }, &SystemClock)?;
            store.add_attachment(folder, None, "permesso.pdf", &bytes, 20_000_000, &SystemClock)?;
            Ok::<_, porta::store::StoreError>(folder)
        })
        .unwrap()
        .unwrap();
    let camp = SyncClient::new(&link.base());
    // The link drops after two and a half chunks went up.
    link.cut_after(2 * SCAN_CHUNK_BYTES + SCAN_CHUNK_BYTES / 2, true);
    let cut = camp.sync_once(&laptop, &SystemClock, &random).await.unwrap_err();
    assert!(matches!(cut, SyncError::Unreachable), "{cut:?}");
    let held = server.storage.scan_status("PUA Galatina", &sha256).unwrap().unwrap();
    assert!(!held.complete);
    assert_eq!(held.chunks, [0, 1], "what arrived before the cut stays on the server");
    // Back in range: only the three missing chunks go up.
    link.mend();
    let report = camp.sync_once(&laptop, &SystemClock, &random).await.unwrap();
    assert_eq!(report.scans_sent, 1);
    let held = server.storage.scan_status("PUA Galatina", &sha256).unwrap().unwrap();
    assert!(held.complete && held.size == bytes.len() as u64 && held.chunks == [0, 1, 2, 3, 4]);
    assert!(laptop.with_store(|store| store.scans_to_send().unwrap()).unwrap().is_empty());

    // The office's desktop fetches it through a link that drops after two and a half
    // chunks came down (entries and all, in its first round).
    let (_office_dir, office) = device("Ufficio");
    SyncClient::new(&server.base).enroll(&office, &server.code("Ufficio", 10), &SystemClock, &random).await.unwrap();
    let office_link = Link::to(server.address).await;
    let desk = SyncClient::new(&office_link.base());
    office_link.cut_after(2 * SCAN_CHUNK_BYTES + SCAN_CHUNK_BYTES / 2, false);
    let cut = desk.sync_once(&office, &SystemClock, &random).await.unwrap_err();
    assert!(matches!(cut, SyncError::Unreachable), "{cut:?}");
    let arrived = office.with_store(|store| store.scan_chunks_arrived(&sha256).unwrap()).unwrap();
    assert_eq!(arrived, [0, 1], "what came down before the cut stays here");
    let attachment = office.with_store(|store| store.folder(folder, &SystemClock).unwrap().attachments[0].id).unwrap();
    let early = office.with_store(|store| store.attachment_bytes(attachment, &SystemClock).unwrap_err()).unwrap();
    assert!(matches!(early, porta::store::StoreError::ScanNotHereYet), "{early:?}");
    office_link.mend();
    let report = desk.sync_once(&office, &SystemClock, &random).await.unwrap();
    assert_eq!(report.scans_received, 1);
    let fetched = office.with_store(|store| store.attachment_bytes(attachment, &SystemClock).unwrap()).unwrap();
    assert_eq!(fetched, bytes);

    // Another office's device cannot ask for it: no folder of its office names it.
    let (_soleto_dir, soleto) = device_with_administrator("Soleto", "admin.soleto");
    let soleto_client = SyncClient::new(&server.base);
    soleto_client.enroll(&soleto, &server.code_for("Soleto", "Soleto", 10), &SystemClock, &random).await.unwrap();
    assert_eq!(server.storage.scan_status("Soleto", &sha256).unwrap(), None);
    assert!(server.storage.scan_chunk("Soleto", &sha256, 0).unwrap().is_none());
}
