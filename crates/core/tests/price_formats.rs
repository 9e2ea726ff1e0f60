//! The price table the UI writes prices with, generated from [`Money::to_local_string`] (the
//! one place prices are written) and checked in next to the TypeScript bindings:
//! `ui/src/lib/price-formats.json`. With it, `ui/src/lib/price-samples.json`: amounts in
//! every UI language and a 0-, 2- and 3-decimal currency as Rust writes them, which the UI's
//! unit tests compare their own output with, character for character.
//!
//! A formatting locale is looked up as `es-MX`, else `es-*` (any region of `es`), else `es`,
//! else `en`; each entry lists only what it changes in the next one (`es-MX` and `es-*` both
//! change `es`).
//!
//! Run with `VITRINE_UPDATE_BINDINGS=1` (what `make bindings` does) to rewrite both files;
//! otherwise the test fails when they are out of date.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};
use vitrine_core::{Currency, LanguageTag, Money, PriceFormat};

/// The languages the UI is translated into (`ui/src/lib/locale.ts`), by primary subtag: the
/// UI looks a formatting locale up by its language, then by language and region.
const UI_LANGUAGES: [&str; 6] = ["en", "ar", "pt", "es", "id", "hi"];

/// One language's writing of every currency, with the separators it shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Style {
    group: String,
    decimal: String,
    indian: bool,
    zero: char,
    /// What comes before and after the digits, per currency code.
    affixes: BTreeMap<&'static str, (String, String)>,
}

fn currencies() -> Vec<Currency> {
    let letters = b'A'..=b'Z';
    let mut out = Vec::new();
    for a in letters.clone() {
        for b in letters.clone() {
            for c in letters.clone() {
                let code = String::from_utf8(vec![a, b, c]).expect("ASCII");
                if let Ok(currency) = Currency::from_code(&code) {
                    out.push(currency);
                }
            }
        }
    }
    out
}

fn style(language: &LanguageTag, local_digits: bool, currencies: &[Currency]) -> Style {
    let mut affixes = BTreeMap::new();
    let mut shared: Option<(String, String, bool, char)> = None;
    for &currency in currencies {
        let f = PriceFormat::of(currency, language, local_digits);
        assert!(
            !f.whole_when_even || f.exponent > 0,
            "{currency}: leaving out a zero fraction needs one"
        );
        // The separators are the language's, the same for every currency; a currency without
        // decimals shows no decimal sign, so it cannot tell.
        let decimal = (f.exponent > 0).then(|| f.decimal.clone());
        match &mut shared {
            None => {
                shared = Some((f.group.clone(), f.decimal.clone(), f.indian, f.zero));
            }
            Some((group, dec, indian, zero)) => {
                assert_eq!(
                    (&f.group, f.indian, f.zero),
                    (&*group, *indian, *zero),
                    "{currency} in {language}: the separators must not depend on the currency"
                );
                if let Some(d) = decimal {
                    if dec.is_empty() {
                        *dec = d;
                    } else {
                        assert_eq!(&d, dec, "{currency} in {language}: one decimal sign");
                    }
                }
            }
        }
        affixes.insert(currency.code(), (f.prefix, f.suffix));
    }
    let (group, decimal, indian, zero) = shared.expect("currencies");
    Style {
        group,
        decimal,
        indian,
        zero,
        affixes,
    }
}

/// What `regional` changes in `base`: the fields and the affixes that differ.
fn difference(base: &Style, regional: &Style) -> Option<Value> {
    if base == regional {
        return None;
    }
    let mut out = serde_json::Map::new();
    if base.group != regional.group {
        out.insert("group".into(), json!(regional.group));
    }
    if base.decimal != regional.decimal {
        out.insert("decimal".into(), json!(regional.decimal));
    }
    if base.indian != regional.indian {
        out.insert("indian".into(), json!(regional.indian));
    }
    if base.zero != regional.zero {
        out.insert("zero".into(), json!(regional.zero));
    }
    let affixes: BTreeMap<_, _> = regional
        .affixes
        .iter()
        .filter(|(code, affix)| base.affixes.get(*code) != Some(affix))
        .collect();
    if !affixes.is_empty() {
        out.insert("affixes".into(), json!(affixes));
    }
    Some(Value::Object(out))
}

/// Every two-letter region.
fn regions() -> impl Iterator<Item = String> {
    (b'A'..=b'Z').flat_map(|a| (b'A'..=b'Z').map(move |b| format!("{}{}", a as char, b as char)))
}

