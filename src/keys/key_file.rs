//! The key file beside the database: the database key, wrapped once per holder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::hkdf;
use ring::rand::SecureRandom;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use porta_wire::activation::{self, ActivationLock, Sealed, StaticSecret, derive_key};
pub use porta_wire::activation::{KdfParams, PASSPHRASE_KDF};
use porta_wire::health_key::HealthKey;
use porta_wire::protocol::Activation;

use super::{DatabaseKey, Passphrase, RecoveryKey};
use crate::error::Explanation;
use crate::{ErrorCode, UserFacingError};

/// The key file format this code writes; part of every wrap's associated data.
const FORMAT: u32 = 1;
const SALT_LEN: usize = 16;

/// Failed unlocks before only the recovery key opens the database.
pub const MAX_FAILED_ATTEMPTS: u32 = 10;

/// Who can unwrap a copy of the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyHolder {
    /// An operator of this device, with the login shown on the unlock screen.
    Operator { operator_id: Uuid, login: String },
    /// Whoever has the recovery sheet.
    Recovery,
    /// An operator of the Ambito who has not opened this device yet: the key is wrapped under
    /// the one-time activation code from the server, until the operator chooses a passphrase
    /// or the code expires.
    Activation { operator_id: Uuid, login: String, expires_ms: u64 },
}

impl KeyHolder {
    fn associated_data(&self) -> String {
        match self {
            KeyHolder::Operator { operator_id, .. } => format!("porta-key-wrap/{FORMAT}/operator/{operator_id}"),
            KeyHolder::Recovery => format!("porta-key-wrap/{FORMAT}/recovery"),
            KeyHolder::Activation { operator_id, expires_ms, .. } => {
                format!("porta-key-wrap/{FORMAT}/activation/{operator_id}/{expires_ms}")
            }
        }
    }

    /// What the health key sealed to this holder is bound to.
    fn health_context(&self, health_public: &[u8]) -> String {
        match self {
            KeyHolder::Activation { .. } => {
                let lock_public: [u8; 32] = health_public.try_into().unwrap_or_default();
                porta_wire::protocol::health_key_seal_context(&ActivationLock {
                    public_key: lock_public,
                    salt: Vec::new(),
                    kdf: PASSPHRASE_KDF,
                })
            }
            _ => format!("{}/health", self.associated_data()),
        }
    }

