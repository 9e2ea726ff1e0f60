//! Fetching product photos given as http(s) URLs (a CSV import, an import from Meta).
//!
//! An address in a file is not trusted: it could point at the merchant's router, a service
//! on this computer or a cloud machine's metadata endpoint (`169.254.169.254`). So only
//! `http` and `https` are fetched, and only from public addresses: never loopback, private
//! (RFC 1918, IPv6 unique local), link-local, carrier-grade NAT (`100.64.0.0/10`),
//! unspecified, multicast, broadcast, documentation or reserved ranges, nor those written
//! as IPv4-mapped (or NAT64, 6to4) IPv6. The check is made on the address actually
//! connected to: host names go through [`CheckedResolver`], which hands the connection only
//! the addresses it checked (a second DNS answer cannot swap them), and an address written
//! in the URL in any form the URL standard reads (`2130706433`, `0x7f.1`, `[::ffff:7f00:1]`)
//! is checked before the request and at each redirect. No proxy is taken from the
//! environment: the proxy would be what is connected to. At most [`MAX_REDIRECTS`]
//! redirects, [`MAX_PHOTO_BYTES`] per photo, 15 s to connect and 60 s in all (by default;
//! tests shorten it). Several photos are fetched [`MAX_PARALLEL_DOWNLOADS`] at a time.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Most bytes read from one photo, a file or a download: phone photos are under 15 MB, and
/// anything bigger is not a product photo.
pub const MAX_PHOTO_BYTES: u64 = 40 * 1024 * 1024;

/// Set to `allow` (for tests and local photo servers), downloads from loopback are allowed
/// for a [`Downloader::from_environment`]; a file can choose an address, not the environment.
pub const LOOPBACK_ENV: &str = "VITRINE_DOWNLOAD_LOOPBACK";

/// Redirects followed before a download is given up.
pub const MAX_REDIRECTS: usize = 5;

/// How long one download may take in all, unless [`Downloader::with_timeout`] says otherwise.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(60);

/// How long connecting may take (never more than the whole download's time).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Downloads [`Downloader::fetch_all`] runs at the same time: a row's photos arrive together
/// without opening dozens of connections to one shop's server.
pub const MAX_PARALLEL_DOWNLOADS: usize = 4;

/// Why a download failed, in words for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("only http and https addresses can be downloaded")]
    NotHttp,
    #[error("the address cannot be read ({0})")]
    BadAddress(String),
    #[error("{0} is on this computer or a private network; photos are only downloaded from public addresses")]
    NotPublic(String),
    #[error("the address redirects more than {0} times")]
    TooManyRedirects(usize),
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// No connection could be made: no internet, a name that does not resolve, a server
    /// that is down.
    #[error("the server could not be reached ({0})")]
    Unreachable(String),
    #[error("the download timed out")]
    Timeout,
    #[error("the download failed ({0})")]
    Failed(String),
    #[error("the download was interrupted ({0})")]
    Interrupted(String),
    #[error("the file is larger than {0} MB")]
    TooLarge(u64),
}

/// Which addresses may be connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AddressRules {
    /// Loopback (`127.0.0.0/8`, `::1`) too: tests and local servers only.
    loopback: bool,
    /// One more server, written as its IP address in the URL (a test's photo server).
    server: Option<SocketAddr>,
}

const PUBLIC_ONLY: AddressRules = AddressRules {
    loopback: false,
    server: None,
};

/// Downloads with the address rules, a size cap and timeouts; see the module documentation.
#[derive(Clone)]
pub struct Downloader {
    client: Result<reqwest::Client, String>,
    rules: AddressRules,
    max_bytes: u64,
    timeout: Duration,
}

impl Default for Downloader {
    /// Public addresses only.
    fn default() -> Self {
        Self::build(PUBLIC_ONLY, DOWNLOAD_TIMEOUT)
    }
}

impl DownloadError {
    /// True when the address itself is refused (not http(s), not public, unreadable): the
    /// file must name another one, trying again later cannot help.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::NotHttp | Self::NotPublic(_) | Self::BadAddress(_)
        )
    }
}

impl Downloader {
    /// Also downloads from loopback addresses (this computer): for tests, whose photo
    /// servers run on loopback, and for nothing a file can choose.
    pub fn allowing_loopback() -> Self {
        Self::build(
            AddressRules {
                loopback: true,
                ..PUBLIC_ONLY
            },
            DOWNLOAD_TIMEOUT,
        )
    }

