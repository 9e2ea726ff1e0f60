//! Downscaling, orientation and square padding on packed 8-bit RGB pixels.
//!
//! Resampling uses a Lanczos3 convolution (SIMD via `fast_image_resize`) in
//! the file's own (sRGB-encoded) values, as photo tools and libvips do by default.

use crate::MediaError;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, Rgb, RgbImage};

/// The filter used for every downscale.
const FILTER: ResizeAlg = ResizeAlg::Convolution(FilterType::Lanczos3);

/// Dimensions of `width`×`height` scaled to fit in a `max_side` square,
/// keeping the aspect ratio; never enlarges, never returns a zero side.
pub(crate) fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side {
        return (width, height);
    }
    let scale = |side: u32| {
        let scaled =
            (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        // `scaled <= max_side`, which is a u32.
        u32::try_from(scaled).unwrap_or(max_side).max(1)
    };
    (scale(width), scale(height))
}

/// A resampled copy of `image` at exactly `width`×`height`.
pub(crate) fn resized(image: &RgbImage, width: u32, height: u32) -> Result<RgbImage, MediaError> {
    if image.dimensions() == (width, height) {
        return Ok(image.clone());
    }
    let src = ImageRef::new(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x3,
    )
    .map_err(|err| MediaError::Processing {
        reason: err.to_string(),
    })?;
    let mut dst = Image::new(width, height, PixelType::U8x3);
    Resizer::new()
        .resize(&src, &mut dst, &ResizeOptions::new().resize_alg(FILTER))
        .map_err(|err| MediaError::Processing {
            reason: err.to_string(),
        })?;
    RgbImage::from_raw(width, height, dst.into_vec()).ok_or_else(|| MediaError::Processing {
        reason: "the resizer returned a buffer of the wrong size".to_owned(),
    })
}

/// `image` at exactly `width`×`height`, moved through untouched when it already is.
pub(crate) fn resized_into(
    image: RgbImage,
    width: u32,
    height: u32,
) -> Result<RgbImage, MediaError> {
    if image.dimensions() == (width, height) {
        return Ok(image);
    }
    resized(&image, width, height)
}

/// Turns stored pixels into the picture as the camera meant it to be seen.
pub(crate) fn oriented(image: RgbImage, orientation: Orientation) -> RgbImage {
    if orientation == Orientation::NoTransforms {
        return image;
    }
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(orientation);
    image.into_rgb8()
}

/// Centres the picture on a white square as wide as its longest side.
pub(crate) fn padded_to_square(image: RgbImage) -> RgbImage {
    let (width, height) = image.dimensions();
    let side = width.max(height);
    if width == height {
        return image;
    }
    let mut square = RgbImage::from_pixel(side, side, Rgb([255, 255, 255]));
    image::imageops::replace(
        &mut square,
        &image,
        i64::from((side - width) / 2),
        i64::from((side - height) / 2),
    );
    square
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_keeps_the_aspect_ratio_and_never_enlarges() {
        assert_eq!(fit_within(4000, 3000, 2048), (2048, 1536), "4:3 landscape");
        assert_eq!(fit_within(3000, 4000, 2048), (1536, 2048), "4:3 portrait");
        assert_eq!(
            fit_within(800, 600, 2048),
            (800, 600),
            "small photos are not enlarged"
        );
        assert_eq!(
            fit_within(40_000, 10, 256),
            (256, 1),
            "a sliver keeps at least one pixel"
        );
    }

    #[test]
    fn padding_centres_the_picture_on_white() {
        let square = padded_to_square(RgbImage::new(2, 4));
        assert_eq!(square.dimensions(), (4, 4));
        let pixel = |x, y| square.get_pixel(x, y).0;
        assert_eq!(pixel(0, 0), [255, 255, 255], "left border is white");
        assert_eq!(pixel(3, 3), [255, 255, 255], "right border is white");
        assert_eq!(
            pixel(1, 0),
            [0, 0, 0],
            "the picture sits in the middle columns"
        );
        assert_eq!(pixel(2, 3), [0, 0, 0]);
    }

    #[test]
    fn a_rotate90_orientation_swaps_the_sides() {
        let rotated = oriented(RgbImage::new(3, 2), Orientation::Rotate90);
        assert_eq!(rotated.dimensions(), (2, 3));
    }
}
