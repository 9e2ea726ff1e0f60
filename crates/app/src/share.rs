//! Sharing the shop: `wa.me` links with optional ref tags, the per-language order texts
//! (editable, kept in `app_state`), and QR codes of any link.
//!
//! Texts are written in the shop's main language. A product link is `wa.me/p/<meta id>/…`
//! once the product is at Meta and a read-back (`meta pull`, the Sync view's review) has
//! given its Meta id, which the store keeps; a caller may also pass one it knows. Otherwise
//! it is a chat prefilled with the product's order text. A ref tag always makes a chat link:
//! `wa.me/c/` and `wa.me/p/` links carry no text to put it in.

use serde::{Deserialize, Serialize};
use vitrine_core::share::{
    self, MetaProductId, OrderFields, OrderTemplate, RefTag, ShareLink, WaNumber,
};
use vitrine_core::{LanguageTag, Product, Shop};
use vitrine_share::{Colour, Logo, QrStyle};
use vitrine_store::{app_state, meta_products};

use crate::{AppError, InputField, Vitrine};

const TEMPLATE_KEY: &str = "share.order_template.";

/// What a QR code (or a link) points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ShareTarget {
    /// Any address, encoded as given.
    Url {
        url: String,
    },
    Catalog {
        ref_tag: Option<String>,
    },
    Chat {
        text: String,
        ref_tag: Option<String>,
    },
    Product {
        sku: String,
        /// Meta's item id, when the caller knows it from a pull.
        meta_id: Option<String>,
        ref_tag: Option<String>,
    },
}

/// How a QR code looks; colours as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QrOptions {
    /// PNG side in pixels; the on-screen size of an SVG.
    pub size_px: u32,
    pub foreground: Option<String>,
    pub background: Option<String>,
    /// Put the shop logo in the middle.
    pub logo: bool,
}

impl Default for QrOptions {
    fn default() -> Self {
        Self {
            size_px: 1024,
            foreground: None,
            background: None,
            logo: false,
        }
    }
}

/// An order template of one language, as the settings show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderTextTemplate {
    pub language: String,
    pub template: String,
    /// True when the merchant has not changed the built-in text.
    pub is_default: bool,
}

impl Vitrine {
    /// `wa.me/c/<number>`; with a ref tag, a chat asking for the catalog and carrying the tag.
    pub fn catalog_link(&self, ref_tag: Option<&str>) -> Result<ShareLink, AppError> {
        let (_, number, language) = self.share_context()?;
        Ok(match parse_ref_tag(ref_tag)? {
            None => share::catalog_link(&number),
            Some(tag) => share::chat_link(
                &number,
                &share::with_ref(share::catalog_request_text(&language), &tag, &language),
            ),
        })
    }

    /// A chat with the shop, `text` (and the ref line) prefilled.
    pub fn chat_link(&self, text: &str, ref_tag: Option<&str>) -> Result<ShareLink, AppError> {
        let (_, number, language) = self.share_context()?;
        let text = match parse_ref_tag(ref_tag)? {
            None => text.to_owned(),
            Some(tag) => share::with_ref(text, &tag, &language),
        };
        Ok(share::chat_link(&number, &text))
    }

    /// The product's `wa.me/p/` link when `meta_id` is given and there is no ref tag;
    /// otherwise a chat prefilled with its order text (and the ref line).
    pub fn product_link(
        &self,
        sku: &str,
        meta_id: Option<&str>,
        ref_tag: Option<&str>,
    ) -> Result<ShareLink, AppError> {
        let (shop, number, language) = self.share_context()?;
        let product = self.find_product(sku)?;
        let given = meta_id.map(str::trim).filter(|id| !id.is_empty());
        let known = match given {
            Some(id) => Some(id.to_owned()),
            None => self.known_meta_id(product.draft.sku.as_str())?,
        };
        let meta_id = known
            .as_deref()
            .map(MetaProductId::parse)
            .transpose()
            .map_err(|e| AppError::invalid(InputField::MetaId, e))?;
        let text = self.order_text(&shop, &language, &product)?;
        Ok(match parse_ref_tag(ref_tag)? {
            None => share::product_link(&number, meta_id.as_ref(), &text),
            Some(tag) => share::chat_link(&number, &share::with_ref(&text, &tag, &language)),
        })
    }