    /// Public addresses and the one server at `server` (a test's, on loopback), when a URL
    /// names it by that IP address and port; nothing else on this computer.
    pub fn allowing_server(server: SocketAddr) -> Self {
        Self::build(
            AddressRules {
                server: Some(server),
                ..PUBLIC_ONLY
            },
            DOWNLOAD_TIMEOUT,
        )
    }

    /// The same address rules, giving each download at most `timeout` in all (connecting
    /// included) instead of [`DOWNLOAD_TIMEOUT`]: for tests of a slow server.
    pub fn with_timeout(self, timeout: Duration) -> Self {
        Self::build(self.rules, timeout)
    }

    /// How long one download may take in all.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Public addresses only, unless [`LOOPBACK_ENV`] is `allow`.
    pub fn from_environment() -> Self {
        if std::env::var(LOOPBACK_ENV).is_ok_and(|v| v == "allow") {
            Self::allowing_loopback()
        } else {
            Self::default()
        }
    }

    fn build(rules: AddressRules, timeout: Duration) -> Self {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(DownloadError::TooManyRedirects(MAX_REDIRECTS));
            }
            match check_url(attempt.url(), rules) {
                Ok(()) => attempt.follow(),
                Err(e) => attempt.error(e),
            }
        });
        let client = reqwest::Client::builder()
            .user_agent("Vitrine/0.1 (catalog import)")
            .timeout(timeout)
            .connect_timeout(CONNECT_TIMEOUT.min(timeout))
            .redirect(redirects)
            .dns_resolver(Arc::new(CheckedResolver { rules }))
            .no_proxy()
            // Each fetch runs on a runtime of its own: no connection may outlive it in a pool.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| e.to_string());
        Self {
            client,
            rules,
            max_bytes: MAX_PHOTO_BYTES,
            timeout,
        }
    }

    /// The body of `url`. Blocks the calling thread, from any thread (also one of an async
    /// runtime: the request runs on a thread of its own).
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, DownloadError> {
        self.fetch_all(&[url])
            .pop()
            .unwrap_or_else(|| Err(DownloadError::Failed("the download stopped".to_owned())))
    }

    /// The bodies of `urls`, in their order, fetched [`MAX_PARALLEL_DOWNLOADS`] at a time;
    /// each fails or succeeds on its own. Blocks like [`Downloader::fetch`].
    pub fn fetch_all(&self, urls: &[&str]) -> Vec<Result<Vec<u8>, DownloadError>> {
        let checked: Vec<Result<reqwest::Url, DownloadError>> =
            urls.iter().map(|url| self.check(url)).collect();
        if checked.iter().all(Result::is_err) {
            return checked
                .into_iter()
                .filter_map(Result::err)
                .map(Err)
                .collect();
        }
        let client = match &self.client {
            Ok(client) => client.clone(),
            Err(e) => {
                return urls
                    .iter()
                    .map(|_| Err(DownloadError::Failed(e.clone())))
                    .collect()
            }
        };
        let fail_all = |message: String| {
            urls.iter()
                .map(|_| Err(DownloadError::Failed(message.clone())))
                .collect()
        };
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let runtime = match tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        Ok(runtime) => runtime,
                        Err(e) => return fail_all(e.to_string()),
                    };
                    let downloads = futures_util::stream::iter(checked.into_iter().map(|url| {
                        let client = &client;
                        async move { self.get(client, url?).await }
                    }))
                    .buffered(MAX_PARALLEL_DOWNLOADS)
                    .collect::<Vec<_>>();
                    runtime.block_on(downloads)
                })
                .join()
                .unwrap_or_else(|_| fail_all("the download stopped".to_owned()))
        })
    }

    /// Like [`Downloader::fetch_all`], except that an address on a host found unreachable
    /// earlier in `hosts` fails at once with that host's error, and hosts found unreachable
    /// now are added: one import or retry asks the network about each host once.
    pub fn fetch_all_skipping(
        &self,
        urls: &[&str],
        hosts: &mut UnreachableHosts,
    ) -> Vec<Result<Vec<u8>, DownloadError>> {
        let keys: Vec<Option<String>> = urls.iter().map(|url| host_key(url)).collect();
        let mut results: Vec<Option<Result<Vec<u8>, DownloadError>>> = keys
            .iter()
            .map(|key| {
                key.as_ref()
                    .and_then(|k| hosts.0.get(k))
                    .map(|e| Err(e.clone()))
            })
            .collect();
        let todo: Vec<&str> = urls
            .iter()
            .zip(&results)
            .filter(|(_, done)| done.is_none())
            .map(|(url, _)| *url)
            .collect();
        let mut fetched = self.fetch_all(&todo).into_iter();
        for (result, key) in results.iter_mut().zip(&keys) {
            if result.is_some() {
                continue;
            }
            let outcome = fetched
                .next()
                .unwrap_or_else(|| Err(DownloadError::Failed("the download stopped".to_owned())));
            if let (Err(e @ DownloadError::Unreachable(_)), Some(key)) = (&outcome, key) {
                hosts.0.insert(key.clone(), e.clone());
            }
            *result = Some(outcome);
        }
        results.into_iter().flatten().collect()
    }

    /// An address this downloader may fetch, or why not.
    fn check(&self, url: &str) -> Result<reqwest::Url, DownloadError> {
        let lower = url.trim().to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(DownloadError::NotHttp);
        }
        let url = reqwest::Url::parse(url.trim())
            .map_err(|e| DownloadError::BadAddress(e.to_string()))?;
        check_url(&url, self.rules)?;
        Ok(url)
    }

    async fn get(
        &self,
        client: &reqwest::Client,
        url: reqwest::Url,
    ) -> Result<Vec<u8>, DownloadError> {
        let mut response = client.get(url).send().await.map_err(failure)?;
        let status = response.status();
        if !status.is_success() {
            return Err(DownloadError::Status(status.as_u16()));
        }
        let too_large = || DownloadError::TooLarge(self.max_bytes / 1_048_576);
        if response
            .content_length()
            .is_some_and(|n| n > self.max_bytes)
        {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| match failure(e) {
            DownloadError::Failed(m) => DownloadError::Interrupted(m),
            other => other,
        })? {
            if (bytes.len() + chunk.len()) as u64 > self.max_bytes {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// A redirect's or the first request's address: http(s), and a public one when written as
/// an IP address (a host name is checked by [`CheckedResolver`] once resolved).
fn check_url(url: &reqwest::Url, rules: AddressRules) -> Result<(), DownloadError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(DownloadError::NotHttp);
    }
    let host = url
        .host_str()
        .ok_or_else(|| DownloadError::BadAddress("it names no server".to_owned()))?;
    // The URL parser writes an IPv4 address in any of its forms as dotted decimal, and an
    // IPv6 one in brackets.
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = literal.parse::<IpAddr>() else {
        return Ok(());
    };
    let socket = SocketAddr::new(ip, url.port_or_known_default().unwrap_or(80));
    if rules.allows(ip) || rules.server == Some(socket) {
        Ok(())
    } else {
        Err(DownloadError::NotPublic(ip.to_string()))
    }
}

/// Resolves host names with the system's resolver and keeps only the addresses the rules
/// allow; the connection is made to those and nothing else.
struct CheckedResolver {
    rules: AddressRules,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let rules = self.rules;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> =
                found.into_iter().filter(|a| rules.allows(a.ip())).collect();
            if allowed.is_empty() {
                return Err(Box::new(DownloadError::NotPublic(host)) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

impl AddressRules {
    fn allows(self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => self.allows_v4(v4),
            IpAddr::V6(v6) => self.allows_v6(v6),
        }
    }

    fn allows_v4(self, ip: Ipv4Addr) -> bool {
        if ip.is_loopback() {
            return self.loopback;
        }
        let [a, b, c, _] = ip.octets();
        let refused = a == 0 // "this network", 0.0.0.0 included
            || a == 10
            || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
            || (a == 169 && b == 254) // link-local, cloud metadata
            || (a == 172 && (16..32).contains(&b))
            || (a == 192 && b == 168)
            || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
            || (a == 192 && b == 0 && c == 2) // documentation
            || (a == 198 && (b == 18 || b == 19)) // benchmarking
            || (a == 198 && b == 51 && c == 100)
            || (a == 203 && b == 0 && c == 113)
            || a >= 224; // multicast, reserved, broadcast
        !refused
    }

    fn allows_v6(self, ip: Ipv6Addr) -> bool {
        if ip.is_loopback() {
            return self.loopback;
        }
        let s = ip.segments();
        // An IPv4 address inside an IPv6 one: mapped (::ffff:0:0/96), compatible (::/96),
        // NAT64 (64:ff9b::/96) or 6to4 (2002::/16) reaches that IPv4 address.
        let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
        if let Some(v4) = ip.to_ipv4() {
            return !ip.is_unspecified() && self.allows_v4(v4);
        }
        if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
            return self.allows_v4(embedded(s[6], s[7]));
        }
        if s[0] == 0x2002 {
            return self.allows_v4(embedded(s[1], s[2]));
        }
        let refused = (s[0] & 0xfe00) == 0xfc00 // unique local
            || (s[0] & 0xffc0) == 0xfe80 // link-local
            || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
            || (s[0] & 0xff00) == 0xff00 // multicast
            || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
            || (s[0] == 0x2001 && s[1] == 0); // Teredo
        !refused
    }
}

/// Hosts (name and port) found unreachable during one import or retry, with the error each
/// gave; see [`Downloader::fetch_all_skipping`].
#[derive(Debug, Default)]
pub struct UnreachableHosts(std::collections::HashMap<String, DownloadError>);

/// `host:port` of an address, the unit [`UnreachableHosts`] remembers.
fn host_key(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url.trim()).ok()?;
    Some(format!(
        "{}:{}",
        url.host_str()?,
        url.port_or_known_default()?
    ))
}

/// A failed request in the merchant's words; an address refused by the rules (here or
/// at a redirect) says so.
fn failure(e: reqwest::Error) -> DownloadError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(cause) = source {
        if let Some(ours) = cause.downcast_ref::<DownloadError>() {
            return ours.clone();
        }
        source = cause.source();
    }
    if e.is_timeout() {
        return DownloadError::Timeout;
    }
    let mut innermost: &dyn std::error::Error = &e;
    while let Some(cause) = innermost.source() {
        innermost = cause;
    }
    if e.is_connect() {
        return DownloadError::Unreachable(innermost.to_string());
    }
    DownloadError::Failed(innermost.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> bool {
        let url = reqwest::Url::parse(url).expect("a URL");
        matches!(
            check_url(&url, PUBLIC_ONLY),
            Err(DownloadError::NotPublic(_))
        )
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_refused_in_every_spelling() {
        for url in [
            "http://127.0.0.1/",
            "http://10.0.0.1/",
            "http://172.16.5.4/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://0/",
            "http://0.0.0.0/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "http://127.1/",
            "http://[::1]/",
            "http://[::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:10.0.0.1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[fc00::1]/",
            "http://[fd12:3456::1]/",
            "http://[fe80::1]/",
            "http://[ff02::1]/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
        ] {
            assert!(refused(url), "{url} must not be fetched");
        }
    }

    #[test]
    fn public_addresses_and_host_names_pass_the_literal_check() {
        for url in [
            "https://93.184.215.14/",
            "http://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
            "https://cdn.example/photo.jpg",
            "http://172.32.0.1/",
            "http://100.128.0.1/",
        ] {
            assert!(
                !refused(url),
                "{url} is public (a name is checked once resolved)"
            );
        }
    }

    #[test]
    fn loopback_is_allowed_only_when_asked() {
        let rules = AddressRules {
            loopback: true,
            ..PUBLIC_ONLY
        };
        assert!(rules.allows("127.0.0.1".parse().expect("ip")));
        assert!(rules.allows("::1".parse().expect("ip")));
        assert!(
            !rules.allows("10.0.0.1".parse().expect("ip")),
            "private stays refused"
        );
        assert!(!rules.allows("169.254.169.254".parse().expect("ip")));
    }

    #[test]
    fn a_host_found_unreachable_is_not_asked_again_in_the_same_import() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = closed.local_addr().expect("addr");
        drop(closed);
        let d = Downloader::allowing_loopback();
        let urls: Vec<String> = (0..3).map(|i| format!("http://{addr}/p{i}.jpg")).collect();
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        let mut hosts = UnreachableHosts::default();
        let first = d.fetch_all_skipping(&urls, &mut hosts);
        assert!(first
            .iter()
            .all(|r| matches!(r, Err(DownloadError::Unreachable(_)))));
        // The host comes up, but this import already knows it as unreachable.
        let server = std::net::TcpListener::bind(addr).expect("rebind");
        let again = d.fetch_all_skipping(&urls[..1], &mut hosts);
        assert!(
            matches!(again[0], Err(DownloadError::Unreachable(_))),
            "answered from memory, without the network"
        );
        server.set_nonblocking(true).expect("nonblocking");
        assert!(
            server.accept().is_err(),
            "no connection was made to the host"
        );
        let other = format!("http://{}/p.jpg", "127.0.0.2:9");
        assert_eq!(
            d.fetch_all_skipping(&[other.as_str()], &mut hosts).len(),
            1,
            "another host is asked"
        );
    }

    #[test]
    fn only_http_and_https_are_fetched() {
        let d = Downloader::default();
        for url in [
            "file:///etc/passwd",
            "ftp://example.com/a.jpg",
            "gopher://x/",
        ] {
            assert_eq!(d.fetch(url), Err(DownloadError::NotHttp), "{url}");
        }
    }
}
