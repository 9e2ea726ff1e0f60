//! The `shop` table: a single row with the merchant's profile.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use vitrine_core::{ContentHash, Currency, LanguageTag, PhoneNumber, Shop};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE shop (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT NOT NULL,
    phone      TEXT,
    currency   TEXT NOT NULL CHECK (length(currency) = 3),
    languages  TEXT NOT NULL,
    brand      TEXT NOT NULL,
    logo_hash  TEXT REFERENCES images (hash)
) STRICT;
";

/// The shop profile, or the defaults when the merchant has not set it up yet.
pub fn get(conn: &Connection) -> Result<Shop, StoreError> {
    let row = conn
        .query_row(
            "SELECT name, phone, currency, languages, brand, logo_hash FROM shop WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((name, phone, currency, languages, brand, logo)) = row else {
        return Ok(Shop::default());
    };
    Ok(Shop {
        name,
        phone: phone
            .map(|p| PhoneNumber::parse(&p, None))
            .transpose()
            .map_err(StoreError::corrupt)?,
        currency: Currency::from_code(&currency).map_err(StoreError::corrupt)?,
        languages: languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(LanguageTag::parse)
            .collect::<Result<_, _>>()
            .map_err(StoreError::corrupt)?,
        brand,
        logo: logo
            .map(|h| ContentHash::parse(&h))
            .transpose()
            .map_err(StoreError::corrupt)?,
    })
}

pub fn put(tx: &Transaction<'_>, shop: &Shop) -> Result<(), StoreError> {
    let Shop {
        name,
        phone,
        currency,
        languages,
        brand,
        logo,
    } = shop;
    let languages = languages
        .iter()
        .map(LanguageTag::as_str)
        .collect::<Vec<_>>()
        .join(",");
    tx.execute(
        "INSERT INTO shop (id, name, phone, currency, languages, brand, logo_hash) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone, currency = excluded.currency,
           languages = excluded.languages, brand = excluded.brand, logo_hash = excluded.logo_hash",
        params![name, phone.as_ref().map(PhoneNumber::e164), currency.code(), languages, brand, logo.as_ref().map(ContentHash::as_str)],
    )?;
    Ok(())
}
