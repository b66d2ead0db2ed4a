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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// The settings file exists but cannot be read or parsed.
    SettingsUnreadable,
    /// The settings file cannot be written.
    SettingsUnwritable,
    /// No folder could be found or made for Porta's data.
    DataDirUnavailable,
    /// Another Porta (another window, or another user's session on this computer) has the
    /// same data folder open.
    DataDirInUse,
    /// A language tag that is not an interface language.
    UnknownLocale,
    /// An address the server does not serve.
    NotFound,
    /// A new passphrase is too short.
    PassphraseTooShort,
    /// A new passphrase is on the list of common ones.
    PassphraseTooCommon,
    /// No operator with that login on this device.
    UnknownOperator,
    /// The passphrase does not unlock the store.
    WrongPassphrase,
    /// Too soon after a failed unlock.
    UnlockDelayed,
    /// Too many failed unlocks: only the recovery key opens the store.
    RecoveryKeyRequired,
    /// The recovery key does not unlock the store.
    WrongRecoveryKey,
    /// What was typed is not shaped like a recovery key.
    RecoveryKeyMalformed,
    /// The recovery key's check symbol does not match.
    RecoveryKeyMistyped,
    /// The key file is missing, unreadable or damaged.
    KeyFileUnusable,
    /// The operator opens this device for the first time: with the activation code.
    ActivationRequired,
    /// The operator's activation code has expired.
    ActivationExpired,
    /// First setup was asked for where a store already exists.
    AlreadySetUp,
    /// Unlock was asked for where no store exists yet.
    NotSetUp,
    /// The encrypted database cannot be opened or written.
    DatabaseUnusable,
    /// A value typed by the operator is not valid; the message names the field.
    InvalidInput,
    /// The operator's role does not allow this.
    NotPermitted,
    /// Another folder already has this codice fiscale.
    DuplicateCodiceFiscale,
    /// A folder this device's office does not hold (not its own, not shared with it).
    OutOfScope,
    /// Two folders cannot be merged (or a merge undone) as asked.
    MergeRefused,
    /// A request that is not the sync protocol's JSON.
    MalformedRequest,
    /// A request larger than the server takes.
    PayloadTooLarge,
    /// A sync protocol version the server does not speak.
    UnsupportedProtocol,
    /// A push that does not continue the device's sequence.
    SequenceGap,
    /// Entries or a clock too far apart in time: one of the clocks is wrong.
    ClockDrift,
    /// A file cannot be attached: empty, too large, or not a PDF or an image.
    AttachmentRefused,
    /// A request to the server without a device's signature, or from a device it does not know.
    Unauthenticated,
    /// A request whose signature does not match the device's key.
    BadSignature,
    /// A request signed too long ago or in the future.
    StaleRequest,
    /// A request the server has already received.
    ReplayedRequest,
    /// The device was revoked by the Ambito's administrator.
    DeviceRevoked,
    /// The administrator ordered this device to erase its data.
    WipeOrdered,
    /// An enrollment code the server does not know or that was already used.
    EnrollmentCodeInvalid,
    /// An enrollment code past its validity.
    EnrollmentCodeExpired,
    /// This device is already enrolled with the server.
    DeviceAlreadyEnrolled,
    /// The operator enrolling the device is not an administrator account of its office on
    /// the server.
    EnrollerNotAdministrator,
    /// The Ambito's server cannot be reached (no network, or the server is down).
    ServerUnreachable,
    /// This device is not enrolled with a server yet.
    NotEnrolled,
    /// The server answered something that is not the sync protocol.
    UnexpectedAnswer,
    /// The person may not get this STP or ENI code now; the message says why.
    StpEniRefused,
    /// This device has no STP or ENI number left to issue until it syncs.
    NoStpEniNumbers,
    /// The server has no STP/ENI series (region and ASL) configured.
    StpEniNotConfigured,
    /// Every seven-digit number of the Ambito's STP/ENI series is taken.
    StpEniExhausted,
    /// The device has had its share of STP/ENI numbers for now: no device may use up the series.
    StpEniQuotaReached,
    /// The device has stored as many scans on the server as it may.
    ScanQuotaReached,
    /// A scan arrived whole but did not match its SHA-256: it is sent again.
    ScanDamaged,
    /// An update of Porta offered by the server is not signed by the release key, or its
    /// installer does not match what was signed: it is deleted, never installed.
    UpdateRefused,
    /// The store is locked: unlock it first.
    StoreLocked,
    /// The device made too many requests too fast; it may retry after a pause.
    RateLimited,
    /// The server is serving as many requests as it may at once; retry shortly.
    ServerBusy,
    /// The disk is full: nothing can be saved, nor a folder opened (every opening is
    /// written in the access log) until space is freed.
    DiskFull,
    /// The server's TLS certificate is not the one pinned at enrollment.
    CertificateMismatch,
    /// The enrollment code was not issued for the certificate this server presents: a typo,
    /// or someone in between.
    EnrollmentCodeMismatch,
    /// A server address without HTTPS, off this computer: enrollment would send the
    /// device's keys where anyone on the network could change them.
    InsecureServerAddress,
    /// Person-facing documents are not printed in the language asked for.
    UnsupportedDocumentLanguage,
    /// The privacy notice needs the data controller, which the settings do not name yet.
    ControllerMissing,
    /// A bug or an unexpected condition; the message tells the person how to carry on.
    Internal,
}

