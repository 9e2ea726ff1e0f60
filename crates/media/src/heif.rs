//! HEIC and AVIF photos through libheif, the system library, loaded when the
//! program runs rather than linked when it is built.
//!
//! Building Vitrine needs no libheif, no C compiler and no headers: the few C
//! functions used here are declared below (from libheif 1.15's `heif.h`, the
//! version Debian 12 ships; every one of them exists since libheif 1.7) and
//! looked up by name in the shared library. Where the library is missing the
//! photo gets [`MediaError::DecoderMissing`], which says what to install.
//!
//! Safety rests on three rules, each checked where the pointer is used:
//! every `heif_error` is checked before anything it guards is touched; every
//! object libheif hands out is owned by a wrapper that releases it once; and a
//! decoded plane is read only after its width, height, bit depth and stride
//! are checked against the buffer the pixels are copied into.
//!
//! Orientation: libheif applies the file's own `irot`/`imir`/`clap`
//! transformations while decoding (its default), so the dimensions reported
//! and the pixels decoded are already upright. An EXIF orientation inside a
//! HEIF is ignored, as the HEIF standard says (iPhones write both, meaning the
//! same turn, which applied twice would leave the photo on its side).

#![expect(
    unsafe_code,
    reason = "calling libheif's C API through dynamically loaded symbols"
)]

use std::ffi::{c_char, c_int, c_void, CStr, OsStr};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::sync::OnceLock;

use image::{DynamicImage, RgbImage, RgbaImage};

use crate::error::TRUNCATED;
use crate::{MediaError, SourceFormat};

/// File names tried, in order, by [`HeifDecoder::system`].
#[cfg(target_os = "macos")]
const SYSTEM_NAMES: &[&str] = &[
    "libheif.1.dylib",
    // Not on the dynamic loader's default path: Homebrew (Apple silicon, then
    // Intel) and MacPorts.
    "/opt/homebrew/lib/libheif.1.dylib",
    "/usr/local/lib/libheif.1.dylib",
    "/opt/local/lib/libheif.1.dylib",
];
/// File names tried, in order, by [`HeifDecoder::system`]: vcpkg's and MSYS2's
/// names, found next to the program first (Windows' search order), then on PATH.
#[cfg(windows)]
const SYSTEM_NAMES: &[&str] = &["heif.dll", "libheif.dll"];
/// File names tried, in order, by [`HeifDecoder::system`]: the runtime package's
/// soname (Debian's `libheif1`), then the development link.
#[cfg(not(any(target_os = "macos", windows)))]
const SYSTEM_NAMES: &[&str] = &["libheif.so.1", "libheif.so"];

// Values of libheif's C enums (`heif.h`); C enums are `int`-sized on every
// platform Vitrine is built for.
const COLORSPACE_RGB: c_int = 1;
const CHROMA_INTERLEAVED_RGB: c_int = 10;
const CHROMA_INTERLEAVED_RGBA: c_int = 11;
const CHANNEL_INTERLEAVED: c_int = 10;
const PROFILE_RICC: c_int = fourcc(b"rICC");
const PROFILE_PROF: c_int = fourcc(b"prof");

const ERROR_OK: c_int = 0;
const ERROR_UNSUPPORTED_FILETYPE: c_int = 3;
const ERROR_UNSUPPORTED_FEATURE: c_int = 4;
const ERROR_MEMORY_ALLOCATION: c_int = 6;
const SUBERROR_END_OF_DATA: c_int = 100;
const SUBERROR_NO_META_BOX: c_int = 104;
const SUBERROR_SECURITY_LIMIT_EXCEEDED: c_int = 1000;
const SUBERROR_UNSUPPORTED_CODEC: c_int = 3000;

const fn fourcc(code: &[u8; 4]) -> c_int {
    i32::from_be_bytes(*code)
}

/// `struct heif_error`, returned by value.
#[repr(C)]
#[derive(Clone, Copy)]
struct HeifError {
    code: c_int,
    subcode: c_int,
    /// Always set by libheif; points into the library or its context, so it
    /// is copied before the context is freed.
    message: *const c_char,
}

