//! Product photos: read from files or URLs, processed by the media pipeline (orientation,
//! metadata stripped, ≤ 2048 px JPEG, thumbnail), stored content-addressed, attached in order.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};

use rayon::prelude::*;
use vitrine_core::{ImageFormat, Product, ProductImage};
use vitrine_media::PipelineOptions;
use vitrine_store::files::sha256_hex;

use crate::{AppError, InputField, Vitrine};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    File(PathBuf),
    Url(String),
    /// Bytes already in memory (a drop in the desktop app), with a name for messages.
    Bytes {
        name: String,
        bytes: Vec<u8>,
    },
}

impl ImageSource {
    /// A CSV cell or command-line argument: an http(s) URL or a local path.
    pub fn parse(text: &str) -> Self {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Self::Url(t.to_owned())
        } else {
            Self::File(PathBuf::from(t.strip_prefix("file://").unwrap_or(t)))
        }
    }

    pub fn name(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Url(url) => url.clone(),
            Self::Bytes { name, .. } => name.clone(),
        }
    }
}

/// Memory for decoded pixels shared by the photos processed at the same time (a row of an
/// import, a drop of several photos). Each photo claims its share, estimated from its
/// header before anything is decoded, and waits until the share is free: several large
/// photos are decoded one after another instead of each taking the decoder's maximum at
/// once. A photo larger than the whole budget is refused.
#[derive(Debug)]
pub struct DecodeBudget {
    limit: u64,
    state: Mutex<BudgetState>,
    freed: Condvar,
}

#[derive(Debug, Default)]
struct BudgetState {
    in_use: u64,
    peak: u64,
}

impl Default for DecodeBudget {
    /// As much as the decoder may take for one photo ([`vitrine_media::MAX_DECODE_BYTES`]).
    fn default() -> Self {
        Self::new(vitrine_media::MAX_DECODE_BYTES)
    }
}

impl DecodeBudget {
    /// A budget of `limit` bytes.
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            state: Mutex::new(BudgetState::default()),
            freed: Condvar::new(),
        }
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// The most that was claimed at one time, in bytes.
    pub fn peak(&self) -> u64 {
        self.lock().peak
    }

    fn lock(&self) -> MutexGuard<'_, BudgetState> {
        // The state is two counters, consistent after any panic.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until `bytes` are free and holds them until the claim is dropped. Called on
    /// rayon workers: the pipeline runs no rayon work of its own, so a holder never picks up
    /// another photo's claim while it holds one (which could wait for itself).
    fn claim(&self, bytes: u64) -> Result<Claim<'_>, vitrine_media::MediaError> {
        if bytes > self.limit {
            return Err(vitrine_media::MediaError::TooLarge {
                reason: format!(
                    "decoding it would need {} MB of memory and at most {} MB is allowed",
                    bytes.div_ceil(1_000_000),
                    self.limit / 1_000_000
                ),
            });
        }
        let mut state = self.lock();
        while state.in_use + bytes > self.limit {
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        state.in_use += bytes;
        state.peak = state.peak.max(state.in_use);
        Ok(Claim {
            budget: self,
            bytes,
        })
    }
}

/// Memory held from a [`DecodeBudget`] while one photo is processed.
struct Claim<'a> {
    budget: &'a DecodeBudget,
    bytes: u64,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        self.budget.lock().in_use -= self.bytes;
        self.budget.freed.notify_all();
    }
}

/// Bytes a photo's decoded pixels take: 4 per pixel (8-bit RGBA, the widest the decoder
/// hands over before transparency is laid on white).
fn decoded_bytes(info: &vitrine_media::ImageInfo) -> u64 {
    // libheif decodes into its own planes before Vitrine's RGB copy (up to 12 bytes a pixel
    // for 10-bit photos with transparency); the other decoders write RGB(A) directly.
    let per_pixel = match info.format {
        vitrine_media::SourceFormat::Heic | vitrine_media::SourceFormat::Avif => 12,
        _ => 4,
    };
    u64::from(info.width) * u64::from(info.height) * per_pixel
}

/// [`process_one`] within `budget`. A file whose header cannot be read claims nothing: it
/// fails before any pixel is decoded.
pub(crate) fn process_within(
    bytes: &[u8],
    opts: &PipelineOptions,
    budget: &DecodeBudget,
) -> Result<PreparedImage, vitrine_media::MediaError> {
    let _claim = match vitrine_media::probe(bytes) {
        Ok(info) => Some(budget.claim(decoded_bytes(&info))?),
        Err(_) => None,
    };
    process_one(bytes, opts)
}

