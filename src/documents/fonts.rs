//! The embedded fonts and text shaping: which font draws each character, and the glyphs a run
//! of text becomes.
//!
//! Noto Sans draws Latin, Cyrillic and Greek; Noto Naskh Arabic draws Arabic script (Arabic
//! and Urdu); Noto Sans Bengali draws Bengali, with its conjuncts and vowel signs. A run of
//! text is split where the font that has the character changes (font fallback), and each
//! piece is shaped by rustybuzz, which joins Arabic letters and applies ligatures. A character
//! that no font has is an error, never a missing-glyph box on paper.

use std::ops::Range;
use std::sync::OnceLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::{Direction, UnicodeBuffer};

use super::DocumentError;

static NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
static NOTO_NASKH: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");
static NOTO_NASKH_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Bold.ttf");
static NOTO_BENGALI: &[u8] = include_bytes!("../../assets/fonts/NotoSansBengali-Regular.ttf");
static NOTO_BENGALI_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSansBengali-Bold.ttf");

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// One font: its bytes for shaping and its handle for the PDF.
struct Face {
    shaping: rustybuzz::Face<'static>,
    pdf: Font,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        Face {
            shaping: rustybuzz::Face::from_slice(data, 0).expect("the embedded fonts are valid"),
            pdf: Font::new(data.into(), 0).expect("the embedded fonts are valid"),
        }
    }

    fn has(&self, character: char) -> bool {
        self.shaping.glyph_index(character).is_some()
    }
}

/// Every font of one weight, in fallback order.
struct Family {
    faces: Vec<Face>,
}

fn family(weight: Weight) -> &'static Family {
    static REGULAR: OnceLock<Family> = OnceLock::new();
    static BOLD: OnceLock<Family> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| Family {
            faces: vec![Face::load(NOTO_SANS), Face::load(NOTO_NASKH), Face::load(NOTO_BENGALI)],
        }),
        Weight::Bold => BOLD.get_or_init(|| Family {
            faces: vec![Face::load(NOTO_SANS_BOLD), Face::load(NOTO_NASKH_BOLD), Face::load(NOTO_BENGALI_BOLD)],
        }),
    }
}

/// Characters that are never drawn (direction marks and isolates, joiners): they go with the
/// font of the text around them.
pub(crate) fn is_invisible(character: char) -> bool {
    matches!(character, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A piece of text shaped with one font, ready to draw.
pub(crate) struct ShapedRun {
    pub(crate) font: Font,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) text: String,
    /// Width in points at the size it was shaped for.
    pub(crate) width: f32,
}

/// Splits `text` where the font that draws it changes: `(face index, byte range)` in logical
/// order.
fn font_runs(text: &str, family: &Family) -> Result<Vec<(usize, Range<usize>)>, DocumentError> {
    let mut runs: Vec<(usize, Range<usize>)> = Vec::new();
    for (at, character) in text.char_indices() {
        let end = at + character.len_utf8();
        let face = if is_invisible(character) || character.is_whitespace() {
            runs.last().map_or(0, |(face, _)| *face)
        } else {
            family.faces.iter().position(|face| face.has(character)).ok_or(DocumentError::MissingGlyph { character })?
        };
        match runs.last_mut() {
            Some((last, range)) if *last == face => range.end = end,
            _ => runs.push((face, at..end)),
        }
    }
    Ok(runs)
}

/// Shapes `text`, all of one direction, into runs in the order they are drawn (left to right
/// on the page).
pub(crate) fn shape(
    text: &str,
    weight: Weight,
    size: f32,
    right_to_left: bool,
) -> Result<Vec<ShapedRun>, DocumentError> {
    let family = family(weight);
    let mut shaped = Vec::new();
    for (face_index, range) in font_runs(text, family)? {
        let face = &family.faces[face_index];
        let piece = &text[range];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.set_direction(if right_to_left { Direction::RightToLeft } else { Direction::LeftToRight });
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&face.shaping, &[], buffer);
        let units = face.shaping.units_per_em() as f32;
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (index, (info, position)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            let end = cluster_end(infos, index, right_to_left, piece.len());
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                position.x_advance as f32 / units,
                position.x_offset as f32 / units,
                position.y_offset as f32 / units,
                position.y_advance as f32 / units,
                start..end,
                None,
            ));
            width += position.x_advance as f32 / units * size;
        }
        shaped.push(ShapedRun { font: face.pdf.clone(), glyphs, text: piece.to_owned(), width });
    }
    if right_to_left {
        shaped.reverse();
    }
    Ok(shaped)
}

/// Where the text of glyph `index`'s cluster ends: at the start of the next cluster in logical
/// order.
fn cluster_end(infos: &[rustybuzz::GlyphInfo], index: usize, right_to_left: bool, text_len: usize) -> usize {
    let cluster = infos[index].cluster;
    let next = if right_to_left {
        infos[..index].iter().rev().find(|info| info.cluster != cluster)
    } else {
        infos[index + 1..].iter().find(|info| info.cluster != cluster)
    };
    next.map_or(text_len, |info| info.cluster as usize)
}

/// The width of `text` in points, without drawing it.
pub(crate) fn width(text: &str, weight: Weight, size: f32) -> Result<f32, DocumentError> {
    let right_to_left = text.chars().any(|c| matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FEFC}'));
    Ok(shape(text, weight, size, right_to_left)?.iter().map(|run| run.width).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_cyrillic_and_arabic_each_find_a_font() {
        for text in ["Perché ș ț ë ç", "Документи для подання ї є ґ", "المستندات المطلوبة"]
        {
            let runs = shape(text, Weight::Regular, 10.0, false).unwrap();
            assert!(runs.iter().all(|run| run.glyphs.iter().all(|glyph| glyph.glyph_id != GlyphId::new(0))));
        }
    }

    #[test]
    fn arabic_letters_are_joined_not_drawn_apart() {
        // Joined forms differ from the isolated ones, so the shaped word uses different glyphs
        // from its letters shaped one by one.
        let word: Vec<GlyphId> =
            shape("سلام", Weight::Regular, 10.0, true).unwrap()[0].glyphs.iter().map(|g| g.glyph_id).collect();
        let apart: Vec<GlyphId> = "سلام"
            .chars()
            .rev()
            .map(|c| shape(&c.to_string(), Weight::Regular, 10.0, true).unwrap()[0].glyphs[0].glyph_id)
            .collect();
        assert_ne!(word, apart);
    }

    #[test]
    fn a_character_no_font_has_is_an_error_naming_it() {
        assert!(matches!(
            shape("漢", Weight::Regular, 10.0, false),
            Err(DocumentError::MissingGlyph { character: '漢' })
        ));
    }

    #[test]
    fn a_mixed_run_falls_back_between_fonts() {
        let runs = shape("CUP: موعد", Weight::Bold, 10.0, false).unwrap();
        assert_eq!(runs.len(), 2);
        assert!(width("CUP", Weight::Regular, 10.0).unwrap() < width("CUP", Weight::Regular, 20.0).unwrap());
    }
}
