//! Order analytics as data for charts: orders and revenue per day and per week, the best
//! selling products and the orders each attribution channel (ref tag) brought. Cancelled
//! orders count nowhere. Revenue is exact money kept per currency (a shop normally has
//! one); days and weeks (starting Monday) are the shop's calendar days in its time zone,
//! with the offset in force when each order came (summer time included).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::money::Money;
use crate::time_zone::TimeZone;

use super::{Order, OrderStatus};

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

/// The analytics of `orders` with days in `zone`, keeping the `top` best products.
pub fn analyse(orders: &[Order], zone: TimeZone, top: usize) -> OrderAnalytics {
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut weeks: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let mut products: BTreeMap<String, (Option<String>, Tally)> = BTreeMap::new();
    let mut channels: BTreeMap<Option<String>, Tally> = BTreeMap::new();
    for order in orders.iter().filter(|o| o.status != OrderStatus::Cancelled) {
        let day = zone.date_of(order.received_at);
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::money::Currency;
    use crate::order::{Customer, OrderLine};

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::from_code("USD").expect("USD"))
    }

    /// An order of one mug for 25.00 USD received at `at` (RFC 3339).
    fn order(id: i64, at: &str, status: OrderStatus) -> Order {
        let total = Some(usd(2500));
        Order {
            id,
            wamid: format!("wamid.{id}"),
            phone_number_id: "106540352242922".into(),
            customer: Customer {
                wa_id: "201001234567".into(),
                name: "Nour".into(),
            },
            received_at: DateTime::parse_from_rfc3339(at)
                .expect("an RFC 3339 instant")
                .with_timezone(&Utc),
            status,
            note: String::new(),
            ref_tag: None,
            catalog_id: "194836987003835".into(),
            customer_text: String::new(),
            lines: vec![OrderLine {
                sku: "MUG-01".into(),
                quantity: 1,
                item_price: "25".into(),
                unit_price: total,
                line_total: total,
                product: None,
                price_differs: false,
            }],
            total,
            item_count: 1,
            has_unknown_products: false,
            has_price_differences: false,
        }
    }

    fn cairo() -> TimeZone {
        TimeZone::parse("Africa/Cairo").expect("Cairo is in the database")
    }

    fn starts(periods: &[PeriodTotals]) -> Vec<(String, u64)> {
        periods
            .iter()
            .map(|p| (p.start.to_string(), p.orders))
            .collect()
    }

    #[test]
    fn a_late_evening_order_counts_on_the_shops_day_with_summer_time() {
        // Egypt: UTC+3 from 25 April to 30 October 2025, UTC+2 before and after.
        let orders = [
            order(1, "2025-07-15T21:30:00Z", OrderStatus::New),
            order(2, "2025-01-15T21:30:00Z", OrderStatus::New),
        ];
        let stats = analyse(&orders, cairo(), 10);
        assert_eq!(
            starts(&stats.per_day),
            vec![("2025-01-15".into(), 1), ("2025-07-16".into(), 1)],
            "21:30 UTC is 23:30 the same day in a Cairo winter, 00:30 the next day in summer"
        );
        assert_eq!(
            starts(&analyse(&orders, TimeZone::UTC, 10).per_day),
            vec![("2025-01-15".into(), 1), ("2025-07-15".into(), 1)],
            "the same orders in UTC stay on their UTC day"
        );
    }

    #[test]
    fn a_week_starts_on_monday_in_the_shops_zone() {
        // Sunday 13 July 2025, 21:30 UTC, is already Monday 14 July, 00:30, in Cairo.
        let orders = [
            order(1, "2025-07-13T21:30:00Z", OrderStatus::New),
            order(2, "2025-07-13T20:30:00Z", OrderStatus::Paid),
        ];
        let stats = analyse(&orders, cairo(), 10);
        assert_eq!(
            starts(&stats.per_week),
            vec![("2025-07-07".into(), 1), ("2025-07-14".into(), 1)],
            "23:30 on Sunday ends the week of Monday 7 July; 00:30 on Monday starts the next"
        );
        assert_eq!(
            starts(&analyse(&orders, TimeZone::UTC, 10).per_week),
            vec![("2025-07-07".into(), 2)],
            "in UTC both are on Sunday 13 July"
        );
    }

    #[test]
    fn cancelled_orders_count_nowhere() {
        let orders = [
            order(1, "2025-07-15T09:00:00Z", OrderStatus::Delivered),
            order(2, "2025-07-15T10:00:00Z", OrderStatus::Cancelled),
        ];
        let stats = analyse(&orders, cairo(), 10);
        assert_eq!(starts(&stats.per_day), vec![("2025-07-15".into(), 1)]);
        assert_eq!(
            stats.per_day[0].revenue,
            vec![usd(2500)],
            "only the delivered order's revenue"
        );
        assert_eq!(
            (stats.top_products[0].quantity, stats.per_channel[0].orders),
            (1, 1),
            "nor in products or channels"
        );
    }
}
