//! Language tags for per-language product text and the UI, with their writing direction.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A simplified BCP 47 tag: a 2–3 letter language, optionally a script and a region
/// (`ar`, `pt-BR`, `zh-Hant`). Stored lower-case language, title-case script, upper-case region.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LanguageTag(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a language code (use codes like en, ar, pt-BR, id, hi, es)")]
pub struct LanguageError(pub String);

impl LanguageTag {
    pub fn parse(input: &str) -> Result<Self, LanguageError> {
        let err = || LanguageError(input.to_owned());
        let mut out = Vec::new();
        let mut parts = input.trim().split(['-', '_']);
        let lang = parts
            .next()
            .filter(|l| (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()))
            .ok_or_else(err)?;
        out.push(lang.to_ascii_lowercase());
        for part in parts {
            if part.len() == 4 && part.chars().all(|c| c.is_ascii_alphabetic()) {
                let mut s = part.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                out.push(s);
            } else if (part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
                || (part.len() == 3 && part.chars().all(|c| c.is_ascii_digit()))
            {
                out.push(part.to_ascii_uppercase());
            } else {
                return Err(err());
            }
        }
        Ok(Self(out.join("-")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: `pt` for `pt-BR`.
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    pub fn direction(&self) -> Direction {
        match self.language() {
            "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb" => Direction::Rtl,
            _ => Direction::Ltr,
        }
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LanguageTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Self::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_know_their_direction() {
        let pt = LanguageTag::parse("pt_br").expect("valid");
        assert_eq!(pt.as_str(), "pt-BR");
        assert_eq!(pt.direction(), Direction::Ltr);
        assert_eq!(
            LanguageTag::parse("AR").map(|t| t.direction()),
            Ok(Direction::Rtl)
        );
        assert_eq!(
            LanguageTag::parse("zh-hant-tw").map(|t| t.to_string()),
            Ok("zh-Hant-TW".to_owned())
        );
        assert!(LanguageTag::parse("english").is_err());
        assert!(LanguageTag::parse("").is_err());
    }
}
