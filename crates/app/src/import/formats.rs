//! Reading the three supported CSV layouts into [`RowData`].

use std::collections::HashMap;

use serde::Serialize;

use super::html::to_plain_text;
use super::{RowData, RowError};
use crate::input::{ProductPatch, TranslationInput, VariantInput};
use crate::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ImportFormat {
    /// Meta's catalog feed columns (and Vitrine's own export).
    Meta,
    Shopify,
    WooCommerce,
    /// A folder of photos, one product each.
    PhotoFolder,
}

impl std::fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Meta => "Meta catalog feed",
            Self::Shopify => "Shopify product export",
            Self::WooCommerce => "WooCommerce product export",
            Self::PhotoFolder => "folder of photos",
        })
    }
}

pub(crate) struct Parsed {
    pub format: ImportFormat,
    pub rows: Vec<RowData>,
    pub errors: Vec<RowError>,
}

/// A CSV record with its header, looked up by case-insensitive column name.
struct Record<'a> {
    line: u64,
    columns: &'a HashMap<String, usize>,
    fields: csv::StringRecord,
    /// Undo the `'` a Vitrine export puts before a formula's first character.
    unquote: bool,
}

impl Record<'_> {
    fn has(&self, name: &str) -> bool {
        self.columns.contains_key(name)
    }
    /// The cell's trimmed text, `None` when the column does not exist.
    fn get(&self, name: &str) -> Option<String> {
        self.columns.get(name).map(|&i| {
            let cell = self.fields.get(i).unwrap_or("").trim();
            if self.unquote {
                unquoted(cell).to_owned()
            } else {
                cell.to_owned()
            }
        })
    }
    /// The cell's text, `None` when the column is missing or the cell is empty.
    fn value(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty())
    }
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if first_line.contains(&b'\t') && !first_line.contains(&b',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| AppError::invalid("csv", format!("the header line cannot be read ({e})")))?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let has = |c: &str| columns.contains_key(c);
    let format = if has("handle") && (has("variant price") || has("body (html)")) {
        ImportFormat::Shopify
    } else if has("regular price") && (has("sku") || has("name")) {
        ImportFormat::WooCommerce
    } else if has("id") && has("title") {
        ImportFormat::Meta
    } else {
        return Err(AppError::invalid(
            "csv",
            "the header is not one Vitrine knows: expected Meta's feed columns (id,title,description,availability,condition,price,link,image_link,brand), a Shopify product export or a WooCommerce product export",
        ));
    };
    let expected = headers.len();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if record.len() != expected {
                    errors.push(RowError {
                        line,
                        sku: None,
                        message: format!("the row has {} columns but the header has {expected}; check for a missing or extra comma or an unclosed quote", record.len()),
                    });
                    continue;
                }
                records.push(Record {
                    line,
                    columns: &columns,
                    fields: record.clone(),
                    unquote: format == ImportFormat::Meta,
                });
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                errors.push(RowError {
                    line,
                    sku: None,
                    message: format!("the row cannot be read ({})", describe_csv_error(&e)),
                });
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    let rows = match format {
        ImportFormat::Meta => records.iter().map(meta_row).collect(),
        ImportFormat::Shopify => shopify_rows(&records),
        ImportFormat::WooCommerce => woo_rows(&records),
        ImportFormat::PhotoFolder => Vec::new(),
    };
    Ok(Parsed {
        format,
        rows,
        errors,
    })
}

/// A cell of a Meta-format file without the `'` Vitrine's export adds before a formula's
/// first character or before a `'`: only a `'` followed by one of those is taken for
/// Vitrine's (a cell starting so is not safe in a spreadsheet without it, or is an escaped
/// `'`). Any other `'` is text, as in `'90s style`.
fn unquoted(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(super::export::FORMULA_STARTS) || rest.starts_with('\'') => {
            rest
        }
        _ => cell,
    }
}

fn describe_csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "it is not UTF-8 text; save the file as CSV UTF-8".to_owned()
        }
        other => format!("{other:?}"),
    }
}