/// A language's styles: in the language alone (`es`), in most of its regions (`es-*`, when
/// that differs: `en-GB` writes `US$` where `en` writes `$`), and in the regions that differ
/// from most (`es-MX`). Each as a difference from the one before it.
fn language_styles(code: &str, local: bool, currencies: &[Currency]) -> Vec<(String, Value)> {
    let language = LanguageTag::parse(code).expect("tag");
    let base = style(&language, local, currencies);
    let regional: Vec<(String, Style)> = regions()
        .map(|r| {
            let tag = LanguageTag::parse(&format!("{code}-{r}")).expect("tag");
            (r, style(&tag, local, currencies))
        })
        .collect();
    // The style most regions share.
    let mut counts: Vec<(&Style, usize)> = Vec::new();
    for (_, s) in &regional {
        match counts.iter_mut().find(|(c, _)| *c == s) {
            Some((_, n)) => *n += 1,
            None => counts.push((s, 1)),
        }
    }
    let most = counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(s, _)| (*s).clone())
        .expect("regions");
    let mut out = vec![(code.to_owned(), serde_json::to_value(&base).expect("json"))];
    let most_diff = difference(&base, &most);
    if let Some(diff) = &most_diff {
        out.push((format!("{code}-*"), diff.clone()));
    }
    for (region, s) in &regional {
        if let Some(diff) = difference(&most, s) {
            // Relative to the language itself when a region writes as the language does.
            let diff = if most_diff.is_some() {
                difference(&base, s).unwrap_or_else(|| json!({}))
            } else {
                diff
            };
            out.push((format!("{code}-{region}"), diff));
        }
    }
    out
}

fn table() -> Value {
    let currencies = currencies();
    let mut languages: BTreeMap<String, BTreeMap<&str, Value>> = BTreeMap::new();
    for code in UI_LANGUAGES {
        for (name, local) in [("western", false), ("local", true)] {
            let styles = language_styles(code, local, &currencies);
            // Local digits only where the language has its own.
            if local && styles[0].1["zero"] == json!('0') {
                continue;
            }
            for (key, style) in styles {
                languages.entry(key).or_default().insert(name, style);
            }
        }
    }
    let exponents: BTreeMap<_, _> = currencies
        .iter()
        .map(|c| (c.code(), c.exponent()))
        .collect();
    let whole_when_even: Vec<_> = currencies
        .iter()
        .filter(|c| {
            PriceFormat::of(**c, &LanguageTag::parse("en").expect("en"), false).whole_when_even
        })
        .map(|c| c.code())
        .collect();
    json!({
        "comment": "Generated by crates/core/tests/price_formats.rs from Money::to_local_string: run `make bindings`.",
        "exponents": exponents,
        "wholeWhenEven": whole_when_even,
        "languages": languages,
    })
}

/// Amounts as Rust writes them in every UI locale the tests use, with Western and local
/// digits: IDR (cents left out when zero), JPY (0 decimals), BRL, INR, EGP (2), KWD (3).
fn samples() -> Value {
    let locales = [
        "en", "en-US", "ar", "ar-EG", "pt-BR", "es", "es-MX", "id", "hi",
    ];
    let amounts = [
        ("IDR", 1_500_000),
        ("IDR", 1_500_050),
        ("JPY", 1_500),
        ("BRL", 8_990),
        ("BRL", 12_345_678),
        ("INR", 12_345_600),
        ("EGP", 1_250_000),
        ("USD", 2_500),
        ("KWD", 1_250),
        ("CHF", 99),
    ];
    let mut out = Vec::new();
    for locale in locales {
        let language = LanguageTag::parse(locale).expect("tag");
        for local in [false, true] {
            for (code, minor) in amounts {
                let money = Money::from_minor(minor, Currency::from_code(code).expect("ISO"));
                out.push(json!({
                    "locale": locale,
                    "localDigits": local,
                    "amount": money.to_decimal_string(),
                    "currency": code,
                    "text": money.to_local_string(&language, local),
                }));
            }
        }
    }
    Value::Array(out)
}

fn check(path: &str, fresh: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    let fresh = format!("{}\n", serde_json::to_string_pretty(fresh).expect("json"));
    if std::env::var_os("VITRINE_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write the generated file");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is out of date with Money::to_local_string: run `make bindings` and commit it",
        path.display()
    );
}

#[test]
fn the_uis_price_table_is_the_one_rust_writes_prices_with() {
    check("ui/src/lib/price-formats.json", &table());
}

#[test]
fn the_uis_price_samples_are_what_rust_writes() {
    check("ui/src/lib/price-samples.json", &samples());
}
