//! Device tokens: 32 random bytes, shown once as `vrd_<64 hex digits>` when a device is
//! added. The relay stores only their SHA-256, so a copy of its database lets no one read
//! a shop's messages.

use sha2::{Digest, Sha256};

const PREFIX: &str = "vrd_";

/// A device's bearer token. `Debug` hides it; [`DeviceToken::reveal`] is for printing it
/// once to the operator who added the device.
pub struct DeviceToken(String);

impl DeviceToken {
    /// A new random token from the operating system's generator.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes)?;
        Ok(Self(format!("{PREFIX}{}", hex::encode(bytes))))
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }

    pub fn sha256(&self) -> [u8; 32] {
        token_sha256(&self.0)
    }
}

impl std::fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceToken(<redacted>)")
    }
}

/// What the relay stores and looks a presented token up by.
pub fn token_sha256(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
