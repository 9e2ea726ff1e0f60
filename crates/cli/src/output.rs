//! Runs a parsed command and prints its result as text or JSON.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use serde::Serialize;
use serde_json::json;
use vitrine_app::core::{Finding, Product, Severity};
use vitrine_app::{
    AppError, ExportOptions, FileReading, ImageHosting, ImageSource, ImportFile, ImportOptions,
    NewProduct, ProblemFilter, ProductPatch, ProductQuery, ProductView, ReadChoices, RowResult,
    S3HostingInput, SecretKey, ShopUpdate, TranslationInput, VariantInput, Vitrine,
};

use crate::args::{
    CollectionCommand, Command, ImageCommand, ImportArgs, ProductCommand, ProductFields,
    ShopCommand,
};
use crate::args::{HostingCommand, HostingSet, HostingTarget, MetaCommand, SyncArgs, SyncCommand};
use crate::Cli;

/// Exit status of an import that finished but skipped some rows.
const EXIT_ROWS_SKIPPED: u8 = 2;
/// Exit status of a sync that finished with items Meta does not hold as the catalog has
/// them (refused by Meta, or edited too late for its last run).
const EXIT_NOT_ALL_SYNCED: u8 = 2;

pub fn run(v: &Vitrine, cli: &Cli) -> Result<ExitCode, AppError> {
    let json = cli.json;
    match &cli.command {
        Command::Shop(ShopCommand::Show) => {
            let shop = v.shop()?;
            emit(json, &shop, || {
                let phone = shop
                    .phone
                    .as_ref()
                    .map(|p| p.international())
                    .unwrap_or_else(|| "(not set)".into());
                let langs: Vec<&str> = shop.languages.iter().map(|l| l.as_str()).collect();
                format!(
                    "Name:      {}\nWhatsApp:  {phone}\nCurrency:  {}\nLanguages: {}\nBrand:     {}\nLogo:      {}",
                    or_unset(&shop.name), shop.currency, langs.join(", "), or_unset(&shop.brand),
                    shop.logo.as_ref().map_or("(none)".to_owned(), |h| v.image_path(h).display().to_string())
                )
            });
        }
        Command::Shop(ShopCommand::Set(s)) => {
            let shop = v.update_shop(ShopUpdate {
                name: s.name.clone(),
                phone: s.phone.clone(),
                phone_region: s.region.clone(),
                currency: s.currency.clone(),
                languages: s.languages.clone(),
                brand: s.brand.clone(),
                logo: s.logo.clone(),
            })?;
            emit(json, &shop, || "Shop saved.".to_owned());
        }
        Command::Product(cmd) => return product(v, json, cmd.as_ref()),
        Command::Image(cmd) => {
            let product = match cmd {
                ImageCommand::Add { product, files } => {
                    let sources: Vec<ImageSource> =
                        files.iter().map(|f| ImageSource::parse(f)).collect();
                    let added = v.add_images(product, &sources)?;
                    if !json {
                        println!(
                            "Added {} photo(s) to {}.",
                            added.added, added.product.draft.sku
                        );
                    }
                    added.product
                }
                ImageCommand::Rm { product, number } => {
                    v.remove_image(product, photo_index(*number)?)?
                }
                ImageCommand::Move { product, from, to } => {
                    v.move_image(product, photo_index(*from)?, photo_index(*to)?)?
                }
                ImageCommand::Retry => return crate::photos::retry(v, json),
            };
            let view = v.product(&product.id.to_string())?;
            emit(json, &view, || describe(v, &view));
        }
        Command::Collection(cmd) => collection(v, json, cmd)?,
        Command::Import(args) => return import(v, json, args),
        Command::Export { file, excel } => {
            let summary = v.export_csv_with(file, ExportOptions { excel: *excel })?;
            emit(json, &summary, || {
                format!(
                    "Exported {} products to {}.",
                    summary.products,
                    file.display()
                )
            });
        }
        Command::Check { strict } => {
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
            if *strict && errors > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Backup { file } => {
            let s = v.backup(file)?;
            emit(json, &s, || {
                format!(
                    "Backed up {} products and {} photos to {}.",
                    s.products,
                    s.images,
                    file.display()
                )
            });
        }
        Command::Meta(cmd) => return meta(v, json, cmd),
        Command::Hosting(cmd) => hosting(v, json, cmd)?,
        Command::Sync(args) => return sync(v, json, args),
        Command::Link(cmd) => return crate::share::link(v, json, cmd),
        Command::Qr(args) => return crate::share::qr(v, json, args),
        Command::Poster(args) => return crate::share::poster(v, json, args),
        Command::Labels(args) => return crate::share::labels(v, json, args),
        Command::ShortLink(cmd) => return crate::share::short_link(v, json, cmd),
        Command::Relay(cmd) => return crate::orders::relay(v, json, cmd),
        Command::Orders(cmd) => return crate::orders::orders(v, json, cmd),
        Command::Reply(args) => return crate::orders::reply(v, json, args),
        Command::Storefront(cmd) => return crate::storefront::storefront(v, json, cmd),
        Command::Feed(crate::args::FeedCommand::Export { file }) => {
            let f = v.export_feed(file)?;
            emit(json, &f, || {
                let mut text = format!("Wrote {} products to {}.", f.written, file.display());
                if !f.held.is_empty() {
                    text.push_str(&format!(
                        " Left out {} with errors: {}.",
                        f.held.len(),
                        f.held.join(", ")
                    ));
                }
                text
            });
        }
        Command::Restore { file } => {
            let s = v.restore(file)?;
            emit(json, &s, || {
                let mut text = format!(
                    "Restored {} products and {} photos from {}.",
                    s.products,
                    s.images,
                    file.display()
                );
                // This machine's connections stay; say which of the backup's were set aside.
                for skipped in &s.not_applied {
                    text.push_str(&format!("\nNote: {}.", skipped.message));
                }
                text
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(v: &Vitrine, json: bool, args: &ImportArgs) -> Result<ExitCode, AppError> {
    let file = if args.file.starts_with("https://") || args.file.starts_with("http://") {
        ImportFile::Url(args.file.clone())
    } else {
        ImportFile::Path(args.file.clone().into())
    };
    let choices = ReadChoices {
        encoding: args.encoding,
        delimiter: args.delimiter,
        currency: args.currency.clone(),
    };
    if args.preview {
        let preview = v.preview_import(&file, &choices)?;
        emit(json, &preview, || {
            let mut text = format!(
                "{}, {} products. {}",
                preview.format,
                preview.products,
                describe_reading(&preview.reading)
            );
            for row in &preview.rows {
                text.push_str(&format!(
                    "\n  line {}: {} | {} | {} {} | {} | {} photos",
                    row.line,
                    row.sku.as_deref().unwrap_or("(no SKU)"),
                    row.title.as_deref().unwrap_or("(no title)"),
                    row.price.as_deref().unwrap_or("(no price)"),
                    row.currency.as_deref().unwrap_or(""),
                    row.availability.as_deref().unwrap_or(""),
                    row.photos
                ));
                for note in &row.notes {
                    text.push_str(&format!("\n    note: {note}"));
                }
            }
            for e in &preview.unreadable {
                text.push_str(&format!("\n  line {}: {}", e.line, e.message));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    let options = ImportOptions {
        choices,
        dedupe_skus: args.dedupe_skus,
        ..ImportOptions::default()
    };
    let bar = progress_bar(json, "importing", "rows");
    let report = v.import_file(
        &file,
        &options,
        &mut |p| show_progress(bar.as_ref(), p.done, p.total),
        &AtomicBool::new(false),
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    emit(json, &report, || {
        let mut text = format!(
            "{}: {} added, {} updated, {} unchanged, {} skipped{}",
            report.format,
            report.created,
            report.updated,
            report.unchanged,
            report.errors.len(),
            crate::photos::pending_summary(report.photos_pending.len()),
        );
        if let Some(reading) = &report.reading {
            text.push(' ');
            text.push_str(&describe_reading(reading));
        }
        for row in &report.rows {
            let sku = row
                .sku
                .as_ref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            match &row.result {
                RowResult::Skipped { reason } => {
                    text.push_str(&format!("\n  line {}{sku}: {reason}", row.line));
                }
                RowResult::Collection { name, members } => text.push_str(&format!(
                    "\n  line {}: grouped product, made the collection “{name}” of {members} products",
                    row.line
                )),
                _ => {}
            }
            for note in &row.notes {
                text.push_str(&format!("\n  line {}{sku}: note: {note}", row.line));
            }
        }
        text.push_str(&crate::photos::import_lines(&report.photos_pending));
        text
    });
    if !report.errors.is_empty() {
        return Ok(ExitCode::from(EXIT_ROWS_SKIPPED));
    }
    Ok(ExitCode::SUCCESS)
}

/// How a file was read, and what to pass to read it otherwise.
fn describe_reading(reading: &FileReading) -> String {
    let FileReading {
        encoding,
        encoding_guessed,
        delimiter,
        decimal_comma,
        currency_in_file,
    } = reading;
    let mut text = format!("Read as {encoding}");
    if *encoding_guessed {
        text.push_str(" (guessed: pass --encoding if letters look wrong)");
    }
    if let Some(d) = delimiter {
        text.push_str(&format!(", cells separated by {d}"));
    }
    if *decimal_comma {
        text.push_str(", decimal comma");
    }
    if !currency_in_file {
        text.push_str(", prices in the shop's currency unless --currency is given");
    }
    text.push('.');
    text
}

/// `--draft` / `--publish`, `None` when neither is given.
fn published(f: &ProductFields) -> Option<bool> {
    match (f.draft, f.publish) {
        (true, _) => Some(false),
        (_, true) => Some(true),
        _ => None,
    }
}

fn product(v: &Vitrine, json: bool, cmd: &ProductCommand) -> Result<ExitCode, AppError> {
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
                availability: f.availability.clone(),
                condition: f.condition.clone(),
                stock: f.stock,
                link: f.link.clone(),
                collections: f.collections.clone(),
                variant: variant(f)?,
                translations: translations(f)?,
                gtin: f.gtin.clone(),
                published: published(f),
            };
            let view = v.add_product(input)?;
            emit(json, &view, || describe(v, &view));
        }
        ProductCommand::Edit(e) => {
            let f = &e.fields;
            let mut collections = None;
            if e.clear_collections || !f.collections.is_empty() {
                let mut names = if e.clear_collections {
                    Vec::new()
                } else {
                    current_collection_names(v, &e.product)?
                };
                names.extend(f.collections.iter().cloned());
                collections = Some(names);
            }
            let translations = translations(f)?;
            let patch = ProductPatch {
                sku: e.sku.clone(),
                title: e.title.clone(),
                description: f.description.clone(),
                brand: f.brand.clone(),
                price: e.price.clone(),
                currency: f.currency.clone(),
                sale_price: f.sale_price.clone(),
                sale_window: f.sale_window.clone(),
                availability: f.availability.clone(),
                condition: f.condition.clone(),
                stock: if e.no_stock {
                    Some(None)
                } else {
                    f.stock.map(Some)
                },
                link: f.link.clone(),
                collections,
                variant: if e.no_variant {
                    Some(None)
                } else {
                    variant(f)?.map(Some)
                },
                translations: if translations.is_empty() {
                    None
                } else {
                    Some(merge_translations(v, &e.product, translations)?)
                },
                gtin: f.gtin.clone(),
                published: published(f),
            };
            let view = v.edit_product(&e.product, patch)?;
            emit(json, &view, || describe(v, &view));
        }
        ProductCommand::Show { product } => {
            let view = v.product(product)?;
            emit(json, &view, || describe(v, &view));
        }
        ProductCommand::List(l) => {
            let page = v.list_products(&ProductQuery {
                search: l.search.clone(),
                collection: l.collection.clone(),
                availability: l.availability.clone(),
                problems: match l.problems.as_deref() {
                    Some("errors") => Some(ProblemFilter::Errors),
                    Some(_) => Some(ProblemFilter::Any),
                    None => None,
                },
                limit: l.limit,
                offset: l.offset,
            })?;
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
                        Some(sale) => format!("{} (sale {})", p.price, sale),
                        None => p.price.to_string(),
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

fn collection(v: &Vitrine, json: bool, cmd: &CollectionCommand) -> Result<(), AppError> {
    match cmd {
        CollectionCommand::List => {
            let all = v.collections()?;
            let rows: Vec<_> = all.iter().map(|(c, n)| json!({ "id": c.id, "name": c.name, "position": c.position, "products": n })).collect();
            emit(json, &rows, || {
                if all.is_empty() {
                    return "No collections yet.".to_owned();
                }
                all.iter()
                    .map(|(c, n)| format!("{} ({n} products)", c.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        CollectionCommand::Add { name } => {
            let c = v.create_collection(name)?;
            emit(json, &c, || format!("Collection “{}” created.", c.name));
        }
        CollectionCommand::Rename {
            collection,
            new_name,
        } => {
            let c = v.rename_collection(collection, new_name)?;
            emit(json, &c, || format!("Collection renamed to “{}”.", c.name));
        }
        CollectionCommand::Rm { collection } => {
            let c = v.delete_collection(collection)?;
            emit(json, &c, || {
                format!(
                    "Collection “{}” deleted; its products stay in the catalog.",
                    c.name
                )
            });
        }
        CollectionCommand::Assign {
            collection,
            products,
        } => {
            let n = v.add_to_collection(collection, products)?;
            emit(json, &json!({ "changed": n }), || {
                format!("{n} product(s) added to the collection.")
            });
        }
        CollectionCommand::Unassign {
            collection,
            products,
        } => {
            let n = v.remove_from_collection(collection, products)?;
            emit(json, &json!({ "changed": n }), || {
                format!("{n} product(s) taken out of the collection.")
            });
        }
    }
    Ok(())
}

pub(crate) fn emit<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) {
    if json {
        match serde_json::to_string_pretty(value) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot print JSON ({e})"),
        }
    } else {
        println!("{}", text());
    }
}

fn or_unset(s: &str) -> &str {
    if s.is_empty() {
        "(not set)"
    } else {
        s
    }
}

fn photo_index(number: usize) -> Result<usize, AppError> {
    number.checked_sub(1).ok_or(AppError::Invalid {
        field: "photo",
        message: "photos are numbered from 1".to_owned(),
    })
}

pub(crate) fn show_progress(bar: Option<&indicatif::ProgressBar>, done: u64, total: u64) {
    if let Some(bar) = bar {
        bar.set_length(total);
        bar.set_position(done);
    }
}

/// A progress bar on stderr ("importing [===>  ] 3/10 rows"), when a person watches.
pub(crate) fn progress_bar(json: bool, doing: &str, unit: &str) -> Option<indicatif::ProgressBar> {
    if json || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{spinner}} {doing} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{eta}})"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}

fn pairs(field: &'static str, items: &[String]) -> Result<Vec<(String, String)>, AppError> {
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
    let attributes = pairs("attr", &f.attributes)?;
    match &f.variant_group {
        Some(group_id) => Ok(Some(VariantInput {
            group_id: group_id.clone(),
            attributes,
        })),
        None if attributes.is_empty() => Ok(None),
        None => Err(AppError::Invalid {
            field: "attr",
            message: "variant attributes need --variant-group".to_owned(),
        }),
    }
}

fn translations(f: &ProductFields) -> Result<Vec<TranslationInput>, AppError> {
    let mut out: Vec<TranslationInput> = Vec::new();
    for (lang, title) in pairs("title-in", &f.titles_in)? {
        out.push(TranslationInput {
            language: lang,
            title,
            description: String::new(),
        });
    }
    for (lang, description) in pairs("description-in", &f.descriptions_in)? {
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

/// Edits change only the languages given; the others keep their text.
fn merge_translations(
    v: &Vitrine,
    key: &str,
    given: Vec<TranslationInput>,
) -> Result<Vec<TranslationInput>, AppError> {
    let current = v.find_product(key)?;
    let mut merged: Vec<TranslationInput> = current
        .draft
        .translations
        .iter()
        .map(|t| TranslationInput {
            language: t.language.to_string(),
            title: t.title.clone(),
            description: t.description.clone(),
        })
        .collect();
    for g in given {
        let lang = vitrine_app::core::LanguageTag::parse(&g.language)
            .map(|l| l.to_string())
            .unwrap_or(g.language.clone());
        match merged.iter_mut().find(|t| t.language == lang) {
            Some(t) => {
                if !g.title.is_empty() {
                    t.title = g.title;
                }
                if !g.description.is_empty() {
                    t.description = g.description;
                }
            }
            None => merged.push(g),
        }
    }
    Ok(merged)
}

fn current_collection_names(v: &Vitrine, key: &str) -> Result<Vec<String>, AppError> {
    Ok(v.product(key)?
        .collections
        .into_iter()
        .map(|c| c.name)
        .collect())
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

fn describe(v: &Vitrine, view: &ProductView) -> String {
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
        format!("  price:        {}", d.price),
    ];
    if let Some(sale) = &d.sale {
        let window = sale
            .window
            .as_ref()
            .map(|w| format!(" ({})", w.to_meta_string()))
            .unwrap_or_default();
        lines.push(format!("  sale price:   {}{window}", sale.price));
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

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, AppError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AppError::Invalid {
            field: "runtime",
            message: e.to_string(),
        })
}

fn meta(v: &Vitrine, json: bool, cmd: &MetaCommand) -> Result<ExitCode, AppError> {
    use vitrine_app::meta::GraphApi;
    match cmd {
        MetaCommand::Connect {
            catalog,
            waba,
            phone_number_id,
            token_stdin,
        } => {
            let token = if *token_stdin {
                Some(stdin_secret("token", vitrine_app::meta::AccessToken::new)?)
            } else {
                None
            };
            let c = v.connect_meta(
                catalog,
                waba.as_deref(),
                phone_number_id.as_deref(),
                token.as_ref(),
            )?;
            emit(json, &c, || {
                format!(
                    "Connected to catalog {} (token: {}). Check it with: vitrine meta test",
                    c.catalog_id,
                    token_words(c.token)
                )
            });
        }
        MetaCommand::Test => {
            let (client, connection) = v.meta_client()?;
            let check = runtime()?.block_on(v.test_connection(&client, &connection))?;
            emit(json, &check, || {
                let mut text = format!(
                    "OK: catalog “{}” ({}), {} items at Meta.",
                    check.catalog.name.clone().unwrap_or_default(),
                    check.catalog.id,
                    check.catalog.product_count.unwrap_or(0)
                );
                if let Some(c) = &check.commerce {
                    text.push_str(&format!(
                        "\nWhatsApp: catalog {}, cart {}.",
                        on_off(c.is_catalog_visible, "visible", "hidden"),
                        on_off(c.is_cart_enabled, "enabled", "disabled")
                    ));
                }
                for w in &check.warnings {
                    text.push_str(&format!("\nwarning: {w}"));
                }
                text
            });
        }
        MetaCommand::Settings {
            catalog_visible,
            cart,
        } => {
            let (client, connection) = v.meta_client()?;
            let phone = connection
                .phone_number_id
                .clone()
                .ok_or(AppError::Invalid {
                    field: "phone number id",
                    message: "connect again with --phone-number-id to manage WhatsApp settings"
                        .to_owned(),
                })?;
            let rt = runtime()?;
            if catalog_visible.is_some() || cart.is_some() {
                let flag = |o: &Option<String>| o.as_deref().map(|x| x == "on");
                rt.block_on(client.set_commerce_settings(
                    &phone,
                    flag(cart),
                    flag(catalog_visible),
                ))?;
            }
            let settings = rt.block_on(client.commerce_settings(&phone))?.value;
            emit(json, &settings, || {
                let mut text = format!(
                    "Catalog {}, cart {}.",
                    on_off(settings.is_catalog_visible, "visible", "hidden"),
                    on_off(settings.is_cart_enabled, "enabled", "disabled")
                );
                if !settings.is_catalog_visible {
                    text.push_str("\nwarning: a hidden catalog breaks wa.me/c/ links; turn it on with --catalog-visible on");
                }
                text
            });
        }
        MetaCommand::Pull => {
            let (client, connection) = v.meta_client()?;
            let items = runtime()?.block_on(v.pull_meta(&client, &connection.catalog_id))?;
            emit(json, &items, || {
                let count = |s: &str| items.iter().filter(|i| i.review_status == s).count();
                let mut text = format!(
                    "{} items at Meta: {} approved, {} pending review, {} rejected; {} not in Vitrine (orphans).",
                    items.len(), count("approved"), count("pending"), count("rejected"), items.iter().filter(|i| !i.in_vitrine).count()
                );
                for i in items
                    .iter()
                    .filter(|i| i.review_status == "rejected" || !i.errors.is_empty())
                {
                    let why: Vec<String> = i
                        .errors
                        .iter()
                        .map(|e| {
                            format!(
                                "{} {}",
                                e.description.clone().unwrap_or_default(),
                                e.call_to_action.clone().unwrap_or_default()
                            )
                        })
                        .collect();
                    text.push_str(&format!(
                        "\n  {} ({}): {}",
                        i.retailer_id,
                        i.review_status,
                        why.join(" ").trim()
                    ));
                }
                text
            });
        }
        MetaCommand::Orphans { delete } => {
            let (client, connection) = v.meta_client()?;
            let rt = runtime()?;
            let orphans: Vec<String> = rt
                .block_on(v.pull_meta(&client, &connection.catalog_id))?
                .into_iter()
                .filter(|i| !i.in_vitrine)
                .map(|i| i.retailer_id)
                .collect();
            if *delete {
                let removed =
                    rt.block_on(v.delete_orphans(&client, &connection.catalog_id, &orphans))?;
                emit(
                    json,
                    &json!({ "orphans": orphans, "deleted": removed }),
                    || format!("Deleted {removed} of {} orphan(s) at Meta.", orphans.len()),
                );
            } else {
                emit(json, &json!({ "orphans": orphans }), || {
                    if orphans.is_empty() {
                        "No orphans: every item at Meta is in Vitrine.".to_owned()
                    } else {
                        format!("{} item(s) at Meta are not in Vitrine: {}\nDelete them with: vitrine meta orphans --delete", orphans.len(), orphans.join(", "))
                    }
                });
            }
        }
        MetaCommand::Import => {
            let (client, connection) = v.meta_client()?;
            let bar = progress_bar(json, "importing", "rows");
            let report = runtime()?.block_on(v.import_from_meta(
                &client,
                &connection.catalog_id,
                &mut |p| show_progress(bar.as_ref(), p.done, p.total),
            ))?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            emit(json, &report, || {
                let mut text = format!(
                    "Imported {} product(s) from Meta; {} already in Vitrine; {} skipped.",
                    report.imported,
                    report.already_in_vitrine,
                    report.skipped.len()
                );
                for i in &report.skipped {
                    text.push_str(&format!("\n  skipped {}: {}", i.retailer_id, i.message));
                }
                for i in &report.photos_missing {
                    text.push_str(&format!("\n  {}: {}", i.retailer_id, i.message));
                }
                text
            });
            if !report.skipped.is_empty() {
                return Ok(ExitCode::from(EXIT_ROWS_SKIPPED));
            }
        }
        MetaCommand::Disconnect => {
            v.forget_meta_token()?;
            emit(json, &json!({ "tokenForgotten": true }), || {
                "The access token was removed from the keychain.".to_owned()
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads one secret line from standard input (a secret never goes in an argument, where
/// other users and the shell history could see it).
fn stdin_secret<T>(field: &'static str, wrap: fn(String) -> Option<T>) -> Result<T, AppError> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| AppError::Invalid {
            field,
            message: e.to_string(),
        })?;
    wrap(line).ok_or(AppError::Invalid {
        field,
        message: "standard input was empty".to_owned(),
    })
}

fn hosting(v: &Vitrine, json: bool, cmd: &HostingCommand) -> Result<(), AppError> {
    match cmd {
        HostingCommand::Set(HostingSet {
            target: Some(HostingTarget::S3(s3)),
            ..
        }) => {
            let secret = if s3.secret_key_stdin {
                Some(stdin_secret("secret access key", SecretKey::new)?)
            } else {
                None
            };
            let h = v.set_s3_hosting(
                &S3HostingInput {
                    public_base_url: s3.public_url.clone(),
                    endpoint: s3.endpoint.clone(),
                    region: s3.region.clone(),
                    bucket: s3.bucket.clone(),
                    prefix: s3.prefix.clone(),
                    access_key_id: s3.access_key_id.clone(),
                },
                secret.as_ref(),
            )?;
            let secret_key = Some(v.bucket_secret_source());
            let shown = HostingShown {
                hosting: &h,
                secret_key,
            };
            emit(json, &shown, || {
                format!(
                    "Photos will be uploaded to {}.\nSecret access key: {}.",
                    describe_hosting(&h),
                    secret_key.map_or_else(String::new, secret_key_words)
                )
            });
        }
        HostingCommand::Set(HostingSet {
            target: None,
            public_url,
            folder,
        }) => {
            let h =
                v.set_image_hosting(public_url.as_deref().unwrap_or_default(), folder.clone())?;
            emit(json, &h, || {
                format!("Photos will be published to {}.", describe_hosting(&h))
            });
        }
        HostingCommand::Show => {
            let h = v.image_hosting()?;
            let secret_key = h
                .as_ref()
                .and_then(|h| h.bucket.as_ref())
                .map(|_| v.bucket_secret_source());
            let shown = h.as_ref().map(|hosting| HostingShown {
                hosting,
                secret_key,
            });
            emit(json, &shown, || {
                match &h {
                Some(h) => hosting_lines(h, secret_key),
                None => "Not set. Use: vitrine hosting set --public-url https://… [--folder DIR], or vitrine hosting set s3 …".to_owned(),
            }
            });
        }
        HostingCommand::Publish => {
            let report = runtime()?.block_on(v.publish_images())?;
            emit(json, &report, || {
                format!(
                    "Published {} photo(s); {} were already there.",
                    report.uploaded, report.already_present
                )
            });
        }
    }
    Ok(())
}

/// The photo hosting as `hosting set|show` print it: with where the bucket's secret access
/// key comes from (never the key).
#[derive(Serialize)]
struct HostingShown<'a> {
    #[serde(flatten)]
    hosting: &'a ImageHosting,
    secret_key: Option<vitrine_app::TokenSource>,
}

/// `hosting show`'s text: one setting a line.
fn hosting_lines(h: &ImageHosting, secret_key: Option<vitrine_app::TokenSource>) -> String {
    let mut lines = vec![format!("Public URL: {}", h.public_base_url)];
    match (&h.bucket, &h.folder) {
        (Some(b), _) => {
            lines.push(format!("Bucket:     {}", b.bucket));
            lines.push(format!("Region:     {}", b.region));
            lines.push(format!(
                "Endpoint:   {}",
                b.endpoint.as_deref().unwrap_or("(AWS S3)")
            ));
            lines.push(format!(
                "Prefix:     {}",
                b.prefix.as_deref().unwrap_or("(none)")
            ));
            lines.push(format!("Access key: {}", b.access_key_id));
            lines.push(format!(
                "Secret key: {}",
                secret_key.map_or_else(String::new, secret_key_words)
            ));
        }
        (None, Some(folder)) => lines.push(format!("Folder:     {}", folder.display())),
        (None, None) => lines.push("Folder:     (none: you upload the files yourself)".to_owned()),
    }
    lines.join("\n")
}

/// Where photos go, in a few words.
fn describe_hosting(h: &ImageHosting) -> String {
    match (&h.bucket, &h.folder) {
        (Some(b), _) => format!(
            "bucket {}{} and fetched by Meta from {}",
            b.bucket,
            b.prefix
                .as_ref()
                .map(|p| format!(" (under {p}/)"))
                .unwrap_or_default(),
            h.public_base_url
        ),
        (None, Some(f)) => format!("{} (copied into {})", h.public_base_url, f.display()),
        (None, None) => h.public_base_url.clone(),
    }
}

fn on_off(value: bool, on: &'static str, off: &'static str) -> &'static str {
    if value {
        on
    } else {
        off
    }
}

/// Where a secret comes from, in words; `env` is its environment variable and `again` how to
/// save one.
fn secret_words(source: vitrine_app::TokenSource, env: &str, again: &str) -> String {
    match source {
        vitrine_app::TokenSource::Environment => format!("from {env}"),
        vitrine_app::TokenSource::Keychain => "saved in the system keychain".to_owned(),
        vitrine_app::TokenSource::Missing => format!("missing: {again}, or set {env}"),
    }
}

fn token_words(source: vitrine_app::TokenSource) -> String {
    secret_words(
        source,
        vitrine_app::TOKEN_ENV,
        "connect again with --token-stdin",
    )
}

fn secret_key_words(source: vitrine_app::TokenSource) -> String {
    secret_words(
        source,
        vitrine_app::S3_SECRET_ENV,
        "set the hosting again with --secret-key-stdin",
    )
}

fn sync(v: &Vitrine, json: bool, args: &SyncArgs) -> Result<ExitCode, AppError> {
    if let Some(SyncCommand::Status) = args.command {
        let status = v.sync_status()?;
        emit(json, &status, || {
            let mut text = format!(
                "{} items at Meta. Next sync: {} to create, {} to update, {} to delete.{}",
                status.at_meta,
                status.to_create,
                status.to_update,
                status.to_delete,
                if status.unfinished {
                    " A sync was interrupted; the next one resumes it."
                } else {
                    ""
                }
            );
            for h in &status.held {
                text.push_str(&format!(
                    "\n  held   {}: {}",
                    h.retailer_id,
                    h.errors
                        .iter()
                        .map(|e| e.message.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            for r in &status.rejected {
                text.push_str(&format!(
                    "\n  refused by Meta {}: {}",
                    r.retailer_id, r.message
                ));
            }
            for w in &status.warnings {
                text.push_str(&format!(
                    "\n  synced with Meta's warning {}: {}",
                    w.retailer_id, w.message
                ));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        let plan = v.sync_plan()?;
        emit(json, &plan, || {
            use vitrine_app::core::sync_plan::Action;
            let mut text = format!(
                "Would send {} item(s): {} to create, {} to update, {} to delete; {} unchanged; {} held back by errors.",
                plan.items.len(), plan.count(Action::Create), plan.count(Action::Update), plan.count(Action::Delete), plan.unchanged, plan.held.len()
            );
            for i in plan.items.iter().take(50) {
                let fields: Vec<&str> = i
                    .data
                    .keys()
                    .map(String::as_str)
                    .filter(|k| *k != "id")
                    .collect();
                let action = format!("{:?}", i.action).to_lowercase();
                text.push_str(&format!(
                    "\n  {action} {} {}",
                    i.retailer_id,
                    fields.join(",")
                ));
            }
            text
        });
        return Ok(ExitCode::SUCCESS);
    }
    let (client, connection) = v.meta_client()?;
    let quiet = json || !std::io::stderr().is_terminal();
    let report = runtime()?.block_on(v.sync(
        &client,
        &connection.catalog_id,
        &vitrine_app::SyncOptions {
            batch_size: args.batch_size as usize,
            ..vitrine_app::SyncOptions::default()
        },
        &mut |p| {
            if !quiet {
                eprintln!("{p}");
            }
        },
    ))?;
    emit(json, &report, || {
        let mut text = String::new();
        if report.resumed {
            text.push_str(&format!(
                "Finished an interrupted sync ({} item(s)), then sent {} change(s) made since.\n",
                report.resumed_items,
                report.items_sent() - report.resumed_items
            ));
        }
        text.push_str(&format!(
            "{}: {} created, {} updated, {} deleted, {} unchanged; {} held back, {} refused by Meta.",
            if report.complete() { "Synced" } else { "Not all synced" },
            report.created, report.updated, report.deleted, report.unchanged, report.held.len(), report.rejected.len()
        ));
        for r in &report.rejected {
            text.push_str(&format!("\n  refused {}: {}", r.retailer_id, r.message));
        }
        for w in &report.warnings {
            text.push_str(&format!("\n  warning {}: {}", w.retailer_id, w.message));
        }
        for h in &report.held {
            text.push_str(&format!(
                "\n  held {}: fix {} error(s) first (vitrine product show {})",
                h.retailer_id,
                h.errors.len(),
                h.retailer_id
            ));
        }
        if !report.complete() {
            text.push_str(&format!(
                "\n{} item(s) are not at Meta as they are here: fix what Meta refused and sync again (vitrine sync status).",
                report.left_to_send
            ));
        }
        text
    });
    if !report.complete() {
        return Ok(ExitCode::from(EXIT_NOT_ALL_SYNCED));
    }
    Ok(ExitCode::SUCCESS)
}
