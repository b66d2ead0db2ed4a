//! Validates the Fluent messages in `assets/locales/` and the procedure templates in
//! `assets/procedures/`, and embeds both in the crate.
//!
//! The build fails, naming the file, when a `.ftl` file does not parse or when a message
//! exists in one language and not in another: a missing translation is a build error, not a
//! surprise in front of an operator. It fails, naming the file and the field, when a template
//! or the thresholds file is malformed or a template's label has no message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

#[path = "build/fluent_files.rs"]
mod fluent_files;
#[path = "src/rules/procedure_check.rs"]
mod procedure_check;

use fluent_files::{ids_by_locale, locale_files};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let assets = manifest_dir.join("..").join("assets");
    let locales_dir = assets.join("locales");
    println!("cargo:rerun-if-changed={}", locales_dir.display());
    println!("cargo:rerun-if-changed=build/fluent_files.rs");

    let files = locale_files(&locales_dir);
    let mut problems = Vec::new();
    let ids_by_locale = ids_by_locale(&files, &mut problems);
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

    let procedures_dir = assets.join("procedures");
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
