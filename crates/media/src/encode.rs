//! JPEG output under a byte budget.
//!
//! Only what the encoder writes itself ends up in the file: a JFIF header,
//! the optional RGB colour profile, and the picture. EXIF (GPS position,
//! camera serial, capture time), XMP, IPTC and comments are never copied.

use image::RgbImage;
use jpeg_encoder::{ColorType, Encoder};

use crate::MediaError;

/// Meta's upper bound for a catalog image, in bytes. 8 MB read as the smaller
/// decimal megabytes, to stay under whichever meaning Meta applies.
pub const MAX_CATALOG_BYTES: usize = 8_000_000;

/// The quality is never lowered past this to meet the byte budget.
const LOWEST_QUALITY: u8 = 30;
/// How much the quality drops per retry when a file is over budget.
const QUALITY_STEP: u8 = 10;

/// An encoded JPEG and the quality it was written at.
pub(crate) struct EncodedJpeg {
    pub(crate) bytes: Vec<u8>,
    pub(crate) quality: u8,
}

/// Encodes `image` at `quality`, lowering it in steps until the file fits in
/// `max_bytes`.
pub(crate) fn encode_within(
    image: &RgbImage,
    quality: u8,
    max_bytes: usize,
    icc_profile: Option<&[u8]>,
) -> Result<EncodedJpeg, MediaError> {
    let mut quality = quality.clamp(1, 100);
    loop {
        let bytes = encode_jpeg(image, quality, icc_profile)?;
        if bytes.len() <= max_bytes {
            return Ok(EncodedJpeg { bytes, quality });
        }
        if quality <= LOWEST_QUALITY {
            return Err(MediaError::TooLarge {
                reason: format!(
                    "even at low quality the JPEG is {} bytes, over the {max_bytes} bytes Meta accepts",
                    bytes.len()
                ),
            });
        }
        quality = quality.saturating_sub(QUALITY_STEP).max(LOWEST_QUALITY);
    }
}

fn encode_jpeg(
    image: &RgbImage,
    quality: u8,
    icc_profile: Option<&[u8]>,
) -> Result<Vec<u8>, MediaError> {
    let encode_error = |err: jpeg_encoder::EncodingError| MediaError::Processing {
        reason: err.to_string(),
    };
    let too_wide = || MediaError::Processing {
        reason: format!(
            "{}×{} is beyond JPEG's 65535-pixel limit",
            image.width(),
            image.height()
        ),
    };
    let width = u16::try_from(image.width()).map_err(|_| too_wide())?;
    let height = u16::try_from(image.height()).map_err(|_| too_wide())?;

    let mut bytes = Vec::with_capacity(image.as_raw().len() / 8);
    let mut encoder = Encoder::new(&mut bytes, quality);
    if let Some(profile) = icc_profile {
        encoder.add_icc_profile(profile).map_err(encode_error)?;
    }
    encoder
        .encode(image.as_raw(), width, height, ColorType::Rgb)
        .map_err(encode_error)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise: the hardest content to compress.
    fn noise(side: u32) -> RgbImage {
        let mut state = 0x2545_f491_u32;
        RgbImage::from_fn(side, side, |_, _| {
            let mut next = || {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            };
            image::Rgb([next(), next(), next()])
        })
    }

    #[test]
    fn an_over_budget_image_is_re_encoded_at_lower_quality_until_it_fits() {
        let image = noise(256);
        let full = encode_jpeg(&image, 95, None).expect("noise encodes");
        let budget = full.len() / 2;
        let fitted = encode_within(&image, 95, budget, None).expect("a lower quality fits");
        assert!(
            fitted.bytes.len() <= budget,
            "the result respects the budget"
        );
        assert!(fitted.quality < 95, "quality was lowered to get there");
    }

    #[test]
    fn an_image_that_cannot_fit_even_at_lowest_quality_is_too_large() {
        let result = encode_within(&noise(64), 85, 100, None);
        assert!(
            matches!(result, Err(MediaError::TooLarge { .. })),
            "100 bytes cannot hold a 64×64 photo, and that must be an error, not a loop"
        );
    }
}
