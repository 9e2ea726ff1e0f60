//! Where Vitrine publishes files (product photos, the storefront) for Meta and customers to
//! fetch: one trait, [`Host`], and its two implementations —
//!
//! * [`Folder`]: a folder the merchant's web host serves; each file is written beside its
//!   final name and renamed into place, so a reader never sees half a photo;
//! * [`Bucket`]: an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO),
//!   objects uploaded under an optional key prefix with their `Content-Type` and
//!   `Cache-Control`.
//!
//! Paths are relative to the target (the folder, or the bucket's prefix). The bucket's secret
//! access key is a [`SecretKey`]: it never appears in `Debug`, `Display`, logs or errors, and
//! is only sent as SigV4 signatures. An endpoint that would send it in clear (`http://` to
//! anywhere but this computer) is refused before any request.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};
use serde::Serialize;
use vitrine_core::address::sends_in_clear;

/// A place files are published to.
pub trait Host: Sync {
    /// Every file present, as paths relative to the target.
    fn list(&self) -> impl Future<Output = Result<HashSet<String>, HostingError>> + Send;
    /// Publishes `bytes` at `path`, replacing what was there.
    fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        headers: Headers,
    ) -> impl Future<Output = Result<(), HostingError>> + Send;
    /// Removes the file at `path` (nothing when it is already gone).
    fn delete(&self, path: &str) -> impl Future<Output = Result<(), HostingError>> + Send;
}

/// How a published file is served (a bucket sends these; a folder leaves them to its server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers {
    pub content_type: &'static str,
    pub cache_control: &'static str,
}

/// Why files could not be published, in words for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostingError {
    #[error("the bucket “{bucket}” refused the access key: check the access key id and the secret access key, and that the key may list and write this bucket")]
    Credentials { bucket: String },
    #[error("there is no bucket “{bucket}” at this address: check the bucket name, the region and the endpoint")]
    NoSuchBucket { bucket: String },
    #[error("the bucket cannot be reached at {endpoint}: check the endpoint and the internet connection")]
    Unreachable { endpoint: String },
    #[error("the bucket answered HTTP {status} while {action}")]
    Refused { status: u16, action: &'static str },
    #[error("publishing to the bucket failed while {action}")]
    Failed { action: &'static str },
    #[error(
        "the bucket settings are not usable: check the endpoint, the region and the bucket name"
    )]
    Settings,
    #[error("no secret access key is saved for the bucket: set the hosting again with its secret access key, or set {env}")]
    MissingSecret { env: &'static str },
    #[error("the system keychain is not available here; set {env} instead")]
    KeychainUnavailable { env: &'static str },
    #[error("the system keychain refused to keep the secret access key")]
    KeychainRefused,
    #[error("the storage address {endpoint} is plain http://, which would send the photos and the signed requests unencrypted: give the service's https:// address (plain http works only for a service on this computer, such as a local MinIO)")]
    PlainHttp { endpoint: String },
    #[error("{path}: {message}")]
    Folder { path: String, message: String },
}

impl HostingError {
    /// True when the merchant must change a setting (rather than retry later).
    pub fn is_setting(&self) -> bool {
        !matches!(
            self,
            Self::Unreachable { .. } | Self::Refused { .. } | Self::Failed { .. }
        )
    }
}

/// A bucket's secret access key. It never appears in `Debug`, `Display`, logs or errors;
/// only [`SecretKey::expose`] reveals it, to sign requests and to keep it in the keychain.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key, trimming the whitespace a paste often brings. `None` when empty.
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_owned();
        (!key.is_empty()).then_some(Self(key))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An S3-compatible bucket files are uploaded to (never holds the secret access key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Bucket {
    /// The service's URL for R2, B2 or MinIO; none for AWS S3 itself.
    pub endpoint: Option<String>,
    /// `us-east-1`…; `auto` for Cloudflare R2.
    pub region: String,
    pub bucket: String,
    /// Key prefix without surrounding slashes (`photos` puts objects at `photos/<name>`).
    pub prefix: Option<String>,
    pub access_key_id: String,
}

/// True when `prefix` (without surrounding slashes) is folder names separated by `/`, with
/// no empty, `.` or `..` part.
pub fn is_valid_prefix(prefix: &str) -> bool {
    ObjectPath::parse(prefix).is_ok()
}

/// Refuses an endpoint that [`sends_in_clear`].
pub fn encrypted_endpoint(endpoint: &str) -> Result<(), HostingError> {
    if sends_in_clear(endpoint) {
        return Err(HostingError::PlainHttp {
            endpoint: endpoint.to_owned(),
        });
    }
    Ok(())
}

/// A folder a web server serves.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn failure(path: &Path, e: &std::io::Error) -> HostingError {
        HostingError::Folder {
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }

    /// `path` under the root, refusing one that would leave it.
    fn inside(&self, path: &str) -> Result<PathBuf, HostingError> {
        if !is_valid_prefix(path) {
            return Err(HostingError::Folder {
                path: path.to_owned(),
                message: "not a path inside the folder".to_owned(),
            });
        }
        Ok(self.root.join(path))
    }
}

impl Host for Folder {
    async fn list(&self) -> Result<HashSet<String>, HostingError> {
        let mut found = HashSet::new();
        let mut pending = vec![self.root.clone()];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Self::failure(&dir, &e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| Self::failure(&dir, &e))?;
                let kind = entry.file_type().map_err(|e| Self::failure(&dir, &e))?;
                let path = entry.path();
                if kind.is_dir() {
                    pending.push(path);
                } else if let Ok(relative) = path.strip_prefix(&self.root) {
                    let parts: Vec<_> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect();
                    found.insert(parts.join("/"));
                }
            }
        }
        Ok(found)
    }

    async fn put(&self, path: &str, bytes: Vec<u8>, _: Headers) -> Result<(), HostingError> {
        let dest = self.inside(path)?;
        let dir = dest.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(dir).map_err(|e| Self::failure(dir, &e))?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.part"));
        std::fs::write(&tmp, &bytes).map_err(|e| Self::failure(&dest, &e))?;
        std::fs::rename(&tmp, &dest).map_err(|e| Self::failure(&dest, &e))
    }

    async fn delete(&self, path: &str) -> Result<(), HostingError> {
        let dest = self.inside(path)?;
        match std::fs::remove_file(&dest) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Self::failure(&dest, &e)),
            _ => Ok(()),
        }
    }
}