impl ErrorCode {
    /// Every code, so that tests can cover each one.
    pub const ALL: [ErrorCode; 63] = [
        ErrorCode::SettingsUnreadable,
        ErrorCode::SettingsUnwritable,
        ErrorCode::DataDirUnavailable,
        ErrorCode::DataDirInUse,
        ErrorCode::UnknownLocale,
        ErrorCode::NotFound,
        ErrorCode::PassphraseTooShort,
        ErrorCode::PassphraseTooCommon,
        ErrorCode::UnknownOperator,
        ErrorCode::WrongPassphrase,
        ErrorCode::UnlockDelayed,
        ErrorCode::RecoveryKeyRequired,
        ErrorCode::WrongRecoveryKey,
        ErrorCode::RecoveryKeyMalformed,
        ErrorCode::RecoveryKeyMistyped,
        ErrorCode::KeyFileUnusable,
        ErrorCode::ActivationRequired,
        ErrorCode::ActivationExpired,
        ErrorCode::AlreadySetUp,
        ErrorCode::NotSetUp,
        ErrorCode::DatabaseUnusable,
        ErrorCode::InvalidInput,
        ErrorCode::NotPermitted,
        ErrorCode::DuplicateCodiceFiscale,
        ErrorCode::OutOfScope,
        ErrorCode::MergeRefused,
        ErrorCode::MalformedRequest,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedProtocol,
        ErrorCode::SequenceGap,
        ErrorCode::ClockDrift,
        ErrorCode::AttachmentRefused,
        ErrorCode::Unauthenticated,
        ErrorCode::BadSignature,
        ErrorCode::StaleRequest,
        ErrorCode::ReplayedRequest,
        ErrorCode::DeviceRevoked,
        ErrorCode::WipeOrdered,
        ErrorCode::EnrollmentCodeInvalid,
        ErrorCode::EnrollmentCodeExpired,
        ErrorCode::DeviceAlreadyEnrolled,
        ErrorCode::EnrollerNotAdministrator,
        ErrorCode::ServerUnreachable,
        ErrorCode::NotEnrolled,
        ErrorCode::UnexpectedAnswer,
        ErrorCode::StpEniRefused,
        ErrorCode::NoStpEniNumbers,
        ErrorCode::StpEniNotConfigured,
        ErrorCode::StpEniExhausted,
        ErrorCode::StpEniQuotaReached,
        ErrorCode::ScanQuotaReached,
        ErrorCode::ScanDamaged,
        ErrorCode::UpdateRefused,
        ErrorCode::StoreLocked,
        ErrorCode::RateLimited,
        ErrorCode::ServerBusy,
        ErrorCode::DiskFull,
        ErrorCode::CertificateMismatch,
        ErrorCode::EnrollmentCodeMismatch,
        ErrorCode::InsecureServerAddress,
        ErrorCode::UnsupportedDocumentLanguage,
        ErrorCode::ControllerMissing,
        ErrorCode::Internal,
    ];
}