/// Splits an image list cell: Meta allows `,` `;` `|` (and spaces between URLs).
fn split_images(cell: &str) -> Vec<String> {
    cell.split([',', ';', '|'])
        .flat_map(|part| {
            let part = part.trim();
            if part.matches("://").count() > 1 {
                part.split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            } else {
                vec![part.to_owned()]
            }
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// `"12.99 BRL"` → (`"12.99"`, `Some("BRL")`); `"12.99"` → (`"12.99"`, `None`).
fn split_price(cell: &str) -> (String, Option<String>) {
    let t = cell.trim();
    match t.rsplit_once(' ') {
        Some((amount, code))
            if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            (amount.trim().to_owned(), Some(code.to_owned()))
        }
        _ => (t.to_owned(), None),
    }
}

fn parse_stock(cell: Option<String>) -> Result<Option<Option<u32>>, String> {
    match cell {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(Some(None)),
        Some(text) => {
            let whole = text.split('.').next().unwrap_or(&text);
            let n: i64 = whole
                .parse()
                .map_err(|_| format!("the stock “{text}” is not a whole number"))?;
            Ok(Some(Some(n.max(0) as u32)))
        }
    }
}

const META_VARIANT_COLUMNS: [&str; 4] = ["size", "color", "material", "pattern"];

fn meta_row(r: &Record<'_>) -> RowData {
    let mut patch = ProductPatch {
        sku: r.get("id"),
        title: r.get("title"),
        description: r.get("description"),
        brand: r.get("brand"),
        ..Default::default()
    };
    if let Some(price) = r.value("price") {
        let (amount, currency) = split_price(&price);
        patch.price = Some(amount);
        patch.currency = currency;
    }
    if r.has("sale_price") {
        patch.sale_price = Some(
            r.get("sale_price")
                .map(|s| split_price(&s).0)
                .unwrap_or_default(),
        );
    }
    patch.sale_window = r.get("sale_price_effective_date");
    patch.availability = r.value("availability");
    patch.condition = r.value("condition");
    patch.link = r.get("link");
    let stock_cell = r
        .get("quantity_to_sell_on_facebook")
        .or_else(|| r.get("inventory"));
    let mut row = RowData {
        line: r.line,
        ..Default::default()
    };
    match parse_stock(stock_cell) {
        Ok(stock) => patch.stock = stock,
        Err(message) => row.problem = Some(message),
    }
    if r.has("item_group_id") {
        patch.variant = Some(r.value("item_group_id").map(|group_id| {
            let mut attributes: Vec<(String, String)> = META_VARIANT_COLUMNS
                .iter()
                .filter_map(|c| r.value(c).map(|v| (c.to_string(), v)))
                .collect();
            if let Some(extra) = r.value("additional_variant_attribute") {
                attributes.extend(
                    extra
                        .split(',')
                        .filter_map(|pair| pair.split_once(':'))
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())),
                );
            }
            VariantInput {
                group_id,
                attributes,
            }
        }));
    }
    if r.has("collections") {
        patch.collections = Some(
            r.get("collections")
                .unwrap_or_default()
                .split(';')
                .map(|c| c.trim().to_owned())
                .filter(|c| !c.is_empty())
                .collect(),
        );
    }
    let mut translations = Vec::new();
    let mut languages: Vec<&str> = r
        .columns
        .keys()
        .filter_map(|k| k.strip_prefix("title[").and_then(|l| l.strip_suffix(']')))
        .collect();
    languages.sort_unstable();
    for lang in &languages {
        let title = r.get(&format!("title[{lang}]")).unwrap_or_default();
        let description = r.get(&format!("description[{lang}]")).unwrap_or_default();
        if !title.is_empty() || !description.is_empty() {
            translations.push(TranslationInput {
                language: lang.to_string(),
                title,
                description,
            });
        }
    }
    if !languages.is_empty() {
        patch.translations = Some(translations);
    }
    if r.has("image_link") || r.has("additional_image_link") {
        let mut images = r
            .value("image_link")
            .map(|c| split_images(&c))
            .unwrap_or_default();
        images.extend(
            r.value("additional_image_link")
                .map(|c| split_images(&c))
                .unwrap_or_default(),
        );
        row.images = Some(images);
    }
    row.patch = patch;
    row
}