/// An S3-compatible bucket, opened with its secret access key.
pub struct Bucket {
    store: AmazonS3,
    settings: S3Bucket,
}

impl fmt::Debug for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bucket")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl Bucket {
    /// Prepares requests to `settings`' bucket (nothing is sent yet); refuses an endpoint
    /// that would carry the signed requests in clear.
    pub fn open(settings: &S3Bucket, secret: &SecretKey) -> Result<Self, HostingError> {
        settings
            .endpoint
            .as_deref()
            .map(encrypted_endpoint)
            .transpose()?;
        let mut builder = AmazonS3Builder::new()
            .with_region(&settings.region)
            .with_bucket_name(&settings.bucket)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(secret.expose())
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(Duration::from_secs(120))
                    .with_connect_timeout(Duration::from_secs(15)),
            )
            .with_retry(RetryConfig {
                max_retries: 4,
                retry_timeout: Duration::from_secs(120),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.to_ascii_lowercase().starts_with("http://"));
        }
        let store = builder.build().map_err(|_| HostingError::Settings)?;
        Ok(Self {
            store,
            settings: settings.clone(),
        })
    }

    fn key(&self, path: &str) -> ObjectPath {
        ObjectPath::from(match &self.settings.prefix {
            Some(p) => format!("{p}/{path}"),
            None => path.to_owned(),
        })
    }

    /// Turns a storage error into plain words. S3's error codes (`NoSuchBucket`,
    /// `SignatureDoesNotMatch`…) and status are read from the error's text, which holds the
    /// request URL and the service's answer but never the secret (SigV4 only sends
    /// signatures).
    fn classify(&self, error: &object_store::Error, action: &'static str) -> HostingError {
        use std::error::Error as _;
        let bucket = &self.settings;
        let credentials = || HostingError::Credentials {
            bucket: bucket.bucket.clone(),
        };
        if matches!(
            error,
            object_store::Error::PermissionDenied { .. }
                | object_store::Error::Unauthenticated { .. }
        ) {
            return credentials();
        }
        let mut text = error.to_string();
        let mut unreachable = false;
        let mut source = error.source();
        while let Some(e) = source {
            if let Some(http) = e.downcast_ref::<object_store::client::HttpError>() {
                unreachable |= matches!(
                    http.kind(),
                    object_store::client::HttpErrorKind::Connect
                        | object_store::client::HttpErrorKind::Timeout
                );
            }
            text.push_str(&e.to_string());
            source = e.source();
        }
        const CREDENTIAL_CODES: [&str; 6] = [
            "InvalidAccessKeyId",
            "SignatureDoesNotMatch",
            "AccessDenied",
            "InvalidToken",
            "ExpiredToken",
            "AuthorizationHeaderMalformed",
        ];
        let status = text
            .split("status code: ")
            .nth(1)
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse::<u16>().ok());
        let outcome = if CREDENTIAL_CODES.iter().any(|c| text.contains(c))
            || matches!(status, Some(401 | 403))
        {
            credentials()
        } else if text.contains("NoSuchBucket")
            || (status == Some(404) && action == "listing the bucket")
        {
            HostingError::NoSuchBucket {
                bucket: bucket.bucket.clone(),
            }
        } else if unreachable || (status.is_none() && text.contains("error sending request")) {
            HostingError::Unreachable {
                endpoint: bucket
                    .endpoint
                    .clone()
                    .unwrap_or_else(|| format!("the {} region", bucket.region)),
            }
        } else if let Some(status) = status {
            HostingError::Refused { status, action }
        } else {
            HostingError::Failed { action }
        };
        // The merchant sees the plain words; the details (URL, service answer) go to the log.
        tracing::warn!(error = %text, bucket = %bucket.bucket, action, "publishing to the bucket failed");
        outcome
    }
}

