//! Where product photos are published for Meta to fetch.
//!
//! Photos are content-addressed: each is published as `<sha256>.jpg`, so a name never changes
//! meaning and a photo already published never needs sending again. Two targets:
//!
//! * a folder the merchant's web host serves, the files copied in;
//! * an S3-compatible bucket (AWS S3, Cloudflare R2, Backblaze B2, MinIO), the objects
//!   uploaded under an optional key prefix with `Content-Type: image/jpeg` and a one-year
//!   immutable `Cache-Control`.
//!
//! Either way Meta reads `<public_base_url>/<sha256>.jpg`. The bucket settings live in the
//! catalog database; its secret access key lives in the OS keychain (or
//! `VITRINE_S3_SECRET_KEY`), never in SQLite, logs, error messages or `Debug` output.
//!
//! A bucket endpoint must be `https://` ([`sends_in_clear`]): plain `http://` is refused when
//! set and again before every use (a setting can arrive by other ways than this module),
//! except on this computer (a local MinIO, tests). The public base URL may be plain http:
//! Meta and customers read it, and no secret goes there.

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, PutOptions, PutPayload, RetryConfig,
};
use serde::{Deserialize, Serialize};
use vitrine_core::address::sends_in_clear;
use vitrine_core::ContentHash;
use vitrine_store::{app_state, StoreError, Transaction};

use vitrine_env::{SecretError, TokenSource, S3_SECRET_ENV};

use crate::{AppError, Vitrine};

// Machine-bound settings: their names live in the store, which decides what a restore keeps.
const URL_KEY: &str = vitrine_store::machine::HOSTING_PUBLIC_BASE_URL;
const FOLDER_KEY: &str = vitrine_store::machine::HOSTING_FOLDER;
const S3_ENDPOINT_KEY: &str = vitrine_store::machine::HOSTING_S3_ENDPOINT;
const S3_REGION_KEY: &str = vitrine_store::machine::HOSTING_S3_REGION;
const S3_BUCKET_KEY: &str = vitrine_store::machine::HOSTING_S3_BUCKET;
const S3_PREFIX_KEY: &str = vitrine_store::machine::HOSTING_S3_PREFIX;
const S3_ACCESS_KEY_ID_KEY: &str = vitrine_store::machine::HOSTING_S3_ACCESS_KEY_ID;
const S3_KEYS: [&str; 5] = [
    S3_ENDPOINT_KEY,
    S3_REGION_KEY,
    S3_BUCKET_KEY,
    S3_PREFIX_KEY,
    S3_ACCESS_KEY_ID_KEY,
];

/// A name never changes content, so caches may keep a photo for a year.
const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";
/// Uploads in flight at once: enough to hide latency, few enough for a shop's uplink.
const UPLOADS_IN_FLIGHT: usize = 4;

/// Where product photos are published: files named `<sha256>.jpg` under `public_base_url`,
/// copied into `folder` (a folder the merchant's web host serves) or uploaded to `bucket`.
/// With neither, the merchant uploads the files themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageHosting {
    pub public_base_url: String,
    pub folder: Option<PathBuf>,
    pub bucket: Option<S3Bucket>,
}

/// An S3-compatible bucket photos are uploaded to (never holds the secret access key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct S3Bucket {
    /// The service's URL for R2, B2 or MinIO; none for AWS S3 itself.
    pub endpoint: Option<String>,
    /// `us-east-1`…; `auto` for Cloudflare R2.
    pub region: String,
    pub bucket: String,
    /// Key prefix without surrounding slashes (`photos` puts objects at `photos/<sha256>.jpg`).
    pub prefix: Option<String>,
    pub access_key_id: String,
}

/// Bucket settings as typed by the merchant; the secret access key is passed separately.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3HostingInput {
    /// Where Meta fetches the photos: the bucket's public URL, including the prefix.
    pub public_base_url: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub bucket: String,
    pub prefix: Option<String>,
    pub access_key_id: String,
}

/// A bucket's secret access key. It never appears in `Debug`, `Display`, logs or errors;
/// only [`SecretKey::expose`] reveals it, to sign requests.
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

/// What a publish did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PublishReport {
    /// Photos copied or uploaded now.
    pub uploaded: usize,
    /// Photos the folder or bucket already had.
    pub already_present: usize,
}

