//! A slow and broken link on loopback, between a device and the real server: the hotspot of a
//! mediator's phone in a camp. A TCP proxy that gives each direction a bandwidth (shared by
//! every connection, as one radio link is), adds a one-way delay to every byte, and cuts some
//! requests midway through their answer, at a random byte.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the link is like.
#[derive(Debug, Clone, Copy)]
pub struct LinkSpec {
    /// Each direction's bandwidth.
    pub bits_per_second: u64,
    /// The round-trip time the link adds (half of it each way).
    pub round_trip: Duration,
    /// One request in this many is cut while its answer comes back (0: none).
    pub cut_one_in: u64,
    /// Which requests are cut, and where, follow from it: two runs cut alike.
    pub seed: u64,
}

impl LinkSpec {
    /// The link of issue 19's figures: 2 Mbit/s, 150 ms round trip, 1 % of requests cut.
    pub fn hotspot(seed: u64) -> LinkSpec {
        LinkSpec { bits_per_second: 2_000_000, round_trip: Duration::from_millis(150), cut_one_in: 100, seed }
    }
}

/// The proxy, listening on a loopback port of its own until dropped.
#[derive(Debug)]
pub struct SlowLink {
    /// The address devices are given: `http://127.0.0.1:PORT`.
    pub base: String,
    cuts: Arc<AtomicU64>,
    carried_down: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    address: SocketAddr,
}

impl SlowLink {
    /// A link to the server at `upstream` (`http://127.0.0.1:PORT`).
    pub fn start(upstream: &str, spec: LinkSpec) -> SlowLink {
        let server: SocketAddr =
            upstream.trim_start_matches("http://").trim_end_matches('/').parse().expect("a loopback server's address");
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        let cuts = Arc::new(AtomicU64::new(0));
        let carried_down = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let link = Arc::new(Link {
            spec,
            up: Pacer::new(spec.bits_per_second),
            down: Pacer::new(spec.bits_per_second),
            cuts: cuts.clone(),
            carried_down: carried_down.clone(),
        });
        let stopping = stop.clone();
        std::thread::spawn(move || {
            for (n, device) in listener.incoming().enumerate() {
                if stopping.load(Ordering::Acquire) {
                    break;
                }
                let Ok(device) = device else { continue };
                let Ok(upstream) = TcpStream::connect(server) else { continue };
                let link = link.clone();
                std::thread::spawn(move || link.carry(device, upstream, spec.seed ^ (n as u64 + 1)));
            }
        });
        SlowLink { base: format!("http://{address}"), cuts, carried_down, stop, address }
    }

    /// How many requests the link has cut so far.
    pub fn cuts(&self) -> u64 {
        self.cuts.load(Ordering::Acquire)
    }

    /// How many bytes the link has carried from the server to devices so far.
    pub fn carried_down(&self) -> u64 {
        self.carried_down.load(Ordering::Acquire)
    }
}

impl Drop for SlowLink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        // Wakes the accepting thread so that it sees the stop.
        let _ = TcpStream::connect(self.address);
    }
}

struct Link {
    spec: LinkSpec,
    up: Pacer,
    down: Pacer,
    cuts: Arc<AtomicU64>,
    carried_down: Arc<AtomicU64>,
}

/// One direction's bandwidth: the time its last byte queued leaves.
struct Pacer {
    bits_per_second: u64,
    free_at: Mutex<Instant>,
}

impl Pacer {
    fn new(bits_per_second: u64) -> Pacer {
        Pacer { bits_per_second, free_at: Mutex::new(Instant::now()) }
    }

    /// Waits until `bytes` have gone through, after what is queued before them.
    fn send(&self, bytes: usize) {
        let done = {
            let mut free_at = self.free_at.lock().expect("the pacer's lock");
            let start = (*free_at).max(Instant::now());
            *free_at = start + Duration::from_secs_f64(bytes as f64 * 8.0 / self.bits_per_second as f64);
            *free_at
        };
        std::thread::sleep(done.saturating_duration_since(Instant::now()));
    }
}

/// A request to cut: after how many more bytes of its answer.
type CutAfter = Arc<Mutex<Option<u64>>>;

