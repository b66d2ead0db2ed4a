//! Validates the Fluent messages in `assets/locales/` and the procedure templates in
//! `assets/procedures/`, and embeds both in the library.
//!
//! The build fails, naming the file, when a `.ftl` file does not parse or when a message
//! exists in one language and not in another: a missing translation is a build error, not a
//! surprise in front of an operator. It fails, naming the file and the field, when a template
//! or the thresholds file is malformed or a template's label has no message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

use fluent_syntax::ast::Entry;

#[path = "src/documents/language_check.rs"]
mod language_check;
#[path = "src/rules/procedure_check.rs"]
mod procedure_check;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let locales_dir = manifest_dir.join("assets").join("locales");
    println!("cargo:rerun-if-changed={}", locales_dir.display());

    let files = locale_files(&locales_dir);
    let mut ids_by_locale: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    let mut problems = Vec::new();

    for (locale, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let source = fs::read_to_string(path).expect("a readable .ftl file");
        let resource = match fluent_syntax::parser::parse(source.as_str()) {
            Ok(resource) => resource,
            Err((_, errors)) => {
                for error in errors {
                    let line = source[..error.pos.start].lines().count().max(1);
                    problems.push(format!("{}:{line}: {:?}", path.display(), error.kind));
                }
                continue;
            }
        };
        let ids = ids_by_locale.entry(locale.clone()).or_default();
        for entry in resource.body {
            let id = match entry {
                Entry::Message(message) => message.id.name.to_owned(),
                Entry::Term(term) => format!("-{}", term.id.name),
                _ => continue,
            };
            if let Some(first) = ids.insert(id.clone(), path.clone()) {
                problems.push(format!("{}: message `{id}` is already defined in {}", path.display(), first.display()));
            }
        }
    }

    problems.extend(missing_translations(&ids_by_locale));
    if !problems.is_empty() {
        panic!("the Fluent messages in assets/locales are not consistent:\n  {}", problems.join("\n  "));
    }

    let mut generated = String::from("/// Every `.ftl` file: (locale, file name, contents).\n");
    generated.push_str("pub(crate) static LOCALE_FILES: &[(&str, &str, &str)] = &[\n");
    for (locale, path) in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        writeln!(generated, "    ({locale:?}, {name:?}, include_str!({:?})),", path.display().to_string())
            .expect("writing to a String cannot fail");
    }
    generated.push_str("];\n\n/// The id of every message (terms excluded), sorted; the same in every locale.\n");
    generated.push_str("pub static MESSAGE_IDS: &[&str] = &[\n");
    let any_locale = ids_by_locale.values().next().expect("at least one locale folder").clone();
    for id in any_locale.keys().filter(|id| !id.starts_with('-')) {
        writeln!(generated, "    {id:?},").expect("writing to a String cannot fail");
    }
    generated.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
    fs::write(out_dir.join("locale_files.rs"), generated).expect("OUT_DIR is writable");

    let documents = document_files(&manifest_dir.join("assets").join("documents"), &ids_by_locale);
    fs::write(out_dir.join("document_files.rs"), documents).expect("OUT_DIR is writable");

    let procedures_dir = manifest_dir.join("assets").join("procedures");
    let procedures = procedure_files(&procedures_dir, &|id| any_locale.contains_key(id));
    fs::write(out_dir.join("procedure_files.rs"), procedures).expect("OUT_DIR is writable");
}

/// Checks every template and the thresholds file; returns the Rust that embeds them.
fn procedure_files(dir: &Path, has_message: &dyn Fn(&str) -> bool) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .expect("assets/procedures exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    names.sort();
    let mut problems = Vec::new();
    let mut generated = String::from("/// Every procedure template: (file name, contents), checked by build.rs.\n");
    generated.push_str("pub(crate) static PROCEDURE_FILES: &[(&str, &str)] = &[\n");
    for path in &names {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let text = fs::read_to_string(path).expect("a readable template");
        if name == "thresholds.toml" {
            if let Err(found) = procedure_check::check_thresholds(name, &text) {
                problems.extend(found);
            }
            continue;
        }
        match procedure_check::check(name, &text, has_message) {
            Ok(_) => writeln!(generated, "    ({name:?}, include_str!({:?})),", path.display().to_string())
                .expect("writing to a String cannot fail"),
            Err(found) => problems.extend(found),
        }
    }
    generated.push_str("];\n");
    writeln!(
        generated,
        "/// The yearly thresholds, checked by build.rs.\npub(crate) static THRESHOLDS: &str = include_str!({:?});",
        dir.join("thresholds.toml").display().to_string()
    )
    .expect("writing to a String cannot fail");
    if !problems.is_empty() {
        panic!("the procedure templates in assets/procedures are not valid:\n  {}", problems.join("\n  "));
    }
    generated
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

/// `(locale, path)` of every `assets/locales/<locale>/*.ftl`, sorted so the output is stable.
fn locale_files(locales_dir: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for locale_dir in fs::read_dir(locales_dir).expect("assets/locales exists") {
        let locale_dir = locale_dir.expect("a readable directory entry").path();
        if !locale_dir.is_dir() {
            continue;
        }
        let locale = locale_dir.file_name().and_then(|n| n.to_str()).expect("a UTF-8 locale name").to_owned();
        for file in fs::read_dir(&locale_dir).expect("a readable locale folder") {
            let path = file.expect("a readable directory entry").path();
            if path.extension().is_some_and(|ext| ext == "ftl") {
                files.push((locale.clone(), path));
            }
        }
    }
    files.sort();
    files
}

/// One line for every message that some locale defines and another lacks.
fn missing_translations(ids_by_locale: &BTreeMap<String, BTreeMap<String, PathBuf>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (locale, ids) in ids_by_locale {
        for (other, other_ids) in ids_by_locale {
            for (id, path) in other_ids {
                if !ids.contains_key(id) {
                    problems.push(format!(
                        "`{id}` is defined in {} ({other}) but missing from locale `{locale}`",
                        path.display()
                    ));
                }
            }
        }
    }
    problems
}
