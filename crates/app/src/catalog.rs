//! Catalog use cases: products, collections and the Meta pre-flight check.

use chrono::{DateTime, Utc};
use serde::Serialize;
use vitrine_core::preflight::{check_product, PreflightContext};
use vitrine_core::{
    collection::collection_name, Availability, Collection, CollectionId, ContentHash, Finding,
    LanguageTag, Money, Product, ProductId, Severity, Shop,
};
use vitrine_store::{collections, products, ProblemFilter, ProductFilter, Transaction};

use crate::input::{apply_patch, draft_from_new, NewProduct, ProductPatch, TranslationInput};
use crate::sync_view::SyncBadge;
use crate::{AppError, InputField, Vitrine};

/// What to list: a search, filters, and a page.
#[derive(Debug, Clone, Default)]
pub struct ProductQuery {
    pub search: Option<String>,
    /// A collection name or id.
    pub collection: Option<String>,
    pub availability: Option<Availability>,
    /// Only products with pre-flight errors, or with any finding.
    pub problems: Option<ProblemFilter>,
    /// Page size; 0 means 50.
    pub limit: u32,
    pub offset: u32,
}

/// What an edit adds to a product rather than replaces (the CLI's repeatable `--collection`
/// and `--title-in`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductAdditions {
    /// Collection names, created when new.
    pub collections: Vec<String>,
    pub translations: Vec<TranslationInput>,
}

/// One line of the catalog list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub price: Money,
    pub sale_price: Option<Money>,
    pub availability: Availability,
    pub stock: Option<u32>,
    pub thumbnail: Option<ContentHash>,
    pub image_count: u32,
    pub errors: u32,
    pub warnings: u32,
    pub updated_at: DateTime<Utc>,
    /// Against the WhatsApp catalog; none until a Meta catalog is connected.
    pub sync: Option<SyncBadge>,
    /// False for a draft.
    pub published: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductPage {
    pub items: Vec<ProductSummary>,
    pub total: u64,
}

/// A product with what the editor shows around it.
#[derive(Debug, Clone, Serialize)]
pub struct ProductView {
    pub product: Product,
    pub collections: Vec<Collection>,
    pub findings: Vec<Finding>,
}

/// The pre-flight result of one product.
#[derive(Debug, Clone, Serialize)]
pub struct ProductCheck {
    pub id: ProductId,
    pub sku: String,
    pub title: String,
    pub findings: Vec<Finding>,
}

/// `app_state` key of the rule set the cached problem counts were computed with.
pub(crate) const RULES_KEY: &str = "preflight_rules";

/// The rules' context: the shop's brand, and the storefront address whose product pages
/// stand in for missing product links.
pub(crate) fn preflight_context(shop: &Shop, storefront_url: Option<String>) -> PreflightContext {
    PreflightContext {
        shop_brand: shop.brand.clone(),
        storefront_url,
    }
}

fn count(findings: &[Finding], severity: Severity) -> u32 {
    findings.iter().filter(|f| f.severity == severity).count() as u32
}

pub(crate) fn summarize(product: Product, ctx: &PreflightContext) -> ProductSummary {
    let findings = check_product(&product, ctx);
    let Product {
        id,
        draft,
        images,
        created_at: _,
        updated_at,
    } = product;
    ProductSummary {
        id,
        sku: draft.sku.to_string(),
        title: draft.title,
        price: draft.price,
        sale_price: draft.sale.map(|s| s.price),
        availability: draft.availability,
        stock: draft.stock,
        thumbnail: images.first().map(|i| i.hash.clone()),
        image_count: images.len() as u32,
        errors: count(&findings, Severity::Error),
        warnings: count(&findings, Severity::Warning),
        updated_at,
        sync: None,
        published: draft.published,
    }
}

/// Saves a product (insert when `is_new`, else replace) with its pre-flight problem counts,
/// which the catalog list filters on. Every product write in the app goes through here.
pub(crate) fn save_product(
    tx: &Transaction<'_>,
    product: &Product,
    is_new: bool,
    ctx: Option<&PreflightContext>,
) -> Result<(), vitrine_store::StoreError> {
    if is_new {
        products::insert(tx, product)?;
    } else {
        products::update(tx, product)?;
    }
    let owned;
    let ctx = match ctx {
        Some(ctx) => ctx,
        None => {
            owned = preflight_context(
                &vitrine_store::shop::get(tx)?,
                crate::storefront::base_url(tx)?,
            );
            &owned
        }
    };
    let findings = check_product(product, ctx);
    products::set_problem_counts(
        tx,
        product.id,
        count(&findings, Severity::Error),
        count(&findings, Severity::Warning),
    )
}

