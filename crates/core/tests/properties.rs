//! Properties of the pure rules that every price and every shared link go through: arbitrary
//! input never panics, and what Vitrine writes reads back as exactly what it was.
//!
//! Money: `parse(format(m)) == m` in currencies of every minor-unit exponent (0, 2, 3 and 4),
//! over the whole `i64` range; any text given as a price is refused or read, never a panic.
//! Links: any typed number and any text give a link, or a refusal, never a panic; a chat
//! link parses back as a URL whose `text` parameter decodes to the text given.

use proptest::prelude::*;
use vitrine_core::share::{
    chat_link, parse_ref, percent_encode, product_link, with_ref, MetaProductId, RefTag, WaNumber,
};
use vitrine_core::{Currency, LanguageTag, Money};

/// Currencies of every minor-unit exponent ISO 4217 defines: 0 (JPY, KRW, CLP), 2 (BRL,
/// USD, INR, IDR), 3 (KWD, BHD, TND) and 4 (CLF).
const CURRENCIES: [(&str, u8); 11] = [
    ("JPY", 0),
    ("KRW", 0),
    ("CLP", 0),
    ("BRL", 2),
    ("USD", 2),
    ("INR", 2),
    ("IDR", 2),
    ("KWD", 3),
    ("BHD", 3),
    ("TND", 3),
    ("CLF", 4),
];

/// Languages whose prices are written differently: separators, grouping, digits, symbols.
const LANGUAGES: [&str; 9] = [
    "en", "pt-BR", "es-MX", "id", "hi", "ar", "ar-EG", "fr", "en-IN",
];

/// Valid shop numbers of several countries, as merchants type them.
const NUMBERS: [&str; 4] = [
    "+55 11 98765-4321",
    "+91 98765 43210",
    "+62 812-3456-7890",
    "+44 7911 123456",
];

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(&CURRENCIES[..])
        .prop_map(|(code, _)| Currency::from_code(code).expect("an ISO 4217 code"))
}

/// Any amount, with the extremes and small prices as likely as the rest.
fn minor() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0_i64),
        -1_000_000_i64..1_000_000,
        any::<i64>(),
    ]
}

fn money() -> impl Strategy<Value = Money> {
    (minor(), currency()).prop_map(|(minor, currency)| Money::from_minor(minor, currency))
}

fn language() -> impl Strategy<Value = LanguageTag> {
    prop::sample::select(&LANGUAGES[..]).prop_map(|tag| LanguageTag::parse(tag).expect("a tag"))
}

fn number() -> impl Strategy<Value = WaNumber> {
    prop::sample::select(&NUMBERS[..])
        .prop_map(|typed| WaNumber::parse(typed, None).expect("a valid number"))
}

/// Text that looks like a price more often than arbitrary text does.
fn price_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+ ]?[0-9]{0,25}([.,][0-9]{0,8})?[ ]?",
        "[-+0-9.,eE _]{0,30}",
        any::<String>(),
    ]
}

