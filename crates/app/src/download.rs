//! Fetching product photos given as http(s) URLs in imports.

use std::io::Read;
use std::time::Duration;

/// Why a download failed, in words for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("only http and https addresses can be downloaded")]
    NotHttp,
    #[error("the server answered HTTP {0}")]
    Status(u16),
    #[error("the download timed out")]
    Timeout,
    #[error("the download failed ({0})")]
    Failed(String),
    #[error("the download was interrupted ({0})")]
    Interrupted(String),
    #[error("the file is larger than {0} MB")]
    TooLarge(u64),
}

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
    /// The body of `url`.
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, DownloadError> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(DownloadError::NotHttp);
        }
        let mut response = self.agent.get(url).call().map_err(|e| match e {
            ureq::Error::StatusCode(code) => DownloadError::Status(code),
            ureq::Error::Timeout(_) => DownloadError::Timeout,
            other => DownloadError::Failed(other.to_string()),
        })?;
        let mut bytes = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(self.max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DownloadError::Interrupted(e.to_string()))?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(DownloadError::TooLarge(self.max_bytes / 1_048_576));
        }
        Ok(bytes)
    }
}
