//! The prices of an order. Meta's `item_price` is the unit price the customer saw, in major
//! units, written as a JSON number (`7.99`, `30`, or any other form JSON allows, such as
//! `1.5e1`). It is read from its decimal text, never through a float, into integer minor
//! units of the line's currency. Digits beyond the currency's exponent (a float printed as
//! `7.9900000001`) are rounded half away from zero.

use crate::money::{Currency, Money};

use super::{LineProduct, OrderLine};

/// The price in minor units of `currency`, or `None` when `text` is not a JSON number or
/// does not fit.
pub fn item_price(text: &str, currency: Currency) -> Option<Money> {
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

/// Whether the customer saw a price other than the catalog's current one (`product`), so the
/// shop checks before confirming: also when Meta's price (`meta`) could not be read. A line
/// whose SKU the catalog does not have has nothing to differ from.
pub fn price_differs(product: Option<&LineProduct>, meta: Option<Money>) -> bool {
    match (product, meta) {
        (Some(p), Some(meta)) => p.price != meta,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The sum of the line totals: `None` if a line's price is unreadable, the currencies are
/// mixed or the sum does not fit; `None` too for an order without lines.
pub fn order_total(lines: &[OrderLine]) -> Option<Money> {
    lines
        .iter()
        .map(|l| l.line_total)
        .try_fold(None::<Money>, |sum, line| {
            let line = line?;
            match sum {
                None => Some(Some(line)),
                Some(s) => s.checked_add(&line).ok().map(Some),
            }
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::from_code("USD").expect("USD")
    }

    fn money(minor: i64, code: &str) -> Money {
        Money::from_minor(minor, Currency::from_code(code).expect("currency"))
    }

    fn line(total: Option<Money>) -> OrderLine {
        OrderLine {
            sku: "MUG-01".into(),
            quantity: 1,
            item_price: String::new(),
            unit_price: total,
            line_total: total,
            product: None,
            price_differs: false,
        }
    }

    fn product(price: Money) -> LineProduct {
        LineProduct {
            id: "p1".into(),
            title: "Caneca azul".into(),
            thumbnail: None,
            variant: None,
            price,
        }
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

    #[test]
    fn a_total_needs_every_line_priced_in_one_currency() {
        assert_eq!(
            order_total(&[
                line(Some(money(1598, "USD"))),
                line(Some(money(3000, "USD")))
            ]),
            Some(money(4598, "USD")),
            "the lines add up exactly"
        );
        assert_eq!(
            order_total(&[line(Some(money(1598, "USD"))), line(None)]),
            None,
            "an unreadable price leaves the total unknown rather than too small"
        );
        assert_eq!(
            order_total(&[
                line(Some(money(1598, "USD"))),
                line(Some(money(4990, "BRL")))
            ]),
            None,
            "dollars and reais do not add up"
        );
        assert_eq!(
            order_total(&[
                line(Some(money(i64::MAX, "USD"))),
                line(Some(money(1, "USD")))
            ]),
            None,
            "a sum too large is unknown, not wrapped"
        );
        assert_eq!(order_total(&[]), None, "no lines, no total");
    }

    #[test]
    fn a_price_differs_when_the_catalog_has_another_or_metas_is_unreadable() {
        let catalog = product(money(799, "USD"));
        assert!(!price_differs(Some(&catalog), Some(money(799, "USD"))));
        assert!(
            price_differs(Some(&catalog), Some(money(699, "USD"))),
            "the customer saw the old price"
        );
        assert!(
            price_differs(Some(&catalog), Some(money(799, "BRL"))),
            "the same number in another currency is another price"
        );
        assert!(
            price_differs(Some(&catalog), None),
            "a price Vitrine could not read is checked by the shop"
        );
        assert!(
            !price_differs(None, Some(money(799, "USD"))),
            "an unknown SKU has no catalog price to differ from"
        );
    }
}
