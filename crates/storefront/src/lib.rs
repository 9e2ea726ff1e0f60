//! vitrine-storefront: a static shop site generated from the catalog, with no IO.
//!
//! [`generate`] turns plain inputs (the shop, the products with their photos' content
//! hashes, the languages, the site's public address, the order texts) into the list of the
//! site's files; the caller writes or uploads them. Photos are not read here: a
//! [`Body::Photo`] names the stored file (catalog image or thumbnail) to copy.
//!
//! The site, for each of the shop's languages (`/<lang>/…`):
//! * listing pages — every product (`index.html`, then `page/2.html`…) and each collection
//!   (`c/<name>.html`, `c/<name>/2.html`…) — with the shop's name and logo, the
//!   collections, a search box and a grid of products;
//! * a page per product, `p/<sku>.html` ([`product_page_path`]): photos, price in the
//!   shop's locale, description, variants, availability, "Ask on WhatsApp" and, once Meta's
//!   id is known, "View in WhatsApp catalog";
//! * `products.json`, what the search box searches.
//!
//! Every page has `hreflang` alternates, Open Graph and Twitter card tags, right-to-left
//! layout for Arabic (`dir="rtl"`, CSS logical properties), and works without JavaScript
//! for browsing. A small script adds search and a cart kept in `localStorage` whose
//! "Order on WhatsApp" link carries the order written out in the page's language. Prices
//! are integer minor units everywhere, the script included.

mod escape;
mod page;
mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use vitrine_core::share::{MetaProductId, OrderTemplate, WaNumber};
use vitrine_core::{
    Collection, Colour, ColourError, ContentHash, LanguageTag, Money, Product, Shop,
};

pub use escape::file_name;
pub use vitrine_core::PriceFormat;
pub use words::{language_name, words, Words};

/// The ref tag of every WhatsApp message the storefront prefills.
pub const REF_TAG: &str = "storefront";

/// Products per listing page.
pub const PAGE_SIZE: usize = 60;

/// The side of the square a thumbnail fits in (vitrine-media's).
pub const THUMBNAIL_SIDE: u32 = 256;

/// The default accent colour: a dark green white text reads well on.
pub const DEFAULT_ACCENT: Colour = Colour::rgb(0x0b, 0x6e, 0x4f);

/// Everything the site is made of.
pub struct SiteInput<'a> {
    pub shop: &'a Shop,
    /// Where the site is served, without a trailing slash (`https://shop.example`); page
    /// links are relative, but shared links (Open Graph, canonical, sitemap) are absolute.
    pub base_url: &'a str,
    pub accent: Accent,
    /// The collections to list, in order.
    pub collections: &'a [Collection],
    /// The products, in listing order.
    pub products: &'a [Listing],
    /// The merchant's order text per language; built-in texts for the others.
    pub order_templates: &'a BTreeMap<LanguageTag, OrderTemplate>,
}

/// A product as the site shows it.
#[derive(Debug, Clone)]
pub struct Listing {
    pub product: Product,
    /// What a customer pays now: the sale price in force, else the price.
    pub price: Money,
    /// Meta's id of the synced item, for its `wa.me/p/` link.
    pub meta_id: Option<MetaProductId>,
}

/// One file of the site, at a `/`-separated path relative to the site's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A stored photo, copied as it is.
    Photo(ContentHash, PhotoSize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PhotoSize {
    /// The catalog image (at most 2048 px), as sent to Meta.
    Catalog,
    /// Its thumbnail, at most [`THUMBNAIL_SIDE`] px.
    Thumbnail,
}

/// The site's accent colour, `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent(Colour);

impl Accent {
    pub fn parse(text: &str) -> Result<Self, ColourError> {
        Colour::parse(text).map(Self)
    }

    pub fn colour(self) -> Colour {
        self.0
    }

    /// Black or white, whichever contrasts more with the accent (WCAG relative luminance).
    pub fn text_colour(self) -> Colour {
        self.0.readable_text()
    }
}

impl std::fmt::Display for Accent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Default for Accent {
    fn default() -> Self {
        Self(DEFAULT_ACCENT)
    }
}

/// The site's files: pages, styles, script, sitemap, search data and photos.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: Vec<SiteFile>,
}

