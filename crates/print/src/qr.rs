//! QR codes on paper: the one symbol `vitrine-share` lays out for every code Vitrine draws
//! (the same error correction and logo rule as on screen), drawn by the PDF and SVG writers
//! as vector rectangles.

pub(crate) use vitrine_share::QrSymbol;

use crate::PrintError;

/// Encodes `url`, with room for a logo over its centre when `logo_in_centre`.
pub(crate) fn encode(url: &str, logo_in_centre: bool) -> Result<QrSymbol, PrintError> {
    QrSymbol::encode(url, logo_in_centre).map_err(|e| PrintError::QrCode {
        url: url.to_owned(),
        reason: e.to_string(),
    })
}