/// A processed image ready to be stored.
pub(crate) struct PreparedImage {
    pub image: ProductImage,
    pub catalog: Vec<u8>,
    pub thumbnail: Vec<u8>,
}

impl PreparedImage {
    /// What [`vitrine_store::Store::write_with_images`] writes of it.
    pub(crate) fn files(&self) -> (ProductImage, &[u8], &[u8]) {
        (
            self.image.clone(),
            self.catalog.as_slice(),
            self.thumbnail.as_slice(),
        )
    }
}

/// Result of attaching photos to a product.
#[derive(Debug, Clone)]
pub struct ImagesAdded {
    pub product: Product,
    /// Photos newly attached (a photo the product already has is not added twice).
    pub added: usize,
}

pub(crate) fn pipeline_options() -> PipelineOptions {
    PipelineOptions {
        pad_to_square: false,
        ..PipelineOptions::default()
    }
}

/// Most bytes read from one photo, a file or a download (the downloader's limit).
pub(crate) use vitrine_download::MAX_PHOTO_BYTES;

/// Words for the merchant about a photo file that cannot be read.
pub(crate) fn unreadable(path: &Path, e: &std::io::Error) -> AppError {
    AppError::Unreadable {
        source_name: path.display().to_string(),
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        },
    }
}

/// Reads a photo file: a regular file only, at most [`MAX_PHOTO_BYTES`], checked before
/// anything is read. A FIFO, a device (`/dev/zero`) or a folder is refused: reading one
/// could wait forever or never end. The file is opened non-blocking, so even a FIFO put
/// in place after the first check cannot hang the open, and checked again once open.
pub(crate) fn read_photo_file(path: &Path) -> Result<Vec<u8>, AppError> {
    let refuse = |message: String| AppError::Unreadable {
        source_name: path.display().to_string(),
        message,
    };
    let too_large = || {
        refuse(format!(
            "it is larger than {} MB",
            MAX_PHOTO_BYTES / 1_048_576
        ))
    };
    let check = |meta: &std::fs::Metadata| {
        if !meta.is_file() {
            return Err(refuse("it is not a regular file".to_owned()));
        }
        if meta.len() > MAX_PHOTO_BYTES {
            return Err(too_large());
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(|e| unreadable(path, &e))?)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| unreadable(path, &e))?;
    let meta = file.metadata().map_err(|e| unreadable(path, &e))?;
    check(&meta)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_PHOTO_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(path, &e))?;
    if bytes.len() as u64 > MAX_PHOTO_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

impl Vitrine {
    pub(crate) fn read_source(&self, source: &ImageSource) -> Result<Vec<u8>, AppError> {
        match source {
            ImageSource::File(path) => read_photo_file(path),
            ImageSource::Url(url) => {
                self.seams
                    .downloader
                    .fetch(url)
                    .map_err(|source| AppError::Download {
                        source_name: url.clone(),
                        source,
                    })
            }
            ImageSource::Bytes { bytes, .. } => Ok(bytes.clone()),
        }
    }

    /// Reads and processes images in parallel; fails on the first bad one, naming it.
    pub(crate) fn prepare_images(
        &self,
        sources: &[ImageSource],
    ) -> Result<Vec<PreparedImage>, AppError> {
        let raw = sources
            .iter()
            .map(|s| self.read_source(s))
            .collect::<Result<Vec<_>, _>>()?;
        let opts = pipeline_options();
        let budget = DecodeBudget::default();
        let processed: Vec<_> = raw
            .par_iter()
            .map(|bytes| process_within(bytes, &opts, &budget))
            .collect();
        sources
            .iter()
            .zip(processed)
            .map(|(source, result)| {
                result.map_err(|e| AppError::Image {
                    source_name: source.name(),
                    source: e,
                })
            })
            .collect()
    }

