//! The database key and how it is kept.
//!
//! A random 256-bit key encrypts the whole database (SQLCipher, raw key). It is never stored
//! as it is: the key file beside the database holds it wrapped with AES-256-GCM, once per
//! operator under a key derived from that operator's passphrase (Argon2id), and once under the
//! recovery key shown at setup (HKDF: the recovery key is already random). Changing a
//! passphrase rewraps one record; the database is never re-encrypted.
//!
//! The Ambito's health key ([`HealthKey`]) is sealed in the same records, only for holders
//! allowed to read health-restricted content: each wrap carries an X25519 public key derived
//! from its wrapping key, so a session holding the health key can give it to another holder
//! without their passphrase, and a mediator's passphrase never opens it.

mod database_key;
mod key_file;
mod passphrase;
mod recovery_key;

pub use database_key::DatabaseKey;
pub use key_file::{KdfParams, KeyFile, KeyFileError, KeyHolder, PASSPHRASE_KDF, UnlockAttempts, Unwrapped};
pub use passphrase::{Passphrase, PassphraseError};
pub use porta_wire::health_key::HealthKey;
pub use recovery_key::{RecoveryKey, RecoveryKeyError};
