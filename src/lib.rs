//! Porta: the case folders of an Ambito's single point of access (PUA), kept offline-first.
//!
//! This crate is the device's side of Porta, below the desktop shell: the encrypted store and
//! its keys, settings and where data lives on disk, the sync client, and the documents
//! printed for a person. What it shares with the server (entries, protocol, folder sections,
//! rules, messages) is `porta-wire`. It knows nothing of Tauri and serves no HTTP.

// Lets test code shared with the other crates' tests name this crate as they do.
#[cfg(test)]
extern crate self as porta;

mod atomic_file;
pub mod attachment_preview;
pub mod data_dir;
pub mod demo;
pub mod documents;
pub mod exported_file;
pub mod keys;
pub mod owner_only;
pub mod session;
pub mod settings;
pub mod store;
pub mod sync;
pub mod updates;

// What travels, and the rules and messages it needs, come from `porta-wire`, which the
// server shares; the desktop shell and the benchmarks see them as parts of this library.
pub use porta_wire::{
    VERSION, activation, calendar, change, clock, enrollment_code, error, folder, health_key, hlc, i18n, ids, locale,
    names, rules, seeded,
};

pub use data_dir::DataDir;
pub use error::{ErrorCode, ErrorPayload, Explanation, UserFacingError};
pub use i18n::Localizer;
pub use locale::Locale;
pub use settings::Settings;
