//! The storefront: a static shop site of the catalog (vitrine-storefront generates it),
//! written to a folder or published to the photo hosting, and the product `link` the sync
//! sends for products without their own.
//!
//! Settings live in `app_state` (`storefront.base_url`, `storefront.accent`,
//! `storefront.collections`, collection ids). A build is incremental: a manifest of the
//! files' SHA-256 (photos by their content-addressed name) sits next to the site, and only
//! files whose hash changed are written, each to a temp file renamed into place; files the
//! site no longer has are removed — only when the manifest names a file inside the folder
//! (the manifest sits in the folder, so it is not trusted). Publishing to a bucket keeps the same manifest of what
//! was uploaded (in the data folder) and lists the bucket once, so only changed or missing
//! files are uploaded.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use vitrine_core::share::{MetaProductId, OrderTemplate};
use vitrine_core::{CollectionId, LanguageTag};
use vitrine_store::{app_state, collections, meta_products, products, Connection, StoreError};
use vitrine_storefront::{Accent, Body, Listing, PhotoSize, Site, SiteInput};

use crate::error::Setup;
use crate::hosting::S3Bucket;
use crate::{AppError, InputField, Vitrine};
use vitrine_hosting::{Bucket, Headers, Host};

/// Machine-bound: a restored backup never replaces it (vitrine_store::machine).
const BASE_URL_KEY: &str = vitrine_store::machine::STOREFRONT_BASE_URL;
const ACCENT_KEY: &str = "storefront.accent";
const COLLECTIONS_KEY: &str = "storefront.collections";
/// The build manifest, next to the site's files.
const MANIFEST_NAME: &str = ".vitrine-storefront.json";
/// What was last uploaded to the bucket, in the data folder.
const PUBLISHED_NAME: &str = "storefront-published.json";
/// Pages change with the catalog: caches may keep them five minutes.
const PAGE_CACHE: &str = "public, max-age=300";
/// Photos are content-addressed: a name never changes content.
const PHOTO_CACHE: &str = "public, max-age=31536000, immutable";
const UPLOADS_IN_FLIGHT: usize = 4;

/// The storefront's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontSettings {
    /// Where the site is served (`https://shop.example`); none until the merchant sets it.
    pub base_url: Option<String>,
    /// `#rrggbb`.
    pub accent: String,
    /// Names of the collections the site shows; empty for the whole catalog.
    pub collections: Vec<String>,
}

/// A change to the settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontUpdate {
    /// An empty address removes the storefront link from the sync.
    pub base_url: Option<String>,
    pub accent: Option<String>,
    /// Collection names; an empty list shows the whole catalog.
    pub collections: Option<Vec<String>>,
}

/// What a build wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontBuild {
    /// Files in the site.
    pub files: usize,
    /// Files written now (new or changed).
    pub written: usize,
    /// Files of an earlier build the site no longer has, removed.
    pub removed: usize,
    /// Entries of the folder's manifest that were not removed because they do not name a
    /// file inside the folder: an absolute path, one with `..`, or one that leads through a
    /// symbolic link (the manifest is a file in the folder, so anyone may have written it).
    pub refused: Vec<String>,
    /// Site paths written, in order (for the progress of a caller that wants them).
    #[serde(skip)]
    pub written_paths: Vec<String>,
}

/// What a publish did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorefrontPublish {
    pub files: usize,
    /// Files copied or uploaded now.
    pub uploaded: usize,
    /// Files the folder or bucket already had as they are.
    pub unchanged: usize,
    /// Files of the previous site removed from the folder or bucket.
    pub removed: usize,
}

/// Progress of a publish: `done` of `total` files to send are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StorefrontProgress {
    pub done: usize,
    pub total: usize,
}

/// Each site file's content hash by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    /// Where the files went (the bucket), so another target starts from nothing.
    #[serde(default)]
    target: String,
    files: BTreeMap<String, String>,
}

fn storage(e: StoreError) -> AppError {
    AppError::from_store("building the storefront", e)
}

