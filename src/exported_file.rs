//! Files Porta saves for the operator to open elsewhere (printed documents, copies of
//! attachments): names that every system accepts, and a copy that is never lost because an
//! earlier one is still open.
//!
//! An attachment's name comes from outside, and from any device: a name typed on Linux may
//! hold characters Windows refuses (`:` even opens a hidden stream of another file there), or
//! be a device name (`CON.pdf`, `aux.txt`), or end in a dot; a path may be smuggled in with
//! either separator. And on Windows a PDF open in a viewer cannot be replaced.

use std::io;
use std::path::{Path, PathBuf};

/// The name used when nothing of the one given is left.
const FALLBACK_NAME: &str = "documento";

/// Longest name kept, in characters (well below the systems' limits, leaving room for the
/// folder and for " (2)").
const LONGEST_NAME: usize = 120;

/// Longest extension kept whole when a long name is cut.
const LONGEST_EXTENSION: usize = 10;

/// How many other names are tried when the file cannot be written under its own.
const OTHER_NAMES_TRIED: usize = 20;

/// `wanted` as a file name that Windows, macOS and Linux all accept, the same on each: the
/// last part of a path only; characters Windows refuses and control characters become `_`;
/// no trailing dot or space; device names (`CON`, `NUL`, `COM1`…, with any extension) get a
/// leading `_`; at most 120 characters, the extension kept.
pub fn portable_name(wanted: &str) -> String {
    let last = wanted.rsplit(['/', '\\']).next().unwrap_or_default();
    let replaced: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    let trimmed = replaced.trim_start().trim_end_matches(['.', ' ']);
    if trimmed.chars().all(|c| c == '.') {
        return FALLBACK_NAME.to_owned();
    }
    let shortened = shortened(trimmed);
    let stem = shortened.split('.').next().unwrap_or_default();
    if is_device_name(stem.trim_end()) { format!("_{shortened}") } else { shortened }
}

/// At most [`LONGEST_NAME`] characters, a short extension kept.
fn shortened(name: &str) -> String {
    if name.chars().count() <= LONGEST_NAME {
        return name.to_owned();
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension)
        .filter(|extension| extension.chars().count() <= LONGEST_EXTENSION)
        .map(|extension| format!(".{extension}"))
        .unwrap_or_default();
    let stem: String = name.chars().take(LONGEST_NAME - extension.chars().count()).collect();
    format!("{}{extension}", stem.trim_end_matches(['.', ' ']))
}

/// Whether Windows takes `stem` for a device rather than a file.
fn is_device_name(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$")
        || ["COM", "LPT"].iter().any(|prefix| {
            upper.strip_prefix(prefix).is_some_and(|rest| {
                matches!(rest, "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³")
            })
        })
}

