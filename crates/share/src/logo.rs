//! The shop logo drawn in the middle of a code.

use image::{ImageFormat, RgbaImage};

use crate::QrError;

/// A decoded PNG or JPEG logo, with its original bytes for embedding in SVG.
#[derive(Debug, Clone)]
pub struct Logo {
    bytes: Vec<u8>,
    format: ImageFormat,
    image: RgbaImage,
}

impl Logo {
    /// Reads PNG or JPEG bytes; anything else, or a broken file, is refused.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, QrError> {
        let format = image::guess_format(&bytes).map_err(QrError::Logo)?;
        if !matches!(format, ImageFormat::Png | ImageFormat::Jpeg) {
            return Err(QrError::Logo(image::ImageError::Unsupported(
                image::error::UnsupportedError::from_format_and_kind(
                    format.into(),
                    image::error::UnsupportedErrorKind::Format(format.into()),
                ),
            )));
        }
        let image = image::load_from_memory_with_format(&bytes, format)
            .map_err(QrError::Logo)?
            .to_rgba8();
        Ok(Self {
            bytes,
            format,
            image,
        })
    }

    pub(crate) fn image(&self) -> &RgbaImage {
        &self.image
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub(crate) fn mime(&self) -> &'static str {
        self.format.to_mime_type()
    }
}
