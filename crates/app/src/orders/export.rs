//! CSV export of orders for a spreadsheet or an accountant: one row per order line, the
//! order's columns repeated, amounts as decimal text in the currency's own decimals. The
//! file is written to a temporary file beside it and renamed, so it is whole or absent.

use std::path::Path;

use serde::Serialize;

use super::OrderQuery;
use crate::{AppError, Vitrine};

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
                writer
                    .write_record([
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
                    ])
                    .map_err(csv_error)?;
            }
        }
        let bytes = writer.into_inner().map_err(|e| AppError::Unreadable {
            source_name: dest.display().to_string(),
            message: e.to_string(),
        })?;
        crate::printing::write_atomically(dest, &bytes)?;
        Ok(OrdersExport {
            orders: orders.len(),
            lines,
        })
    }
}
