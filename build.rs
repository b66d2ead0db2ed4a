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
