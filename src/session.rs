//! Who is working on this device right now: the unlocked store, and when it locks by itself.

use std::time::Duration;

use crate::clock::Clock;
use crate::store::Store;

/// The store, if unlocked, and the last time the operator did something.
///
/// Locking drops the store, which closes the database and zeroes the key.
#[derive(Debug)]
pub struct Session {
    store: Option<Store>,
    last_activity_ms: u64,
    idle_limit: Duration,
}

impl Session {
    /// A locked session that will lock again after `idle_limit` without activity.
    pub fn new(idle_limit: Duration) -> Self {
        Self { store: None, last_activity_ms: 0, idle_limit }
    }

    /// From now on, locks after `idle_limit` without activity.
    pub fn set_idle_limit(&mut self, idle_limit: Duration) {
        self.idle_limit = idle_limit;
    }

    /// Starts working with `store`, now.
    pub fn begin(&mut self, store: Store, clock: &dyn Clock) {
        self.store = Some(store);
        self.last_activity_ms = clock.now_ms();
    }

    /// The unlocked store, if any.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The unlocked store, if any, for changes.
    pub fn store_mut(&mut self) -> Option<&mut Store> {
        self.store.as_mut()
    }

    /// The operator did something: the idle time starts again.
    pub fn touch(&mut self, clock: &dyn Clock) {
        if self.store.is_some() {
            self.last_activity_ms = clock.now_ms();
        }
    }

    /// Locks now.
    pub fn lock(&mut self) {
        if let Some(store) = self.store.take() {
            store.lock();
        }
    }

    /// Erases this device's database and key file (a wipe order from the server).
    pub fn wipe(&mut self) {
        if let Some(store) = self.store.take() {
            store.wipe();
        }
    }

    /// Locks if nothing happened for the idle limit; says whether it locked.
    pub fn lock_if_idle(&mut self, clock: &dyn Clock) -> bool {
        let idle = clock.now_ms().saturating_sub(self.last_activity_ms);
        if self.store.is_some() && idle >= self.idle_limit.as_millis() as u64 {
            self.lock();
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;
    use crate::DataDir;
    use crate::clock::ManualClock;
    use crate::store::FirstRun;

    fn unlocked_session(clock: &ManualClock) -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = DataDir::resolve(Some(dir.path().to_owned())).unwrap();
        let first = FirstRun::example("Ufficio 1");
        let (store, _) = Store::set_up(&data_dir, first, clock, &SystemRandom::new()).unwrap();
        let mut session = Session::new(Duration::from_secs(600));
        session.begin(store, clock);
        (dir, session)
    }

    #[test]
    fn it_locks_after_the_idle_limit_and_not_before() {
        let clock = ManualClock::at(1_000_000);
        let (_dir, mut session) = unlocked_session(&clock);
        clock.advance(Duration::from_secs(599));
        assert!(!session.lock_if_idle(&clock));
        assert!(session.store().is_some());
        clock.advance(Duration::from_secs(1));
        assert!(session.lock_if_idle(&clock));
        assert!(session.store().is_none());
    }

    #[test]
    fn activity_postpones_the_lock() {
        let clock = ManualClock::at(1_000_000);
        let (_dir, mut session) = unlocked_session(&clock);
        clock.advance(Duration::from_secs(500));
        session.touch(&clock);
        clock.advance(Duration::from_secs(500));
        assert!(!session.lock_if_idle(&clock));
        clock.advance(Duration::from_secs(100));
        assert!(session.lock_if_idle(&clock));
    }

    #[test]
    fn locking_by_hand_drops_the_store() {
        let clock = ManualClock::at(0);
        let (_dir, mut session) = unlocked_session(&clock);
        session.lock();
        assert!(session.store().is_none());
        assert!(!session.lock_if_idle(&clock), "nothing left to lock");
    }
}
