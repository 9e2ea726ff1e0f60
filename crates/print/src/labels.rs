//! Shelf labels and price tags on A4 sheets of self-adhesive labels: each label shows the
//! product photo, its title (any script, shrunk then cut with an ellipsis to fit), the price
//! and a QR code to the product, at the exact position of the sheet's die-cut labels.

use std::sync::Arc;

use crate::poster::mm;
use crate::qr;
use crate::scene::{Mark, Page, Picture, Rect};
use crate::text::{isolate_numbers, Align, TextStyle, Typesetter};
use crate::{Colour, PrintError};

const A4: (f32, f32) = (210.0, 297.0);

/// Where the labels of an A4 label sheet are, in millimetres from the sheet's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelLayout {
    pub columns: u32,
    pub rows: u32,
    pub label_width_mm: f32,
    pub label_height_mm: f32,
    /// The first label's top-left corner.
    pub left_mm: f32,
    pub top_mm: f32,
    /// From one label's left (top) edge to the next one's.
    pub pitch_x_mm: f32,
    pub pitch_y_mm: f32,
}

impl LabelLayout {
    /// 24 labels of 63.5 × 33.9 mm (the common L7159 / 3422-style sheet).
    pub const A4_3X8: LabelLayout = LabelLayout::new(3, 8, 63.5, 33.9, 7.25, 12.9, 66.0, 33.9);
    /// 21 labels of 63.5 × 38.1 mm (L7160-style).
    pub const A4_3X7: LabelLayout = LabelLayout::new(3, 7, 63.5, 38.1, 7.25, 15.15, 66.0, 38.1);
    /// 14 labels of 99.1 × 38.1 mm (L7163-style).
    pub const A4_2X7: LabelLayout = LabelLayout::new(2, 7, 99.1, 38.1, 4.65, 15.15, 101.6, 38.1);
    /// 10 labels of 99.1 × 57 mm (L7173-style).
    pub const A4_2X5: LabelLayout = LabelLayout::new(2, 5, 99.1, 57.0, 4.65, 6.0, 101.6, 57.0);
    /// 40 labels of 45.7 × 25.4 mm (L7654-style).
    pub const A4_4X10: LabelLayout = LabelLayout::new(4, 10, 45.7, 25.4, 9.7, 21.5, 48.3, 25.4);

    pub const ALL: [LabelLayout; 5] = [
        LabelLayout::A4_3X8,
        LabelLayout::A4_3X7,
        LabelLayout::A4_2X7,
        LabelLayout::A4_2X5,
        LabelLayout::A4_4X10,
    ];

    #[expect(
        clippy::too_many_arguments,
        reason = "a const table row, named at each use"
    )]
    const fn new(
        columns: u32,
        rows: u32,
        label_width_mm: f32,
        label_height_mm: f32,
        left_mm: f32,
        top_mm: f32,
        pitch_x_mm: f32,
        pitch_y_mm: f32,
    ) -> Self {
        Self {
            columns,
            rows,
            label_width_mm,
            label_height_mm,
            left_mm,
            top_mm,
            pitch_x_mm,
            pitch_y_mm,
        }
    }

    pub fn per_page(&self) -> usize {
        (self.columns * self.rows) as usize
    }

    /// "3x8", the name the CLI and the UI use.
    pub fn name(&self) -> String {
        format!("{}x{}", self.columns, self.rows)
    }

    /// The label at `slot` (0 is top-left, then along the row), in points.
    fn slot(&self, slot: usize) -> Rect {
        let column = (slot % self.columns as usize) as f32;
        let row = (slot / self.columns as usize) as f32;
        Rect::new(
            mm(self.left_mm + column * self.pitch_x_mm),
            mm(self.top_mm + row * self.pitch_y_mm),
            mm(self.label_width_mm),
            mm(self.label_height_mm),
        )
    }
}

impl std::str::FromStr for LabelLayout {
    type Err = PrintError;
    /// Parses "3x8" (or "3×8") into one of [`LabelLayout::ALL`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('×', "x");
        LabelLayout::ALL
            .into_iter()
            .find(|layout| layout.name() == wanted)
            .ok_or_else(|| PrintError::UnknownLabelLayout(s.to_owned()))
    }
}

/// One product's label. The price arrives formatted for the shop's locale ("R$ 49,90").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub title: String,
    pub price_text: String,
    /// PNG, JPEG or WebP; a thumbnail of a few hundred pixels is plenty.
    pub photo: Option<Vec<u8>>,
    /// The product link the QR code opens.
    pub qr_url: String,
    pub sku: String,
}

