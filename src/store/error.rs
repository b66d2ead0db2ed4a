//! Why the store refuses or fails, and what each reason means for a person.

use porta_wire::error::{Explanation, MessageArg};

use super::MigrationError;
use crate::folder::Invalid;
use crate::folder::attachment::AttachmentRefused;
use crate::keys::KeyFileError;
use crate::rules::eligibility::StpEniRefusal;
use crate::{ErrorCode, UserFacingError};

/// Why the store could not be set up, opened or changed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// First run was asked for, but a database or key file is already there.
    #[error("this device is already set up")]
    AlreadySetUp,
    /// Unlock was asked for, but there is no database yet.
    #[error("this device is not set up")]
    NotSetUp,
    /// The key file refused (wrong passphrase, lockout, damage…).
    #[error(transparent)]
    Key(#[from] KeyFileError),
    /// The operator has no permission for this.
    #[error("operation not permitted for this role")]
    NotPermitted,
    /// The device is enrolled: its accounts are the server's, managed there.
    #[error("accounts are managed on the server")]
    AccountsOnServer,
    /// Health-restricted content is sealed under the Ambito's health key, and this session
    /// does not hold it (a role that gained the right on the server after its first access
    /// here: a new activation code brings it).
    #[error("the health key is not on this device for this operator")]
    HealthKeyMissing,
    /// A scan's bytes did not match its SHA-256 (or a chunk its place): fetched again.
    #[error("the scan arrived damaged")]
    ScanDamaged,
    /// The attachment's scan has not arrived on this device yet.
    #[error("the scan is not on this device yet")]
    ScanNotHereYet,
    /// A required value is empty; `field` is the Fluent id of its label.
    #[error("missing {field}")]
    MissingValue { field: &'static str },
    /// Another operator of this device already has this login.
    #[error("login already in use")]
    LoginTaken,
    /// A value typed into a folder is not valid.
    #[error(transparent)]
    Invalid(Invalid),
    /// No such folder or row (or it was deleted).
    #[error("not found")]
    NotFound,
    /// Another folder already has this codice fiscale.
    #[error("codice fiscale already in another folder")]
    DuplicateCodiceFiscale,
    /// A resolution that does not fit the conflict (keeping a value of a deletion conflict,
    /// or restoring a field conflict).
    #[error("this resolution does not fit this conflict")]
    WrongResolution,
    /// A folder cannot be merged into itself (or into a folder already merged into it).
    #[error("the same folder twice")]
    SameFolder,
    /// The folder to merge is already merged into another one.
    #[error("folder already merged")]
    AlreadyMerged,
    /// Undoing a merge of a folder that is not merged.
    #[error("folder not merged")]
    NotMerged,
    /// Entries stamped too far ahead of this device's clock (one of the two clocks is wrong).
    #[error(transparent)]
    ClockDrift(crate::hlc::ClockDrift),
    /// A file that cannot be attached.
    #[error(transparent)]
    Attachment(AttachmentRefused),
    /// The person may not get this STP or ENI code now, and why.
    #[error(transparent)]
    StpEniRefused(crate::rules::eligibility::StpEniRefusal),
    /// This device has no reserved STP or ENI number left.
    #[error("no {kind:?} numbers left on this device")]
    NoStpEniNumbers { kind: crate::rules::stp_eni::StpEniKind },
    /// The server sent a block of numbers that cannot be right.
    #[error("malformed block of STP/ENI numbers")]
    MalformedStpEniBlock,
    /// A person-facing document that cannot be printed.
    #[error(transparent)]
    Document(crate::documents::DocumentError),
    /// Another Porta has the data folder open, or its lock file cannot be made.
    #[error(transparent)]
    DataDir(#[from] crate::data_dir::DataDirError),
    /// The database could not be opened, migrated or written.
    #[error("database")]
    Database(#[source] DatabaseFailure),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(DatabaseFailure::Sqlite(error))
    }
}

impl From<MigrationError> for StoreError {
    fn from(error: MigrationError) -> Self {
        StoreError::Database(DatabaseFailure::Migration(error))
    }
}

/// The underlying database failure, kept for logs (it never contains personal data).
#[derive(Debug, thiserror::Error)]
pub enum DatabaseFailure {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Migration(#[from] MigrationError),
    /// A file beside the database (the demo's mark) could not be written.
    #[error(transparent)]
    File(#[from] std::io::Error),
}

impl UserFacingError for StoreError {
    fn explain(&self) -> Explanation {
        let (code, message_id) = match self {
            StoreError::AlreadySetUp => (ErrorCode::AlreadySetUp, "error-already-set-up"),
            StoreError::NotSetUp => (ErrorCode::NotSetUp, "error-not-set-up"),
            StoreError::Key(error) => return error.explain(),
            StoreError::DataDir(error) => return error.explain(),
            StoreError::NotPermitted => (ErrorCode::NotPermitted, "error-not-permitted"),
            StoreError::AccountsOnServer => (ErrorCode::NotPermitted, "error-accounts-on-server"),
            StoreError::HealthKeyMissing => (ErrorCode::NotPermitted, "error-health-key-missing"),
            StoreError::ScanDamaged => (ErrorCode::ScanDamaged, "error-scan-damaged"),
            StoreError::ScanNotHereYet => (ErrorCode::NotFound, "error-scan-not-here-yet"),
            StoreError::MissingValue { field } => {
                return Explanation::new(ErrorCode::InvalidInput, "error-missing-value")
                    .with("field", MessageArg::Message(field));
            }
            StoreError::LoginTaken => (ErrorCode::InvalidInput, "error-login-taken"),
            StoreError::Invalid(invalid) => {
                return Explanation::new(ErrorCode::InvalidInput, invalid.problem.message_id())
                    .with("field", MessageArg::Message(invalid.field));
            }
            StoreError::NotFound => (ErrorCode::NotFound, "error-folder-not-found"),
            StoreError::DuplicateCodiceFiscale => (ErrorCode::DuplicateCodiceFiscale, "error-duplicate-codice-fiscale"),
            StoreError::WrongResolution => (ErrorCode::InvalidInput, "error-wrong-resolution"),
            StoreError::SameFolder => (ErrorCode::MergeRefused, "error-merge-same-folder"),
            StoreError::AlreadyMerged => (ErrorCode::MergeRefused, "error-merge-already-merged"),
            StoreError::NotMerged => (ErrorCode::MergeRefused, "error-merge-not-merged"),
            StoreError::ClockDrift(drift) => {
                return Explanation::new(ErrorCode::ClockDrift, "error-clock-drift")
                    .with("minutes", (drift.ahead_ms / 60_000).to_string());
            }
            StoreError::Attachment(AttachmentRefused::Empty) => {
                (ErrorCode::AttachmentRefused, "error-attachment-empty")
            }
            StoreError::Attachment(AttachmentRefused::TooLarge { limit_bytes }) => {
                return Explanation::new(ErrorCode::AttachmentRefused, "error-attachment-too-large")
                    .with("megabytes", (limit_bytes / 1_000_000).to_string());
            }
            StoreError::Attachment(AttachmentRefused::UnsupportedType) => {
                (ErrorCode::AttachmentRefused, "error-attachment-type")
            }
            StoreError::Document(error) => return error.explain(),
            StoreError::StpEniRefused(refusal) => match refusal {
                StpEniRefusal::HoldsResidencePermit => (ErrorCode::StpEniRefused, "error-stp-permit-holder"),
                StpEniRefusal::EuCitizen => (ErrorCode::StpEniRefused, "error-stp-eu-citizen"),
                StpEniRefusal::WithinVisa { until } => {
                    return Explanation::new(ErrorCode::StpEniRefused, "error-stp-within-visa")
                        .with("until", until.format("%d/%m/%Y").to_string());
                }
                StpEniRefusal::NotEuCitizen => (ErrorCode::StpEniRefused, "error-eni-not-eu-citizen"),
                StpEniRefusal::StillValid { until } => {
                    return Explanation::new(ErrorCode::StpEniRefused, "error-stp-eni-still-valid")
                        .with("until", until.format("%d/%m/%Y").to_string());
                }
            },
            StoreError::NoStpEniNumbers { kind } => {
                return Explanation::new(ErrorCode::NoStpEniNumbers, "error-no-stp-eni-numbers")
                    .with("kind", kind.prefix().to_owned());
            }
            StoreError::MalformedStpEniBlock => (ErrorCode::UnexpectedAnswer, "error-unexpected-answer"),
            StoreError::Database(DatabaseFailure::Sqlite(rusqlite::Error::SqliteFailure(failure, _)))
                if failure.code == rusqlite::ErrorCode::DiskFull =>
            {
                (ErrorCode::DiskFull, "error-disk-full")
            }
            StoreError::Database(_) => (ErrorCode::DatabaseUnusable, "error-database-unusable"),
        };
        Explanation::new(code, message_id)
    }
}
