//! vitrine-core: the domain of a small merchant's WhatsApp catalog, with no IO.
//!
//! Everything here is pure: no files, no network, no database, no clock. The store,
//! the media pipeline and the Graph client build on these types.

pub mod address;
pub mod collection;
pub mod colour;
pub mod language;
pub mod money;
pub mod order;
pub mod phone;
pub mod preflight;
pub mod product;
pub mod share;
pub mod shop;
pub mod sync_plan;
pub mod text;
pub mod time_zone;

pub use collection::{Collection, CollectionId};
pub use colour::{Colour, ColourError};
pub use language::{Direction, LanguageTag};
pub use money::{Currency, DisplayPriceError, Money, MoneyError, PriceFormat};
pub use order::{Order, OrderLine, OrderStatus, UnknownOrderStatus};
pub use phone::{PhoneError, PhoneNumber};
pub use preflight::{Finding, FindingField, RuleId, Severity};
pub use product::{
    Availability, Condition, ContentHash, Gtin, ImageFormat, Product, ProductDraft, ProductId,
    ProductImage, SalePrice, SaleWindow, Sku, Translation, ValidationError, VariantAttribute,
    VariantGroup,
};
pub use shop::{Shop, ShopError};
pub use time_zone::{TimeZone, UnknownTimeZone};
