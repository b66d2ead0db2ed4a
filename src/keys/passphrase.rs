//! Operators' passphrases: long enough and not a well-known one (NIST SP 800-63B), no more.

use std::fmt;

use zeroize::Zeroizing;

use crate::error::Explanation;
use crate::{ErrorCode, UserFacingError};

/// The shortest passphrase accepted, in characters.
pub const MIN_CHARS: usize = 12;

/// Passphrases of 12 characters or more that are common enough to be tried first.
const COMMON: &str = include_str!("../../assets/reference/common-passphrases.txt");

/// A passphrase that meets the rules. Zeroed when dropped; never printed.
pub struct Passphrase(Zeroizing<String>);

/// Why a new passphrase is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PassphraseError {
    /// Fewer than [`MIN_CHARS`] characters.
    #[error("the passphrase is shorter than {MIN_CHARS} characters")]
    TooShort,
    /// On the list of passphrases everybody tries first.
    #[error("the passphrase is a common one")]
    TooCommon,
}

impl UserFacingError for PassphraseError {
    fn explain(&self) -> Explanation {
        let explanation = match self {
            PassphraseError::TooShort => Explanation::new(ErrorCode::PassphraseTooShort, "error-passphrase-too-short"),
            PassphraseError::TooCommon => {
                Explanation::new(ErrorCode::PassphraseTooCommon, "error-passphrase-too-common")
            }
        };
        explanation.with("min", MIN_CHARS.to_string())
    }
}

impl Passphrase {
    /// Checks a new passphrase against the rules.
    pub fn new(text: &str) -> Result<Self, PassphraseError> {
        if text.chars().count() < MIN_CHARS {
            return Err(PassphraseError::TooShort);
        }
        let folded = text.trim().to_lowercase();
        if COMMON
            .lines()
            .map(str::trim)
            .any(|common| !common.is_empty() && !common.starts_with('#') && common == folded)
        {
            return Err(PassphraseError::TooCommon);
        }
        Ok(Self(Zeroizing::new(text.to_owned())))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_characters_are_enough_and_eleven_are_not() {
        assert!(Passphrase::new("casa al mare").is_ok());
        assert_eq!(Passphrase::new("casa almare").unwrap_err(), PassphraseError::TooShort);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // Twelve characters, more than twelve bytes.
        assert!(Passphrase::new("perché così!").is_ok());
        assert_eq!(Passphrase::new("perché così").unwrap_err(), PassphraseError::TooShort);
    }

    #[test]
    fn common_passphrases_are_refused_whatever_the_case() {
        assert_eq!(Passphrase::new("password1234").unwrap_err(), PassphraseError::TooCommon);
        assert_eq!(Passphrase::new("PassWord1234").unwrap_err(), PassphraseError::TooCommon);
        assert_eq!(Passphrase::new("123456789012").unwrap_err(), PassphraseError::TooCommon);
    }

    #[test]
    fn nothing_else_is_demanded() {
        // No digits, capitals or symbols required: length and rarity are what matter.
        assert!(Passphrase::new("gatto verde sul tetto").is_ok());
        assert_eq!(format!("{:?}", Passphrase::new("gatto verde sul tetto").unwrap()), "Passphrase(…)");
    }
}
