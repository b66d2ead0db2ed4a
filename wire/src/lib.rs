//! What travels between Porta's devices and the Ambito's server, and what both sides need to
//! read it: the change-log entry and the sync protocol around it, request signing, the case
//! folder's sections with their validation, roles and audit actions, the Italian rules those
//! sections follow, and the operator's languages and messages that explain a refusal.
//!
//! Both `porta` (the desktop library) and `porta-server` depend on this crate; it holds no
//! storage, no HTTP and no user interface. Time and randomness come in through [`clock`] and
//! [`seeded`], so every rule can be tested at a fixed instant.

pub mod activation;
pub mod audit;
pub mod calendar;
pub mod certificate;
pub mod change;
pub mod civil;
pub mod clock;
pub mod enrollment_code;
pub mod error;
pub mod folder;
pub mod health_key;
pub mod hlc;
pub mod i18n;
pub mod ids;
pub mod locale;
pub mod names;
pub mod protocol;
pub mod role;
pub mod rules;
pub mod seeded;
pub mod signing;
pub mod snapshot;
pub mod update;

pub use error::{ErrorCode, ErrorPayload, Explanation, UserFacingError};
pub use i18n::Localizer;
pub use locale::Locale;

/// The version of Porta, shared by the library, the desktop app and the server.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the folder data that entries carry (`ChangeEntry::schema_version`): the
/// desktop store's schema version, which its migrations reach (checked when they compile).
pub const SCHEMA_VERSION: u32 = 19;