    /// Adds photos to the end of a product's photo list, all or nothing.
    pub fn add_images(
        &self,
        product: &str,
        sources: &[ImageSource],
    ) -> Result<ImagesAdded, AppError> {
        if sources.is_empty() {
            return Err(AppError::invalid(
                InputField::Images,
                "give at least one photo",
            ));
        }
        let mut current = self.find_product(product)?;
        let prepared = self.prepare_images(sources)?;
        let before = current.images.len();
        for p in &prepared {
            if !current.images.iter().any(|i| i.hash == p.image.hash) {
                current.images.push(p.image.clone());
            }
        }
        let added = current.images.len() - before;
        current.updated_at = self.now();
        let files: Vec<_> = prepared
            .iter()
            .map(|p| {
                (
                    p.image.clone(),
                    p.catalog.as_slice(),
                    p.thumbnail.as_slice(),
                )
            })
            .collect();
        let stamp = self.now().to_rfc3339();
        self.store
            .write_with_images(&files, &stamp, |tx| {
                crate::catalog::save_product(tx, &current, false, None)
            })
            .map_err(|e| AppError::from_store("saving photos", e))?;
        Ok(ImagesAdded {
            product: current,
            added,
        })
    }

    /// Removes the photo at `index` (0 = main photo); its file goes once nothing uses it.
    pub fn remove_image(&self, product: &str, index: usize) -> Result<Product, AppError> {
        let mut current = self.find_product(product)?;
        if index >= current.images.len() {
            return Err(AppError::invalid(
                InputField::Images,
                format!(
                    "the product has {} photos, there is no photo {}",
                    current.images.len(),
                    index + 1
                ),
            ));
        }
        current.images.remove(index);
        current.updated_at = self.now();
        self.store
            .write_and_collect(|tx| crate::catalog::save_product(tx, &current, false, None))
            .map_err(|e| AppError::from_store("removing a photo", e))?;
        Ok(current)
    }

    /// Moves the photo at `from` to position `to` (0 makes it the main photo).
    pub fn move_image(&self, product: &str, from: usize, to: usize) -> Result<Product, AppError> {
        let mut current = self.find_product(product)?;
        let n = current.images.len();
        if from >= n || to >= n {
            return Err(AppError::invalid(
                InputField::Images,
                format!("the product has {n} photos"),
            ));
        }
        let image = current.images.remove(from);
        current.images.insert(to, image);
        current.updated_at = self.now();
        self.store
            .write(|tx| crate::catalog::save_product(tx, &current, false, None))
            .map_err(|e| AppError::from_store("reordering photos", e))?;
        Ok(current)
    }
}

/// Processes one source. A JPEG that is already catalog-ready (within the size limits and
/// carrying no metadata, such as a photo Vitrine itself exported) is kept byte for byte:
/// re-encoding it would only lose quality and change its hash.
pub(crate) fn process_one(
    bytes: &[u8],
    opts: &PipelineOptions,
) -> Result<PreparedImage, vitrine_media::MediaError> {
    let out = vitrine_media::process_image(bytes, opts)?;
    if is_clean_jpeg(bytes)
        && out.source.width == out.catalog_width
        && out.source.height == out.catalog_height
        && !opts.pad_to_square
    {
        let (width, height) = (out.catalog_width, out.catalog_height);
        let original = PreparedImage {
            image: ProductImage {
                hash: sha256_hex(bytes),
                width,
                height,
                byte_len: bytes.len() as u64,
                format: ImageFormat::Jpeg,
            },
            catalog: bytes.to_vec(),
            thumbnail: out.thumbnail_jpeg,
        };
        if original.image.byte_len <= vitrine_core::preflight::limits::MAX_IMAGE_BYTES {
            return Ok(original);
        }
        return Ok(prepared(vitrine_media::ProcessedImage {
            thumbnail_jpeg: original.thumbnail,
            ..out
        }));
    }
    Ok(prepared(out))
}

/// True for a baseline JPEG stream with no EXIF/XMP/ICC (`APP1`–`APP15`) or comment segments.
fn is_clean_jpeg(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        match marker {
            0xDA => return true,
            0xE1..=0xEF | 0xFE => return false,
            0xD0..=0xD7 | 0x01 => i += 2,
            _ => {
                let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
                i += 2 + len;
            }
        }
    }
    false
}

pub(crate) fn prepared(out: vitrine_media::ProcessedImage) -> PreparedImage {
    let image = ProductImage {
        hash: sha256_hex(&out.catalog_jpeg),
        width: out.catalog_width,
        height: out.catalog_height,
        byte_len: out.catalog_jpeg.len() as u64,
        format: ImageFormat::Jpeg,
    };
    PreparedImage {
        image,
        catalog: out.catalog_jpeg,
        thumbnail: out.thumbnail_jpeg,
    }
}