/// The leading fields of `struct heif_decoding_options`, which libheif
/// allocates (and may make longer in later versions): only fields up to
/// `convert_hdr_to_8bit` are touched, and only when `version` says they exist.
#[repr(C)]
struct DecodingOptions {
    version: u8,
    ignore_transformations: u8,
    start_progress: *const c_void,
    on_progress: *const c_void,
    end_progress: *const c_void,
    progress_user_data: *mut c_void,
    /// Version 2 and later.
    convert_hdr_to_8bit: u8,
}

// Opaque libheif objects.
enum Context {}
enum Handle {}
enum Image {}

/// The libheif functions Vitrine calls, looked up once when the library loads.
struct Api {
    context_alloc: unsafe extern "C" fn() -> *mut Context,
    context_free: unsafe extern "C" fn(*mut Context),
    read_from_memory_without_copy:
        unsafe extern "C" fn(*mut Context, *const c_void, usize, *const c_void) -> HeifError,
    primary_image_handle: unsafe extern "C" fn(*mut Context, *mut *mut Handle) -> HeifError,
    handle_release: unsafe extern "C" fn(*const Handle),
    handle_width: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_height: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_ispe_width: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_ispe_height: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_has_alpha: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_is_premultiplied: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_luma_bits: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_profile_type: unsafe extern "C" fn(*const Handle) -> c_int,
    handle_raw_profile_size: unsafe extern "C" fn(*const Handle) -> usize,
    handle_raw_profile: unsafe extern "C" fn(*const Handle, *mut c_void) -> HeifError,
    options_alloc: unsafe extern "C" fn() -> *mut DecodingOptions,
    options_free: unsafe extern "C" fn(*mut DecodingOptions),
    decode_image: unsafe extern "C" fn(
        *const Handle,
        *mut *mut Image,
        c_int,
        c_int,
        *const DecodingOptions,
    ) -> HeifError,
    image_width: unsafe extern "C" fn(*const Image, c_int) -> c_int,
    image_height: unsafe extern "C" fn(*const Image, c_int) -> c_int,
    image_bits_per_pixel: unsafe extern "C" fn(*const Image, c_int) -> c_int,
    plane_readonly: unsafe extern "C" fn(*const Image, c_int, *mut c_int) -> *const u8,
    image_release: unsafe extern "C" fn(*const Image),
    /// `heif_deinit`, present (with `heif_init`) since libheif 1.13; called
    /// when a decoder loaded with [`HeifDecoder::from_file`] is dropped.
    deinit: Option<unsafe extern "C" fn()>,
    /// Kept last so the functions above are dropped before the library is unloaded.
    _library: libloading::Library,
}

/// libheif, the library that reads HEIC (iPhone) and AVIF photos, as found
/// on this computer, or why it could not be used.
///
/// [`HeifDecoder::system`] is what [`crate::process_image`] uses; a decoder
/// loaded from a given file ([`HeifDecoder::from_file`]) serves a copy shipped
/// with the app, or a test. Safe to share between threads: libheif keeps no
/// state between the contexts it decodes each photo in.
pub struct HeifDecoder {
    loaded: Result<Loaded, String>,
}

struct Loaded {
    api: Api,
    version: String,
}

impl std::fmt::Debug for HeifDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.loaded {
            Ok(loaded) => write!(f, "HeifDecoder(libheif {})", loaded.version),
            Err(why) => write!(f, "HeifDecoder(unavailable: {why})"),
        }
    }
}

