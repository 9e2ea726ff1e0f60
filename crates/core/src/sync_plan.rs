//! What to send to Meta: each product as `items_batch` fields (feed names, meta-api.md
//! §1.3), and the plan that brings Meta's catalog from what it was last sent to what the
//! catalog is now — creates, updates carrying only the changed fields, deletes — with
//! products that fail pre-flight errors held back.
//!
//! Pure: the caller supplies the public image URLs, the storefront link and what was last
//! sent (from its journal).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::preflight::{Finding, Severity};
use crate::product::{ContentHash, Product};

/// Feed fields of one item, in a stable order.
pub type Fields = BTreeMap<String, Value>;

/// What the feed needs beyond the product.
pub struct FeedContext<'a> {
    pub shop_brand: &'a str,
    /// Link for products without their own (the storefront page), given the SKU.
    pub fallback_link: Option<&'a dyn Fn(&str) -> String>,
    /// The public URL of a stored image.
    pub image_url: &'a dyn Fn(&ContentHash) -> String,
    /// Identifies everything outside the product that shapes its fields (shop brand,
    /// photo host); part of each item's version.
    pub context_key: &'a str,
}

/// The version of a product's fields: its last edit plus the context. An item Meta holds
/// at this version needs no look (see the `unchanged` argument of [`plan`]).
pub fn item_version(product: &Product, ctx: &FeedContext<'_>) -> String {
    format!(
        "{}|{}",
        product
            .updated_at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ctx.context_key
    )
}

/// The `items_batch` fields for a product. Optional fields are always present (empty when
/// unset) so that clearing one in Vitrine clears it at Meta: an empty string unsets.
pub fn feed_fields(product: &Product, ctx: &FeedContext<'_>) -> Fields {
    let d = &product.draft;
    let mut f = Fields::new();
    let mut put = |k: &str, v: Value| {
        f.insert(k.to_owned(), v);
    };
    put("id", d.sku.as_str().into());
    put("title", d.title.clone().into());
    put("description", d.description.clone().into());
    put("availability", d.availability.as_meta().into());
    put("condition", d.condition.as_meta().into());
    put("price", d.price.to_meta_string().into());
    let link = match (&d.link, ctx.fallback_link) {
        (Some(link), _) => link.clone(),
        (None, Some(make)) => make(d.sku.as_str()),
        (None, None) => String::new(),
    };
    put("link", link.into());
    put(
        "brand",
        if d.brand.trim().is_empty() {
            ctx.shop_brand.to_owned()
        } else {
            d.brand.clone()
        }
        .into(),
    );
    let urls: Vec<String> = product
        .images
        .iter()
        .map(|i| (ctx.image_url)(&i.hash))
        .collect();
    put(
        "image_link",
        urls.first().cloned().unwrap_or_default().into(),
    );
    put(
        "additional_image_link",
        Value::Array(urls.iter().skip(1).cloned().map(Value::from).collect()),
    );
    put(
        "sale_price",
        d.sale
            .as_ref()
            .map(|s| s.price.to_meta_string())
            .unwrap_or_default()
            .into(),
    );
    put(
        "sale_price_effective_date",
        d.sale
            .as_ref()
            .and_then(|s| s.window.as_ref())
            .map(|w| w.to_meta_string())
            .unwrap_or_default()
            .into(),
    );
    put(
        "item_group_id",
        d.variant
            .as_ref()
            .map(|v| v.group_id.clone())
            .unwrap_or_default()
            .into(),
    );
    let attrs = d
        .variant
        .as_ref()
        .map(|v| v.attributes.clone())
        .unwrap_or_default();
    let mut extra = Vec::new();
    for key in ["size", "color", "material", "pattern"] {
        put(key, Value::from(""));
    }
    for a in &attrs {
        let name = a.name.to_ascii_lowercase();
        match name.as_str() {
            "size" | "color" | "colour" | "material" | "pattern" => {
                let key = if name == "colour" {
                    "color"
                } else {
                    name.as_str()
                };
                f.insert(key.to_owned(), a.value.clone().into());
            }
            _ => extra.push(format!("{}:{}", a.name, a.value)),
        }
    }
    f.insert(
        "additional_variant_attribute".to_owned(),
        extra.join(",").into(),
    );
    if let Some(stock) = d.stock {
        f.insert("quantity_to_sell_on_facebook".to_owned(), stock.into());
    }
    // Only when set, so products without a barcode keep the fields Meta already has.
    if let Some(gtin) = &d.gtin {
        f.insert("gtin".to_owned(), gtin.as_str().into());
    }
    f
}

