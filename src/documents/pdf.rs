//! Typesetting a composed document onto A4 pages and writing the PDF (krilla).
//!
//! Each paragraph is broken into lines at the Unicode line-break opportunities, each line is
//! ordered by the Unicode bidirectional algorithm with the document's base direction (so an
//! Arabic paragraph runs right to left and a name or number inside it keeps its own order),
//! and each visual run is shaped with the font that has its characters. Right-to-left
//! documents are right-aligned and mirror their columns.

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::DocumentError;
use super::fonts::{ShapedRun, Weight, is_invisible, shape, width};

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
/// About 2 cm.
const MARGIN: f32 = 56.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Room kept at the bottom of every page for the footer.
const FOOTER_HEIGHT: f32 = 40.0;
const BODY_SIZE: f32 = 10.5;

/// A piece of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title, large and bold.
    Title(String),
    /// A section heading, kept on the page of the text that follows it.
    Heading(String),
    /// Running text.
    Paragraph(String),
    /// Smaller text (who issued the document, a note).
    Small(String),
    /// A list with a bullet before each item.
    Bullets(Vec<String>),
    /// Label and value pairs in two columns.
    Fields(Vec<(String, String)>),
    /// A line to sign on, with its label under it.
    Signature(String),
}

/// A document ready to typeset: its blocks and what goes at the foot of every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    /// The title, also written into the PDF's metadata.
    pub title: String,
    /// The BCP 47 tag of the document's language, written into the PDF's metadata.
    pub language: String,
    /// Whether the language is written right to left.
    pub right_to_left: bool,
    pub blocks: Vec<Block>,
    /// A note printed at the foot of every page, above the page number.
    pub footer_note: Option<String>,
}

/// A shaped run at its place on a line.
struct Placed {
    x: f32,
    size: f32,
    run: ShapedRun,
}

/// One line of the page: what is drawn on it and how much height it takes.
struct Line {
    items: Vec<Placed>,
    /// A horizontal rule from x to x, drawn on the baseline (a signature line).
    rule: Option<(f32, f32)>,
    height: f32,
    /// Size of the largest text, which sets the baseline below the line's top.
    ascent: f32,
    /// A heading must not be the last line of a page.
    keep_with_next: bool,
}

impl Line {
    fn gap(height: f32) -> Line {
        Line { items: Vec::new(), rule: None, height, ascent: 0.0, keep_with_next: false }
    }
}

/// Where a column of text sits: its left edge and width on the page.
#[derive(Clone, Copy)]
struct Column {
    left: f32,
    width: f32,
}

struct Style {
    weight: Weight,
    size: f32,
    leading: f32,
}

const TITLE: Style = Style { weight: Weight::Bold, size: 17.0, leading: 1.35 };
const HEADING: Style = Style { weight: Weight::Bold, size: 12.0, leading: 1.5 };
const BODY: Style = Style { weight: Weight::Regular, size: BODY_SIZE, leading: 1.5 };
const LABEL: Style = Style { weight: Weight::Bold, size: BODY_SIZE, leading: 1.5 };
const SMALL: Style = Style { weight: Weight::Regular, size: 8.5, leading: 1.45 };

/// Breaks `text` into lines no wider than `max` points, measuring each piece between two
/// break opportunities once.
///
/// A word wider than a whole line stays on a line of its own rather than being cut.
fn wrap(text: &str, style: &Style, max: f32) -> Result<Vec<String>, DocumentError> {
    let mut lines = Vec::new();
    let (mut start, mut previous, mut line_width) = (0, 0, 0.0);
    for (at, opportunity) in linebreaks(text) {
        let segment = &text[previous..at];
        let word = segment.trim_end();
        let word_width = width(word, style.weight, style.size)?;
        if previous > start && line_width + word_width > max {
            lines.push(text[start..previous].trim_end().to_owned());
            start = previous;
            line_width = 0.0;
        }
        line_width += word_width + width(&segment[word.len()..], style.weight, style.size)?;
        previous = at;
        if opportunity == BreakOpportunity::Mandatory {
            lines.push(text[start..at].trim_end().to_owned());
            start = at;
            line_width = 0.0;
        }
    }
    lines.retain(|line| !line.is_empty());
    Ok(lines)
}

