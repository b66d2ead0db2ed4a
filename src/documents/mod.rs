//! Documents printed for a person, in the person's language: the privacy notice, the list of
//! documents to bring for a practice, an appointment slip and the receipt of a request.
//!
//! The texts are Fluent messages in `assets/documents/<language>/` (procedure names and
//! documents to bring come from the interface's `procedures.ftl` for Italian and English);
//! `assets/documents/languages.toml` lists the languages with their direction and who has
//! reviewed them, and `build.rs` refuses a language that lacks a message. `compose` turns a
//! request into blocks of text, `pdf` typesets them (shaping, bidi, fallback fonts) and
//! `fonts` holds the embedded Noto fonts. Nothing here reads the clock or the store: the
//! store gathers the facts (`Store::person_document`) and passes them in.

mod compose;
pub mod folder_copy;
mod fonts;
pub mod language_check;
pub mod pdf;

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use compose::{DataController, DocumentRequest, Issuer, PersonDocument, compose};
pub use language_check::{Direction, LanguageEntry, ReviewStatus};

use crate::error::{ErrorCode, Explanation, UserFacingError};

include!(concat!(env!("OUT_DIR"), "/document_files.rs"));

/// Why a document could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Documents are not printed in this language.
    #[error("no document texts in `{tag}`")]
    UnsupportedLanguage { tag: String },
    /// The privacy notice needs the data controller, which the settings do not name yet.
    #[error("the data controller is not in the settings")]
    ControllerMissing,
    /// A practice names a procedure that has no template.
    #[error("unknown procedure `{0}`")]
    UnknownProcedure(String),
    /// A character that none of the embedded fonts can draw.
    #[error("no font draws {character:?}")]
    MissingGlyph { character: char },
    /// The PDF writer failed (a bug, not the operator's doing).
    #[error("PDF: {0}")]
    Pdf(String),
}

impl UserFacingError for DocumentError {
    fn explain(&self) -> Explanation {
        match self {
            DocumentError::UnsupportedLanguage { tag } => {
                Explanation::new(ErrorCode::UnsupportedDocumentLanguage, "error-document-language")
                    .with("language", tag.clone())
            }
            DocumentError::ControllerMissing => {
                Explanation::new(ErrorCode::ControllerMissing, "error-controller-missing")
            }
            DocumentError::UnknownProcedure(id) => {
                Explanation::new(ErrorCode::InvalidInput, "error-unknown-procedure").with("procedure", id.clone())
            }
            DocumentError::MissingGlyph { character } => {
                Explanation::new(ErrorCode::InvalidInput, "error-missing-glyph")
                    .with("character", format!("{character} (U+{:04X})", u32::from(*character)))
            }
            DocumentError::Pdf(_) => Explanation::new(ErrorCode::Internal, "error-internal"),
        }
    }
}

/// Every language documents are printed in, Italian first, with its review status.
pub fn languages() -> &'static [LanguageEntry] {
    static LANGUAGES: OnceLock<Vec<LanguageEntry>> = OnceLock::new();
    LANGUAGES.get_or_init(|| {
        language_check::parse_languages("languages.toml", DOCUMENT_LANGUAGES).expect("build.rs checked the list")
    })
}

/// The language with this tag (case-insensitive), if documents are printed in it.
pub fn language(tag: &str) -> Result<&'static LanguageEntry, DocumentError> {
    languages()
        .iter()
        .find(|language| language.tag.eq_ignore_ascii_case(tag))
        .ok_or_else(|| DocumentError::UnsupportedLanguage { tag: tag.to_owned() })
}

/// The document texts of every language. Fluent's isolation marks stay on, so a Latin name
/// inside an Arabic sentence keeps its own direction.
pub(crate) struct Texts {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl Texts {
    pub(crate) fn get() -> &'static Texts {
        static TEXTS: OnceLock<Texts> = OnceLock::new();
        TEXTS.get_or_init(|| {
            let mut bundles = HashMap::new();
            for language in languages() {
                let tag: unic_langid::LanguageIdentifier = language.tag.parse().expect("build.rs checked the tags");
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                for (_, source) in DOCUMENT_FILES.iter().filter(|(tag, _)| *tag == language.tag) {
                    let resource = FluentResource::try_new((*source).to_owned()).expect("build.rs parsed every file");
                    bundle.add_resource(resource).expect("build.rs refused messages defined twice");
                }
                bundles.insert(language.tag.as_str(), bundle);
            }
            Texts { bundles }
        })
    }

    /// Message `id` in `tag`'s language with its arguments filled in.
    pub(crate) fn format(&self, tag: &str, id: &str, args: &[(&str, &str)]) -> String {
        let bundle = &self.bundles[tag];
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            return format!("[{id}]");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }
}

/// Composes and typesets `request` in the language `tag`: the bytes of a PDF file.
pub fn render_pdf(request: &DocumentRequest<'_>, tag: &str) -> Result<Vec<u8>, DocumentError> {
    let language = language(tag)?;
    let composed = compose(request, language)?;
    let texts = Texts::get();
    pdf::render(&composed, &|page, pages| {
        texts.format(&language.tag, "doc-page", &[("page", &page.to_string()), ("pages", &pages.to_string())])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_languages_are_listed_with_italian_as_the_source() {
        let tags: Vec<&str> = languages().iter().map(|language| language.tag.as_str()).collect();
        assert_eq!(tags, ["it", "en", "fr", "ar", "es", "ro", "sq", "uk", "ur", "bn"]);
        assert_eq!(language("AR").unwrap().direction, Direction::Rtl);
        assert_eq!(language("it").unwrap().review, ReviewStatus::Source);
        assert!(matches!(language("wo"), Err(DocumentError::UnsupportedLanguage { .. })));
    }

    #[test]
    fn every_language_has_every_message_the_italian_texts_have() {
        let texts = Texts::get();
        for language in languages() {
            for id in [
                "privacy-title",
                "checklist-title",
                "slip-title",
                "receipt-title",
                "procedure-stp",
                "document-passport",
            ] {
                let text = texts.format(&language.tag, id, &[]);
                assert!(!text.starts_with('['), "{id} in {}", language.tag);
            }
        }
    }
}