    /// Meta's id of a product Vitrine has sent and a read-back has seen.
    fn known_meta_id(&self, sku: &str) -> Result<Option<String>, AppError> {
        self.store
            .read(|c| meta_products::synced_meta_id(c, sku))
            .map_err(|e| AppError::from_store("reading the product's Meta id", e))
    }

    /// The `wa.me` link a target stands for, with its prefilled message when it is a chat.
    /// A plain URL is not a WhatsApp link: ask [`Vitrine::share_url`] for it.
    pub fn share_link(&self, target: &ShareTarget) -> Result<ShareLink, AppError> {
        match target {
            ShareTarget::Url { .. } => Err(AppError::invalid(
                InputField::Target,
                "a plain address is not a WhatsApp link; choose the catalog, a chat or a product",
            )),
            ShareTarget::Catalog { ref_tag } => self.catalog_link(ref_tag.as_deref()),
            ShareTarget::Chat { text, ref_tag } => self.chat_link(text, ref_tag.as_deref()),
            ShareTarget::Product {
                sku,
                meta_id,
                ref_tag,
            } => self.product_link(sku, meta_id.as_deref(), ref_tag.as_deref()),
        }
    }

    /// The URL a target stands for: its `wa.me` link, or a plain address as given.
    pub fn share_url(&self, target: &ShareTarget) -> Result<String, AppError> {
        match target {
            ShareTarget::Url { url } if url.trim().is_empty() => Err(AppError::invalid(
                InputField::Url,
                "give the address to encode",
            )),
            ShareTarget::Url { url } => Ok(url.trim().to_owned()),
            _ => Ok(self.share_link(target)?.url),
        }
    }

    /// A PNG QR code of the target, `options.size_px` square.
    pub fn qr_png(&self, target: &ShareTarget, options: &QrOptions) -> Result<Vec<u8>, AppError> {
        let url = self.share_url(target)?;
        vitrine_share::qr_png(&url, options.size_px, &self.qr_style(options)?)
            .map_err(|e| AppError::invalid(InputField::Qr, e))
    }

    /// An SVG QR code of the target.
    pub fn qr_svg(&self, target: &ShareTarget, options: &QrOptions) -> Result<String, AppError> {
        let url = self.share_url(target)?;
        vitrine_share::qr_svg(&url, options.size_px, &self.qr_style(options)?)
            .map_err(|e| AppError::invalid(InputField::Qr, e))
    }

    /// Writes the target's QR code to `dest`, a `.png` or `.svg` file (atomically); returns
    /// the URL it encodes.
    pub fn save_qr(
        &self,
        target: &ShareTarget,
        options: &QrOptions,
        dest: &std::path::Path,
    ) -> Result<String, AppError> {
        // Resolved once, so the file and the returned URL agree.
        let url = self.share_url(target)?;
        let resolved = ShareTarget::Url { url: url.clone() };
        let extension = dest
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let bytes = match extension.as_deref() {
            Some("png") => self.qr_png(&resolved, options)?,
            Some("svg") => self.qr_svg(&resolved, options)?.into_bytes(),
            _ => {
                return Err(AppError::invalid(
                    InputField::File,
                    "save the code as a .png or .svg file",
                ))
            }
        };
        crate::files::write_atomically(dest, &bytes)?;
        Ok(url)
    }

    /// The order template of a language: the merchant's own, else the built-in one.
    pub fn order_template(&self, language: &str) -> Result<OrderTextTemplate, AppError> {
        let language = parse_language(language)?;
        let stored = self
            .store
            .read(|c| app_state::get(c, &template_key(&language)))
            .map_err(|e| AppError::from_store("reading the order text", e))?;
        Ok(match stored {
            Some(template) => OrderTextTemplate {
                language: language.to_string(),
                template,
                is_default: false,
            },
            None => OrderTextTemplate {
                language: language.to_string(),
                template: OrderTemplate::default_for(&language).source().to_owned(),
                is_default: true,
            },
        })
    }

