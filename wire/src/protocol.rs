//! The sync protocol, version 1: JSON over HTTP.
//!
//! - `POST /api/v1/push` with a [`PushRequest`]: a device's change-log entries in sequence
//!   order. The server stores each once under `(device, seq)`; entries it already has are
//!   skipped, so resending is harmless; a batch that does not continue the device's sequence
//!   is refused whole (`sequence_gap`). An entry the server cannot accept still takes its
//!   place in the sequence and comes back as a [`Rejection`], so it never blocks the entries
//!   after it and is never silently dropped. The answer ([`PushResponse`]) acknowledges the
//!   highest contiguous sequence number stored.
//! - `GET /api/v1/pull?after=CURSOR&limit=N`: entries in the server's order after a cursor,
//!   at most `N` and at most [`PULL_MAX_BYTES`] of entries ([`PullResponse`]).
//! - `POST /api/v1/stp-eni-blocks` with a [`StpEniBlockRequest`]: a block of STP or ENI
//!   progressive numbers for this device ([`StpEniBlock`]).
//! - `GET /api/v1/operators`: the operator accounts of the device's office
//!   ([`OperatorsResponse`]), managed on the server (`porta-server operators`).
//! - `GET /api/v1/scope?after=CURSOR`: the folders shared with the device's office or moved
//!   to it, and those no longer held ([`ScopeResponse`]); for each folder that came in,
//!   `GET /api/v1/folder-entries?folder=ID&after=S&upto=CURSOR` gives the entries the device's
//!   pulls passed before it held the folder ([`PullResponse`]).
//! - `GET /api/v1/snapshot?after=FOLDER&upto=CURSOR`: a new device's start, the folders of its
//!   office one after another (by id, after `FOLDER`) as they stood at the server position
//!   `CURSOR` (0 at first: the server's newest), pages as large as a pull's, each folder with
//!   only the entries its state needs
//!   ([`SnapshotResponse`], see [`crate::snapshot`]); then it pulls after `CURSOR`.
//! - `POST /api/v1/audit` with an [`AuditPush`]: the device's audit lines after the last one
//!   acknowledged, so the Ambito sees every access to a folder on every device.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::activation::ActivationLock;
use crate::audit::AuditAction;
use crate::change::ChangeEntry;
use crate::role::Role;
use crate::rules::stp_eni::StpEniKind;

/// The protocol version this Porta speaks.
pub const PROTOCOL_VERSION: u32 = 1;
/// The most entries one push may carry.
pub const PUSH_MAX_ENTRIES: usize = 10_000;
/// The largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Roughly the most bytes of entries one push carries: a quarter of what the server reads,
/// so that weeks of long notes written offline still leave in pushes it accepts.
pub const PUSH_MAX_BYTES: usize = MAX_BODY_BYTES / 4;
/// The most entries one pull answers with.
pub const PULL_MAX_ENTRIES: usize = 10_000;
/// Roughly the most bytes of entries one pull answers with.
pub const PULL_MAX_BYTES: usize = 4 * 1024 * 1024;

/// A device's entries, in sequence order. Each entry travels as its own JSON text, so that
/// one the server cannot read is rejected alone, not with its batch, and the server stores
/// the text it received without building and re-serialising a value.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub protocol: u32,
    pub device_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ChangeEntry>))]
    pub entries: Vec<Box<serde_json::value::RawValue>>,
}

impl PushRequest {
    pub fn new(device_id: Uuid, entries: &[ChangeEntry]) -> PushRequest {
        PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id,
            entries: entries
                .iter()
                .map(|entry| serde_json::value::to_raw_value(entry).expect("entries serialise"))
                .collect(),
        }
    }
}

/// Why the server did not accept one entry. It keeps its place in the sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RejectionCode {
    /// Not a change-log entry this server can read (unknown section, malformed value).
    InvalidEntry,
    /// Written with a newer schema than the server's.
    UnknownSchema,
    /// Says it comes from another device.
    WrongDevice,
    /// Belongs to a folder of an office this device does not serve.
    OutOfScope,
    /// Repeats the operation id of an entry already stored: a copy, never applied twice.
    DuplicateEntry,
    /// Names a row that belongs to another folder (or a person row outside its own folder).
    RowInOtherFolder,
    /// Names a field that rows of its kind do not have.
    UnknownField,
    /// Carries a value that is not of its field's type.
    InvalidValue,
    /// Carries a value larger than any field holds.
    ValueTooLarge,
    /// Names an operator who is not an account of the device's office.
    UnknownOperator,
    /// Written in a folder that left the device's office before the entry arrived (unshared
    /// or moved): the server keeps it, and the Ambito's administrator delivers it to the
    /// office that holds the folder now (`porta-server folders deliver`).
    HeldForOwner,
    /// Written by an operator whose role may not write it (an erasure by anyone but an
    /// administrator, health-restricted content by a role that may not read it).
    NotPermitted,
}