impl HeifDecoder {
    /// The system's libheif, looked for under its usual names the first time
    /// it is asked for and kept for the life of the program (found or not).
    pub fn system() -> &'static HeifDecoder {
        static SYSTEM: OnceLock<HeifDecoder> = OnceLock::new();
        SYSTEM.get_or_init(|| {
            let mut tried = Vec::new();
            for name in SYSTEM_NAMES {
                match load(OsStr::new(name)) {
                    Ok(loaded) => return HeifDecoder { loaded: Ok(loaded) },
                    Err(why) => tried.push(why),
                }
            }
            HeifDecoder {
                loaded: Err(tried.join("; ")),
            }
        })
    }

    /// libheif loaded from `path` (a file name alone is looked for where the
    /// system's dynamic loader looks). A library that cannot be loaded, or
    /// lacks a function Vitrine needs, gives a decoder that refuses HEIC and
    /// AVIF photos with [`MediaError::DecoderMissing`].
    pub fn from_file(path: impl AsRef<OsStr>) -> HeifDecoder {
        HeifDecoder {
            loaded: load(path.as_ref()),
        }
    }

    /// libheif's version (`1.15.1`), when it was loaded.
    pub fn version(&self) -> Option<&str> {
        self.loaded
            .as_ref()
            .ok()
            .map(|loaded| loaded.version.as_str())
    }

    /// Why libheif could not be used (for a log, not for the merchant), or
    /// `None` when it was loaded.
    pub fn load_error(&self) -> Option<&str> {
        self.loaded.as_ref().err().map(String::as_str)
    }

    /// Reads the header of a HEIF file: its primary image, upright size and
    /// whether it has transparency. Nothing is decoded yet.
    pub(crate) fn open<'a>(
        &'a self,
        bytes: &'a [u8],
        format: SourceFormat,
    ) -> Result<OpenedHeif<'a>, MediaError> {
        let api = match &self.loaded {
            Ok(loaded) => &loaded.api,
            Err(_) => return Err(MediaError::DecoderMissing { format }),
        };
        let boxes = top_level_boxes(bytes);
        if !boxes.complete {
            return Err(MediaError::Corrupt {
                reason: TRUNCATED.to_owned(),
            });
        }
        let context = ContextRef::new(api)?;
        // SAFETY: `context` is a live context; libheif reads `bytes` in place
        // (no copy), and `bytes` outlives the context and every handle from it:
        // both carry the lifetime `'a` of `bytes`.
        let read = unsafe {
            (api.read_from_memory_without_copy)(
                context.ptr.as_ptr(),
                bytes.as_ptr().cast(),
                bytes.len(),
                ptr::null(),
            )
        };
        if read.subcode == SUBERROR_NO_META_BOX && boxes.has_movie {
            // An image sequence with no still picture, such as a Live Photo's video.
            return Err(MediaError::Unsupported {
                format: format!("{format} (video or animation)"),
            });
        }
        check(read, format)?;
        let mut handle = ptr::null_mut();
        // SAFETY: live context; `handle` is an out-pointer to a local.
        let primary = unsafe { (api.primary_image_handle)(context.ptr.as_ptr(), &mut handle) };
        check(primary, format)?;
        let handle = HandleRef {
            api,
            ptr: NonNull::new(handle).ok_or_else(|| corrupt("it has no main picture"))?,
            _bytes: PhantomData,
        };
        let size = |value: c_int| u32::try_from(value).ok().filter(|&v| v > 0);
        // SAFETY (for the five calls): `handle` is a live image handle.
        let (width, height) = unsafe {
            (
                size((api.handle_width)(handle.ptr.as_ptr())),
                size((api.handle_height)(handle.ptr.as_ptr())),
            )
        };
        let (Some(width), Some(height)) = (width, height) else {
            return Err(corrupt("its header gives no picture size"));
        };
        // The size as coded, before rotation and cropping: what is decoded first.
        let (coded_width, coded_height) = unsafe {
            (
                size((api.handle_ispe_width)(handle.ptr.as_ptr())).unwrap_or(width),
                size((api.handle_ispe_height)(handle.ptr.as_ptr())).unwrap_or(height),
            )
        };
        let has_alpha = unsafe { (api.handle_has_alpha)(handle.ptr.as_ptr()) } != 0;
        let luma_bits = unsafe { (api.handle_luma_bits)(handle.ptr.as_ptr()) };
        Ok(OpenedHeif {
            api,
            format,
            handle,
            _context: context,
            width,
            height,
            coded_width,
            coded_height,
            has_alpha,
            deep: luma_bits > 8,
        })
    }
}

