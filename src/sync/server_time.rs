//! The server's time on this device: a laptop offline for weeks drifts, a dead battery puts
//! it years in the past, and staff on municipal PCs often may not change the clock. Every
//! answer of the server says its time (`HEADER_SERVER_TIME`); [`ServerClock`] keeps the
//! difference, and everything that is timed (signed requests, new entries, the idle lock)
//! reads this clock instead of the computer's.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use crate::clock::Clock;

/// How far the computer's clock may be from the server's before the operator is told.
pub const NOTICEABLE_OFFSET_MS: i64 = 2 * 60 * 1000;

/// The computer's clock, corrected by what the server last said its time was.
pub struct ServerClock {
    local: Arc<dyn Clock>,
    offset_ms: AtomicI64,
    learnt: AtomicBool,
}

impl ServerClock {
    /// `local`, not corrected until the server is heard.
    pub fn new(local: Arc<dyn Clock>) -> Self {
        Self { local, offset_ms: AtomicI64::new(0), learnt: AtomicBool::new(false) }
    }

    /// Takes in the server's time, read from an answer just received.
    pub fn learn(&self, server_ms: u64) {
        let local = i64::try_from(self.local.now_ms()).unwrap_or(i64::MAX);
        let server = i64::try_from(server_ms).unwrap_or(i64::MAX);
        self.offset_ms.store(server.saturating_sub(local), Ordering::SeqCst);
        self.learnt.store(true, Ordering::SeqCst);
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
}
