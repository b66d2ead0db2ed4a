//! The recovery key: shown once at setup, printed and kept in the office safe.

use std::fmt;
use std::str::FromStr;

use ring::rand::SecureRandom;
use zeroize::Zeroizing;

use crate::{ErrorCode, Explanation, UserFacingError};

/// Crockford's base 32: no I, L, O or U, so nothing is mistaken for 1, 0 or V when typed back.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_BYTES: usize = 15;
const SECRET_SYMBOLS: usize = SECRET_BYTES * 8 / 5;
const GROUP: usize = 5;

/// 120 random bits, written as 24 symbols plus a check symbol in five groups of five:
/// `7K3QD-M9XWT-0BZ4H-RPJ2V-6CN8F`. The check symbol catches any one mistyped symbol and
/// any two neighbours swapped (but `0` and `Z`, the one blind spot of the Luhn mod 32 check).
pub struct RecoveryKey(Zeroizing<[u8; SECRET_BYTES]>);

/// What was typed is not a recovery key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryKeyError {
    /// Not 25 symbols of the recovery alphabet.
    #[error("a recovery key has 25 letters and digits")]
    Malformed,
    /// The check symbol does not match: a symbol was mistyped.
    #[error("the recovery key was mistyped")]
    Mistyped,
}

impl UserFacingError for RecoveryKeyError {
    fn explain(&self) -> Explanation {
        match self {
            RecoveryKeyError::Malformed => {
                Explanation::new(ErrorCode::RecoveryKeyMalformed, "error-recovery-key-malformed")
            }
            RecoveryKeyError::Mistyped => {
                Explanation::new(ErrorCode::RecoveryKeyMistyped, "error-recovery-key-mistyped")
            }
        }
    }
}

impl RecoveryKey {
    /// A new recovery key from `random`.
    pub fn generate(random: &dyn SecureRandom) -> Self {
        let mut bytes = Zeroizing::new([0u8; SECRET_BYTES]);
        random.fill(bytes.as_mut()).expect("the system random source works");
        Self(bytes)
    }

    pub(crate) fn secret(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The key as printed on the recovery sheet, grouped with dashes. Show it once, never log it.
    pub fn display_grouped(&self) -> Zeroizing<String> {
        let symbols = self.symbols();
        let mut out = Zeroizing::new(String::with_capacity(29));
        for (index, symbol) in symbols.iter().enumerate() {
            if index > 0 && index % GROUP == 0 {
                out.push('-');
            }
            out.push(*symbol as char);
        }
        out
    }

    fn symbols(&self) -> Zeroizing<Vec<u8>> {
        let mut values = Zeroizing::new(Vec::with_capacity(SECRET_SYMBOLS + 1));
        let mut buffer: u32 = 0;
        let mut bits = 0;
        for byte in self.0.iter() {
            buffer = (buffer << 8) | u32::from(*byte);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                values.push(((buffer >> bits) & 31) as u8);
            }
        }
        let check = check_value(&values);
        values.push(check);
        Zeroizing::new(values.iter().map(|value| ALPHABET[usize::from(*value)]).collect())
    }
}

/// Luhn mod 32 over symbol values: detects every single substitution and adjacent swap.
fn check_value(values: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (index, value) in values.iter().rev().enumerate() {
        let mut addend = u32::from(*value);
        if index % 2 == 0 {
            addend *= 2;
            addend = addend / 32 + addend % 32;
        }
        sum += addend;
    }
    ((32 - sum % 32) % 32) as u8
}

fn symbol_value(symbol: char) -> Option<u8> {
    let symbol = match symbol.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET.iter().position(|candidate| *candidate as char == symbol).map(|position| position as u8)
}

impl FromStr for RecoveryKey {
    type Err = RecoveryKeyError;