/// Why photos could not be published to a bucket, in words for the merchant.
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
    #[error("publishing photos to the bucket failed while {action}")]
    Failed { action: &'static str },
    #[error(
        "the bucket settings are not usable: check the endpoint, the region and the bucket name"
    )]
    Settings,
    #[error("no secret access key is saved for the bucket: set the hosting again with the key on standard input, or set {S3_SECRET_ENV}")]
    MissingSecret,
    #[error("the system keychain is not available here; set {S3_SECRET_ENV} instead")]
    KeychainUnavailable,
    #[error("the system keychain refused to keep the secret access key")]
    KeychainRefused,
    #[error("the storage address {endpoint} is plain http://, which would send the photos and the signed requests unencrypted: give the service's https:// address (plain http works only for a service on this computer, such as a local MinIO)")]
    PlainHttp { endpoint: String },
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

impl From<SecretError> for HostingError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Unavailable { .. } => Self::KeychainUnavailable,
            SecretError::Refused => Self::KeychainRefused,
        }
    }
}

fn storage(e: StoreError) -> AppError {
    AppError::from_store("saving the photo hosting", e)
}

/// Sets `key` to `value`, or removes it.
fn put(tx: &Transaction<'_>, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(v) => app_state::set(tx, key, v),
        None => {
            tx.execute("DELETE FROM app_state WHERE key = ?1", [key])?;
            Ok(())
        }
    }
}

/// A web address without its trailing slash, or why it is not one.
fn web_address(field: &'static str, text: &str, what: &str) -> Result<String, AppError> {
    let url = text.trim().trim_end_matches('/').to_owned();
    let lower = url.to_ascii_lowercase();
    let has_host = lower
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.is_empty());
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || !has_host
        || url.contains(char::is_whitespace)
    {
        return Err(AppError::invalid(
            field,
            format!("give {what}, starting with https://"),
        ));
    }
    Ok(url)
}

/// Refuses an endpoint that [`sends_in_clear`].
fn encrypted_endpoint(endpoint: &str) -> Result<(), HostingError> {
    if sends_in_clear(endpoint) {
        return Err(HostingError::PlainHttp {
            endpoint: endpoint.to_owned(),
        });
    }
    Ok(())
}

fn public_url(text: &str) -> Result<String, AppError> {
    web_address(
        "public URL",
        text,
        "the web address the photos will be served from",
    )
}

/// A single word (no spaces), or why not.
fn word(field: &'static str, text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || t.contains(char::is_whitespace) {
        return Err(AppError::invalid(field, "give one word, without spaces"));
    }
    Ok(t.to_owned())
}

fn bucket_name(text: &str) -> Result<String, AppError> {
    let name = word("bucket", text)?;
    if name.len() > 63 || name.contains('/') {
        return Err(AppError::invalid(
            "bucket",
            "a bucket name has at most 63 characters and no slash (put folders in the prefix)",
        ));
    }
    Ok(name)
}

fn key_prefix(text: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(prefix) = text
        .map(|p| p.trim().trim_matches('/'))
        .filter(|p| !p.is_empty())
    else {
        return Ok(None);
    };
    ObjectPath::parse(prefix).map_err(|_| {
        AppError::invalid(
            "prefix",
            "a prefix is folder names separated by “/”, without empty, “.” or “..” parts",
        )
    })?;
    Ok(Some(prefix.to_owned()))
}

impl Vitrine {
    pub fn image_hosting(&self) -> Result<Option<ImageHosting>, AppError> {
        let (url, folder, s3) = self
            .store
            .read(|c| {
                let mut s3 = Vec::with_capacity(S3_KEYS.len());
                for key in S3_KEYS {
                    s3.push(app_state::get(c, key)?);
                }
                Ok((
                    app_state::get(c, URL_KEY)?,
                    app_state::get(c, FOLDER_KEY)?,
                    s3,
                ))
            })
            .map_err(|e| AppError::from_store("reading the photo hosting", e))?;
        let Some(public_base_url) = url else {
            return Ok(None);
        };
        let bucket = match <[Option<String>; 5]>::try_from(s3) {
            Ok([endpoint, Some(region), Some(bucket), prefix, Some(access_key_id)]) => {
                Some(S3Bucket {
                    endpoint,
                    region,
                    bucket,
                    prefix,
                    access_key_id,
                })
            }
            _ => None,
        };
        Ok(Some(ImageHosting {
            public_base_url,
            folder: folder.map(PathBuf::from),
            bucket,
        }))
    }

