//! The merchant's shop profile: who sells, on which WhatsApp number, in which currency.

use serde::{Deserialize, Serialize};

use crate::language::LanguageTag;
use crate::money::Currency;
use crate::phone::PhoneNumber;
use crate::product::ContentHash;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShopError {
    #[error("the shop name is at most 100 characters")]
    NameTooLong,
    #[error("list at least one language for the catalog")]
    NoLanguage,
    #[error("the brand is at most 100 characters")]
    BrandTooLong,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    pub name: String,
    /// The WhatsApp Business number customers write to.
    pub phone: Option<PhoneNumber>,
    /// Currency of new products.
    pub currency: Currency,
    /// Catalog languages; the first is the main language of titles and descriptions.
    pub languages: Vec<LanguageTag>,
    /// Brand used for products that leave theirs empty (Meta requires a brand).
    pub brand: String,
    pub logo: Option<ContentHash>,
}

impl Shop {
    pub fn validate(&self) -> Result<(), ShopError> {
        if self.name.chars().count() > 100 {
            return Err(ShopError::NameTooLong);
        }
        if self.languages.is_empty() {
            return Err(ShopError::NoLanguage);
        }
        if self.brand.chars().count() > 100 {
            return Err(ShopError::BrandTooLong);
        }
        Ok(())
    }

    pub fn main_language(&self) -> Option<&LanguageTag> {
        self.languages.first()
    }
}

impl Default for Shop {
    fn default() -> Self {
        Self {
            name: String::new(),
            phone: None,
            // USD is always in the ISO tables; a fresh shop picks its own currency on setup.
            currency: Currency::from_code("USD")
                .unwrap_or_else(|_| unreachable!("USD is ISO 4217")),
            languages: vec![
                LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("en is a language"))
            ],
            brand: String::new(),
            logo: None,
        }
    }
}
