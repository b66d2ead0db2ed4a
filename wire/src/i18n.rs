//! Messages in the operator's language, from the same Fluent files the UI reads.
//!
//! `build.rs` has already refused files that do not parse or that define a message in one
//! language and not in another, so here every message id that exists in one locale exists in
//! all of them.

use std::collections::HashMap;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::Locale;

include!(concat!(env!("OUT_DIR"), "/locale_files.rs"));

/// Formats Fluent messages for every interface language. Cheap to share between threads.
pub struct Localizer {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

impl fmt::Debug for Localizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Localizer").field("locales", &self.bundles.keys()).finish()
    }
}

impl Default for Localizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Localizer {
    /// Loads the messages embedded at build time from `assets/locales/`.
    pub fn new() -> Self {
        let bundles = Locale::ALL
            .into_iter()
            .map(|locale| {
                let tag: LanguageIdentifier = locale.tag().parse().expect("interface tags are valid BCP 47");
                let mut bundle = FluentBundle::new_concurrent(vec![tag]);
                for (_, _, source) in LOCALE_FILES.iter().filter(|(tag, _, _)| *tag == locale.tag()) {
                    let resource = FluentResource::try_new((*source).to_owned())
                        .expect("build.rs refuses .ftl files that do not parse");
                    bundle.add_resource(resource).expect("build.rs refuses a message defined twice in one locale");
                }
                (locale, bundle)
            })
            .collect();
        Self { bundles }
    }

    /// Whether `id` names a message in `locale`.
    pub fn has_message(&self, locale: Locale, id: &str) -> bool {
        self.bundles[&locale].has_message(id)
    }

    /// The message `id` in `locale` with its placeables filled from `args`.
    ///
    /// A missing message comes back as its id in brackets, so the gap is visible rather than
    /// blank; tests make sure no code asks for an id that the files do not define.
    pub fn format(&self, locale: Locale, id: &str, args: &[(&str, String)]) -> String {
        let bundle = &self.bundles[&locale];
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            return format!("[{id}]");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(value.as_str()));
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fluent wraps placeables in Unicode isolation marks; compare without them.
    fn plain(text: &str) -> String {
        text.replace(['\u{2068}', '\u{2069}'], "")
    }

    #[test]
    fn every_locale_has_its_embedded_files() {
        for locale in Locale::ALL {
            assert!(LOCALE_FILES.iter().any(|(tag, _, _)| *tag == locale.tag()), "no .ftl file for {locale}");
        }
    }

    #[test]
    fn message_ids_list_every_message_but_no_terms() {
        assert!(MESSAGE_IDS.contains(&"app-title"));
        assert!(MESSAGE_IDS.contains(&"error-internal"));
        assert!(!MESSAGE_IDS.iter().any(|id| id.starts_with('-')));
        let localizer = Localizer::new();
        for locale in Locale::ALL {
            for id in MESSAGE_IDS {
                assert!(localizer.has_message(locale, id), "{id} missing in {locale}");
            }
        }
    }

    #[test]
    fn messages_come_out_in_the_requested_language() {
        let localizer = Localizer::new();
        assert_eq!(localizer.format(Locale::It, "nav-about", &[]), "Informazioni");
        assert_eq!(localizer.format(Locale::En, "nav-about", &[]), "About");
    }

    #[test]
    fn terms_and_arguments_are_filled_in() {
        let localizer = Localizer::new();
        let message = localizer.format(Locale::It, "error-settings-unwritable", &[("path", "/dati".into())]);
        assert_eq!(
            plain(&message),
            "Non riesco a salvare le impostazioni in /dati. Controlla che la cartella esista e che tu possa scriverci, poi riprova."
        );
        assert_eq!(plain(&localizer.format(Locale::En, "home-heading", &[])), "Welcome to Porta");
    }

    #[test]
    fn a_missing_message_is_visible_not_blank() {
        let localizer = Localizer::new();
        assert!(!localizer.has_message(Locale::It, "no-such-message"));
        assert_eq!(localizer.format(Locale::It, "no-such-message", &[]), "[no-such-message]");
    }
}
