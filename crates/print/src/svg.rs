//! Writes a laid-out page as SVG, text as glyph outlines of the very glyphs the PDF places,
//! and rasterises that SVG with resvg for PNG previews. resvg's own text engine is never used:
//! it cannot set Arabic next to Latin correctly.

use std::fmt::Write as _;

use base64::Engine as _;
use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use crate::scene::{Mark, Page, Rect};
use crate::text::TextBlock;
use crate::PrintError;

/// The SVG of `page`; its user unit is the point, its viewBox the page.
pub(crate) fn write(page: &Page) -> String {
    let mut svg = String::with_capacity(64 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" viewBox="0 0 {w} {h}">"#,
        w = page.width,
        h = page.height
    );
    svg.push_str(&format!(
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        page.width, page.height
    ));
    for (index, mark) in page.marks.iter().enumerate() {
        draw(&mut svg, index, mark);
    }
    svg.push_str("</svg>");
    svg
}

/// Rasterises `page` at `dpi` dots per inch into a PNG.
pub(crate) fn render_png(page: &Page, dpi: f32) -> Result<Vec<u8>, PrintError> {
    if !(dpi.is_finite() && dpi > 0.0 && dpi <= 1200.0) {
        return Err(PrintError::Preview(format!(
            "{dpi} dpi is out of range (1–1200)"
        )));
    }
    let tree = usvg::Tree::from_str(&write(page), &usvg::Options::default())
        .map_err(|e| PrintError::Preview(e.to_string()))?;
    let scale = dpi / 72.0;
    let width = (page.width * scale).round() as u32;
    let height = (page.height * scale).round() as u32;
    let mut pixmap = Pixmap::new(width, height)
        .ok_or_else(|| PrintError::Preview(format!("cannot make a {width}x{height} image")))?;
    // The tree's size is the page in CSS pixels (pt × 96/72); scale it to the pixmap.
    let fit = width as f32 / tree.size().width();
    resvg::render(&tree, Transform::from_scale(fit, fit), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| PrintError::Preview(e.to_string()))
}

fn draw(svg: &mut String, index: usize, mark: &Mark) {
    match mark {
        Mark::Fill { rect, colour } => {
            let _ = write!(
                svg,
                r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{colour}"/>"#,
                rect.x, rect.y, rect.width, rect.height
            );
        }
        Mark::Qr {
            x,
            y,
            size,
            code,
            colour,
        } => {
            let _ = write!(
                svg,
                r##"<rect x="{x:.2}" y="{y:.2}" width="{size:.2}" height="{size:.2}" fill="#ffffff"/>"##
            );
            let module = size / code.side() as f32;
            let _ = write!(
                svg,
                r#"<path shape-rendering="crispEdges" fill="{colour}" d=""#
            );
            for (column, row, length) in code.dark_runs() {
                let _ = write!(
                    svg,
                    "M{:.3} {:.3}h{:.3}v{:.3}h{:.3}z",
                    x + column as f32 * module,
                    y + row as f32 * module,
                    length as f32 * module,
                    module,
                    -(length as f32) * module
                );
            }
            svg.push_str(r#""/>"#);
        }
        Mark::Picture {
            clip,
            drawn,
            picture,
        } => {
            let _ = write!(svg, r#"<clipPath id="c{index}">"#);
            rect_element(svg, *clip);
            let _ = write!(
                svg,
                r#"</clipPath><image clip-path="url(#c{index})" x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" preserveAspectRatio="none" href="data:{};base64,"#,
                drawn.x,
                drawn.y,
                drawn.width,
                drawn.height,
                picture.format.mime()
            );
            base64::engine::general_purpose::STANDARD.encode_string(picture.bytes.as_slice(), svg);
            svg.push_str(r#""/>"#);
        }
        Mark::Text { x, y, block } => draw_text(svg, *x, *y, block),
        Mark::Guide { rect } => {
            let _ = write!(
                svg,
                r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#c8c8c8" stroke-width="0.5" stroke-dasharray="3 2"/>"##,
                rect.x, rect.y, rect.width, rect.height
            );
        }
    }
}

fn rect_element(svg: &mut String, rect: Rect) {
    let _ = write!(
        svg,
        r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/>"#,
        rect.x, rect.y, rect.width, rect.height
    );
}

/// One `<path>` per text block: the outline of every glyph, placed where the PDF places it.
fn draw_text(svg: &mut String, x: f32, y: f32, block: &TextBlock) {
    let _ = write!(svg, r#"<path fill="{}" d=""#, block.colour);
    for run in &block.runs {
        let Ok(font) = FontRef::from_index(run.font.data.data(), run.font.index) else {
            continue;
        };
        let outlines = font.outline_glyphs();
        let mut pen_x = x + run.x;
        let baseline = y + run.baseline;
        for glyph in &run.glyphs {
            if let Some(outline) = outlines.get(GlyphId::new(glyph.id)) {
                let mut pen = SvgPen {
                    svg,
                    x: pen_x + glyph.dx,
                    y: baseline + glyph.dy,
                };
                let settings = DrawSettings::unhinted(Size::new(run.size), LocationRef::default());
                let _ = outline.draw(settings, &mut pen);
            }
            pen_x += glyph.advance;
        }
    }
    svg.push_str(r#""/>"#);
}

/// Appends outline commands to an SVG path, flipping the font's y-up axis to the page's y-down.
struct SvgPen<'a> {
    svg: &'a mut String,
    x: f32,
    y: f32,
}

impl OutlinePen for SvgPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.svg, "M{:.2} {:.2}", self.x + x, self.y - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.svg, "L{:.2} {:.2}", self.x + x, self.y - y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let _ = write!(
            self.svg,
            "Q{:.2} {:.2} {:.2} {:.2}",
            self.x + cx0,
            self.y - cy0,
            self.x + x,
            self.y - y
        );
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let _ = write!(
            self.svg,
            "C{:.2} {:.2} {:.2} {:.2} {:.2} {:.2}",
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y
        );
    }
    fn close(&mut self) {
        self.svg.push('Z');
    }
}