impl From<crate::folder::field_check::FieldProblem> for RejectionCode {
    fn from(problem: crate::folder::field_check::FieldProblem) -> Self {
        use crate::folder::field_check::FieldProblem;
        match problem {
            FieldProblem::UnknownField => RejectionCode::UnknownField,
            FieldProblem::WrongType => RejectionCode::InvalidValue,
            FieldProblem::TooLarge => RejectionCode::ValueTooLarge,
        }
    }
}

/// What makes `entry` contradict itself, wherever it is received (the server on a push, a
/// device on a pull): a timestamp made by another device than the writer, a person row
/// outside its own folder, an organisation outside the directory or anything else in it.
pub fn inconsistency(entry: &ChangeEntry) -> Option<RejectionCode> {
    if entry.hlc.device != entry.device_id {
        return Some(RejectionCode::WrongDevice);
    }
    if entry.seq == 0 || entry.seq > crate::change::MAX_SEQ {
        return Some(RejectionCode::InvalidEntry);
    }
    if entry.entity == crate::folder::Entity::Person && entry.row_id != entry.folder_id {
        return Some(RejectionCode::RowInOtherFolder);
    }
    if !crate::folder::directory::belongs_in(entry.entity, entry.folder_id) {
        // A directory row outside the directory, or anything else inside it.
        return Some(RejectionCode::RowInOtherFolder);
    }
    if crate::health_key::is_sealed(&entry.value) && crate::health_key::stays_clear(entry.entity, &entry.field) {
        // Sealed where every reader must read it: a list or a marker nobody could compute.
        return Some(RejectionCode::InvalidValue);
    }
    None
}

/// Scans travel apart from entries, content-addressed by their SHA-256, in chunks of this
/// size (the last may be shorter): a transfer cut halfway resumes from the chunks already
/// stored. `PUT /api/v1/scans/{sha256}/{index}?size=N` stores one chunk, `GET
/// /api/v1/scans/{sha256}` tells what the server holds ([`ScanStatus`]), `GET
/// /api/v1/scans/{sha256}/{index}` gives one chunk of a whole scan. A scan is the office's
/// only when an attachment entry of one of its folders names it.
pub const SCAN_CHUNK_BYTES: usize = 256 * 1024;

/// The largest scan the server takes (above any attachment limit a device allows).
pub const SCAN_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What one device may have stored in scans on the server, in all.
pub const SCAN_DEVICE_QUOTA_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// How many chunks a scan of `size` bytes travels in.
pub fn scan_chunks(size: u64) -> u32 {
    size.div_ceil(SCAN_CHUNK_BYTES as u64) as u32
}

/// Whether `length` bytes can be chunk `index` of a scan of `size` bytes: every chunk is
/// [`SCAN_CHUNK_BYTES`] long but the last, which holds the rest.
pub fn scan_chunk_fits(size: u64, index: u32, length: usize) -> bool {
    let chunks = scan_chunks(size);
    if index >= chunks {
        return false;
    }
    let expected =
        if index == chunks - 1 { size as usize - index as usize * SCAN_CHUNK_BYTES } else { SCAN_CHUNK_BYTES };
    length == expected
}

/// What the server holds of one scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanStatus {
    /// Its size in bytes, as the uploading device declared it (0 before any chunk arrived).
    pub size: u64,
    /// Whether every chunk is there and the whole matched its SHA-256.
    pub complete: bool,
    /// The chunks stored so far, by index (all of them once complete).
    pub chunks: Vec<u32>,
}

/// One entry the server did not accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    pub seq: u64,
    pub code: RejectionCode,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// Every entry up to this sequence number is stored (or rejected) on the server.
    pub acknowledged: u64,
    /// The entries of this push that were not accepted.
    pub rejected: Vec<Rejection>,
}