impl Drop for HeifDecoder {
    fn drop(&mut self) {
        if let Ok(loaded) = &self.loaded {
            if let Some(deinit) = loaded.api.deinit {
                // SAFETY: matches the one `heif_init` made when this library
                // was loaded; libheif counts them, so another loaded copy (the
                // system decoder) keeps working.
                unsafe { deinit() };
            }
        }
    }
}

/// Loads the library at `path` and looks up every function [`Api`] holds.
fn load(path: &OsStr) -> Result<Loaded, String> {
    let shown = path.to_string_lossy();
    // SAFETY: loading runs the library's initialisers; libheif's only set up
    // its codec registry. Nothing else about the library is assumed here.
    let library = unsafe { libloading::Library::new(path) }.map_err(|e| {
        // The loader's own words ("cannot open shared object file") are the cause.
        match std::error::Error::source(&e) {
            Some(cause) => format!("{shown}: {e}: {cause}"),
            None => format!("{shown}: {e}"),
        }
    })?;
    macro_rules! symbol {
        ($name:literal) => {
            // SAFETY: each use asks for `$name` as the type `heif.h` declares it.
            unsafe { function(&library, $name) }
                .map_err(|e| format!("{shown} lacks {}: {e}", $name))?
        };
    }
    let get_version: unsafe extern "C" fn() -> *const c_char = symbol!("heif_get_version");
    let init: Option<unsafe extern "C" fn(*const c_void) -> HeifError> =
        // SAFETY: as in `symbol!`.
        unsafe { function(&library, "heif_init") }.ok();
    let deinit: Option<unsafe extern "C" fn()> = // SAFETY: as in `symbol!`.
        unsafe { function(&library, "heif_deinit") }.ok();
    let mut api = Api {
        context_alloc: symbol!("heif_context_alloc"),
        context_free: symbol!("heif_context_free"),
        read_from_memory_without_copy: symbol!("heif_context_read_from_memory_without_copy"),
        primary_image_handle: symbol!("heif_context_get_primary_image_handle"),
        handle_release: symbol!("heif_image_handle_release"),
        handle_width: symbol!("heif_image_handle_get_width"),
        handle_height: symbol!("heif_image_handle_get_height"),
        handle_ispe_width: symbol!("heif_image_handle_get_ispe_width"),
        handle_ispe_height: symbol!("heif_image_handle_get_ispe_height"),
        handle_has_alpha: symbol!("heif_image_handle_has_alpha_channel"),
        handle_is_premultiplied: symbol!("heif_image_handle_is_premultiplied_alpha"),
        handle_luma_bits: symbol!("heif_image_handle_get_luma_bits_per_pixel"),
        handle_profile_type: symbol!("heif_image_handle_get_color_profile_type"),
        handle_raw_profile_size: symbol!("heif_image_handle_get_raw_color_profile_size"),
        handle_raw_profile: symbol!("heif_image_handle_get_raw_color_profile"),
        options_alloc: symbol!("heif_decoding_options_alloc"),
        options_free: symbol!("heif_decoding_options_free"),
        decode_image: symbol!("heif_decode_image"),
        image_width: symbol!("heif_image_get_width"),
        image_height: symbol!("heif_image_get_height"),
        image_bits_per_pixel: symbol!("heif_image_get_bits_per_pixel"),
        plane_readonly: symbol!("heif_image_get_plane_readonly"),
        image_release: symbol!("heif_image_release"),
        deinit: None,
        _library: library,
    };
    // SAFETY: takes no argument; returns a static NUL-terminated string.
    let version = unsafe { get_version() };
    let version = if version.is_null() {
        "unknown".to_owned()
    } else {
        // SAFETY: non-null, NUL-terminated, static in the library.
        unsafe { CStr::from_ptr(version) }
            .to_string_lossy()
            .into_owned()
    };
    if let Some(init) = init {
        // SAFETY: null parameters mean the defaults (`heif.h`). Registers the
        // built-in and plugin codecs; counted, matched by `heif_deinit` in Drop.
        let started = unsafe { init(ptr::null()) };
        if started.code != ERROR_OK {
            return Err(format!(
                "libheif {version} did not start: {}",
                message(&started)
            ));
        }
        api.deinit = deinit;
    }
    Ok(Loaded { api, version })
}