    fn operator_id(&self) -> Option<Uuid> {
        match self {
            KeyHolder::Operator { operator_id, .. } | KeyHolder::Activation { operator_id, .. } => Some(*operator_id),
            KeyHolder::Recovery => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeyWrap {
    holder: KeyHolder,
    /// Argon2id parameters for an operator's wrap; none for the recovery wrap (HKDF).
    kdf: Option<KdfParams>,
    #[serde(with = "hex_bytes")]
    salt: Vec<u8>,
    #[serde(with = "hex_bytes")]
    nonce: Vec<u8>,
    /// The wrapped key and its GCM tag.
    #[serde(with = "hex_bytes")]
    ciphertext: Vec<u8>,
    /// An activation's seal: the sealing device's one-time X25519 public key (its `salt` and
    /// `kdf` are the server's lock's).
    #[serde(default, with = "hex_bytes", skip_serializing_if = "Vec::is_empty")]
    ephemeral_public: Vec<u8>,
    /// The X25519 public key the health key is sealed to for this holder: derived from the
    /// wrapping key for an operator or the recovery key, the lock's for an activation. Any
    /// session holding the health key can give it to the holder, without their passphrase.
    #[serde(default, with = "hex_bytes", skip_serializing_if = "Vec::is_empty")]
    health_public: Vec<u8>,
    /// The Ambito's health key sealed to `health_public`, for holders allowed to read
    /// health-restricted content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    health_seal: Option<Sealed>,
}

/// What a holder's wrap opens: the database key, and the health key when the holder has it.
#[derive(Debug)]
pub struct Unwrapped {
    pub database: DatabaseKey,
    pub health: Option<HealthKey>,
}

/// Failed unlocks of one operator, kept across restarts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnlockAttempts {
    /// Failures since the last successful unlock.
    pub failed: u32,
    /// When the last one happened (ms since the epoch).
    pub last_failure_ms: u64,
}

impl UnlockAttempts {
    /// How long to wait after the last failure: none for the first three, then 1, 2, 4… s,
    /// at most a minute.
    pub fn delay_ms(&self) -> u64 {
        match self.failed {
            0..=2 => 0,
            failed => 1000u64.saturating_mul(1 << (failed - 3).min(6)).min(60_000),
        }
    }
}

/// The wrapped copies of the database key and the unlock attempts. Holds no secret in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    format: u32,
    wraps: Vec<KeyWrap>,
    #[serde(default)]
    attempts: BTreeMap<Uuid, UnlockAttempts>,
}

/// Why the key file could not give the database key.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// No operator with that login is enrolled on this device.
    #[error("no operator with this login on this device")]
    UnknownOperator,
    /// The passphrase does not unwrap the key.
    #[error("wrong passphrase")]
    WrongPassphrase { attempts_left: u32 },
    /// Too soon after the last failure.
    #[error("too soon after a failed attempt")]
    WaitBeforeRetrying { wait_ms: u64 },
    /// Too many failures: only the recovery key unlocks now.
    #[error("too many failed attempts")]
    RecoveryKeyRequired,
    /// The operator has not opened this device yet: first access with the activation code.
    #[error("first access on this device needs the activation code")]
    ActivationRequired,
    /// The activation code has expired: the administrator must issue another.
    #[error("activation code expired")]
    ActivationExpired,
    /// The recovery key does not unwrap the key.
    #[error("wrong recovery key")]
    WrongRecoveryKey,
    /// The file cannot be read or written.
    #[error("key file input/output")]
    Io { path: PathBuf, source: std::io::Error },
    /// The file is not a key file this version understands.
    #[error("the key file is damaged or from a newer version")]
    Damaged { path: PathBuf },
}

impl UserFacingError for KeyFileError {
    fn explain(&self) -> Explanation {
        match self {
            KeyFileError::UnknownOperator => Explanation::new(ErrorCode::UnknownOperator, "error-unknown-operator"),
            KeyFileError::WrongPassphrase { attempts_left } => {
                Explanation::new(ErrorCode::WrongPassphrase, "error-wrong-passphrase")
                    .with("attempts", attempts_left.to_string())
            }
            KeyFileError::WaitBeforeRetrying { wait_ms } => {
                Explanation::new(ErrorCode::UnlockDelayed, "error-unlock-delayed")
                    .with("seconds", wait_ms.div_ceil(1000).to_string())
            }
            KeyFileError::RecoveryKeyRequired => {
                Explanation::new(ErrorCode::RecoveryKeyRequired, "error-recovery-key-required")
            }
            KeyFileError::ActivationRequired => {
                Explanation::new(ErrorCode::ActivationRequired, "error-activation-required")
            }
            KeyFileError::ActivationExpired => {
                Explanation::new(ErrorCode::ActivationExpired, "error-activation-expired")
            }
            KeyFileError::WrongRecoveryKey => Explanation::new(ErrorCode::WrongRecoveryKey, "error-wrong-recovery-key"),
            KeyFileError::Io { path, .. } | KeyFileError::Damaged { path } => {
                Explanation::new(ErrorCode::KeyFileUnusable, "error-key-file-unusable")
                    .with("path", path.display().to_string())
            }
        }
    }
}

impl Default for KeyFile {
    fn default() -> Self {
        Self { format: FORMAT, wraps: Vec::new(), attempts: BTreeMap::new() }
    }
}

