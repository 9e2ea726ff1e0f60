//! vitrine-media: turns a merchant's photo into the images the catalog publishes.
//!
//! One decode per photo produces two JPEGs:
//! - the **catalog image** Meta fetches: long side at most
//!   [`PipelineOptions::max_side`] pixels, at most [`MAX_CATALOG_BYTES`],
//!   upright (EXIF orientation applied), transparency laid on white,
//!   optionally centred on a white square, with EXIF/XMP/IPTC/comments
//!   stripped (an RGB ICC colour profile is kept: it describes the colours,
//!   not the merchant);
//! - the **thumbnail** the app lists, made from the catalog pixels.
//!
//! Meta's rules (JPEG or PNG, at least [`MIN_SIDE`]×[`MIN_SIDE`] pixels, at
//! most 8 MB) are enforced here so a photo that passes can be uploaded as is.
//! All sizes are in pixels unless named `_bytes`. No function panics on any
//! input: every failure is a [`MediaError`] whose message a shop owner can read.

mod decode;
mod encode;
mod error;
mod geometry;
mod heif;
mod sniff;

use rayon::prelude::*;

pub use decode::{
    probe, probe_with, ImageInfo, MAX_DECODE_BYTES, MAX_SOURCE_PIXELS, MAX_SOURCE_SIDE,
};
pub use encode::MAX_CATALOG_BYTES;
pub use error::MediaError;
pub use heif::HeifDecoder;
pub use sniff::SourceFormat;

/// Meta's minimum width and height for a catalog image, in pixels.
pub const MIN_SIDE: u32 = 500;

/// How the catalog image and thumbnail are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipelineOptions {
    /// Longest side of the catalog image, in pixels; smaller photos are not enlarged.
    pub max_side: u32,
    /// Longest side of the thumbnail, in pixels.
    pub thumb_side: u32,
    /// Centre the photo on a white square (Meta recommends 1:1 images).
    pub pad_to_square: bool,
    /// JPEG quality, 1–100; lowered automatically if the catalog image would exceed 8 MB.
    pub jpeg_quality: u8,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        Self {
            max_side: 2048,
            thumb_side: 256,
            pad_to_square: false,
            jpeg_quality: 85,
        }
    }
}

/// The two JPEGs made from one source photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessedImage {
    /// The image to publish to the catalog.
    pub catalog_jpeg: Vec<u8>,
    pub catalog_width: u32,
    pub catalog_height: u32,
    /// The JPEG quality actually used for `catalog_jpeg` (lower than asked
    /// only when needed to stay within [`MAX_CATALOG_BYTES`]).
    pub catalog_quality: u8,
    /// A small preview for lists, made from the catalog image (so it is square when padded).
    pub thumbnail_jpeg: Vec<u8>,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    /// The source as read, with its dimensions as the photo is meant to be seen.
    pub source: ImageInfo,
}

/// Makes the catalog image and thumbnail from one photo's file contents.
///
/// Refuses, with a [`MediaError`] for the user, anything that is not a JPEG,
/// PNG, WebP, HEIC or AVIF, is damaged, is under Meta's minimum size, or is
/// too large to open safely (checked from the header, before decoding). HEIC
/// and AVIF are read with the system's libheif ([`HeifDecoder::system`]).
pub fn process_image(bytes: &[u8], opts: &PipelineOptions) -> Result<ProcessedImage, MediaError> {
    process_image_with(bytes, opts, HeifDecoder::system())
}

/// [`process_image`] reading HEIC and AVIF photos with the given libheif.
pub fn process_image_with(
    bytes: &[u8],
    opts: &PipelineOptions,
    heif: &HeifDecoder,
) -> Result<ProcessedImage, MediaError> {
    let max_side = opts.max_side.max(1);
    let thumb_side = opts.thumb_side.max(1);

    let opened = decode::open(bytes, heif)?;
    let source = opened.info;
    source.check()?;
    let orientation = opened.orientation;
    let decoded = opened.decode(bytes)?;

    // Resize before rotating: turning the small image is cheaper. The target
    // is computed on the upright picture, then expressed in stored axes.
    let (width, height) = geometry::fit_within(source.width, source.height, max_side);
    let (stored_width, stored_height) = if decode::swaps_axes(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    let catalog = geometry::resized_into(decoded.pixels, stored_width, stored_height)?;
    let mut catalog = geometry::oriented(catalog, orientation);
    if opts.pad_to_square {
        catalog = geometry::padded_to_square(catalog);
    }

    let (thumb_width, thumb_height) =
        geometry::fit_within(catalog.width(), catalog.height(), thumb_side);
    let thumbnail = geometry::resized(&catalog, thumb_width, thumb_height)?;

    let icc_profile = decoded.icc_profile.as_deref();
    let catalog_jpeg =
        encode::encode_within(&catalog, opts.jpeg_quality, MAX_CATALOG_BYTES, icc_profile)?;
    let thumbnail_jpeg = encode::encode_within(
        &thumbnail,
        opts.jpeg_quality,
        MAX_CATALOG_BYTES,
        icc_profile,
    )?;

    Ok(ProcessedImage {
        catalog_jpeg: catalog_jpeg.bytes,
        catalog_width: catalog.width(),
        catalog_height: catalog.height(),
        catalog_quality: catalog_jpeg.quality,
        thumbnail_jpeg: thumbnail_jpeg.bytes,
        thumbnail_width: thumb_width,
        thumbnail_height: thumb_height,
        source,
    })
}

/// [`process_image`] for several photos in parallel (rayon's pool); results
/// are in input order, one per input, failures alongside successes.
pub fn process_many<B>(
    inputs: &[B],
    opts: &PipelineOptions,
) -> Vec<Result<ProcessedImage, MediaError>>
where
    B: AsRef<[u8]> + Sync,
{
    inputs
        .par_iter()
        .map(|bytes| process_image(bytes.as_ref(), opts))
        .collect()
}
