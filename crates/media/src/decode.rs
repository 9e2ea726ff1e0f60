//! Reading a source file: header probe, size limits, EXIF orientation, and the
//! decode itself to 8-bit RGB with any transparency flattened onto white.
//! JPEG, PNG and WebP go through the `image` crate's decoders, HEIC and AVIF
//! through libheif ([`crate::heif`]); the same limits apply to all.
//!
//! Limits are enforced from the header, before any pixel buffer is allocated,
//! so a small file that declares a huge picture (a "decompression bomb") is
//! refused at the cost of reading a few hundred bytes.

use std::io::Cursor;
use std::panic::{self, AssertUnwindSafe};

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, RgbImage, RgbaImage};

use crate::error::TRUNCATED;
use crate::heif::{HeifDecoder, OpenedHeif};
use crate::sniff::{sniff, SourceFormat};
use crate::{MediaError, MIN_SIDE};

/// Largest accepted source, in pixels (100 megapixels; phones take 12–50).
pub const MAX_SOURCE_PIXELS: u64 = 100_000_000;
/// Longest accepted side of a source, in pixels.
pub const MAX_SOURCE_SIDE: u32 = 40_000;
/// Most memory the decoder may allocate for one image, in bytes (1 GiB).
pub const MAX_DECODE_BYTES: u64 = 1 << 30;

/// What a file's header says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImageInfo {
    /// Width in pixels as the photo is meant to be seen (EXIF orientation applied).
    pub width: u32,
    /// Height in pixels as the photo is meant to be seen (EXIF orientation applied).
    pub height: u32,
    /// The format found in the file's first bytes (its name is not looked at).
    pub format: SourceFormat,
}

impl ImageInfo {
    /// Checks the header against the catalog's rules: at least
    /// [`MIN_SIDE`]×[`MIN_SIDE`] (Meta) and no larger than the decoder limits.
    pub fn check(&self) -> Result<(), MediaError> {
        check_not_too_large(self.width, self.height)?;
        if self.width < MIN_SIDE || self.height < MIN_SIDE {
            return Err(MediaError::TooSmall {
                width: self.width,
                height: self.height,
            });
        }
        Ok(())
    }
}

/// A source whose header has been read and accepted, pixels not yet decoded.
pub(crate) struct OpenedImage<'a> {
    decoder: Decoder<'a>,
    pub(crate) info: ImageInfo,
    /// The EXIF orientation still to apply (none for HEIF: libheif turns the
    /// pixels itself, by the file's own `irot`/`imir` properties).
    pub(crate) orientation: Orientation,
}

