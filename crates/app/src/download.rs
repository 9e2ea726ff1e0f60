//! Fetching product photos given as http(s) URLs in imports.

use std::io::Read;
use std::time::Duration;

/// Downloads with a size cap and timeouts. Only `http` and `https` URLs are fetched.
#[derive(Clone)]
pub struct Downloader {
    agent: ureq::Agent,
    max_bytes: u64,
}

impl Default for Downloader {
    fn default() -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .timeout_connect(Some(Duration::from_secs(15)))
            .user_agent("Vitrine/0.1 (catalog import)")
            .build()
            .into();
        // 40 MB: phone photos are under 15 MB; anything bigger is not a product photo.
        Self {
            agent,
            max_bytes: 40 * 1024 * 1024,
        }
    }
}

impl Downloader {
    /// The body of `url`, or a sentence saying why not.
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err("only http and https addresses can be downloaded".to_owned());
        }
        let mut response = self.agent.get(url).call().map_err(|e| match e {
            ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}"),
            ureq::Error::Timeout(_) => "the download timed out".to_owned(),
            other => format!("the download failed ({other})"),
        })?;
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(self.max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("the download was interrupted ({e})"))?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(format!(
                "the file is larger than {} MB",
                self.max_bytes / 1_048_576
            ));
        }
        Ok(bytes)
    }
}