    /// Publishes photos by copying them into `folder` (or leaves publishing to the merchant
    /// when `None`); replaces bucket hosting.
    pub fn set_image_hosting(
        &self,
        public_base_url: &str,
        folder: Option<PathBuf>,
    ) -> Result<ImageHosting, AppError> {
        let url = public_url(public_base_url)?;
        let folder_text = folder.as_ref().map(|f| f.display().to_string());
        self.store
            .write(|tx| {
                app_state::set(tx, URL_KEY, &url)?;
                put(tx, FOLDER_KEY, folder_text.as_deref())?;
                for key in S3_KEYS {
                    put(tx, key, None)?;
                }
                Ok(())
            })
            .map_err(storage)?;
        Ok(ImageHosting {
            public_base_url: url,
            folder,
            bucket: None,
        })
    }

    /// Publishes photos by uploading them to an S3-compatible bucket; replaces folder hosting.
    /// The secret access key, when given, goes to the keychain (without one, it is read from
    /// the keychain as saved before, or from `VITRINE_S3_SECRET_KEY`).
    pub fn set_s3_hosting(
        &self,
        input: &S3HostingInput,
        secret: Option<&SecretKey>,
    ) -> Result<ImageHosting, AppError> {
        let url = public_url(&input.public_base_url)?;
        let endpoint = input
            .endpoint
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(|e| web_address("endpoint", e, "the address of the storage service"))
            .transpose()?;
        if let Some(endpoint) = &endpoint {
            encrypted_endpoint(endpoint).map_err(|e| AppError::invalid("endpoint", e))?;
        }
        let region = word("region", &input.region)?;
        let bucket = bucket_name(&input.bucket)?;
        let prefix = key_prefix(input.prefix.as_deref())?;
        let access_key_id = word("access key id", &input.access_key_id)?;
        if let Some(secret) = secret {
            self.seams
                .bucket_secret
                .set(secret.expose())
                .map_err(HostingError::from)?;
        }
        self.store
            .write(|tx| {
                app_state::set(tx, URL_KEY, &url)?;
                put(tx, FOLDER_KEY, None)?;
                put(tx, S3_ENDPOINT_KEY, endpoint.as_deref())?;
                put(tx, S3_REGION_KEY, Some(&region))?;
                put(tx, S3_BUCKET_KEY, Some(&bucket))?;
                put(tx, S3_PREFIX_KEY, prefix.as_deref())?;
                put(tx, S3_ACCESS_KEY_ID_KEY, Some(&access_key_id))
            })
            .map_err(storage)?;
        self.image_hosting()?
            .ok_or_else(|| AppError::NotFound("the photo hosting just saved".to_owned()))
    }

    /// Where the bucket's secret access key would come from (never the key). Asks the
    /// keychain, so it is kept out of [`Vitrine::image_hosting`], which every sync plan reads.
    pub fn bucket_secret_source(&self) -> TokenSource {
        self.seams.bucket_secret.source()
    }

    pub(crate) fn bucket_secret(&self) -> Result<SecretKey, HostingError> {
        self.seams
            .bucket_secret
            .get()?
            .and_then(SecretKey::new)
            .ok_or(HostingError::MissingSecret)
    }

    /// Publishes every catalog photo the hosting lacks: copies it into the folder or uploads
    /// it to the bucket. Nothing happens when the merchant publishes the files themselves.
    pub async fn publish_images(&self) -> Result<PublishReport, AppError> {
        let Some(hosting) = self.image_hosting()? else {
            return Ok(PublishReport::default());
        };
        let hashes = self
            .store
            .read(vitrine_store::images::all_hashes)
            .map_err(|e| AppError::from_store("publishing photos", e))?;
        match (hosting.bucket, hosting.folder) {
            (Some(bucket), _) => Ok(self.upload_to_bucket(&bucket, &hashes).await?),
            (None, Some(folder)) => self.copy_to_folder(&folder, &hashes),
            (None, None) => Ok(PublishReport::default()),
        }
    }

    fn copy_to_folder(
        &self,
        folder: &std::path::Path,
        hashes: &[ContentHash],
    ) -> Result<PublishReport, AppError> {
        std::fs::create_dir_all(folder).map_err(|e| AppError::Unreadable {
            source_name: folder.display().to_string(),
            message: e.to_string(),
        })?;
        let mut report = PublishReport::default();
        for hash in hashes {
            let dest = folder.join(format!("{hash}.jpg"));
            if dest.exists() {
                report.already_present += 1;
                continue;
            }
            let tmp = folder.join(format!(".{hash}.part"));
            let io = |e: std::io::Error| AppError::Unreadable {
                source_name: dest.display().to_string(),
                message: e.to_string(),
            };
            std::fs::copy(self.image_path(hash), &tmp).map_err(io)?;
            std::fs::rename(&tmp, &dest).map_err(io)?;
            report.uploaded += 1;
        }
        Ok(report)
    }