enum Decoder<'a> {
    Image(Box<dyn ImageDecoder + 'a>),
    Heif(OpenedHeif<'a>),
}

/// The decoded pixels, still in the file's stored (un-oriented) layout.
pub(crate) struct DecodedImage {
    pub(crate) pixels: RgbImage,
    /// An RGB ICC colour profile from the source, kept so wide-gamut phone
    /// photos keep their colours; profiles for other colour spaces are dropped
    /// because the output is always RGB.
    pub(crate) icc_profile: Option<Vec<u8>>,
}

/// Reads only the header of `bytes`: format and oriented dimensions.
///
/// Reports without judging: a too-small or oversized picture still gets its
/// info; [`ImageInfo::check`] applies the rules. Fails only when the file is
/// not an accepted image format, its header is unreadable, or it is a HEIC or
/// AVIF and libheif is missing ([`MediaError::DecoderMissing`]).
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, MediaError> {
    probe_with(bytes, HeifDecoder::system())
}

/// [`probe`] reading HEIC and AVIF headers with the given libheif.
pub fn probe_with(bytes: &[u8], heif: &HeifDecoder) -> Result<ImageInfo, MediaError> {
    open(bytes, heif).map(|opened| opened.info)
}

pub(crate) fn open<'a>(
    bytes: &'a [u8],
    heif: &'a HeifDecoder,
) -> Result<OpenedImage<'a>, MediaError> {
    let format = sniff(bytes)?;
    let decoding_error = |err| MediaError::from_decoding(format, err);
    let cursor = Cursor::new(bytes);
    let mut decoder: Box<dyn ImageDecoder + '_> = match format {
        SourceFormat::Jpeg => Box::new(JpegDecoder::new(cursor).map_err(decoding_error)?),
        // The PNG decoder takes its memory limit up front; dimension limits
        // wait for `decode`, so `probe` can still report a bomb's size.
        SourceFormat::Png => {
            let mut memory_only = image::Limits::no_limits();
            memory_only.max_alloc = Some(MAX_DECODE_BYTES);
            Box::new(PngDecoder::with_limits(cursor, memory_only).map_err(decoding_error)?)
        }
        SourceFormat::WebP => Box::new(WebPDecoder::new(cursor).map_err(decoding_error)?),
        SourceFormat::Heic | SourceFormat::Avif => {
            let opened = heif.open(bytes, format)?;
            return Ok(OpenedImage {
                info: ImageInfo {
                    width: opened.width,
                    height: opened.height,
                    format,
                },
                decoder: Decoder::Heif(opened),
                orientation: Orientation::NoTransforms,
            });
        }
    };
    let (width, height) = decoder.dimensions();
    // A damaged EXIF block only loses the rotation, not the photo.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if swaps_axes(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(OpenedImage {
        decoder: Decoder::Image(decoder),
        info: ImageInfo {
            width,
            height,
            format,
        },
        orientation,
    })
}

fn decoder_limits() -> image::Limits {
    let mut limits = image::Limits::no_limits();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

fn check_not_too_large(width: u32, height: u32) -> Result<(), MediaError> {
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SOURCE_SIDE || height > MAX_SOURCE_SIDE {
        return Err(MediaError::TooLarge {
            reason: format!(
                "it is {width}×{height} pixels and the longest side allowed is {MAX_SOURCE_SIDE}"
            ),
        });
    }
    if pixels > MAX_SOURCE_PIXELS {
        return Err(MediaError::TooLarge {
            reason: format!(
                "it is {width}×{height} pixels ({} megapixels) and the limit is {} megapixels",
                pixels / 1_000_000,
                MAX_SOURCE_PIXELS / 1_000_000
            ),
        });
    }
    Ok(())
}

pub(crate) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn check_decode_bytes(needed: u64) -> Result<(), MediaError> {
    if needed > MAX_DECODE_BYTES {
        return Err(MediaError::TooLarge {
            reason: format!(
                "opening it would need {} MB of memory, more than the {} MB allowed",
                needed / 1_000_000,
                MAX_DECODE_BYTES / 1_000_000
            ),
        });
    }
    Ok(())
}

impl OpenedImage<'_> {
    /// Decodes all pixels to 8-bit RGB, compositing transparency over white.
    pub(crate) fn decode(self, bytes: &[u8]) -> Result<DecodedImage, MediaError> {
        let format = self.info.format;
        let mut decoder = match self.decoder {
            Decoder::Image(decoder) => decoder,
            Decoder::Heif(heif) => return decode_heif(heif),
        };
        let decoding_error = |err| MediaError::from_decoding(format, err);
        let (width, height) = decoder.dimensions();
        check_not_too_large(width, height)?;
        decoder
            .set_limits(decoder_limits())
            .map_err(decoding_error)?;
        check_decode_bytes(decoder.total_bytes())?;
        if format == SourceFormat::Jpeg && !jpeg_is_complete(bytes) {
            return Err(MediaError::Corrupt {
                reason: TRUNCATED.to_owned(),
            });
        }
        let icc_profile = decoder
            .icc_profile()
            .ok()
            .flatten()
            .filter(|profile| is_rgb_icc_profile(profile));
        // The codecs are fuzzed upstream, but should one still panic on a
        // merchant's odd file, that file is refused instead of the batch (and
        // the app) going down. The decoder is consumed, so no state outlives it.
        let image = panic::catch_unwind(AssertUnwindSafe(|| DynamicImage::from_decoder(decoder)))
            .map_err(|_| MediaError::Corrupt {
                reason: "the image data could not be made sense of".to_owned(),
            })?
            .map_err(decoding_error)?;
        Ok(DecodedImage {
            pixels: flatten_to_rgb(image),
            icc_profile,
        })
    }
}