impl Site {
    pub fn file(&self, path: &str) -> Option<&SiteFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// A product page's path in the site: `<lang>/p/<sku>.html`, the SKU made a file name by
/// [`file_name`] (`MUG-1` stays `MUG-1`).
pub fn product_page_path(language: &LanguageTag, sku: &str) -> String {
    format!("{language}/p/{}.html", file_name(sku))
}

/// A product page's public address: `<base-url>/<lang>/p/<sku>.html`.
pub fn product_url(base_url: &str, language: &LanguageTag, sku: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        product_page_path(language, sku)
    )
}

/// A photo's path in the site.
pub fn photo_path(hash: &ContentHash, size: PhotoSize) -> String {
    match size {
        PhotoSize::Catalog => format!("img/{hash}.jpg"),
        PhotoSize::Thumbnail => format!("img/t/{hash}.jpg"),
    }
}

/// One line of a cart.
#[derive(Debug, Clone)]
pub struct CartLine<'a> {
    pub quantity: u32,
    pub title: &'a str,
    pub sku: &'a str,
    pub unit_price: Money,
}

/// The WhatsApp message of a cart in `language`, as the cart's script writes it: a greeting,
/// one line per product (`2 × Caneca azul (MUG-1): R$ 79,90`), the total per currency, then
/// the ref line (`Ref: storefront`, worded by `with_ref`). Amounts are multiplied and
/// added in integer minor units; `None` if one overflows.
pub fn order_message(language: &LanguageTag, lines: &[CartLine<'_>]) -> Option<String> {
    let w = words(language);
    let mut body = vec![w.order_intro.to_owned()];
    let mut totals: BTreeMap<&'static str, (vitrine_core::Currency, i64)> = BTreeMap::new();
    let mut order: Vec<&'static str> = Vec::new();
    for line in lines {
        let currency = line.unit_price.currency();
        let amount = line.unit_price.checked_mul(i64::from(line.quantity)).ok()?;
        body.push(format!(
            "{} × {} ({}): {}",
            line.quantity,
            line.title,
            line.sku,
            amount.to_local_string(language, false)
        ));
        let entry = totals.entry(currency.code()).or_insert_with(|| {
            order.push(currency.code());
            (currency, 0)
        });
        entry.1 = entry.1.checked_add(amount.minor())?;
    }
    for code in order {
        let (currency, minor) = totals[code];
        body.push(format!(
            "{}: {}",
            w.total,
            Money::from_minor(minor, currency).to_local_string(language, false)
        ));
    }
    let tag = vitrine_core::share::RefTag::parse(REF_TAG).ok()?;
    Some(vitrine_core::share::with_ref(
        &body.join("\n"),
        &tag,
        language,
    ))
}

/// The title and description of a product in a language: its translation (the same tag,
/// else the same primary language), else the main text.
pub fn product_text<'p>(product: &'p Product, language: &LanguageTag) -> (&'p str, &'p str) {
    let d = &product.draft;
    let found = d
        .translations
        .iter()
        .find(|t| &t.language == language)
        .or_else(|| {
            d.translations
                .iter()
                .find(|t| t.language.language() == language.language())
        });
    match found {
        Some(t) if !t.title.trim().is_empty() => (
            &t.title,
            if t.description.trim().is_empty() {
                &d.description
            } else {
                &t.description
            },
        ),
        _ => (&d.title, &d.description),
    }
}

/// What every page generator needs, computed once.
pub(crate) struct Context<'a> {
    pub input: &'a SiteInput<'a>,
    pub base: String,
    pub languages: Vec<LanguageTag>,
    pub number: Option<WaNumber>,
    /// Query suffix that changes with the stylesheet and script, so browsers refetch them.
    pub asset_version: String,
    /// Indexes of the products of each variant group.
    pub groups: HashMap<&'a str, Vec<usize>>,
    /// The file name of each collection.
    pub collection_names: Vec<String>,
    /// Price formats per language and currency code, for the cart.
    pub formats: HashMap<LanguageTag, BTreeMap<&'static str, PriceFormat>>,
}

