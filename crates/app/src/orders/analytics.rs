//! Order analytics as data for charts: orders and revenue per day and per week, the best
//! selling products and the orders each attribution channel (ref tag) brought. Cancelled
//! orders count nowhere. Revenue is exact money kept per currency (a shop normally has
//! one); days and weeks (starting Monday) are in the shop's UTC offset.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, FixedOffset, NaiveDate};
use serde::Serialize;
use vitrine_core::Money;

use super::{Order, OrderQuery, OrderStatus};
use crate::{AppError, Vitrine};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodTotals {
    /// The day, or the Monday starting the week.
    pub start: NaiveDate,
    pub orders: u64,
    /// One amount per currency, by currency code.
    pub revenue: Vec<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSales {
    pub sku: String,
    /// The catalog's title; `None` for a SKU the catalog does not have.
    pub title: Option<String>,
    pub quantity: i64,
    pub orders: u64,
    pub revenue: Vec<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelCount {
    /// The ref tag; `None` for orders no tagged link explains.
    pub ref_tag: Option<String>,
    pub orders: u64,
    pub revenue: Vec<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderAnalytics {
    pub per_day: Vec<PeriodTotals>,
    pub per_week: Vec<PeriodTotals>,
    /// Most units sold first.
    pub top_products: Vec<ProductSales>,
    /// Most orders first.
    pub per_channel: Vec<ChannelCount>,
}

/// Amounts per currency, added exactly.
#[derive(Default)]
struct Sums(BTreeMap<&'static str, Money>);

impl Sums {
    fn add(&mut self, amount: Money) {
        let code = amount.currency().code();
        let sum = self
            .0
            .get(code)
            .and_then(|s| s.checked_add(&amount).ok())
            .unwrap_or(amount);
        self.0.insert(code, sum);
    }

    fn into_vec(self) -> Vec<Money> {
        self.0.into_values().collect()
    }
}

#[derive(Default)]
struct Tally {
    orders: u64,
    quantity: i64,
    revenue: Sums,
}

/// The analytics of `orders` with days in `offset`, keeping the `top` best products.
pub fn analyse(orders: &[Order], offset: FixedOffset, top: usize) -> OrderAnalytics {
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut products: BTreeMap<String, (Option<String>, Tally)> = BTreeMap::new();
    let mut channels: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    for order in orders.iter().filter(|o| o.status != OrderStatus::Cancelled) {
        let day = order.received_at.with_timezone(&offset).date_naive();
        let monday = day
            .checked_sub_days(Days::new(u64::from(day.weekday().num_days_from_monday())))
            .unwrap_or(day);
        for tally in [
            days.entry(day).or_default(),
            weeks.entry(monday).or_default(),
            channels.entry(order.ref_tag.clone()).or_default(),
        ] {
            tally.orders += 1;
            if let Some(total) = order.total {
                tally.revenue.add(total);
            }
        }
        for line in &order.lines {
            let (title, tally) = products.entry(line.sku.clone()).or_default();
            if title.is_none() {
                *title = line.product.as_ref().map(|p| p.title.clone());
            }
            tally.orders += 1;
            tally.quantity += line.quantity;
            if let Some(total) = line.line_total {
                tally.revenue.add(total);
            }
        }
    }
    let periods = |map: BTreeMap<NaiveDate, Tally>| -> Vec<PeriodTotals> {
        map.into_iter()
            .map(|(start, t)| PeriodTotals {
                start,
                orders: t.orders,
                revenue: t.revenue.into_vec(),
            })
            .collect()
    };
    let mut top_products: Vec<ProductSales> = products
        .into_iter()
        .map(|(sku, (title, t))| ProductSales {
            sku,
            title,
            quantity: t.quantity,
            orders: t.orders,
            revenue: t.revenue.into_vec(),
        })
        .collect();
    top_products.sort_by(|a, b| b.quantity.cmp(&a.quantity).then_with(|| a.sku.cmp(&b.sku)));
    top_products.truncate(top);
    let mut per_channel: Vec<ChannelCount> = channels
        .into_iter()
        .map(|(ref_tag, t)| ChannelCount {
            ref_tag,
            orders: t.orders,
            revenue: t.revenue.into_vec(),
        })
        .collect();
    per_channel.sort_by(|a, b| {
        b.orders
            .cmp(&a.orders)
            .then_with(|| a.ref_tag.cmp(&b.ref_tag))
    });
    OrderAnalytics {
        per_day: periods(days),
        per_week: periods(weeks),
        top_products,
        per_channel,
    }
}

impl Vitrine {
    /// Analytics of the orders `query` selects, with days in the shop's UTC offset (minutes).
    pub fn order_analytics(
        &self,
        query: &OrderQuery,
        utc_offset_minutes: i32,
    ) -> Result<OrderAnalytics, AppError> {
        let offset = utc_offset_minutes
            .checked_mul(60)
            .and_then(FixedOffset::east_opt)
            .ok_or_else(|| AppError::invalid("UTC offset", "must be between -24 and +24 hours"))?;
        Ok(analyse(&self.orders(query)?, offset, 10))
    }
}