/// Finds collections by name (or id), creating the named ones that do not exist yet.
pub(crate) fn resolve_collections(
    tx: &Transaction<'_>,
    names: &[String],
) -> Result<Vec<CollectionId>, vitrine_store::StoreError> {
    let mut ids = Vec::new();
    for raw in names {
        let Ok(name) = collection_name(raw) else {
            continue;
        };
        let id = match collections::find_by_name(tx, &name)? {
            Some(c) => c.id,
            None => collections::insert(tx, &name)?.id,
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

impl Vitrine {
    /// A product by its id or its SKU.
    pub fn find_product(&self, key: &str) -> Result<Product, AppError> {
        let key = key.trim();
        let found = self
            .store
            .read(|c| match ProductId::parse(key) {
                Ok(id) => products::get(c, id),
                Err(_) => products::get_by_sku(c, key),
            })
            .map_err(|e| AppError::from_store("reading a product", e))?;
        found.ok_or_else(|| AppError::NotFound(format!("no product with SKU or id “{key}”")))
    }

    fn view(&self, product: Product) -> Result<ProductView, AppError> {
        let shop = self.shop()?;
        let all = self
            .store
            .read(collections::list)
            .map_err(|e| AppError::from_store("reading collections", e))?;
        let collections = all
            .into_iter()
            .filter(|c| product.draft.collections.contains(&c.id))
            .collect();
        let findings = check_product(&product, &preflight_context(&shop, self.storefront_url()?));
        Ok(ProductView {
            product,
            collections,
            findings,
        })
    }

    pub fn product(&self, key: &str) -> Result<ProductView, AppError> {
        let product = self.find_product(key)?;
        self.view(product)
    }

    /// Meta's findings for a product as it is being edited, before it is saved: `input`
    /// holds the form's fields; `existing` (SKU or id) supplies the saved photos. Input that
    /// cannot be saved at all (a malformed price, say) is an error naming the field.
    pub fn check_input(
        &self,
        existing: Option<&str>,
        input: &NewProduct,
    ) -> Result<Vec<Finding>, AppError> {
        let shop = self.shop()?;
        let images = match existing {
            Some(key) => self.find_product(key)?.images,
            None => Vec::new(),
        };
        let draft = draft_from_new(input, shop.currency, Vec::new())?;
        let now = self.now();
        let product = Product {
            id: ProductId::new_random(),
            draft,
            images,
            created_at: now,
            updated_at: now,
        };
        Ok(check_product(
            &product,
            &preflight_context(&shop, self.storefront_url()?),
        ))
    }

    /// Adds a product. Its SKU must be new to the catalog.
    pub fn add_product(&self, input: NewProduct) -> Result<ProductView, AppError> {
        let shop = self.shop()?;
        let now = self.now();
        let product = self
            .store
            .write(|tx| {
                let ids = resolve_collections(tx, &input.collections)?;
                let draft = draft_from_new(&input, shop.currency, ids).map_err(Wrapped)?;
                let product = Product {
                    id: ProductId::new_random(),
                    draft,
                    images: Vec::new(),
                    created_at: now,
                    updated_at: now,
                };
                save_product(tx, &product, true, None)?;
                Ok(product)
            })
            .map_err(unwrap_app("adding the product"))?;
        self.view(product)
    }

    /// Changes a product's fields as [`Self::edit_product`] does, and adds to what it has:
    /// collections joined (to those it is in, or to `patch.collections` when that replaces
    /// them) and translations merged by language (a given title or description replaces that
    /// language's, an empty one keeps it; a new language is added).
    pub fn amend_product(
        &self,
        key: &str,
        mut patch: ProductPatch,
        added: ProductAdditions,
    ) -> Result<ProductView, AppError> {
        if added.collections.is_empty() && added.translations.is_empty() {
            return self.edit_product(key, patch);
        }
        let current = self.product(key)?;
        if !added.collections.is_empty() {
            let mut names = match patch.collections.take() {
                Some(names) => names,
                None => current.collections.into_iter().map(|c| c.name).collect(),
            };
            names.extend(added.collections);
            patch.collections = Some(names);
        }
        if !added.translations.is_empty() {
            let mut merged: Vec<TranslationInput> = current
                .product
                .draft
                .translations
                .iter()
                .map(|t| TranslationInput {
                    language: t.language.to_string(),
                    title: t.title.clone(),
                    description: t.description.clone(),
                })
                .collect();
            for given in added.translations {
                let language = LanguageTag::parse(&given.language)
                    .map_err(|e| AppError::invalid(InputField::Language, e))?
                    .to_string();
                match merged.iter_mut().find(|t| t.language == language) {
                    Some(t) => {
                        if !given.title.is_empty() {
                            t.title = given.title;
                        }
                        if !given.description.is_empty() {
                            t.description = given.description;
                        }
                    }
                    None => merged.push(TranslationInput { language, ..given }),
                }
            }
            patch.translations = Some(merged);
        }
        self.edit_product(key, patch)
    }

    /// Changes a product's fields; untouched fields keep their values.
    pub fn edit_product(&self, key: &str, patch: ProductPatch) -> Result<ProductView, AppError> {
        let mut product = self.find_product(key)?;
        let now = self.now();
        let product = self
            .store
            .write(|tx| {
                let ids = patch
                    .collections
                    .as_ref()
                    .map(|names| resolve_collections(tx, names))
                    .transpose()?;
                apply_patch(&mut product.draft, &patch, ids).map_err(Wrapped)?;
                product.updated_at = now;
                save_product(tx, &product, false, None)?;
                Ok(product)
            })
            .map_err(unwrap_app("saving the product"))?;
        self.view(product)
    }

    /// Deletes a product and every photo only it used.
    pub fn remove_product(&self, key: &str) -> Result<Product, AppError> {
        let product = self.find_product(key)?;
        self.store
            .write_and_collect(|tx| products::delete(tx, product.id))
            .map_err(|e| AppError::from_store("deleting the product", e))?;
        Ok(product)
    }

    pub fn list_products(&self, query: &ProductQuery) -> Result<ProductPage, AppError> {
        let collection = match query
            .collection
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(key) => Some(self.find_collection(key)?.id),
            None => None,
        };
        let availability = query.availability;
        let filter = ProductFilter {
            search: query.search.clone(),
            collection,
            availability,
            problems: query.problems,
            limit: query.limit,
            offset: query.offset,
        };
        let page = self
            .store
            .read(|c| products::list(c, &filter))
            .map_err(|e| AppError::from_store("listing products", e))?;
        let ctx = preflight_context(&self.shop()?, self.storefront_url()?);
        let ids: Vec<ProductId> = page.items.iter().map(|p| p.id).collect();
        let mut badges = self.sync_badges(&ids)?;
        Ok(ProductPage {
            items: page
                .items
                .into_iter()
                .map(|p| {
                    let mut summary = summarize(p, &ctx);
                    summary.sync = badges.remove(&summary.id);
                    summary
                })
                .collect(),
            total: page.total,
        })
    }

    /// Recomputes every product's cached problem counts (after the shop's default brand or
    /// the rules changed).
    pub fn recount_problems(&self) -> Result<usize, AppError> {
        let ctx = preflight_context(&self.shop()?, self.storefront_url()?);
        let storage = |e| AppError::from_store("checking the catalog", e);
        let ids = self.store.read(products::all_ids).map_err(storage)?;
        self.store
            .write(|tx| {
                for id in &ids {
                    if let Some(p) = products::get(tx, *id)? {
                        let findings = check_product(&p, &ctx);
                        products::set_problem_counts(
                            tx,
                            p.id,
                            count(&findings, Severity::Error),
                            count(&findings, Severity::Warning),
                        )?;
                    }
                }
                vitrine_store::app_state::set(
                    tx,
                    RULES_KEY,
                    &vitrine_core::preflight::rules_fingerprint(),
                )
            })
            .map_err(storage)?;
        Ok(ids.len())
    }

    /// Meta's pre-flight findings for every product, in catalog order.
    pub fn check(&self) -> Result<Vec<ProductCheck>, AppError> {
        let ctx = preflight_context(&self.shop()?, self.storefront_url()?);
        let ids = self
            .store
            .read(products::all_ids)
            .map_err(|e| AppError::from_store("checking the catalog", e))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(product) = self
                .store
                .read(|c| products::get(c, id))
                .map_err(|e| AppError::from_store("checking the catalog", e))?
            else {
                continue;
            };
            out.push(ProductCheck {
                id,
                sku: product.draft.sku.to_string(),
                title: product.draft.title.clone(),
                findings: check_product(&product, &ctx),
            });
        }
        Ok(out)
    }

    pub fn collections(&self) -> Result<Vec<(Collection, u64)>, AppError> {
        let (all, counts) = self
            .store
            .read(|c| Ok((collections::list(c)?, collections::product_counts(c)?)))
            .map_err(|e| AppError::from_store("reading collections", e))?;
        Ok(all
            .into_iter()
            .map(|c| {
                let n = counts
                    .iter()
                    .find(|(id, _)| *id == c.id)
                    .map_or(0, |(_, n)| *n);
                (c, n)
            })
            .collect())
    }

    pub fn find_collection(&self, key: &str) -> Result<Collection, AppError> {
        let found = self
            .store
            .read(|c| match uuid::Uuid::parse_str(key.trim()) {
                Ok(uuid) => collections::get(c, CollectionId::from_uuid(uuid)),
                Err(_) => collections::find_by_name(c, key.trim()),
            })
            .map_err(|e| AppError::from_store("reading collections", e))?;
        found.ok_or_else(|| AppError::NotFound(format!("no collection named “{}”", key.trim())))
    }

    pub fn create_collection(&self, name: &str) -> Result<Collection, AppError> {
        let name =
            collection_name(name).map_err(|e| AppError::invalid(InputField::CollectionName, e))?;
        self.store
            .write(|tx| collections::insert(tx, &name))
            .map_err(|e| AppError::from_store("creating the collection", e))
    }

    pub fn rename_collection(&self, key: &str, new_name: &str) -> Result<Collection, AppError> {
        let collection = self.find_collection(key)?;
        let name = collection_name(new_name)
            .map_err(|e| AppError::invalid(InputField::CollectionName, e))?;
        self.store
            .write(|tx| collections::rename(tx, collection.id, &name))
            .map_err(|e| AppError::from_store("renaming the collection", e))?;
        Ok(Collection { name, ..collection })
    }

    /// Deletes a collection; its products stay in the catalog.
    pub fn delete_collection(&self, key: &str) -> Result<Collection, AppError> {
        let collection = self.find_collection(key)?;
        self.store
            .write(|tx| collections::delete(tx, collection.id))
            .map_err(|e| AppError::from_store("deleting the collection", e))?;
        Ok(collection)
    }

    /// Puts products (by SKU or id) into a collection.
    pub fn add_to_collection(
        &self,
        key: &str,
        products_keys: &[String],
    ) -> Result<usize, AppError> {
        let collection = self.find_collection(key)?;
        let change = crate::BulkChange::AddToCollection(collection.name);
        Ok(self.bulk_edit(products_keys, &change)?.changed)
    }

    /// Takes products (by SKU or id) out of a collection.
    pub fn remove_from_collection(
        &self,
        key: &str,
        products_keys: &[String],
    ) -> Result<usize, AppError> {
        let collection = self.find_collection(key)?;
        let change = crate::BulkChange::RemoveFromCollection(collection.name);
        Ok(self.bulk_edit(products_keys, &change)?.changed)
    }
}

/// Carries an input error out of a store transaction closure (which must return a
/// `StoreError`), so the transaction rolls back and the caller gets the original error.
pub(crate) struct Wrapped(pub AppError);

impl From<Wrapped> for vitrine_store::StoreError {
    fn from(w: Wrapped) -> Self {
        vitrine_store::StoreError::Rejected(Box::new(w.0))
    }
}

pub(crate) fn unwrap_app(action: &'static str) -> impl Fn(vitrine_store::StoreError) -> AppError {
    move |e| match e {
        vitrine_store::StoreError::Rejected(inner) => match inner.downcast::<AppError>() {
            Ok(app) => *app,
            Err(other) => AppError::Invalid {
                field: InputField::Input,
                message: other.to_string(),
            },
        },
        other => AppError::from_store(action, other),
    }
}
