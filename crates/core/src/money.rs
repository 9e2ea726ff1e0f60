//! Money is an integer count of the currency's minor units plus an ISO 4217 currency.
//!
//! The number of minor units per major unit comes from the currency's ISO 4217 exponent
//! (JPY 0, BRL 2, KWD 3), read from the `iso_currency` tables. Floats never hold money:
//! parsing and formatting are exact decimal string operations on the integer.

mod display;
mod local;

pub use display::DisplayPriceError;
pub use local::{local_digits, PriceFormat};

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency with a defined minor-unit exponent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("“{0}” is not an ISO 4217 currency code (for example BRL, IDR, EGP, INR, USD)")]
    UnknownCurrency(String),
    #[error("{0} has no minor unit defined and cannot be used for prices")]
    NoMinorUnit(String),
    #[error("“{input}” is not a price: {reason}")]
    Malformed { input: String, reason: &'static str },
    #[error("{currency} prices have at most {exponent} decimal places, “{input}” has more")]
    TooManyDecimals {
        input: String,
        currency: String,
        exponent: u8,
    },
    #[error("the price “{0}” is too large")]
    Overflow(String),
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(String, String),
}

impl Currency {
    /// Looks up an ISO 4217 alphabetic code, case-insensitively.
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        let upper = code.trim().to_ascii_uppercase();
        let currency = iso_currency::Currency::from_code(&upper)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.trim().to_owned()))?;
        if currency.exponent().is_none() {
            return Err(MoneyError::NoMinorUnit(upper));
        }
        Ok(Self(currency))
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// Decimal places of the minor unit: 0 for JPY, 2 for BRL, 3 for KWD.
    pub fn exponent(&self) -> u8 {
        // `from_code` refuses currencies without an exponent, so this is always Some.
        self.0.exponent().map_or(0, |e| e as u8)
    }

    fn scale(&self) -> i64 {
        10_i64.pow(u32::from(self.exponent()))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_code(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Self::from_code(&code).map_err(serde::de::Error::custom)
    }
}