    /// Saves the merchant's order template of a language (checked: unknown placeholders are
    /// refused); a blank template restores the built-in one.
    pub fn set_order_template(
        &self,
        language: &str,
        template: &str,
    ) -> Result<OrderTextTemplate, AppError> {
        let tag = parse_language(language)?;
        let key = template_key(&tag);
        if template.trim().is_empty() {
            self.store
                .write(|tx| app_state::remove(tx, &key))
                .map_err(|e| AppError::from_store("resetting the order text", e))?;
        } else {
            OrderTemplate::parse(template)
                .map_err(|e| AppError::invalid(InputField::OrderText, e))?;
            self.store
                .write(|tx| app_state::set(tx, &key, template))
                .map_err(|e| AppError::from_store("saving the order text", e))?;
        }
        self.order_template(language)
    }

    fn order_text(
        &self,
        shop: &Shop,
        language: &LanguageTag,
        product: &Product,
    ) -> Result<String, AppError> {
        let stored = self.order_template(language.as_str())?;
        // A stored template was checked when saved; a bad one (edited by hand) falls back.
        let template = OrderTemplate::parse(&stored.template)
            .unwrap_or_else(|_| OrderTemplate::default_for(language));
        let price = product
            .effective_sale(self.now())
            .unwrap_or(&product.draft.price);
        let price = format!("{} {}", price.to_decimal_string(), price.currency().code());
        Ok(template.render(&OrderFields {
            title: &product.draft.title,
            sku: product.draft.sku.as_str(),
            price: &price,
            shop: &shop.name,
        }))
    }

    /// The shop, its WhatsApp number and the language of prefilled texts.
    fn share_context(&self) -> Result<(Shop, WaNumber, LanguageTag), AppError> {
        let shop = self.shop()?;
        let number = shop.phone.as_ref().map(WaNumber::from).ok_or_else(|| {
            AppError::invalid(InputField::Phone, "set the shop's WhatsApp number first")
        })?;
        let language = shop
            .main_language()
            .cloned()
            .unwrap_or_else(|| LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("en")));
        Ok((shop, number, language))
    }

    fn qr_style(&self, options: &QrOptions) -> Result<QrStyle, AppError> {
        let colour = |text: &Option<String>, default: Colour| match text.as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some(text) => Colour::parse(text).map_err(|e| AppError::invalid(InputField::Colour, e)),
        };
        let logo = if options.logo {
            let shop = self.shop()?;
            let hash = shop.logo.ok_or_else(|| {
                AppError::invalid(
                    InputField::Logo,
                    "the shop has no logo; add one in the shop profile",
                )
            })?;
            let path = self.image_path(&hash);
            let bytes = std::fs::read(&path).map_err(|e| AppError::Unreadable {
                source_name: "the shop logo".to_owned(),
                message: e.to_string(),
            })?;
            Some(Logo::from_bytes(bytes).map_err(|e| AppError::Unreadable {
                source_name: "the shop logo".to_owned(),
                message: e.to_string(),
            })?)
        } else {
            None
        };
        Ok(QrStyle {
            foreground: colour(&options.foreground, Colour::BLACK)?,
            background: colour(&options.background, Colour::WHITE)?,
            logo,
        })
    }
}

fn parse_ref_tag(text: Option<&str>) -> Result<Option<RefTag>, AppError> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(RefTag::parse)
        .transpose()
        .map_err(|e| AppError::invalid(InputField::Ref, e))
}

fn parse_language(text: &str) -> Result<LanguageTag, AppError> {
    LanguageTag::parse(text).map_err(|e| AppError::invalid(InputField::Language, e))
}

fn template_key(language: &LanguageTag) -> String {
    format!("{TEMPLATE_KEY}{language}")
}
