//! A price as Meta's catalog displays it (`"$1,234.50"`, `"R$ 1.234,50"`, `"BRL49.90"`,
//! `"Rp150.000"`), read back into exact money in the item's currency.

use super::{Currency, Money, MoneyError};

/// A displayed price that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisplayPriceError {
    /// No number, several numbers, or separators that do not group thousands.
    #[error("“{0}” is not a price Vitrine can read")]
    Unreadable(String),
    /// A number, but not an amount of the currency (too large).
    #[error(transparent)]
    Amount(#[from] MoneyError),
}

impl Money {
    /// Reads a price as Meta displays it in `currency`. Symbols and codes are dropped; of the
    /// separators, the last one is the decimal point when at most the currency's decimals
    /// follow it, and every other separator groups thousands (in threes, or Indian lakhs and
    /// crores in twos before the last three).
    pub fn parse_display(text: &str, currency: Currency) -> Result<Self, DisplayPriceError> {
        let bad = || DisplayPriceError::Unreadable(text.to_owned());
        let start = text.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
        let is_part = |c: char| {
            c.is_ascii_digit() || matches!(c, '.' | ',' | '\'' | ' ' | '\u{a0}' | '\u{202f}')
        };
        let end = text[start..]
            .find(|c: char| !is_part(c))
            .map_or(text.len(), |i| start + i);
        let number = text[start..end].trim_end_matches(|c: char| !c.is_ascii_digit());
        if text[start + number.len()..].contains(|c: char| c.is_ascii_digit()) {
            return Err(bad());
        }
        let digits: String = number
            .chars()
            .filter(|c| !matches!(c, '\'' | ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        let decimal = digits.rfind(['.', ',']).filter(|&i| {
            let after = digits.len() - i - 1;
            after >= 1 && after <= usize::from(currency.exponent())
        });
        let whole = &digits[..decimal.unwrap_or(digits.len())];
        let groups: Vec<&str> = whole.split(['.', ',']).collect();
        // Thousands come in threes (Indian lakhs and crores in twos before the last three).
        if groups.len() > 1
            && (groups[0].is_empty()
                || groups[1..].iter().any(|g| !(2..=3).contains(&g.len()))
                || groups.last().is_some_and(|g| g.len() != 3))
        {
            return Err(bad());
        }
        let plain: String = digits
            .char_indices()
            .filter_map(|(i, c)| match c {
                '.' | ',' if Some(i) == decimal => Some('.'),
                '.' | ',' => None,
                c => Some(c),
            })
            .collect();
        Ok(Self::parse_decimal(&plain, currency)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, code: &str) -> Result<i64, DisplayPriceError> {
        let currency = Currency::from_code(code).expect("currency");
        Money::parse_display(text, currency).map(|m| m.minor())
    }

    #[test]
    fn displayed_prices_are_read_in_the_items_currency() {
        assert_eq!(read("$1,234.50", "USD"), Ok(123_450));
        assert_eq!(read("R$ 1.234,50", "BRL"), Ok(123_450));
        assert_eq!(read("BRL49.90", "BRL"), Ok(4_990));
        assert_eq!(read("12,99 €", "EUR"), Ok(1_299));
        assert_eq!(
            read("Rp150.000", "IDR"),
            Ok(15_000_000),
            "three digits group, IDR has 2 decimals"
        );
        assert_eq!(read("¥1,500", "JPY"), Ok(1_500), "JPY has no decimals");
        assert_eq!(read("1.250 KWD", "KWD"), Ok(1_250), "KWD has 3 decimals");
        assert_eq!(
            read("₹ 1,23,456.00", "INR"),
            Ok(12_345_600),
            "Indian grouping"
        );
        assert_eq!(read("7", "USD"), Ok(700));
    }

    #[test]
    fn a_display_string_that_is_not_one_price_is_refused() {
        for bad in ["free", "", "2 for $10", "$1.2.3,4,5"] {
            assert_eq!(
                read(bad, "USD"),
                Err(DisplayPriceError::Unreadable(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(
            DisplayPriceError::Unreadable("free".into()).to_string(),
            "“free” is not a price Vitrine can read",
            "the merchant sees the text Meta displayed"
        );
        assert!(
            matches!(
                read("$99999999999999999999", "USD"),
                Err(DisplayPriceError::Amount(MoneyError::Overflow(_)))
            ),
            "a number too large for money says so"
        );
    }
}
