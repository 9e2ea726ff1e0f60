//! Reading an import file into [`RowData`]: which text encoding and delimiter it was
//! written with, which layout it has (Meta's feed columns, a Shopify or WooCommerce export,
//! an RSS or Atom product feed), and each row's product.
//!
//! Amounts are read as the file writes them: in a `;`-separated file (Excel in pt-BR, es,
//! fr, id) the comma is the decimal mark (`89,90`, `1.234,56`); elsewhere the point is,
//! and a comma before three digits groups thousands (`1,234.50`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::feed_xml::{self, FeedKind};
use super::html::to_plain_text;
use super::lines::LineCounter;
use super::text::{decode, TextEncoding};
use super::{RowData, RowError};
use crate::input::{ProductPatch, TranslationInput, VariantInput};
use crate::{AppError, InputField};
use vitrine_core::{Availability, Condition};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ImportFormat {
    /// Meta's catalog feed columns (and Vitrine's own export).
    Meta,
    Shopify,
    WooCommerce,
    /// An RSS 2.0 product feed with `g:` fields (Google Merchant, Meta).
    RssFeed,
    /// An Atom product feed with `g:` fields.
    AtomFeed,
    /// A folder of photos, one product each.
    PhotoFolder,
}

impl std::fmt::Display for ImportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Meta => "Meta catalog feed",
            Self::Shopify => "Shopify product export",
            Self::WooCommerce => "WooCommerce product export",
            Self::RssFeed => "RSS product feed",
            Self::AtomFeed => "Atom product feed",
            Self::PhotoFolder => "folder of photos",
        })
    }
}

/// The character between a CSV file's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Delimiter {
    Comma,
    Semicolon,
    Tab,
    Pipe,
}

impl Delimiter {
    pub const ALL: [Delimiter; 4] = [Self::Comma, Self::Semicolon, Self::Tab, Self::Pipe];

    fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
            Self::Pipe => b'|',
        }
    }
}

impl std::str::FromStr for Delimiter {
    type Err = String;

    /// `,` `;` `tab` `|`, or their names.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "," | "comma" => Ok(Self::Comma),
            ";" | "semicolon" => Ok(Self::Semicolon),
            "\t" | "tab" => Ok(Self::Tab),
            "|" | "pipe" => Ok(Self::Pipe),
            _ => Err(format!(
                "“{text}” is not a delimiter; use comma, semicolon, tab or pipe"
            )),
        }
    }
}

impl std::fmt::Display for Delimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Comma => "comma (,)",
            Self::Semicolon => "semicolon (;)",
            Self::Tab => "tab",
            Self::Pipe => "vertical bar (|)",
        })
    }
}

/// What the shop owner chose where detection may be wrong (the preview's choices, the
/// CLI's flags); `None` lets the file decide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReadChoices {
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<Delimiter>,
    /// ISO 4217 code for prices the file gives no currency for (the shop's otherwise).
    pub currency: Option<String>,
}

/// How a file's text was read, shown before importing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileReading {
    pub encoding: TextEncoding,
    /// True when nothing in the file said its encoding: the app asks.
    pub encoding_guessed: bool,
    /// `None` for an XML feed.
    pub delimiter: Option<Delimiter>,
    /// Amounts use a decimal comma (`89,90`).
    pub decimal_comma: bool,
    /// True when prices carry their currency (`12.99 BRL`); otherwise
    /// [`ReadChoices::currency`] or the shop's currency applies.
    pub currency_in_file: bool,
}

/// Something about a row worth telling the owner, though the row was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RowNote {
    /// The row had no SKU; this one was made from the handle and option values, and is the
    /// same on every import of the file.
    SkuGenerated { sku: String },
    /// A draft or archived product: imported as not published.
    NotPublished { status: String },
    /// The barcode cell is not a GTIN and was not stored; `mangled` when a spreadsheet
    /// turned it into a number like `3.65275E+11`.
    BarcodeIgnored { value: String, mangled: bool },
    /// A SKU that appeared before in the file, given a new one (`--dedupe-skus`).
    SkuRenamed { original: String, first_line: u64 },
}

impl std::fmt::Display for RowNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SkuGenerated { sku } => write!(f, "no SKU in the file; given {sku}"),
            Self::NotPublished { status } => {
                write!(f, "{status} in the file: imported as a draft, not published")
            }
            Self::BarcodeIgnored { value, mangled: true } => write!(
                f,
                "the barcode {value} was turned into a number by a spreadsheet; not stored (format the column as text and export again)"
            ),
            Self::BarcodeIgnored { value, .. } => {
                write!(f, "the barcode {value} is not a GTIN; not stored")
            }
            Self::SkuRenamed {
                original,
                first_line,
            } => write!(
                f,
                "the SKU {original} was already on line {first_line}; given a new one"
            ),
        }
    }
}

/// A row that groups other products (WooCommerce's grouped product): its name becomes a
/// collection holding them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grouping {
    pub line: u64,
    pub name: String,
    pub members: usize,
}

pub(crate) struct Parsed {
    pub format: ImportFormat,
    pub reading: FileReading,
    pub rows: Vec<RowData>,
    pub errors: Vec<RowError>,
    pub groupings: Vec<Grouping>,
}

/// A row of cells with its header, looked up by case-insensitive column name.
struct Record<'a> {
    line: u64,
    columns: &'a HashMap<String, usize>,
    fields: csv::StringRecord,
    /// Undo the `'` a Vitrine export puts before a formula's first character.
    unquote: bool,
    decimal_comma: bool,
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
    /// An amount cell as a plain decimal (`1.234,56` → `1234.56`).
    fn amount(&self, name: &str) -> Option<String> {
        self.value(name)
            .map(|cell| plain_amount(&cell, self.decimal_comma))
    }
}

