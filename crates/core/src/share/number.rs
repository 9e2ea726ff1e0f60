//! The shop's WhatsApp number as `wa.me` links want it: E.164 digits without the `+`.
//!
//! People type numbers in many ways: `+55 (11) 98765-4321`, `011 98765-4321` (Brazil, trunk
//! zero), `0812-3456-7890` (Indonesia), `00 44 7911 123456`, `011 44 7911 123456` (dialled
//! from North America). Parsing and validation use libphonenumber's metadata through
//! [`PhoneNumber`]; this module adds what a link needs on top: letters refused, the North
//! American `011` prefix, and a reason when a number is refused.

use std::fmt;

use phonenumber::metadata::DATABASE;
use serde::{Deserialize, Serialize};

use crate::phone::{PhoneError, PhoneNumber};

/// E.164 allows 15 digits; anything much longer is not a number someone mistyped slightly.
const MAX_DIGITS: usize = 17;

/// Characters people put between digits.
const SEPARATORS: &[char] = &[
    ' ', '-', '.', '(', ')', '/', '\u{a0}', '\u{2011}', '\u{2012}',
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("the WhatsApp number is empty; set the shop's number first")]
    Empty,
    #[error("“{0}” contains letters; a WhatsApp number is digits only, like +55 11 98765-4321")]
    Letters(String),
    #[error("“{input}” contains “{found}”, which does not belong in a phone number")]
    UnexpectedCharacter { input: String, found: char },
    #[error("“{0}” has no country code; write it with + and the country code, or choose the shop's country")]
    NoCountry(String),
    #[error("“{0}” is not a country (use two letters, like BR, IN, EG, SA, ID, MX, GB)")]
    UnknownRegion(String),
    #[error("“{0}” does not start with a country code that exists")]
    UnknownCountryCode(String),
    #[error("“{input}” is too short for a number of {country}")]
    TooShort { input: String, country: String },
    #[error("“{input}” is too long for a number of {country}")]
    TooLong { input: String, country: String },
    #[error("“{input}” is not a valid number of {country}; check the digits and the country code")]
    Invalid { input: String, country: String },
}

/// The digits of a valid WhatsApp number in international form, without `+` (`5511987654321`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WaNumber(String);

impl WaNumber {
    /// Reads a number as a person typed it. Numbers without `+`, `00` or (in North America
    /// or without a region) `011` are national numbers of `default_region` (ISO 3166
    /// alpha-2, e.g. `"BR"`); their trunk prefix (`0`) is dropped by libphonenumber's rules.
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<Self, NumberError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(NumberError::Empty);
        }
        if text.chars().any(char::is_alphabetic) {
            return Err(NumberError::Letters(text.to_owned()));
        }
        let misplaced_plus = text.char_indices().any(|(i, c)| c == '+' && i > 0);
        if let Some(found) = text.chars().find(|c| {
            !(c.is_ascii_digit() || *c == '+' || SEPARATORS.contains(c)) || misplaced_plus
        }) {
            let found = if misplaced_plus { '+' } else { found };
            return Err(NumberError::UnexpectedCharacter {
                input: text.to_owned(),
                found,
            });
        }
        let region = match default_region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(code) => Some(
                code.to_ascii_uppercase()
                    .parse::<phonenumber::country::Id>()
                    .map_err(|_| NumberError::UnknownRegion(code.to_owned()))?,
            ),
            None => None,
        };
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if digits.len() > MAX_DIGITS {
            return Err(NumberError::TooLong {
                input: text.to_owned(),
                country: region.map_or("any country".to_owned(), |r| r.as_ref().to_owned()),
            });
        }
        let north_american = region.is_none_or(|r| {
            DATABASE
                .by_id(r.as_ref())
                .is_some_and(|m| m.country_code() == 1)
        });
        let candidate = if text.starts_with('+') {
            format!("+{digits}")
        } else if let Some(rest) = digits.strip_prefix("00") {
            format!("+{rest}")
        } else if let Some(rest) = digits.strip_prefix("011").filter(|_| north_american) {
            format!("+{rest}")
        } else if region.is_none() {
            return Err(NumberError::NoCountry(text.to_owned()));
        } else {
            digits
        };
        let region_code = region.map(|r| r.as_ref().to_owned());
        match PhoneNumber::parse(&candidate, region_code.as_deref()) {
            Ok(phone) => Ok(Self::from(&phone)),
            Err(PhoneError::UnknownRegion(r)) => Err(NumberError::UnknownRegion(r)),
            Err(_) => Err(diagnose(text, &candidate, region)),
        }
    }

    /// `5511987654321`.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl From<&PhoneNumber> for WaNumber {
    fn from(phone: &PhoneNumber) -> Self {
        Self(phone.wa_digits().to_owned())
    }
}