impl Link {
    /// Carries one connection both ways until either side closes it or the link cuts it.
    fn carry(self: Arc<Self>, device: TcpStream, server: TcpStream, seed: u64) {
        let cut_after: CutAfter = Arc::new(Mutex::new(None));
        // Set when the server has answered since the device last sent: the device's next bytes
        // start a new request.
        let answered = Arc::new(AtomicBool::new(true));
        let mut random = SplitMix(seed);
        let (device_out, server_in) = (device.try_clone().expect("a socket"), server.try_clone().expect("a socket"));
        let up = {
            let (link, cut_after, answered) = (self.clone(), cut_after.clone(), answered.clone());
            std::thread::spawn(move || {
                link.pump(device, server_in, &link.up, |chunk| {
                    if answered.swap(false, Ordering::AcqRel)
                        && link.spec.cut_one_in > 0
                        && random.next().is_multiple_of(link.spec.cut_one_in)
                    {
                        // Somewhere in the first 64 KiB of the answer.
                        *cut_after.lock().expect("the cut's lock") = Some(random.next() % 65_536);
                    }
                    Some(chunk)
                })
            })
        };
        self.pump(server, device_out, &self.down, |chunk| {
            answered.store(true, Ordering::Release);
            self.carried_down.fetch_add(chunk.len() as u64, Ordering::AcqRel);
            let mut cut = cut_after.lock().expect("the cut's lock");
            match *cut {
                Some(left) if (chunk.len() as u64) > left => {
                    self.cuts.fetch_add(1, Ordering::AcqRel);
                    *cut = None;
                    None
                }
                Some(left) => {
                    *cut = Some(left - chunk.len() as u64);
                    Some(chunk)
                }
                None => Some(chunk),
            }
        });
        let _ = up.join();
    }

    /// Copies `from` to `to` through `pacer`, each chunk delayed by half the round trip; `pass`
    /// sees each chunk and cuts the connection by answering `None`.
    fn pump(
        &self,
        mut from: TcpStream,
        mut to: TcpStream,
        pacer: &Pacer,
        mut pass: impl FnMut(Vec<u8>) -> Option<Vec<u8>>,
    ) {
        let one_way = self.spec.round_trip / 2;
        let (sender, receiver) = mpsc::channel::<(Instant, Vec<u8>)>();
        let mut writer = to.try_clone().expect("a socket");
        // The writer delivers each chunk when its delay has passed and the bandwidth allows, so
        // the delay does not limit the throughput (bytes are in flight meanwhile).
        let delivering = std::thread::spawn(move || {
            for (read_at, chunk) in receiver {
                std::thread::sleep((read_at + one_way).saturating_duration_since(Instant::now()));
                writer.write_all(&chunk)?;
            }
            Ok::<(), std::io::Error>(())
        });
        let mut buffer = vec![0u8; 16 * 1024];
        loop {
            let read = match from.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            let Some(chunk) = pass(buffer[..read].to_vec()) else {
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                break;
            };
            pacer.send(chunk.len());
            if sender.send((Instant::now(), chunk)).is_err() {
                break;
            }
        }
        drop(sender);
        let _ = delivering.join();
        let _ = to.shutdown(Shutdown::Write);
        let _ = to.flush();
    }
}

/// A small seeded generator (SplitMix64): which requests are cut, and where.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server on loopback: what it reads, it writes back.
    fn echo() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 8192];
                    while let Ok(read) = stream.read(&mut buffer) {
                        if read == 0 || stream.write_all(&buffer[..read]).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        format!("http://{address}")
    }

    fn round_trip(link: &SlowLink, bytes: usize) -> (Vec<u8>, Duration) {
        let mut stream = TcpStream::connect(link.base.trim_start_matches("http://")).unwrap();
        let sent: Vec<u8> = (0..bytes).map(|n| (n % 251) as u8).collect();
        let started = Instant::now();
        let mut writer = stream.try_clone().unwrap();
        let sending = sent.clone();
        std::thread::spawn(move || writer.write_all(&sending));
        let mut back = vec![0u8; bytes];
        let read = stream.read_exact(&mut back).map(|()| back).unwrap_or_default();
        (read, started.elapsed())
    }

    #[test]
    fn the_link_delays_and_limits_what_it_carries_and_changes_none_of_it() {
        let spec =
            LinkSpec { bits_per_second: 800_000, round_trip: Duration::from_millis(200), cut_one_in: 0, seed: 1 };
        let link = SlowLink::start(&echo(), spec);
        // A small exchange costs the round trip (both ways through the link).
        let (back, took) = round_trip(&link, 10);
        assert_eq!(back, (0..10).map(|n| n as u8).collect::<Vec<_>>());
        assert!(took >= Duration::from_millis(200), "{took:?}");
        // 50 kB at 100 kB/s each way, pipelined: at least half a second.
        let (back, took) = round_trip(&link, 50_000);
        assert_eq!(back.len(), 50_000);
        assert!(back.iter().enumerate().all(|(n, byte)| *byte == (n % 251) as u8));
        assert!(took >= Duration::from_millis(500), "{took:?}");
        assert_eq!(link.cuts(), 0);
        assert_eq!(link.carried_down(), 50_010);
    }

    #[test]
    fn a_link_that_cuts_every_request_cuts_the_answer_midway() {
        let spec = LinkSpec { bits_per_second: 100_000_000, round_trip: Duration::ZERO, cut_one_in: 1, seed: 7 };
        let link = SlowLink::start(&echo(), spec);
        let (back, _) = round_trip(&link, 200_000);
        assert!(back.is_empty(), "the answer arrived whole");
        assert_eq!(link.cuts(), 1);
    }
}
