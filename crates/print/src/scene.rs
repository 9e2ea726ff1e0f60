//! What a page shows, once laid out: the one drawing that the PDF writer and the SVG preview
//! both read, so the preview is the print, glyph for glyph.
//!
//! Units are PDF points (1/72 inch); the origin is the page's top-left corner, y downwards.

use std::sync::Arc;

use krilla::image::Image;

use crate::qr::QrSymbol;
use crate::text::TextBlock;
use crate::{Colour, PrintError};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, width: f32, height: f32) -> Self {
        Self {
            x,
            y,
            width,
            height,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub width: f32,
    pub height: f32,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone)]
pub(crate) enum Mark {
    Fill {
        rect: Rect,
        colour: Colour,
    },
    /// A QR code `size` points square, its 4-module quiet zone included, on a white square.
    Qr {
        x: f32,
        y: f32,
        size: f32,
        code: Arc<QrSymbol>,
        colour: Colour,
    },
    /// A picture drawn at `drawn` and cut to `clip` (drawn is larger when the picture covers
    /// its frame).
    Picture {
        clip: Rect,
        drawn: Rect,
        picture: Picture,
    },
    Text {
        x: f32,
        y: f32,
        block: TextBlock,
    },
    /// The outline of a label, shown in previews only: the sheet is already cut.
    Guide {
        rect: Rect,
    },
}

impl Mark {
    pub fn text(x: f32, y: f32, block: TextBlock) -> Mark {
        Mark::Text { x, y, block }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PictureFormat {
    Png,
    Jpeg,
    Webp,
}

impl PictureFormat {
    pub fn mime(self) -> &'static str {
        match self {
            PictureFormat::Png => "image/png",
            PictureFormat::Jpeg => "image/jpeg",
            PictureFormat::Webp => "image/webp",
        }
    }
}

/// A PNG, JPEG or WebP picture as given, with its size in pixels read from its header.
#[derive(Debug, Clone)]
pub(crate) struct Picture {
    pub bytes: Arc<Vec<u8>>,
    pub format: PictureFormat,
    pub image: Image,
    pub width: u32,
    pub height: u32,
}

impl Picture {
    /// Reads the picture's header; `what` names it in errors ("the logo", "the photo of SKU-1").
    pub fn read(bytes: &[u8], what: &str) -> Result<Self, PrintError> {
        let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            PictureFormat::Png
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            PictureFormat::Jpeg
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            PictureFormat::Webp
        } else {
            return Err(PrintError::UnsupportedPicture {
                what: what.to_owned(),
            });
        };
        let shared = Arc::new(bytes.to_vec());
        let data = krilla::Data::from(Arc::clone(&shared));
        let image = match format {
            PictureFormat::Png => Image::from_png(data, true),
            PictureFormat::Jpeg => Image::from_jpeg(data, true),
            PictureFormat::Webp => Image::from_webp(data, true),
        }
        .map_err(|reason| PrintError::BadPicture {
            what: what.to_owned(),
            reason,
        })?;
        let (width, height) = image.size();
        if width == 0 || height == 0 {
            return Err(PrintError::BadPicture {
                what: what.to_owned(),
                reason: "it has no pixels".to_owned(),
            });
        }
        Ok(Self {
            bytes: shared,
            format,
            image,
            width,
            height,
        })
    }

    /// The whole picture, as large as fits in `frame`, centred.
    pub fn contained(self, frame: Rect) -> Mark {
        self.fitted(frame, false)
    }

    /// The picture filling `frame`, centred, its overflow cut off.
    pub fn covering(self, frame: Rect) -> Mark {
        self.fitted(frame, true)
    }

    fn fitted(self, frame: Rect, cover: bool) -> Mark {
        let aspect = self.width as f32 / self.height as f32;
        let wider_than_frame = aspect > frame.width / frame.height;
        let (width, height) = if wider_than_frame != cover {
            (frame.width, frame.width / aspect)
        } else {
            (frame.height * aspect, frame.height)
        };
        let drawn = Rect::new(
            frame.x + (frame.width - width) / 2.0,
            frame.y + (frame.height - height) / 2.0,
            width,
            height,
        );
        Mark::Picture {
            clip: if cover { frame } else { drawn },
            drawn,
            picture: self,
        }
    }
}
