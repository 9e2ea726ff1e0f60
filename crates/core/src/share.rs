//! Sharing the shop on WhatsApp: `wa.me` links, prefilled order texts and attribution.
//!
//! - [`WaNumber`]: the shop's number as `wa.me` wants it, E.164 digits without `+`.
//! - [`ShareLink`]: catalog (`wa.me/c/<digits>`), click-to-chat (`wa.me/<digits>?text=…`,
//!   RFC 3986 percent-encoded UTF-8) and product (`wa.me/p/<meta id>/<digits>`) links.
//! - [`OrderTemplate`]: the per-language prefilled order text with `{title}`, `{sku}`,
//!   `{price}` and `{shop}` placeholders.
//! - [`RefTag`]: a short channel tag (`poster-window`) written as the last line of a
//!   prefilled text (`Ref: poster-window`, label in the customer's language) and found again
//!   in incoming messages by [`parse_ref`].
//!
//! `wa.me/c/` and `wa.me/p/` links carry no text, so a link that must carry a ref tag is
//! always a click-to-chat link.

mod attribution;
mod link;
mod number;
mod poster_text;
mod template;

pub use attribution::{parse_ref, ref_label, with_ref, RefError, RefTag};
pub use link::{
    catalog_link, chat_link, percent_encode, product_link, LinkError, LinkKind, MetaProductId,
    ShareLink,
};
pub use number::{NumberError, WaNumber};
pub use poster_text::{poster_words, PosterSubject, PosterWords};
pub use template::{catalog_request_text, OrderFields, OrderTemplate, TemplateError, PLACEHOLDERS};
