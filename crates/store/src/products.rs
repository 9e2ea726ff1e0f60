//! The `products` table and its child tables (`product_images`, `product_collections`,
//! `product_translations`), always written together as one aggregate.
//!
//! Prices are stored as integer minor units plus the ISO 4217 code.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use uuid::Uuid;
use vitrine_core::{
    Availability, CollectionId, Condition, Currency, Gtin, LanguageTag, Money, Product,
    ProductDraft, ProductId, ProductImage, SalePrice, SaleWindow, Sku, Translation,
    VariantAttribute, VariantGroup,
};

use crate::StoreError;

pub(crate) const MIGRATION_1: &str = "
CREATE TABLE products (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    sku                TEXT NOT NULL UNIQUE,
    title              TEXT NOT NULL,
    description        TEXT NOT NULL,
    brand              TEXT NOT NULL,
    price_minor        INTEGER NOT NULL CHECK (price_minor >= 0),
    currency           TEXT NOT NULL CHECK (length(currency) = 3),
    sale_price_minor   INTEGER CHECK (sale_price_minor >= 0),
    sale_window        TEXT,
    availability       TEXT NOT NULL,
    condition          TEXT NOT NULL,
    stock              INTEGER CHECK (stock >= 0),
    link               TEXT,
    variant_group      TEXT,
    variant_attributes TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX products_updated ON products (updated_at DESC);

CREATE TABLE product_images (
    product_seq INTEGER NOT NULL REFERENCES products (seq) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    image_hash  TEXT NOT NULL REFERENCES images (hash),
    PRIMARY KEY (product_seq, position)
) STRICT;
CREATE INDEX product_images_hash ON product_images (image_hash);

CREATE TABLE product_collections (
    product_seq   INTEGER NOT NULL REFERENCES products (seq) ON DELETE CASCADE,
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    PRIMARY KEY (product_seq, collection_id)
) STRICT;
CREATE INDEX product_collections_collection ON product_collections (collection_id);

CREATE TABLE product_translations (
    product_seq INTEGER NOT NULL REFERENCES products (seq) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (product_seq, language)
) STRICT;
";

/// Pre-flight problem counts, cached per product so the list can filter on them.
pub(crate) const MIGRATION_2: &str = "
ALTER TABLE products ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
";

/// The barcode (Meta's `gtin`) and whether the product is published (a draft stays out of
/// the sync, the feed and the storefront).
pub(crate) const MIGRATION_3: &str = "
ALTER TABLE products ADD COLUMN gtin TEXT;
ALTER TABLE products ADD COLUMN published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1));
";

/// Products with pre-flight findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemFilter {
    /// At least one blocking error.
    Errors,
    /// Any error or warning.
    Any,
}

/// Which products to list, and which page of them.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Full-text query over SKU, title, description, brand and translations.
    pub search: Option<String>,
    pub collection: Option<CollectionId>,
    pub availability: Option<Availability>,
    pub problems: Option<ProblemFilter>,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone)]
pub struct ProductPage {
    pub items: Vec<Product>,
    /// Matching products in total, across pages.
    pub total: u64,
}

fn ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn map_unique(sku: &Sku) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
    move |e| match &e {
        rusqlite::Error::SqliteFailure(f, Some(msg))
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.contains("products.sku") =>
        {
            StoreError::DuplicateSku(sku.to_string())
        }
        _ => StoreError::Sqlite(e),
    }
}

/// Inserts a new product with its images, collections and translations; returns its row number.
pub fn insert(tx: &Transaction<'_>, product: &Product) -> Result<i64, StoreError> {
    let Product {
        id,
        draft,
        images: _,
        created_at,
        updated_at,
    } = product;
    let row = Row::from_draft(draft);
    tx.prepare_cached("INSERT INTO products (id, sku, title, description, brand, price_minor, currency, sale_price_minor, sale_window,
             availability, condition, stock, link, variant_group, variant_attributes, created_at, updated_at, gtin, published)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)")?.execute(params![id.to_string(), draft.sku.as_str(), draft.title, draft.description, draft.brand, draft.price.minor(),
            draft.price.currency().code(), row.sale_minor, row.sale_window, draft.availability.as_meta(), draft.condition.as_meta(),
            draft.stock, draft.link, row.group, row.attributes, ts(created_at), ts(updated_at),
            draft.gtin.as_ref().map(|g| g.as_str()), draft.published],
    )
    .map_err(map_unique(&draft.sku))?;
    let seq = tx.last_insert_rowid();
    write_children(tx, seq, product, true)?;
    Ok(seq)
}