/// The function `name` of `library`, as a plain function pointer.
///
/// # Safety
/// `T` must be the function pointer type the library's header declares for `name`.
unsafe fn function<T: Copy>(
    library: &libloading::Library,
    name: &str,
) -> Result<T, libloading::Error> {
    // SAFETY: the caller vouches for `T`; the pointer is copied out of the
    // `Symbol` and stays valid while `library` is loaded, which `Api` ensures
    // by owning both.
    unsafe { library.get::<T>(name) }.map(|symbol| *symbol)
}

/// A libheif context, freed on drop.
struct ContextRef<'a> {
    api: &'a Api,
    ptr: NonNull<Context>,
}

impl<'a> ContextRef<'a> {
    fn new(api: &'a Api) -> Result<Self, MediaError> {
        // SAFETY: no arguments; returns an owned context or null.
        let ptr = unsafe { (api.context_alloc)() };
        let ptr = NonNull::new(ptr).ok_or_else(|| MediaError::TooLarge {
            reason: "there is not enough memory to open it".to_owned(),
        })?;
        Ok(Self { api, ptr })
    }
}

impl Drop for ContextRef<'_> {
    fn drop(&mut self) {
        // SAFETY: owned, freed exactly once; handles keep their own reference.
        unsafe { (self.api.context_free)(self.ptr.as_ptr()) }
    }
}

/// A handle to one image of a file, released on drop. Tied to the file's
/// bytes, which libheif reads in place.
struct HandleRef<'a> {
    api: &'a Api,
    ptr: NonNull<Handle>,
    _bytes: PhantomData<&'a [u8]>,
}

impl Drop for HandleRef<'_> {
    fn drop(&mut self) {
        // SAFETY: owned, released exactly once.
        unsafe { (self.api.handle_release)(self.ptr.as_ptr()) }
    }
}

/// Decoded pixels, released on drop.
struct ImageRef<'a> {
    api: &'a Api,
    ptr: NonNull<Image>,
}

impl Drop for ImageRef<'_> {
    fn drop(&mut self) {
        // SAFETY: owned, released exactly once.
        unsafe { (self.api.image_release)(self.ptr.as_ptr()) }
    }
}

/// Decoding options from libheif, freed on drop.
struct OptionsRef<'a> {
    api: &'a Api,
    ptr: NonNull<DecodingOptions>,
}

impl Drop for OptionsRef<'_> {
    fn drop(&mut self) {
        // SAFETY: owned, freed exactly once.
        unsafe { (self.api.options_free)(self.ptr.as_ptr()) }
    }
}

/// A HEIF file whose header was read; pixels not decoded yet.
pub(crate) struct OpenedHeif<'a> {
    api: &'a Api,
    format: SourceFormat,
    // Dropped before the context (field order), though libheif would not mind.
    handle: HandleRef<'a>,
    _context: ContextRef<'a>,
    /// Upright size, after the file's own rotation and cropping.
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Size as coded, before rotation and cropping.
    pub(crate) coded_width: u32,
    pub(crate) coded_height: u32,
    pub(crate) has_alpha: bool,
    /// More than 8 bits per channel (10-bit AVIF, HDR photos).
    pub(crate) deep: bool,
}

/// What [`OpenedHeif::decode`] returns: upright 8-bit pixels.
pub(crate) struct DecodedHeif {
    /// RGB, or RGBA when the file has transparency.
    pub(crate) image: DynamicImage,
    /// Colours in `image` are already multiplied by their alpha.
    pub(crate) premultiplied: bool,
    pub(crate) icc_profile: Option<Vec<u8>>,
}

