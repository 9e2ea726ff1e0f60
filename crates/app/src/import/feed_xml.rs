//! Product feeds in XML: RSS 2.0 (Google Merchant's and Meta's feed format, and what
//! `vitrine feed` writes) and Atom, each item's fields in the `g:` namespace
//! (`http://base.google.com/ns/1.0`): `g:id`, `g:price` (`12.99 BRL`), `g:image_link`…
//!
//! Each item becomes the cells of one row in Meta's feed columns, so the CSV row mapping
//! reads it. An item's line is where its `<item>` / `<entry>` starts. Atom 0.3 (Google
//! Base's first feeds) is read as Atom. A repeated field
//! (`g:additional_image_link` once per photo) is joined with commas; nested fields
//! (`g:shipping`) are not product fields and are passed over. The plain RSS `title`, `link`
//! and `description` (Atom: `title`, `link href`, `summary`/`content`) fill in what the item
//! has no `g:` field for, and its `guid` (Atom: `id`) stands for a missing `g:id`.

use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;

use super::lines::LineCounter;
use super::RowError;

const GOOGLE: &str = "http://base.google.com/ns/1.0";
const ATOM: &str = "http://www.w3.org/2005/Atom";
/// Atom 0.3, which Google Base's first product feeds used.
const ATOM_03: &str = "http://purl.org/atom/ns#";

/// Which XML feed a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FeedKind {
    Rss,
    Atom,
}

/// One `<item>` / `<entry>`: its line and its fields by Meta column name.
pub(crate) struct FeedItem {
    pub line: u64,
    pub fields: Vec<(String, String)>,
}

pub(crate) struct Feed {
    pub kind: FeedKind,
    pub items: Vec<FeedItem>,
    /// Set when the XML breaks off: items before it are kept.
    pub error: Option<RowError>,
}