/// Replaces a stored product (matched by id) and all its child rows; returns its row number.
pub fn update(tx: &Transaction<'_>, product: &Product) -> Result<i64, StoreError> {
    let Product {
        id,
        draft,
        images: _,
        created_at: _,
        updated_at,
    } = product;
    let seq = seq_of(tx, *id)?.ok_or_else(|| StoreError::NotFound(format!("product {id}")))?;
    let row = Row::from_draft(draft);
    tx.prepare_cached("UPDATE products SET sku = ?2, title = ?3, description = ?4, brand = ?5, price_minor = ?6, currency = ?7,
             sale_price_minor = ?8, sale_window = ?9, availability = ?10, condition = ?11, stock = ?12, link = ?13,
             variant_group = ?14, variant_attributes = ?15, updated_at = ?16, gtin = ?17, published = ?18
         WHERE seq = ?1")?.execute(params![seq, draft.sku.as_str(), draft.title, draft.description, draft.brand, draft.price.minor(),
            draft.price.currency().code(), row.sale_minor, row.sale_window, draft.availability.as_meta(), draft.condition.as_meta(),
            draft.stock, draft.link, row.group, row.attributes, ts(updated_at),
            draft.gtin.as_ref().map(|g| g.as_str()), draft.published],
    )
    .map_err(map_unique(&draft.sku))?;
    for table in [
        "product_images",
        "product_collections",
        "product_translations",
    ] {
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE product_seq = ?1"))?
            .execute([seq])?;
    }
    write_children(tx, seq, product, false)?;
    Ok(seq)
}

/// `fresh`: the product row was just inserted, so it has nothing in the search index yet.
fn write_children(
    tx: &Transaction<'_>,
    seq: i64,
    product: &Product,
    fresh: bool,
) -> Result<(), StoreError> {
    for (position, image) in product.images.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO product_images (product_seq, position, image_hash) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![seq, position as i64, image.hash.as_str()])?;
    }
    for collection in &product.draft.collections {
        tx.prepare_cached("INSERT OR IGNORE INTO product_collections (product_seq, collection_id) VALUES (?1, ?2)")?.execute(params![seq, collection.to_string()],
        )?;
    }
    for t in &product.draft.translations {
        tx.prepare_cached("INSERT INTO product_translations (product_seq, language, title, description) VALUES (?1, ?2, ?3, ?4)")?.execute(params![seq, t.language.as_str(), t.title, t.description],
        )?;
    }
    if !fresh {
        crate::search::remove(tx, seq)?;
    }
    crate::search::index(tx, seq, product)
}

/// Deletes a product and its child rows. Returns false when there was no such product.
/// Image rows it leaves unreferenced are removed by the caller's garbage collection.
pub fn delete(tx: &Transaction<'_>, id: ProductId) -> Result<bool, StoreError> {
    let Some(seq) = seq_of(tx, id)? else {
        return Ok(false);
    };
    crate::search::remove(tx, seq)?;
    tx.prepare_cached("DELETE FROM products WHERE seq = ?1")?
        .execute([seq])?;
    Ok(true)
}

/// Records a product's pre-flight error and warning counts.
pub fn set_problem_counts(
    tx: &Transaction<'_>,
    id: ProductId,
    errors: u32,
    warnings: u32,
) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE products SET errors = ?2, warnings = ?3 WHERE id = ?1")?
        .execute(params![id.to_string(), errors, warnings])?;
    Ok(())
}

pub fn seq_of(conn: &Connection, id: ProductId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT seq FROM products WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn get(conn: &Connection, id: ProductId) -> Result<Option<Product>, StoreError> {
    match seq_of(conn, id)? {
        Some(seq) => load(conn, seq).map(Some),
        None => Ok(None),
    }
}

pub fn get_by_sku(conn: &Connection, sku: &str) -> Result<Option<Product>, StoreError> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM products WHERE sku = ?1")?
        .query_row([sku.trim()], |r| r.get(0))
        .optional()?;
    match seq {
        Some(seq) => load(conn, seq).map(Some),
        None => Ok(None),
    }
}