impl OpenedHeif<'_> {
    /// Bytes decoding may take at its peak: the coded planes (YCbCr, 16 bits
    /// a sample when deeper than 8 bits, counted at full resolution for every
    /// plane) plus the 8-bit interleaved copy handed back.
    pub(crate) fn decode_bytes(&self) -> u64 {
        let coded = u64::from(self.coded_width) * u64::from(self.coded_height);
        let sample = if self.deep { 2 } else { 1 };
        let planes = if self.has_alpha { 4 } else { 3 };
        coded * sample * planes + coded * planes
    }

    /// Decodes the primary image to 8-bit interleaved RGB(A), upright.
    pub(crate) fn decode(self) -> Result<DecodedHeif, MediaError> {
        let api = self.api;
        let handle = self.handle.ptr.as_ptr();
        let (chroma, channels) = if self.has_alpha {
            (CHROMA_INTERLEAVED_RGBA, 4)
        } else {
            (CHROMA_INTERLEAVED_RGB, 3)
        };
        // SAFETY: no arguments; returns owned options or null (then defaults).
        let options =
            NonNull::new(unsafe { (api.options_alloc)() }).map(|ptr| OptionsRef { api, ptr });
        if let Some(options) = &options {
            // SAFETY: libheif allocated the struct; `version` is its first
            // byte, and `convert_hdr_to_8bit` exists from version 2 on.
            unsafe {
                let options = options.ptr.as_ptr();
                if (*options).version >= 2 {
                    (*options).convert_hdr_to_8bit = 1;
                }
            }
        }
        let options_ptr = options
            .as_ref()
            .map_or(ptr::null(), |options| options.ptr.as_ptr().cast_const());
        let mut image = ptr::null_mut();
        // SAFETY: live handle, out-pointer to a local, options from libheif or null.
        let decoded =
            unsafe { (api.decode_image)(handle, &mut image, COLORSPACE_RGB, chroma, options_ptr) };
        check(decoded, self.format)?;
        let image = ImageRef {
            api,
            ptr: NonNull::new(image).ok_or_else(|| corrupt("libheif decoded no picture"))?,
        };
        let pixels = read_plane(&image, self.format, (self.width, self.height), channels)?;
        let image = if self.has_alpha {
            RgbaImage::from_raw(self.width, self.height, pixels).map(DynamicImage::ImageRgba8)
        } else {
            RgbImage::from_raw(self.width, self.height, pixels).map(DynamicImage::ImageRgb8)
        }
        .ok_or_else(|| corrupt("the decoded picture has the wrong size"))?;
        // SAFETY: live handle.
        let premultiplied = self.has_alpha && unsafe { (api.handle_is_premultiplied)(handle) } != 0;
        Ok(DecodedHeif {
            image,
            premultiplied,
            icc_profile: self.icc_profile(),
        })
    }

    /// The file's ICC colour profile, if it has one of sane size.
    fn icc_profile(&self) -> Option<Vec<u8>> {
        let handle = self.handle.ptr.as_ptr();
        // SAFETY: live handle.
        let kind = unsafe { (self.api.handle_profile_type)(handle) };
        if kind != PROFILE_RICC && kind != PROFILE_PROF {
            return None;
        }
        // SAFETY: live handle.
        let len = unsafe { (self.api.handle_raw_profile_size)(handle) };
        // Real profiles are a few kilobytes; a larger claim is not believed.
        if len == 0 || len > 16 << 20 {
            return None;
        }
        let mut profile = vec![0u8; len];
        // SAFETY: `profile` has exactly the `len` bytes libheif said it writes.
        let read = unsafe { (self.api.handle_raw_profile)(handle, profile.as_mut_ptr().cast()) };
        (read.code == ERROR_OK).then_some(profile)
    }
}

