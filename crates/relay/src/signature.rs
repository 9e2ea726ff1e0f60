//! `X-Hub-Signature-256`: Meta signs every webhook POST with HMAC-SHA256 of the raw body
//! bytes, keyed with the app secret, sent as `sha256=<64 lowercase hex digits>`. The relay
//! checks it on the exact bytes received (never re-serialised JSON) and compares in constant
//! time, before it parses anything.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The Meta app secret. Never printed: `Debug` shows a placeholder.
#[derive(Clone)]
pub struct AppSecret(Vec<u8>);

impl AppSecret {
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into())
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }

    /// The header value Meta would send for `body`: `sha256=<hex>`. For tests and the bench.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    /// Checks a `X-Hub-Signature-256` header value against `body`.
    pub fn verify(&self, header: Option<&[u8]>, body: &[u8]) -> Result<(), SignatureError> {
        let header = header.ok_or(SignatureError::Missing)?;
        let hex_digest = header
            .strip_prefix(b"sha256=")
            .ok_or(SignatureError::Malformed)?;
        let mut digest = [0u8; 32];
        hex::decode_to_slice(hex_digest, &mut digest).map_err(|_| SignatureError::Malformed)?;
        let mut mac = self.mac();
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(&digest)
            .map_err(|_| SignatureError::Mismatch)
    }
}

impl std::fmt::Debug for AppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppSecret(<redacted>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no X-Hub-Signature-256 header")]
    Missing,
    #[error("X-Hub-Signature-256 is not sha256= and 64 hex digits")]
    Malformed,
    #[error("X-Hub-Signature-256 does not match the body")]
    Mismatch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_made_with_the_secret_verifies_and_any_change_fails() {
        let secret = AppSecret::new("s3cret");
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let header = secret.sign(body);
        assert_eq!(secret.verify(Some(header.as_bytes()), body), Ok(()));
        assert_eq!(
            secret.verify(Some(header.as_bytes()), b"{}"),
            Err(SignatureError::Mismatch),
            "another body"
        );
        assert_eq!(
            AppSecret::new("other").verify(Some(header.as_bytes()), body),
            Err(SignatureError::Mismatch),
            "another secret"
        );
        assert_eq!(
            secret.verify(Some(&header.as_bytes()[..header.len() - 2]), body),
            Err(SignatureError::Malformed),
            "truncated"
        );
        assert_eq!(secret.verify(None, body), Err(SignatureError::Missing));
    }

    #[test]
    fn the_secret_never_prints() {
        assert!(!format!("{:?}", AppSecret::new("s3cret")).contains("s3cret"));
    }
}
