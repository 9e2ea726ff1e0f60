//! Writes laid-out pages as a PDF with krilla: text as real glyphs of embedded, subset fonts
//! (so it can be searched and copied), QR codes as vector rectangles, pictures as images.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;
use parley::FontData;

use crate::scene::{Mark, Page, Rect};
use crate::text::TextBlock;
use crate::{Colour, PrintError};

pub(crate) fn write(pages: &[Page]) -> Result<Vec<u8>, PrintError> {
    let mut document = Document::new();
    let mut fonts = FontCache::default();
    for page in pages {
        let settings = PageSettings::from_wh(page.width, page.height).ok_or_else(|| {
            PrintError::Pdf(format!("bad page size {}x{}", page.width, page.height))
        })?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for mark in &page.marks {
            draw(&mut surface, mark, &mut fonts)?;
        }
        surface.finish();
        pdf_page.finish();
    }
    document
        .finish()
        .map_err(|e| PrintError::Pdf(format!("{e:?}")))
}

fn draw(surface: &mut Surface<'_>, mark: &Mark, fonts: &mut FontCache) -> Result<(), PrintError> {
    match mark {
        Mark::Fill { rect, colour } => fill_rects(surface, std::iter::once(*rect), *colour),
        Mark::Qr {
            x,
            y,
            size,
            code,
            colour,
        } => {
            fill_rects(
                surface,
                std::iter::once(Rect::new(*x, *y, *size, *size)),
                Colour::WHITE,
            );
            let module = size / code.side() as f32;
            let runs = code.dark_runs().map(|(column, row, length)| {
                Rect::new(
                    x + column as f32 * module,
                    y + row as f32 * module,
                    length as f32 * module,
                    module,
                )
            });
            fill_rects(surface, runs, *colour);
        }
        Mark::Picture {
            clip,
            drawn,
            picture,
        } => {
            let mut clip_path = PathBuilder::new();
            clip_path.push_rect(to_krilla_rect(*clip)?);
            let clip_path = clip_path
                .finish()
                .ok_or_else(|| PrintError::Pdf("empty clip".to_owned()))?;
            let size = Size::from_wh(drawn.width, drawn.height)
                .ok_or_else(|| PrintError::Pdf("empty picture".to_owned()))?;
            surface.push_clip_path(&clip_path, &FillRule::NonZero);
            surface.push_transform(&Transform::from_translate(drawn.x, drawn.y));
            surface.draw_image(picture.image.clone(), size);
            surface.pop();
            surface.pop();
        }
        Mark::Text { x, y, block } => draw_text(surface, *x, *y, block, fonts)?,
        Mark::Guide { .. } => {}
    }
    Ok(())
}

fn draw_text(
    surface: &mut Surface<'_>,
    x: f32,
    y: f32,
    block: &TextBlock,
    fonts: &mut FontCache,
) -> Result<(), PrintError> {
    surface.set_fill(Some(fill(block.colour)));
    for run in &block.runs {
        let font = fonts.get(&run.font)?;
        let glyphs: Vec<KrillaGlyph> = run
            .glyphs
            .iter()
            .map(|g| {
                KrillaGlyph::new(
                    GlyphId::new(g.id),
                    g.advance / run.size,
                    g.dx / run.size,
                    -g.dy / run.size,
                    0.0,
                    g.text.clone(),
                    None,
                )
            })
            .collect();
        surface.draw_glyphs(
            Point::from_xy(x + run.x, y + run.baseline),
            &glyphs,
            font,
            &block.text,
            run.size,
            false,
        );
    }
    Ok(())
}

fn fill_rects(surface: &mut Surface<'_>, rects: impl Iterator<Item = Rect>, colour: Colour) {
    let mut path = PathBuilder::new();
    for rect in rects {
        if let Ok(rect) = to_krilla_rect(rect) {
            path.push_rect(rect);
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(fill(colour)));
        surface.draw_path(&path);
    }
}

fn fill(colour: Colour) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.red, colour.green, colour.blue).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn to_krilla_rect(rect: Rect) -> Result<krilla::geom::Rect, PrintError> {
    krilla::geom::Rect::from_xywh(rect.x, rect.y, rect.width, rect.height)
        .ok_or_else(|| PrintError::Pdf(format!("bad rectangle {rect:?}")))
}

/// krilla fonts by parley font (blob and face index): each bundled face is parsed once per
/// document, however many runs use it.
#[derive(Default)]
struct FontCache(HashMap<(u64, u32), Font>);

impl FontCache {
    fn get(&mut self, data: &FontData) -> Result<Font, PrintError> {
        let key = (data.data.id(), data.index);
        if let Some(font) = self.0.get(&key) {
            return Ok(font.clone());
        }
        let bytes: Arc<dyn AsRef<[u8]> + Send + Sync> = Arc::new(data.data.clone());
        let font = Font::new(bytes.into(), data.index)
            .ok_or_else(|| PrintError::Pdf("a bundled font could not be read".to_owned()))?;
        self.0.insert(key, font.clone());
        Ok(font)
    }
}
