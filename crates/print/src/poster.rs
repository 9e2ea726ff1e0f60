//! The window poster: shop name and logo on a coloured band, a headline, the QR code (with the
//! product photo beside it when there is one), the call to action, the phone number and short
//! lines in the shop's other languages, all centred on a portrait page.

use std::sync::Arc;

use vitrine_core::{Direction, LanguageTag};

use crate::qr::{self, QrSymbol};
use crate::scene::{Mark, Page, Picture, Rect};
use crate::text::{isolate_numbers, Align, TextBlock, TextStyle, Typesetter};
use crate::{Colour, PrintError};

/// Portrait paper sizes, in PDF points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperSize {
    A4,
    A5,
    A6,
    /// US Letter, 8.5 × 11 inches.
    Letter,
}

impl PaperSize {
    pub const ALL: [PaperSize; 4] = [
        PaperSize::A4,
        PaperSize::A5,
        PaperSize::A6,
        PaperSize::Letter,
    ];

    /// Width and height in points (1/72 inch).
    pub fn points(self) -> (f32, f32) {
        match self {
            PaperSize::A4 => (mm(210.0), mm(297.0)),
            PaperSize::A5 => (mm(148.0), mm(210.0)),
            PaperSize::A6 => (mm(105.0), mm(148.0)),
            PaperSize::Letter => (612.0, 792.0),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PaperSize::A4 => "A4",
            PaperSize::A5 => "A5",
            PaperSize::A6 => "A6",
            PaperSize::Letter => "Letter",
        }
    }
}

impl std::str::FromStr for PaperSize {
    type Err = PrintError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaperSize::ALL
            .into_iter()
            .find(|size| size.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| PrintError::UnknownPaperSize(s.to_owned()))
    }
}

pub(crate) fn mm(millimetres: f32) -> f32 {
    millimetres * 72.0 / 25.4
}

/// One line of the poster in a given language; its language sets its direction (Arabic lines
/// read right to left) and numbers inside it are kept in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosterLine {
    pub text: String,
    pub language: LanguageTag,
}

/// The poster's colours. The QR code is always printed on white; `qr` must stand out on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub background: Colour,
    /// Headline, call to action, phone and lines.
    pub ink: Colour,
    /// The band behind the shop name, and the frame of the QR code.
    pub accent: Colour,
    /// The shop name, on the accent band.
    pub on_accent: Colour,
    pub qr: Colour,
}

impl Default for Palette {
    fn default() -> Self {
        Self {
            background: Colour::WHITE,
            ink: Colour::rgb(0x1f, 0x2a, 0x24),
            accent: Colour::rgb(0x07, 0x5e, 0x54),
            on_accent: Colour::WHITE,
            qr: Colour::BLACK,
        }
    }
}

/// Below this contrast against white a phone camera may not find the code.
const MIN_QR_CONTRAST: f64 = 4.5;

/// A window poster. Everything is plain input: the caller builds the link, formats the phone
/// number and picks the texts; pictures are PNG, JPEG or WebP bytes, embedded as they are and
/// drawn as stored (EXIF orientation is not applied): pass an upright thumbnail of about
/// 1000 px, such as vitrine-media makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poster {
    pub size: PaperSize,
    /// The language of the shop name, headline and call to action (sets their direction).
    pub language: LanguageTag,
    pub shop_name: String,
    /// Printed on the band and in the centre of the QR code (which then uses error correction
    /// level H so it still scans).
    pub logo: Option<Vec<u8>>,
    pub headline: String,
    pub call_to_action: String,
    /// The phone number as people should read it, for example "+966 55 123 4567".
    pub phone_display: String,
    /// The link the QR code opens, usually a wa.me click-to-chat or catalog link.
    pub qr_url: String,
    /// A product photo, printed beside the QR code.
    pub photo: Option<Vec<u8>>,
    /// Short lines in the shop's other languages, printed in this order.
    pub lines: Vec<PosterLine>,
    pub palette: Palette,
}

/// Everything on the poster that has a height, laid out at one text scale.
struct Column {
    name: TextBlock,
    headline: TextBlock,
    call_to_action: TextBlock,
    phone: TextBlock,
    lines: Vec<TextBlock>,
}

