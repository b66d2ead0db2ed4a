//! The shape in which every failure reaches a person: a code to branch on, a message to read.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Locale, Localizer};

/// What went wrong, as a stable identifier the UI and the sync client can act on.
///
/// Codes are part of the protocol between the library, the desktop shell, the UI and the
/// server: renaming one is a breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The settings file exists but cannot be read or parsed.
    SettingsUnreadable,
    /// The settings file cannot be written.
    SettingsUnwritable,
    /// No folder could be found or made for Porta's data.
    DataDirUnavailable,
    /// A language tag that is not an interface language.
    UnknownLocale,
    /// An address the server does not serve.
    NotFound,
    /// A bug or an unexpected condition; the message tells the person how to carry on.
    Internal,
}

/// A failure as the UI (and any other client) receives it.
///
/// The JSON shape is `{"code": "snake_case_code", "message": "text in the operator's language"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorPayload {
    /// What went wrong, for code to branch on.
    pub code: ErrorCode,
    /// What happened and what to do next, in the operator's language, for a person to read.
    pub message: String,
}

/// An error that a person can meet, with its code and its Fluent message.
pub trait UserFacingError: std::error::Error {
    /// The stable code of this error.
    fn code(&self) -> ErrorCode;
    /// The id of the Fluent message that explains it, in `assets/locales/*/errors.ftl`.
    fn message_id(&self) -> &'static str;
    /// The values of the message's placeables. Never personal data.
    fn message_args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

impl ErrorPayload {
    /// Turns `error` into what the UI shows, in `locale`.
    pub fn localized(error: &dyn UserFacingError, localizer: &Localizer, locale: Locale) -> Self {
        Self { code: error.code(), message: localizer.format(locale, error.message_id(), &error.message_args()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("test failure")]
    struct Unexpected;

    impl UserFacingError for Unexpected {
        fn code(&self) -> ErrorCode {
            ErrorCode::Internal
        }
        fn message_id(&self) -> &'static str {
            "error-internal"
        }
    }

    #[test]
    fn the_json_shape_is_code_and_message() {
        let payload = ErrorPayload { code: ErrorCode::SettingsUnwritable, message: "Riprova.".into() };
        assert_eq!(
            serde_json::to_value(&payload).unwrap(),
            serde_json::json!({"code": "settings_unwritable", "message": "Riprova."})
        );
    }

    #[test]
    fn every_code_serialises_as_snake_case() {
        let codes = [
            (ErrorCode::SettingsUnreadable, "settings_unreadable"),
            (ErrorCode::SettingsUnwritable, "settings_unwritable"),
            (ErrorCode::DataDirUnavailable, "data_dir_unavailable"),
            (ErrorCode::UnknownLocale, "unknown_locale"),
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::Internal, "internal"),
        ];
        for (code, text) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(text));
        }
    }

    #[test]
    fn a_payload_carries_the_message_in_the_operators_language() {
        let localizer = Localizer::new();
        let italian = ErrorPayload::localized(&Unexpected, &localizer, Locale::It);
        let english = ErrorPayload::localized(&Unexpected, &localizer, Locale::En);
        assert_eq!(italian.code, ErrorCode::Internal);
        assert!(italian.message.starts_with("Si è verificato un errore imprevisto"), "{}", italian.message);
        assert!(english.message.starts_with("Something unexpected went wrong"), "{}", english.message);
    }
}
