//! Validates the person-facing document texts in `assets/documents/` against the interface
//! messages in `assets/locales/`, and embeds them in the library. (`porta-wire`'s build
//! script validates and embeds the interface messages and the procedure templates.)
//!
//! The build fails, naming the file, when a text does not parse, when a language listed in
//! `languages.toml` lacks a message of the Italian texts, or when the list itself is malformed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use fluent_syntax::ast::Entry;

#[path = "wire/build/fluent_files.rs"]
mod fluent_files;
#[path = "src/documents/language_check.rs"]
mod language_check;

use fluent_files::{ids_by_locale, locale_files};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let locales_dir = manifest_dir.join("assets").join("locales");
    println!("cargo:rerun-if-changed={}", locales_dir.display());
    println!("cargo:rerun-if-changed=wire/build/fluent_files.rs");
    // Problems in the interface messages themselves are reported by porta-wire's build.
    let ui_ids = ids_by_locale(&locale_files(&locales_dir), &mut Vec::new());

    let documents = document_files(&manifest_dir.join("assets").join("documents"), &ui_ids);
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    fs::write(out_dir.join("document_files.rs"), documents).expect("OUT_DIR is writable");
}

/// Whether a message of the interface's procedure texts is also needed by person-facing
/// documents: the procedure names and the documents to bring.
fn person_facing(id: &str) -> bool {
    id.starts_with("procedure-") || id.starts_with("document-")
}

/// Checks the person-facing document languages (`assets/documents/`) and returns the Rust
/// that embeds them.
///
/// Every language listed in `languages.toml` must define every message of the Italian texts,
/// plus the procedure names and documents to bring; for an interface language these come from
/// its `assets/locales/<tag>/procedures.ftl`.
fn document_files(dir: &Path, ui_ids: &BTreeMap<String, BTreeMap<String, PathBuf>>) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let list_path = dir.join("languages.toml");
    println!("cargo:rerun-if-changed={}", list_path.display());
    let list_text = fs::read_to_string(&list_path).expect("assets/documents/languages.toml exists");
    let languages = match language_check::parse_languages("assets/documents/languages.toml", &list_text) {
        Ok(languages) => languages,
        Err(problems) => panic!("the document languages are not valid:\n  {}", problems.join("\n  ")),
    };
    let files = locale_files(dir);
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for (tag, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        if !languages.iter().any(|language| &language.tag == tag) {
            problems.push(format!("{}: `{tag}` is not listed in assets/documents/languages.toml", path.display()));
        }
        let source = fs::read_to_string(path).expect("a readable .ftl file");
        match fluent_syntax::parser::parse(source.as_str()) {
            Ok(resource) => {
                for entry in resource.body {
                    if let Entry::Message(message) = entry {
                        let id = message.id.name.to_owned();
                        if let Some(first) = ids.entry(tag.clone()).or_default().insert(id.clone(), path.clone()) {
                            problems.push(format!(
                                "{}: message `{id}` is already defined in {}",
                                path.display(),
                                first.display()
                            ));
                        }
                    }
                }
            }
            Err((_, errors)) => {
                for error in errors {
                    let line = source[..error.pos.start].lines().count().max(1);
                    problems.push(format!("{}:{line}: {:?}", path.display(), error.kind));
                }
            }
        }
    }
    for language in &languages {
        let from_ui =
            ui_ids.get(&language.tag).into_iter().flat_map(|ui| ui.iter()).filter(|(id, _)| person_facing(id));
        let own = ids.entry(language.tag.clone()).or_default();
        for (id, path) in from_ui {
            if let Some(first) = own.insert(id.clone(), path.clone()) {
                problems.push(format!("{}: message `{id}` is already defined in {}", first.display(), path.display()));
            }
        }
    }
    let italian = ids.get("it").cloned().unwrap_or_default();
    for language in &languages {
        let own = &ids[&language.tag];
        for (id, path) in &italian {
            if !own.contains_key(id) {
                problems.push(format!(
                    "`{id}` ({}) has no translation in assets/documents/{}/",
                    path.display(),
                    language.tag
                ));
            }
        }
    }
    if !problems.is_empty() {
        panic!("the person-facing document texts in assets/documents are not consistent:\n  {}", problems.join("\n  "));
    }
    let mut generated = String::from("/// Every person-facing document text: (language tag, contents).\n");
    generated.push_str("pub(crate) static DOCUMENT_FILES: &[(&str, &str)] = &[\n");
    let ui_procedures = files.iter().map(|(tag, path)| (tag.clone(), path.clone())).chain(
        languages.iter().filter(|language| ui_ids.contains_key(&language.tag)).map(|language| {
            (language.tag.clone(), dir.join("..").join("locales").join(&language.tag).join("procedures.ftl"))
        }),
    );
    for (tag, path) in ui_procedures {
        writeln!(generated, "    ({tag:?}, include_str!({:?})),", path.display().to_string())
            .expect("writing to a String cannot fail");
    }
    generated.push_str("];\n");
    writeln!(
        generated,
        "/// The document languages and their review status, checked by build.rs.\npub(crate) static DOCUMENT_LANGUAGES: &str = include_str!({:?});",
        list_path.display().to_string()
    )
    .expect("writing to a String cannot fail");
    generated
}