/// Copies the interleaved plane of `image` into a tight `width × height ×
/// channels` buffer, after checking that the plane is that size.
fn read_plane(
    image: &ImageRef<'_>,
    format: SourceFormat,
    (width, height): (u32, u32),
    channels: usize,
) -> Result<Vec<u8>, MediaError> {
    let api = image.api;
    let image = image.ptr.as_ptr();
    // SAFETY (for the three queries): live image; the interleaved channel is
    // the one asked for in `heif_decode_image`.
    let (plane_width, plane_height, bits) = unsafe {
        (
            (api.image_width)(image, CHANNEL_INTERLEAVED),
            (api.image_height)(image, CHANNEL_INTERLEAVED),
            (api.image_bits_per_pixel)(image, CHANNEL_INTERLEAVED),
        )
    };
    let wrong_size = || corrupt("the decoded picture does not have the size its header gives");
    if u32::try_from(plane_width).ok() != Some(width)
        || u32::try_from(plane_height).ok() != Some(height)
    {
        return Err(wrong_size());
    }
    if usize::try_from(bits).ok() != Some(8 * channels) {
        return Err(MediaError::Unsupported {
            format: format!("{format} ({bits} bits per pixel)"),
        });
    }
    let mut stride: c_int = 0;
    // SAFETY: live image, same channel; `stride` is an out-pointer to a local.
    let plane = unsafe { (api.plane_readonly)(image, CHANNEL_INTERLEAVED, &mut stride) };
    let (width, height) = (width as usize, height as usize);
    let row = width.checked_mul(channels).ok_or_else(wrong_size)?;
    let stride = usize::try_from(stride).map_err(|_| wrong_size())?;
    if plane.is_null() || stride < row {
        return Err(wrong_size());
    }
    // The plane spans `stride × (height − 1) + row` bytes at least.
    stride
        .checked_mul(height - 1)
        .and_then(|rows| rows.checked_add(row))
        .ok_or_else(wrong_size)?;
    let mut pixels = Vec::with_capacity(row * height);
    for y in 0..height {
        // SAFETY: libheif allocated `height` rows of `stride ≥ row` bytes for
        // this plane (checked above: the sizes match what was asked and the
        // span fits in memory); the image outlives this loop.
        let line = unsafe { std::slice::from_raw_parts(plane.add(y * stride), row) };
        pixels.extend_from_slice(line);
    }
    Ok(pixels)
}

/// What the top-level boxes of an ISO media file say before libheif reads it.
struct TopLevel {
    /// Every box ends within the file: a file cut short (a download or copy
    /// that stopped) is known as such, not as "no meta box".
    complete: bool,
    /// A `moov` box: the file holds a video or animation track.
    has_movie: bool,
}

fn top_level_boxes(bytes: &[u8]) -> TopLevel {
    let mut pos = 0usize;
    let mut has_movie = false;
    while pos < bytes.len() {
        let Some(header) = bytes.get(pos..pos + 8) else {
            return TopLevel {
                complete: false,
                has_movie,
            };
        };
        has_movie |= &header[4..8] == b"moov";
        let size = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
            // The last box runs to the end of the file.
            0 => bytes.len() - pos,
            // A 64-bit size follows the type.
            1 => match bytes.get(pos + 8..pos + 16) {
                Some(large) => {
                    let mut be = [0u8; 8];
                    be.copy_from_slice(large);
                    usize::try_from(u64::from_be_bytes(be)).unwrap_or(usize::MAX)
                }
                None => usize::MAX,
            },
            size => size as usize,
        };
        if size < 8 {
            // Not a box size at all: leave it to libheif to say what is wrong.
            break;
        }
        pos = pos.saturating_add(size);
    }
    TopLevel {
        complete: pos <= bytes.len(),
        has_movie,
    }
}

fn message(err: &HeifError) -> String {
    if err.message.is_null() {
        return format!("libheif error {}.{}", err.code, err.subcode);
    }
    // SAFETY: non-null and NUL-terminated (`heif.h`: always defined); read
    // while the context it may belong to is alive.
    unsafe { CStr::from_ptr(err.message) }
        .to_string_lossy()
        .into_owned()
}

fn corrupt(reason: &str) -> MediaError {
    MediaError::Corrupt {
        reason: reason.to_owned(),
    }
}