fn shopify_rows(records: &[Record<'_>]) -> Vec<RowData> {
    // Rows are grouped by Handle: the first row holds the product fields, later rows
    // add variants (with a price) or only extra images.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Record<'_>>> = HashMap::new();
    for r in records {
        let handle = r.get("handle").unwrap_or_default();
        if !groups.contains_key(&handle) {
            order.push(handle.clone());
        }
        groups.entry(handle).or_default().push(r);
    }
    let mut rows = Vec::new();
    for handle in order {
        let group = &groups[&handle];
        let head = group[0];
        let mut images: Vec<(i64, String)> = group
            .iter()
            .filter_map(|r| {
                r.value("image src").map(|src| {
                    (
                        r.value("image position")
                            .and_then(|p| p.parse().ok())
                            .unwrap_or(i64::MAX),
                        src,
                    )
                })
            })
            .collect();
        images.sort_by_key(|(p, _)| *p);
        let images: Vec<String> = images.into_iter().map(|(_, s)| s).collect();
        let variants: Vec<&&Record<'_>> = group
            .iter()
            .filter(|r| r.value("variant price").is_some() || r.value("variant sku").is_some())
            .collect();
        let option_names: Vec<Option<String>> = (1..=3)
            .map(|i| head.value(&format!("option{i} name")))
            .collect();
        let many = variants.len() > 1;
        for (n, v) in variants.iter().enumerate() {
            let sku = v.value("variant sku").unwrap_or_else(|| {
                if many {
                    format!("{handle}-{}", n + 1)
                } else {
                    handle.clone()
                }
            });
            let (price, sale) = match (
                v.value("variant price"),
                v.value("variant compare at price"),
            ) {
                (Some(p), Some(c)) if c.parse::<f64>().ok() > p.parse::<f64>().ok() => {
                    (Some(c), Some(p))
                }
                (p, _) => (p, None),
            };
            let attributes: Vec<(String, String)> = option_names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    let name = name.clone()?;
                    let value = v.value(&format!("option{} value", i + 1))?;
                    (name != "Title" && value != "Default Title").then_some((name, value))
                })
                .collect();
            let stock = v
                .value("variant inventory qty")
                .and_then(|q| q.split('.').next().and_then(|w| w.parse::<i64>().ok()))
                .map(|q| q.max(0) as u32);
            let mut variant_images = Vec::new();
            if let Some(img) = v.value("variant image") {
                variant_images.push(img);
            }
            for img in &images {
                if !variant_images.contains(img) {
                    variant_images.push(img.clone());
                }
            }
            let patch = ProductPatch {
                sku: Some(sku),
                title: head.get("title"),
                description: head.get("body (html)").map(|h| to_plain_text(&h)),
                brand: head.get("vendor"),
                price,
                sale_price: Some(sale.unwrap_or_default()),
                availability: Some(
                    if stock == Some(0) {
                        "out of stock"
                    } else {
                        "in stock"
                    }
                    .to_owned(),
                ),
                stock: Some(stock),
                collections: head.value("type").map(|t| vec![t]),
                variant: Some((many || !attributes.is_empty()).then(|| VariantInput {
                    group_id: handle.clone(),
                    attributes,
                })),
                ..Default::default()
            };
            rows.push(RowData {
                line: v.line,
                patch,
                images: Some(variant_images),
                problem: None,
            });
        }
    }
    rows
}

