//! Generates photo-like test images.

/// A photo-like JPEG (gradients and texture), `width`×`height`, varied by `seed`.
pub fn photo(
    path: &std::path::Path,
    width: u32,
    height: u32,
    seed: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed.wrapping_mul(31)) % 23;
        let hue = seed.wrapping_mul(47) % 255;
        image::Rgb([
            ((x * 255 / width) as u8)
                .wrapping_add(n as u8)
                .wrapping_add(hue as u8),
            ((y * 200 / height) as u8).wrapping_add((hue / 2) as u8),
            (((x + y) * 128 / (width + height)) as u8).wrapping_add(n as u8),
        ])
    });
    img.save(path)?;
    Ok(())
}
