//! Where the server keeps the entries devices push: behind [`SyncStore`], so that a
//! PostgreSQL backend can be added by implementing the trait and passing the same
//! [`conformance`] suite. The embedded SQLite backend ([`sqlite::SqliteStore`]) is the
//! default: a small Ambito runs the server with a data folder and no database to administer.

pub mod conformance;
pub mod sqlite;

use porta_wire::change::ChangeEntry;
use porta_wire::protocol::{Activation, AuditLine, Rejection, ScanStatus, SnapshotResponse, StpEniBlock};
use porta_wire::role::Role;
use porta_wire::rules::stp_eni::StpEniKind;
use uuid::Uuid;

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The device's highest contiguous sequence number now stored.
    pub acknowledged: u64,
    /// The entries of this push not accepted (each still took its place in the sequence).
    pub rejected: Vec<Rejection>,
}

/// A page of entries in the server's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub entries: Vec<ChangeEntry>,
    pub cursor: u64,
    pub more: bool,
    /// The newest server sequence as the page was read (0 when not known): where pulling
    /// everything ends now.
    pub head: u64,
}

/// A pushed entry the server could read: its JSON text as the device wrote it, what makes it
/// unique (its operation id), the row and folder it belongs to (scopes are decided by the
/// folder), and whether it erases that folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readable {
    pub body: String,
    pub op_id: Uuid,
    pub entity: porta_wire::folder::Entity,
    pub row_id: Uuid,
    pub folder_id: Uuid,
    pub erases_folder: bool,
    /// Its value makes its row health-restricted content (a health note, a consultorio
    /// referral…): the row is kept as such, and from then on only roles that may write health
    /// content write to it.
    pub marks_health_restricted: bool,
    /// Whether its writer's role may write health-restricted content (true unless the push
    /// route, which knows the role, says otherwise).
    pub writer_may_write_health: bool,
    /// The scan it names (an attachment's SHA-256): the folder's office may store and fetch it.
    pub names_scan: Option<String>,
}

impl Readable {
    /// `entry`, received as `body`.
    pub fn new(body: String, entry: &ChangeEntry) -> Readable {
        let erases_folder = entry.field == porta_wire::folder::ERASED && entry.value == serde_json::Value::Bool(true);
        Readable {
            body,
            op_id: entry.op_id,
            entity: entry.entity,
            row_id: entry.row_id,
            folder_id: entry.folder_id,
            erases_folder,
            marks_health_restricted: porta_wire::folder::field_check::marks_health_restricted(
                entry.entity,
                &entry.field,
                &entry.value,
            ),
            writer_may_write_health: true,
            names_scan: (entry.entity == porta_wire::folder::Entity::Attachment && entry.field == "sha256")
                .then(|| entry.value.as_str().map(str::to_owned))
                .flatten(),
        }
    }
}

/// Why a chunk of a scan was not stored.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// No attachment of the office's folders names this scan.
    #[error("no attachment of the office names this scan")]
    NotTheOffices,
    /// The size, the index or the chunk's length does not fit the scan.
    #[error("the chunk does not fit the scan")]
    Malformed,
    /// Larger than any scan the server takes.
    #[error("scan too large")]
    TooLarge,
    /// The device has stored as much as it may.
    #[error("the device's scan quota is reached")]
    QuotaReached,
    /// The whole did not match its SHA-256: every chunk was forgotten.
    #[error("the scan does not match its SHA-256")]
    Damaged,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// An entry as the server received it: its sequence number, and either the readable entry or
/// why it cannot be accepted.
pub type Incoming = (u64, Result<Readable, Rejection>);

/// Why the storage refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The batch does not continue the device's sequence: it must start at `expected`
    /// (earlier entries may repeat) and have no holes.
    #[error("sequence gap: expected {expected}")]
    SequenceGap { expected: u64 },
    /// The database failed.
    #[error("storage failure: {0}")]
    Failed(String),
}

/// Whether a device may sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Enrolled and syncing.
    Active,
    /// Refused from now on.
    Revoked,
    /// At its next request it is told to erase its data; it syncs nothing more.
    WipeOrdered,
}