/// Generates the whole site. Deterministic: the same input gives the same bytes, so a
/// caller comparing content hashes rewrites only what an edit changed.
pub fn generate(input: &SiteInput<'_>) -> Site {
    let languages = if input.shop.languages.is_empty() {
        vec![LanguageTag::parse("en").unwrap_or_else(|_| unreachable!("en is a language"))]
    } else {
        input.shop.languages.clone()
    };
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in input.products.iter().enumerate() {
        if let Some(v) = &l.product.draft.variant {
            groups.entry(v.group_id.as_str()).or_default().push(i);
        }
    }
    let currencies: BTreeSet<&'static str> = input
        .products
        .iter()
        .map(|l| l.price.currency().code())
        .collect();
    let formats = languages
        .iter()
        .map(|lang| {
            let per = currencies
                .iter()
                .filter_map(|code| vitrine_core::Currency::from_code(code).ok())
                .map(|c| (c.code(), PriceFormat::of(c, lang, false)))
                .collect();
            (lang.clone(), per)
        })
        .collect();
    let css = page::stylesheet(&input.accent);
    let asset_version = short_hash(&[css.as_bytes(), page::SCRIPT.as_bytes()]);
    let ctx = Context {
        input,
        base: input.base_url.trim_end_matches('/').to_owned(),
        number: input.shop.phone.as_ref().map(WaNumber::from),
        asset_version,
        groups,
        collection_names: input
            .collections
            .iter()
            .map(|c| file_name(&c.name.to_lowercase()))
            .collect(),
        formats,
        languages,
    };
    let mut files = vec![
        bytes("assets/site.css", css.into_bytes()),
        bytes("assets/site.js", page::SCRIPT.as_bytes().to_vec()),
        bytes("index.html", page::root_index(&ctx).into_bytes()),
        bytes(
            "robots.txt",
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
                ctx.base
            )
            .into_bytes(),
        ),
    ];
    let mut listed_paths = Vec::new();
    for lang in &ctx.languages {
        for (path, html) in page::listings(&ctx, lang) {
            if lang == &ctx.languages[0] {
                listed_paths.push(path.trim_start_matches(&format!("{lang}/")).to_owned());
            }
            files.push(bytes(&path, html.into_bytes()));
        }
        files.push(bytes(
            &format!("{lang}/products.json"),
            page::search_data(&ctx, lang).into_bytes(),
        ));
    }
    let pages: Vec<SiteFile> = ctx
        .languages
        .par_iter()
        .flat_map_iter(|lang| {
            let ctx = &ctx;
            (0..input.products.len()).map(move |i| {
                let sku = input.products[i].product.draft.sku.as_str();
                bytes(
                    &product_page_path(lang, sku),
                    page::product_page(ctx, lang, i).into_bytes(),
                )
            })
        })
        .collect();
    files.extend(pages);
    files.push(bytes(
        "sitemap.xml",
        page::sitemap(&ctx, &listed_paths).into_bytes(),
    ));
    let mut photos = BTreeSet::new();
    if let Some(logo) = &input.shop.logo {
        photos.insert((logo.clone(), PhotoSize::Thumbnail));
    }
    for l in input.products {
        for image in &l.product.images {
            photos.insert((image.hash.clone(), PhotoSize::Catalog));
            photos.insert((image.hash.clone(), PhotoSize::Thumbnail));
        }
    }
    files.extend(photos.into_iter().map(|(hash, size)| SiteFile {
        path: photo_path(&hash, size),
        body: Body::Photo(hash, size),
    }));
    Site { files }
}

fn bytes(path: &str, body: Vec<u8>) -> SiteFile {
    SiteFile {
        path: path.to_owned(),
        body: Body::Bytes(body),
    }
}

/// 8 hex digits of FNV-1a over `parts`: a cache-busting version, not a security hash.
fn short_hash(parts: &[&[u8]]) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for b in *part {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    format!("{h:08x}")
}

#[cfg(test)]
mod tests;
