//! QR module matrices, drawn by the PDF and SVG writers as vector rectangles.

use qrcode::{Color, EcLevel, QrCode};

use crate::PrintError;

/// Modules of light border the QR specification asks for on every side.
pub(crate) const QUIET_ZONE: usize = 4;

/// The dark and light modules of a QR code, without its quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `url`. With a logo over its centre the code uses level H (30 % of it may be
    /// lost); without, level M, which keeps the modules larger.
    pub fn encode(url: &str, logo_in_centre: bool) -> Result<Self, PrintError> {
        let level = if logo_in_centre {
            EcLevel::H
        } else {
            EcLevel::M
        };
        let code = QrCode::with_error_correction_level(url.as_bytes(), level).map_err(|e| {
            PrintError::QrCode {
                url: url.to_owned(),
                reason: e.to_string(),
            }
        })?;
        Ok(Self {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    /// Modules across, the quiet zone included.
    pub fn modules_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Horizontal runs of dark modules as `(row, first column, length)`, quiet zone included in
    /// the coordinates: one rectangle per run keeps the path small and free of seams.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for (row, cells) in self.dark.chunks(self.width).enumerate() {
            let mut column = 0;
            while column < cells.len() {
                if !cells[column] {
                    column += 1;
                    continue;
                }
                let start = column;
                while column < cells.len() && cells[column] {
                    column += 1;
                }
                runs.push((row + QUIET_ZONE, start + QUIET_ZONE, column - start));
            }
        }
        runs
    }
}

/// The square, in modules from the code's top-left corner (quiet zone included), that a
/// centred logo may cover: about a fifth of the code's width, well inside what level H
/// restores, and clear of the three finder patterns.
pub(crate) fn logo_square(code: &QrMatrix) -> (usize, usize) {
    let mut side = (code.width as f32 * 0.22).round() as usize;
    if side % 2 != code.width % 2 {
        side += 1;
    }
    let first = QUIET_ZONE + (code.width - side) / 2;
    (first, side)
}
