//! `vitrine product …`, `vitrine image add|rm|move` and `vitrine check`: the products, their
//! photos and Meta's pre-flight findings, printed one product a block.

use std::process::ExitCode;

use serde_json::json;
use vitrine_app::core::{Finding, Product, Severity};
use vitrine_app::{
    AppError, ImageSource, InputField, NewProduct, ProblemFilter, ProductAdditions, ProductPatch,
    ProductQuery, ProductView, TranslationInput, VariantInput, Vitrine,
};

use crate::args::{ImageCommand, ProductCommand, ProductFields};
use crate::output::{emit, Prices};

/// `--draft` / `--publish`, `None` when neither is given.
fn published(f: &ProductFields) -> Option<bool> {
    match (f.draft, f.publish) {
        (true, _) => Some(false),
        (_, true) => Some(true),
        _ => None,
    }
}

pub fn product(v: &Vitrine, json: bool, cmd: &ProductCommand) -> Result<ExitCode, AppError> {
    match cmd {
        ProductCommand::Add(a) => {
            let f = &a.fields;
            let input = NewProduct {
                sku: a.sku.clone(),
                title: a.title.clone(),
                description: f.description.clone().unwrap_or_default(),
                brand: f.brand.clone().unwrap_or_default(),
                price: a.price.clone(),
                currency: f.currency.clone(),
                sale_price: f.sale_price.clone(),
                sale_window: f.sale_window.clone(),
                availability: f.availability,
                condition: f.condition,
                stock: f.stock,
                link: f.link.clone(),
                collections: f.collections.clone(),
                variant: variant(f)?,
                translations: translations(f)?,
                gtin: f.gtin.clone(),
                published: published(f),
            };
            let view = v.add_product(input)?;
            let prices = Prices::of_shop(v)?;
            emit(json, &view, || describe(v, &view, &prices));
        }
        ProductCommand::Edit(e) => {
            let f = &e.fields;
            let patch = ProductPatch {
                sku: e.sku.clone(),
                title: e.title.clone(),
                description: f.description.clone(),
                brand: f.brand.clone(),
                price: e.price.clone(),
                currency: f.currency.clone(),
                sale_price: f.sale_price.clone(),
                sale_window: f.sale_window.clone(),
                availability: f.availability,
                condition: f.condition,
                stock: if e.no_stock {
                    Some(None)
                } else {
                    f.stock.map(Some)
                },
                link: f.link.clone(),
                collections: e.clear_collections.then(Vec::new),
                variant: if e.no_variant {
                    Some(None)
                } else {
                    variant(f)?.map(Some)
                },
                translations: None,
                gtin: f.gtin.clone(),
                published: published(f),
            };
            let added = ProductAdditions {
                collections: f.collections.clone(),
                translations: translations(f)?,
            };
            let view = v.amend_product(&e.product, patch, added)?;
            let prices = Prices::of_shop(v)?;
            emit(json, &view, || describe(v, &view, &prices));
        }
        ProductCommand::Show { product } => {
            let view = v.product(product)?;
            let prices = Prices::of_shop(v)?;
            emit(json, &view, || describe(v, &view, &prices));
        }
        ProductCommand::List(l) => {
            let page = v.list_products(&ProductQuery {
                search: l.search.clone(),
                collection: l.collection.clone(),
                availability: l.availability,
                problems: l.problems.map(ProblemFilter::from),
                limit: l.limit,
                offset: l.offset,
            })?;
            let prices = Prices::of_shop(v)?;
            emit(json, &page, || {
                if page.items.is_empty() {
                    return if l.search.is_some() {
                        "No product matches.".to_owned()
                    } else {
                        "No products yet. Add one with `vitrine product add` or `vitrine import FILE.csv`.".to_owned()
                    };
                }
                let mut text = String::new();
                for p in &page.items {
                    let price = match &p.sale_price {
                        Some(sale) => {
                            format!("{} (sale {})", prices.text(&p.price), prices.text(sale))
                        }
                        None => prices.text(&p.price),
                    };
                    let stock = p
                        .stock
                        .map(|s| format!(", {s} in stock"))
                        .unwrap_or_default();
                    let problems = match (p.errors, p.warnings) {
                        (0, 0) => String::new(),
                        (e, w) => format!("  [{e} errors, {w} warnings]"),
                    };
                    text.push_str(&format!(
                        "{:<16} {}  {price}  {}{stock}{problems}\n",
                        p.sku, p.title, p.availability
                    ));
                }
                text.push_str(&format!("{} of {} products", page.items.len(), page.total));
                text
            });
        }
        ProductCommand::Rm { product } => {
            let removed = v.remove_product(product)?;
            emit(
                json,
                &json!({ "removed": removed.id, "sku": removed.draft.sku }),
                || format!("Removed {} ({}).", removed.draft.sku, removed.draft.title),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn image(v: &Vitrine, json: bool, cmd: &ImageCommand) -> Result<ExitCode, AppError> {
    let product = match cmd {
        ImageCommand::Add { product, files } => {
            let sources: Vec<ImageSource> = files.iter().map(|f| ImageSource::parse(f)).collect();
            let added = v.add_images(product, &sources)?;
            if !json {
                println!(
                    "Added {} photo(s) to {}.",
                    added.added, added.product.draft.sku
                );
            }
            added.product
        }
        ImageCommand::Rm { product, number } => v.remove_image(product, photo_index(*number)?)?,
        ImageCommand::Move { product, from, to } => {
            v.move_image(product, photo_index(*from)?, photo_index(*to)?)?
        }
        ImageCommand::Retry => return crate::photos::retry(v, json),
    };
    let view = v.product(&product.id.to_string())?;
    let prices = Prices::of_shop(v)?;
    emit(json, &view, || describe(v, &view, &prices));
    Ok(ExitCode::SUCCESS)
}

pub fn check(v: &Vitrine, json: bool, strict: bool) -> Result<ExitCode, AppError> {
    let checks = v.check()?;
    let errors: usize = checks
        .iter()
        .map(|c| {
            c.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count()
        })
        .sum();
    let warnings: usize = checks
        .iter()
        .map(|c| {
            c.findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count()
        })
        .sum();
    let blocked = checks
        .iter()
        .filter(|c| c.findings.iter().any(|f| f.severity == Severity::Error))
        .count();
    emit(
        json,
        &json!({ "products": checks, "errors": errors, "warnings": warnings, "blocked": blocked }),
        || {
            let mut text = String::new();
            for c in checks.iter().filter(|c| !c.findings.is_empty()) {
                text.push_str(&format!("{} — {}\n", c.sku, c.title));
                for f in &c.findings {
                    text.push_str(&format!("  {}\n", finding_line(f)));
                }
            }
            text.push_str(&format!(
                "{} products checked: {blocked} blocked by errors, {errors} errors, {warnings} warnings.",
                checks.len()
            ));
            text
        },
    );
    if strict && errors > 0 {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn photo_index(number: usize) -> Result<usize, AppError> {
    number.checked_sub(1).ok_or(AppError::Invalid {
        field: InputField::Photo,
        message: "photos are numbered from 1".to_owned(),
    })
}

fn pairs(field: InputField, items: &[String]) -> Result<Vec<(String, String)>, AppError> {
    items
        .iter()
        .map(|item| {
            item.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| AppError::Invalid {
                    field,
                    message: format!("“{item}” should be NAME=VALUE"),
                })
        })
        .collect()
}

fn variant(f: &ProductFields) -> Result<Option<VariantInput>, AppError> {
    let attributes = pairs(InputField::Attr, &f.attributes)?;
    match &f.variant_group {
        Some(group_id) => Ok(Some(VariantInput {
            group_id: group_id.clone(),
            attributes,
        })),
        None if attributes.is_empty() => Ok(None),
        None => Err(AppError::Invalid {
            field: InputField::Attr,
            message: "variant attributes need --variant-group".to_owned(),
        }),
    }
}

fn translations(f: &ProductFields) -> Result<Vec<TranslationInput>, AppError> {
    let mut out: Vec<TranslationInput> = Vec::new();
    for (lang, title) in pairs(InputField::TitleIn, &f.titles_in)? {
        out.push(TranslationInput {
            language: lang,
            title,
            description: String::new(),
        });
    }
    for (lang, description) in pairs(InputField::DescriptionIn, &f.descriptions_in)? {
        match out.iter_mut().find(|t| t.language == lang) {
            Some(t) => t.description = description,
            None => out.push(TranslationInput {
                language: lang,
                title: String::new(),
                description,
            }),
        }
    }
    Ok(out)
}

fn finding_line(f: &Finding) -> String {
    let tag = match f.severity {
        Severity::Error => "error  ",
        Severity::Warning => "warning",
    };
    let field = serde_json::to_value(f.field)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("{tag} {field}: {}", f.message)
}

fn describe(v: &Vitrine, view: &ProductView, prices: &Prices) -> String {
    let Product {
        id,
        draft: d,
        images,
        created_at: _,
        updated_at,
    } = &view.product;
    let mut lines = vec![
        format!("{} — {}", d.sku, d.title),
        format!("  id:           {id}"),
        format!("  price:        {}", prices.text(&d.price)),
    ];
    if let Some(sale) = &d.sale {
        let window = sale
            .window
            .as_ref()
            .map(|w| format!(" ({})", w.to_meta_string()))
            .unwrap_or_default();
        lines.push(format!(
            "  sale price:   {}{window}",
            prices.text(&sale.price)
        ));
    }
    lines.push(format!(
        "  availability: {} · condition: {}",
        d.availability, d.condition
    ));
    if let Some(stock) = d.stock {
        lines.push(format!("  stock:        {stock}"));
    }
    if !d.brand.is_empty() {
        lines.push(format!("  brand:        {}", d.brand));
    }
    if let Some(link) = &d.link {
        lines.push(format!("  link:         {link}"));
    }
    if !d.description.is_empty() {
        lines.push(format!(
            "  description:  {}",
            d.description.replace('\n', " ")
        ));
    }
    if !view.collections.is_empty() {
        lines.push(format!(
            "  collections:  {}",
            view.collections
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(variant) = &d.variant {
        let attrs: Vec<String> = variant
            .attributes
            .iter()
            .map(|a| format!("{}={}", a.name, a.value))
            .collect();
        lines.push(format!(
            "  variant:      group {} {}",
            variant.group_id,
            attrs.join(" ")
        ));
    }
    for t in &d.translations {
        lines.push(format!(
            "  [{}] {} — {}",
            t.language, t.title, t.description
        ));
    }
    for (n, image) in images.iter().enumerate() {
        lines.push(format!(
            "  photo {}:      {}×{} {}",
            n + 1,
            image.width,
            image.height,
            v.image_path(&image.hash).display()
        ));
    }
    lines.push(format!(
        "  updated:      {}",
        updated_at.format("%Y-%m-%d %H:%M UTC")
    ));
    for f in &view.findings {
        lines.push(format!("  {}", finding_line(f)));
    }
    lines.join("\n")
}