/// The answer to a pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub entries: Vec<ChangeEntry>,
    /// Where the next pull starts.
    pub cursor: u64,
    /// Whether more entries are waiting after this page.
    pub more: bool,
    /// The newest cursor the server holds as it answers: where pulling everything ends now,
    /// so a device can show how far a long pull has come. 0 when the answer does not say.
    #[serde(default)]
    pub head: u64,
}

/// A page of a new device's snapshot: whole folders, in the order of their ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnapshotResponse {
    /// The entries the state of these folders needs, as they stood at `upto`.
    pub entries: Vec<ChangeEntry>,
    /// The server position the snapshot stands at: once it is whole, pulling starts after it.
    pub upto: u64,
    /// The last folder of this page: the next page starts after it (`None` with no folder).
    pub last_folder: Option<Uuid>,
    /// Whether more folders follow.
    pub more: bool,
    /// How many of the office's folders this page and those before it held, of how many, for
    /// the bar a long start shows.
    pub folders_done: u64,
    pub folders_total: u64,
}

/// `POST /api/v1/enroll`: a device joins the Ambito with a one-time code from the
/// administrator (`porta-server enroll`). It is the only request that is not signed: the code
/// is the proof, and the public key sent here checks every later request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollRequest {
    pub protocol: u32,
    /// The code as typed (case, spaces and dashes do not matter).
    pub code: String,
    /// The device's id: the one its change log already carries.
    pub device_id: Uuid,
    /// The device's Ed25519 public key, base64url without padding.
    pub public_key: String,
    /// The login of the operator enrolling the device: an administrator account of the
    /// code's office on the server, who is adopted by the device (the server's accounts are
    /// the only ones after enrollment).
    pub login: String,
}

/// The one-time code is a secret: it never reaches a log.
impl std::fmt::Debug for EnrollRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnrollRequest")
            .field("protocol", &self.protocol)
            .field("code", &"<redacted>")
            .field("device_id", &self.device_id)
            .field("public_key", &self.public_key)
            .field("login", &self.login)
            .finish()
    }
}

/// The answer to an enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub device_id: Uuid,
    /// The name the administrator gave the device.
    pub device_name: String,
    pub ambito: String,
    /// The office whose folders the device holds.
    pub office: String,
    /// The SHA-256 of the server's TLS certificate (lower-case hex), when it serves TLS: the
    /// device checks it against the certificate it was shown and pins it.
    #[serde(default)]
    pub certificate_sha256: Option<String>,
    /// The operator accounts of the office, as `GET /api/v1/operators` gives them.
    #[serde(default)]
    pub operators: Vec<OperatorAccount>,
    /// The Ambito's health key (lower-case hex; see [`crate::health_key`]): the enrolling
    /// administrator's device seals it for the holders allowed to read health content.
    #[serde(default)]
    pub health_key: Option<String>,
}

/// An operator account of the Ambito, managed on the server. A device gives each account of
/// its office a first access with the activation code (the operator then chooses a
/// passphrase for that device), applies role changes at the next unlock, and lets a
/// disabled account unlock no more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorAccount {
    pub id: Uuid,
    pub login: String,
    pub display_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: Role,
    pub disabled: bool,
    /// The lock of the one-time activation code, while the code is valid.
    pub activation: Option<Activation>,
}

/// What lets an operator open a device the first time, and until when: the lock of the
/// one-time activation code, never the code (see [`crate::activation`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activation {
    pub lock: ActivationLock,
    pub expires_ms: u64,
    /// For a role that may read health-restricted content: the Ambito's health key sealed to
    /// the lock by the server (associated data [`health_key_seal_context`]), so the first
    /// access brings it.
    #[serde(default)]
    pub health_key: Option<crate::activation::Sealed>,
}

/// The associated data of the health key sealed to an activation lock (by its public key).
pub fn health_key_seal_context(lock: &ActivationLock) -> String {
    format!("porta-health-key/activation/{}", data_encoding::HEXLOWER.encode(&lock.public_key))
}

/// The answer to `GET /api/v1/operators`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperatorsResponse {
    pub operators: Vec<OperatorAccount>,
}

/// A folder that came into the device's scope, or left it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeChange {
    pub folder_id: Uuid,
    /// True: shared with the office or moved to it. False: the device removes it.
    pub in_scope: bool,
}

/// The answer to `GET /api/v1/scope`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScopeResponse {
    /// The changes in the order they happened.
    pub changes: Vec<ScopeChange>,
    /// Where the next request starts.
    pub cursor: u64,
    /// Whether more changes are waiting.
    pub more: bool,
}

