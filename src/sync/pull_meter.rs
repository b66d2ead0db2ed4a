//! How far a long pull has come — a new device's first sync, or a laptop back from weeks
//! offline — and how long it may still take, for the Sync page's bar and estimate.
//!
//! Each page's answer names where the server's entries end now (`PullResponse::head`); the
//! cursors between where the pull started and there are the way to go. Entries of other
//! offices share the cursors, so the fraction is of the server's sequence, an estimate.

use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

/// What the Sync page shows while a pull of more than one page runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PullProgress {
    /// How much of the way is done, 0 to 100.
    pub percent: u8,
    /// The time still needed at the pace so far; `None` until there is a pace to go by.
    #[ts(type = "number | null")]
    pub remaining_seconds: Option<u64>,
}

/// A pull under way, as its pages arrive.
#[derive(Debug, Clone, Copy)]
struct Pull {
    from: u64,
    at: u64,
    head: u64,
    started_ms: u64,
    now_ms: u64,
}

/// Where the pull under way stands; shared by the sync client, which reports each page, and
/// whoever shows it.
#[derive(Debug, Default)]
pub struct PullMeter {
    pull: Mutex<Option<Pull>>,
}

impl PullMeter {
    /// A pull starts from `cursor` at `now_ms`.
    pub fn start(&self, cursor: u64, now_ms: u64) {
        *self.lock() = Some(Pull { from: cursor, at: cursor, head: cursor, started_ms: now_ms, now_ms });
    }

    /// A page was applied: the cursor is `at`, the server's entries end at `head` (0: not
    /// said) and `more` pages follow.
    pub fn page(&self, at: u64, head: u64, more: bool, now_ms: u64) {
        let mut pull = self.lock();
        if !more {
            *pull = None;
        } else if let Some(pull) = pull.as_mut() {
            // A head of 0 stays 0: the server did not say, and no bar is better than a wrong one.
            let head = if head == 0 { 0 } else { head.max(at) };
            (pull.at, pull.head, pull.now_ms) = (at, head, now_ms);
        }
    }

    /// The pull ended, whole or cut.
    pub fn finish(&self) {
        *self.lock() = None;
    }

    /// How far the pull has come; `None` when none runs, or before its first page showed it
    /// to be longer than one page.
    pub fn progress(&self) -> Option<PullProgress> {
        let pull = (*self.lock())?;
        let (done, total) = (pull.at.saturating_sub(pull.from), pull.head.saturating_sub(pull.from));
        if total == 0 || done == 0 {
            return None;
        }
        let percent = (done.min(total) * 100 / total) as u8;
        let elapsed_ms = pull.now_ms.saturating_sub(pull.started_ms);
        let remaining_seconds =
            (elapsed_ms > 0).then(|| (total - done.min(total)).saturating_mul(elapsed_ms) / done / 1_000);
        Some(PullProgress { percent, remaining_seconds })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Pull>> {
        self.pull.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_pull_shows_how_far_it_came_and_how_long_it_may_take() {
        let meter = PullMeter::default();
        assert_eq!(meter.progress(), None);
        meter.start(1_000, 0);
        // Nothing applied yet: nothing to show.
        assert_eq!(meter.progress(), None);
        // A quarter of the way in 30 s: three quarters to go, 90 s at that pace.
        meter.page(3_500, 11_000, true, 30_000);
        assert_eq!(meter.progress(), Some(PullProgress { percent: 25, remaining_seconds: Some(90) }));
        // The server received more meanwhile: the way grows.
        meter.page(6_000, 16_000, true, 60_000);
        assert_eq!(meter.progress(), Some(PullProgress { percent: 33, remaining_seconds: Some(120) }));
        // The last page: nothing to show any more.
        meter.page(16_000, 16_000, false, 100_000);
        assert_eq!(meter.progress(), None);
    }

    #[test]
    fn a_pull_of_one_page_or_a_cut_one_shows_nothing() {
        let meter = PullMeter::default();
        meter.start(0, 0);
        meter.page(500, 500, false, 1_000);
        assert_eq!(meter.progress(), None);
        meter.start(0, 0);
        meter.page(500, 2_000, true, 1_000);
        assert!(meter.progress().is_some());
        meter.finish();
        assert_eq!(meter.progress(), None);
        // A server that does not say where it ends: no bar rather than a wrong one.
        meter.start(0, 0);
        meter.page(500, 0, true, 1_000);
        assert_eq!(meter.progress(), None);
    }
}
