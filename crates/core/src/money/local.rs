//! Prices written the way a shop's customers read them, for print (shelf labels, posters) and
//! other places that have no `Intl`: `R$ 49,90` in Portuguese, `₹1,23,456.00` in Hindi,
//! `Rp 15.000` in Indonesian, `٤٩٫٩٠ ر.س.‏` in Arabic with local digits.
//!
//! A small table, not CLDR: the separators, the grouping (Indian lakh grouping for Hindi),
//! the symbol and where it goes, for the languages Vitrine ships and the currencies its
//! merchants use; other currencies are written with their ISO code. The amount has exactly
//! the currency's decimals, except where a currency's cents are not used in everyday prices
//! (the rupiah: `Rp 15.000`, not `Rp 15.000,00`): there a whole amount is written without
//! them, and an amount with a fraction keeps all of it, so no price is ever rounded.
//!
//! In right-to-left languages a Latin sign or code sits in a left-to-right isolate
//! (U+2066 … U+2069), so an Arabic page shows `R$`, never `$R`.
//!
//! This is the only place prices are written for people. Surfaces without Rust (the UI, the
//! storefront's cart) apply a [`PriceFormat`] read off [`Money::to_local_string`] itself.

use serde::Serialize;

use crate::language::{Direction, LanguageTag};
use crate::money::{Currency, Money};

/// Left-to-right isolate and pop directional isolate (UAX #9).
const LRI: char = '\u{2066}';
const PDI: char = '\u{2069}';

/// Currencies whose minor unit exists (ISO 4217 gives them decimals) but whose everyday
/// prices are written without it, as CLDR's display digits say: Indonesian rupiah,
/// Pakistani rupee, Hungarian forint, Colombian peso, Iraqi dinar and others.
const CENTS_UNUSED: &[&str] = &[
    "AFN", "ALL", "COP", "HUF", "IDR", "IQD", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK", "PKR",
    "SLL", "SOS", "SYP", "YER",
];

/// Whether prices in `currency` leave out a fraction of zero (`Rp 15.000`).
fn whole_when_even(currency: Currency) -> bool {
    CENTS_UNUSED.contains(&currency.code())
}

/// How numbers and the currency are written in one language.
struct Style {
    decimal: char,
    group: char,
    /// Group by 3 then by 2 (`1,23,45,678`), as India does.
    indian_grouping: bool,
    symbol_first: bool,
    /// A space between the symbol (or code) and the amount.
    spaced: bool,
}

fn style(language: &LanguageTag) -> Style {
    let region = language.as_str().rsplit('-').next().unwrap_or("");
    match language.language() {
        "pt" | "id" => Style {
            decimal: ',',
            group: '.',
            indian_grouping: false,
            symbol_first: true,
            spaced: true,
        },
        // Mexico and the US write Spanish prices the American way.
        "es" if matches!(region, "MX" | "US") => Style {
            decimal: '.',
            group: ',',
            indian_grouping: false,
            symbol_first: true,
            spaced: false,
        },
        "es" => Style {
            decimal: ',',
            group: '.',
            indian_grouping: false,
            symbol_first: false,
            spaced: true,
        },
        "hi" => Style {
            decimal: '.',
            group: ',',
            indian_grouping: true,
            symbol_first: true,
            spaced: false,
        },
        "ar" => Style {
            decimal: '٫',
            group: '٬',
            indian_grouping: false,
            symbol_first: false,
            spaced: true,
        },
        _ => Style {
            decimal: '.',
            group: ',',
            indian_grouping: false,
            symbol_first: true,
            spaced: false,
        },
    }
}

/// The currency's sign in a language, or `None` to write its ISO code.
fn symbol(code: &str, language: &LanguageTag) -> Option<&'static str> {
    let arabic = language.language() == "ar";
    Some(match code {
        "BRL" => "R$",
        "EUR" => "€",
        "GBP" => "£",
        "INR" => "₹",
        "IDR" => "Rp",
        "JPY" => "¥",
        "USD" if language.as_str() == "en" || language.as_str().ends_with("-US") => "$",
        "USD" => "US$",
        "MXN" if language.as_str().ends_with("-MX") => "$",
        "SAR" if arabic => "ر.س.\u{200F}",
        "EGP" if arabic => "ج.م.\u{200F}",
        "AED" if arabic => "د.إ.\u{200F}",
        "KWD" if arabic => "د.ك.\u{200F}",
        _ => return None,
    })
}

