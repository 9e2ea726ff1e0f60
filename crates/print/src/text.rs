//! Text layout with the bundled Noto fonts: bidi, per-script font fallback, shaping and line
//! breaking are parley's; this module turns a parley layout into positioned glyph runs that
//! both the PDF and the SVG drawing read, so the preview never shapes text a second time.
//!
//! Units are PDF points, y grows downwards, and a block's origin is its top-left corner.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use parley::fontique::Blob;
use parley::{
    Alignment, AlignmentOptions, BaseDirection, FontContext, FontData, FontFamily, FontWeight,
    Layout, LayoutContext, LineHeight, PositionedLayoutItem, StyleProperty,
};
use vitrine_core::Direction;

use crate::Colour;

/// The bundled faces: Latin first, so digits, `+` and Latin words inside Arabic or Hindi lines
/// come from Noto Sans, which has them (Noto Sans Arabic and Devanagari have no Latin letters).
const FONT_FILES: [&[u8]; 6] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Bold.ttf"),
];
const FAMILIES: &str = "Noto Sans, Noto Sans Arabic, Noto Sans Devanagari";

/// Left-to-right isolate and pop directional isolate (UAX #9).
const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';
const ELLIPSIS: char = '…';

/// How one block of text is set.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextStyle {
    pub size: f32,
    pub bold: bool,
    pub colour: Colour,
    pub align: Align,
    /// `None` takes the paragraph direction from the first strong character.
    pub direction: Option<Direction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Centre,
    /// Left in a left-to-right paragraph, right in a right-to-left one.
    Start,
}

/// A laid-out paragraph: glyph runs placed inside the box it was laid out in.
#[derive(Debug, Clone)]
pub(crate) struct TextBlock {
    /// The text the glyphs' ranges point into (with any isolates added), for PDF extraction.
    pub text: Arc<str>,
    pub runs: Vec<GlyphRun>,
    pub colour: Colour,
    pub height: f32,
}

/// Glyphs of one font at one size on one line, in visual order.
#[derive(Debug, Clone)]
pub(crate) struct GlyphRun {
    pub font: FontData,
    pub size: f32,
    /// Where the first glyph's pen position sits, relative to the block's top-left corner.
    pub x: f32,
    pub baseline: f32,
    pub glyphs: Vec<PlacedGlyph>,
}

#[derive(Debug, Clone)]
pub(crate) struct PlacedGlyph {
    pub id: u32,
    /// Offsets from the pen position, y downwards, in points.
    pub dx: f32,
    pub dy: f32,
    pub advance: f32,
    /// The characters this glyph stands for; a ligature covers all of its characters.
    pub text: Range<usize>,
}

/// Lays out text with the bundled fonts only: no system font is ever looked at, so a poster
/// looks the same on every machine.
pub(crate) struct Typesetter {
    fonts: FontContext,
    layouts: LayoutContext<()>,
}

impl Typesetter {
    pub fn new() -> Self {
        let mut fonts = FontContext::default();
        for file in FONT_FILES {
            fonts
                .collection
                .register_fonts(Blob::new(Arc::new(file)), None);
        }
        Self {
            fonts,
            layouts: LayoutContext::new(),
        }
    }

    /// Lays `text` out in at most `max_lines` lines of `width`: first shrinking the type down to
    /// `min_size`, then cutting the text with an ellipsis.
    pub fn fitted_block(
        &mut self,
        text: &str,
        style: &TextStyle,
        width: f32,
        max_lines: usize,
        min_size: f32,
    ) -> TextBlock {
        let fits =
            |layout: &Layout<()>| layout.len() <= max_lines && layout.width() <= width + 0.01;
        let mut style = *style;
        loop {
            let layout = self.layout(text, &style, width);
            if fits(&layout) {
                return to_block(&layout, text, &style);
            }
            if style.size <= min_size {
                break;
            }
            style.size = (style.size * 0.92).max(min_size);
        }
        // Longest prefix (in whole characters) that fits once an ellipsis is appended.
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
        let shortened = |cut: usize| format!("{}{ELLIPSIS}", text[..cut].trim_end());
        let (mut low, mut high) = (0, cuts.len());
        while low < high {
            let mid = (low + high).div_ceil(2);
            let layout = self.layout(&shortened(cuts[mid - 1]), &style, width);
            if fits(&layout) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        let text = match low {
            0 => ELLIPSIS.to_string(),
            n => shortened(cuts[n - 1]),
        };
        let layout = self.layout(&text, &style, width);
        to_block(&layout, &text, &style)
    }

    fn layout(&mut self, text: &str, style: &TextStyle, width: f32) -> Layout<()> {
        let mut builder = self
            .layouts
            .ranged_builder(&mut self.fonts, text, 1.0, false);
        builder.push_default(StyleProperty::FontFamily(FontFamily::from(FAMILIES)));
        builder.push_default(StyleProperty::FontSize(style.size));
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(1.3)));
        if style.bold {
            builder.push_default(StyleProperty::FontWeight(FontWeight::BOLD));
        }
        builder.set_base_direction(match style.direction {
            None => BaseDirection::Auto,
            Some(Direction::Ltr) => BaseDirection::Ltr,
            Some(Direction::Rtl) => BaseDirection::Rtl,
        });
        let mut layout = builder.build(text);
        layout.break_all_lines(Some(width));
        let alignment = match style.align {
            Align::Centre => Alignment::Center,
            Align::Start => Alignment::Start,
        };
        layout.align(alignment, AlignmentOptions::default());
        layout
    }
}