/// Reads a file's bytes: see the module documentation.
pub(crate) fn parse(bytes: &[u8], choices: &ReadChoices) -> Result<Parsed, AppError> {
    let decoded = decode(bytes, choices.encoding);
    if feed_xml::looks_like_xml(&decoded.text) {
        if let Some(feed) = feed_xml::read(&decoded.text) {
            return Ok(parsed_feed(feed, decoded.encoding, decoded.guessed));
        }
    }
    let text = decoded.text.as_str();
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = choices
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(header_line));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter.byte())
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            AppError::invalid(
                InputField::Csv,
                format!("the header line cannot be read ({e})"),
            )
        })?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_lowercase(), i))
        .collect();
    let format = layout_of(&columns).ok_or_else(|| {
        AppError::invalid(
            InputField::Csv,
            format!("the header is not one Vitrine knows (read with the {delimiter} between columns): expected Meta's feed columns (id,title,description,availability,condition,price,link,image_link,brand), a Shopify product export, a WooCommerce product export, or an RSS/Atom product feed"),
        )
    })?;
    let decimal_comma = delimiter == Delimiter::Semicolon;
    let expected = headers.len();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // The csv crate counts a `\r\n` as two line ends; count from the bytes.
                let line = lines.line_at(record.position().map_or(start, |p| p.byte()));
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                if record.len() != expected {
                    errors.push(RowError {
                        line,
                        sku: None,
                        message: format!("the row has {} columns but the header has {expected}; check for a missing or extra {delimiter} or an unclosed quote", record.len()),
                    });
                    continue;
                }
                records.push(Record {
                    line,
                    columns: &columns,
                    fields: record.clone(),
                    unquote: format == ImportFormat::Meta,
                    decimal_comma,
                });
            }
            Err(e) => {
                let line = lines.line_at(e.position().map_or(start, |p| p.byte()));
                errors.push(RowError {
                    line,
                    sku: None,
                    message: format!("the row cannot be read ({})", describe_csv_error(&e)),
                });
                break;
            }
        }
    }
    let currency_in_file = match format {
        ImportFormat::Meta => records
            .iter()
            .filter_map(|r| r.value("price"))
            .any(|p| split_price(&p).1.is_some()),
        _ => false,
    };
    let mut groupings = Vec::new();
    let mut rows = match format {
        ImportFormat::Meta => records.iter().map(meta_row).collect(),
        ImportFormat::Shopify => shopify_rows(&records),
        ImportFormat::WooCommerce => woo_rows(&records, &mut groupings),
        _ => Vec::new(),
    };
    apply_currency(&mut rows, choices);
    Ok(Parsed {
        format,
        reading: FileReading {
            encoding: decoded.encoding,
            encoding_guessed: decoded.guessed,
            delimiter: Some(delimiter),
            decimal_comma,
            currency_in_file,
        },
        rows,
        errors,
        groupings,
    })
}

fn layout_of(columns: &HashMap<String, usize>) -> Option<ImportFormat> {
    let has = |c: &str| columns.contains_key(c);
    if has("handle") && (has("variant price") || has("body (html)")) {
        Some(ImportFormat::Shopify)
    } else if has("regular price") && (has("sku") || has("name")) {
        Some(ImportFormat::WooCommerce)
    } else if has("id") && has("title") {
        Some(ImportFormat::Meta)
    } else {
        None
    }
}

/// The delimiter of a header line: the candidate that splits it into a header Vitrine
/// knows, else the most frequent one outside quotes (a comma when there is none).
fn sniff_delimiter(header: &str) -> Delimiter {
    let known = Delimiter::ALL.into_iter().find(|d| {
        let columns: HashMap<String, usize> = header
            .split(char::from(d.byte()))
            .enumerate()
            .map(|(i, h)| (h.trim().trim_matches('"').to_lowercase(), i))
            .collect();
        columns.len() > 1 && layout_of(&columns).is_some()
    });
    known.unwrap_or_else(|| {
        let mut quoted = false;
        let mut counts = [0usize; 4];
        for c in header.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                if let Some(i) = Delimiter::ALL
                    .iter()
                    .position(|d| char::from(d.byte()) == c)
                {
                    counts[i] += 1;
                }
            }
        }
        let best = (0..4).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
        if counts[best] == 0 {
            Delimiter::Comma
        } else {
            Delimiter::ALL[best]
        }
    })
}

/// Gives prices without a currency the one the owner chose.
fn apply_currency(rows: &mut [RowData], choices: &ReadChoices) {
    let Some(code) = choices.currency.as_deref().filter(|c| !c.trim().is_empty()) else {
        return;
    };
    for row in rows {
        if row.patch.currency.is_none() && row.patch.price.is_some() {
            row.patch.currency = Some(code.trim().to_ascii_uppercase());
        }
    }
}