pub(crate) fn lay_out(typesetter: &mut Typesetter, poster: &Poster) -> Result<Page, PrintError> {
    let palette = poster.palette;
    if palette.qr.contrast(Colour::WHITE) < MIN_QR_CONTRAST {
        return Err(PrintError::UnreadableQrColour(palette.qr));
    }
    let logo = poster
        .logo
        .as_deref()
        .map(|bytes| Picture::read(bytes, "the logo"))
        .transpose()?;
    let photo = poster
        .photo
        .as_deref()
        .map(|bytes| Picture::read(bytes, "the photo"))
        .transpose()?;
    let code = Arc::new(qr::encode(&poster.qr_url, logo.is_some())?);

    let (width, height) = poster.size.points();
    // Every length scales with the page width, so an A6 is an A4 in miniature.
    let unit = width / 100.0;
    let margin = 7.0 * unit;
    let inner = width - 2.0 * margin;
    let gap = 3.5 * unit;
    let logo_height = if logo.is_some() { 11.0 * unit } else { 0.0 };
    let line_gap = 1.2 * unit;

    // Shrink the text until the QR code gets at least this share of the width.
    let qr_wanted = if photo.is_some() {
        (inner - gap) / 2.0
    } else {
        0.58 * inner
    };
    let qr_least = (0.5 * inner).min(qr_wanted);
    let mut scale = 1.0_f32;
    let (column, band_height, qr_size) = loop {
        let column = set_column(typesetter, poster, unit * scale, inner);
        let band_height = 2.0 * gap
            + logo_height
            + column.name.height
            + if logo.is_some() { gap * 0.6 } else { 0.0 };
        let texts = column.headline.height
            + column.call_to_action.height
            + column.phone.height
            + column.lines.iter().map(|b| b.height).sum::<f32>();
        let gaps =
            gap * (4 + column.lines.len().min(1)) as f32 + line_gap * column.lines.len() as f32;
        let room = height - band_height - margin - texts - gaps;
        let qr_size = qr_wanted.min(room);
        if qr_size >= qr_least || scale < 0.55 {
            break (column, band_height, qr_size.max(qr_least.min(qr_wanted)));
        }
        scale *= 0.9;
    };

    let mut marks = vec![
        Mark::Fill {
            rect: Rect::new(0.0, 0.0, width, height),
            colour: palette.background,
        },
        Mark::Fill {
            rect: Rect::new(0.0, 0.0, width, band_height),
            colour: palette.accent,
        },
    ];
    let mut y = gap;
    if let Some(logo) = logo.clone() {
        marks.push(logo.contained(Rect::new(margin, y, inner, logo_height)));
        y += logo_height + gap * 0.6;
    }
    marks.push(Mark::text(margin, y, column.name));
    y = band_height;

    // Spread what room is left evenly between the blocks below the band.
    let used = column.headline.height
        + qr_size
        + column.call_to_action.height
        + column.phone.height
        + column
            .lines
            .iter()
            .map(|b| b.height + line_gap)
            .sum::<f32>();
    let spaces = 5 + usize::from(!column.lines.is_empty());
    let space = ((height - band_height - margin * 0.6 - used) / spaces as f32).max(gap * 0.5);

    y += space;
    let headline_height = column.headline.height;
    marks.push(Mark::text(margin, y, column.headline));
    y += headline_height + space;

    let row_width = if photo.is_some() {
        2.0 * qr_size + gap
    } else {
        qr_size
    };
    let mut qr_x = margin + (inner - row_width) / 2.0;
    if let Some(photo) = photo {
        marks.push(photo.covering(Rect::new(qr_x, y, qr_size, qr_size)));
        qr_x += qr_size + gap;
    }
    push_qr(&mut marks, qr_x, y, qr_size, code, logo, palette);
    y += qr_size + space;

    let cta_height = column.call_to_action.height;
    marks.push(Mark::text(margin, y, column.call_to_action));
    y += cta_height + space * 0.5;
    let phone_height = column.phone.height;
    marks.push(Mark::text(margin, y, column.phone));
    y += phone_height + space;
    for line in column.lines {
        let line_height = line.height;
        marks.push(Mark::text(margin, y, line));
        y += line_height + line_gap;
    }
    Ok(Page {
        width,
        height,
        marks,
    })
}

fn set_column(typesetter: &mut Typesetter, poster: &Poster, unit: f32, width: f32) -> Column {
    let palette = poster.palette;
    let direction = Some(poster.language.direction());
    let style = |size: f32, bold: bool, colour: Colour| TextStyle {
        size: size * unit,
        bold,
        colour,
        align: Align::Centre,
        direction,
    };
    let mut set = |text: &str, style: TextStyle, max_lines: usize, min_size: f32| {
        typesetter.fitted_block(
            &isolate_numbers(text),
            &style,
            width,
            max_lines,
            min_size * unit,
        )
    };
    Column {
        name: set(
            &poster.shop_name,
            style(8.0, true, palette.on_accent),
            2,
            4.0,
        ),
        headline: set(&poster.headline, style(7.0, true, palette.ink), 3, 4.5),
        call_to_action: set(
            &poster.call_to_action,
            style(5.0, true, palette.ink),
            2,
            3.5,
        ),
        // A phone number reads left to right whatever the poster's language.
        phone: set(
            &poster.phone_display,
            TextStyle {
                direction: Some(Direction::Ltr),
                ..style(6.5, true, palette.accent)
            },
            1,
            4.0,
        ),
        lines: poster
            .lines
            .iter()
            .map(|line| {
                let line_style = TextStyle {
                    direction: Some(line.language.direction()),
                    ..style(4.0, false, palette.ink)
                };
                set(&line.text, line_style, 2, 3.0)
            })
            .collect(),
    }
}

/// The QR code in an accent frame, with the logo on a white square over its centre.
fn push_qr(
    marks: &mut Vec<Mark>,
    x: f32,
    y: f32,
    size: f32,
    code: Arc<QrSymbol>,
    logo: Option<Picture>,
    palette: Palette,
) {
    let frame = size * 0.025;
    marks.push(Mark::Fill {
        rect: Rect::new(x - frame, y - frame, size + 2.0 * frame, size + 2.0 * frame),
        colour: palette.accent,
    });
    let module = size / code.side() as f32;
    let logo_box = code.logo_box();
    marks.push(Mark::Qr {
        x,
        y,
        size,
        code,
        colour: palette.qr,
    });
    if let (Some(logo), Some((first, side))) = (logo, logo_box) {
        let square = Rect::new(
            x + first as f32 * module,
            y + first as f32 * module,
            side as f32 * module,
            side as f32 * module,
        );
        marks.push(Mark::Fill {
            rect: square,
            colour: Colour::WHITE,
        });
        let pad = module * 0.7;
        marks.push(logo.contained(Rect::new(
            square.x + pad,
            square.y + pad,
            square.width - 2.0 * pad,
            square.height - 2.0 * pad,
        )));
    }
}