/// True when `text` looks like an XML document rather than a CSV file.
pub(crate) fn looks_like_xml(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

/// Reads the items of an RSS or Atom product feed; `None` when the root is neither.
pub(crate) fn read(text: &str) -> Option<Feed> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut lines = LineCounter::new(text);
    let mut kind = None;
    let mut items = Vec::new();
    // The item being read, the field being read, and how deep below the field we are.
    let mut item: Option<FeedItem> = None;
    let mut field: Option<(String, String)> = None;
    let mut nested = 0usize;
    loop {
        let offset = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok(pair) => pair,
            Err(e) => {
                let error = RowError {
                    line: lines.line_at(reader.error_position()),
                    sku: None,
                    message: format!("the XML breaks off here ({e}); items before it were read"),
                };
                return kind.map(|kind| Feed {
                    kind,
                    items,
                    error: Some(error),
                });
            }
        };
        let google = matches!(ns, ResolveResult::Bound(Namespace(GOOGLE)));
        let atom = matches!(ns, ResolveResult::Bound(Namespace(ATOM | ATOM_03)));
        match event {
            Event::Start(e) | Event::Empty(e) if kind.is_none() => {
                let local = e.local_name();
                kind = match local.as_ref() {
                    "rss" => Some(FeedKind::Rss),
                    "feed" if atom => Some(FeedKind::Atom),
                    _ => return None,
                };
            }
            Event::Start(e) if item.is_none() => {
                let local = e.local_name();
                let starts = match kind {
                    Some(FeedKind::Rss) => local.as_ref() == "item",
                    _ => atom && local.as_ref() == "entry",
                };
                if starts {
                    item = Some(FeedItem {
                        line: lines.line_at(offset),
                        fields: Vec::new(),
                    });
                }
            }
            Event::Start(_) if field.is_some() => nested += 1,
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_owned();
                let name = if google {
                    Some(local)
                } else if ns_is_plain(&ns, kind) {
                    plain_field(&local, kind).map(str::to_owned)
                } else {
                    None
                };
                // Fields of other namespaces are read and dropped, to keep nesting right.
                field = Some((name.unwrap_or_default(), String::new()));
                nested = 0;
            }
            // Atom's `<link rel="alternate" href="…"/>`.
            Event::Empty(e)
                if item.is_some()
                    && field.is_none()
                    && kind == Some(FeedKind::Atom)
                    && atom
                    && e.local_name().as_ref() == "link" =>
            {
                let mut href = None;
                let mut alternate = true;
                for attr in e.attributes().flatten() {
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned());
                    match attr.key.as_ref() {
                        "href" => href = value.ok(),
                        "rel" => alternate = value.is_ok_and(|v| v == "alternate"),
                        _ => {}
                    }
                }
                if let (Some(href), true) = (href, alternate) {
                    push(item.as_mut(), "plain:link", href);
                }
            }
            Event::Text(t) if nested == 0 => {
                if let Some((_, value)) = field.as_mut() {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if nested == 0 => {
                if let Some((_, value)) = field.as_mut() {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if nested == 0 => {
                if let Some((_, value)) = field.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => value.push(c),
                        _ => value.push_str(match r.as_ref() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        }),
                    }
                }
            }
            Event::End(_) if field.is_some() && nested > 0 => nested -= 1,
            Event::End(_) if field.is_some() => {
                if let Some((name, value)) = field.take() {
                    if !name.is_empty() {
                        push(item.as_mut(), &name, value.trim().to_owned());
                    }
                }
            }
            Event::End(_) if item.is_some() => {
                if let Some(done) = item.take() {
                    items.push(finish(done));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    kind.map(|kind| Feed {
        kind,
        items,
        error: None,
    })
}

/// Elements without a namespace in RSS, or in Atom's, count as the plain fields.
fn ns_is_plain(ns: &ResolveResult<'_>, kind: Option<FeedKind>) -> bool {
    match kind {
        Some(FeedKind::Rss) => matches!(ns, ResolveResult::Unbound),
        _ => matches!(ns, ResolveResult::Bound(Namespace(ATOM | ATOM_03))),
    }
}

fn plain_field(local: &str, kind: Option<FeedKind>) -> Option<&'static str> {
    match (kind, local) {
        (_, "title") => Some("plain:title"),
        (Some(FeedKind::Rss), "link") => Some("plain:link"),
        (Some(FeedKind::Rss), "description") => Some("plain:description"),
        (Some(FeedKind::Atom), "summary" | "content") => Some("plain:description"),
        // An item without `g:id` is known by its feed id.
        (Some(FeedKind::Rss), "guid") | (Some(FeedKind::Atom), "id") => Some("plain:id"),
        _ => None,
    }
}

fn push(item: Option<&mut FeedItem>, name: &str, value: String) {
    let Some(item) = item else { return };
    if value.is_empty() {
        return;
    }
    match item.fields.iter_mut().find(|(n, _)| n == name) {
        // Repeated: `g:additional_image_link` once per photo.
        Some((_, existing)) => {
            existing.push(',');
            existing.push_str(&value);
        }
        None => item.fields.push((name.to_owned(), value)),
    }
}

/// Fills what the `g:` fields leave out from the plain ones.
fn finish(mut item: FeedItem) -> FeedItem {
    let mut plain = Vec::new();
    item.fields
        .retain(|(name, value)| match name.strip_prefix("plain:") {
            Some(field) => {
                plain.push((field.to_owned(), value.clone()));
                false
            }
            None => true,
        });
    for (name, value) in plain {
        if !item.fields.iter().any(|(n, _)| *n == name) {
            item.fields.push((name, value));
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(item: &'a FeedItem, name: &str) -> Option<&'a str> {
        item.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_google_merchant_rss_feed_gives_one_row_per_item_with_its_line() {
        let xml = r#"<?xml version="1.0"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
<channel>
<title>Loja</title>
<item>
  <g:id>CAN-1</g:id>
  <title>Caneca &amp; pires</title>
  <g:description><![CDATA[<p>Cerâmica</p>]]></g:description>
  <g:price>89.90 BRL</g:price>
  <g:image_link>https://example.com/a.jpg</g:image_link>
  <g:additional_image_link>https://example.com/b.jpg</g:additional_image_link>
  <g:additional_image_link>https://example.com/c.jpg</g:additional_image_link>
  <g:shipping><g:country>BR</g:country><g:price>10 BRL</g:price></g:shipping>
</item>
<item><g:id>CAN-2</g:id><g:title>Prato</g:title><title>ignored</title></item>
</channel>
</rss>"#;
        let feed = read(xml).expect("an RSS feed");
        assert_eq!(feed.kind, FeedKind::Rss);
        assert_eq!(feed.items.len(), 2);
        let first = &feed.items[0];
        assert_eq!(first.line, 5, "the line of <item>");
        assert_eq!(field(first, "id"), Some("CAN-1"));
        assert_eq!(
            field(first, "title"),
            Some("Caneca & pires"),
            "plain title fills in"
        );
        assert_eq!(field(first, "description"), Some("<p>Cerâmica</p>"));
        assert_eq!(
            field(first, "price"),
            Some("89.90 BRL"),
            "the shipping price is nested, not the product's"
        );
        assert_eq!(
            field(first, "additional_image_link"),
            Some("https://example.com/b.jpg,https://example.com/c.jpg")
        );
        assert_eq!(
            field(&feed.items[1], "title"),
            Some("Prato"),
            "g:title wins over the plain title"
        );
    }

    #[test]
    fn an_atom_feed_reads_entries_and_the_alternate_link() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
<title>Shop</title>
<entry>
<title>Mug</title><link rel="alternate" href="https://shop.example/mug"/><summary>Blue</summary>
<g:id>MUG</g:id><g:price>5.00 USD</g:price>
</entry>
</feed>"#;
        let feed = read(xml).expect("an Atom feed");
        assert_eq!(feed.kind, FeedKind::Atom);
        let entry = &feed.items[0];
        assert_eq!(entry.line, 3);
        assert_eq!(field(entry, "link"), Some("https://shop.example/mug"));
        assert_eq!(field(entry, "description"), Some("Blue"));
        assert_eq!(field(entry, "id"), Some("MUG"));
    }

    #[test]
    fn broken_xml_keeps_the_items_before_the_break_and_says_where() {
        let xml = "<rss xmlns:g=\"http://base.google.com/ns/1.0\"><channel>\n<item><g:id>A</g:id></item>\n<item><g:id>B</g:id></itm>\n";
        let feed = read(xml).expect("an RSS feed");
        assert_eq!(feed.items.len(), 1);
        assert_eq!(feed.error.expect("the break").line, 3);
    }

    #[test]
    fn other_xml_is_not_a_feed() {
        assert!(read("<html><body/></html>").is_none());
    }
}