impl KeyFile {
    /// Reads the key file at `path`.
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let bytes = std::fs::read(path).map_err(|source| KeyFileError::Io { path: path.to_owned(), source })?;
        let file: KeyFile =
            serde_json::from_slice(&bytes).map_err(|_| KeyFileError::Damaged { path: path.to_owned() })?;
        let bounded = file.wraps.iter().all(|wrap| wrap.kdf.is_none_or(|kdf| kdf.is_within_bounds()));
        if file.format != FORMAT || !bounded {
            return Err(KeyFileError::Damaged { path: path.to_owned() });
        }
        Ok(file)
    }

    /// Writes the key file to `path`, atomically.
    pub fn save(&self, path: &Path) -> Result<(), KeyFileError> {
        let json = serde_json::to_vec_pretty(self).expect("a key file always serialises");
        crate::atomic_file::write(path, &json).map_err(|source| KeyFileError::Io { path: path.to_owned(), source })
    }

    /// The logins of the operators who can unlock this device, for the unlock screen.
    pub fn operator_logins(&self) -> Vec<(Uuid, String)> {
        self.wraps
            .iter()
            .filter_map(|wrap| match &wrap.holder {
                KeyHolder::Operator { operator_id, login } => Some((*operator_id, login.clone())),
                _ => None,
            })
            .collect()
    }

    /// The logins of the operators who may open this device for the first time with their
    /// activation code at `now_ms`.
    pub fn activation_logins(&self, now_ms: u64) -> Vec<(Uuid, String)> {
        self.wraps
            .iter()
            .filter_map(|wrap| match &wrap.holder {
                KeyHolder::Activation { operator_id, login, expires_ms } if *expires_ms > now_ms => {
                    Some((*operator_id, login.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// Until when `operator_id`'s activation on this device is valid, if there is one.
    pub fn activation_expiry(&self, operator_id: Uuid) -> Option<u64> {
        self.wraps.iter().find_map(|wrap| match &wrap.holder {
            KeyHolder::Activation { operator_id: id, expires_ms, .. } if *id == operator_id => Some(*expires_ms),
            _ => None,
        })
    }

    /// Whether `operator_id` has chosen a passphrase on this device.
    pub fn has_passphrase(&self, operator_id: Uuid) -> bool {
        self.wraps
            .iter()
            .any(|wrap| matches!(&wrap.holder, KeyHolder::Operator { operator_id: id, .. } if *id == operator_id))
    }

    /// Seals `key` for an operator's activation code, to the lock the server sent; replaces
    /// an earlier activation of theirs and clears their failed attempts (a new code, a new
    /// start). Nothing when the operator already has a passphrase here, or when the lock is
    /// unusable (a crafted one: nobody could open what is sealed to it).
    pub fn wrap_for_activation(
        &mut self,
        operator_id: Uuid,
        login: &str,
        activation: &Activation,
        key: &DatabaseKey,
        random: &dyn SecureRandom,
    ) -> Result<(), activation::SealError> {
        if self.has_passphrase(operator_id) {
            return Ok(());
        }
        let Activation { lock, expires_ms, health_key: health_seal } = activation;
        let expires_ms = *expires_ms;
        let holder = KeyHolder::Activation { operator_id, login: login.to_owned(), expires_ms };
        let sealed = lock.seal(key.bytes(), holder.associated_data().as_bytes(), random)?;
        self.replace_wrap(KeyWrap {
            holder,
            kdf: Some(lock.kdf),
            salt: lock.salt.clone(),
            nonce: sealed.nonce.to_vec(),
            ciphertext: sealed.ciphertext,
            ephemeral_public: sealed.ephemeral_public.to_vec(),
            health_public: lock.public_key.to_vec(),
            health_seal: health_seal.clone(),
        });
        self.attempts.remove(&operator_id);
        Ok(())
    }

    /// Whether `operator_id`'s activation here was sealed to the lock with `salt` (each new
    /// code has a new salt).
    pub fn activation_matches(&self, operator_id: Uuid, salt: &[u8]) -> bool {
        self.wraps.iter().any(|wrap| {
            matches!(&wrap.holder, KeyHolder::Activation { operator_id: id, .. } if *id == operator_id)
                && wrap.salt == salt
        })
    }

    /// Forgets every wrap of `operator_id`: a disabled operator opens this device no more.
    pub fn remove_operator(&mut self, operator_id: Uuid) {
        self.wraps.retain(|wrap| wrap.holder.operator_id() != Some(operator_id));
        self.attempts.remove(&operator_id);
    }

    /// Forgets activations that expired before `now_ms`.
    pub fn forget_expired_activations(&mut self, now_ms: u64) {
        self.wraps
            .retain(|wrap| !matches!(wrap.holder, KeyHolder::Activation { expires_ms, .. } if expires_ms <= now_ms));
    }

    /// Unwraps the database key with an operator's activation code at `now_ms` (failures are
    /// counted as for a passphrase). The caller then wraps it under the passphrase the
    /// operator chose, which replaces the activation.
    pub fn unlock_with_activation(
        &mut self,
        login: &str,
        code: &str,
        now_ms: u64,
    ) -> Result<(Uuid, Unwrapped), KeyFileError> {
        let index = self
            .wraps
            .iter()
            .position(|wrap| matches!(&wrap.holder, KeyHolder::Activation { login: l, .. } if l == login))
            .ok_or(KeyFileError::UnknownOperator)?;
        let KeyHolder::Activation { expires_ms, .. } = self.wraps[index].holder else { unreachable!("matched above") };
        if expires_ms <= now_ms {
            return Err(KeyFileError::ActivationExpired);
        }
        self.try_wrap(index, now_ms, |wrap| {
            let sealed = Sealed {
                ephemeral_public: wrap.ephemeral_public.as_slice().try_into().ok()?,
                nonce: wrap.nonce.as_slice().try_into().ok()?,
                ciphertext: wrap.ciphertext.clone(),
            };
            let kdf = wrap.kdf.filter(KdfParams::is_within_bounds)?;
            let secret = activation::code_secret(code, &wrap.salt, kdf);
            let opened = activation::open_with(&secret, &sealed, wrap.holder.associated_data().as_bytes())?;
            let bytes: [u8; 32] = opened.as_slice().try_into().ok()?;
            Some(Unwrapped {
                database: DatabaseKey::from_bytes(Zeroizing::new(bytes)),
                health: open_health(wrap, &secret),
            })
        })
    }

    /// Wraps `key` for an operator, replacing that operator's previous wrap (a new passphrase).
    pub fn wrap_for_operator(
        &mut self,
        operator_id: Uuid,
        login: &str,
        passphrase: &Passphrase,
        key: &DatabaseKey,
        health: Option<&HealthKey>,
        random: &dyn SecureRandom,
    ) {
        let holder = KeyHolder::Operator { operator_id, login: login.to_owned() };
        let salt = random_bytes(random, SALT_LEN);
        let wrapping_key = derive_key(passphrase.as_bytes(), &salt, PASSPHRASE_KDF);
        let wrap = seal(holder, Some(PASSPHRASE_KDF), salt, &wrapping_key, key, health, random);
        self.replace_wrap(wrap);
        self.attempts.remove(&operator_id);
    }

    /// Wraps `key` under the recovery key, replacing the previous recovery wrap.
    pub fn wrap_for_recovery(
        &mut self,
        recovery: &RecoveryKey,
        key: &DatabaseKey,
        health: Option<&HealthKey>,
        random: &dyn SecureRandom,
    ) {
        let salt = random_bytes(random, SALT_LEN);
        let wrapping_key = recovery_wrapping_key(recovery, &salt);
        let wrap = seal(KeyHolder::Recovery, None, salt, &wrapping_key, key, health, random);
        self.replace_wrap(wrap);
    }

    /// Unwraps the database key with an operator's passphrase at time `now_ms`.
    ///
    /// Failures are counted in the file (save it afterwards, whatever the outcome): after a few
    /// the operator must wait longer and longer, after [`MAX_FAILED_ATTEMPTS`] only the
    /// recovery key unlocks.
    pub fn unlock_with_passphrase(
        &mut self,
        login: &str,
        passphrase: &str,
        now_ms: u64,
    ) -> Result<(Uuid, Unwrapped), KeyFileError> {
        let Some(index) = self
            .wraps
            .iter()
            .position(|wrap| matches!(&wrap.holder, KeyHolder::Operator { login: l, .. } if l == login))
        else {
            let activating = self.activation_logins(now_ms).iter().any(|(_, known)| known == login);
            return Err(if activating { KeyFileError::ActivationRequired } else { KeyFileError::UnknownOperator });
        };
        self.try_wrap(index, now_ms, |wrap| {
            let wrapping_key = derive_key(passphrase.as_bytes(), &wrap.salt, wrap.kdf.unwrap_or(PASSPHRASE_KDF));
            open(wrap, &wrapping_key)
        })
    }

    /// Tries to open the wrap at `index` with `opening`, counting failures and delays per
    /// operator.
    fn try_wrap(
        &mut self,
        index: usize,
        now_ms: u64,
        opening: impl FnOnce(&KeyWrap) -> Option<Unwrapped>,
    ) -> Result<(Uuid, Unwrapped), KeyFileError> {
        let wrap = &self.wraps[index];
        let operator_id = wrap.holder.operator_id().expect("operators' wraps only");
        let attempts = self.attempts.get(&operator_id).copied().unwrap_or_default();
        if attempts.failed >= MAX_FAILED_ATTEMPTS {
            return Err(KeyFileError::RecoveryKeyRequired);
        }
        let ready_at = attempts.last_failure_ms.saturating_add(attempts.delay_ms());
        if attempts.failed > 0 && now_ms < ready_at {
            return Err(KeyFileError::WaitBeforeRetrying { wait_ms: ready_at - now_ms });
        }
        match opening(wrap) {
            Some(key) => {
                self.attempts.remove(&operator_id);
                Ok((operator_id, key))
            }
            None => {
                let failed = attempts.failed + 1;
                self.attempts.insert(operator_id, UnlockAttempts { failed, last_failure_ms: now_ms });
                if failed >= MAX_FAILED_ATTEMPTS {
                    Err(KeyFileError::RecoveryKeyRequired)
                } else {
                    Err(KeyFileError::WrongPassphrase { attempts_left: MAX_FAILED_ATTEMPTS - failed })
                }
            }
        }
    }

    /// Unwraps the database key with the recovery key.
    pub fn unlock_with_recovery(&self, recovery: &RecoveryKey) -> Result<Unwrapped, KeyFileError> {
        let wrap =
            self.wraps.iter().find(|wrap| wrap.holder == KeyHolder::Recovery).ok_or(KeyFileError::WrongRecoveryKey)?;
        let wrapping_key = recovery_wrapping_key(recovery, &wrap.salt);
        open(wrap, &wrapping_key).ok_or(KeyFileError::WrongRecoveryKey)
    }

    /// The failed attempts recorded for `operator_id`.
    pub fn attempts(&self, operator_id: Uuid) -> UnlockAttempts {
        self.attempts.get(&operator_id).copied().unwrap_or_default()
    }

    /// Seals the health key to every holder for whom `allowed` says yes (the operators whose
    /// role may read health content, and the recovery key): on enrollment, when the Ambito's
    /// key replaces this device's own, and when a role changes.
    pub fn give_health_key(
        &mut self,
        health: &HealthKey,
        allowed: impl Fn(&KeyHolder) -> bool,
        random: &dyn SecureRandom,
    ) {
        for wrap in self.wraps.iter_mut().filter(|wrap| allowed(&wrap.holder)) {
            let Ok(public) = <[u8; 32]>::try_from(wrap.health_public.as_slice()) else { continue };
            let context = wrap.holder.health_context(&wrap.health_public);
            // A public key nobody could use (a crafted one) gets nothing.
            wrap.health_seal = activation::seal_to(&public, health.bytes(), context.as_bytes(), random).ok();
        }
    }

    /// Forgets the health key sealed to `operator_id` (a role that may not read health
    /// content any more).
    pub fn take_health_key(&mut self, operator_id: Uuid) {
        for wrap in self.wraps.iter_mut().filter(|wrap| wrap.holder.operator_id() == Some(operator_id)) {
            wrap.health_seal = None;
        }
    }

    /// Whether the health key is sealed to `operator_id` here.
    pub fn holds_health_key(&self, operator_id: Uuid) -> bool {
        self.wraps.iter().any(|wrap| wrap.holder.operator_id() == Some(operator_id) && wrap.health_seal.is_some())
    }

    fn replace_wrap(&mut self, wrap: KeyWrap) {
        // An operator has one wrap: a passphrase replaces the activation, and a new
        // activation an older one.
        let same_holder = |existing: &KeyWrap| match (existing.holder.operator_id(), wrap.holder.operator_id()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => true,
            _ => false,
        };
        self.wraps.retain(|existing| !same_holder(existing));
        self.wraps.push(wrap);
    }
}

fn random_bytes(random: &dyn SecureRandom, len: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; len];
    random.fill(&mut bytes).expect("the system random source works");
    bytes
}

fn recovery_wrapping_key(recovery: &RecoveryKey, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(recovery.secret())
        .expand(&[b"porta recovery key wrap"], &AES_256_GCM)
        .and_then(|okm| okm.fill(key.as_mut()))
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

/// The X25519 key pair a holder's health key is sealed to, from its wrapping key.
fn holder_pair(wrapping_key: &[u8; 32]) -> (StaticSecret, [u8; 32]) {
    let mut secret = Zeroizing::new([0u8; 32]);
    hkdf::Salt::new(hkdf::HKDF_SHA256, b"porta key holder")
        .extract(wrapping_key)
        .expand(&[b"porta health key holder"], &AES_256_GCM)
        .and_then(|okm| okm.fill(secret.as_mut()))
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    activation::key_pair(&secret)
}

/// The health key sealed in `wrap`, opened with the holder's private key.
fn open_health(wrap: &KeyWrap, secret: &StaticSecret) -> Option<HealthKey> {
    let sealed = wrap.health_seal.as_ref()?;
    let opened = activation::open_with(secret, sealed, wrap.holder.health_context(&wrap.health_public).as_bytes())?;
    HealthKey::from_bytes(&opened)
}

fn seal(
    holder: KeyHolder,
    kdf: Option<KdfParams>,
    salt: Vec<u8>,
    wrapping_key: &[u8; 32],
    key: &DatabaseKey,
    health: Option<&HealthKey>,
    random: &dyn SecureRandom,
) -> KeyWrap {
    let sealing = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, wrapping_key).expect("a 32-byte AES key"));
    let nonce = random_bytes(random, NONCE_LEN);
    let mut ciphertext = key.bytes().to_vec();
    sealing
        .seal_in_place_append_tag(
            Nonce::try_assume_unique_for_key(&nonce).expect("a 12-byte nonce"),
            Aad::from(holder.associated_data().as_bytes()),
            &mut ciphertext,
        )
        .expect("sealing 32 bytes cannot fail");
    let (_, public) = holder_pair(wrapping_key);
    let mut wrap = KeyWrap {
        holder,
        kdf,
        salt,
        nonce,
        ciphertext,
        ephemeral_public: Vec::new(),
        health_public: public.to_vec(),
        health_seal: None,
    };
    if let Some(health) = health {
        let context = wrap.holder.health_context(&wrap.health_public);
        wrap.health_seal = activation::seal_to(&public, health.bytes(), context.as_bytes(), random).ok();
    }
    wrap
}

fn open(wrap: &KeyWrap, wrapping_key: &[u8; 32]) -> Option<Unwrapped> {
    let opening = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, wrapping_key).ok()?);
    let nonce = Nonce::try_assume_unique_for_key(&wrap.nonce).ok()?;
    let mut in_out = Zeroizing::new(wrap.ciphertext.clone());
    let plain = opening.open_in_place(nonce, Aad::from(wrap.holder.associated_data().as_bytes()), &mut in_out).ok()?;
    let bytes: [u8; 32] = plain.try_into().ok()?;
    let (secret, _) = holder_pair(wrapping_key);
    Some(Unwrapped { database: DatabaseKey::from_bytes(Zeroizing::new(bytes)), health: open_health(wrap, &secret) })
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&data_encoding::HEXLOWER.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        data_encoding::HEXLOWER.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;

    fn setup() -> (KeyFile, DatabaseKey, Uuid, RecoveryKey) {
        let random = SystemRandom::new();
        let key = DatabaseKey::generate(&random);
        let operator = Uuid::now_v7();
        let recovery = RecoveryKey::generate(&random);
        let mut file = KeyFile::default();
        file.wrap_for_operator(
            operator,
            "amministratore",
            &Passphrase::new("una frase lunga e rara").unwrap(),
            &key,
            None,
            &random,
        );
        file.wrap_for_recovery(&recovery, &key, None, &random);
        (file, key, operator, recovery)
    }

    #[test]
    fn the_right_passphrase_unwraps_the_same_key() {
        let (mut file, key, operator, _) = setup();
        let (who, unwrapped) = file.unlock_with_passphrase("amministratore", "una frase lunga e rara", 0).unwrap();
        assert_eq!(who, operator);
        assert_eq!(unwrapped.database.bytes(), key.bytes());
    }

    #[test]
    fn the_recovery_key_unwraps_the_same_key_and_another_does_not() {
        let (file, key, _, recovery) = setup();
        assert_eq!(file.unlock_with_recovery(&recovery).unwrap().database.bytes(), key.bytes());
        let other = RecoveryKey::generate(&SystemRandom::new());
        assert!(matches!(file.unlock_with_recovery(&other), Err(KeyFileError::WrongRecoveryKey)));
    }

    #[test]
    fn failures_are_counted_then_delayed_then_locked_out() {
        let (mut file, _, operator, _) = setup();
        let mut now = 1_000_000;
        for expected_left in (1..MAX_FAILED_ATTEMPTS).rev() {
            let delay = file.attempts(operator).delay_ms();
            if delay > 0 {
                let early = file.unlock_with_passphrase("amministratore", "sbagliata!!!", now).unwrap_err();
                assert!(matches!(early, KeyFileError::WaitBeforeRetrying { wait_ms } if wait_ms == delay));
                now += delay;
            }
            let error = file.unlock_with_passphrase("amministratore", "sbagliata!!!", now).unwrap_err();
            assert!(
                matches!(error, KeyFileError::WrongPassphrase { attempts_left } if attempts_left == expected_left),
                "{error:?}"
            );
        }
        now += 60_000;
        assert!(matches!(
            file.unlock_with_passphrase("amministratore", "sbagliata!!!", now),
            Err(KeyFileError::RecoveryKeyRequired)
        ));
        // Even the right passphrase is refused now.
        assert!(matches!(
            file.unlock_with_passphrase("amministratore", "una frase lunga e rara", now + 3_600_000),
            Err(KeyFileError::RecoveryKeyRequired)
        ));
    }

    #[test]
    fn a_new_passphrase_replaces_the_old_wrap_and_clears_the_failures() {
        let (mut file, key, operator, _) = setup();
        let _ = file.unlock_with_passphrase("amministratore", "sbagliata!!!", 0);
        file.wrap_for_operator(
            operator,
            "amministratore",
            &Passphrase::new("un'altra frase lunga").unwrap(),
            &key,
            None,
            &SystemRandom::new(),
        );
        assert_eq!(file.attempts(operator), UnlockAttempts::default());
        assert_eq!(file.operator_logins(), vec![(operator, "amministratore".to_owned())]);
        assert!(file.unlock_with_passphrase("amministratore", "una frase lunga e rara", 0).is_err());
        assert!(file.unlock_with_passphrase("amministratore", "un'altra frase lunga", 0).is_ok());
    }

    #[test]
    fn a_wrap_moved_to_another_operator_does_not_open() {
        let (mut file, _, _, _) = setup();
        // Binding by associated data: copying a wrap under another operator id breaks it.
        let mut moved = file.wraps[0].clone();
        moved.holder = KeyHolder::Operator { operator_id: Uuid::now_v7(), login: "intruso".into() };
        file.wraps.push(moved);
        assert!(matches!(
            file.unlock_with_passphrase("intruso", "una frase lunga e rara", 0),
            Err(KeyFileError::WrongPassphrase { .. })
        ));
    }

    #[test]
    fn the_file_round_trips_and_holds_no_key_in_clear() {
        let (file, key, _, _) = setup();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("porta.keys");
        file.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&data_encoding::HEXLOWER.encode(key.bytes())));
        let mut loaded = KeyFile::load(&path).unwrap();
        assert!(loaded.unlock_with_passphrase("amministratore", "una frase lunga e rara", 0).is_ok());
    }

    #[test]
    fn argon2_parameters_out_of_bounds_are_refused_before_use() {
        let (file, _, _, _) = setup();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("porta.keys");
        for crafted in [
            KdfParams { memory_kib: u32::MAX, ..PASSPHRASE_KDF },
            KdfParams { iterations: 1_000_000, ..PASSPHRASE_KDF },
            KdfParams { parallelism: 0, ..PASSPHRASE_KDF },
            KdfParams { memory_kib: 1, ..PASSPHRASE_KDF },
        ] {
            let mut changed = file.clone();
            changed.wraps[0].kdf = Some(crafted);
            changed.save(&path).unwrap();
            assert!(matches!(KeyFile::load(&path).unwrap_err(), KeyFileError::Damaged { .. }), "{crafted:?}");
        }
        assert!(PASSPHRASE_KDF.is_within_bounds());
    }

    #[test]
    fn a_damaged_file_is_reported_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("porta.keys");
        std::fs::write(&path, b"{ not json").unwrap();
        let error = KeyFile::load(&path).unwrap_err();
        assert!(matches!(error, KeyFileError::Damaged { .. }));
        assert_eq!(error.code(), ErrorCode::KeyFileUnusable);
    }

    #[test]
    fn the_health_key_opens_only_for_the_holders_it_was_given_to() {
        let random = SystemRandom::new();
        let (mut file, _, admin, recovery) = setup();
        let health = HealthKey::generate(&random);
        let mediator = Uuid::now_v7();
        let key = file.unlock_with_recovery(&recovery).unwrap().database;
        file.wrap_for_operator(
            mediator,
            "mediatrice",
            &Passphrase::new("frase della mediatrice").unwrap(),
            &key,
            None,
            &random,
        );
        // Given without anyone's passphrase: the session that holds it seals it to their public keys.
        file.give_health_key(
            &health,
            |holder| !matches!(holder, KeyHolder::Operator { login, .. } if login == "mediatrice"),
            &random,
        );
        let (_, opened) = file.unlock_with_passphrase("amministratore", "una frase lunga e rara", 0).unwrap();
        assert_eq!(opened.health.as_ref(), Some(&health));
        assert_eq!(file.unlock_with_recovery(&recovery).unwrap().health.as_ref(), Some(&health));
        let (_, opened) = file.unlock_with_passphrase("mediatrice", "frase della mediatrice", 0).unwrap();
        assert!(opened.health.is_none(), "a mediator's passphrase opens the database, not the health key");
        assert!(file.holds_health_key(admin) && !file.holds_health_key(mediator));
        // A seal moved to the mediator's wrap does not open with her passphrase.
        let stolen =
            file.wraps.iter().find(|wrap| wrap.holder.operator_id() == Some(admin)).unwrap().health_seal.clone();
        file.wraps.iter_mut().find(|wrap| wrap.holder.operator_id() == Some(mediator)).unwrap().health_seal = stolen;
        let (_, opened) = file.unlock_with_passphrase("mediatrice", "frase della mediatrice", 0).unwrap();
        assert!(opened.health.is_none());
        file.take_health_key(admin);
        let (_, opened) = file.unlock_with_passphrase("amministratore", "una frase lunga e rara", 0).unwrap();
        assert!(opened.health.is_none());
        let text = serde_json::to_string(&file).unwrap();
        assert!(!text.contains(&data_encoding::HEXLOWER.encode(health.bytes())));
    }

    #[test]
    fn an_activation_brings_the_health_key_the_server_sealed_to_its_lock() {
        let random = SystemRandom::new();
        let (mut file, key, _, _) = setup();
        let health = HealthKey::generate(&random);
        const TEST_KDF: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 1, parallelism: 1 };
        let lock = ActivationLock::for_code("ABCD-EFGH-JKLM-NPQR", TEST_KDF, &random).unwrap();
        let context = porta_wire::protocol::health_key_seal_context(&lock);
        let seal = lock.seal(health.bytes(), context.as_bytes(), &random).unwrap();
        let nurse = Uuid::now_v7();
        let activation = Activation { lock, expires_ms: u64::MAX, health_key: Some(seal) };
        file.wrap_for_activation(nurse, "infermiera", &activation, &key, &random).unwrap();
        let (who, opened) = file.unlock_with_activation("infermiera", "ABCD-EFGH-JKLM-NPQR", 0).unwrap();
        assert_eq!(who, nurse);
        assert_eq!(opened.database.bytes(), key.bytes());
        assert_eq!(opened.health.as_ref(), Some(&health));
    }
}
