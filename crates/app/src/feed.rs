//! A Meta data-feed file of the catalog (meta-api.md §3), for scheduled feeds in Commerce
//! Manager: CSV with feed-name columns, or RSS 2.0 XML with the `g:` namespace. Only
//! products that pass pre-flight are written; the others are listed back.

use std::path::Path;

use serde::Serialize;
use vitrine_core::preflight::{check_product, is_publishable};
use vitrine_core::sync_plan::{feed_cell, feed_fields, FeedContext, FEED_COLUMNS};
use vitrine_core::ContentHash;
use vitrine_store::products;

use crate::catalog::preflight_context;
use crate::error::Setup;
use crate::files::{write_atomically, write_atomically_with};
use crate::{AppError, Vitrine};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedSummary {
    pub written: usize,
    /// SKUs left out because of pre-flight errors.
    pub held: Vec<String>,
}

fn xml_escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&apos;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

impl Vitrine {
    /// Writes the feed to `dest`; `.xml` gives RSS XML, anything else CSV. Atomic.
    pub fn export_feed(&self, dest: &Path) -> Result<FeedSummary, AppError> {
        let shop = self.shop()?;
        let ctx = preflight_context(&shop, self.storefront_url()?);
        let base = self
            .image_hosting()?
            .map(|h| h.public_base_url)
            .ok_or(AppError::NotSetUp(Setup::PhotoHostingForFeed))?;
        let image_url = move |hash: &ContentHash| format!("{base}/{hash}.jpg");
        let link = self.storefront_link(&shop)?;
        let feed = FeedContext {
            shop_brand: &shop.brand,
            fallback_link: link.as_ref().map(|f| f as &dyn Fn(&str) -> String),
            image_url: &image_url,
            context_key: "",
        };
        let storage = |e| AppError::from_store("exporting the feed", e);
        let mut rows = Vec::new();
        let mut held = Vec::new();
        for id in self.store.read(products::all_ids).map_err(storage)? {
            let Some(p) = self.store.read(|c| products::get(c, id)).map_err(storage)? else {
                continue;
            };
            if !p.draft.published {
                continue;
            }
            if is_publishable(&check_product(&p, &ctx)) {
                rows.push(feed_fields(&p, &feed));
            } else {
                held.push(p.draft.sku.to_string());
            }
        }
        let xml = dest
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
        if xml {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss xmlns:g=\"http://base.google.com/ns/1.0\" version=\"2.0\">\n<channel>\n");
            out.push_str(&format!("<title>{}</title>\n", xml_escape(&shop.name)));
            for f in &rows {
                out.push_str("<item>\n");
                for column in FEED_COLUMNS {
                    let value = feed_cell(f, column);
                    if !value.is_empty() {
                        out.push_str(&format!(
                            "<g:{column}>{}</g:{column}>\n",
                            xml_escape(&value)
                        ));
                    }
                }
                out.push_str("</item>\n");
            }
            out.push_str("</channel>\n</rss>\n");
            write_atomically(dest, out.as_bytes())?;
        } else {
            write_atomically_with(dest, |file| {
                let mut w = csv::Writer::from_writer(file);
                w.write_record(FEED_COLUMNS)?;
                for f in &rows {
                    w.write_record(FEED_COLUMNS.iter().map(|c| feed_cell(f, c)))?;
                }
                w.flush()
            })?;
        }
        Ok(FeedSummary {
            written: rows.len(),
            held,
        })
    }
}