/// Writes `bytes` in `folder` (made if missing) as [`portable_name`] of `wanted`; answers
/// where. An earlier file of that name is replaced — unless it cannot be (on Windows, open in
/// a PDF viewer): then the copy is written beside it as `name (2).pdf`, `name (3).pdf`…
pub fn save(folder: &Path, wanted: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    let name = portable_name(wanted);
    let first = folder.join(&name);
    let first_error = match std::fs::write(&first, bytes) {
        Ok(()) => return Ok(first),
        Err(error) => error,
    };
    if !first.exists() {
        return Err(first_error);
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
        _ => (name.as_str(), String::new()),
    };
    // An earlier copy beside it that can be replaced is; one that cannot is passed over.
    (2..2 + OTHER_NAMES_TRIED)
        .map(|number| folder.join(format!("{stem} ({number}){extension}")))
        .find(|other| std::fs::write(other, bytes).is_ok())
        .ok_or(first_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_anywhere_become_names_every_system_accepts() {
        let cases = [
            ("Permesso di soggiorno.pdf", "Permesso di soggiorno.pdf"),
            ("Ricevuta pagoPA – Nicolò.pdf", "Ricevuta pagoPA – Nicolò.pdf"),
            ("نموذج الطلب.pdf", "نموذج الطلب.pdf"),
            ("../../Windows/System32/evil.exe", "evil.exe"),
            (r"..\..\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup\x.bat", "x.bat"),
            ("C:referto.pdf", "C_referto.pdf"),
            ("referto.pdf:nascosto", "referto.pdf_nascosto"),
            ("visita 12/03?.pdf", "03_.pdf"),
            ("a<b>c|d\"e*f.pdf", "a_b_c_d_e_f.pdf"),
            ("riga\nnuova\t.pdf", "riga_nuova_.pdf"),
            ("CON.pdf", "_CON.pdf"),
            ("nul", "_nul"),
            ("Com1.tar.gz", "_Com1.tar.gz"),
            ("lpt9 .txt", "_lpt9 .txt"),
            ("Con permesso.pdf", "Con permesso.pdf"),
            ("console.pdf", "console.pdf"),
            ("COM10.pdf", "COM10.pdf"),
            ("verbale. . .", "verbale"),
            ("   spazi.pdf", "spazi.pdf"),
            ("..", FALLBACK_NAME),
            ("", FALLBACK_NAME),
            ("cartella/", FALLBACK_NAME),
        ];
        for (wanted, expected) in cases {
            assert_eq!(portable_name(wanted), expected, "{wanted:?}");
        }
        let long = format!("{}.pdf", "è".repeat(300));
        let shortened = portable_name(&long);
        assert_eq!(shortened.chars().count(), LONGEST_NAME);
        assert!(shortened.ends_with("è.pdf"), "{shortened}");
        let long_extension = format!("scan.{}", "x".repeat(200));
        assert_eq!(portable_name(&long_extension).chars().count(), LONGEST_NAME);
    }

    /// Every name the system is given is one it writes as one file in the folder, read back
    /// under that name: on Linux and, in CI, on Windows under Wine.
    #[test]
    fn hostile_names_are_written_as_one_file_in_the_folder() {
        let folder = tempfile::tempdir().unwrap();
        let names =
            ["../fuori.pdf", r"..\fuori.pdf", "referto.pdf:nascosto", "CON.pdf", "aux", "fine. ", "a*b?.pdf", "ok.pdf"];
        for (index, wanted) in names.iter().enumerate() {
            let bytes = format!("copia {index}").into_bytes();
            let saved = save(folder.path(), wanted, &bytes).unwrap();
            assert_eq!(saved.parent(), Some(folder.path()), "{wanted:?}");
            assert_eq!(std::fs::read(&saved).unwrap(), bytes, "{wanted:?}");
        }
        let mut written: Vec<String> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        written.sort();
        assert_eq!(written, ["_CON.pdf", "_aux", "a_b_.pdf", "fine", "fuori.pdf", "ok.pdf", "referto.pdf_nascosto"]);
        assert!(!folder.path().parent().unwrap().join("fuori.pdf").exists());
    }

    /// A file that cannot be replaced (here a folder of that name; on Windows a PDF open in a
    /// viewer) leaves the copy beside it under the next free number.
    #[test]
    fn a_file_that_cannot_be_replaced_gets_its_copy_beside_it() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(save(folder.path(), "informativa.pdf", b"prima").unwrap(), folder.path().join("informativa.pdf"));
        assert_eq!(save(folder.path(), "informativa.pdf", b"seconda").unwrap(), folder.path().join("informativa.pdf"));
        assert_eq!(std::fs::read(folder.path().join("informativa.pdf")).unwrap(), b"seconda", "replaced");

        std::fs::create_dir(folder.path().join("scansione.pdf")).unwrap();
        std::fs::create_dir(folder.path().join("scansione (2).pdf")).unwrap();
        let beside = save(folder.path(), "scansione.pdf", b"copia").unwrap();
        assert_eq!(beside, folder.path().join("scansione (3).pdf"));
        assert_eq!(std::fs::read(&beside).unwrap(), b"copia");

        let nowhere = folder.path().join("file").join("sotto");
        std::fs::write(folder.path().join("file"), b"").unwrap();
        assert!(save(&nowhere, "x.pdf", b"").is_err(), "a folder that cannot be made is an error");
    }
}
