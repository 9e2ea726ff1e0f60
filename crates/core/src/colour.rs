//! Colours the merchant picks (a QR code's, a poster's accent, the storefront's): `#rrggbb`
//! sRGB, and the WCAG 2 contrast that keeps text readable and codes scannable.

use std::fmt;
use std::str::FromStr;

/// An sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    pub red: u8,
    pub green: u8,
    pub blue: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a colour; write it as #rrggbb, like #0b6e4f")]
pub struct ColourError(pub String);

impl Colour {
    pub const BLACK: Colour = Colour::rgb(0, 0, 0);
    pub const WHITE: Colour = Colour::rgb(255, 255, 255);

    pub const fn rgb(red: u8, green: u8, blue: u8) -> Self {
        Self { red, green, blue }
    }

    /// Reads `#rrggbb` (the `#` is optional, hex digits in either case).
    pub fn parse(text: &str) -> Result<Self, ColourError> {
        let trimmed = text.trim();
        let hex = trimmed.strip_prefix('#').unwrap_or(trimmed);
        let bad = || ColourError(text.to_owned());
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Self::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// WCAG 2 relative luminance, 0 for black to 1 for white.
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)
    }

    /// WCAG 2 contrast ratio between two colours, from 1 (none) to 21 (black on white).
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour: for text on an accent.
    pub fn readable_text(self) -> Colour {
        if self.contrast(Colour::WHITE) >= self.contrast(Colour::BLACK) {
            Colour::WHITE
        } else {
            Colour::BLACK
        }
    }
}

impl fmt::Display for Colour {
    /// `#rrggbb`, lower case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.red, self.green, self.blue)
    }
}

impl FromStr for Colour {
    type Err = ColourError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_from_hex_and_written_back_lower_case() {
        assert_eq!(Colour::parse("#1A2b3C"), Ok(Colour::rgb(0x1a, 0x2b, 0x3c)));
        assert_eq!(Colour::parse(" ffffff "), Ok(Colour::WHITE));
        assert_eq!(Colour::rgb(0x0b, 0x6e, 0x4f).to_string(), "#0b6e4f");
        for bad in ["#fff", "#gggggg", "red", "", "#1234567", "#12345", "#ééé"] {
            assert_eq!(
                Colour::parse(bad),
                Err(ColourError(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn contrast_ratios_match_wcag() {
        assert!((Colour::BLACK.contrast(Colour::WHITE) - 21.0).abs() < 1e-9);
        assert!((Colour::WHITE.contrast(Colour::WHITE) - 1.0).abs() < 1e-9);
        let grey = Colour::rgb(0x76, 0x76, 0x76);
        assert!(
            (grey.contrast(Colour::WHITE) - 4.54).abs() < 0.01,
            "#767676 is the lightest grey that passes AA on white"
        );
    }

    #[test]
    fn text_on_an_accent_is_white_on_dark_and_black_on_light() {
        assert_eq!(Colour::rgb(0x0b, 0x6e, 0x4f).readable_text(), Colour::WHITE);
        assert_eq!(Colour::rgb(0xff, 0xe0, 0x66).readable_text(), Colour::BLACK);
    }
}