impl DeviceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceStatus::Active => "active",
            DeviceStatus::Revoked => "revoked",
            DeviceStatus::WipeOrdered => "wipe_ordered",
        }
    }

    pub fn from_stored(text: &str) -> Option<DeviceStatus> {
        [DeviceStatus::Active, DeviceStatus::Revoked, DeviceStatus::WipeOrdered]
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: Uuid,
    pub name: String,
    pub office: String,
    /// Its Ed25519 public key.
    pub public_key: Vec<u8>,
    pub status: DeviceStatus,
    pub enrolled_ms: u64,
}

/// The Ambito the server serves, and its offices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambito {
    pub name: String,
    pub offices: Vec<String>,
}

/// The Ambito's STP/ENI series: the region and ASL codes every code it issues carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StpEniSeries {
    /// The region's three digits (`160` for Puglia).
    pub region: String,
    /// The ASL's three digits.
    pub asl: String,
}

/// Why no block of STP/ENI numbers was reserved.
#[derive(Debug, thiserror::Error)]
pub enum ReserveError {
    /// `porta-server stp-eni` has not been run.
    #[error("no STP/ENI series configured")]
    NotConfigured,
    /// Every seven-digit number of the series is taken.
    #[error("series exhausted")]
    Exhausted,
    /// The device has received its quota of numbers of this kind for now.
    #[error("device quota reached")]
    QuotaReached,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// An operator account of the Ambito, in one office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorRecord {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub office: String,
    pub disabled: bool,
    /// What lets the operator open each device a first time with the activation code (never
    /// the code itself), until it expires.
    pub activation: Option<Activation>,
}

/// A change to an operator account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorChange {
    Role(Role),
    Disabled(bool),
    /// A new activation code (the earlier one expired, or was lost).
    Activation(Activation),
}

/// Why an operator account was not created.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// Another account has this login.
    #[error("login already taken")]
    LoginTaken,
    /// The office is not one of the Ambito's.
    #[error("unknown office")]
    UnknownOffice,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// A change to the folders an office's devices hold: a folder shared with it or moved to
/// it (`in_scope`), or no longer shared or moved away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeEvent {
    pub folder_id: Uuid,
    pub in_scope: bool,
}

/// Entries kept for a folder's office: written on a device whose office no longer held the
/// folder when they arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldEntries {
    pub folder_id: Uuid,
    /// The office the folder belongs to now.
    pub owner: String,
    /// The devices that wrote them, and how many each.
    pub devices: Vec<(Uuid, u64)>,
}

/// Who holds a folder: the office it belongs to and those it is shared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderScope {
    pub owner: String,
    pub shared_with: Vec<String>,
}

/// Why a folder's scope did not change.
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// No device has pushed this folder.
    #[error("unknown folder")]
    UnknownFolder,
    /// The office is not one of the Ambito's.
    #[error("unknown office")]
    UnknownOffice,
    /// The folder is every office's (the directory of services): it is neither shared nor
    /// moved.
    #[error("the folder is every office's")]
    EveryOffice,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why audit lines were not stored.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The lines do not continue the device's: the next one expected.
    #[error("audit lines must continue after {expected}")]
    Gap { expected: u64 },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// What an audit push stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditStored {
    /// Every line up to this number is stored or refused.
    pub acknowledged: u64,
    /// The lines refused: about a folder of another office that the device's office never held.
    pub refused: Vec<Rejection>,
}

/// A one-time enrollment code, kept only as its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnrollment {
    pub code_hash: [u8; 32],
    pub device_name: String,
    pub office: String,
    pub expires_ms: u64,
}

