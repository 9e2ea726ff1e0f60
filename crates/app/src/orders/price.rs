//! Meta's `item_price`: the unit price the customer saw, in major units, written as a JSON
//! number (`7.99`, `30`, or any other form JSON allows, such as `1.5e1`). It is read from its
//! decimal text, never through a float, into integer minor units of the line's currency.
//! Digits beyond the currency's exponent (a float printed as `7.9900000001`) are rounded
//! half away from zero.

use vitrine_core::{Currency, Money};

/// The price in minor units of `currency`, or `None` when `text` is not a JSON number or
/// does not fit.
pub(crate) fn item_price(text: &str, currency: Currency) -> Option<Money> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.strip_prefix('+').unwrap_or(e).parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if mantissa.contains('.') && fraction.is_empty() {
        return None;
    }
    // value = digits × 10^(exponent − fraction digits); we want value × 10^currency exponent.
    let digits: String = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0');
    let shift = exponent
        .checked_sub(i32::try_from(fraction.len()).ok()?)?
        .checked_add(i32::from(currency.exponent()))?;
    let minor = scale(digits, shift)?;
    let minor = i64::try_from(minor).ok()?;
    Some(Money::from_minor(
        if negative { -minor } else { minor },
        currency,
    ))
}

/// `digits × 10^shift`, rounded half away from zero to an integer.
fn scale(digits: &str, shift: i32) -> Option<i128> {
    if digits.is_empty() {
        return Some(0);
    }
    if shift >= 0 {
        let base: i128 = digits.parse().ok()?;
        return base.checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?);
    }
    let cut = usize::try_from(-shift).ok()?;
    if cut > digits.len() {
        // The first dropped digit is a leading zero: less than half a minor unit.
        return Some(0);
    }
    let (kept, dropped) = digits.split_at(digits.len() - cut);
    let kept: i128 = if kept.is_empty() {
        0
    } else {
        kept.parse().ok()?
    };
    let round_up = dropped.as_bytes().first().is_some_and(|d| *d >= b'5');
    kept.checked_add(i128::from(round_up))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").expect("USD")
    }

    #[test]
    fn metas_float_prices_become_exact_minor_units() {
        let cases = [
            ("7.99", "USD", Some(799)),
            ("30", "USD", Some(3000)),
            ("30.0", "USD", Some(3000)),
            ("0.1", "USD", Some(10)),
            ("1.5e1", "USD", Some(1500)),
            ("7.9900000001", "USD", Some(799)),
            ("7.995", "USD", Some(800)),
            ("1500", "JPY", Some(1500)),
            ("1.25", "KWD", Some(1250)),
            ("49.9", "BRL", Some(4990)),
            ("0.004", "USD", Some(0)),
            ("0.005", "USD", Some(1)),
            ("12.", "USD", None),
            ("1,5", "USD", None),
            ("", "USD", None),
            ("abc", "USD", None),
        ];
        for (text, code, minor) in cases {
            let currency = Currency::from_code(code).expect("currency");
            assert_eq!(
                item_price(text, currency).map(|m| m.minor()),
                minor,
                "{text} {code}"
            );
        }
        assert_eq!(
            item_price("7.99", usd())
                .map(|m| m.to_meta_string())
                .as_deref(),
            Some("7.99 USD"),
            "the same price the customer saw, with no float error"
        );
    }
}
