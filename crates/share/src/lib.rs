//! vitrine-share: QR codes for the shop's `wa.me` links, as PNG and as SVG.
//!
//! Every code has a quiet zone of 4 modules (the QR standard's minimum). Colours are
//! checked before drawing: dark modules on a light ground, WCAG contrast ratio at least
//! [`MIN_CONTRAST`]. Without a logo the code uses error correction level M; with a logo,
//! level H (about 30% of the symbol recoverable), at least version 4, and the logo with its
//! pad covers at most [`LOGO_SIDE`]² (16%) of the symbol, centred, clear of the finder,
//! timing and format patterns.
//!
//! Units: PNG sizes are pixels; SVG coordinates are modules (quiet zone included), scaled to
//! the requested size by the `width`/`height` attributes.

mod contrast;
mod logo;
mod render;

use qrcode::{Color, EcLevel, QrCode, Version};

pub use contrast::{check_contrast, MIN_CONTRAST};
pub use logo::Logo;
pub use render::{qr_png, qr_svg};
pub use vitrine_core::Colour;

/// Modules of light margin around the symbol.
pub const QUIET_ZONE: usize = 4;

/// The side of the logo box (pad included) as a fraction of the symbol's side.
pub const LOGO_SIDE: f64 = 0.4;

/// With a logo the symbol is at least this version (33 modules): smaller symbols leave no
/// room between the finder patterns for a logo H can recover.
const LOGO_MIN_VERSION: i16 = 4;

#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("{foreground} on {background} is too faint to scan (contrast {ratio:.1}:1, at least 4:1 is needed); darken the code or lighten the background")]
    LowContrast {
        foreground: Colour,
        background: Colour,
        ratio: f64,
    },
    #[error("a light code ({foreground}) on a dark background ({background}) does not scan on many phones; use a dark code on a light background")]
    Inverted {
        foreground: Colour,
        background: Colour,
    },
    #[error("the link is too long for a QR code ({0} bytes); shorten the message")]
    TooLong(usize),
    #[error("{size} px is too small for this code; use at least {min} px")]
    TooSmall { size: u32, min: u32 },
    #[error("the logo is not a readable PNG or JPEG image: {0}")]
    Logo(#[source] image::ImageError),
    #[error("could not write the PNG: {0}")]
    Png(#[source] image::ImageError),
}

/// How a code looks.
#[derive(Debug, Clone)]
pub struct QrStyle {
    pub foreground: Colour,
    pub background: Colour,
    /// Drawn centred on a pad of the background colour.
    pub logo: Option<Logo>,
}

impl Default for QrStyle {
    fn default() -> Self {
        Self {
            foreground: Colour::BLACK,
            background: Colour::WHITE,
            logo: None,
        }
    }
}

/// A QR symbol laid out in modules, quiet zone included: what every code Vitrine draws (on
/// screen, in a PNG, on a poster or a shelf label) is made of, with one logo rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSymbol {
    /// Modules per side, quiet zone included.
    side: usize,
    /// Dark modules, row by row, `side × side`; none inside the logo box.
    dark: Vec<bool>,
    /// The logo box (pad included): first module on each axis and its side, in modules.
    logo_box: Option<(usize, usize)>,
}

impl QrSymbol {
    /// Encodes `content`: level M, or, to carry a logo over its centre, level H at least
    /// version 4 with the modules under the logo box left out.
    pub fn encode(content: &str, with_logo: bool) -> Result<Self, QrError> {
        let too_long = |_| QrError::TooLong(content.len());
        let code = match with_logo {
            false => QrCode::with_error_correction_level(content, EcLevel::M).map_err(too_long)?,
            true => {
                let code =
                    QrCode::with_error_correction_level(content, EcLevel::H).map_err(too_long)?;
                match code.version() {
                    Version::Normal(v) if v < LOGO_MIN_VERSION => {
                        QrCode::with_version(content, Version::Normal(LOGO_MIN_VERSION), EcLevel::H)
                            .map_err(too_long)?
                    }
                    _ => code,
                }
            }
        };
        let symbol = code.width();
        let side = symbol + 2 * QUIET_ZONE;
        let logo_box = with_logo.then(|| {
            // Odd like the symbol, so the box sits exactly in the middle.
            let mut box_side = (symbol as f64 * LOGO_SIDE).floor() as usize;
            if box_side.is_multiple_of(2) {
                box_side -= 1;
            }
            (QUIET_ZONE + (symbol - box_side) / 2, box_side)
        });
        let inside_logo = |x: usize, y: usize| {
            logo_box.is_some_and(|(start, len)| {
                (start..start + len).contains(&x) && (start..start + len).contains(&y)
            })
        };
        let modules = code.to_colors();
        let mut dark = vec![false; side * side];
        for y in 0..symbol {
            for x in 0..symbol {
                let (qx, qy) = (x + QUIET_ZONE, y + QUIET_ZONE);
                dark[qy * side + qx] =
                    modules[y * symbol + x] == Color::Dark && !inside_logo(qx, qy);
            }
        }
        Ok(Self {
            side,
            dark,
            logo_box,
        })
    }

    /// Modules per side, quiet zone included.
    pub fn side(&self) -> usize {
        self.side
    }

    /// The logo box (its pad included): first module on each axis and its side, in modules.
    pub fn logo_box(&self) -> Option<(usize, usize)> {
        self.logo_box
    }

    /// Horizontal runs of dark modules: (x, y, length), quiet zone included in the coordinates.
    pub fn dark_runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        (0..self.side).flat_map(move |y| {
            let row = &self.dark[y * self.side..(y + 1) * self.side];
            let mut runs = Vec::new();
            let mut x = 0;
            while x < self.side {
                if row[x] {
                    let start = x;
                    while x < self.side && row[x] {
                        x += 1;
                    }
                    runs.push((start, y, x - start));
                } else {
                    x += 1;
                }
            }
            runs
        })
    }
}