fn io_error(path: &Path, e: &std::io::Error) -> AppError {
    AppError::Unreadable {
        source_name: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The storefront's address, when one is set: what stands in for a product's missing link.
pub(crate) fn base_url(conn: &Connection) -> Result<Option<String>, StoreError> {
    app_state::get(conn, BASE_URL_KEY)
}

/// A site address without its trailing slash, or why it is not one.
fn site_address(text: &str) -> Result<String, AppError> {
    let url = text.trim().trim_end_matches('/').to_owned();
    let lower = url.to_ascii_lowercase();
    let host = lower
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or(""));
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || host.is_none_or(|h| h.is_empty())
        || url.contains(char::is_whitespace)
        || url.contains(['?', '#'])
    {
        return Err(AppError::invalid(
            InputField::BaseUrl,
            "give the web address the storefront is served at, starting with https://",
        ));
    }
    Ok(url)
}

impl Vitrine {
    /// The storefront's settings.
    pub fn storefront(&self) -> Result<StorefrontSettings, AppError> {
        let (base_url, accent, ids) = self
            .store
            .read(|c| {
                Ok((
                    base_url(c)?,
                    app_state::get(c, ACCENT_KEY)?,
                    app_state::get(c, COLLECTIONS_KEY)?,
                ))
            })
            .map_err(storage)?;
        let chosen = self.chosen_collections(ids.as_deref())?;
        Ok(StorefrontSettings {
            base_url,
            accent: accent.unwrap_or_else(|| Accent::default().to_string()),
            collections: chosen.into_iter().map(|c| c.name).collect(),
        })
    }

    /// Changes the settings. Setting or clearing the address re-checks every product, since
    /// the storefront page stands in for a missing product link.
    pub fn set_storefront(
        &self,
        update: &StorefrontUpdate,
    ) -> Result<StorefrontSettings, AppError> {
        let base = update
            .base_url
            .as_deref()
            .map(|u| (!u.trim().is_empty()).then(|| site_address(u)).transpose())
            .transpose()?;
        let accent = update
            .accent
            .as_deref()
            .map(|a| Accent::parse(a).map_err(|e| AppError::invalid(InputField::Accent, e)))
            .transpose()?;
        let ids = match &update.collections {
            None => None,
            Some(names) => {
                let mut ids = Vec::new();
                for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
                    let found = self
                        .store
                        .read(|c| collections::find_by_name(c, name))
                        .map_err(storage)?
                        .ok_or_else(|| AppError::NotFound(format!("no collection “{name}”")))?;
                    ids.push(found.id.to_string());
                }
                Some(ids.join(","))
            }
        };
        let before = self.store.read(base_url).map_err(storage)?;
        self.store
            .write(|tx| {
                match &base {
                    Some(Some(url)) => app_state::set(tx, BASE_URL_KEY, url)?,
                    Some(None) => app_state::remove(tx, BASE_URL_KEY)?,
                    None => {}
                }
                if let Some(accent) = &accent {
                    app_state::set(tx, ACCENT_KEY, &accent.to_string())?;
                }
                match ids.as_deref() {
                    Some("") => app_state::remove(tx, COLLECTIONS_KEY)?,
                    Some(ids) => app_state::set(tx, COLLECTIONS_KEY, ids)?,
                    None => {}
                }
                Ok(())
            })
            .map_err(|e| AppError::from_store("saving the storefront settings", e))?;
        if base.is_some_and(|b| b.is_some() != before.is_some()) {
            self.recount_problems()?;
        }
        self.storefront()
    }

    fn chosen_collections(
        &self,
        ids: Option<&str>,
    ) -> Result<Vec<vitrine_core::Collection>, AppError> {
        let all = self.store.read(collections::list).map_err(storage)?;
        let Some(ids) = ids.filter(|i| !i.is_empty()) else {
            return Ok(all);
        };
        let wanted: Vec<&str> = ids.split(',').collect();
        Ok(all
            .into_iter()
            .filter(|c| wanted.contains(&c.id.to_string().as_str()))
            .collect())
    }

    /// The whole site in memory, for `base_url` (else the configured address).
    pub fn storefront_site(&self, base_url: Option<&str>) -> Result<Site, AppError> {
        let settings = self.storefront()?;
        let base = match base_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => site_address(url)?,
            None => settings
                .base_url
                .clone()
                .ok_or(AppError::NotSetUp(Setup::StorefrontAddress))?,
        };
        let shop = self.shop()?;
        let ids = self
            .store
            .read(|c| app_state::get(c, COLLECTIONS_KEY))
            .map_err(storage)?;
        let filtered = ids.as_deref().is_some_and(|i| !i.is_empty());
        let shown = self.chosen_collections(ids.as_deref())?;
        let shown_ids: HashSet<CollectionId> = shown.iter().map(|c| c.id).collect();
        let now = self.now();
        let listings = self
            .store
            .read(|c| {
                let mut out = Vec::new();
                let meta_ids = meta_products::synced_meta_ids(c)?;
                for product in products::all(c)? {
                    // A draft is the merchant's own: never on the public site.
                    if !product.draft.published {
                        continue;
                    }
                    if filtered
                        && !product
                            .draft
                            .collections
                            .iter()
                            .any(|c| shown_ids.contains(c))
                    {
                        continue;
                    }
                    let meta_id = meta_ids
                        .get(product.draft.sku.as_str())
                        .and_then(|id| MetaProductId::parse(id).ok());
                    let price = *product.effective_sale(now).unwrap_or(&product.draft.price);
                    out.push(Listing {
                        product,
                        price,
                        meta_id,
                    });
                }
                Ok(out)
            })
            .map_err(storage)?;
        let mut templates = BTreeMap::new();
        for language in &shop.languages {
            let stored = self.order_template(language.as_str())?;
            if !stored.is_default {
                // A template edited by hand into something invalid falls back to the built-in.
                if let Ok(t) = OrderTemplate::parse(&stored.template) {
                    templates.insert(language.clone(), t);
                }
            }
        }
        let accent = Accent::parse(&settings.accent).unwrap_or_default();
        Ok(vitrine_storefront::generate(&SiteInput {
            shop: &shop,
            base_url: &base,
            accent,
            collections: &shown,
            products: &listings,
            order_templates: &templates,
        }))
    }

    /// Builds the site into `out_dir`, writing only files that changed since the last build
    /// there (each atomically: a temp file renamed into place) and removing files the site
    /// no longer has.
    pub fn build_storefront(
        &self,
        out_dir: &Path,
        base_url: Option<&str>,
    ) -> Result<StorefrontBuild, AppError> {
        let site = self.storefront_site(base_url)?;
        self.write_site(&site, out_dir)
    }

    fn write_site(&self, site: &Site, out_dir: &Path) -> Result<StorefrontBuild, AppError> {
        std::fs::create_dir_all(out_dir).map_err(|e| io_error(out_dir, &e))?;
        let manifest_path = out_dir.join(MANIFEST_NAME);
        let old = read_manifest(&manifest_path);
        let hashes = content_hashes(site);
        let mut report = StorefrontBuild {
            files: site.files.len(),
            ..StorefrontBuild::default()
        };
        for (file, hash) in site.files.iter().zip(&hashes) {
            let dest = out_dir.join(&file.path);
            if old.files.get(&file.path) == Some(hash) && dest.exists() {
                continue;
            }
            self.write_file(&file.body, &dest)?;
            report.written += 1;
            report.written_paths.push(file.path.clone());
        }
        let current: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
        for gone in old.files.keys().filter(|p| !current.contains(p.as_str())) {
            let Some(path) = stale_file(out_dir, gone) else {
                tracing::warn!(entry = %gone, folder = %out_dir.display(), "a storefront manifest entry outside the site folder was not removed");
                report.refused.push(gone.clone());
                continue;
            };
            match std::fs::remove_file(&path) {
                Ok(()) => report.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_error(&path, &e)),
            }
        }
        let manifest = Manifest {
            target: String::new(),
            files: site
                .files
                .iter()
                .zip(hashes)
                .map(|(f, h)| (f.path.clone(), h))
                .collect(),
        };
        write_manifest(&manifest_path, &manifest)?;
        Ok(report)
    }

    /// Writes one file: a temp file next to it, renamed into place.
    fn write_file(&self, body: &Body, dest: &Path) -> Result<(), AppError> {
        let dir = dest.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{}.part", name.unwrap_or_default()));
        match body {
            Body::Bytes(bytes) => std::fs::write(&tmp, bytes).map_err(|e| io_error(&tmp, &e))?,
            Body::Photo(hash, size) => {
                let source = self.photo_source(hash, *size);
                std::fs::copy(&source, &tmp).map_err(|e| io_error(&source, &e))?;
            }
        }
        std::fs::rename(&tmp, dest).map_err(|e| io_error(dest, &e))
    }

    fn photo_source(&self, hash: &vitrine_core::ContentHash, size: PhotoSize) -> PathBuf {
        match size {
            PhotoSize::Catalog => self.image_path(hash),
            PhotoSize::Thumbnail => self.thumbnail_path(hash),
        }
    }

    /// Publishes the site at the configured address to the photo hosting: into its folder,
    /// or uploaded to its bucket, beside the photos. Only changed or missing files are sent;
    /// `progress` hears after each one.
    pub async fn publish_storefront(
        &self,
        progress: &mut (dyn FnMut(StorefrontProgress) + Send),
    ) -> Result<StorefrontPublish, AppError> {
        let hosting = self
            .image_hosting()?
            .ok_or(AppError::NotSetUp(Setup::StorefrontHosting))?;
        let site = self.storefront_site(None)?;
        match (hosting.bucket, hosting.folder) {
            (Some(bucket), _) => self.upload_site(&site, &bucket, progress).await,
            (None, Some(folder)) => {
                let built = self.write_site(&site, &folder)?;
                progress(StorefrontProgress {
                    done: built.written,
                    total: built.written,
                });
                Ok(StorefrontPublish {
                    files: built.files,
                    uploaded: built.written,
                    unchanged: built.files - built.written,
                    removed: built.removed,
                })
            }
            (None, None) => Err(AppError::invalid(
                InputField::Hosting,
                "the hosting has no folder or bucket to publish to; build the site into a folder and upload it yourself",
            )),
        }
    }

    async fn upload_site(
        &self,
        site: &Site,
        bucket: &S3Bucket,
        progress: &mut (dyn FnMut(StorefrontProgress) + Send),
    ) -> Result<StorefrontPublish, AppError> {
        let target = format!(
            "s3:{}/{}/{}",
            bucket.endpoint.as_deref().unwrap_or(&bucket.region),
            bucket.bucket,
            bucket.prefix.as_deref().unwrap_or("")
        );
        let manifest_path = self.data_dir().join(PUBLISHED_NAME);
        let mut old = read_manifest(&manifest_path);
        if old.target != target {
            old = Manifest::default();
        }
        let host = Bucket::open(bucket, &self.bucket_secret()?)?;
        let present = host.list().await?;
        let hashes = content_hashes(site);
        let changed: Vec<(&vitrine_storefront::SiteFile, &String)> = site
            .files
            .iter()
            .zip(&hashes)
            .filter(|(f, h)| old.files.get(&f.path) != Some(*h) || !present.contains(&f.path))
            .collect();
        let total = changed.len();
        let host = &host;
        let mut uploads = futures_util::stream::iter(changed.iter().map(|(file, _)| async move {
            let bytes = match &file.body {
                Body::Bytes(b) => b.clone(),
                Body::Photo(hash, size) => {
                    let source = self.photo_source(hash, *size);
                    std::fs::read(&source).map_err(|e| io_error(&source, &e))?
                }
            };
            let headers = Headers {
                content_type: content_type(&file.path),
                cache_control: match file.body {
                    Body::Photo(..) => PHOTO_CACHE,
                    Body::Bytes(_) => PAGE_CACHE,
                },
            };
            host.put(&file.path, bytes, headers).await?;
            Ok::<(), AppError>(())
        }))
        .buffer_unordered(UPLOADS_IN_FLIGHT);
        let mut done = 0;
        while let Some(sent) = uploads.next().await {
            sent?;
            done += 1;
            progress(StorefrontProgress { done, total });
        }
        drop(uploads);
        let current: HashSet<&str> = site.files.iter().map(|f| f.path.as_str()).collect();
        let mut removed = 0;
        for gone in old.files.keys().filter(|p| !current.contains(p.as_str())) {
            if present.contains(gone) {
                host.delete(gone).await?;
                removed += 1;
            }
        }
        let manifest = Manifest {
            target,
            files: site
                .files
                .iter()
                .zip(hashes)
                .map(|(f, h)| (f.path.clone(), h))
                .collect(),
        };
        write_manifest(&manifest_path, &manifest)?;
        tracing::info!(
            uploaded = total,
            removed,
            bucket = %bucket.bucket,
            "published the storefront to the bucket"
        );
        Ok(StorefrontPublish {
            files: site.files.len(),
            uploaded: total,
            unchanged: site.files.len() - total,
            removed,
        })
    }

    /// The link the sync sends for a product without its own: its storefront page in the
    /// shop's main language, when a storefront address is set.
    pub(crate) fn storefront_link(
        &self,
        shop: &vitrine_core::Shop,
    ) -> Result<Option<impl Fn(&str) -> String>, AppError> {
        let base = self.store.read(base_url).map_err(storage)?;
        let language = shop
            .main_language()
            .cloned()
            .or_else(|| LanguageTag::parse("en").ok());
        Ok(base.zip(language).map(|(base, language)| {
            move |sku: &str| vitrine_storefront::product_url(&base, &language, sku)
        }))
    }
}