/// Decodes a HEIC or AVIF after the same checks as the other formats: the
/// upright and the coded size within the limits, and the memory decoding
/// takes (planes and the copy handed back) within [`MAX_DECODE_BYTES`].
/// libheif's own safety limits (image size, boxes, tiles) apply on top.
fn decode_heif(heif: OpenedHeif<'_>) -> Result<DecodedImage, MediaError> {
    check_not_too_large(heif.width, heif.height)?;
    check_not_too_large(heif.coded_width, heif.coded_height)?;
    check_decode_bytes(heif.decode_bytes())?;
    let decoded = heif.decode()?;
    let pixels = match decoded.image {
        DynamicImage::ImageRgba8(rgba) => composite_on_white(&rgba, decoded.premultiplied),
        other => other.into_rgb8(),
    };
    Ok(DecodedImage {
        pixels,
        icc_profile: decoded
            .icc_profile
            .filter(|profile| is_rgb_icc_profile(profile)),
    })
}

/// An ICC profile header stores its data colour space at bytes 16..20.
fn is_rgb_icc_profile(profile: &[u8]) -> bool {
    profile.len() >= 128 && profile.get(16..20) == Some(b"RGB ")
}

/// Converts any decoded layout (grey, 16-bit, float, with or without alpha) to
/// 8-bit RGB, laying transparent areas over white as a catalog page shows them.
fn flatten_to_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    composite_on_white(&image.into_rgba8(), false)
}

/// Lays `rgba` over white. `premultiplied`: the colours are already scaled by
/// their alpha (some HEIF files store them so).
fn composite_on_white(rgba: &RgbaImage, premultiplied: bool) -> RgbImage {
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, pixel) in rgb.pixels_mut().zip(rgba.pixels()) {
        let alpha = u16::from(pixel[3]);
        for (out, &channel) in out.0.iter_mut().zip(&pixel.0[..3]) {
            // Rounded `c·a + 255·(1 − a)` in 0..=255 fixed point (`c + 255·(1 − a)`
            // when `c` already holds `c·a`); clamped to u8.
            let blended = if premultiplied {
                u16::from(channel) + (255 - alpha)
            } else {
                (u16::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255
            };
            *out = u8::try_from(blended).unwrap_or(u8::MAX);
        }
    }
    rgb
}