/// A failure as the UI (and any other client) receives it.
///
/// The JSON shape is `{"code": "snake_case_code", "message": "text in the operator's language"}`,
/// with the Fluent message and its values when the text can be written again in another
/// language (`messageId`, `args`): a device shows a server's refusal in its operator's
/// language, and the sync status in the language of the moment it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorPayload {
    /// What went wrong, for code to branch on.
    pub code: ErrorCode,
    /// What happened and what to do next, in the operator's language, for a person to read.
    pub message: String,
    /// The Fluent message the text was written from, when it can be written again.
    #[serde(default, rename = "messageId", skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub message_id: Option<String>,
    /// The values of that message's placeables (never personal data).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    #[ts(skip)]
    pub args: std::collections::BTreeMap<String, String>,
}

/// The value of a message placeable: plain text, or another message (a field's label, say)
/// formatted in the same language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageArg {
    /// Text used as it is (a path, a number). Never personal data.
    Text(String),
    /// The id of a Fluent message, formatted first.
    Message(&'static str),
}

impl From<String> for MessageArg {
    fn from(text: String) -> Self {
        MessageArg::Text(text)
    }
}

/// What an error means for a person: its code, the Fluent message that explains it, and the
/// values of that message's placeables. Each error type says it once per variant, in
/// [`UserFacingError::explain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub code: ErrorCode,
    /// The id of the Fluent message, in `assets/locales/*/errors.ftl`.
    pub message_id: &'static str,
    /// The values of the message's placeables. Never personal data.
    pub args: Vec<(&'static str, MessageArg)>,
}

impl Explanation {
    /// `code`, explained by the message `message_id` without placeables.
    pub fn new(code: ErrorCode, message_id: &'static str) -> Self {
        Self { code, message_id, args: Vec::new() }
    }

    /// The same, with the placeable `name` set to `value`.
    pub fn with(mut self, name: &'static str, value: impl Into<MessageArg>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// An error that a person can meet, with its code and its Fluent message.
pub trait UserFacingError: std::error::Error {
    /// The code, message and placeables of this error.
    fn explain(&self) -> Explanation;
    /// The stable code of this error.
    fn code(&self) -> ErrorCode {
        self.explain().code
    }
    /// The id of the Fluent message that explains it.
    fn message_id(&self) -> &'static str {
        self.explain().message_id
    }
    /// The values of the message's placeables. Never personal data.
    fn message_args(&self) -> Vec<(&'static str, MessageArg)> {
        self.explain().args
    }
}

impl ErrorPayload {
    /// Turns `error` into what the UI shows, in `locale`.
    pub fn localized(error: &dyn UserFacingError, localizer: &Localizer, locale: Locale) -> Self {
        let Explanation { code, message_id, args } = error.explain();
        // A placeable that is itself a message (a field's label) is written in `locale` now:
        // such a text is not written again later.
        let rewritable = args.iter().all(|(_, value)| matches!(value, MessageArg::Text(_)));
        let args: Vec<(&str, String)> = args
            .into_iter()
            .map(|(name, value)| match value {
                MessageArg::Text(text) => (name, text),
                MessageArg::Message(id) => (name, localizer.format(locale, id, &[])),
            })
            .collect();
        Self {
            code,
            message: localizer.format(locale, message_id, &args),
            message_id: rewritable.then(|| message_id.to_owned()),
            args: if rewritable {
                args.iter().map(|(name, value)| ((*name).to_owned(), value.clone())).collect()
            } else {
                Default::default()
            },
        }
    }

