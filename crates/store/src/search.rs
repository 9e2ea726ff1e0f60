//! Full-text search over products: an FTS5 table with the trigram tokenizer, so partial
//! words match in any script (Arabic, Devanagari, accented Portuguese), ranked with bm25.
//!
//! Text is folded before indexing and querying (case, Latin accents, Arabic vowel marks
//! and letter variants; see `vitrine_core::text::fold`). Trigrams need three characters:
//! shorter query terms fall back to a substring scan.

use rusqlite::{params, Transaction};
use vitrine_core::text::fold;
use vitrine_core::Product;

use crate::StoreError;

/// Word-prefix index for one- and two-letter terms (sizes like "P", "GG"), which trigrams
/// cannot serve; holds the same folded text, without a copy of it (contentless).
pub(crate) const MIGRATION_2: &str = "
CREATE VIRTUAL TABLE product_words USING fts5 (
    text,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
);
INSERT INTO product_words (rowid, text)
    SELECT rowid, concat_ws(' ', sku, title, description, brand, translations) FROM product_search;
";

pub(crate) const MIGRATION_1: &str = "
CREATE VIRTUAL TABLE product_search USING fts5 (
    sku, title, description, brand, translations,
    tokenize = 'trigram remove_diacritics 1'
);
";

// Columns in order; `products::list` weights them for bm25 (SKU 10, title 5, description 1,
// brand 2, translations 3), so a SKU or title hit outranks a description hit.

/// Adds a product to the index; one already indexed is [`remove`]d first.
pub(crate) fn index(tx: &Transaction<'_>, seq: i64, product: &Product) -> Result<(), StoreError> {
    let d = &product.draft;
    let translations = d
        .translations
        .iter()
        .map(|t| format!("{} {}", t.title, t.description))
        .collect::<Vec<_>>()
        .join(" ");
    let fields = [
        fold(d.sku.as_str()),
        fold(&d.title),
        fold(&d.description),
        fold(&d.brand),
        fold(&translations),
    ];
    tx.prepare_cached("INSERT INTO product_search (rowid, sku, title, description, brand, translations) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute(params![seq, fields[0], fields[1], fields[2], fields[3], fields[4]],
    )?;
    tx.prepare_cached("INSERT INTO product_words (rowid, text) VALUES (?1, ?2)")?
        .execute(params![seq, fields.join(" ")])?;
    Ok(())
}

pub(crate) fn remove(tx: &Transaction<'_>, seq: i64) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM product_search WHERE rowid = ?1")?
        .execute([seq])?;
    tx.prepare_cached("DELETE FROM product_words WHERE rowid = ?1")?
        .execute([seq])?;
    Ok(())
}

/// How a typed query is run: an FTS5 expression for terms of three or more characters
/// and substring needles for shorter ones. All terms must match.
#[derive(Debug, PartialEq, Eq)]
pub struct QueryPlan {
    pub fts: Option<String>,
    pub short_terms: Vec<String>,
}

/// Plans a query typed by a person; `None` when it has no searchable characters.
pub fn plan(query: &str) -> Option<QueryPlan> {
    let folded = fold(query);
    let terms: Vec<String> = folded
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '*' | '(' | ')' | ':' | '^' | '+'))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if terms.is_empty() {
        return None;
    }
    let (long, short): (Vec<String>, Vec<String>) =
        terms.into_iter().partition(|t| t.chars().count() >= 3);
    let fts = (!long.is_empty()).then(|| {
        long.iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(" AND ")
    });
    Some(QueryPlan {
        fts,
        short_terms: short,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_folded_quoted_and_split_by_length() {
        assert_eq!(
            plan("Caneca AZUL p"),
            Some(QueryPlan {
                fts: Some("\"caneca\" AND \"azul\"".into()),
                short_terms: vec!["p".into()]
            })
        );
        assert_eq!(
            plan("\"quoted\" OR"),
            Some(QueryPlan {
                fts: Some("\"quoted\"".into()),
                short_terms: vec!["or".into()]
            }),
            "FTS syntax in user text is neutralised"
        );
        assert_eq!(plan("  \"  "), None);
    }
}
