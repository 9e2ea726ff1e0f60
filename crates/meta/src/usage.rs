//! Meta's rate-limit usage headers.
//!
//! `X-Business-Use-Case-Usage` is an object keyed by business-object id, each holding an
//! array of `{type, call_count, total_cputime, total_time, estimated_time_to_regain_access}`
//! (percentages, and minutes for the last). Parsed generically: the `type` of catalog
//! buckets is not documented.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageEntry {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub call_count: u32,
    #[serde(default)]
    pub total_cputime: u32,
    #[serde(default)]
    pub total_time: u32,
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
            .map(|e| e.call_count.max(e.total_cputime).max(e.total_time))
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
}