/// Labels to print, filling the sheets in reading order; the last sheet may be partly empty.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelSheet {
    pub layout: LabelLayout,
    pub labels: Vec<Label>,
    /// The colour of the price.
    pub accent: Colour,
}

impl LabelSheet {
    pub fn page_count(&self) -> usize {
        self.labels.len().div_ceil(self.layout.per_page())
    }
}

pub(crate) fn lay_out(
    typesetter: &mut Typesetter,
    sheet: &LabelSheet,
    only_page: Option<usize>,
) -> Result<Vec<Page>, PrintError> {
    if sheet.labels.is_empty() {
        return Err(PrintError::NoLabels);
    }
    let (width, height) = (mm(A4.0), mm(A4.1));
    let per_page = sheet.layout.per_page();
    let mut pages = Vec::new();
    for (index, labels) in sheet.labels.chunks(per_page).enumerate() {
        if only_page.is_some_and(|wanted| wanted != index) {
            continue;
        }
        let mut marks = Vec::new();
        for (slot, label) in labels.iter().enumerate() {
            let frame = sheet.layout.slot(slot);
            marks.push(Mark::Guide { rect: frame });
            draw_label(typesetter, label, frame, sheet.accent, &mut marks)?;
        }
        pages.push(Page {
            width,
            height,
            marks,
        });
    }
    Ok(pages)
}

/// The QR code on the end side, full height; the title across the top of the rest; the photo
/// and, beside it, the price and SKU below.
fn draw_label(
    typesetter: &mut Typesetter,
    label: &Label,
    frame: Rect,
    accent: Colour,
    marks: &mut Vec<Mark>,
) -> Result<(), PrintError> {
    let photo = label
        .photo
        .as_deref()
        .map(|bytes| Picture::read(bytes, &format!("the photo of {}", label.sku)))
        .transpose()?;
    let code = Arc::new(qr::encode(&label.qr_url, false)?);

    // Sizes are set for a 63.5 × 33.9 mm label and scale with the label.
    let scale = (frame.height / mm(33.9)).min(frame.width / mm(63.5));
    let pad = 2.5 * scale.sqrt() * 72.0 / 25.4;
    let qr_size = (frame.height - 2.0 * pad).min(frame.width * 0.45);
    marks.push(Mark::Qr {
        x: frame.x + frame.width - pad * 0.6 - qr_size,
        y: frame.y + (frame.height - qr_size) / 2.0,
        size: qr_size,
        code,
        colour: Colour::BLACK,
    });

    let left = frame.x + pad;
    let text_width = frame.width - qr_size - 1.6 * pad;
    let style = |size: f32, bold: bool, colour: Colour| TextStyle {
        size: size * scale,
        bold,
        colour,
        align: Align::Start,
        direction: None,
    };
    let title = typesetter.fitted_block(
        &label.title,
        &style(9.0, true, Colour::rgb(0x1f, 0x1f, 0x1f)),
        text_width,
        2,
        6.5 * scale,
    );
    let title_height = title.height;
    marks.push(Mark::Text {
        x: left,
        y: frame.y + pad,
        block: title,
    });

    let bottom = frame.y + frame.height - pad;
    let room = bottom - (frame.y + pad + title_height) - pad * 0.4;
    let photo_size = room.min(text_width * 0.42).max(0.0);
    let (price_x, price_width) = match photo {
        Some(photo) if photo_size > 4.0 => {
            marks.push(photo.covering(Rect::new(
                left,
                bottom - photo_size,
                photo_size,
                photo_size,
            )));
            (
                left + photo_size + pad * 0.6,
                text_width - photo_size - pad * 0.6,
            )
        }
        _ => (left, text_width),
    };
    let sku = typesetter.fitted_block(
        &label.sku,
        &style(6.0, false, Colour::rgb(0x60, 0x60, 0x60)),
        price_width,
        1,
        4.5 * scale,
    );
    let price = typesetter.fitted_block(
        &isolate_numbers(&label.price_text),
        &style(13.0, true, accent),
        price_width,
        1,
        6.0 * scale,
    );
    let sku_top = bottom - sku.height;
    let price_top = sku_top - price.height;
    marks.push(Mark::text(price_x, price_top, price));
    marks.push(Mark::text(price_x, sku_top, sku));
    Ok(())
}