/// The most scope changes one answer carries.
pub const SCOPE_MAX_CHANGES: usize = 1_000;

/// The most audit lines one push may carry.
pub const AUDIT_PUSH_MAX_LINES: usize = 10_000;

/// One line of a device's audit log: who read or changed which folder, and when. No
/// personal data: ids, a section name, a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLine {
    /// Gapless per device, from 1.
    pub seq: u64,
    pub at_ms: u64,
    pub operator_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub action: AuditAction,
    pub folder_id: Uuid,
    pub section: String,
    pub health_restricted: bool,
}

impl AuditLine {
    /// Whether the line names its part of the folder as devices write it (`folder`,
    /// `history`, `merge`, an entity such as `note`): lowercase letters and underscores, 40
    /// at most. Anything else (terminal escapes, a paragraph) is not an audit line.
    pub fn is_well_formed(&self) -> bool {
        (1..=40).contains(&self.section.len()) && self.section.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
    }
}

/// `POST /api/v1/audit`: audit lines in sequence order. Lines already stored are skipped; a
/// push that does not continue the device's lines is refused (`sequence_gap`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPush {
    pub protocol: u32,
    pub lines: Vec<AuditLine>,
}

/// The answer to an audit push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPushResponse {
    /// Every line up to this number is stored on the server, or refused in `refused`.
    pub acknowledged: u64,
    /// Lines the server will not store (a folder of another office that this device never
    /// held: `out_of_scope`); they keep their place so that the lines after them are stored.
    #[serde(default)]
    pub refused: Vec<Rejection>,
}

/// The most progressive numbers one request may reserve.
pub const MAX_STP_ENI_BLOCK: u32 = 1_000;

/// The most STP or ENI numbers (of each kind) one device receives in [`STP_ENI_QUOTA_DAYS`]:
/// far more than a desk issues, far too few for one device to use up the ASL's series of ten
/// million.
pub const STP_ENI_DEVICE_QUOTA: u32 = 5_000;
/// The period of [`STP_ENI_DEVICE_QUOTA`], in days.
pub const STP_ENI_QUOTA_DAYS: u64 = 30;

/// `POST /api/v1/stp-eni-blocks`: reserve `count` progressive numbers of `kind` for this device.
///
/// STP and ENI codes carry a seven-digit progressive number that must never repeat within a
/// region and ASL, whichever device issued it. The server keeps one counter per series and
/// hands out blocks; a device issues from its blocks, offline too, and asks for more while
/// syncing when it runs low (argued in ARCHITECTURE.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StpEniBlockRequest {
    pub protocol: u32,
    pub kind: StpEniKind,
    /// 1 to [`MAX_STP_ENI_BLOCK`].
    pub count: u32,
}

/// A block of progressive numbers, `first..=last`, reserved for one device in the Ambito's
/// series (its region and ASL codes, set on the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StpEniBlock {
    pub kind: StpEniKind,
    /// The region's three digits.
    pub region: String,
    /// The ASL's three digits.
    pub asl: String,
    pub first: u32,
    pub last: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_travels_in_whole_chunks_but_the_last() {
        let size = 2 * SCAN_CHUNK_BYTES as u64 + 10;
        assert_eq!(scan_chunks(size), 3);
        assert!(scan_chunk_fits(size, 0, SCAN_CHUNK_BYTES) && scan_chunk_fits(size, 2, 10));
        assert!(!scan_chunk_fits(size, 2, SCAN_CHUNK_BYTES), "the last holds the rest");
        assert!(!scan_chunk_fits(size, 1, 10), "the others are whole");
        assert!(!scan_chunk_fits(size, 3, 10), "no chunk past the end");
        assert!(!scan_chunk_fits(0, 0, 0), "an empty scan has no chunk");
        assert!(scan_chunk_fits(SCAN_CHUNK_BYTES as u64, 0, SCAN_CHUNK_BYTES));
        assert!(!scan_chunk_fits(size, u32::MAX, 10), "a crafted index");
    }

    #[test]
    fn codes_never_show_in_debug_output() {
        let request = EnrollRequest {
            protocol: PROTOCOL_VERSION,
            code: "ZJW9-B11N-V7ZG".into(),
            device_id: Uuid::nil(),
            public_key: "chiave".into(),
            login: "admin".into(),
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("<redacted>") && !shown.contains("ZJW9"), "{shown}");
    }
}