    /// Lists what the bucket holds under the prefix once, then uploads only what it lacks.
    async fn upload_to_bucket(
        &self,
        bucket: &S3Bucket,
        hashes: &[ContentHash],
    ) -> Result<PublishReport, AppError> {
        let secret = self.bucket_secret()?;
        let store = open_bucket(bucket, &secret)?;
        let prefix = bucket.prefix.as_deref().map(ObjectPath::from);
        let present: HashSet<String> = store
            .list(prefix.as_ref())
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(|e| classify(&e, bucket, "listing the bucket"))?;
        let key = |hash: &ContentHash| match &bucket.prefix {
            Some(p) => format!("{p}/{hash}.jpg"),
            None => format!("{hash}.jpg"),
        };
        let missing: Vec<&ContentHash> = hashes
            .iter()
            .filter(|h| !present.contains(&key(h)))
            .collect();
        let report = PublishReport {
            uploaded: missing.len(),
            already_present: hashes.len() - missing.len(),
        };
        let store = &store;
        let mut uploads = futures_util::stream::iter(missing)
            .map(|hash| async move {
                let path = self.image_path(hash);
                let bytes = std::fs::read(&path).map_err(|e| AppError::Unreadable {
                    source_name: path.display().to_string(),
                    message: e.to_string(),
                })?;
                let mut attributes = Attributes::new();
                attributes.insert(Attribute::ContentType, "image/jpeg".into());
                attributes.insert(Attribute::CacheControl, CACHE_CONTROL.into());
                let options = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                store
                    .put_opts(
                        &ObjectPath::from(key(hash)),
                        PutPayload::from(bytes),
                        options,
                    )
                    .await
                    .map_err(|e| AppError::from(classify(&e, bucket, "uploading a photo")))?;
                Ok::<(), AppError>(())
            })
            .buffer_unordered(UPLOADS_IN_FLIGHT);
        while let Some(done) = uploads.next().await {
            done?;
        }
        tracing::info!(
            uploaded = report.uploaded,
            already_present = report.already_present,
            bucket = %bucket.bucket,
            "published photos to the bucket"
        );
        Ok(report)
    }
}

pub(crate) fn open_bucket(bucket: &S3Bucket, secret: &SecretKey) -> Result<AmazonS3, HostingError> {
    bucket
        .endpoint
        .as_deref()
        .map(encrypted_endpoint)
        .transpose()?;
    let mut builder = AmazonS3Builder::new()
        .with_region(&bucket.region)
        .with_bucket_name(&bucket.bucket)
        .with_access_key_id(&bucket.access_key_id)
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
    if let Some(endpoint) = &bucket.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.to_ascii_lowercase().starts_with("http://"));
    }
    builder.build().map_err(|_| HostingError::Settings)
}

/// Turns a storage error into plain words. S3's error codes (`NoSuchBucket`,
/// `SignatureDoesNotMatch`…) and status are read from the error's text, which holds the
/// request URL and the service's answer but never the secret (SigV4 only sends signatures).
pub(crate) fn classify(
    error: &object_store::Error,
    bucket: &S3Bucket,
    action: &'static str,
) -> HostingError {
    use std::error::Error as _;
    let credentials = || HostingError::Credentials {
        bucket: bucket.bucket.clone(),
    };
    if matches!(
        error,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
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
    let outcome =
        if CREDENTIAL_CODES.iter().any(|c| text.contains(c)) || matches!(status, Some(401 | 403)) {
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
    tracing::warn!(error = %text, bucket = %bucket.bucket, action, "publishing photos to the bucket failed");
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_key_never_prints() {
        let key = SecretKey::new(" wJalrXUtnFEMI/K7MDENG \n").expect("non-empty");
        assert_eq!(key.expose(), "wJalrXUtnFEMI/K7MDENG", "trimmed");
        assert!(!format!("{key:?} {key}").contains("MDENG"));
        assert!(SecretKey::new("  ").is_none());
    }

    #[test]
    fn a_prefix_loses_its_slashes_and_refuses_dot_dot() {
        assert_eq!(
            key_prefix(Some("/photos/2026/")).expect("ok").as_deref(),
            Some("photos/2026")
        );
        assert_eq!(key_prefix(Some(" / ")).expect("ok"), None);
        assert!(key_prefix(Some("a/../b")).is_err());
    }
}
