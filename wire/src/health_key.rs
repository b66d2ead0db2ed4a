//! The Ambito's health key: health-restricted content sealed at rest on every device.
//!
//! The database key opens a device's whole store, and every operator of the device holds it.
//! Health-restricted content (a health note, a consultorio referral, a CUP booking…) is
//! sealed again, value by value, under one more key that only roles allowed to read it hold:
//! a mediator's passphrase opens the database, not those values. Which values: every field of
//! a health-restricted row but the few that lists and markers need in clear
//! ([`stays_clear`]: when an appointment is, a practice's template and deadline, a note's
//! confidentiality…), so a device without the key still lists, merges and forwards them.
//!
//! The key is the Ambito's, kept by its server and given to a device at enrollment (a device
//! not yet enrolled makes one of its own, replaced then). On a device it is kept sealed to
//! each holder allowed to read health content (see the key file); the server seals it to
//! the activation lock of each such account, so an operator's first access brings it.
//!
//! Values are sealed with AES-SIV (RFC 5297), which is deterministic: one plaintext in one
//! field of one row always seals to the same text, so last-writer-wins and conflict detection
//! compare sealed values exactly as they compared plain ones, on every replica, with or
//! without the key. The entity, row and field are bound to each seal: a sealed value moved to
//! another place does not open. What the determinism tells a reader without the key is only
//! whether two versions of one field are equal.

use aes_siv::KeyInit;
use aes_siv::siv::Aes256Siv;
use ring::hkdf;
use ring::rand::SecureRandom;
use serde_json::Value;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::folder::Entity;

pub use crate::folder::{SEALED, is_sealed};

/// 256 random bits, the Ambito's. Zeroed when dropped; never printed.
#[derive(Clone)]
pub struct HealthKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for HealthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HealthKey(…)")
    }
}

impl PartialEq for HealthKey {
    fn eq(&self, other: &Self) -> bool {
        // Every byte compared, whatever the first difference.
        self.0.iter().zip(other.0.iter()).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
    }
}

impl Eq for HealthKey {}

impl HealthKey {
    /// A new key from `random`.
    pub fn generate(random: &dyn SecureRandom) -> HealthKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        random.fill(bytes.as_mut()).expect("the system random source works");
        HealthKey(bytes)
    }

    /// The key from its 32 bytes (unsealed from a key file, or read from the server's store);
    /// `None` for any other length.
    pub fn from_bytes(bytes: &[u8]) -> Option<HealthKey> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(HealthKey(Zeroizing::new(bytes)))
    }

    /// Its 32 bytes, to be sealed for a holder or stored encrypted.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The AES-SIV key (two AES-256 keys) derived from this one.
    fn cipher(&self) -> Aes256Siv {
        let mut siv_key = Zeroizing::new([0u8; 64]);
        hkdf::Salt::new(hkdf::HKDF_SHA256, b"porta health key")
            .extract(self.0.as_ref())
            .expand(&[b"porta health value seal"], SivKeyLength)
            .and_then(|okm| okm.fill(siv_key.as_mut()))
            .expect("64 bytes is a valid HKDF-SHA256 output length");
        Aes256Siv::new(siv_key.as_ref().into())
    }

    /// `value` sealed for `field` of the row `row_id` of `entity`. Null stays null (a cleared
    /// field), and a value already sealed stays as it is.
    pub fn seal(&self, entity: Entity, row_id: Uuid, field: &str, value: &Value) -> Value {
        if value.is_null() || is_sealed(value) {
            return value.clone();
        }
        let plain = Zeroizing::new(serde_json::to_vec(value).expect("a JSON value serialises"));
        let sealed = self
            .cipher()
            .encrypt(place(entity, row_id, field), &plain)
            .expect("AES-SIV seals any value of a field's size");
        serde_json::json!({ SEALED: data_encoding::BASE64URL_NOPAD.encode(&sealed) })
    }

    /// The plain value of `value` if it is sealed for that place under this key; a value
    /// that is not sealed is given back as it is. `None` when it does not open.
    pub fn open(&self, entity: Entity, row_id: Uuid, field: &str, value: &Value) -> Option<Value> {
        let Some(text) = sealed_text(value) else { return Some(value.clone()) };
        let sealed = data_encoding::BASE64URL_NOPAD.decode(text.as_bytes()).ok()?;
        let plain = Zeroizing::new(self.cipher().decrypt(place(entity, row_id, field), &sealed).ok()?);
        serde_json::from_slice(&plain).ok()
    }
}

struct SivKeyLength;

impl hkdf::KeyType for SivKeyLength {
    fn len(&self) -> usize {
        64
    }
}

/// What a seal is bound to: the entity, the row and the field.
fn place(entity: Entity, row_id: Uuid, field: &str) -> [Vec<u8>; 3] {
    [entity.as_str().as_bytes().to_vec(), row_id.as_bytes().to_vec(), field.as_bytes().to_vec()]
}

