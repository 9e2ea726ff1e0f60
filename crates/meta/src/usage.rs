//! Meta's rate-limit usage headers, and the pause Vitrine takes before a limit.
//!
//! `X-Business-Use-Case-Usage` is an object keyed by business-object id, each holding an
//! array of `{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`
//! (percentages, and minutes for the last). Parsed generically: the `type` of catalog
//! buckets is not documented. `X-App-Usage` is one flat `{call_count, total_time,
//! total_cputime}` object (percentages) for the app's platform limit.
//!
//! Meta asks clients to stop before its limits rather than at them (meta-api.md §2.3): once
//! any of these percentages reaches [`SLOW_DOWN_AT_PERCENT`], the next call waits 10 s for
//! each point from 89 % (10 s at 90 %, 60 s at 95 %, 110 s at 100 %), at most
//! [`LONGEST_USAGE_PAUSE`]; a non-zero `estimated_time_to_regain_access` (a limit already
//! reached) is waited out whatever the percentages.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Usage, in percent of any limit, from which calls are spaced out.
pub const SLOW_DOWN_AT_PERCENT: u32 = 90;
/// The longest pause Vitrine derives from a percentage alone (Meta's own estimate may be
/// longer).
pub const LONGEST_USAGE_PAUSE: Duration = Duration::from_secs(120);
/// The pause per usage point above 89 %.
const PAUSE_PER_POINT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageEntry {
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `call_count`, `total_cputime`, `total_time`: the same percentages as the app's.
    #[serde(flatten)]
    pub used: AppUsage,
    /// Minutes until calls are accepted again.
    #[serde(default)]
    pub estimated_time_to_regain_access: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessUseCaseUsage {
    pub entries: BTreeMap<String, Vec<UsageEntry>>,
}

impl BusinessUseCaseUsage {
    /// Parses the header value; `None` when absent or not the documented shape.
    pub fn parse(header: &str) -> Option<Self> {
        let entries: BTreeMap<String, Vec<UsageEntry>> = serde_json::from_str(header).ok()?;
        Some(Self { entries })
    }

    /// The highest of all usage percentages (call count, CPU, time).
    pub fn max_percent(&self) -> u32 {
        self.entries
            .values()
            .flatten()
            .map(|e| e.used.max_percent())
            .max()
            .unwrap_or(0)
    }

    /// The longest wait Meta asks for before calling again.
    pub fn regain_access_after(&self) -> Option<Duration> {
        let minutes = self
            .entries
            .values()
            .flatten()
            .map(|e| e.estimated_time_to_regain_access)
            .max()?;
        (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60))
    }
}

/// `X-App-Usage`, the app's platform usage, in percent; also the percentages of each
/// business use case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppUsage {
    #[serde(default)]
    pub call_count: u32,
    #[serde(default)]
    pub total_cputime: u32,
    #[serde(default)]
    pub total_time: u32,
}

impl AppUsage {
    /// Parses the header value; `None` when absent or not the documented shape.
    pub fn parse(header: &str) -> Option<Self> {
        serde_json::from_str(header).ok()
    }

    pub fn max_percent(&self) -> u32 {
        self.call_count.max(self.total_cputime).max(self.total_time)
    }
}

/// How long to wait before the next call, given the usage headers of the last answer:
/// `None` below [`SLOW_DOWN_AT_PERCENT`].
pub fn pause_before_next_call(
    business: Option<&BusinessUseCaseUsage>,
    app: Option<&AppUsage>,
) -> Option<Duration> {
    // A wait Meta estimates means a limit is already reached, whatever the percentages.
    if let Some(regain) = business.and_then(BusinessUseCaseUsage::regain_access_after) {
        return Some(regain);
    }
    let percent = business
        .map_or(0, BusinessUseCaseUsage::max_percent)
        .max(app.map_or(0, AppUsage::max_percent));
    if percent < SLOW_DOWN_AT_PERCENT {
        return None;
    }
    let points = percent - (SLOW_DOWN_AT_PERCENT - 1);
    Some(
        PAUSE_PER_POINT
            .saturating_mul(points)
            .min(LONGEST_USAGE_PAUSE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nested_documented_shape_is_read() {
        let header = r#"{"66782684":[{"type":"ads_management","call_count":95,"total_cputime":20,"total_time":20,"estimated_time_to_regain_access":3,"ads_api_access_tier":"development_access"}],"1234":[{"type":"catalog_batch","call_count":10}]}"#;
        let usage = BusinessUseCaseUsage::parse(header).expect("documented shape");
        assert_eq!(usage.max_percent(), 95);
        assert_eq!(
            usage.regain_access_after(),
            Some(Duration::from_secs(180)),
            "minutes, not seconds"
        );
        assert!(
            BusinessUseCaseUsage::parse(r#"{"call_count":5}"#).is_none(),
            "a flat object is not the documented shape"
        );
    }

    fn business(call_count: u32, cputime: u32, regain_minutes: u32) -> BusinessUseCaseUsage {
        let header = format!(
            r#"{{"1":[{{"type":"catalog_batch","call_count":{call_count},"total_cputime":{cputime},"total_time":1,"estimated_time_to_regain_access":{regain_minutes}}}]}}"#
        );
        BusinessUseCaseUsage::parse(&header).expect("documented shape")
    }

    #[test]
    fn calls_are_spaced_out_from_90_percent_of_any_limit() {
        assert_eq!(
            pause_before_next_call(Some(&business(89, 89, 0)), None),
            None,
            "below the threshold nothing waits"
        );
        assert_eq!(
            pause_before_next_call(Some(&business(90, 1, 0)), None),
            Some(Duration::from_secs(10)),
            "the call count alone reaches it"
        );
        assert_eq!(
            pause_before_next_call(Some(&business(5, 95, 0)), None),
            Some(Duration::from_secs(60)),
            "CPU time counts like calls, and the pause grows with the usage"
        );
        assert_eq!(
            pause_before_next_call(Some(&business(100, 1, 0)), None),
            Some(Duration::from_secs(110))
        );
        assert_eq!(
            pause_before_next_call(Some(&business(250, 1, 0)), None),
            Some(LONGEST_USAGE_PAUSE),
            "a percentage alone never asks for more than the cap"
        );
        assert_eq!(
            pause_before_next_call(Some(&business(92, 1, 7)), None),
            Some(Duration::from_secs(7 * 60)),
            "Meta's own estimate wins"
        );
        assert_eq!(
            pause_before_next_call(Some(&business(40, 1, 2)), None),
            Some(Duration::from_secs(120)),
            "an estimate means a limit is reached, whatever the percentages say"
        );
        let app = AppUsage::parse(r#"{"call_count":28,"total_time":91,"total_cputime":25}"#)
            .expect("documented shape");
        assert_eq!(
            pause_before_next_call(Some(&business(10, 1, 0)), Some(&app)),
            Some(Duration::from_secs(20)),
            "the app's platform usage counts too"
        );
    }
}