/// Shapes one line in visual order and places it in `column`, aligned to the start of the
/// document's direction.
fn place(text: &str, style: &Style, column: Column, right_to_left: bool) -> Result<Vec<Placed>, DocumentError> {
    let base = if right_to_left { Level::rtl() } else { Level::ltr() };
    let info = BidiInfo::new(text, Some(base));
    let mut runs = Vec::new();
    for paragraph in &info.paragraphs {
        let (levels, visual) = info.visual_runs(paragraph, paragraph.range.clone());
        for range in visual {
            let rtl = levels[range.start].is_rtl();
            // The direction marks and isolates have done their work in the algorithm above;
            // they are not drawn.
            let visible: String = text[range].chars().filter(|c| !is_invisible(*c)).collect();
            if !visible.is_empty() {
                runs.extend(shape(&visible, style.weight, style.size, rtl)?);
            }
        }
    }
    let total: f32 = runs.iter().map(|run| run.width).sum();
    let mut x = if right_to_left { column.left + column.width - total } else { column.left };
    Ok(runs
        .into_iter()
        .map(|run| {
            let placed = Placed { x, size: style.size, run };
            x += placed.run.width;
            placed
        })
        .collect())
}

fn text_lines(text: &str, style: &Style, column: Column, right_to_left: bool) -> Result<Vec<Line>, DocumentError> {
    wrap(text, style, column.width)?
        .iter()
        .map(|line| {
            Ok(Line {
                items: place(line, style, column, right_to_left)?,
                rule: None,
                height: style.size * style.leading,
                ascent: style.size,
                keep_with_next: false,
            })
        })
        .collect()
}

/// Two columns side by side, line by line: the first at the start of the reading direction.
fn columns(
    first: (&str, &Style),
    second: (&str, &Style),
    split: f32,
    right_to_left: bool,
) -> Result<Vec<Line>, DocumentError> {
    let gutter = 12.0;
    let start = CONTENT_WIDTH * split;
    let (first_column, second_column) = if right_to_left {
        (
            Column { left: MARGIN + CONTENT_WIDTH - start, width: start },
            Column { left: MARGIN, width: CONTENT_WIDTH - start - gutter },
        )
    } else {
        (
            Column { left: MARGIN, width: start },
            Column { left: MARGIN + start + gutter, width: CONTENT_WIDTH - start - gutter },
        )
    };
    let mut left = text_lines(first.0, first.1, first_column, right_to_left)?.into_iter();
    let mut right = text_lines(second.0, second.1, second_column, right_to_left)?.into_iter();
    let mut lines = Vec::new();
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ok(lines),
            (a, b) => {
                let mut line = Line::gap(0.0);
                for part in [a, b].into_iter().flatten() {
                    line.height = line.height.max(part.height);
                    line.ascent = line.ascent.max(part.ascent);
                    line.items.extend(part.items);
                }
                lines.push(line);
            }
        }
    }
}

fn block_lines(block: &Block, right_to_left: bool) -> Result<Vec<Line>, DocumentError> {
    let full = Column { left: MARGIN, width: CONTENT_WIDTH };
    let mut lines = match block {
        Block::Title(text) => {
            let mut lines = text_lines(text, &TITLE, full, right_to_left)?;
            lines.push(Line::gap(4.0));
            lines
        }
        Block::Heading(text) => {
            let mut lines = vec![Line::gap(6.0)];
            lines.extend(text_lines(text, &HEADING, full, right_to_left)?);
            for line in &mut lines {
                line.keep_with_next = true;
            }
            lines
        }
        Block::Paragraph(text) => text_lines(text, &BODY, full, right_to_left)?,
        Block::Small(text) => text_lines(text, &SMALL, full, right_to_left)?,
        Block::Bullets(items) => {
            let mut lines = Vec::new();
            for item in items {
                lines.extend(columns(("•", &BODY), (item, &BODY), 0.04, right_to_left)?);
            }
            lines
        }
        Block::Fields(fields) => {
            let mut lines = Vec::new();
            for (label, value) in fields {
                lines.extend(columns((label, &LABEL), (value, &BODY), 0.3, right_to_left)?);
            }
            lines
        }
        Block::Signature(label) => {
            let width = CONTENT_WIDTH * 0.45;
            let left = if right_to_left { MARGIN + CONTENT_WIDTH - width } else { MARGIN };
            let mut lines = vec![Line::gap(28.0), Line { rule: Some((left, left + width)), ..Line::gap(4.0) }];
            lines.extend(text_lines(label, &SMALL, Column { left, width }, right_to_left)?);
            lines
        }
    };
    lines.push(Line::gap(BODY_SIZE * 0.6));
    Ok(lines)
}