impl fmt::Display for WaNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why libphonenumber refused `candidate`: an unknown country code, a length no number of
/// that country has, or digits no number of that country starts with.
fn diagnose(input: &str, candidate: &str, region: Option<phonenumber::country::Id>) -> NumberError {
    let Ok(number) = phonenumber::parse(region, candidate) else {
        return NumberError::UnknownCountryCode(input.to_owned());
    };
    let code = number.code().value();
    let Some(meta) = DATABASE.by_code(&code).and_then(|m| m.into_iter().next()) else {
        return NumberError::UnknownCountryCode(input.to_owned());
    };
    let country = number
        .country()
        .id()
        .map_or_else(|| meta.id().to_owned(), |id| id.as_ref().to_owned());
    let national = number.national().to_string().len();
    // The general descriptor's lengths are often empty; the number types list theirs.
    let d = meta.descriptors();
    let lengths: Vec<u16> = [Some(d.general()), d.fixed_line(), d.mobile(), d.toll_free()]
        .into_iter()
        .flatten()
        .flat_map(|desc| desc.possible_length().iter().copied())
        .collect();
    let input = input.to_owned();
    match (lengths.iter().min(), lengths.iter().max()) {
        (Some(&min), _) if national < usize::from(min) => NumberError::TooShort { input, country },
        (_, Some(&max)) if national > usize::from(max) => NumberError::TooLong { input, country },
        _ => NumberError::Invalid { input, country },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(input: &str, region: Option<&str>) -> String {
        WaNumber::parse(input, region)
            .unwrap_or_else(|e| panic!("{input} in {region:?} should be accepted: {e}"))
            .digits()
            .to_owned()
    }

    #[test]
    fn brazilian_numbers_in_every_common_notation_give_the_same_digits() {
        for (input, region) in [
            ("+55 11 98765-4321", None),
            ("+55 (11) 98765-4321", Some("BR")),
            ("(11) 98765-4321", Some("BR")),
            ("11 98765 4321", Some("br")),
            ("011 98765-4321", Some("BR")),
            ("(011) 98765-4321", Some("BR")),
            ("0055 11 98765 4321", Some("BR")),
            ("0055 11 98765 4321", None),
        ] {
            assert_eq!(
                digits(input, region),
                "5511987654321",
                "{input} in {region:?}: trunk 0 and 00 prefix dropped"
            );
        }
    }

    #[test]
    fn numbers_of_india_egypt_saudi_arabia_indonesia_mexico_and_the_uk_normalise() {
        let cases = [
            ("+91 98765 43210", None, "919876543210"),
            ("098765-43210", Some("IN"), "919876543210"),
            ("+20 10 1234 5678", None, "201012345678"),
            ("010 1234 5678", Some("EG"), "201012345678"),
            ("+966 50 123 4567", None, "966501234567"),
            ("050 123 4567", Some("SA"), "966501234567"),
            ("0812-3456-7890", Some("ID"), "6281234567890"),
            ("+62 812 3456 7890", None, "6281234567890"),
            ("+52 55 1234 5678", None, "525512345678"),
            ("55 1234 5678", Some("MX"), "525512345678"),
            ("07911 123456", Some("GB"), "447911123456"),
            ("+44 (0)7911 123456", None, "447911123456"),
        ];
        for (input, region, expected) in cases {
            assert_eq!(digits(input, region), expected, "{input} in {region:?}");
        }
    }

    #[test]
    fn international_prefixes_00_and_011_are_read_as_plus() {
        assert_eq!(digits("00 44 7911 123456", Some("DE")), "447911123456");
        assert_eq!(digits("011 44 7911 123456", Some("US")), "447911123456");
        assert_eq!(digits("011 55 11 98765 4321", None), "5511987654321");
        assert_eq!(
            digits("011 1234 5678", Some("EG")),
            "201112345678",
            "in Egypt 011 starts a national mobile number, not an international call"
        );
    }

    #[test]
    fn bad_numbers_are_refused_with_a_reason() {
        assert!(matches!(
            WaNumber::parse("+55 11 123", None),
            Err(NumberError::TooShort { ref country, .. }) if country == "BR"
        ));
        assert!(matches!(
            WaNumber::parse("+55 11 98765 4321 1234 5", None),
            Err(NumberError::TooLong { .. })
        ));
        assert!(matches!(
            WaNumber::parse("+55 11 9876S-4321", None),
            Err(NumberError::Letters(_))
        ));
        assert!(matches!(
            WaNumber::parse("call me", Some("BR")),
            Err(NumberError::Letters(_))
        ));
        assert!(
            matches!(
                WaNumber::parse("98765 43210", Some("EG")),
                Err(NumberError::Invalid { ref country, .. }) if country == "EG"
            ),
            "an Indian mobile number read in Egypt"
        );
        assert!(
            matches!(
                WaNumber::parse("07911 123456", Some("BR")),
                Err(NumberError::Invalid { ref country, .. }) if country == "BR"
            ),
            "a British mobile number read in Brazil"
        );
        assert!(matches!(
            WaNumber::parse("98765 43210", None),
            Err(NumberError::NoCountry(_))
        ));
        assert!(matches!(
            WaNumber::parse("+999 1234 5678", None),
            Err(NumberError::UnknownCountryCode(_))
        ));
        assert!(matches!(
            WaNumber::parse("0812 3456 7890", Some("XX")),
            Err(NumberError::UnknownRegion(_))
        ));
        assert!(matches!(
            WaNumber::parse("55+11 98765 4321", None),
            Err(NumberError::UnexpectedCharacter { found: '+', .. })
        ));
        assert_eq!(WaNumber::parse("  ", None), Err(NumberError::Empty));
    }

    #[test]
    fn the_shops_stored_phone_gives_its_digits() {
        let phone = PhoneNumber::parse("+55 11 98765-4321", None).expect("valid");
        assert_eq!(WaNumber::from(&phone).digits(), "5511987654321");
    }

    #[test]
    fn refusals_explain_themselves() {
        let err = WaNumber::parse("+55 11 123", None).expect_err("too short");
        assert_eq!(
            err.to_string(),
            "“+55 11 123” is too short for a number of BR"
        );
    }
}
