//! Rules about the web addresses Vitrine sends secrets to.

use std::net::IpAddr;

/// True when a request to `url` would cross the network unencrypted: plain `http://` to
/// anywhere but this computer (`localhost`, 127.0.0.0/8, `::1`). Such an address must not
/// receive a token, a signed request or a customer's message. An address that does not
/// parse is left to the caller's own checks (no request can be sent to it).
pub fn sends_in_clear(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url.trim()) else {
        return false;
    };
    if url.scheme() != "http" {
        return false;
    }
    let host = url.host_str().unwrap_or_default();
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let on_this_computer = bare.trim_end_matches('.').eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| match ip {
            IpAddr::V4(ip) => ip.is_loopback(),
            IpAddr::V6(ip) => {
                ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
            }
        });
    !on_this_computer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_in_clear_except_to_this_computer() {
        for url in [
            "http://relay.example",
            "http://192.168.1.10:8080",
            "HTTP://bucket.example/x",
        ] {
            assert!(sends_in_clear(url), "{url} crosses the network in clear");
        }
        for url in [
            "https://relay.example",
            "http://localhost:9000",
            "http://LOCALHOST.:9000",
            "http://127.0.0.5",
            "http://[::1]:8080",
            "http://[::ffff:127.0.0.1]/",
            "not a url",
        ] {
            assert!(
                !sends_in_clear(url),
                "{url} is encrypted, local or not an address"
            );
        }
    }
}
