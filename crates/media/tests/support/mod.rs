//! Deterministic, photo-like test pictures and hand-built file fragments.
//!
//! Shared by the integration tests and the benchmark (`benches/pipeline.rs`
//! includes this file), so both measure the same kind of content.

use image::RgbImage;

/// The flat colour painted in the top-left corner of every [`photo`], so a
/// test can tell where that corner ended up after rotation.
pub const MARKER: [u8; 3] = [230, 20, 20];

/// Whether a pixel is (close to, after JPEG) the [`MARKER`] red.
#[allow(dead_code, reason = "used by the tests, not the benchmark")]
pub fn is_marker(pixel: [u8; 3]) -> bool {
    pixel[0] > 180 && pixel[1] < 80 && pixel[2] < 80
}

/// A photo-like picture: a soft studio-style gradient, a few shaded round
/// "products" with hard edges, and sensor-like grain, so it compresses and
/// decodes like a real photo rather than a flat colour. The top-left eighth
/// (of the shorter side) is a flat [`MARKER`] square; no other corner is red.
pub fn photo(width: u32, height: u32, seed: u32) -> RgbImage {
    let (w, h) = (i64::from(width.max(1)), i64::from(height.max(1)));
    let marker = i64::from(width.min(height) / 8);
    let discs = [
        (w * 3 / 10, h * 6 / 10, w.min(h) / 4, [200i64, 150, 60]),
        (w * 7 / 10, h * 4 / 10, w.min(h) / 5, [60, 120, 200]),
        (w / 2, h * 8 / 10, w.min(h) / 8, [240, 240, 230]),
    ];
    let mut grain = seed | 1;
    let mut data = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..h {
        for x in 0..w {
            if x < marker && y < marker {
                data.extend_from_slice(&MARKER);
                continue;
            }
            let mut rgb = [40 + 60 * x / w, 80 + 100 * y / h, 120 + 100 * x / w];
            for &(cx, cy, r, colour) in &discs {
                let d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if d2 < r * r {
                    // Lit from the top-left: darker towards the far edge.
                    let shade = 256 - 160 * ((x - cx) + (y - cy) + 2 * r) / (4 * r);
                    for (channel, base) in rgb.iter_mut().zip(colour) {
                        *channel = base * shade / 256;
                    }
                }
            }
            grain ^= grain << 13;
            grain ^= grain >> 17;
            grain ^= grain << 5;
            let noise = i64::from(grain & 15) - 8;
            for channel in rgb {
                data.push(u8::try_from((channel + noise).clamp(0, 255)).unwrap_or(0));
            }
        }
    }
    RgbImage::from_raw(width, height, data).expect("width*height*3 bytes were pushed")
}

/// Encodes `image` as a baseline JPEG (4:2:0 below quality 90, like cameras).
pub fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut bytes = Vec::new();
    let width = u16::try_from(image.width()).expect("test photos fit in a JPEG");
    let height = u16::try_from(image.height()).expect("test photos fit in a JPEG");
    jpeg_encoder::Encoder::new(&mut bytes, quality)
        .encode(image.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .expect("encoding to memory cannot fail");
    bytes
}
