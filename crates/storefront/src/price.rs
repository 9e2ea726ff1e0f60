//! Prices on the pages and in the cart.
//!
//! Amounts are integer minor units of an ISO 4217 currency, never floats, here and in the
//! cart's JavaScript. The pages write prices with `Money::to_local_string`; the cart, which
//! adds prices up in the browser, needs the same writing without Rust, so each language and
//! currency gets a [`PriceFormat`] read off `to_local_string` itself (what comes before and
//! after the digits, the separators, the grouping) that the script applies to integers.

use serde::Serialize;
use vitrine_core::{Currency, LanguageTag, Money};

/// How one language writes amounts of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceFormat {
    /// Everything before the first digit (`R$ `).
    pub prefix: String,
    /// Everything after the last digit (` ر.س.‏`).
    pub suffix: String,
    pub group: String,
    pub decimal: String,
    /// Groups of 2 left of the last 3 digits (`1,23,456`).
    pub indian: bool,
    /// The currency's decimals (BRL 2, JPY 0, KWD 3).
    pub exponent: u8,
}

impl PriceFormat {
    /// Read off a formatted sample whose whole part is `1234567` and whose fraction is all
    /// `8`s: every separator and affix shows in it exactly once per role.
    pub fn of(currency: Currency, language: &LanguageTag) -> Self {
        let exponent = currency.exponent();
        let mut minor: i64 = 1_234_567;
        for _ in 0..exponent {
            minor = minor * 10 + 8;
        }
        let text = Money::from_minor(minor, currency).to_local_string(language, false);
        let first = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
        let last = text
            .rfind(|c: char| c.is_ascii_digit())
            .map_or(text.len(), |i| i + 1);
        let amount = &text[first..last];
        let separators: Vec<(usize, char)> = amount
            .char_indices()
            .filter(|(_, c)| !c.is_ascii_digit())
            .collect();
        let decimal = if exponent > 0 {
            separators
                .last()
                .map(|(_, c)| c.to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let group = separators
            .first()
            .map(|(_, c)| c.to_string())
            .unwrap_or_default();
        // 1234567 is `1,234,567` in threes and `12,34,567` the Indian way.
        let whole = match decimal.as_str() {
            "" => amount,
            d => amount.split(d).next().unwrap_or(amount),
        };
        let indian = whole.chars().take_while(char::is_ascii_digit).count() == 2;
        Self {
            prefix: text[..first].to_owned(),
            suffix: text[last..].to_owned(),
            group,
            decimal,
            indian,
            exponent,
        }
    }

    /// `minor` written as [`Money::to_local_string`] would, for prices (never negative);
    /// what the cart's script does in the browser.
    pub fn write(&self, minor: u64) -> String {
        let digits = minor.to_string();
        let exp = usize::from(self.exponent);
        let padded = format!("{digits:0>width$}", width = exp + 1);
        let (whole, fraction) = padded.split_at(padded.len() - exp);
        let len = whole.len();
        let mut amount = String::new();
        for (i, c) in whole.chars().enumerate() {
            let left = len - i;
            let boundary = if self.indian {
                left == 3 || left > 3 && (left - 3).is_multiple_of(2)
            } else {
                left.is_multiple_of(3)
            };
            if boundary && i > 0 {
                amount.push_str(&self.group);
            }
            amount.push(c);
        }
        if exp > 0 {
            amount.push_str(&self.decimal);
            amount.push_str(fraction);
        }
        format!("{}{amount}{}", self.prefix, self.suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cart_writes_every_amount_as_the_pages_do() {
        for code in [
            "BRL", "INR", "IDR", "JPY", "KWD", "SAR", "USD", "EUR", "MXN", "XOF",
        ] {
            let currency = Currency::from_code(code).expect("ISO code");
            for tag in ["en", "pt-BR", "es", "es-MX", "id", "hi", "ar"] {
                let language = LanguageTag::parse(tag).expect("tag");
                let format = PriceFormat::of(currency, &language);
                for minor in [0_u64, 5, 99, 100, 4990, 123_456, 12_345_678, 9_876_543_210] {
                    let money = Money::from_minor(i64::try_from(minor).expect("small"), currency);
                    assert_eq!(
                        format.write(minor),
                        money.to_local_string(&language, false),
                        "{minor} {code} in {tag}"
                    );
                }
            }
        }
    }
}
