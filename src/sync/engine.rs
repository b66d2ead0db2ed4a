//! Sync in the background: rounds of [`SyncClient::sync_once`] at start, every few minutes,
//! shortly after each save, and again after a failure with exponential backoff and jitter.
//! The UI never waits for it; it reads [`SyncStatus`]. Woken, it also checkpoints the store's
//! WAL (`store::checkpoints`), so that saves do not.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ring::rand::SecureRandom;
use serde::Serialize;
use tokio::sync::Notify;

use super::client::{StoreAccess, SyncClient, SyncError, UpdateFetchError};
use super::protocol::RejectionCode;
use super::pull_meter::{PullMeter, PullProgress};
use super::server_time::ServerClock;
use crate::clock::Clock;
use crate::error::{ErrorCode, ErrorPayload};
use crate::store::{CompactionPlace, CompactionStep, HISTORY_KEPT_MS};
use crate::updates::{UpdateFolder, UpdatePolicy};
use crate::{Locale, Localizer};

/// When rounds run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineSettings {
    /// Between rounds when all is well.
    pub every: Duration,
    /// From a save (a nudge) to its round, so that a burst of saves makes one round.
    pub after_save: Duration,
    /// The first wait after a failure; it doubles up to `longest_retry`.
    pub first_retry: Duration,
    pub longest_retry: Duration,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            every: Duration::from_secs(180),
            after_save: Duration::from_secs(2),
            first_retry: Duration::from_secs(2),
            longest_retry: Duration::from_secs(120),
        }
    }
}

/// What sync is doing, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No round has run yet.
    Starting,
    /// This device is not enrolled with a server.
    NotEnrolled,
    /// The store is locked: sync waits for the next unlock.
    Locked,
    /// A round is running.
    Syncing,
    /// The last round reached the server and brought everything.
    UpToDate,
    /// The server cannot be reached; the next attempt comes by itself.
    Offline,
    /// The server refused (see the error); the next attempt comes by itself.
    Failing,
    /// Revoked or wiped: no more rounds.
    Stopped,
}

/// Sync as the operator sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub state: SyncState,
    /// Entries written here and not yet acknowledged by the server.
    #[ts(type = "number")]
    pub waiting: u64,
    /// When a round last succeeded (milliseconds since the epoch).
    #[ts(type = "number | null")]
    pub last_success_ms: Option<u64>,
    /// Why the last round failed, in words.
    pub last_error: Option<ErrorPayload>,
    /// Entries the server refused (kept, shown, never dropped).
    pub rejected: usize,
    /// Of those, the edits of folders that left this office before they arrived: kept by the
    /// server for the office that holds the folder now.
    pub held_for_owner: usize,
    /// Conflicts waiting for review.
    pub conflicts: usize,
    /// Scans kept here that the server does not hold whole yet.
    pub scans_to_send: usize,
    /// Scans named by attachments here whose bytes have not arrived yet.
    pub scans_to_receive: usize,
    /// How far the server's clock is ahead of this computer's (negative: behind), once heard:
    /// Porta uses the server's time, and tells the operator when the difference shows.
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
    /// While a pull of many pages runs (a new device, weeks offline): how far it has come.
    pub pulling: Option<PullProgress>,
    /// An update of Porta from the server: downloaded and waiting for the next start, or
    /// refused.
    pub update: Option<UpdateNotice>,
}

/// What the operator is told of an update of Porta.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum UpdateNotice {
    /// Downloaded and checked: installed when Porta next starts.
    #[serde(rename_all = "camelCase")]
    Ready {
        version: String,
        /// The Ambito's notes about it (plain text, may be empty).
        notes: String,
    },
    /// The offered update was refused (not signed by the release key, damaged), or cannot be
    /// prepared: why, in words.
    Refused { error: ErrorPayload },
}

