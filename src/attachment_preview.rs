//! Pictures of a PDF attachment's pages, to show a scan in the window: the web view needs no
//! PDF viewer and its content security policy stays as strict as for images.
//!
//! The PDF comes from outside (a scan, a file someone e-mailed): a page of any declared size
//! is drawn at most [`MAX_SIDE_PIXELS`] wide or tall, and a document the renderer cannot read
//! (or that makes it fail) is reported, never a crash.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

/// How many pages are drawn at most: the rest are read by saving a copy.
pub const PREVIEW_PAGES: usize = 10;

/// 1.5 × 72 dpi: an A4 page is 892 × 1263 pixels, sharp on a laptop screen.
const SCALE: f32 = 1.5;

/// The longest side of a drawn page, whatever size the PDF declares.
pub const MAX_SIDE_PIXELS: f32 = 2000.0;

/// The first pages of a PDF, as PNG pictures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePictures {
    /// One PNG per page, the first [`PREVIEW_PAGES`] at most.
    pub pngs: Vec<Vec<u8>>,
    /// How many pages the document has.
    pub page_count: usize,
}

/// Why a PDF cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("the PDF cannot be read")]
    Unreadable,
    #[error("the PDF has no pages")]
    NoPages,
    #[error("a page could not be drawn")]
    Drawing,
}

/// Draws the first [`PREVIEW_PAGES`] pages of `pdf`.
pub fn pdf_pages(pdf: &[u8]) -> Result<PagePictures, PreviewError> {
    let bytes = pdf.to_vec();
    // The renderer is young and the file is untrusted: a panic in it is a PDF that cannot be
    // shown, not a desk that stops.
    std::panic::catch_unwind(move || draw(bytes)).unwrap_or(Err(PreviewError::Drawing))
}

fn draw(bytes: Vec<u8>) -> Result<PagePictures, PreviewError> {
    let pdf = Pdf::new(bytes).map_err(|_| PreviewError::Unreadable)?;
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(PreviewError::NoPages);
    }
    let cache = RenderCache::new();
    let interpreter = InterpreterSettings::default();
    let settings = RenderSettings::default();
    let pngs = pages
        .iter()
        .take(PREVIEW_PAGES)
        .map(|page| {
            let (width, height) = page.render_dimensions();
            let longest = width.max(height).max(1.0);
            let scale = SCALE.min(MAX_SIDE_PIXELS / longest);
            let pixmap_settings = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
            let pixmap = hayro::render(page, &cache, &interpreter, &settings, &pixmap_settings);
            pixmap.into_png().map_err(|_| PreviewError::Drawing)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PagePictures { pngs, page_count: pages.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF whose pages have these sizes in points, each with a black square of 100 points
    /// at its bottom left corner.
    fn pdf_with_pages(sizes: &[(u32, u32)]) -> Vec<u8> {
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            format!(
                "<< /Type /Pages /Count {} /Kids [{}] >>",
                sizes.len(),
                (0..sizes.len()).map(|i| format!("{} 0 R", 4 + 2 * i)).collect::<Vec<_>>().join(" ")
            ),
            "<< /Length 16 >>\nstream\n0 0 100 100 re f\nendstream".to_owned(),
        ];
        for (i, (width, height)) in sizes.iter().enumerate() {
            objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] /Contents 3 0 R >>"));
            // An unused object keeps the page numbering simple (4, 6, 8…).
            objects.push(format!("<< /Index {i} >>"));
        }
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (index, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
        );
        pdf
    }

    /// Width, height and the red channel of every pixel of a PNG.
    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        let channels = info.color_type.samples();
        (info.width, info.height, pixels.chunks(channels).map(|pixel| pixel[0]).collect())
    }

    #[test]
    fn an_a4_page_is_drawn_sharp_with_what_it_holds() {
        let pictures = pdf_pages(&pdf_with_pages(&[(595, 842)])).unwrap();
        assert_eq!((pictures.pngs.len(), pictures.page_count), (1, 1));
        let (width, height, reds) = decode(&pictures.pngs[0]);
        assert_eq!((width, height), (892, 1263));
        let dark = reds.iter().filter(|red| **red < 64).count();
        // The 100-point square is 150 × 150 pixels at 1.5 × 72 dpi, at the bottom left; the
        // rest is white paper.
        assert!((150 * 150 - 400..=150 * 150 + 400).contains(&dark), "{dark} dark pixels");
        assert_eq!(reds[0], 255, "white paper at the top left");
        assert!(reds[(height as usize - 1) * width as usize] < 64, "black at the bottom left");
    }

    #[test]
    fn only_the_first_pages_of_a_long_document_are_drawn() {
        let pictures = pdf_pages(&pdf_with_pages(&[(595, 842); 12])).unwrap();
        assert_eq!((pictures.pngs.len(), pictures.page_count), (PREVIEW_PAGES, 12));
    }

    #[test]
    fn a_page_of_any_declared_size_stays_within_bounds() {
        let pictures = pdf_pages(&pdf_with_pages(&[(14_400, 14_400), (14_400, 200)])).unwrap();
        for png in &pictures.pngs {
            let (width, height, _) = decode(png);
            assert!(width.max(height) <= MAX_SIDE_PIXELS as u32 && width.min(height) >= 1, "{width} × {height}");
        }
    }

    #[test]
    fn what_is_not_a_pdf_is_reported() {
        assert_eq!(pdf_pages(b"MZ\x90\x00 not a pdf").unwrap_err(), PreviewError::Unreadable);
        let mut cut = pdf_with_pages(&[(595, 842)]);
        cut.truncate(12);
        assert!(pdf_pages(&cut).is_err());
        assert_eq!(pdf_pages(&pdf_with_pages(&[])).unwrap_err(), PreviewError::NoPages);
    }
}