fn woo_rows(records: &[Record<'_>]) -> Vec<RowData> {
    let parents: HashMap<String, &Record<'_>> = records
        .iter()
        .filter(|r| r.value("type").is_some_and(|t| t.contains("variable")))
        .flat_map(|r| {
            let mut keys = Vec::new();
            if let Some(id) = r.value("id") {
                keys.push((format!("id:{id}"), r));
            }
            if let Some(sku) = r.value("sku") {
                keys.push((sku, r));
            }
            keys
        })
        .collect();
    let mut rows = Vec::new();
    for r in records {
        let kind = r.value("type").unwrap_or_else(|| "simple".to_owned());
        if kind.contains("variable") {
            continue;
        }
        let parent = r.value("parent").and_then(|p| parents.get(&p).copied());
        let inherit = |name: &str| r.value(name).or_else(|| parent.and_then(|p| p.value(name)));
        let description = inherit("description")
            .or_else(|| inherit("short description"))
            .map(|h| to_plain_text(&h));
        let mut attributes = Vec::new();
        for i in 1..=4 {
            if let (Some(name), Some(value)) = (
                r.value(&format!("attribute {i} name")),
                r.value(&format!("attribute {i} value(s)")),
            ) {
                attributes.push((
                    name,
                    value
                        .split(',')
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                ));
            }
        }
        let group_id = parent.and_then(|p| p.value("sku").or_else(|| p.value("id")));
        let stock = r
            .value("stock")
            .and_then(|q| q.split('.').next().and_then(|w| w.parse::<i64>().ok()))
            .map(|q| q.max(0) as u32);
        let in_stock = r.value("in stock?").map(|v| v != "0");
        let availability = match (in_stock, stock) {
            (Some(false), _) | (_, Some(0)) => "out of stock",
            _ => "in stock",
        };
        let patch = ProductPatch {
            sku: r
                .value("sku")
                .or_else(|| r.value("id").map(|id| format!("woo-{id}"))),
            title: r.get("name"),
            description: Some(description.unwrap_or_default()),
            brand: inherit("brands")
                .map(|b| b.split(',').next().unwrap_or_default().trim().to_owned()),
            price: r.value("regular price").or_else(|| r.value("sale price")),
            sale_price: Some(if r.value("regular price").is_some() {
                r.value("sale price").unwrap_or_default()
            } else {
                String::new()
            }),
            availability: Some(availability.to_owned()),
            stock: Some(stock),
            collections: inherit("categories").map(|c| {
                c.split(',')
                    .map(|part| part.rsplit('>').next().unwrap_or(part).trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            }),
            variant: Some(group_id.map(|group_id| VariantInput {
                group_id,
                attributes,
            })),
            ..Default::default()
        };
        let images = inherit("images").map(|c| {
            c.split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        });
        rows.push(RowData {
            line: r.line,
            patch,
            images: Some(images.unwrap_or_default()),
            problem: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::import::spreadsheet_text;

    const META: &str = "id,title,description,availability,condition,price,link,image_link,brand,additional_image_link,sale_price,item_group_id,size,color,quantity_to_sell_on_facebook,collections,title[pt-BR],description[pt-BR]";
    const SHOPIFY: &str = "Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Compare At Price,Variant Inventory Qty,Image Src,Image Position,Variant Image";
    const WOO: &str = "ID,Type,SKU,Name,Description,Short description,In stock?,Stock,Sale price,Regular price,Categories,Images,Parent,Brands,Attribute 1 name,Attribute 1 value(s)";

    /// A CSV file of `header` and `rows`, written as a spreadsheet would quote them.
    fn csv_file(header: &str, rows: &[Vec<String>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(header.split(',')).expect("header");
        for r in rows {
            w.write_record(r).expect("row");
        }
        w.into_inner().expect("bytes")
    }

    /// Cells as found in real files: text, numbers, prices, empties, quotes and separators.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "\\PC{0,12}",
            "[0-9]{1,6}(\\.[0-9]{1,3})?( [A-Z]{3})?",
            "(in stock|out of stock|new|used|simple|variable|variation|1|0)",
            "[=+@'\\-\\t ;,|>:]{0,4}[a-z]{0,5}",
            Just(String::new()),
        ]
    }

    /// Text Meta accepts in a title or SKU: no control characters, no surrounding spaces.
    fn meta_text(max: usize) -> impl Strategy<Value = String> {
        (
            "[=+@'\\-]{0,2}",
            proptest::collection::vec("[^\\p{C}]", 1..max),
        )
            .prop_map(|(start, rest)| format!("{start}{}", rest.concat()).trim().to_owned())
            .prop_filter("not empty", |t| !t.is_empty())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn arbitrary_rows_of_each_format_are_imported_or_reported_never_panic(
            header in prop_oneof![Just(META), Just(SHOPIFY), Just(WOO)],
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..20), 0..8),
        ) {
            let bytes = csv_file(header, &rows);
            let parsed = parse(&bytes).expect("a known header is read");
            let lines = rows.len() as u64 + 1;
            for line in parsed.rows.iter().map(|r| r.line).chain(parsed.errors.iter().map(|e| e.line)) {
                prop_assert!((2..=lines).contains(&line), "line {} of {}", line, lines);
            }
        }

        #[test]
        fn exported_titles_descriptions_and_skus_read_back_as_they_were(
            sku in meta_text(30).prop_filter("no spaces in a SKU", |s| !s.contains(char::is_whitespace)),
            title in meta_text(40),
            description in prop_oneof![meta_text(80), "[=+@'\\-]?[a-z]{1,5}\n[=+@'\\-]?[a-z ]{0,9}[a-z]"],
        ) {
            let row = [sku.clone(), title.clone(), description.clone()].map(spreadsheet_text);
            let mut cells: Vec<String> = vec![String::new(); META.split(',').count()];
            cells[..3].clone_from_slice(&row);
            let parsed = parse(&csv_file(META, &[cells])).expect("read");
            prop_assert_eq!(parsed.rows.len(), 1, "{:?}", parsed.errors);
            let patch = &parsed.rows[0].patch;
            prop_assert_eq!(patch.sku.as_deref(), Some(sku.as_str()));
            prop_assert_eq!(patch.title.as_deref(), Some(title.as_str()));
            prop_assert_eq!(patch.description.as_deref(), Some(description.as_str()));
        }
    }

    #[test]
    fn only_the_quote_vitrine_adds_is_removed() {
        assert_eq!(unquoted("'=1+1"), "=1+1");
        assert_eq!(unquoted("''=1"), "'=1");
        assert_eq!(
            unquoted("'90s style"),
            "'90s style",
            "an apostrophe of the text stays"
        );
        assert_eq!(unquoted("=1+1"), "=1+1");
    }
}
