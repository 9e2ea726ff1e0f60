//! Colours of the printed page: 8-bit sRGB.

use std::fmt;
use std::str::FromStr;

use crate::PrintError;

/// An sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    pub red: u8,
    pub green: u8,
    pub blue: u8,
}

impl Colour {
    pub const BLACK: Colour = Colour::rgb(0, 0, 0);
    pub const WHITE: Colour = Colour::rgb(255, 255, 255);

    pub const fn rgb(red: u8, green: u8, blue: u8) -> Self {
        Self { red, green, blue }
    }

    /// Parses `#rrggbb` or `rrggbb`.
    pub fn from_hex(hex: &str) -> Result<Self, PrintError> {
        let bad = || PrintError::BadColour(hex.to_owned());
        let digits = hex.trim().trim_start_matches('#');
        if digits.len() != 6 || !digits.is_ascii() {
            return Err(bad());
        }
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|_| bad());
        Ok(Self::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// WCAG 2 relative luminance, 0 for black to 1 for white.
    fn luminance(self) -> f64 {
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
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.red, self.green, self.blue)
    }
}

impl FromStr for Colour {
    type Err = PrintError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours_round_trip_and_contrast_follows_wcag() {
        let green = Colour::from_hex("#0B6E4F").expect("valid hex");
        assert_eq!(green.to_string(), "#0b6e4f");
        assert!(
            Colour::from_hex("#12345").is_err(),
            "five digits is not a colour"
        );
        let ratio = Colour::BLACK.contrast(Colour::WHITE);
        assert!(
            (ratio - 21.0).abs() < 1e-9,
            "black on white is 21:1, got {ratio}"
        );
    }
}