/// The digits of `text`, Western, in order (Arabic-Indic and Devanagari read as 0–9).
fn digits(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            ['0', '٠', '०'].into_iter().find_map(|zero| {
                let d = u32::from(c).checked_sub(u32::from(zero))?;
                (d < 10).then(|| char::from_digit(d, 10)).flatten()
            })
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn a_formatted_amount_parses_back_to_the_same_money(m in money()) {
        let text = m.to_decimal_string();
        prop_assert_eq!(Money::parse_decimal(&text, m.currency()), Ok(m), "{}", text);
        let meta = m.to_meta_string();
        prop_assert_eq!(Money::parse_meta(&meta), Ok(m), "{}", meta);
    }

    #[test]
    fn a_formatted_amount_has_exactly_the_currency_decimals(m in money()) {
        let text = m.to_decimal_string();
        let exponent = usize::from(m.currency().exponent());
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len());
        prop_assert_eq!(decimals, exponent, "{}", text);
    }

    #[test]
    fn a_decimal_with_no_more_places_than_the_currency_has_is_read_exactly(
        whole in 0_u64..10_000_000_000_000,
        (currency, fraction) in currency().prop_flat_map(|c| {
            // Trailing zeros beyond the currency's places change nothing, so allow two more.
            let places = usize::from(c.exponent());
            let fraction = proptest::string::string_regex(&format!("[0-9]{{0,{places}}}0{{0,2}}"))
                .expect("a regex");
            (Just(c), fraction)
        }),
        comma in any::<bool>(),
        negative in any::<bool>(),
    ) {
        let exponent = usize::from(currency.exponent());
        let separator = if comma { "," } else { "." };
        let sign = if negative { "-" } else { "" };
        let text = if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}{separator}{fraction}")
        };
        let mut padded = fraction.trim_end_matches('0').to_owned();
        while padded.len() < exponent {
            padded.push('0');
        }
        let scale = 10_i64.pow(u32::from(currency.exponent()));
        let expected = i64::try_from(whole).expect("small") * scale
            + padded.parse::<i64>().unwrap_or(0);
        let parsed = Money::parse_decimal(&text, currency).map(|m| m.minor());
        prop_assert_eq!(parsed, Ok(if negative { -expected } else { expected }), "{}", text);
    }

    #[test]
    fn any_text_given_as_a_price_is_read_or_refused_never_a_panic(
        text in price_like(),
        currency in currency(),
        code in "[A-Za-z]{0,4}|\\PC{0,6}",
    ) {
        if let Ok(m) = Money::parse_decimal(&text, currency) {
            prop_assert_eq!(m.currency(), currency);
            prop_assert_eq!(
                Money::parse_decimal(&m.to_decimal_string(), currency),
                Ok(m),
                "what was read formats and reads back the same"
            );
        }
        let _ = Money::parse_meta(&text);
        let _ = Money::parse_meta(&format!("{text} {code}"));
        let _ = Currency::from_code(&code);
    }

    #[test]
    fn a_local_price_never_panics_and_keeps_the_amount_digits(
        m in money(),
        language in language(),
        local_digits in any::<bool>(),
    ) {
        let shown = m.to_local_string(&language, local_digits);
        let decimal = m.to_decimal_string();
        let amount = digits(&decimal);
        // A fraction of zero may be left out (`Rp 15.000`), never a digit that counts.
        let whole = digits(decimal.split('.').next().unwrap_or(&decimal));
        let even = decimal.split('.').nth(1).is_none_or(|f| f.bytes().all(|b| b == b'0'));
        let shown_digits = digits(&shown);
        prop_assert!(
            shown_digits.ends_with(&amount) || shown_digits.starts_with(&amount)
                || (even && (shown_digits.ends_with(&whole) || shown_digits.starts_with(&whole))),
            "{} shows the digits of {}", shown, decimal
        );
        prop_assert_eq!(shown.contains('-'), m.is_negative(), "{}", shown);
    }

    #[test]
    fn any_typed_number_gives_a_number_or_a_refusal_never_a_panic(
        typed in "[+0-9 ().-]{0,24}|\\PC{0,24}",
        region in prop::option::of("[A-Za-z]{0,3}|\\PC{0,3}"),
        text in any::<String>(),
    ) {
        if let Ok(number) = WaNumber::parse(&typed, region.as_deref()) {
            prop_assert!(
                !number.digits().is_empty() && number.digits().bytes().all(|b| b.is_ascii_digit()),
                "{typed:?} gave {number}"
            );
            let link = url::Url::parse(&chat_link(&number, &text).url).expect("a URL");
            prop_assert_eq!(link.path(), format!("/{number}"));
        }
    }

    #[test]
    fn a_chat_link_parses_back_to_the_text_it_was_given(
        number in number(),
        text in any::<String>(),
    ) {
        let link = chat_link(&number, &text);
        let url = url::Url::parse(&link.url).expect("a chat link is a URL");
        prop_assert_eq!(url.scheme(), "https");
        prop_assert_eq!(url.host_str(), Some("wa.me"));
        prop_assert_eq!(url.path(), format!("/{number}"), "the path is the number only");
        let params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        if text.trim().is_empty() {
            prop_assert!(params.is_empty(), "a blank text gives the bare link: {}", link.url);
            prop_assert_eq!(link.text, None);
        } else {
            prop_assert_eq!(
                params,
                vec![("text".to_owned(), text.clone())],
                "one text parameter, decoding to the text given"
            );
            prop_assert_eq!(link.text, Some(text));
        }
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_characters_and_decodes_back(text in any::<String>()) {
        let encoded = percent_encode(&text);
        prop_assert!(
            encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
            "{}", encoded
        );
        let decoded: Vec<u8> = url::form_urlencoded::parse(format!("t={encoded}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned().into_bytes())
            .unwrap_or_default();
        prop_assert_eq!(decoded, text.as_bytes().to_vec());
    }

    #[test]
    fn a_product_link_is_a_url_to_the_item_or_a_chat_about_it(
        number in number(),
        id in prop::option::of("[0-9]{1,20}"),
        order_text in any::<String>(),
    ) {
        let id = id.map(|id| MetaProductId::parse(&id).expect("digits"));
        let link = product_link(&number, id.as_ref(), &order_text);
        let url = url::Url::parse(&link.url).expect("a product link is a URL");
        match &id {
            Some(id) => prop_assert_eq!(url.path(), format!("/p/{}/{number}", id.as_str())),
            None => prop_assert_eq!(link, chat_link(&number, &order_text)),
        }
    }

    #[test]
    fn a_ref_tag_added_to_any_text_is_found_again(
        text in any::<String>(),
        tag in "[a-z0-9][a-z0-9-]{0,38}[a-z0-9]",
        language in language(),
    ) {
        let tag = RefTag::parse(&tag).expect("a valid tag");
        let message = with_ref(&text, &tag, &language);
        prop_assert_eq!(parse_ref(&message), Some(tag), "{:?}", message);
    }

    #[test]
    fn any_text_is_read_for_a_ref_tag_without_a_panic(message in any::<String>()) {
        let _ = parse_ref(&message);
        let _ = LanguageTag::parse(&message);
    }
}