/// Each file's content hash: SHA-256 of a page's bytes; a photo's own hash and size (its
/// file is content-addressed).
fn content_hashes(site: &Site) -> Vec<String> {
    site.files
        .par_iter()
        .map(|f| match &f.body {
            Body::Bytes(bytes) => vitrine_store::files::sha256_hex(bytes).to_string(),
            Body::Photo(hash, PhotoSize::Catalog) => format!("photo:{hash}"),
            Body::Photo(hash, PhotoSize::Thumbnail) => format!("thumb:{hash}"),
        })
        .collect()
}

/// The `Content-Type` of a site file, by its extension (the files the generator writes).
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("jpg") => "image/jpeg",
        _ => "text/plain; charset=utf-8",
    }
}

/// Where the stale site file `entry` of a manifest is, when it is a file inside `out_dir`:
/// a relative path of plain names, each folder on the way a real folder (not a symbolic
/// link) and the entry itself not a symbolic link either. `None` for anything else.
fn stale_file(out_dir: &Path, entry: &str) -> Option<PathBuf> {
    let relative = Path::new(entry);
    let plain = relative
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !plain || relative.as_os_str().is_empty() {
        return None;
    }
    let mut path = out_dir.to_owned();
    let mut names = relative.components().peekable();
    while let Some(name) = names.next() {
        path.push(name);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return None,
            Ok(meta) if names.peek().is_some() && !meta.is_dir() => return None,
            Ok(_) => {}
            // Already gone: nothing to remove, and nothing outside can be reached.
            Err(_) => return Some(path),
        }
    }
    Some(path)
}

/// The manifest at `path`; an empty one when there is none or it cannot be read (then
/// everything is written again, which is always correct).
fn read_manifest(path: &Path) -> Manifest {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), AppError> {
    let bytes = serde_json::to_vec(manifest).unwrap_or_default();
    crate::files::write_atomically(path, &bytes)
}

impl Vitrine {
    /// The storefront's address, when the merchant has set one.
    pub(crate) fn storefront_url(&self) -> Result<Option<String>, AppError> {
        self.store.read(base_url).map_err(storage)
    }
}