fn group_digits(digits: &str, separator: char, indian: bool) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 2);
    for (i, c) in digits.chars().enumerate() {
        let left = len - i;
        // Before the last three digits, then every two (India) or three digits further left.
        let boundary = if indian {
            left == 3 || left > 3 && (left - 3).is_multiple_of(2)
        } else {
            left.is_multiple_of(3)
        };
        if boundary && i > 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Arabic-Indic digits (٠–٩) for Arabic, Devanagari digits (०–९) for Hindi; others unchanged.
pub fn local_digits(text: &str, language: &LanguageTag) -> String {
    let zero = match language.language() {
        "ar" => '٠',
        "hi" => '०',
        _ => return text.to_owned(),
    };
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(zero as u32 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

impl Money {
    /// The price as customers of a shop writing `language` read it. With `local_digits`,
    /// Arabic prices use Arabic-Indic digits and Hindi prices Devanagari digits; without,
    /// Western digits (what most printed price tags use). Arabic always uses the Arabic
    /// decimal and group signs only with local digits; with Western digits it uses `.` and `,`.
    pub fn to_local_string(&self, language: &LanguageTag, use_local_digits: bool) -> String {
        let mut style = style(language);
        if language.language() == "ar" && !use_local_digits {
            style.decimal = '.';
            style.group = ',';
        }
        let plain = self.to_decimal_string();
        let (sign, unsigned) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (unsigned, None),
        };
        let fraction = fraction
            .filter(|f| !(whole_when_even(self.currency()) && f.bytes().all(|b| b == b'0')));
        let mut amount = group_digits(whole, style.group, style.indian_grouping);
        if let Some(fraction) = fraction {
            amount.push(style.decimal);
            amount.push_str(fraction);
        }
        let code = self.currency().code();
        let mark = symbol(code, language).unwrap_or(code);
        // An ISO code always stands apart from the digits.
        let space = if style.spaced || mark == code {
            " "
        } else {
            ""
        };
        let mark = if language.direction() == Direction::Rtl
            && mark.chars().any(|c| c.is_ascii_alphabetic())
        {
            format!("{LRI}{mark}{PDI}")
        } else {
            mark.to_owned()
        };
        let text = if style.symbol_first {
            format!("{sign}{mark}{space}{amount}")
        } else {
            format!("{sign}{amount}{space}{mark}")
        };
        if use_local_digits {
            local_digits(&text, language)
        } else {
            text
        }
    }
}

/// How one language writes amounts of one currency, for surfaces that have no Rust: what
/// comes before and after the digits, the separators, the grouping and the digits. Read off
/// [`Money::to_local_string`] itself, so it cannot disagree with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    /// A fraction of zero is left out (`Rp 15.000`).
    pub whole_when_even: bool,
    /// The digit written for 0 (`0`, `٠`, `०`); the others follow it in Unicode.
    pub zero: char,
}

impl PriceFormat {
    /// Read off a formatted sample whose whole part is `1234567` and whose fraction is all
    /// `8`s: every separator and affix shows in it exactly once per role.
    pub fn of(currency: Currency, language: &LanguageTag, use_local_digits: bool) -> Self {
        let exponent = currency.exponent();
        let mut minor: i64 = 1_234_567;
        for _ in 0..exponent {
            minor = minor * 10 + 8;
        }
        let text = Money::from_minor(minor, currency).to_local_string(language, use_local_digits);
        let zero = if use_local_digits {
            local_digits("0", language).chars().next().unwrap_or('0')
        } else {
            '0'
        };
        let is_digit = |c: char| c.is_ascii_digit() || digit_value(c, zero).is_some();
        let first = text.find(is_digit).unwrap_or(0);
        let last = text
            .char_indices()
            .rev()
            .find(|(_, c)| is_digit(*c))
            .map_or(text.len(), |(i, c)| i + c.len_utf8());
        let amount = &text[first..last];
        let separators: Vec<char> = amount.chars().filter(|c| !is_digit(*c)).collect();
        let decimal = if exponent > 0 {
            separators.last().map(char::to_string).unwrap_or_default()
        } else {
            String::new()
        };
        let group = separators.first().map(char::to_string).unwrap_or_default();
        // 1234567 is `1,234,567` in threes and `12,34,567` the Indian way.
        let whole = match decimal.as_str() {
            "" => amount,
            d => amount.split(d).next().unwrap_or(amount),
        };
        let indian = whole.chars().take_while(|c| is_digit(*c)).count() == 2;
        Self {
            prefix: text[..first].to_owned(),
            suffix: text[last..].to_owned(),
            group,
            decimal,
            indian,
            exponent,
            whole_when_even: whole_when_even(currency),
            zero,
        }
    }

    /// `minor` written as [`Money::to_local_string`] would, for prices (never negative):
    /// what the UI and the storefront's cart do in the browser.
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
        let even = fraction.bytes().all(|b| b == b'0');
        if exp > 0 && !(self.whole_when_even && even) {
            amount.push_str(&self.decimal);
            amount.push_str(fraction);
        }
        let amount: String = amount
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32(self.zero as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect();
        format!("{}{amount}{}", self.prefix, self.suffix)
    }
}

fn digit_value(c: char, zero: char) -> Option<u32> {
    let d = (c as u32).checked_sub(zero as u32)?;
    (d < 10).then_some(d)
}

#[cfg(test)]
mod tests {
    use crate::money::{Currency, Money};
    use crate::LanguageTag;

    fn money(minor: i64, code: &str) -> Money {
        Money::from_minor(minor, Currency::from_code(code).expect("ISO code"))
    }

    fn lang(tag: &str) -> LanguageTag {
        LanguageTag::parse(tag).expect("valid tag")
    }

    #[test]
    fn brazilian_prices_use_a_comma_for_decimals_and_a_dot_between_thousands() {
        assert_eq!(
            money(4990, "BRL").to_local_string(&lang("pt-BR"), false),
            "R$ 49,90"
        );
        assert_eq!(
            money(12_345_678, "BRL").to_local_string(&lang("pt-BR"), false),
            "R$ 123.456,78"
        );
    }

    #[test]
    fn hindi_prices_group_thousands_the_indian_way() {
        assert_eq!(
            money(12_345_600, "INR").to_local_string(&lang("hi"), false),
            "₹1,23,456.00"
        );
        assert_eq!(
            money(99_900, "INR").to_local_string(&lang("hi"), false),
            "₹999.00"
        );
        assert_eq!(
            money(12_345_678_900, "INR").to_local_string(&lang("hi"), true),
            "₹१२,३४,५६,७८९.००",
            "Devanagari digits when the shop asks for local digits"
        );
    }

    #[test]
    fn rupiah_groups_with_dots_and_leaves_out_unused_cents_and_yen_has_no_decimals() {
        assert_eq!(
            money(1_500_000, "IDR").to_local_string(&lang("id"), false),
            "Rp 15.000",
            "rupiah cents are not used in everyday prices"
        );
        assert_eq!(
            money(1_500_050, "IDR").to_local_string(&lang("id"), false),
            "Rp 15.000,50",
            "but a price that has them keeps them: nothing is rounded"
        );
        assert_eq!(
            money(1_500, "JPY").to_local_string(&lang("en"), false),
            "¥1,500"
        );
    }

    #[test]
    fn arabic_prices_put_the_currency_after_the_amount_with_local_digits_if_asked() {
        assert_eq!(
            money(4990, "SAR").to_local_string(&lang("ar"), true),
            "٤٩٫٩٠ ر.س.\u{200F}"
        );
        assert_eq!(
            money(1_250_000, "EGP").to_local_string(&lang("ar"), false),
            "12,500.00 ج.م.\u{200F}"
        );
        assert_eq!(
            money(1250, "KWD").to_local_string(&lang("ar"), false),
            "1.250 د.ك.\u{200F}",
            "three decimals for the Kuwaiti dinar"
        );
    }

    #[test]
    fn spanish_prices_follow_spain_or_mexico() {
        assert_eq!(
            money(123_450, "EUR").to_local_string(&lang("es"), false),
            "1.234,50 €"
        );
        assert_eq!(
            money(123_450, "MXN").to_local_string(&lang("es-MX"), false),
            "$1,234.50"
        );
    }

    #[test]
    fn currencies_without_a_symbol_are_written_with_their_code() {
        assert_eq!(
            money(2500, "CHF").to_local_string(&lang("en"), false),
            "CHF 25.00"
        );
        assert_eq!(
            money(2500, "USD").to_local_string(&lang("pt-BR"), false),
            "US$ 25,00"
        );
        assert_eq!(
            money(-2500, "USD").to_local_string(&lang("en"), false),
            "-$25.00"
        );
    }

    #[test]
    fn in_right_to_left_languages_a_latin_sign_keeps_its_order() {
        assert_eq!(
            money(8990, "BRL").to_local_string(&lang("ar"), false),
            "89.90 \u{2066}R$\u{2069}",
            "isolated, R$ reads R$ inside Arabic text, not $R"
        );
        assert_eq!(
            money(2500, "CHF").to_local_string(&lang("ar-EG"), false),
            "25.00 \u{2066}CHF\u{2069}"
        );
        assert_eq!(
            money(8990, "BRL").to_local_string(&lang("pt-BR"), false),
            "R$ 89,90",
            "left-to-right languages need no isolate"
        );
    }

    #[test]
    fn a_price_format_writes_every_amount_as_to_local_string_does() {
        for code in [
            "BRL", "INR", "IDR", "JPY", "KWD", "SAR", "EGP", "USD", "EUR", "MXN", "XOF", "CHF",
            "IQD",
        ] {
            let currency = Currency::from_code(code).expect("ISO code");
            for tag in ["en", "pt-BR", "es", "es-MX", "id", "hi", "ar", "ar-EG"] {
                let language = lang(tag);
                for local in [false, true] {
                    let format = super::PriceFormat::of(currency, &language, local);
                    for minor in [0_u64, 5, 99, 100, 4990, 123_456, 12_345_678, 9_876_543_210] {
                        let m = Money::from_minor(i64::try_from(minor).expect("small"), currency);
                        assert_eq!(
                            format.write(minor),
                            m.to_local_string(&language, local),
                            "{minor} {code} in {tag}, local digits {local}"
                        );
                    }
                }
            }
        }
    }
}
