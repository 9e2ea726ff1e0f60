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

use std::path::PathBuf;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use vitrine_core::ContentHash;
use vitrine_hosting::{encrypted_endpoint, is_valid_prefix, Bucket, Folder, Headers, Host};
pub use vitrine_hosting::{HostingError, S3Bucket, SecretKey};
use vitrine_store::{app_state, StoreError, Transaction};

use vitrine_env::{SecretError, TokenSource, S3_SECRET_ENV};

use crate::{AppError, InputField, Vitrine};

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
#[serde(rename_all = "camelCase")]
pub struct ImageHosting {
    pub public_base_url: String,
    pub folder: Option<PathBuf>,
    pub bucket: Option<S3Bucket>,
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

/// What a publish did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishReport {
    /// Photos copied or uploaded now.
    pub uploaded: usize,
    /// Photos the folder or bucket already had.
    pub already_present: usize,
}

/// The keychain's refusal, in the hosting's words.
fn secret_error(e: SecretError) -> HostingError {
    match e {
        SecretError::Unavailable { env } => HostingError::KeychainUnavailable { env },
        SecretError::Refused => HostingError::KeychainRefused,
    }
}

/// How photos are served: names never change content, so caches may keep them a year.
const PHOTO: Headers = Headers {
    content_type: "image/jpeg",
    cache_control: CACHE_CONTROL,
};

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
fn web_address(field: InputField, text: &str, what: &str) -> Result<String, AppError> {
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

fn public_url(text: &str) -> Result<String, AppError> {
    web_address(
        InputField::PublicUrl,
        text,
        "the web address the photos will be served from",
    )
}

/// A single word (no spaces), or why not.
fn word(field: InputField, text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || t.contains(char::is_whitespace) {
        return Err(AppError::invalid(field, "give one word, without spaces"));
    }
    Ok(t.to_owned())
}

fn bucket_name(text: &str) -> Result<String, AppError> {
    let name = word(InputField::Bucket, text)?;
    if name.len() > 63 || name.contains('/') {
        return Err(AppError::invalid(
            InputField::Bucket,
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
    if !is_valid_prefix(prefix) {
        return Err(AppError::invalid(
            InputField::Prefix,
            "a prefix is folder names separated by “/”, without empty, “.” or “..” parts",
        ));
    }
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
            .map(|e| {
                web_address(
                    InputField::Endpoint,
                    e,
                    "the address of the storage service",
                )
            })
            .transpose()?;
        if let Some(endpoint) = &endpoint {
            encrypted_endpoint(endpoint).map_err(|e| AppError::invalid(InputField::Endpoint, e))?;
        }
        let region = word(InputField::Region, &input.region)?;
        let bucket = bucket_name(&input.bucket)?;
        let prefix = key_prefix(input.prefix.as_deref())?;
        let access_key_id = word(InputField::AccessKeyId, &input.access_key_id)?;
        if let Some(secret) = secret {
            self.seams
                .bucket_secret
                .set(secret.expose())
                .map_err(secret_error)?;
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
            .get()
            .map_err(secret_error)?
            .and_then(SecretKey::new)
            .ok_or(HostingError::MissingSecret { env: S3_SECRET_ENV })
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
        let report = match (&hosting.bucket, hosting.folder) {
            (Some(bucket), _) => {
                let host = Bucket::open(bucket, &self.bucket_secret()?)?;
                self.publish_photos(&host, &hashes).await?
            }
            (None, Some(folder)) => self.publish_photos(&Folder::new(folder), &hashes).await?,
            (None, None) => return Ok(PublishReport::default()),
        };
        tracing::info!(
            uploaded = report.uploaded,
            already_present = report.already_present,
            "published photos"
        );
        Ok(report)
    }

    /// Lists what the host holds once, then sends only the photos it lacks, a few at once.
    async fn publish_photos(
        &self,
        host: &impl Host,
        hashes: &[ContentHash],
    ) -> Result<PublishReport, AppError> {
        let present = host.list().await?;
        let missing: Vec<&ContentHash> = hashes
            .iter()
            .filter(|h| !present.contains(&format!("{h}.jpg")))
            .collect();
        let report = PublishReport {
            uploaded: missing.len(),
            already_present: hashes.len() - missing.len(),
        };
        let mut uploads = futures_util::stream::iter(missing)
            .map(|hash| async move {
                let path = self.image_path(hash);
                let bytes = std::fs::read(&path).map_err(|e| AppError::Unreadable {
                    source_name: path.display().to_string(),
                    message: e.to_string(),
                })?;
                host.put(&format!("{hash}.jpg"), bytes, PHOTO).await?;
                Ok::<(), AppError>(())
            })
            .buffer_unordered(UPLOADS_IN_FLIGHT);
        while let Some(done) = uploads.next().await {
            done?;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
