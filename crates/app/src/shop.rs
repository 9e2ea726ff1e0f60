//! The shop profile use cases.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use vitrine_core::{LanguageTag, PhoneNumber, Shop};

use crate::input::parse_currency;
use crate::{AppError, InputField, Vitrine};

/// Changes to the shop profile; `None` leaves a field unchanged, an empty phone clears it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShopUpdate {
    pub name: Option<String>,
    /// Any common notation; national numbers are read in `phone_region`.
    pub phone: Option<String>,
    /// ISO 3166 region for national phone numbers (e.g. `BR`).
    pub phone_region: Option<String>,
    pub currency: Option<String>,
    /// Comma-separated or listed language codes, main language first.
    pub languages: Option<Vec<String>>,
    pub brand: Option<String>,
    /// A logo image file, processed like product photos.
    pub logo: Option<PathBuf>,
}

impl Vitrine {
    pub fn shop(&self) -> Result<Shop, AppError> {
        self.store
            .read(vitrine_store::shop::get)
            .map_err(|e| AppError::from_store("reading the shop", e))
    }

    pub fn update_shop(&self, update: ShopUpdate) -> Result<Shop, AppError> {
        let mut shop = self.shop()?;
        let ShopUpdate {
            name,
            phone,
            phone_region,
            currency,
            languages,
            brand,
            logo,
        } = update;
        if let Some(name) = name {
            shop.name = name.trim().to_owned();
        }
        if let Some(phone) = phone {
            shop.phone = if phone.trim().is_empty() {
                None
            } else {
                Some(
                    PhoneNumber::parse(&phone, phone_region.as_deref())
                        .map_err(|e| AppError::invalid(InputField::Phone, e))?,
                )
            };
        }
        if let Some(code) = currency {
            shop.currency = parse_currency(&code)?;
        }
        if let Some(languages) = languages {
            let mut tags: Vec<LanguageTag> = Vec::new();
            for text in languages
                .iter()
                .flat_map(|l| l.split(','))
                .map(str::trim)
                .filter(|l| !l.is_empty())
            {
                let tag = LanguageTag::parse(text)
                    .map_err(|e| AppError::invalid(InputField::Languages, e))?;
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            shop.languages = tags;
        }
        if let Some(brand) = brand {
            shop.brand = brand.trim().to_owned();
        }
        shop.validate()
            .map_err(|e| AppError::invalid(InputField::Shop, e))?;
        match logo {
            Some(path) => {
                let prepared = self.prepare_images(&[crate::ImageSource::File(path)])?;
                let image = prepared.first().map(|p| p.image.clone());
                shop.logo = image.as_ref().map(|i| i.hash.clone());
                let now = self.now().to_rfc3339();
                let files: Vec<_> = prepared
                    .iter()
                    .map(|p| {
                        (
                            p.image.clone(),
                            p.catalog.as_slice(),
                            p.thumbnail.as_slice(),
                        )
                    })
                    .collect();
                self.store
                    .write_with_images(&files, &now, |tx| vitrine_store::shop::put(tx, &shop))
                    .map_err(|e| AppError::from_store("saving the shop", e))?;
            }
            None => {
                self.store
                    .write_and_collect(|tx| vitrine_store::shop::put(tx, &shop))
                    .map_err(|e| AppError::from_store("saving the shop", e))?;
            }
        }
        // The default brand stands in for products without one: their findings may change.
        self.recount_problems()?;
        Ok(shop)
    }
}