/// The feed columns Vitrine fills, in Meta's usual order (a CSV feed's header).
pub const FEED_COLUMNS: &[&str] = &[
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "additional_image_link",
    "sale_price",
    "sale_price_effective_date",
    "item_group_id",
    "size",
    "color",
    "material",
    "pattern",
    "additional_variant_attribute",
    "quantity_to_sell_on_facebook",
    "gtin",
];

/// One field as a feed-file cell: text as is, lists comma-separated, numbers in decimal.
pub fn feed_cell(fields: &Fields, column: &str) -> String {
    match fields.get(column) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// SHA-256 of the fields' canonical JSON: equal hashes mean nothing to resend.
pub fn fields_hash(fields: &Fields) -> String {
    let json = serde_json::to_string(fields).unwrap_or_default();
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Action {
    Create,
    Update,
    Delete,
}

/// One record to send: the action and its `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedItem {
    #[serde(alias = "retailer_id")]
    pub retailer_id: String,
    pub action: Action,
    /// For CREATE the full fields; for UPDATE `id` plus the changed fields; for DELETE `id`.
    pub data: Fields,
    /// The full fields after this change (what to record as last sent once Meta accepts).
    pub after: Option<Fields>,
    /// [`item_version`] of the product planned (none for deletes).
    #[serde(default)]
    pub version: Option<String>,
}

/// A product not sent because pre-flight found errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldItem {
    #[serde(alias = "retailer_id")]
    pub retailer_id: String,
    pub title: String,
    pub errors: Vec<Finding>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncPlan {
    pub items: Vec<PlannedItem>,
    pub held: Vec<HeldItem>,
    pub unchanged: usize,
    /// Products the merchant has not published (drafts): not sent, and removed from Meta
    /// if they were there.
    #[serde(default)]
    pub unpublished: usize,
}

impl SyncPlan {
    pub fn count(&self, action: Action) -> usize {
        self.items.iter().filter(|i| i.action == action).count()
    }
}

/// Plans a sync. `last_sent` maps retailer ids Meta has to the fields last sent for them.
/// Products with errors are held back (and, if Meta has them, left as they are there);
/// products not published are left out as if absent, so Meta deletes what it had of them.
///
/// `unchanged` lists SKUs the caller already knows Meta holds at their current version;
/// they are neither loaded nor planned, only counted (and never deleted).
pub fn plan(
    products: &[(Product, Vec<Finding>)],
    last_sent: &BTreeMap<String, Fields>,
    unchanged: &BTreeSet<String>,
    ctx: &FeedContext<'_>,
) -> SyncPlan {
    let mut out = SyncPlan {
        unchanged: unchanged.len(),
        ..SyncPlan::default()
    };
    let mut present: BTreeSet<&str> = unchanged.iter().map(String::as_str).collect();
    for (product, findings) in products {
        let sku = product.draft.sku.as_str();
        if !product.draft.published {
            out.unpublished += 1;
            continue;
        }
        present.insert(sku);
        let errors: Vec<Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .cloned()
            .collect();
        if !errors.is_empty() {
            out.held.push(HeldItem {
                retailer_id: sku.to_owned(),
                title: product.draft.title.clone(),
                errors,
            });
            continue;
        }
        let fields = feed_fields(product, ctx);
        let version = Some(item_version(product, ctx));
        match last_sent.get(sku) {
            None => out.items.push(PlannedItem {
                retailer_id: sku.to_owned(),
                action: Action::Create,
                data: fields.clone(),
                after: Some(fields),
                version,
            }),
            Some(before) if fields_hash(before) == fields_hash(&fields) => out.unchanged += 1,
            Some(before) => {
                let mut data = Fields::new();
                data.insert("id".to_owned(), sku.into());
                for (k, v) in &fields {
                    if before.get(k) != Some(v) {
                        data.insert(k.clone(), v.clone());
                    }
                }
                for k in before.keys().filter(|k| !fields.contains_key(*k)) {
                    // A field Vitrine no longer sends (stock no longer tracked): unset it.
                    data.insert(k.clone(), Value::from(""));
                }
                out.items.push(PlannedItem {
                    retailer_id: sku.to_owned(),
                    action: Action::Update,
                    data,
                    after: Some(fields),
                    version,
                });
            }
        }
    }
    for sku in last_sent.keys().filter(|k| !present.contains(k.as_str())) {
        let mut data = Fields::new();
        data.insert("id".to_owned(), sku.clone().into());
        out.items.push(PlannedItem {
            retailer_id: sku.clone(),
            action: Action::Delete,
            data,
            after: None,
            version: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Money};
    use crate::preflight::{check_product, PreflightContext};
    use crate::product::{
        ImageFormat, ProductDraft, ProductId, ProductImage, Sku, VariantAttribute, VariantGroup,
    };

    fn product(sku: &str, price_minor: i64) -> Product {
        let mut d = ProductDraft::new(
            Sku::parse(sku).expect("sku"),
            format!("Caneca {sku}"),
            Money::from_minor(price_minor, Currency::from_code("BRL").expect("BRL")),
        );
        d.description = "Caneca de cerâmica feita à mão".into();
        d.link = Some(format!("https://loja.example/{sku}"));
        let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("instant");
        let image = ProductImage {
            hash: ContentHash::parse(&"c".repeat(64)).expect("hash"),
            width: 1024,
            height: 1024,
            byte_len: 1000,
            format: ImageFormat::Jpeg,
        };
        Product {
            id: ProductId::new_random(),
            draft: d,
            images: vec![image],
            created_at: now,
            updated_at: now,
        }
    }

    fn with_findings(products: Vec<Product>) -> Vec<(Product, Vec<Finding>)> {
        let ctx = PreflightContext {
            shop_brand: "Ateliê".into(),
            storefront_url: None,
        };
        products
            .into_iter()
            .map(|p| {
                let f = check_product(&p, &ctx);
                (p, f)
            })
            .collect()
    }

    fn ctx_urls(hash: &ContentHash) -> String {
        format!("https://img.example/{hash}.jpg")
    }

    fn ctx() -> FeedContext<'static> {
        FeedContext {
            shop_brand: "Ateliê",
            fallback_link: None,
            image_url: &ctx_urls,
            context_key: "test",
        }
    }

    #[test]
    fn fields_use_feed_names_and_metas_price_format() {
        let mut p = product("MUG", 4990);
        p.draft.variant = Some(VariantGroup {
            group_id: "MUGS".into(),
            attributes: vec![
                VariantAttribute {
                    name: "Color".into(),
                    value: "azul".into(),
                },
                VariantAttribute {
                    name: "Scent".into(),
                    value: "none".into(),
                },
            ],
        });
        p.draft.stock = Some(3);
        let f = feed_fields(&p, &ctx());
        assert_eq!(f["id"], "MUG");
        assert_eq!(f["price"], "49.90 BRL");
        assert_eq!(f["brand"], "Ateliê", "the shop brand stands in");
        assert_eq!(
            f["image_link"],
            format!("https://img.example/{}.jpg", "c".repeat(64))
        );
        assert_eq!(f["color"], "azul");
        assert_eq!(f["additional_variant_attribute"], "Scent:none");
        assert_eq!(f["quantity_to_sell_on_facebook"], 3);
        assert!(
            !f.contains_key("retailer_id"),
            "retailer_id never goes inside data"
        );
    }

    #[test]
    fn a_first_sync_creates_everything_and_a_second_sends_nothing() {
        let products = with_findings(vec![product("A", 100), product("B", 200)]);
        let first = plan(&products, &BTreeMap::new(), &BTreeSet::new(), &ctx());
        assert_eq!((first.count(Action::Create), first.unchanged), (2, 0));
        let sent: BTreeMap<String, Fields> = first
            .items
            .iter()
            .map(|i| (i.retailer_id.clone(), i.after.clone().expect("after")))
            .collect();
        let second = plan(&products, &sent, &BTreeSet::new(), &ctx());
        assert!(second.items.is_empty(), "nothing changed, nothing is sent");
        assert_eq!(second.unchanged, 2);
    }

    #[test]
    fn an_edit_resends_only_the_changed_fields_and_a_removal_deletes() {
        let products = vec![product("A", 100), product("B", 200)];
        let first = plan(
            &with_findings(products.clone()),
            &BTreeMap::new(),
            &BTreeSet::new(),
            &ctx(),
        );
        let sent: BTreeMap<String, Fields> = first
            .items
            .iter()
            .map(|i| (i.retailer_id.clone(), i.after.clone().expect("after")))
            .collect();
        let mut edited = products[0].clone();
        edited.draft.price = Money::from_minor(150, edited.draft.price.currency());
        let next = plan(
            &with_findings(vec![edited]),
            &sent,
            &BTreeSet::new(),
            &ctx(),
        );
        assert_eq!(next.items.len(), 2, "one update, one delete");
        let update = &next.items[0];
        assert_eq!(update.action, Action::Update);
        assert_eq!(
            update.data.keys().collect::<Vec<_>>(),
            vec!["id", "price"],
            "only the edited product's changed field"
        );
        assert_eq!(update.data["price"], "1.50 BRL");
        assert_eq!(
            (next.items[1].action, next.items[1].retailer_id.as_str()),
            (Action::Delete, "B")
        );
    }

    #[test]
    fn products_known_unchanged_are_counted_not_planned_nor_deleted() {
        let products = vec![product("A", 100), product("B", 200)];
        let first = plan(
            &with_findings(products.clone()),
            &BTreeMap::new(),
            &BTreeSet::new(),
            &ctx(),
        );
        let sent: BTreeMap<String, Fields> = first
            .items
            .iter()
            .map(|i| (i.retailer_id.clone(), i.after.clone().expect("after")))
            .collect();
        let skip: BTreeSet<String> = ["B".to_owned()].into();
        let next = plan(
            &with_findings(vec![products[0].clone()]),
            &sent,
            &skip,
            &ctx(),
        );
        assert!(
            next.items.is_empty(),
            "B was not loaded but must not be deleted"
        );
        assert_eq!(next.unchanged, 2);
        assert!(
            first
                .items
                .iter()
                .all(|i| i.version.as_deref().is_some_and(|v| v.ends_with("|test"))),
            "versions carry the context"
        );
    }

    #[test]
    fn an_unpublished_product_is_never_sent_and_is_removed_from_meta_if_it_was_there() {
        let mut draft = product("D", 100);
        draft.draft.published = false;
        let first = plan(
            &with_findings(vec![draft.clone()]),
            &BTreeMap::new(),
            &BTreeSet::new(),
            &ctx(),
        );
        assert!(first.items.is_empty(), "a draft is not created at Meta");
        assert_eq!(first.unpublished, 1);
        draft.draft.published = true;
        let sent: BTreeMap<String, Fields> = plan(
            &with_findings(vec![draft.clone()]),
            &BTreeMap::new(),
            &BTreeSet::new(),
            &ctx(),
        )
        .items
        .iter()
        .map(|i| (i.retailer_id.clone(), i.after.clone().expect("after")))
        .collect();
        draft.draft.published = false;
        let next = plan(&with_findings(vec![draft]), &sent, &BTreeSet::new(), &ctx());
        assert_eq!(
            next.count(Action::Delete),
            1,
            "unpublishing takes the product off WhatsApp"
        );
    }

    #[test]
    fn products_with_errors_are_held_back_and_not_deleted_at_meta() {
        let good = product("A", 100);
        let first = plan(
            &with_findings(vec![good.clone()]),
            &BTreeMap::new(),
            &BTreeSet::new(),
            &ctx(),
        );
        let sent: BTreeMap<String, Fields> = first
            .items
            .iter()
            .map(|i| (i.retailer_id.clone(), i.after.clone().expect("after")))
            .collect();
        let mut broken = good;
        broken.draft.description.clear();
        let next = plan(
            &with_findings(vec![broken]),
            &sent,
            &BTreeSet::new(),
            &ctx(),
        );
        assert!(
            next.items.is_empty(),
            "a held product is neither updated nor deleted"
        );
        assert_eq!(next.held.len(), 1);
        assert!(next.held[0]
            .errors
            .iter()
            .any(|f| f.rule == crate::preflight::RuleId::DescriptionMissing));
    }
}