fn to_block(layout: &Layout<()>, text: &str, style: &TextStyle) -> TextBlock {
    let mut runs = Vec::new();
    for line in layout.lines() {
        for item in line.items() {
            let PositionedLayoutItem::GlyphRun(glyph_run) = item else {
                continue;
            };
            let run = glyph_run.run();
            let ranges = ligature_ranges(run);
            let mut glyphs = Vec::new();
            for cluster in run.visual_clusters() {
                let range = ranges
                    .get(&cluster.text_range().start)
                    .cloned()
                    .unwrap_or_else(|| cluster.text_range());
                if is_invisible_control(&text[cluster.text_range()]) {
                    continue;
                }
                glyphs.extend(cluster.glyphs().map(|g| PlacedGlyph {
                    id: g.id,
                    dx: g.x,
                    dy: g.y,
                    advance: g.advance,
                    text: range.clone(),
                }));
            }
            runs.push(GlyphRun {
                font: run.font().clone(),
                size: run.font_size(),
                x: glyph_run.offset(),
                baseline: glyph_run.baseline(),
                glyphs,
            });
        }
    }
    TextBlock {
        text: Arc::from(text),
        runs,
        colour: style.colour,
        height: layout.height(),
    }
}

/// A ligature (Arabic lam-alef, say) is shaped into its first cluster, and the clusters of the
/// characters it swallowed carry no glyph. Widening the first cluster's range over them keeps
/// those characters in the PDF's text, so copying or searching «الآن» finds all four letters.
fn ligature_ranges(run: &parley::Run<'_, ()>) -> HashMap<usize, Range<usize>> {
    let mut ranges = HashMap::new();
    let mut start: Option<Range<usize>> = None;
    for cluster in run.clusters() {
        let range = cluster.text_range();
        if cluster.is_ligature_continuation() {
            if let Some(open) = start.as_mut() {
                open.end = open.end.max(range.end);
                ranges.insert(open.start, open.clone());
            }
        } else {
            start = Some(range);
        }
    }
    ranges
}

/// Wraps every phone number, price or other run of digits in a left-to-right isolate, so that
/// "+966 55 123 4567" inside an Arabic sentence keeps its groups in reading order instead of
/// being reversed group by group, as the bidi algorithm would otherwise do (UAX #9, rule N1).
pub(crate) fn isolate_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let starts_number = is_digit(chars[i])
            || (chars[i] == '+' && chars.get(i + 1).copied().is_some_and(is_digit));
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // Extend over digits and the separators people write inside numbers, but end on a digit
        // so that a trailing space or full stop stays part of the sentence.
        let mut end = i + 1;
        let mut last_digit = i + usize::from(chars[i] == '+');
        while end < chars.len() && (is_digit(chars[end]) || is_number_joiner(chars[end])) {
            if is_digit(chars[end]) {
                last_digit = end;
            }
            end += 1;
        }
        out.push(LRI);
        out.extend(&chars[i..=last_digit]);
        out.push(PDI);
        i = last_digit + 1;
    }
    out
}

/// The isolates added around numbers draw nothing; leaving their zero-width glyphs out keeps
/// them out of text copied from the PDF.
fn is_invisible_control(cluster: &str) -> bool {
    !cluster.is_empty() && cluster.chars().all(|c| matches!(c, LRI | PDI))
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

fn is_number_joiner(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '-' | '.' | ',' | '(' | ')' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_isolated_but_surrounding_words_are_not() {
        assert_eq!(
            isolate_numbers("اتصل بنا على +966 55 123 4567."),
            "اتصل بنا على \u{2066}+966 55 123 4567\u{2069}."
        );
        assert_eq!(
            isolate_numbers("no digits"),
            "no digits",
            "nothing to isolate"
        );
        assert_eq!(
            isolate_numbers("a + b"),
            "a + b",
            "a plus sign not followed by a digit is not a number"
        );
    }
}
