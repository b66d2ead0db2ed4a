//! The server's time on this device: a laptop offline for weeks drifts, a dead battery puts
//! it years in the past, and staff on municipal PCs often may not change the clock. Every
//! answer of the server says its time (`HEADER_SERVER_TIME`); [`ServerClock`] keeps the
//! difference, and everything that is timed (signed requests, new entries, the idle lock)
//! reads this clock instead of the computer's. The difference is remembered in a small file
//! beside the data, so a laptop restarted offline stamps its work with the server's time
//! from the first minute, not only after its next sync.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::clock::Clock;

/// How far the computer's clock may be from the server's before the operator is told.
pub const NOTICEABLE_OFFSET_MS: i64 = 2 * 60 * 1000;

/// A change of the offset smaller than this is not written down (answers take time to arrive).
const REMEMBER_CHANGES_OVER_MS: i64 = 1_000;

/// The computer's clock, corrected by what the server last said its time was.
pub struct ServerClock {
    local: Arc<dyn Clock>,
    offset_ms: AtomicI64,
    learnt: AtomicBool,
    /// Where the offset is remembered, and the value written there last.
    memory: Option<(PathBuf, AtomicI64)>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Remembered {
    offset_ms: i64,
}

impl ServerClock {
    /// `local`, not corrected until the server is heard.
    pub fn new(local: Arc<dyn Clock>) -> Self {
        Self { local, offset_ms: AtomicI64::new(0), learnt: AtomicBool::new(false), memory: None }
    }

    /// `local`, corrected by the offset remembered in `file` (if it can be read) and
    /// remembering there every new one.
    pub fn remembered(local: Arc<dyn Clock>, file: PathBuf) -> Self {
        let known = std::fs::read(&file).ok().and_then(|bytes| serde_json::from_slice::<Remembered>(&bytes).ok());
        let offset = known.as_ref().map_or(0, |known| known.offset_ms);
        Self {
            local,
            offset_ms: AtomicI64::new(offset),
            learnt: AtomicBool::new(known.is_some()),
            memory: Some((file, AtomicI64::new(offset))),
        }
    }

    /// Takes in the server's time, read from an answer just received.
    pub fn learn(&self, server_ms: u64) {
        let local = i64::try_from(self.local.now_ms()).unwrap_or(i64::MAX);
        let server = i64::try_from(server_ms).unwrap_or(i64::MAX);
        let offset = server.saturating_sub(local);
        self.offset_ms.store(offset, Ordering::SeqCst);
        self.learnt.store(true, Ordering::SeqCst);
        if let Some((file, written)) = &self.memory
            && offset.abs_diff(written.load(Ordering::SeqCst)) > REMEMBER_CHANGES_OVER_MS as u64
        {
            let text = serde_json::to_vec(&Remembered { offset_ms: offset }).expect("an offset serialises");
            // Not remembered (a full disk): the clock still works, and the next answer tries again.
            if crate::atomic_file::write(file, &text).is_ok() {
                written.store(offset, Ordering::SeqCst);
            }
        }
    }

    /// How far the server's clock is ahead of this computer's (negative: behind), once heard.
    pub fn offset_ms(&self) -> Option<i64> {
        self.learnt.load(Ordering::SeqCst).then(|| self.offset_ms.load(Ordering::SeqCst))
    }
}

impl std::fmt::Debug for ServerClock {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("ServerClock").field("offset_ms", &self.offset_ms()).finish_non_exhaustive()
    }
}

impl Clock for ServerClock {
    fn now_ms(&self) -> u64 {
        let local = i64::try_from(self.local.now_ms()).unwrap_or(i64::MAX);
        u64::try_from(local.saturating_add(self.offset_ms.load(Ordering::SeqCst))).unwrap_or(0)
    }

    fn server_offset_ms(&self) -> Option<i64> {
        self.offset_ms()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn the_computers_time_is_corrected_by_the_servers_and_follows_it() {
        let local = Arc::new(ManualClock::at(1_000_000));
        let clock = ServerClock::new(local.clone());
        assert_eq!((clock.now_ms(), clock.offset_ms()), (1_000_000, None));
        clock.learn(400_000);
        assert_eq!((clock.now_ms(), clock.offset_ms()), (400_000, Some(-600_000)));
        local.set(1_060_000);
        assert_eq!(clock.now_ms(), 460_000, "a minute later on both");
        clock.learn(u64::MAX);
        assert!(clock.now_ms() > 1_000_000, "no overflow");
    }

    #[test]
    fn the_offset_is_remembered_across_restarts_and_a_damaged_file_is_ignored() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("server-clock.json");
        let local = Arc::new(ManualClock::at(1_000_000));
        let first = ServerClock::remembered(local.clone(), file.clone());
        assert_eq!(first.offset_ms(), None, "nothing remembered yet");
        first.learn(400_000);
        let restarted = ServerClock::remembered(local.clone(), file.clone());
        assert_eq!((restarted.offset_ms(), restarted.now_ms()), (Some(-600_000), 400_000), "known before any answer");
        std::fs::write(&file, b"{ rotto").unwrap();
        let damaged = ServerClock::remembered(local, file);
        assert_eq!((damaged.offset_ms(), damaged.now_ms()), (None, 1_000_000), "the computer's clock, until heard");
    }
}
