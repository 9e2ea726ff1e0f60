//! The contrast check that keeps QR codes scannable.

use vitrine_core::Colour;

use crate::QrError;

/// Below this WCAG contrast ratio, phone cameras in a dim shop misread modules.
pub const MIN_CONTRAST: f64 = 4.0;

/// Refuses colour pairs scanners misread: light modules on a dark ground (many scanners
/// only look for dark-on-light codes) and pairs below [`MIN_CONTRAST`].
pub fn check_contrast(foreground: Colour, background: Colour) -> Result<(), QrError> {
    if foreground.luminance() > background.luminance() {
        return Err(QrError::Inverted {
            foreground,
            background,
        });
    }
    let ratio = foreground.contrast(background);
    if ratio < MIN_CONTRAST {
        return Err(QrError::LowContrast {
            foreground,
            background,
            ratio,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_on_light_passes_and_pale_or_inverted_pairs_are_refused() {
        let rgb = |r, g, b| Colour::rgb(r, g, b);
        assert!(check_contrast(rgb(0x0b, 0x3d, 0x2e), rgb(0xf5, 0xf0, 0xe6)).is_ok());
        assert!(matches!(
            check_contrast(rgb(0xff, 0xd7, 0x00), Colour::WHITE),
            Err(QrError::LowContrast { .. })
        ));
        assert!(matches!(
            check_contrast(Colour::WHITE, Colour::BLACK),
            Err(QrError::Inverted { .. })
        ));
    }
}