impl Host for Bucket {
    async fn list(&self) -> Result<HashSet<String>, HostingError> {
        let prefix = self.settings.prefix.as_deref().map(ObjectPath::from);
        let keys: Vec<String> = self
            .store
            .list(prefix.as_ref())
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(|e| self.classify(&e, "listing the bucket"))?;
        let strip = self.settings.prefix.as_ref().map(|p| format!("{p}/"));
        Ok(keys
            .into_iter()
            .filter_map(|key| match &strip {
                Some(p) => key.strip_prefix(p.as_str()).map(str::to_owned),
                None => Some(key),
            })
            .collect())
    }

    async fn put(&self, path: &str, bytes: Vec<u8>, headers: Headers) -> Result<(), HostingError> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, headers.content_type.into());
        attributes.insert(Attribute::CacheControl, headers.cache_control.into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&self.key(path), PutPayload::from(bytes), options)
            .await
            .map(drop)
            .map_err(|e| self.classify(&e, "uploading a file"))
    }

    async fn delete(&self, path: &str) -> Result<(), HostingError> {
        self.store
            .delete(&self.key(path))
            .await
            .map_err(|e| self.classify(&e, "removing an old file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: Headers = Headers {
        content_type: "image/jpeg",
        cache_control: "public, max-age=60",
    };

    #[test]
    fn a_secret_key_never_prints() {
        let key = SecretKey::new(" wJalrXUtnFEMI/K7MDENG \n").expect("non-empty");
        assert_eq!(key.expose(), "wJalrXUtnFEMI/K7MDENG", "trimmed");
        assert!(!format!("{key:?} {key}").contains("MDENG"));
        assert!(SecretKey::new("  ").is_none());
    }

    #[tokio::test]
    async fn a_folder_lists_puts_and_deletes_by_relative_path_and_keeps_inside() {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = Folder::new(dir.path().join("site"));
        assert!(folder
            .list()
            .await
            .expect("an absent folder is empty")
            .is_empty());
        folder
            .put("a.jpg", b"one".to_vec(), JPEG)
            .await
            .expect("put");
        folder
            .put("pt/index.html", b"<p>".to_vec(), JPEG)
            .await
            .expect("put in a subfolder");
        let listed = folder.list().await.expect("list");
        assert_eq!(
            listed,
            HashSet::from(["a.jpg".to_owned(), "pt/index.html".to_owned()]),
            "no .part file is left beside them"
        );
        folder.delete("a.jpg").await.expect("delete");
        folder
            .delete("a.jpg")
            .await
            .expect("deleting again is no error");
        assert!(
            folder.put("../out.jpg", b"x".to_vec(), JPEG).await.is_err(),
            "a path cannot leave the folder"
        );
        assert!(!dir.path().join("out.jpg").exists());
    }

    #[test]
    fn a_bucket_over_plain_http_is_refused_before_any_request() {
        let settings = S3Bucket {
            endpoint: Some("http://storage.example".to_owned()),
            region: "auto".to_owned(),
            bucket: "fotos".to_owned(),
            prefix: None,
            access_key_id: "AKID".to_owned(),
        };
        let secret = SecretKey::new("s3cr3t").expect("key");
        assert!(matches!(
            Bucket::open(&settings, &secret),
            Err(HostingError::PlainHttp { .. })
        ));
    }
}