/// The background sync of one device.
#[derive(Debug)]
pub struct SyncEngine {
    status: Mutex<SyncStatus>,
    wake: Notify,
    pulls: Arc<PullMeter>,
    /// What this build may update itself to, and where downloads go; `None`: no updates.
    updates: Option<(UpdatePolicy, UpdateFolder)>,
}

impl SyncEngine {
    pub fn new() -> Arc<SyncEngine> {
        SyncEngine::updating(None)
    }

    /// An engine that also fetches updates of Porta for `policy` into `folder` (see
    /// [`crate::updates`]); with `None`, it never does.
    pub fn updating(updates: Option<(UpdatePolicy, UpdateFolder)>) -> Arc<SyncEngine> {
        let status = SyncStatus {
            state: SyncState::Starting,
            waiting: 0,
            last_success_ms: None,
            last_error: None,
            rejected: 0,
            held_for_owner: 0,
            conflicts: 0,
            scans_to_send: 0,
            scans_to_receive: 0,
            clock_offset_ms: None,
            pulling: None,
            update: None,
        };
        Arc::new(SyncEngine { status: Mutex::new(status), wake: Notify::new(), pulls: Arc::default(), updates })
    }

    /// The current status.
    pub fn status(&self) -> SyncStatus {
        let status = self.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        SyncStatus { pulling: self.pulls.progress(), ..status }
    }

    /// Something changed (a save, an unlock, an enrollment): sync shortly.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    fn update(&self, change: impl FnOnce(&mut SyncStatus)) {
        change(&mut self.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
    }