/// What a libheif error means for the merchant; `Ok` when there is none.
fn check(err: HeifError, format: SourceFormat) -> Result<(), MediaError> {
    match (err.code, err.subcode) {
        (ERROR_OK, _) => Ok(()),
        (_, SUBERROR_END_OF_DATA) => Err(MediaError::Corrupt {
            reason: TRUNCATED.to_owned(),
        }),
        (_, SUBERROR_SECURITY_LIMIT_EXCEEDED) => Err(MediaError::TooLarge {
            reason: format!("it goes beyond what is safe to open ({})", message(&err)),
        }),
        (ERROR_MEMORY_ALLOCATION, _) => Err(MediaError::TooLarge {
            reason: "there is not enough memory to open it".to_owned(),
        }),
        // libheif is there but was built without the HEVC or AV1 decoder.
        (_, SUBERROR_UNSUPPORTED_CODEC) => Err(MediaError::DecoderMissing { format }),
        (ERROR_UNSUPPORTED_FILETYPE | ERROR_UNSUPPORTED_FEATURE, _) => {
            Err(MediaError::Unsupported {
                format: format!("{format} ({})", message(&err)),
            })
        }
        _ => Err(MediaError::Corrupt {
            reason: message(&err),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(code: c_int, subcode: c_int) -> HeifError {
        HeifError {
            code,
            subcode,
            message: c"from libheif".as_ptr(),
        }
    }

    #[test]
    fn libheif_errors_become_what_they_mean_for_the_merchant() {
        assert_eq!(check(error(0, 0), SourceFormat::Heic), Ok(()));
        assert_eq!(
            check(error(2, SUBERROR_END_OF_DATA), SourceFormat::Heic),
            Err(MediaError::Corrupt {
                reason: TRUNCATED.to_owned()
            }),
            "data ending early is a file not fully copied"
        );
        assert!(matches!(
            check(
                error(2, SUBERROR_SECURITY_LIMIT_EXCEEDED),
                SourceFormat::Avif
            ),
            Err(MediaError::TooLarge { .. })
        ));
        assert_eq!(
            check(error(4, SUBERROR_UNSUPPORTED_CODEC), SourceFormat::Avif),
            Err(MediaError::DecoderMissing {
                format: SourceFormat::Avif
            }),
            "a libheif without its AV1 decoder is a missing decoder, not a bad file"
        );
        assert_eq!(
            check(error(2, 0), SourceFormat::Heic),
            Err(MediaError::Corrupt {
                reason: "from libheif".to_owned()
            })
        );
    }

    #[test]
    fn a_heif_file_whose_last_box_runs_past_its_end_is_cut_short() {
        let mut file = b"\0\0\0\x10ftypheic\0\0\0\0".to_vec();
        file.extend_from_slice(b"\0\0\0\x20meta\0\0\0\0");
        assert!(
            !top_level_boxes(&file).complete,
            "the meta box says 32 bytes, 12 are there"
        );
        file.resize(16 + 32, 0);
        assert!(top_level_boxes(&file).complete);
        file.extend_from_slice(b"\0\0\0\0mdat");
        assert!(
            top_level_boxes(&file).complete,
            "size 0 means the box runs to the end of the file"
        );
        assert!(!top_level_boxes(&file).has_movie);
        assert!(
            top_level_boxes(b"\0\0\0\x08moov").has_movie,
            "a moov box holds a video track"
        );
    }

    #[test]
    fn a_library_that_is_not_there_gives_a_decoder_that_says_so() {
        let decoder = HeifDecoder::from_file("no-such-libheif.so.1");
        assert_eq!(decoder.version(), None);
        assert!(
            decoder
                .load_error()
                .is_some_and(|why| why.contains("no-such-libheif")),
            "the log names the file that was looked for: {decoder:?}"
        );
        let opened = decoder.open(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", SourceFormat::Heic);
        assert!(matches!(
            opened,
            Err(MediaError::DecoderMissing {
                format: SourceFormat::Heic
            })
        ));
    }
}