/// Whether a JPEG's entropy-coded data reaches its end-of-image marker.
///
/// The JPEG decoder is lenient and paints missing rows grey, so a file cut
/// short by a failed download would otherwise "succeed" with a grey bottom.
/// Walks the marker segments (skipping APP blocks, which may hold an EXIF
/// thumbnail with its own markers) to the first scan, then looks for EOI.
///
/// Stray bytes between two segments are stepped over as libjpeg does (it
/// warns "extraneous bytes before marker" and reads the photo): some phone and
/// editing apps leave a few, and the decoder reads such a photo whole.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    const SOS: u8 = 0xDA;
    const EOI: u8 = 0xD9;
    let mut pos = 2; // after SOI
    loop {
        let Some(stray) = bytes
            .get(pos..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
        else {
            return false;
        };
        pos += stray;
        let Some(&marker) = bytes.get(pos + 1) else {
            return false;
        };
        match marker {
            0xFF => pos += 1, // fill byte
            SOS => {
                return bytes[pos..].windows(2).any(|pair| pair == [0xFF, EOI]);
            }
            0xD0..=0xD7 | 0x01 => pos += 2,
            _ => {
                let Some(len) = bytes.get(pos + 2..pos + 4) else {
                    return false;
                };
                pos += 2 + usize::from(u16::from_be_bytes([len[0], len[1]]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_become_white_and_opaque_pixels_keep_their_colour() {
        let rgba =
            image::RgbaImage::from_raw(3, 1, vec![10, 20, 30, 0, 10, 20, 30, 255, 0, 0, 0, 128])
                .expect("3 pixels of 4 bytes");
        let flat = flatten_to_rgb(DynamicImage::ImageRgba8(rgba));
        assert_eq!(
            flat.get_pixel(0, 0).0,
            [255, 255, 255],
            "fully transparent shows the white page"
        );
        assert_eq!(
            flat.get_pixel(1, 0).0,
            [10, 20, 30],
            "fully opaque is unchanged"
        );
        assert_eq!(
            flat.get_pixel(2, 0).0,
            [127, 127, 127],
            "half-transparent black is mid grey"
        );
    }

    #[test]
    fn premultiplied_colours_are_not_scaled_by_their_alpha_twice() {
        // Half-transparent red stored premultiplied: 128·(255/255) = 128 red.
        let rgba = RgbaImage::from_raw(1, 1, vec![128, 0, 0, 128]).expect("one pixel");
        assert_eq!(
            composite_on_white(&rgba, true).get_pixel(0, 0).0,
            [255, 127, 127],
            "half red over white is pink, not the darker pink of scaling twice"
        );
        assert_eq!(
            composite_on_white(&rgba, false).get_pixel(0, 0).0,
            [191, 127, 127],
            "the same bytes read straight are a half-transparent dark red"
        );
    }

    #[test]
    fn stray_bytes_between_jpeg_segments_are_stepped_over_as_libjpeg_does() {
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0x12, 0x34, 0xFF, 0xDA, 0, 2, 1, 2, 0xFF, 0xD9,
        ];
        assert!(
            jpeg_is_complete(&jpeg),
            "two stray bytes before the scan's marker do not make the file incomplete"
        );
        assert!(
            !jpeg_is_complete(&jpeg[..jpeg.len() - 2]),
            "without EOI it is still incomplete"
        );
    }

    #[test]
    fn a_jpeg_without_its_end_marker_is_incomplete() {
        let mut jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xDA, 0, 2, 1, 2, 3,
        ];
        assert!(!jpeg_is_complete(&jpeg), "the scan data stops without EOI");
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        assert!(
            jpeg_is_complete(&jpeg),
            "EOI after the scan closes the picture"
        );
    }

    #[test]
    fn an_end_marker_inside_an_exif_thumbnail_does_not_count() {
        // APP1 holding a complete tiny JPEG, then the main image cut short.
        let thumbnail = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 9, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, (thumbnail.len() + 2) as u8];
        jpeg.extend_from_slice(&thumbnail);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3]);
        assert!(
            !jpeg_is_complete(&jpeg),
            "only an EOI after the main scan counts"
        );
    }

    #[test]
    fn a_header_declaring_a_gigapixel_is_too_large_and_a_small_one_too_small() {
        let huge = ImageInfo {
            width: 30_000,
            height: 30_000,
            format: SourceFormat::Png,
        };
        assert!(
            matches!(huge.check(), Err(MediaError::TooLarge { .. })),
            "900 MP is over the limit"
        );
        let small = ImageInfo {
            width: 499,
            height: 800,
            format: SourceFormat::Jpeg,
        };
        assert_eq!(
            small.check(),
            Err(MediaError::TooSmall {
                width: 499,
                height: 800
            })
        );
        let ok = ImageInfo {
            width: 500,
            height: 500,
            format: SourceFormat::Jpeg,
        };
        assert_eq!(ok.check(), Ok(()), "exactly 500×500 meets Meta's minimum");
    }
}