/// Why an enrollment was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrollmentError {
    /// No such code, or it was already used.
    #[error("unknown or used code")]
    UnknownCode,
    /// The code is past its validity.
    #[error("expired code")]
    Expired,
    /// A device with this id is already enrolled.
    #[error("device already enrolled")]
    AlreadyEnrolled,
    /// The operator enrolling the device is not an active administrator account of the
    /// code's office; the code is not spent.
    #[error("the enrolling operator is not an administrator of {office}")]
    NotAnAdministrator { office: String },
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The server's storage. Implementations are used from several threads.
pub trait SyncStore: Send + Sync + 'static {
    /// Stores `incoming` (sorted by sequence number) for `device` of `office`, all or
    /// nothing: entries at or below the device's acknowledged number are skipped, the rest
    /// must follow it without holes. A folder belongs to the office of the device that first
    /// pushed it; an entry for another office's folder is refused as out of scope. Rejected
    /// entries are remembered in place of the entry. Once a folder's erasure arrives, every
    /// value of that folder is kept as null, those stored before and those that come after.
    fn push(&self, device: Uuid, office: &str, incoming: &[Incoming]) -> Result<Pushed, StorageError>;

    /// Accepted entries of `office`'s folders after `cursor`, at most `limit` and about
    /// `max_bytes` of them, leaving out those `requester` wrote (it has them already).
    fn pull(
        &self,
        cursor: u64,
        limit: usize,
        max_bytes: usize,
        office: &str,
        requester: Option<Uuid>,
    ) -> Result<Page, StorageError>;

    /// The device's highest contiguous sequence number stored (0 for a new device).
    fn acknowledged(&self, device: Uuid) -> Result<u64, StorageError>;

    /// Records the Ambito and its offices (`porta-server init`); offices already known stay.
    fn set_up(&self, ambito: &Ambito) -> Result<(), StorageError>;

    /// The Ambito, once set up.
    fn ambito(&self) -> Result<Option<Ambito>, StorageError>;

    /// What the server holds of the scan `sha256`, if an attachment of a folder `office`
    /// holds names it (otherwise it is not the office's to see: `None`).
    fn scan_status(&self, office: &str, sha256: &str) -> Result<Option<ScanStatus>, StorageError>;

    /// Stores chunk `index` of the scan `sha256` of `size` bytes, sent by `device` of
    /// `office`. When the last chunk arrives the whole is checked against its SHA-256: a
    /// mismatch forgets every chunk ([`ScanError::Damaged`]).
    fn put_scan_chunk(
        &self,
        device: Uuid,
        office: &str,
        sha256: &str,
        size: u64,
        index: u32,
        bytes: &[u8],
    ) -> Result<ScanStatus, ScanError>;

    /// Chunk `index` of the whole scan `sha256`, when the office may see it.
    fn scan_chunk(&self, office: &str, sha256: &str, index: u32) -> Result<Option<Vec<u8>>, StorageError>;

    /// The Ambito's health key ([`porta_wire::health_key`]), made from `random` the first
    /// time it is asked for and the same ever after.
    fn health_key(
        &self,
        random: &dyn ring::rand::SecureRandom,
    ) -> Result<porta_wire::health_key::HealthKey, StorageError>;

    /// Keeps a new one-time enrollment code.
    fn add_enrollment(&self, enrollment: &NewEnrollment) -> Result<(), StorageError>;

    /// Uses the code with this hash to enroll `device` with `public_key`, once, for the
    /// operator `enroller`, who must be an active administrator account of the code's office:
    /// the code is spent even if it had expired, not when the enroller is refused.
    fn enroll(
        &self,
        code_hash: &[u8; 32],
        device: Uuid,
        public_key: &[u8],
        enroller: &str,
        now_ms: u64,
    ) -> Result<Device, EnrollmentError>;

    /// An enrolled device.
    fn device(&self, id: Uuid) -> Result<Option<Device>, StorageError>;

    /// Every enrolled device, oldest first.
    fn devices(&self) -> Result<Vec<Device>, StorageError>;

    /// Changes a device's status; false when no such device is enrolled.
    fn set_status(&self, id: Uuid, status: DeviceStatus) -> Result<bool, StorageError>;

    /// Forgets a device's enrollment (its key), so that it can enroll again with a new code:
    /// for a device whose enrollment answer was lost. What it pushed stays, and so does its
    /// sequence. False when no such device is enrolled.
    fn forget_device(&self, id: Uuid) -> Result<bool, StorageError>;

    /// Sets the Ambito's STP/ENI series (`porta-server stp-eni`). Numbers issued in a
    /// series are never handed out again, even after switching to another and back; with
    /// `continue_after`, the series' counters start above that number (codes the ASL issued
    /// before Porta).
    fn set_stp_eni_series(&self, series: &StpEniSeries, continue_after: Option<u32>) -> Result<(), StorageError>;

    /// The Ambito's STP/ENI series, once set.
    fn stp_eni_series(&self) -> Result<Option<StpEniSeries>, StorageError>;

    /// Reserves the next `count` numbers (fewer at the end of the seven digits) of `kind` in
    /// the series for `device`, all or nothing: no number is ever in two blocks.
    fn reserve_stp_eni_numbers(
        &self,
        kind: StpEniKind,
        device: Uuid,
        count: u32,
        now_ms: u64,
    ) -> Result<StpEniBlock, ReserveError>;

    /// Creates an operator account.
    fn add_operator(&self, operator: &OperatorRecord) -> Result<(), OperatorError>;

    /// Changes the account with `login`; false when there is none.
    fn change_operator(&self, login: &str, change: &OperatorChange) -> Result<bool, StorageError>;

    /// The operator accounts, of one office or all, by login.
    fn operators(&self, office: Option<&str>) -> Result<Vec<OperatorRecord>, StorageError>;

    /// Stores `device`'s audit lines (sorted by number), all or nothing: lines already stored
    /// are skipped, the rest must follow without holes. A line about a folder of another
    /// office, which `office` never held, is refused in its place (one device cannot write
    /// into another office's access logs); a folder the server has never heard of is the
    /// device's own, not pushed yet.
    fn push_audit(&self, device: Uuid, office: &str, lines: &[AuditLine]) -> Result<AuditStored, AuditError>;

    /// The entries held for their folders' offices (see `RejectionCode::HeldForOwner`).
    fn held_entries(&self) -> Result<Vec<HeldEntries>, StorageError>;

    /// Delivers the entries held for `folder` to the office that holds it: stored as if
    /// pushed now (an entry whose row belongs to another folder stays refused). Returns how
    /// many were stored.
    fn deliver_held(&self, folder: Uuid) -> Result<u64, StorageError>;

    /// Every audit line about `folder`, from every device, by time.
    fn folder_audit(&self, folder: Uuid) -> Result<Vec<(Uuid, AuditLine)>, StorageError>;

    /// Shares `folder` with `office` (its devices receive it whole); false if it already was,
    /// or belongs to that office.
    fn share_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError>;

    /// Stops sharing `folder` with `office` (its devices remove it); false if it was not.
    fn unshare_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError>;

    /// Makes `folder` belong to `office` (the old office's devices remove it unless it is
    /// shared with them); false if it already did.
    fn move_folder(&self, folder: Uuid, office: &str) -> Result<bool, ScopeError>;

    /// Who holds `folder`, if any device pushed it.
    fn folder_scope(&self, folder: Uuid) -> Result<Option<FolderScope>, StorageError>;

    /// `office`'s scope events after `cursor`, at most `limit`, each with its position.
    fn scope_events(&self, office: &str, cursor: u64, limit: usize) -> Result<Vec<(u64, ScopeEvent)>, StorageError>;

    /// The entries of `folder` with a server position after `after` and up to `upto`, at
    /// most `limit` and about `max_bytes` (always at least one): what a device that passed
    /// them before the folder reached it missed.
    fn folder_entries(
        &self,
        folder: Uuid,
        after: u64,
        upto: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<Page, StorageError>;

    /// Forgets the versions of fields that a newer write replaced before `before_ms` and that
    /// no state needs any more (`porta_wire::snapshot::needed`): the Ambito's history retention.
    /// Returns how many entries went. Devices that have not pulled them never will, which
    /// changes nothing they hold: a newer write of the same field comes after them.
    fn compact_history(&self, before_ms: u64) -> Result<u64, StorageError>;

    /// `office`'s folders after `after` (by id), whole, each with the entries up to the server
    /// position `upto` (0: the newest) that its state needs, until about `limit` entries or
    /// `max_bytes` of them were read (always at least one folder): a page of a new device's
    /// snapshot. The entries `requester` wrote are left out, as a pull leaves them out: a
    /// device that worked before its first sync holds its own.
    fn snapshot(
        &self,
        office: &str,
        requester: Option<Uuid>,
        after: Option<Uuid>,
        upto: u64,
        limit: usize,
        max_bytes: usize,
    ) -> Result<SnapshotResponse, StorageError>;

    /// Remembers that `device` used `nonce` at `at_ms`; false if it already had. Nonces
    /// older than `forget_before_ms` are forgotten (requests that old are refused anyway).
    fn first_use_of_nonce(
        &self,
        device: Uuid,
        nonce: &str,
        at_ms: u64,
        forget_before_ms: u64,
    ) -> Result<bool, StorageError>;
}