/// An XML feed's items as rows in Meta's columns.
fn parsed_feed(feed: feed_xml::Feed, encoding: TextEncoding, guessed: bool) -> Parsed {
    let mut names: Vec<String> = Vec::new();
    for item in &feed.items {
        for (name, _) in &item.fields {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let columns: HashMap<String, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_lowercase(), i))
        .collect();
    let rows: Vec<RowData> = feed
        .items
        .iter()
        .map(|item| {
            let mut cells = vec![String::new(); names.len()];
            for (name, value) in &item.fields {
                if let Some(&i) = columns.get(&name.to_lowercase()) {
                    cells[i] = value.clone();
                }
            }
            let record = Record {
                line: item.line,
                columns: &columns,
                fields: csv::StringRecord::from(cells),
                unquote: false,
                decimal_comma: false,
            };
            let mut row = meta_row(&record);
            if let Some(description) = row.patch.description.take() {
                row.patch.description = Some(to_plain_text(&description));
            }
            row
        })
        .collect();
    Parsed {
        format: match feed.kind {
            FeedKind::Rss => ImportFormat::RssFeed,
            FeedKind::Atom => ImportFormat::AtomFeed,
        },
        reading: FileReading {
            encoding,
            encoding_guessed: guessed,
            delimiter: None,
            decimal_comma: false,
            currency_in_file: rows.iter().any(|r| r.patch.currency.is_some()),
        },
        rows,
        errors: feed.error.into_iter().collect(),
        groupings: Vec::new(),
    }
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
        csv::ErrorKind::Utf8 { .. } => "it is not text".to_owned(),
        other => format!("{other:?}"),
    }
}

/// An amount as a plain decimal with a point: grouping marks and a currency symbol before
/// it dropped (`R$ 1.234,56` → `1234.56` with a decimal comma; `$1,234.50` → `1234.50`).
/// A cell that is not an amount comes back trimmed, for the price check to report.
fn plain_amount(cell: &str, decimal_comma: bool) -> String {
    let text = cell.trim();
    let (Some(first), Some(last)) = (
        text.find(|c: char| c.is_ascii_digit() || matches!(c, '-' | '.' | ',')),
        text.rfind(|c: char| c.is_ascii_digit()),
    ) else {
        return text.to_owned();
    };
    // A currency sign around the number (`R$ 89,90`, `89,90 €`) is a few characters at most.
    if first > last
        || text[..first].trim().chars().count() > 4
        || text[last + 1..].trim().chars().count() > 4
    {
        return text.to_owned();
    }
    let number: String = text[first..=last]
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if !number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
    {
        return text.to_owned();
    }
    let groups_of_three = |sep: char| {
        let mut parts = number.trim_start_matches('-').split(sep);
        let first = parts.next().unwrap_or_default();
        let rest: Vec<&str> = parts.collect();
        !rest.is_empty() && (1..=3).contains(&first.len()) && rest.iter().all(|p| p.len() == 3)
    };
    let (decimal, grouping) = match (number.rfind(','), number.rfind('.')) {
        (Some(c), Some(p)) if c > p => (',', '.'),
        (Some(_), Some(_)) => ('.', ','),
        (Some(_), None) if !decimal_comma && groups_of_three(',') => ('.', ','),
        (Some(_), None) => (',', '.'),
        (None, Some(_)) if decimal_comma && groups_of_three('.') => (',', '.'),
        _ => ('.', ','),
    };
    number
        .chars()
        .filter(|&c| c != grouping)
        .map(|c| if c == decimal { '.' } else { c })
        .collect()
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
            (amount.trim().to_owned(), Some(code.to_ascii_uppercase()))
        }
        _ => (t.to_owned(), None),
    }
}

/// A whole number of units; a spreadsheet's `12.0` is 12, a negative count is 0.
fn parse_stock(cell: Option<String>) -> Result<Option<Option<u32>>, String> {
    match cell {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(Some(None)),
        Some(text) => whole_units(&text)
            .map(|n| Some(Some(n)))
            .ok_or_else(|| format!("the stock “{text}” is not a whole number")),
    }
}

fn whole_units(text: &str) -> Option<u32> {
    let whole = text.trim().split(['.', ',']).next().unwrap_or(text);
    whole
        .parse::<i64>()
        .ok()
        .map(|n| n.clamp(0, i64::from(u32::MAX)) as u32)
}

/// A code written as `'834266003365`: the `'` a spreadsheet user types so a long number
/// stays text (it leaks into exports) is not part of the code.
fn without_text_mark(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
            rest.to_owned()
        }
        _ => cell.to_owned(),
    }
}