    /// A payload with only a code and a text (one that is never written again).
    pub fn new(code: ErrorCode, message: String) -> Self {
        Self { code, message, message_id: None, args: Default::default() }
    }

    /// The same failure written in `locale`, when its message is one this program knows;
    /// otherwise as it is.
    pub fn in_locale(&self, localizer: &Localizer, locale: Locale) -> Self {
        match &self.message_id {
            Some(id) if localizer.has_message(locale, id) => {
                let args: Vec<(&str, String)> =
                    self.args.iter().map(|(name, value)| (name.as_str(), value.clone())).collect();
                Self { message: localizer.format(locale, id, &args), ..self.clone() }
            }
            _ => self.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("test failure")]
    struct Unexpected;

    impl UserFacingError for Unexpected {
        fn explain(&self) -> Explanation {
            Explanation::new(ErrorCode::Internal, "error-internal")
        }
    }

    #[test]
    fn the_json_shape_is_code_and_message() {
        let payload = ErrorPayload::new(ErrorCode::SettingsUnwritable, "Riprova.".into());
        assert_eq!(
            serde_json::to_value(&payload).unwrap(),
            serde_json::json!({"code": "settings_unwritable", "message": "Riprova."})
        );
    }

    #[derive(Debug, thiserror::Error)]
    #[error("rate limited")]
    struct Limited;

    impl UserFacingError for Limited {
        fn explain(&self) -> Explanation {
            Explanation::new(ErrorCode::RateLimited, "error-rate-limited").with("seconds", "7".to_owned())
        }
    }

    #[test]
    fn a_payload_is_written_again_in_another_language_with_its_values() {
        let localizer = Localizer::new();
        let italian = ErrorPayload::localized(&Limited, &localizer, Locale::It);
        assert!(italian.message.contains("secondi"), "{}", italian.message);
        let travelled: ErrorPayload = serde_json::from_str(&serde_json::to_string(&italian).unwrap()).unwrap();
        let english = travelled.in_locale(&localizer, Locale::En);
        assert!(english.message.contains("seconds") && english.message.contains('7'), "{}", english.message);
        assert_eq!(english.code, ErrorCode::RateLimited);
        let plain = ErrorPayload::new(ErrorCode::Internal, "Testo fisso".into());
        assert_eq!(plain.in_locale(&localizer, Locale::En), plain, "nothing to write again");
    }

    #[test]
    fn every_code_serialises_as_snake_case() {
        let codes = [
            (ErrorCode::SettingsUnreadable, "settings_unreadable"),
            (ErrorCode::SettingsUnwritable, "settings_unwritable"),
            (ErrorCode::DataDirUnavailable, "data_dir_unavailable"),
            (ErrorCode::UnknownLocale, "unknown_locale"),
            (ErrorCode::NotFound, "not_found"),
            (ErrorCode::WrongPassphrase, "wrong_passphrase"),
            (ErrorCode::RecoveryKeyRequired, "recovery_key_required"),
            (ErrorCode::Internal, "internal"),
        ];
        for (code, text) in codes {
            assert_eq!(serde_json::to_value(code).unwrap(), serde_json::json!(text));
        }
    }

    #[test]
    fn all_lists_every_code_once_and_each_has_a_distinct_name() {
        let mut names: Vec<String> = ErrorCode::ALL
            .iter()
            .map(|code| serde_json::to_value(code).unwrap().as_str().unwrap().to_owned())
            .collect();
        names.sort();
        let mut variants: Vec<String> = ErrorCode::inline(&ts_rs::Config::default())
            .split('|')
            .map(|name| name.trim().trim_matches('"').to_owned())
            .collect();
        variants.sort();
        assert_eq!(names, variants, "ErrorCode::ALL and the enum differ");
        for code in ErrorCode::ALL {
            let name = serde_json::to_value(code).unwrap();
            assert_eq!(serde_json::from_value::<ErrorCode>(name).unwrap(), code);
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