/// An amount of money: `minor` units of `currency` (centavos for BRL, yen for JPY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn from_minor(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn is_negative(&self) -> bool {
        self.minor < 0
    }

    /// Parses a plain decimal amount in `currency`: `"1234.5"`, `"1234,50"`, `"12"`.
    ///
    /// Accepts one decimal separator (`.` or `,`) and no grouping, symbols or exponents,
    /// so that `1.234` is never silently read as a thousand.
    pub fn parse_decimal(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let malformed = |reason| MoneyError::Malformed {
            input: input.to_owned(),
            reason,
        };
        let text = input.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        if digits.is_empty() {
            return Err(malformed("it is empty"));
        }
        let mut parts = digits.splitn(2, ['.', ',']);
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next().unwrap_or_default();
        if whole.is_empty() && fraction.is_empty() {
            return Err(malformed("it has no digits"));
        }
        if !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(malformed(
                "use digits and one decimal point only, without symbols or thousands separators",
            ));
        }
        let exponent = currency.exponent();
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > usize::from(exponent) {
            return Err(MoneyError::TooManyDecimals {
                input: input.to_owned(),
                currency: currency.code().to_owned(),
                exponent,
            });
        }
        let overflow = || MoneyError::Overflow(input.to_owned());
        // Counted in i128 and signed before narrowing: the most negative amount has no
        // positive i64 counterpart, yet must read back as it was written.
        let whole_value: i128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| overflow())?
        };
        let mut fraction_value: i128 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().map_err(|_| overflow())?
        };
        for _ in fraction.len()..usize::from(exponent) {
            fraction_value *= 10;
        }
        let minor = whole_value
            .checked_mul(i128::from(currency.scale()))
            .and_then(|w| w.checked_add(fraction_value))
            .ok_or_else(overflow)?;
        let minor = i64::try_from(if negative { -minor } else { minor }).map_err(|_| overflow())?;
        Ok(Self::from_minor(minor, currency))
    }

    /// Parses Meta's price format: `"12.99 USD"`, `"14 GBP"`.
    pub fn parse_meta(input: &str) -> Result<Self, MoneyError> {
        let text = input.trim();
        let (amount, code) = text.rsplit_once(' ').ok_or(MoneyError::Malformed {
            input: input.to_owned(),
            reason: "expected an amount followed by a currency code, like “12.99 USD”",
        })?;
        let currency = Currency::from_code(code)?;
        if amount.contains(',') {
            return Err(MoneyError::Malformed {
                input: input.to_owned(),
                reason: "Meta prices use a period as the decimal point",
            });
        }
        Self::parse_decimal(amount.trim(), currency)
    }

    /// The amount as a decimal string with exactly the currency's decimals: `"1234.50"`.
    pub fn to_decimal_string(&self) -> String {
        let exponent = usize::from(self.currency.exponent());
        let scale = self.currency.scale().unsigned_abs();
        let abs = self.minor.unsigned_abs();
        let sign = if self.minor < 0 { "-" } else { "" };
        if exponent == 0 {
            format!("{sign}{abs}")
        } else {
            format!("{sign}{}.{:0exponent$}", abs / scale, abs % scale)
        }
    }

    /// Meta's `items_batch` price string: `"1234.50 BRL"`, `"1500 JPY"`, `"1.250 KWD"`.
    pub fn to_meta_string(&self) -> String {
        format!("{} {}", self.to_decimal_string(), self.currency.code())
    }

    /// Adds a percentage given in basis points (1% = 100); the result is rounded half away
    /// from zero to the currency's minor unit.
    pub fn adjusted_by_basis_points(&self, basis_points: i64) -> Result<Self, MoneyError> {
        let overflow = || MoneyError::Overflow(self.to_meta_string());
        let scaled = i128::from(self.minor) * (10_000 + i128::from(basis_points));
        let minor = if scaled >= 0 {
            (scaled + 5_000) / 10_000
        } else {
            (scaled - 5_000) / 10_000
        };
        Ok(Self::from_minor(
            i64::try_from(minor).map_err(|_| overflow())?,
            self.currency,
        ))
    }

    pub fn checked_add(&self, other: &Money) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.code().to_owned(),
                other.currency.code().to_owned(),
            ));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or_else(|| MoneyError::Overflow(self.to_meta_string()))?;
        Ok(Self::from_minor(minor, self.currency))
    }

    pub fn checked_mul(&self, quantity: i64) -> Result<Self, MoneyError> {
        let minor = self
            .minor
            .checked_mul(quantity)
            .ok_or_else(|| MoneyError::Overflow(self.to_meta_string()))?;
        Ok(Self::from_minor(minor, self.currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_meta_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).expect("a real ISO 4217 code")
    }

    #[test]
    fn the_extreme_amounts_read_back_as_they_were_written() {
        for code in ["JPY", "BRL", "KWD"] {
            for minor in [i64::MIN, i64::MAX] {
                let money = Money::from_minor(minor, cur(code));
                assert_eq!(
                    Money::parse_decimal(&money.to_decimal_string(), cur(code)),
                    Ok(money),
                    "{code} {minor}: the most negative amount has no positive twin in i64"
                );
            }
        }
        let below = Money::parse_decimal("-9223372036854775809", cur("JPY"));
        assert!(
            matches!(below, Err(MoneyError::Overflow(_))),
            "one past the end is too large"
        );
    }

    #[test]
    fn each_currency_uses_its_own_exponent() {
        assert_eq!(cur("JPY").exponent(), 0);
        assert_eq!(cur("BRL").exponent(), 2);
        assert_eq!(cur("KWD").exponent(), 3);
        assert_eq!(cur("idr").code(), "IDR", "codes are case-insensitive");
    }

    #[test]
    fn meta_strings_are_exact_for_every_exponent() {
        assert_eq!(
            Money::from_minor(123_450, cur("BRL")).to_meta_string(),
            "1234.50 BRL"
        );
        assert_eq!(
            Money::from_minor(1500, cur("JPY")).to_meta_string(),
            "1500 JPY"
        );
        assert_eq!(
            Money::from_minor(1250, cur("KWD")).to_meta_string(),
            "1.250 KWD"
        );
        assert_eq!(
            Money::from_minor(5, cur("USD")).to_meta_string(),
            "0.05 USD"
        );
        assert_eq!(
            Money::from_minor(-5, cur("USD")).to_decimal_string(),
            "-0.05"
        );
    }

    #[test]
    fn decimals_parse_exactly_without_floats() {
        let brl = cur("BRL");
        assert_eq!(
            Money::parse_decimal("1234.5", brl).map(|m| m.minor()),
            Ok(123_450)
        );
        assert_eq!(
            Money::parse_decimal("1234,50", brl).map(|m| m.minor()),
            Ok(123_450)
        );
        assert_eq!(Money::parse_decimal("0.1", brl).map(|m| m.minor()), Ok(10));
        assert_eq!(
            Money::parse_decimal("19.99", brl).map(|m| m.minor()),
            Ok(1999),
            "0.1+0.2 style float errors must not appear"
        );
        assert_eq!(
            Money::parse_decimal("1500", cur("JPY")).map(|m| m.minor()),
            Ok(1500)
        );
        assert_eq!(
            Money::parse_decimal("1.250", cur("KWD")).map(|m| m.minor()),
            Ok(1250)
        );
        assert_eq!(
            Money::parse_decimal("2.50", cur("JPY")).map(|m| m.minor()),
            Err(MoneyError::TooManyDecimals {
                input: "2.50".into(),
                currency: "JPY".into(),
                exponent: 0
            })
        );
    }

    #[test]
    fn prices_with_symbols_or_grouping_are_refused() {
        let brl = cur("BRL");
        for bad in ["R$ 10", "1.234,56", "10.00.00", "", "abc", "1e3"] {
            assert!(
                Money::parse_decimal(bad, brl).is_err(),
                "{bad:?} must not parse"
            );
        }
        assert!(
            Money::parse_decimal("99999999999999999999", brl).is_err(),
            "overflow is an error"
        );
    }

    #[test]
    fn meta_price_strings_round_trip() {
        for s in ["12.99 USD", "14 JPY", "1.250 KWD", "0.50 EGP"] {
            let money = Money::parse_meta(s).expect("valid Meta price");
            assert_eq!(money.to_meta_string(), s);
        }
        assert!(
            Money::parse_meta("12,99 EUR").is_err(),
            "Meta needs a period"
        );
        assert!(Money::parse_meta("12.99").is_err(), "currency is mandatory");
        assert!(Money::parse_meta("12.99 XYZ").is_err(), "unknown currency");
    }

    #[test]
    fn percentage_adjustments_round_half_away_from_zero() {
        let m = Money::from_minor(1999, cur("BRL"));
        assert_eq!(
            m.adjusted_by_basis_points(1000).map(|m| m.minor()),
            Ok(2199),
            "+10% of 19.99 is 21.989 → 21.99"
        );
        assert_eq!(
            m.adjusted_by_basis_points(-5000).map(|m| m.minor()),
            Ok(1000),
            "-50% of 19.99 is 9.995 → 10.00"
        );
    }

    #[test]
    fn adding_different_currencies_is_an_error() {
        let a = Money::from_minor(1, cur("BRL"));
        let b = Money::from_minor(1, cur("USD"));
        assert!(a.checked_add(&b).is_err());
        assert_eq!(a.checked_mul(3).map(|m| m.minor()), Ok(3));
    }
}