pub fn count(conn: &Connection) -> Result<u64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM products", [], |r| r.get::<_, i64>(0))? as u64)
}

/// Every product's id, SKU and last edit time (as stored), without loading the products.
pub fn versions(conn: &Connection) -> Result<Vec<(ProductId, String, String)>, StoreError> {
    let mut stmt = conn.prepare("SELECT id, sku, updated_at FROM products ORDER BY seq")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(id, sku, at)| Ok((ProductId::parse(&id).map_err(StoreError::corrupt)?, sku, at)))
        .collect()
}

/// Every product id, oldest first (for exports and bulk checks).
pub fn all_ids(conn: &Connection) -> Result<Vec<ProductId>, StoreError> {
    let mut stmt = conn.prepare("SELECT id FROM products ORDER BY seq")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    ids.iter()
        .map(|id| ProductId::parse(id).map_err(StoreError::corrupt))
        .collect()
}

/// Every product, oldest first, loaded in one pass (for whole-catalog work such as building
/// the storefront): one query for the rows' keys, then each product by its key.
pub fn all(conn: &Connection) -> Result<Vec<Product>, StoreError> {
    let mut stmt = conn.prepare("SELECT seq FROM products ORDER BY seq")?;
    let seqs = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    seqs.into_iter().map(|seq| load(conn, seq)).collect()
}

/// Lists one page of products: best search matches first when searching, otherwise the
/// most recently edited first.
pub fn list(conn: &Connection, filter: &ProductFilter) -> Result<ProductPage, StoreError> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut order = "p.updated_at DESC, p.seq DESC".to_owned();
    let mut from = "products p".to_owned();
    if let Some(query) = filter.search.as_deref().filter(|q| !q.trim().is_empty()) {
        match crate::search::plan(query) {
            Some(plan) => {
                if let Some(fts) = plan.fts {
                    from = "product_search s JOIN products p ON p.seq = s.rowid".to_owned();
                    clauses.push("product_search MATCH ?".to_owned());
                    args.push(fts.into());
                    order = "bm25(product_search, 10.0, 5.0, 1.0, 2.0, 3.0), p.seq".to_owned();
                }
                if !plan.short_terms.is_empty() {
                    // One or two letters (a size like "P" or "GG") match the start of a word.
                    let prefixes: Vec<String> = plan
                        .short_terms
                        .iter()
                        .map(|t| format!("\"{t}\"*"))
                        .collect();
                    clauses.push(
                        "p.seq IN (SELECT rowid FROM product_words WHERE product_words MATCH ?)"
                            .to_owned(),
                    );
                    args.push(prefixes.join(" AND ").into());
                }
            }
            None => {
                return Ok(ProductPage {
                    items: Vec::new(),
                    total: 0,
                })
            }
        }
    }
    if let Some(collection) = filter.collection {
        clauses.push(
            "p.seq IN (SELECT product_seq FROM product_collections WHERE collection_id = ?)"
                .to_owned(),
        );
        args.push(collection.to_string().into());
    }
    if let Some(availability) = filter.availability {
        clauses.push("p.availability = ?".to_owned());
        args.push(availability.as_meta().to_owned().into());
    }
    match filter.problems {
        Some(ProblemFilter::Errors) => clauses.push("p.errors > 0".to_owned()),
        Some(ProblemFilter::Any) => clauses.push("(p.errors > 0 OR p.warnings > 0)".to_owned()),
        None => {}
    }
    let filter_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {from} {filter_sql}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let limit = if filter.limit == 0 { 50 } else { filter.limit };
    let sql = format!(
        "SELECT p.seq FROM {from} {filter_sql} ORDER BY {order} LIMIT {limit} OFFSET {}",
        filter.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let seqs = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            r.get::<_, i64>(0)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let items = seqs
        .into_iter()
        .map(|seq| load(conn, seq))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProductPage {
        items,
        total: total as u64,
    })
}

struct Row {
    sale_minor: Option<i64>,
    sale_window: Option<String>,
    group: Option<String>,
    attributes: Option<String>,
}