/// A barcode cell: a GTIN to store, or a note saying why it was not.
fn read_barcode(cell: Option<String>) -> (Option<String>, Option<RowNote>) {
    let Some(value) = cell else {
        return (None, None);
    };
    let digits = value.trim_start_matches('\'');
    if vitrine_core::Gtin::parse(digits).is_ok() {
        return (Some(digits.to_owned()), None);
    }
    let mangled =
        value.to_ascii_uppercase().contains("E+") && value.chars().any(|c| c.is_ascii_digit());
    (None, Some(RowNote::BarcodeIgnored { value, mangled }))
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
        // Meta's `12.99 BRL` always has a decimal point, whatever the file's delimiter.
        patch.price = Some(plain_amount(&amount, r.decimal_comma && currency.is_none()));
        // Google Base's older feeds give the currency in a field of its own.
        patch.currency = currency.or_else(|| r.value("currency").map(|c| c.to_ascii_uppercase()));
    }
    if r.has("sale_price") {
        patch.sale_price = Some(
            r.get("sale_price")
                .map(|s| {
                    let (amount, currency) = split_price(&s);
                    plain_amount(&amount, r.decimal_comma && currency.is_none())
                })
                .unwrap_or_default(),
        );
    }
    patch.sale_window = r.get("sale_price_effective_date");
    // Read into the typed values here: a cell that is none of Meta's words refuses the row,
    // with the words the product's own check gives.
    let mut unreadable = None;
    patch.availability = r.value("availability").and_then(|a| {
        let words = match a.as_str() {
            // Google's words for "orderable, ships later".
            "preorder" | "backorder" => "available for order",
            other => other,
        };
        Availability::parse(words)
            .map_err(|e| unreadable = Some(AppError::invalid(InputField::Availability, e)))
            .ok()
    });
    patch.condition = r.value("condition").and_then(|c| {
        Condition::parse(&c)
            .map_err(|e| {
                unreadable.get_or_insert(AppError::invalid(InputField::Condition, e));
            })
            .ok()
    });
    patch.link = r.get("link");
    let mut row = RowData {
        line: r.line,
        ..Default::default()
    };
    if r.has("gtin") {
        let (gtin, note) = read_barcode(r.value("gtin"));
        patch.gtin = Some(gtin.unwrap_or_default());
        row.notes.extend(note);
    }
    if let Some(visibility) = r.value("visibility") {
        let published = !visibility.eq_ignore_ascii_case("staging");
        patch.published = Some(published);
        if !published {
            row.notes.push(RowNote::NotPublished { status: visibility });
        }
    }
    let stock_cell = r
        .get("quantity_to_sell_on_facebook")
        .or_else(|| r.get("inventory"))
        .or_else(|| r.get("quantity"));
    match parse_stock(stock_cell) {
        Ok(stock) => patch.stock = stock,
        Err(message) => row.problem = Some(message),
    }
    if row.problem.is_none() {
        row.problem = unreadable.map(|e| e.to_string());
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

/// Shopify: rows grouped by Handle; the first row holds the product's fields, later rows
/// add variants or only more photos. Stock follows the inventory tracker and policy.
fn shopify_rows(records: &[Record<'_>]) -> Vec<RowData> {
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
        let mut product_images: Vec<String> = Vec::new();
        for (_, src) in images {
            if !product_images.contains(&src) {
                product_images.push(src);
            }
        }
        let variants: Vec<&&Record<'_>> = group
            .iter()
            .filter(|r| {
                r.value("variant price").is_some()
                    || r.value("variant sku").is_some()
                    || r.value("option1 value").is_some()
            })
            .collect();
        let option_names: Vec<Option<String>> = (1..=3)
            .map(|i| head.value(&format!("option{i} name")))
            .collect();
        let status = head.value("status").map(|s| s.to_lowercase()).or_else(|| {
            head.value("published")
                .filter(|p| p.eq_ignore_ascii_case("false"))
                .map(|_| "unpublished".to_owned())
        });
        let published = status.as_deref().is_none_or(|s| s == "active");
        let many = variants.len() > 1;
        for v in &variants {
            let attributes: Vec<(String, String)> = option_names
                .iter()
                .enumerate()
                .filter_map(|(i, name)| {
                    let name = name.clone()?;
                    let value = v.value(&format!("option{} value", i + 1))?;
                    (name != "Title" && value != "Default Title").then_some((name, value))
                })
                .collect();
            let mut notes = Vec::new();
            let sku = v
                .value("variant sku")
                .map(|s| without_text_mark(&s))
                .unwrap_or_else(|| {
                    let sku = generated_sku(&handle, &attributes);
                    notes.push(RowNote::SkuGenerated { sku: sku.clone() });
                    sku
                });
            let (price, sale) = match (
                v.amount("variant price"),
                v.amount("variant compare at price"),
            ) {
                (Some(p), Some(c)) if c.parse::<f64>().ok() > p.parse::<f64>().ok() => {
                    (Some(c), Some(p))
                }
                (p, _) => (p, None),
            };
            let qty = v
                .value("variant inventory qty")
                .and_then(|q| signed_units(&q));
            let tracked = match v.get("variant inventory tracker") {
                Some(tracker) => !tracker.is_empty(),
                None => qty.is_some(),
            };
            let keeps_selling = v
                .value("variant inventory policy")
                .is_some_and(|p| p.eq_ignore_ascii_case("continue"));
            let (stock, availability) = match qty {
                _ if !tracked => (None, Availability::InStock),
                Some(q) if keeps_selling && q <= 0 => (None, Availability::AvailableForOrder),
                _ if keeps_selling => (None, Availability::InStock),
                Some(q) if q <= 0 => (Some(0), Availability::OutOfStock),
                Some(q) => (
                    Some(q.min(i64::from(u32::MAX)) as u32),
                    Availability::InStock,
                ),
                None => (None, Availability::InStock),
            };
            let (gtin, barcode_note) = read_barcode(v.value("variant barcode"));
            notes.extend(barcode_note);
            if let (false, Some(status)) = (published, &status) {
                notes.push(RowNote::NotPublished {
                    status: status.clone(),
                });
            }
            let mut variant_images = Vec::new();
            if let Some(img) = v.value("variant image") {
                variant_images.push(img);
            }
            for img in &product_images {
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
                availability: Some(availability),
                stock: Some(stock),
                collections: head.value("type").map(|t| vec![t]),
                variant: Some((many || !attributes.is_empty()).then(|| VariantInput {
                    group_id: handle.clone(),
                    attributes,
                })),
                gtin: Some(gtin.unwrap_or_default()),
                published: Some(published),
                ..Default::default()
            };
            rows.push(RowData {
                line: v.line,
                patch,
                images: Some(variant_images),
                problem: None,
                notes,
            });
        }
    }
    rows
}

/// A count that may be negative (Shopify writes `-3` for an oversold variant).
fn signed_units(text: &str) -> Option<i64> {
    text.trim().split(['.', ',']).next()?.parse().ok()
}

/// A SKU for a variant the export gives none: its handle and option values, the same on
/// every import of the file (`camiseta-azul-m`), within Meta's 100 characters.
fn generated_sku(handle: &str, attributes: &[(String, String)]) -> String {
    let mut sku = handle.to_lowercase();
    for (_, value) in attributes {
        sku.push('-');
        sku.push_str(
            &value
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-"),
        );
    }
    if sku.chars().count() <= vitrine_core::product::SKU_MAX_CHARS {
        return sku;
    }
    let digest = vitrine_store::files::sha256_hex(sku.as_bytes());
    let kept: String = sku
        .chars()
        .take(vitrine_core::product::SKU_MAX_CHARS - 9)
        .collect();
    format!("{kept}-{}", &digest.as_str()[..8])
}

/// WooCommerce: simple, external, variable (its variations are the products, grouped
/// under the parent) and grouped (a collection of the products it lists) products.
fn woo_rows(records: &[Record<'_>], groupings: &mut Vec<Grouping>) -> Vec<RowData> {
    // A parent or member is named `id:NN` or by its SKU.
    let mut by_key: HashMap<String, &Record<'_>> = HashMap::new();
    for r in records {
        if let Some(id) = r.value("id") {
            by_key.insert(format!("id:{id}"), r);
        }
        if let Some(sku) = r.value("sku") {
            by_key.insert(sku, r);
        }
    }
    let kind_of = |r: &Record<'_>| r.value("type").unwrap_or_default().to_lowercase();
    let mut group_of: HashMap<usize, Vec<String>> = HashMap::new();
    for r in records.iter().filter(|r| kind_of(r).contains("grouped")) {
        let name = r.value("name").unwrap_or_default();
        let members: Vec<&Record<'_>> = r
            .value("grouped products")
            .unwrap_or_default()
            .split(',')
            .filter_map(|key| by_key.get(key.trim()).copied())
            .collect();
        for m in &members {
            group_of
                .entry(m.line as usize)
                .or_default()
                .push(name.clone());
        }
        groupings.push(Grouping {
            line: r.line,
            name,
            members: members.len(),
        });
    }
    let mut rows = Vec::new();
    for r in records {
        let kind = kind_of(r);
        if kind.contains("variable") || kind.contains("grouped") {
            continue;
        }
        let parent = r
            .value("parent")
            .and_then(|p| by_key.get(p.trim()).copied());
        let inherit = |name: &str| r.value(name).or_else(|| parent.and_then(|p| p.value(name)));
        let description = inherit("description")
            .or_else(|| inherit("short description"))
            .map(|h| to_plain_text(&h));
        let mut attributes = Vec::new();
        for i in 1..=6 {
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
        let title = r.value("name").or_else(|| {
            let base = parent?.value("name")?;
            let values: Vec<&str> = attributes.iter().map(|(_, v)| v.as_str()).collect();
            Some(format!("{base} - {}", values.join(", ")))
        });
        let mut notes = Vec::new();
        let status = [r, parent.unwrap_or(r)]
            .iter()
            .find_map(|rec| match rec.value("published").as_deref() {
                Some("0") => Some("draft"),
                Some("-1") => Some("private"),
                _ => None,
            })
            .or_else(|| {
                r.value("visibility in catalog")
                    .filter(|v| v.eq_ignore_ascii_case("hidden"))
                    .map(|_| "hidden")
            });
        if let Some(status) = status {
            notes.push(RowNote::NotPublished {
                status: status.to_owned(),
            });
        }
        let stock = r.value("stock").and_then(|q| signed_units(&q));
        let in_stock = r.value("in stock?");
        let backorders = r
            .value("backorders allowed?")
            .is_some_and(|b| b == "1" || b.eq_ignore_ascii_case("notify"));
        let sold_out = in_stock.as_deref() == Some("0") || stock.is_some_and(|q| q <= 0);
        let (stock, availability) = match stock {
            _ if sold_out && backorders => (None, Availability::AvailableForOrder),
            Some(q) if q <= 0 => (Some(0), Availability::OutOfStock),
            Some(q) => (
                Some(q.min(i64::from(u32::MAX)) as u32),
                Availability::InStock,
            ),
            None if sold_out => (None, Availability::OutOfStock),
            None if in_stock.as_deref() == Some("backorder") => {
                (None, Availability::AvailableForOrder)
            }
            None => (None, Availability::InStock),
        };
        let regular = r.amount("regular price");
        let sale = r.amount("sale price");
        let window = sale_window(
            r.value("date sale price starts"),
            r.value("date sale price ends"),
        );
        let mut collections: Vec<String> = inherit("categories")
            .map(|c| {
                c.split(',')
                    .map(|part| part.rsplit('>').next().unwrap_or(part).trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        collections.extend(
            group_of
                .get(&(r.line as usize))
                .cloned()
                .unwrap_or_default(),
        );
        let (gtin, barcode_note) = read_barcode(inherit("gtin, upc, ean, or isbn"));
        notes.extend(barcode_note);
        let patch = ProductPatch {
            sku: r
                .value("sku")
                .map(|s| without_text_mark(&s))
                .or_else(|| r.value("id").map(|id| format!("woo-{id}"))),
            title,
            description: Some(description.unwrap_or_default()),
            brand: inherit("brands")
                .map(|b| b.split(',').next().unwrap_or_default().trim().to_owned()),
            price: regular.clone().or_else(|| sale.clone()),
            sale_price: Some(if regular.is_some() {
                sale.unwrap_or_default()
            } else {
                String::new()
            }),
            sale_window: window,
            availability: Some(availability),
            stock: Some(stock),
            link: kind
                .contains("external")
                .then(|| r.value("external url"))
                .flatten(),
            collections: (!collections.is_empty()).then_some(collections),
            variant: Some(group_id.map(|group_id| VariantInput {
                group_id,
                attributes,
            })),
            gtin: Some(gtin.unwrap_or_default()),
            published: Some(status.is_none()),
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
            notes,
        });
    }
    rows
}

/// WooCommerce's sale dates (`2025-11-01 00:00:00`, in the shop's time) as Meta's window,
/// read in this computer's time zone; an open end runs to the end of 2099.
fn sale_window(start: Option<String>, end: Option<String>) -> Option<String> {
    use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone};
    let parse = |text: &str| {
        let text = text.trim();
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
            .ok()
            .or_else(|| {
                NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                    .ok()?
                    .and_hms_opt(0, 0, 0)
            })
            .and_then(|t| Local.from_local_datetime(&t).earliest())
    };
    let start = start.as_deref().and_then(parse);
    let end = end.as_deref().and_then(parse);
    if start.is_none() && end.is_none() {
        return None;
    }
    let start = start.unwrap_or_else(Local::now);
    let end = end.or_else(|| parse("2099-12-31 23:59:00"))?;
    Some(format!(
        "{}/{}",
        start.format("%Y-%m-%dT%H:%M%:z"),
        end.format("%Y-%m-%dT%H:%M%:z")
    ))
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
            let _ = parse(&bytes, &ReadChoices::default());
        }

        #[test]
        fn arbitrary_rows_of_each_format_are_imported_or_reported_never_panic(
            header in prop_oneof![Just(META), Just(SHOPIFY), Just(WOO)],
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..20), 0..8),
        ) {
            let bytes = csv_file(header, &rows);
            let parsed = parse(&bytes, &ReadChoices::default()).expect("a known header is read");
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
            let parsed = parse(&csv_file(META, &[cells]), &ReadChoices::default()).expect("read");
            prop_assert_eq!(parsed.rows.len(), 1, "{:?}", parsed.errors);
            let patch = &parsed.rows[0].patch;
            prop_assert_eq!(patch.sku.as_deref(), Some(sku.as_str()));
            prop_assert_eq!(patch.title.as_deref(), Some(title.as_str()));
            prop_assert_eq!(patch.description.as_deref(), Some(description.as_str()));
        }
    }

    fn read(bytes: &[u8]) -> Parsed {
        parse(bytes, &ReadChoices::default()).expect("a known layout")
    }

    #[test]
    fn availability_and_condition_are_read_typed_and_an_unknown_word_refuses_its_row() {
        let text = "id,title,availability,condition,price\nA,Mug,In_Stock,Used,10\nB,Cup,preorder,,5\nC,Plate,soon,new,5\nD,Bowl,in stock,broken,5\n";
        let parsed = read(text.as_bytes());
        let typed: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| (r.patch.availability, r.patch.condition))
            .collect();
        assert_eq!(
            typed[..2],
            [
                (Some(Availability::InStock), Some(Condition::Used)),
                (Some(Availability::AvailableForOrder), None),
            ],
            "Meta's words in any case, Google's preorder, an empty cell left as it is"
        );
        let problems: Vec<_> = parsed.rows.iter().map(|r| r.problem.clone()).collect();
        assert!(
            problems[2]
                .as_deref()
                .is_some_and(|p| p.starts_with("availability: ") && p.contains("soon")),
            "the row is refused naming the column and the word: {problems:?}"
        );
        assert!(
            problems[3]
                .as_deref()
                .is_some_and(|p| p.starts_with("condition: ") && p.contains("broken")),
            "{problems:?}"
        );
    }

    #[test]
    fn errors_in_a_windows_file_name_their_real_line() {
        let text = "id,title,price\r\nA,Mug,10\r\nB,Cup\r\n\r\nC,Plate,5\r\n";
        let parsed = read(text.as_bytes());
        let rows: Vec<u64> = parsed.rows.iter().map(|r| r.line).collect();
        assert_eq!(rows, vec![2, 5], "a blank line counts");
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3], "{:?}", parsed.errors);
    }

    #[test]
    fn an_excel_portuguese_csv_reads_with_its_encoding_delimiter_and_decimal_comma() {
        let text = "id;title;description;availability;condition;price;link;image_link;brand\r\nCAN-1;Caneca de cerâmica;Açúcar e café;in stock;new;89,90;;;Loja\r\nCAN-2;Jarra;Grande;in stock;new;1.234,50;;;Loja\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let parsed = read(&bytes);
        assert_eq!(parsed.format, ImportFormat::Meta);
        assert_eq!(parsed.reading.encoding, TextEncoding::Windows1252);
        assert!(parsed.reading.encoding_guessed);
        assert_eq!(parsed.reading.delimiter, Some(Delimiter::Semicolon));
        assert!(parsed.reading.decimal_comma);
        assert_eq!(
            parsed.rows[0].patch.title.as_deref(),
            Some("Caneca de cerâmica")
        );
        assert_eq!(parsed.rows[0].patch.price.as_deref(), Some("89.90"));
        assert_eq!(parsed.rows[1].patch.price.as_deref(), Some("1234.50"));
    }

    #[test]
    fn a_utf16_tab_separated_file_reads_as_excel_unicode_text() {
        let text = "id\ttitle\tprice\r\nA\tساعة\t10.50 EGP\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let parsed = read(&bytes);
        assert_eq!(parsed.reading.encoding, TextEncoding::Utf16Le);
        assert_eq!(parsed.reading.delimiter, Some(Delimiter::Tab));
        assert_eq!(parsed.rows[0].patch.title.as_deref(), Some("ساعة"));
        assert_eq!(parsed.rows[0].patch.currency.as_deref(), Some("EGP"));
        assert!(parsed.reading.currency_in_file);
    }

    #[test]
    fn a_pipe_separated_file_and_a_chosen_currency() {
        let choices = ReadChoices {
            currency: Some("idr".to_owned()),
            ..ReadChoices::default()
        };
        let parsed = parse(b"id|title|price\nA|Batik|150000\n", &choices).expect("read");
        assert_eq!(parsed.reading.delimiter, Some(Delimiter::Pipe));
        assert_eq!(parsed.rows[0].patch.currency.as_deref(), Some("IDR"));
    }

    #[test]
    fn amounts_are_read_the_way_the_file_writes_them() {
        for (cell, comma, plain) in [
            ("89,90", true, "89.90"),
            ("1.234,56", true, "1234.56"),
            ("12.99", true, "12.99"),
            ("1.500", true, "1500"),
            ("R$ 89,90", true, "89.90"),
            ("1,234.50", false, "1234.50"),
            ("$1,234", false, "1234"),
            ("89,90", false, "89.90"),
            ("10.5", false, "10.5"),
            ("89,90 €", true, "89.90"),
            ("free", false, "free"),
            (".5", false, ".5"),
        ] {
            assert_eq!(
                plain_amount(cell, comma),
                plain,
                "{cell} (decimal comma: {comma})"
            );
        }
    }

    const SHOPIFY_FULL: &str = "Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Variant Barcode,Image Src,Image Position,Variant Image,Status";

    fn shopify(rows: &[&str]) -> Parsed {
        read(format!("{SHOPIFY_FULL}\n{}\n", rows.join("\n")).as_bytes())
    }

    #[test]
    fn shopify_stock_follows_the_tracker_and_the_policy() {
        let parsed = shopify(&[
            "untracked,Colar,,Loja,,Title,Default Title,,,14:193#Sliver 2hapa;200007763:201336100,,0,deny,59.90,,,,,,active",
            "tracked,Anel,,Loja,,Title,Default Title,,,ANEL,shopify,0,deny,30,,,,,,active",
            "oversold,Brinco,,Loja,,Title,Default Title,,,BRI,shopify,-2,continue,30,,,,,,active",
            "plenty,Pulseira,,Loja,,Title,Default Title,,,PUL,shopify,7,deny,30,,,,,,active",
        ]);
        let by_sku = |sku: &str| {
            parsed
                .rows
                .iter()
                .find(|r| r.patch.sku.as_deref() == Some(sku))
                .unwrap_or_else(|| panic!("{sku} read"))
        };
        let untracked = by_sku("14:193#Sliver 2hapa;200007763:201336100");
        assert_eq!(untracked.patch.stock, Some(None), "not tracked");
        assert_eq!(
            untracked.patch.availability,
            Some(Availability::InStock),
            "an untracked 0 is not sold out"
        );
        assert_eq!(
            by_sku("ANEL").patch.availability,
            Some(Availability::OutOfStock)
        );
        assert_eq!(
            by_sku("BRI").patch.availability,
            Some(Availability::AvailableForOrder),
            "continue sells at 0"
        );
        assert_eq!(by_sku("PUL").patch.stock, Some(Some(7)));
    }

    #[test]
    fn shopify_drafts_generated_skus_barcodes_and_variant_photos() {
        let parsed = shopify(&[
            "camiseta,Camiseta,<p>Algod&atilde;o</p>,Loja,Roupas,Cor,Azul,Tamanho,M,,,,,49.90,59.90,3.65275E+11,https://cdn.example/front.jpg,2,https://cdn.example/azul.jpg,draft",
            "camiseta,,,,,,Azul,,G,,,,,49.90,,4006381333931,https://cdn.example/back.jpg,1,,",
        ]);
        assert_eq!(parsed.rows.len(), 2);
        let first = &parsed.rows[0];
        assert_eq!(first.patch.sku.as_deref(), Some("camiseta-azul-m"));
        assert!(first.notes.contains(&RowNote::SkuGenerated {
            sku: "camiseta-azul-m".into()
        }));
        assert!(first.notes.contains(&RowNote::NotPublished {
            status: "draft".into()
        }));
        assert!(first.notes.contains(&RowNote::BarcodeIgnored {
            value: "3.65275E+11".into(),
            mangled: true
        }));
        assert_eq!(
            first.patch.gtin.as_deref(),
            Some(""),
            "a mangled barcode is not stored"
        );
        assert_eq!(first.patch.published, Some(false));
        assert_eq!(first.patch.description.as_deref(), Some("Algodão"));
        assert_eq!(
            (
                first.patch.price.as_deref(),
                first.patch.sale_price.as_deref()
            ),
            (Some("59.90"), Some("49.90"))
        );
        assert_eq!(
            first.images.as_deref(),
            Some(
                &[
                    "https://cdn.example/azul.jpg".to_owned(),
                    "https://cdn.example/back.jpg".to_owned(),
                    "https://cdn.example/front.jpg".to_owned()
                ][..]
            ),
            "the variant's photo first, then the product's by position"
        );
        let second = &parsed.rows[1];
        assert_eq!(second.patch.sku.as_deref(), Some("camiseta-azul-g"));
        assert_eq!(second.patch.gtin.as_deref(), Some("4006381333931"));
        let reread =
            shopify(&["camiseta,Camiseta,,Loja,,Cor,Azul,Tamanho,M,,,,,49.90,,,,,,active"]);
        assert_eq!(
            reread.rows[0].patch.sku.as_deref(),
            Some("camiseta-azul-m"),
            "the same SKU on every import"
        );
    }

    const WOO_FULL: &str = "ID,Type,SKU,Name,Published,Visibility in catalog,Short description,Description,Date sale price starts,Date sale price ends,In stock?,Stock,Backorders allowed?,Sale price,Regular price,Categories,Images,Parent,Grouped products,External URL,Attribute 1 name,Attribute 1 value(s)";

    #[test]
    fn woocommerce_simple_variable_grouped_and_external_products() {
        let text = format!("{WOO_FULL}\n{}\n", [
            "10,variable,HOODIE,Hoodie,1,visible,,Warm,,,1,,0,,,Clothing > Hoodies,https://x.example/h.jpg,,,,Color,\"Blue, Red\"",
            "11,variation,HOODIE-BLUE,Hoodie - Blue,1,visible,,,,,1,5,0,,45,,,id:10,,,Color,Blue",
            "12,variation,HOODIE-RED,,1,visible,,,,,0,0,1,,45,,,HOODIE,,,Color,Red",
            "13,simple,CAP,Cap,0,visible,,Cap,2025-11-01 00:00:00,2025-11-30 23:59:00,1,,0,16,18,Accessories,,,,,,",
            "14,grouped,SET,Logo set,1,visible,,,,,1,,0,,,,,,\"CAP, id:15\",,,",
            "15,\"simple, virtual\",ALBUM,Album,1,hidden,,,,,1,,0,,15,Music,,,,,,",
            "16,external,BOOK,Book,1,visible,,,,,1,,0,,20,,,,,https://books.example/b,,",
        ].join("\n"));
        let parsed = read(text.as_bytes());
        let sku = |s: &str| {
            parsed
                .rows
                .iter()
                .find(|r| r.patch.sku.as_deref() == Some(s))
                .unwrap_or_else(|| panic!("{s}"))
        };
        assert_eq!(
            parsed.rows.len(),
            5,
            "the variable and grouped rows are not products"
        );
        let blue = sku("HOODIE-BLUE");
        assert_eq!(
            blue.patch.variant.clone().flatten().map(|v| v.group_id),
            Some("HOODIE".to_owned()),
            "parent by id:10"
        );
        assert_eq!(
            blue.images.as_deref(),
            Some(&["https://x.example/h.jpg".to_owned()][..]),
            "inherited photo"
        );
        let red = sku("HOODIE-RED");
        assert_eq!(
            red.patch.title.as_deref(),
            Some("Hoodie - Red"),
            "a nameless variation is named from its parent"
        );
        assert_eq!(
            red.patch.availability,
            Some(Availability::AvailableForOrder),
            "backorders allowed"
        );
        let cap = sku("CAP");
        assert_eq!(cap.patch.published, Some(false), "Published 0 is a draft");
        assert!(
            cap.patch
                .sale_window
                .as_deref()
                .is_some_and(|w| w.starts_with("2025-11-01T00:00")),
            "{:?}",
            cap.patch.sale_window
        );
        assert!(
            cap.patch
                .collections
                .as_ref()
                .is_some_and(|c| c.contains(&"Logo set".to_owned())),
            "in the grouped product's collection"
        );
        assert!(sku("ALBUM")
            .patch
            .collections
            .as_ref()
            .is_some_and(|c| c.contains(&"Logo set".to_owned())));
        assert_eq!(
            sku("ALBUM").patch.published,
            Some(false),
            "hidden from the catalog"
        );
        assert_eq!(
            sku("BOOK").patch.link.as_deref(),
            Some("https://books.example/b")
        );
        assert_eq!(
            parsed.groupings,
            vec![Grouping {
                line: 6,
                name: "Logo set".into(),
                members: 2
            }]
        );
    }

    #[test]
    fn an_rss_feed_file_reads_through_the_meta_columns() {
        let xml = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:g=\"http://base.google.com/ns/1.0\"><channel>\n<item><g:id>SA-1</g:id><g:title>ساعة</g:title><g:description>&lt;p&gt;Bonita&lt;/p&gt;</g:description><g:availability>in_stock</g:availability><g:price>250.00 EGP</g:price><g:gtin>4006381333931</g:gtin><g:image_link>https://x.example/a.jpg</g:image_link></item>\n</channel></rss>";
        let parsed = read(xml.as_bytes());
        assert_eq!(parsed.format, ImportFormat::RssFeed);
        let row = &parsed.rows[0];
        assert_eq!(row.line, 3);
        assert_eq!(row.patch.price.as_deref(), Some("250.00"));
        assert_eq!(row.patch.currency.as_deref(), Some("EGP"));
        assert_eq!(row.patch.description.as_deref(), Some("Bonita"));
        assert_eq!(row.patch.gtin.as_deref(), Some("4006381333931"));
        assert_eq!(
            row.images.as_deref(),
            Some(&["https://x.example/a.jpg".to_owned()][..])
        );
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
