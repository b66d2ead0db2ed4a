//! Porta: the case folders of an Ambito's single point of access (PUA), kept offline-first.
//!
//! This crate holds everything that is neither the desktop shell nor the HTTP server: the
//! operator's languages and messages, settings, where data lives on disk, and the encrypted
//! store. It knows nothing of Tauri and serves no HTTP.

// Lets test code shared with the other crates' tests name this crate as they do.
#[cfg(test)]
extern crate self as porta;

mod atomic_file;
pub mod clock;
pub mod data_dir;
pub mod demo;
pub mod documents;
pub mod error;
pub mod folder;
pub mod hlc;
pub mod i18n;
pub mod ids;
pub mod keys;
pub mod locale;
pub mod names;
pub mod rules;
pub mod seeded;
pub mod session;
pub mod settings;
pub mod store;
pub mod sync;

pub use data_dir::DataDir;
pub use error::{ErrorCode, ErrorPayload, UserFacingError};
pub use i18n::Localizer;
pub use locale::Locale;
pub use settings::Settings;

/// The version of Porta, shared by the library, the desktop app and the server.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