impl Row {
    fn from_draft(draft: &ProductDraft) -> Self {
        let attributes = draft.variant.as_ref().map(|v| {
            serde_json::to_string(
                &v.attributes
                    .iter()
                    .map(|a| (a.name.as_str(), a.value.as_str()))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default()
        });
        Self {
            sale_minor: draft.sale.as_ref().map(|s| s.price.minor()),
            sale_window: draft
                .sale
                .as_ref()
                .and_then(|s| s.window.as_ref())
                .map(SaleWindow::to_meta_string),
            group: draft.variant.as_ref().map(|v| v.group_id.clone()),
            attributes,
        }
    }
}

fn load(conn: &Connection, seq: i64) -> Result<Product, StoreError> {
    type Raw = (
        String,
        String,
        String,
        String,
        String,
        i64,
        String,
        Option<i64>,
        Option<String>,
        String,
        String,
        Option<u32>,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        bool,
    );
    let raw: Raw = conn.prepare_cached(
        "SELECT id, sku, title, description, brand, price_minor, currency, sale_price_minor, sale_window, availability,
                condition, stock, link, variant_group, variant_attributes, created_at, updated_at, gtin, published
         FROM products WHERE seq = ?1",
    )?.query_row(
        [seq],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?)),
    )?;
    let (
        id,
        sku,
        title,
        description,
        brand,
        price_minor,
        currency,
        sale_minor,
        sale_window,
        availability,
        condition,
        stock,
        link,
        group,
        attributes,
        created_at,
        updated_at,
        gtin,
        published,
    ) = raw;
    let currency = Currency::from_code(&currency).map_err(StoreError::corrupt)?;
    let sale = match sale_minor {
        Some(minor) => Some(SalePrice {
            price: Money::from_minor(minor, currency),
            window: sale_window
                .as_deref()
                .map(SaleWindow::parse_meta)
                .transpose()
                .map_err(StoreError::corrupt)?,
        }),
        None => None,
    };
    let variant = match group {
        Some(group_id) => {
            let pairs: Vec<(String, String)> =
                serde_json::from_str(attributes.as_deref().unwrap_or("[]"))
                    .map_err(StoreError::corrupt)?;
            Some(VariantGroup {
                group_id,
                attributes: pairs
                    .into_iter()
                    .map(|(name, value)| VariantAttribute { name, value })
                    .collect(),
            })
        }
        None => None,
    };

    let mut stmt = conn.prepare_cached(
        "SELECT i.hash, i.width, i.height, i.byte_len, i.format FROM product_images pi JOIN images i ON i.hash = pi.image_hash
         WHERE pi.product_seq = ?1 ORDER BY pi.position",
    )?;
    let images = stmt
        .query_map([seq], crate::images::from_row)?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .collect::<Result<Vec<ProductImage>, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT pc.collection_id FROM product_collections pc JOIN collections c ON c.id = pc.collection_id
         WHERE pc.product_seq = ?1 ORDER BY c.position, c.name",
    )?;
    let collections = stmt
        .query_map([seq], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .map(|id| {
            Uuid::parse_str(id)
                .map(CollectionId::from_uuid)
                .map_err(StoreError::corrupt)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare_cached("SELECT language, title, description FROM product_translations WHERE product_seq = ?1 ORDER BY language")?;
    let translations = stmt
        .query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|(language, title, description)| {
            Ok(Translation {
                language: LanguageTag::parse(&language).map_err(StoreError::corrupt)?,
                title,
                description,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let parse_time = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .map(|d| d.with_timezone(&Utc))
            .map_err(StoreError::corrupt)
    };
    Ok(Product {
        id: ProductId::parse(&id).map_err(StoreError::corrupt)?,
        draft: ProductDraft {
            sku: Sku::parse(&sku).map_err(StoreError::corrupt)?,
            title,
            description,
            brand,
            price: Money::from_minor(price_minor, currency),
            sale,
            availability: Availability::parse(&availability).map_err(StoreError::corrupt)?,
            condition: Condition::parse(&condition).map_err(StoreError::corrupt)?,
            stock,
            link,
            collections,
            variant,
            translations,
            gtin: gtin
                .as_deref()
                .map(Gtin::parse)
                .transpose()
                .map_err(StoreError::corrupt)?,
            published,
        },
        images,
        created_at: parse_time(&created_at)?,
        updated_at: parse_time(&updated_at)?,
    })
}
