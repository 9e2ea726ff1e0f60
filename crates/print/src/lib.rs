//! vitrine-print: QR window posters and shelf-label sheets as print-ready vector PDFs, with
//! SVG and PNG previews drawn from the very same layout.
//!
//! Everything printed comes in as plain data: texts, the link to encode, picture bytes (PNG,
//! JPEG or WebP) and prices already formatted for the shop's locale. This crate builds no
//! links and reads no catalog; the share and app layers do that and call it.
//!
//! # Text in any script
//! Text is set with the bundled Noto Sans, Noto Sans Arabic and Noto Sans Devanagari (regular
//! and bold, SIL OFL, see `fonts/OFL.txt`); no system font is ever used, so a poster prints the
//! same everywhere. parley does the bidi algorithm, per-script font fallback, shaping (joined
//! Arabic, Devanagari conjuncts and vowel signs) and line breaking. Phone numbers, prices and
//! other digit runs are wrapped in left-to-right isolates (U+2066 … U+2069) so that
//! "+966 55 123 4567" inside an Arabic sentence keeps its order.
//!
//! # Output
//! - PDF (krilla): fonts embedded and subset, text searchable and copyable, QR codes as
//!   vector rectangles with a 4-module quiet zone, pictures embedded as given.
//! - SVG: the same glyphs as outlines (no fonts needed to view it), for the UI.
//! - PNG: that SVG rasterised by resvg at any dpi.
//!
//! Units inside are PDF points (1/72 inch); label sheet positions are given in millimetres.
//!
//! # Use
//! ```no_run
//! use vitrine_core::LanguageTag;
//! use vitrine_print::{Palette, PaperSize, Poster, PosterLine, Printer};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let poster = Poster {
//!     size: PaperSize::A5,
//!     language: LanguageTag::parse("ar")?,
//!     shop_name: "متجر الورد".into(),
//!     logo: None,
//!     headline: "اطلب الآن عبر واتساب".into(),
//!     call_to_action: "امسح الرمز للطلب".into(),
//!     phone_display: "+966 55 123 4567".into(),
//!     qr_url: "https://wa.me/966551234567".into(),
//!     photo: None,
//!     lines: vec![PosterLine { text: "Order on WhatsApp".into(), language: LanguageTag::parse("en")? }],
//!     palette: Palette::default(),
//! };
//! let mut printer = Printer::new(); // keep it: it holds the parsed fonts
//! let pdf: Vec<u8> = printer.poster_pdf(&poster)?;
//! let preview: Vec<u8> = printer.poster_png(&poster, 96.0)?;
//! # Ok(()) }
//! ```
//! Label sheets work the same way with [`LabelSheet`], [`Printer::labels_pdf`] (one page per
//! [`LabelLayout::per_page`] labels) and [`Printer::labels_png`] (a preview of the first page).

mod labels;
mod pdf;
mod poster;
mod qr;
mod scene;
mod svg;
mod text;

pub use labels::{Label, LabelLayout, LabelSheet};
pub use poster::{Palette, PaperSize, Poster, PosterLine};
pub use vitrine_core::Colour;

/// Why a poster or a label sheet could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("“{url}” does not fit in a QR code: {reason}")]
    QrCode { url: String, reason: String },
    #[error("the QR colour {0} is too light to scan on white; choose a darker colour")]
    UnreadableQrColour(Colour),
    #[error("{what} is not a PNG, JPEG or WebP picture")]
    UnsupportedPicture { what: String },
    #[error("{what} could not be read: {reason}")]
    BadPicture { what: String, reason: String },
    #[error("“{0}” is not a paper size (A4, A5, A6 or Letter)")]
    UnknownPaperSize(String),
    #[error("“{0}” is not a label sheet layout (3x8, 3x7, 2x7, 2x5 or 4x10)")]
    UnknownLabelLayout(String),
    #[error("there are no labels to print")]
    NoLabels,
    #[error("the label sheet has no page {0}")]
    NoSuchPage(usize),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the preview could not be drawn: {0}")]
    Preview(String),
}

/// Lays out and draws posters and label sheets. It holds the parsed bundled fonts and the
/// layout scratch space: make one and reuse it (it is cheap to keep, a few ms to make).
pub struct Printer {
    typesetter: text::Typesetter,
}

impl Default for Printer {
    fn default() -> Self {
        Self::new()
    }
}

impl Printer {
    pub fn new() -> Self {
        Self {
            typesetter: text::Typesetter::new(),
        }
    }

    /// The poster as a one-page PDF.
    pub fn poster_pdf(&mut self, poster: &Poster) -> Result<Vec<u8>, PrintError> {
        pdf::write(&[poster::lay_out(&mut self.typesetter, poster)?])
    }

    /// The poster as SVG (text as outlines), sized in points.
    pub fn poster_svg(&mut self, poster: &Poster) -> Result<String, PrintError> {
        Ok(svg::write(&poster::lay_out(&mut self.typesetter, poster)?))
    }

    /// The poster as a PNG at `dpi` dots per inch (96 for a screen preview).
    pub fn poster_png(&mut self, poster: &Poster, dpi: f32) -> Result<Vec<u8>, PrintError> {
        svg::render_png(&poster::lay_out(&mut self.typesetter, poster)?, dpi)
    }

    /// All the labels, [`LabelLayout::per_page`] to a page, as a multi-page PDF.
    pub fn labels_pdf(&mut self, sheet: &LabelSheet) -> Result<Vec<u8>, PrintError> {
        pdf::write(&labels::lay_out(&mut self.typesetter, sheet, None)?)
    }

    /// Page `page` (from 0) of the label sheet as SVG, the labels' outlines dashed.
    pub fn labels_svg(&mut self, sheet: &LabelSheet, page: usize) -> Result<String, PrintError> {
        Ok(svg::write(&self.label_page(sheet, page)?))
    }

    /// The first page of the label sheet as a PNG at `dpi`, the labels' outlines dashed.
    pub fn labels_png(&mut self, sheet: &LabelSheet, dpi: f32) -> Result<Vec<u8>, PrintError> {
        svg::render_png(&self.label_page(sheet, 0)?, dpi)
    }

    fn label_page(&mut self, sheet: &LabelSheet, page: usize) -> Result<scene::Page, PrintError> {
        labels::lay_out(&mut self.typesetter, sheet, Some(page))?
            .pop()
            .ok_or(PrintError::NoSuchPage(page))
    }
}

impl Poster {
    /// The poster as PDF bytes. Use a [`Printer`] to print many.
    pub fn to_pdf(&self) -> Result<Vec<u8>, PrintError> {
        Printer::new().poster_pdf(self)
    }

    pub fn to_svg(&self) -> Result<String, PrintError> {
        Printer::new().poster_svg(self)
    }

    pub fn render_png(&self, dpi: f32) -> Result<Vec<u8>, PrintError> {
        Printer::new().poster_png(self, dpi)
    }
}

impl LabelSheet {
    /// The sheet as PDF bytes. Use a [`Printer`] to print many.
    pub fn to_pdf(&self) -> Result<Vec<u8>, PrintError> {
        Printer::new().labels_pdf(self)
    }

    /// The first page as PNG.
    pub fn render_png(&self, dpi: f32) -> Result<Vec<u8>, PrintError> {
        Printer::new().labels_png(self, dpi)
    }
}
