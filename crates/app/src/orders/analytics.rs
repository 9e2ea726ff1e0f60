//! The analytics use case: the orders a query selects, counted by
//! [`vitrine_core::order::analyse`] in the shop's time zone.

use vitrine_core::order::{analyse, OrderAnalytics};
use vitrine_core::TimeZone;

use super::OrderQuery;
use crate::{AppError, Vitrine};

/// How many best-selling products the analytics list.
const TOP_PRODUCTS: usize = 10;

impl Vitrine {
    /// Analytics of the orders `query` selects, with days and weeks (from Monday) in `zone`.
    pub fn order_analytics(
        &self,
        query: &OrderQuery,
        zone: TimeZone,
    ) -> Result<OrderAnalytics, AppError> {
        Ok(analyse(&self.orders(query)?, zone, TOP_PRODUCTS))
    }
}
