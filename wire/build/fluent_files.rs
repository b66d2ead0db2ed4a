//! Reading `assets/locales/`, shared by the build scripts of `porta-wire` (which embeds the
//! interface messages) and `porta` (which checks the person-facing documents against them).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::Entry;

/// `(locale, path)` of every `assets/locales/<locale>/*.ftl`, sorted so the output is stable.
pub fn locale_files(locales_dir: &Path) -> Vec<(String, PathBuf)> {
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

/// The ids of every message and term (`-term`) of each locale, with the file defining it;
/// syntax errors and ids defined twice are added to `problems`.
pub fn ids_by_locale(
    files: &[(String, PathBuf)],
    problems: &mut Vec<String>,
) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut ids_by_locale: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for (locale, path) in files {
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
    ids_by_locale
}
