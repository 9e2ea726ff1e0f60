//! Drawing a [`QrSymbol`] as a PNG raster or an SVG path.

use std::fmt::Write as _;

use base64::Engine as _;
use image::imageops::{self, FilterType};
use image::{ImageEncoder, Rgba, RgbaImage};

use crate::{check_contrast, QrError, QrStyle, QrSymbol};

/// A PNG of the code `size_px` pixels square. Modules are whole pixels; what the size leaves
/// over widens the quiet zone evenly.
pub fn qr_png(content: &str, size_px: u32, style: &QrStyle) -> Result<Vec<u8>, QrError> {
    check_contrast(style.foreground, style.background)?;
    let layout = QrSymbol::encode(content, style.logo.is_some())?;
    let side = u32::try_from(layout.side).unwrap_or(u32::MAX);
    if size_px < side {
        return Err(QrError::TooSmall {
            size: size_px,
            min: side,
        });
    }
    let scale = size_px / side;
    let offset = (size_px - scale * side) / 2;
    let (back, fore) = (style.background, style.foreground);
    let mut canvas = RgbaImage::from_pixel(
        size_px,
        size_px,
        Rgba([back.red, back.green, back.blue, 0xff]),
    );
    let ink = Rgba([fore.red, fore.green, fore.blue, 0xff]);
    let px = |modules: usize| u32::try_from(modules).unwrap_or(u32::MAX) * scale;
    for (x, y, len) in layout.dark_runs() {
        for py in offset + px(y)..offset + px(y + 1) {
            for qx in offset + px(x)..offset + px(x + len) {
                canvas.put_pixel(qx, py, ink);
            }
        }
    }
    if let (Some(logo), Some((start, len))) = (&style.logo, layout.logo_box) {
        // One module of pad on every side of the logo.
        let room = px(len - 2);
        let (w, h) = fit(logo.image().dimensions(), room);
        let resized = imageops::resize(logo.image(), w, h, FilterType::Lanczos3);
        let left = offset + px(start + 1) + (room - w) / 2;
        let top = offset + px(start + 1) + (room - h) / 2;
        imageops::overlay(&mut canvas, &resized, i64::from(left), i64::from(top));
    }
    let rgb = image::DynamicImage::ImageRgba8(canvas).to_rgb8();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&rgb, size_px, size_px, image::ExtendedColorType::Rgb8)
        .map_err(QrError::Png)?;
    Ok(png)
}

/// An SVG of the code, `size_px` square on screen: one background rectangle, every dark
/// module in one path, and the logo (if any) embedded as a data URL.
pub fn qr_svg(content: &str, size_px: u32, style: &QrStyle) -> Result<String, QrError> {
    check_contrast(style.foreground, style.background)?;
    let layout = QrSymbol::encode(content, style.logo.is_some())?;
    let side = layout.side;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{size_px}" height="{size_px}" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="{}"/><path fill="{}" d=""#,
        style.background, style.foreground
    );
    for (x, y, len) in layout.dark_runs() {
        // Writing to a String cannot fail.
        let _ = write!(svg, "M{x} {y}h{len}v1h-{len}z");
    }
    svg.push_str("\"/>");
    if let (Some(logo), Some((start, len))) = (&style.logo, layout.logo_box) {
        let data = base64::engine::general_purpose::STANDARD.encode(logo.bytes());
        let _ = write!(
            svg,
            r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="xMidYMid meet" xlink:href="data:{};base64,{data}"/>"#,
            start + 1,
            start + 1,
            len - 2,
            len - 2,
            logo.mime()
        );
    }
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// The largest size with the image's aspect ratio inside a `room`-pixel square.
fn fit((w, h): (u32, u32), room: u32) -> (u32, u32) {
    let (w, h) = (u64::from(w.max(1)), u64::from(h.max(1)));
    let room64 = u64::from(room);
    let (fw, fh) = if w >= h {
        (room64, (h * room64 / w).max(1))
    } else {
        ((w * room64 / h).max(1), room64)
    };
    (
        u32::try_from(fw).unwrap_or(room),
        u32::try_from(fh).unwrap_or(room),
    )
}
