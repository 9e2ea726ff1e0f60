//! Why a photo could not be used, in words a shop owner can act on.

use crate::{SourceFormat, MIN_SIDE};

/// Why an image was refused or could not be processed.
///
/// The `Display` text is written for the shop owner and can be shown as is;
/// the variant is what the app branches on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// Not an image at all (a text file, a PDF, random bytes, an empty file).
    #[error("this file is not an image (JPEG, PNG, WebP, HEIC or AVIF expected)")]
    NotAnImage,

    /// A recognised image format (or a variant of one) that the catalog does not accept.
    #[error("{}", unsupported_message(format))]
    Unsupported {
        /// Short name of the format, e.g. `GIF`, `TIFF`.
        format: String,
    },

    /// A HEIC or AVIF photo on a computer without libheif (or with a libheif
    /// built without the HEVC or AV1 decoder): nothing is wrong with the file.
    #[error("{}", decoder_missing_message(*format))]
    DecoderMissing {
        /// [`SourceFormat::Heic`] or [`SourceFormat::Avif`].
        format: SourceFormat,
    },

    /// The file claims to be an accepted format but its data is damaged or incomplete.
    #[error("this image is damaged or incomplete and can't be opened: {reason}")]
    Corrupt {
        /// What is wrong, as precisely as the decoder could say.
        reason: String,
    },

    /// Smaller than Meta accepts for catalog photos.
    #[error(
        "this photo is too small ({width}×{height} pixels): Meta needs at least \
         {MIN_SIDE}×{MIN_SIDE} pixels; use a larger photo"
    )]
    TooSmall {
        /// Width after EXIF orientation, in pixels.
        width: u32,
        /// Height after EXIF orientation, in pixels.
        height: u32,
    },

    /// Too big to open safely (also what a "decompression bomb" gets).
    #[error("this image is too large to open: {reason}")]
    TooLarge {
        /// Which limit was exceeded.
        reason: String,
    },

    /// Resizing or JPEG encoding failed; not the file's fault.
    #[error("something went wrong while preparing this photo: {reason}")]
    Processing {
        /// The resizer's or encoder's own description.
        reason: String,
    },
}

fn unsupported_message(format: &str) -> String {
    format!("{format} images can't be used in the catalog: save the picture as JPEG, PNG or WebP and try again")
}

/// What to install, for the system this program was built for.
const INSTALL_LIBHEIF: &str = if cfg!(target_os = "macos") {
    "install libheif with Homebrew (brew install libheif)"
} else if cfg!(windows) {
    "put libheif (heif.dll and the DLLs that come with it) in Vitrine's folder"
} else if cfg!(target_os = "linux") {
    "install libheif (on Debian or Ubuntu: sudo apt install libheif1)"
} else {
    "install libheif"
};

fn decoder_missing_message(format: SourceFormat) -> String {
    let or_else = match format {
        SourceFormat::Heic => {
            "set the iPhone camera to Most Compatible (Settings › Camera › Formats) so it takes JPEG photos"
        }
        _ => "save the picture as JPEG",
    };
    format!(
        "this computer can't read {format} photos yet: {INSTALL_LIBHEIF} and try again, or {or_else}"
    )
}

impl MediaError {
    /// Maps a decoder error from the `image` crate, for a file already
    /// recognised as `format`, to what it means for the user.
    pub(crate) fn from_decoding(format: SourceFormat, err: image::ImageError) -> Self {
        use image::error::{ImageError, UnsupportedErrorKind};
        match err {
            ImageError::Limits(limit) => MediaError::TooLarge {
                reason: format!("opening it needs more memory than allowed ({limit})"),
            },
            // A variant of an accepted format the decoder cannot read, such
            // as an arithmetic-coded JPEG.
            ImageError::Unsupported(unsupported) => {
                let variant = match unsupported.kind() {
                    UnsupportedErrorKind::Color(color) => format!("{color:?} colour"),
                    UnsupportedErrorKind::GenericFeature(feature) => feature,
                    UnsupportedErrorKind::Format(hint) => hint.to_string(),
                    _ => "an unusual variant".to_owned(),
                };
                MediaError::Unsupported {
                    format: format!("{format} ({variant})"),
                }
            }
            ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                MediaError::Corrupt {
                    reason: TRUNCATED.to_owned(),
                }
            }
            other => MediaError::Corrupt {
                reason: other.to_string(),
            },
        }
    }
}

/// Shown when the data stops before the picture does.
pub(crate) const TRUNCATED: &str =
    "the file ends before the picture does (it may not have finished downloading or copying)";