fn sealed_text(value: &Value) -> Option<&str> {
    match value {
        Value::Object(members) if members.len() == 1 => members.get(SEALED)?.as_str(),
        _ => None,
    }
}

/// Whether `field` of a health-restricted row of `entity` stays in clear: the markers
/// (`_deleted`…), and what the daily lists, the deadlines and the restriction itself are
/// computed from. Every other field of such a row is sealed; rows of kinds that never hold
/// health content are never sealed.
pub fn stays_clear(entity: Entity, field: &str) -> bool {
    if field.starts_with('_') {
        return true;
    }
    let clear: &[&str] = match entity {
        Entity::Note => &["confidentiality"],
        Entity::Need => &["category", "raised_on", "resolved", "confidentiality"],
        Entity::Referral => &["target", "organisation", "on", "status"],
        Entity::Appointment => &["at", "cancelled", "duration_minutes", "operator", "mediator", "language"],
        Entity::Practice => {
            &["template", "need", "status", "opened_on", "deadline", "steps_done", "outcome_on", "in_charge"]
        }
        _ => return true,
    };
    clear.contains(&field)
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;
    use serde_json::json;

    use super::*;

    fn key() -> HealthKey {
        HealthKey::generate(&SystemRandom::new())
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_in_its_place() {
        let (key, other) = (key(), key());
        let row = Uuid::now_v7();
        let plain = json!("Gravidanza alla 12ª settimana");
        let sealed = key.seal(Entity::Note, row, "text", &plain);
        assert!(is_sealed(&sealed));
        assert!(!sealed.to_string().contains("Gravidanza"));
        assert_eq!(key.open(Entity::Note, row, "text", &sealed), Some(plain.clone()));
        assert_eq!(other.open(Entity::Note, row, "text", &sealed), None, "another Ambito's key");
        assert_eq!(key.open(Entity::Note, Uuid::now_v7(), "text", &sealed), None, "moved to another row");
        assert_eq!(key.open(Entity::Need, row, "text", &sealed), None, "moved to another kind of row");
        assert_eq!(key.open(Entity::Note, row, "confidentiality", &sealed), None, "moved to another field");
        let mut tampered = sealed.clone();
        let text = tampered[SEALED].as_str().unwrap().to_owned();
        let flipped = if text.ends_with('A') {
            format!("{}B", &text[..text.len() - 1])
        } else {
            format!("{}A", &text[..text.len() - 1])
        };
        tampered[SEALED] = json!(flipped);
        assert_eq!(key.open(Entity::Note, row, "text", &tampered), None, "a changed seal");
    }

    #[test]
    fn equal_values_seal_equal_so_replicas_compare_them_without_the_key() {
        let key = key();
        let row = Uuid::now_v7();
        let booking = json!({"service": "Ecografia", "facility": "Ospedale", "booking_code": "X1"});
        assert_eq!(
            key.seal(Entity::Appointment, row, "cup", &booking),
            key.seal(Entity::Appointment, row, "cup", &booking)
        );
        assert_ne!(
            key.seal(Entity::Appointment, row, "cup", &booking),
            key.seal(
                Entity::Appointment,
                row,
                "cup",
                &json!({"service": "Visita", "facility": "Ospedale", "booking_code": "X1"})
            )
        );
    }

    #[test]
    fn nulls_and_sealed_values_are_left_as_they_are_and_plain_values_open_as_themselves() {
        let key = key();
        let row = Uuid::now_v7();
        assert_eq!(key.seal(Entity::Note, row, "text", &Value::Null), Value::Null);
        let sealed = key.seal(Entity::Note, row, "text", &json!("testo"));
        assert_eq!(key.seal(Entity::Note, row, "text", &sealed), sealed);
        assert_eq!(key.open(Entity::Note, row, "text", &json!("in chiaro")), Some(json!("in chiaro")));
        assert!(!is_sealed(&json!({"sealed": "x", "other": 1})));
        assert!(!is_sealed(&json!({"sealed": 3})));
    }

    #[test]
    fn markers_and_what_the_lists_need_stay_clear_and_content_does_not() {
        assert!(stays_clear(Entity::Note, "_deleted"));
        assert!(stays_clear(Entity::Note, "confidentiality"));
        assert!(!stays_clear(Entity::Note, "text"));
        assert!(stays_clear(Entity::Appointment, "at"));
        assert!(!stays_clear(Entity::Appointment, "cup"));
        assert!(!stays_clear(Entity::Practice, "outcome_note"));
        assert!(stays_clear(Entity::Person, "family_name"));
    }

    #[test]
    fn the_key_is_never_printed() {
        assert_eq!(format!("{:?}", key()), "HealthKey(…)");
    }
}