/// Splits lines into pages, never leaving a heading at the foot of a page.
fn paginate(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let room = PAGE_HEIGHT - 2.0 * MARGIN - FOOTER_HEIGHT;
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut used = 0.0;
    let mut lines = lines.into_iter().peekable();
    while let Some(line) = lines.next() {
        // A heading goes to the next page unless the line after it fits here too.
        let needed = line.height + if line.keep_with_next { lines.peek().map_or(0.0, |next| next.height) } else { 0.0 };
        if used + needed > room && !pages.last().is_some_and(Vec::is_empty) {
            pages.push(Vec::new());
            used = 0.0;
        }
        used += line.height;
        pages.last_mut().expect("at least one page").push(line);
    }
    pages
}

fn draw_line(surface: &mut krilla::surface::Surface<'_>, line: &Line, top: f32) {
    let baseline = top + line.ascent;
    for placed in &line.items {
        let run = &placed.run;
        surface.draw_glyphs(
            Point::from_xy(placed.x, baseline),
            &run.glyphs,
            run.font.clone(),
            &run.text,
            placed.size,
            false,
        );
    }
    if let Some((from, to)) = line.rule {
        let mut path = PathBuilder::new();
        path.move_to(from, top);
        path.line_to(to, top);
        if let Some(path) = path.finish() {
            surface.set_stroke(Some(Stroke { width: 0.7, ..Stroke::default() }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }
}

/// Typesets `document` and returns the PDF's bytes. `page_label(page, pages)` is the page
/// number as the document's language writes it.
pub fn render(document: &Composed, page_label: &dyn Fn(usize, usize) -> String) -> Result<Vec<u8>, DocumentError> {
    let rtl = document.right_to_left;
    let mut lines = Vec::new();
    for block in &document.blocks {
        lines.extend(block_lines(block, rtl)?);
    }
    let pages = paginate(lines);
    let count = pages.len();
    let full = Column { left: MARGIN, width: CONTENT_WIDTH };
    let mut pdf = Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(document.title.clone())
            .language(document.language.clone())
            .creator(format!("Porta {}", crate::VERSION)),
    );
    for (index, page_lines) in pages.iter().enumerate() {
        let mut footer = Vec::new();
        if let Some(note) = &document.footer_note {
            footer.extend(text_lines(note, &SMALL, full, rtl)?);
        }
        footer.extend(text_lines(&page_label(index + 1, count), &SMALL, full, rtl)?);
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).expect("A4 is a valid size");
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        let mut top = MARGIN;
        for line in page_lines {
            draw_line(&mut surface, line, top);
            top += line.height;
        }
        let mut top = PAGE_HEIGHT - MARGIN - footer.iter().map(|line| line.height).sum::<f32>();
        for line in &footer {
            draw_line(&mut surface, line, top);
            top += line.height;
        }
        surface.finish();
        page.finish();
    }
    pdf.finish().map_err(|error| DocumentError::Pdf(format!("{error:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_column_and_keeps_every_word() {
        let text = "Porta con te questi documenti, in originale e in fotocopia. ".repeat(12);
        let lines = wrap(&text, &BODY, 200.0).unwrap();
        assert!(lines.len() > 5);
        for line in &lines {
            // Measured whole, kerning across a space may add a hair to the sum of its words.
            assert!(width(line, Weight::Regular, BODY_SIZE).unwrap() <= 200.5, "{line}");
        }
        assert_eq!(lines.join(" ").split_whitespace().count(), text.split_whitespace().count());
    }

    #[test]
    fn a_word_longer_than_the_line_gets_a_line_of_its_own() {
        let lines = wrap("a supercalifragilistichespiralidoso b", &BODY, 30.0).unwrap();
        assert_eq!(lines, ["a", "supercalifragilistichespiralidoso", "b"]);
    }

    #[test]
    fn an_arabic_line_ends_at_the_right_margin_with_latin_words_in_their_order() {
        let column = Column { left: MARGIN, width: CONTENT_WIDTH };
        let placed = place("رمز CUP هو AB12", &BODY, column, true).unwrap();
        let right_edge = placed.last().map(|p| p.x + p.run.width).unwrap();
        assert!((right_edge - (MARGIN + CONTENT_WIDTH)).abs() < 0.01);
        // Visual order, left to right: "AB12", Arabic, "CUP", Arabic.
        let texts: Vec<&str> = placed.iter().map(|p| p.run.text.trim()).filter(|t| !t.is_empty()).collect();
        assert_eq!(texts.first(), Some(&"AB12"));
        assert!(texts.contains(&"CUP"));
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        let mut lines: Vec<Line> = (0..60).map(|_| Line::gap(BODY_SIZE * 1.5)).collect();
        let at = lines.len() - 1;
        lines.insert(at - 14, Line { keep_with_next: true, ..Line::gap(HEADING.size * 1.5) });
        for page in paginate(lines) {
            assert!(!page.last().unwrap().keep_with_next);
        }
    }
}
