//! WhatsApp phone numbers, parsed and validated with libphonenumber's metadata.
//!
//! The canonical form is E.164 (`+5511987654321`); `wa.me` links use the same digits
//! without the plus sign.

use std::fmt;

use phonenumber::{country, Mode};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("“{0}” is not a phone number; write it with the country code, like +55 11 98765-4321")]
    NotANumber(String),
    #[error("“{0}” is not a valid number for its country; check the digits and the country code")]
    Invalid(String),
    #[error("“{0}” is not a country code (use two letters, like BR, ID, EG, IN)")]
    UnknownRegion(String),
}

/// A validated phone number, stored in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    e164: String,
}

impl PhoneNumber {
    /// Parses a number typed by a person. Without a leading `+` or `00`, the number is
    /// read as a national number of `default_region` (ISO 3166 alpha-2, e.g. `"BR"`).
    pub fn parse(input: &str, default_region: Option<&str>) -> Result<Self, PhoneError> {
        let region = match default_region {
            Some(code) => Some(
                code.trim()
                    .to_ascii_uppercase()
                    .parse::<country::Id>()
                    .map_err(|_| PhoneError::UnknownRegion(code.to_owned()))?,
            ),
            None => None,
        };
        let mut text = input.trim().to_owned();
        if let Some(rest) = text.strip_prefix("00") {
            text = format!("+{rest}");
        }
        // Written with its country code, the number is that country's whatever the default
        // region: read with one, `phonenumber` takes `+55 11 …` for a number of that region
        // and refuses it.
        let region = if text.starts_with('+') { None } else { region };
        let number = phonenumber::parse(region, &text)
            .map_err(|_| PhoneError::NotANumber(input.trim().to_owned()))?;
        if !phonenumber::is_valid(&number) {
            return Err(PhoneError::Invalid(input.trim().to_owned()));
        }
        Ok(Self {
            e164: number.format().mode(Mode::E164).to_string(),
        })
    }

    /// `+5511987654321`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// `5511987654321`: the digits `wa.me` links use.
    pub fn wa_digits(&self) -> &str {
        self.e164.trim_start_matches('+')
    }

    /// The international human form: `+55 11 98765-4321`.
    pub fn international(&self) -> String {
        match phonenumber::parse(None, &self.e164) {
            Ok(number) => number.format().mode(Mode::International).to_string(),
            Err(_) => self.e164.clone(),
        }
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

impl Serialize for PhoneNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.e164)
    }
}

impl<'de> Deserialize<'de> for PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text, None).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_every_market_normalise_to_e164() {
        let cases = [
            ("+55 11 98765-4321", None, "+5511987654321"),
            ("(11) 98765-4321", Some("BR"), "+5511987654321"),
            ("0812-3456-7890", Some("ID"), "+6281234567890"),
            ("010 1234 5678", Some("EG"), "+201012345678"),
            ("098765 43210", Some("IN"), "+919876543210"),
            ("0044 7911 123456", None, "+447911123456"),
        ];
        for (input, region, expected) in cases {
            let phone =
                PhoneNumber::parse(input, region).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(phone.e164(), expected, "{input} in {region:?}");
        }
    }

    #[test]
    fn wa_me_digits_drop_the_plus() {
        let phone = PhoneNumber::parse("+55 11 98765-4321", None).expect("valid");
        assert_eq!(phone.wa_digits(), "5511987654321");
        assert_eq!(phone.international(), "+55 11 98765-4321");
    }

    #[test]
    fn a_number_with_its_country_code_is_read_whatever_the_default_region() {
        for region in [None, Some("US"), Some("EG")] {
            let phone = PhoneNumber::parse("+55 11 98765-4321", region)
                .unwrap_or_else(|e| panic!("{region:?}: {e}"));
            assert_eq!(
                phone.e164(),
                "+5511987654321",
                "the country code wins over the default region {region:?}"
            );
        }
    }

    #[test]
    fn garbage_and_impossible_numbers_are_refused() {
        assert!(matches!(
            PhoneNumber::parse("hello", None),
            Err(PhoneError::NotANumber(_))
        ));
        assert!(
            PhoneNumber::parse("+55 11 123", None).is_err(),
            "too short for Brazil"
        );
        assert!(
            PhoneNumber::parse("98765-4321", None).is_err(),
            "no country, no region"
        );
        assert!(matches!(
            PhoneNumber::parse("1", Some("ZZZ")),
            Err(PhoneError::UnknownRegion(_))
        ));
    }
}
