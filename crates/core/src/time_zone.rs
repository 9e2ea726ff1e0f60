//! The shop's time zone: a zone of the IANA database (`Africa/Cairo`, `America/Sao_Paulo`),
//! not a fixed offset, so that a day is the shop's calendar day all year round, also where
//! the offset changes with summer time (Egypt is UTC+2 in winter and UTC+3 in summer).
//!
//! The zone rules are compiled in (`chrono-tz`): nothing is read from the computer.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

/// A zone's name could not be found in the time zone database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a time zone Vitrine knows (a name such as Africa/Cairo, America/Sao_Paulo or UTC)")]
pub struct UnknownTimeZone(pub String);

/// A time zone of the IANA database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub const UTC: Self = Self(chrono_tz::Tz::UTC);

    /// Reads a zone by its IANA name, as the computer names it (`Europe/Lisbon`; older
    /// aliases such as `Asia/Calcutta` are known too). Surrounding spaces are ignored.
    pub fn parse(name: &str) -> Result<Self, UnknownTimeZone> {
        let name = name.trim();
        chrono_tz::Tz::from_str(name)
            .map(Self)
            .map_err(|_| UnknownTimeZone(name.to_owned()))
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The calendar day `at` falls on in this zone, with the offset in force at that instant.
    pub fn date_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TimeZone {
    type Err = UnknownTimeZone;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("an RFC 3339 instant")
            .with_timezone(&Utc)
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn cairo_days_follow_egypts_summer_time() {
        let cairo = TimeZone::parse("Africa/Cairo").expect("Cairo is in the database");
        // Egypt keeps summer time again since 2023: UTC+3 from the last Friday of April
        // (25 April 2025) to the last Thursday of October (30 October 2025), else UTC+2.
        assert_eq!(
            cairo.date_of(at("2025-07-15T21:30:00Z")),
            day("2025-07-16"),
            "21:30 UTC in July is 00:30 the next day in Cairo (UTC+3)"
        );
        assert_eq!(
            cairo.date_of(at("2025-01-15T21:30:00Z")),
            day("2025-01-15"),
            "21:30 UTC in January is 23:30 the same day in Cairo (UTC+2)"
        );
    }

    #[test]
    fn a_zone_is_read_by_its_iana_name_and_an_unknown_one_is_refused() {
        assert_eq!(
            TimeZone::parse(" America/Sao_Paulo ").map(|z| z.name()),
            Ok("America/Sao_Paulo"),
            "spaces around the name are ignored"
        );
        assert_eq!(TimeZone::parse("UTC"), Ok(TimeZone::UTC));
        assert_eq!(
            TimeZone::parse("Asia/Calcutta").map(|z| z.date_of(at("2025-03-01T20:00:00Z"))),
            Ok(day("2025-03-02")),
            "an older alias still names India's zone (UTC+5:30)"
        );
        for bad in ["", "Mars/Olympus", "+03:00", "cairo"] {
            assert_eq!(
                TimeZone::parse(bad),
                Err(UnknownTimeZone(bad.to_owned())),
                "{bad:?} is not an IANA zone name"
            );
        }
        assert!(
            UnknownTimeZone("Mars/Olympus".into())
                .to_string()
                .contains("Africa/Cairo"),
            "the message shows what a zone name looks like"
        );
    }
}
