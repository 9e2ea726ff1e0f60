//! Prices written the way a shop's customers read them, for print (shelf labels, posters) and
//! other places that have no `Intl`: `R$ 49,90` in Portuguese, `₹1,23,456.00` in Hindi,
//! `Rp 15.000` in Indonesian, `٤٩٫٩٠ ر.س.‏` in Arabic with local digits.
//!
//! A small table, not CLDR: the separators, the grouping (Indian lakh grouping for Hindi),
//! the symbol and where it goes, for the languages Vitrine ships and the currencies its
//! merchants use; other currencies are written with their ISO code. The amount always has
//! exactly the currency's decimals.

use crate::language::LanguageTag;
use crate::money::Money;

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
    fn rupiah_groups_with_dots_and_yen_has_no_decimals() {
        assert_eq!(
            money(1_500_000, "IDR").to_local_string(&lang("id"), false),
            "Rp 15.000,00"
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
}