    /// Reads a typed recovery key: case, spaces and dashes do not matter; O, I and L are read
    /// as 0, 1 and 1.
    fn from_str(typed: &str) -> Result<Self, Self::Err> {
        let values: Zeroizing<Vec<u8>> = Zeroizing::new(
            typed
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| symbol_value(c).ok_or(RecoveryKeyError::Malformed))
                .collect::<Result<_, _>>()?,
        );
        if values.len() != SECRET_SYMBOLS + 1 {
            return Err(RecoveryKeyError::Malformed);
        }
        let (data, check) = values.split_at(SECRET_SYMBOLS);
        if check_value(data) != check[0] {
            return Err(RecoveryKeyError::Mistyped);
        }
        let mut bytes = Zeroizing::new([0u8; SECRET_BYTES]);
        let mut buffer: u32 = 0;
        let mut bits = 0;
        let mut out = 0;
        for value in data {
            buffer = (buffer << 5) | u32::from(*value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes[out] = (buffer >> bits) as u8;
                out += 1;
            }
        }
        Ok(Self(bytes))
    }
}

impl fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ring::rand::SystemRandom;

    use super::*;

    fn key_from(bytes: [u8; SECRET_BYTES]) -> RecoveryKey {
        RecoveryKey(Zeroizing::new(bytes))
    }

    #[test]
    fn it_prints_as_five_groups_of_five() {
        let key = RecoveryKey::generate(&SystemRandom::new());
        let shown = key.display_grouped();
        assert_eq!(shown.len(), 29);
        assert!(shown.split('-').all(|group| group.len() == 5), "{}", shown.as_str());
        assert_eq!(format!("{key:?}"), "RecoveryKey(…)");
    }

    #[test]
    fn look_alike_letters_and_lower_case_are_accepted() {
        let key = key_from([0; SECRET_BYTES]);
        let shown = key.display_grouped().to_lowercase().replace('0', "o").replace('-', " ");
        assert_eq!(shown.parse::<RecoveryKey>().unwrap().secret(), key.secret());
    }

    #[test]
    fn the_wrong_length_or_alphabet_is_malformed() {
        assert_eq!("ABCDE-FGHJK".parse::<RecoveryKey>().unwrap_err(), RecoveryKeyError::Malformed);
        assert_eq!("UUUUU-UUUUU-UUUUU-UUUUU-UUUUU".parse::<RecoveryKey>().unwrap_err(), RecoveryKeyError::Malformed);
    }

    proptest! {
        #[test]
        fn a_printed_key_reads_back_as_the_same_key(bytes in any::<[u8; SECRET_BYTES]>()) {
            let key = key_from(bytes);
            let read = key.display_grouped().parse::<RecoveryKey>().unwrap();
            prop_assert_eq!(read.secret(), key.secret());
        }

        #[test]
        fn one_mistyped_symbol_is_caught(bytes in any::<[u8; SECRET_BYTES]>(), position in 0usize..25, shift in 1u8..32) {
            let shown: Vec<u8> = key_from(bytes).display_grouped().bytes().filter(|b| *b != b'-').collect();
            let mut typed = shown.clone();
            let value = symbol_value(typed[position] as char).unwrap();
            typed[position] = ALPHABET[usize::from((value + shift) % 32)];
            let typed = String::from_utf8(typed).unwrap();
            prop_assert_eq!(typed.parse::<RecoveryKey>().unwrap_err(), RecoveryKeyError::Mistyped);
        }

        #[test]
        fn two_swapped_neighbours_are_caught(bytes in any::<[u8; SECRET_BYTES]>(), position in 0usize..24) {
            let mut typed: Vec<u8> = key_from(bytes).display_grouped().bytes().filter(|b| *b != b'-').collect();
            let pair = [typed[position], typed[position + 1]];
            prop_assume!(pair[0] != pair[1] && pair != *b"0Z" && pair != *b"Z0");
            typed.swap(position, position + 1);
            let typed = String::from_utf8(typed).unwrap();
            prop_assert_eq!(typed.parse::<RecoveryKey>().unwrap_err(), RecoveryKeyError::Mistyped);
        }
    }
}