    /// Runs rounds until the device is revoked or wiped. Spawn it on the app's runtime.
    pub async fn run(
        self: Arc<Self>,
        access: Arc<impl StoreAccess + Send + Sync + 'static>,
        clock: Arc<ServerClock>,
        random: Arc<dyn SecureRandom + Send + Sync>,
        settings: EngineSettings,
        locale: Locale,
    ) {
        let localizer = Localizer::new();
        let mut retry = settings.first_retry;
        let mut wait = Duration::ZERO;
        let mut client: Option<SyncClient> = None;
        // History compaction runs after the first round that reached the server, then daily.
        let mut compact_from_ms = 0;
        loop {
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.wake.notified() => tokio::time::sleep(settings.after_save).await,
            }
            // A burst of saves is over, or the desk has been quiet since the last round: the
            // WAL goes into the database now rather than inside an operator's next save. One
            // that fails (the store locked meanwhile, a full disk) is tried at the next wake,
            // and past its limit the WAL checkpoints by itself.
            let _ = access.with_store(|store| store.checkpoint());
            let server = match access.with_store(|store| store.enrollment()) {
                Ok(Ok(Some(enrollment))) => enrollment.server_url,
                Ok(Ok(None)) => {
                    self.update(|status| status.state = SyncState::NotEnrolled);
                    wait = settings.every;
                    continue;
                }
                Ok(Err(_)) | Err(_) => {
                    self.update(|status| status.state = SyncState::Locked);
                    wait = settings.every;
                    continue;
                }
            };
            let client = match &client {
                Some(existing) if existing.base_url() == server.trim_end_matches('/') => existing,
                _ => client
                    .insert(SyncClient::new(&server).learning_time(clock.clone()).metering_pulls(self.pulls.clone())),
            };
            self.update(|status| status.state = SyncState::Syncing);
            let result = client.sync_once(access.as_ref(), clock.as_ref(), random.as_ref()).await;
            let state = match &result {
                Ok(_) => SyncState::UpToDate,
                Err(SyncError::Locked) => SyncState::Locked,
                Err(SyncError::NotEnrolled) => SyncState::NotEnrolled,
                Err(SyncError::Unreachable) => SyncState::Offline,
                Err(_) => SyncState::Failing,
            };
            let last_error = match &result {
                Err(error) if state != SyncState::Locked => Some(error.payload(&localizer, locale)),
                _ => None,
            };
            let stopped = matches!(
                result.as_ref().err().and_then(SyncError::server_code),
                Some(ErrorCode::DeviceRevoked | ErrorCode::WipeOrdered)
            );
            let counts = access
                .with_store(|store| {
                    let progress = store.sync_progress().ok()?;
                    let conflicts = store.conflicts(None).map(|all| all.len()).unwrap_or(0);
                    let held = progress.rejected.iter().filter(|r| r.code == RejectionCode::HeldForOwner).count();
                    let scans = (store.scans_to_send().ok()?.len(), store.scans_missing().ok()?.len());
                    Some((progress.waiting, progress.rejected.len(), held, conflicts, scans))
                })
                .ok()
                .flatten();
            let now = clock.now_ms();
            self.update(|status| {
                status.state = if stopped { SyncState::Stopped } else { state };
                if state == SyncState::UpToDate {
                    status.last_success_ms = Some(now);
                }
                if state != SyncState::Locked {
                    status.last_error = last_error;
                }
                status.clock_offset_ms = clock.offset_ms();
                if let Some((waiting, rejected, held, conflicts, scans)) = counts {
                    (status.waiting, status.rejected, status.held_for_owner, status.conflicts) =
                        (waiting, rejected, held, conflicts);
                    (status.scans_to_send, status.scans_to_receive) = scans;
                }
            });
            if stopped {
                return;
            }
            // After each round that reached the server: one small answer when nothing is new.
            if let Some((policy, folder)) = &self.updates
                && state == SyncState::UpToDate
            {
                let fetched =
                    client.fetch_update(access.as_ref(), clock.as_ref(), random.as_ref(), policy, folder).await;
                let notice =
                    match fetched {
                        Ok(ready) => Some(ready.map(|ready| UpdateNotice::Ready {
                            version: ready.version.to_string(),
                            notes: ready.notes,
                        })),
                        // Asked again at the next round.
                        Err(UpdateFetchError::Sync(_)) => None,
                        Err(error) => Some(Some(UpdateNotice::Refused {
                            error: ErrorPayload::localized(&error, &localizer, locale),
                        })),
                    };
                if let Some(notice) = notice {
                    self.update(|status| status.update = notice);
                }
            }
            if state == SyncState::UpToDate && clock.now_ms() >= compact_from_ms {
                compact_history(access.as_ref(), clock.now_ms().saturating_sub(HISTORY_KEPT_MS)).await;
                compact_from_ms = clock.now_ms() + COMPACTION_EVERY_MS;
            }
            wait = match state {
                SyncState::UpToDate | SyncState::Locked => {
                    retry = settings.first_retry;
                    settings.every
                }
                _ => {
                    let this = jittered(retry, random.as_ref());
                    retry = (retry * 2).min(settings.longest_retry);
                    this
                }
            };
        }
    }
}

/// How often the history is compacted: daily.
const COMPACTION_EVERY_MS: u64 = 24 * 60 * 60 * 1000;

/// Forgets the versions older than `before_ms` the state no longer needs (`store::compaction`),
/// a bounded step at a time, letting the desk have the store between steps. A step that fails
/// (the store locked meanwhile) ends it: the next day's goes through the log again.
async fn compact_history(access: &impl StoreAccess, before_ms: u64) {
    let mut place = CompactionPlace::default();
    loop {
        match access.with_store(|store| store.compact_history_step(before_ms, place, 20_000)) {
            Ok(Ok(CompactionStep { next: Some(next), .. })) => place = next,
            Ok(Ok(CompactionStep { next: None, .. })) | Ok(Err(_)) | Err(_) => return,
        }
        tokio::task::yield_now().await;
    }
}

/// `wait` moved randomly by up to a quarter either way, so devices that lost the server at
/// the same moment do not all come back at the same moment.
fn jittered(wait: Duration, random: &dyn SecureRandom) -> Duration {
    let mut byte = [0u8; 1];
    let _ = random.fill(&mut byte);
    let factor = 0.75 + f64::from(byte[0]) / 255.0 * 0.5;
    wait.mul_f64(factor)
}
