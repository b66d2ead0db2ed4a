//! The languages an operator can use Porta in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A language of the operator interface. Italian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// Italian, the language of the Italian public administration.
    #[default]
    It,
    /// English.
    En,
}

impl Locale {
    /// Every interface language, the default first.
    pub const ALL: [Locale; 2] = [Locale::It, Locale::En];

    /// The BCP 47 tag, which is also the folder name under `assets/locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::It => "it",
            Locale::En => "en",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A language tag that is not one of the interface languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown interface language `{0}`")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag))
            .ok_or_else(|| UnknownLocale(tag.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_is_the_default_language() {
        assert_eq!(Locale::default(), Locale::It);
        assert_eq!(Locale::ALL[0], Locale::It);
    }

    #[test]
    fn tags_parse_back_to_the_same_locale() {
        for locale in Locale::ALL {
            assert_eq!(locale.tag().parse::<Locale>(), Ok(locale));
            assert_eq!(locale.tag().to_uppercase().parse::<Locale>(), Ok(locale));
        }
    }

    #[test]
    fn an_unknown_tag_is_refused_with_the_tag_in_the_error() {
        assert_eq!("ar".parse::<Locale>(), Err(UnknownLocale("ar".into())));
    }

    #[test]
    fn locales_serialise_as_their_tag() {
        assert_eq!(serde_json::to_string(&Locale::En).unwrap(), r#""en""#);
        assert_eq!(serde_json::from_str::<Locale>(r#""it""#).unwrap(), Locale::It);
    }
}
