//! `#rrggbb` colours and the contrast check that keeps QR codes scannable.

use std::fmt;

use crate::QrError;

/// Below this WCAG contrast ratio, phone cameras in a dim shop misread modules.
pub const MIN_CONTRAST: f64 = 4.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    pub const BLACK: Rgb = Rgb([0, 0, 0]);
    pub const WHITE: Rgb = Rgb([0xff, 0xff, 0xff]);

    /// Reads `#rrggbb` (the `#` is optional, hex digits in either case).
    pub fn parse(text: &str) -> Result<Self, QrError> {
        let hex = text.trim();
        let hex = hex.strip_prefix('#').unwrap_or(hex);
        let bad = || QrError::BadColour(text.to_owned());
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self([channel(0)?, channel(2)?, channel(4)?]))
    }

    /// WCAG 2 relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// WCAG 2 contrast ratio of two colours, 1 (same) to 21 (black on white).
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Refuses colour pairs scanners misread: light modules on a dark ground (many scanners
/// only look for dark-on-light codes) and pairs below [`MIN_CONTRAST`].
pub fn check_contrast(foreground: Rgb, background: Rgb) -> Result<(), QrError> {
    if foreground.luminance() > background.luminance() {
        return Err(QrError::Inverted {
            foreground,
            background,
        });
    }
    let ratio = contrast_ratio(foreground, background);
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
    fn colours_are_read_from_hex_and_written_back_lower_case() {
        assert_eq!(Rgb::parse("#1A2b3C").ok(), Some(Rgb([0x1a, 0x2b, 0x3c])));
        assert_eq!(Rgb::parse("ffffff").ok(), Some(Rgb::WHITE));
        assert_eq!(Rgb([0x1a, 0x2b, 0x3c]).to_string(), "#1a2b3c");
        for bad in ["#fff", "#gggggg", "red", "", "#1234567"] {
            assert!(
                matches!(Rgb::parse(bad), Err(QrError::BadColour(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn contrast_ratios_match_wcag() {
        assert!((contrast_ratio(Rgb::BLACK, Rgb::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio(Rgb::WHITE, Rgb::WHITE) - 1.0).abs() < 1e-9);
        let grey = Rgb([0x76, 0x76, 0x76]);
        assert!((contrast_ratio(grey, Rgb::WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn dark_on_light_passes_and_pale_or_inverted_pairs_are_refused() {
        assert!(check_contrast(Rgb([0x0b, 0x3d, 0x2e]), Rgb([0xf5, 0xf0, 0xe6])).is_ok());
        assert!(matches!(
            check_contrast(Rgb([0xff, 0xd7, 0x00]), Rgb::WHITE),
            Err(QrError::LowContrast { .. })
        ));
        assert!(matches!(
            check_contrast(Rgb::WHITE, Rgb::BLACK),
            Err(QrError::Inverted { .. })
        ));
    }
}
