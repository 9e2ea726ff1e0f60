//! Serves stored product photos to the webview through the `vitrine-img` URI scheme:
//! `vitrine-img://localhost/<sha256>` is the catalog image and
//! `vitrine-img://localhost/thumb/<sha256>` its 256-pixel thumbnail (on Windows the origin
//! is `http://vitrine-img.localhost`; the UI asks Tauri's `convertFileSrc` for it).
//!
//! Only those two exact shapes with a 64-hex content hash are accepted. The file path comes
//! from `Vitrine::image_path`/`thumbnail_path` given the parsed hash, never from the request
//! text, so there is no path to traverse and nothing outside the image store can be read.

use std::io::ErrorKind;

use tauri::http::{header, Method, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};
use vitrine_app::core::ContentHash;
use vitrine_app::Vitrine;

pub const SCHEME: &str = "vitrine-img";

/// The protocol handler registered on the Tauri builder. Reads happen on a blocking worker
/// so a page of thumbnails never stalls the UI thread.
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = context.app_handle().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let vitrine = app.state::<std::sync::Arc<Vitrine>>();
        responder.respond(respond(&vitrine, &request));
    });
}

/// The response for one image request.
pub fn respond(vitrine: &Vitrine, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    let Some((size, hash)) = parse_path(request.uri().path()) else {
        return status(StatusCode::NOT_FOUND);
    };
    let bytes = match size {
        // A thumbnail can be rebuilt from its image; until then the image will do.
        Size::Thumbnail => std::fs::read(vitrine.thumbnail_path(&hash))
            .or_else(|_| std::fs::read(vitrine.image_path(&hash))),
        Size::Full => std::fs::read(vitrine.image_path(&hash)),
    };
    match bytes {
        Ok(bytes) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, sniff_mime(&bytes))
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            // Content-addressed: the bytes behind a hash never change.
            .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
            .body(if request.method() == Method::HEAD {
                Vec::new()
            } else {
                bytes
            })
            .unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(error) if error.kind() == ErrorKind::NotFound => status(StatusCode::NOT_FOUND),
        Err(error) => {
            tracing::warn!(%error, hash = hash.as_str(), "could not read a stored image");
            status(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    Full,
    Thumbnail,
}

/// `/<hash>` or `/thumb/<hash>` with a 64-lowercase-hex hash, and nothing else: no dots,
/// extra slashes or escapes. (`ContentHash::parse` accepts exactly 64 lowercase hex digits.)
fn parse_path(path: &str) -> Option<(Size, ContentHash)> {
    let (size, name) = match path.strip_prefix("/thumb/") {
        Some(name) => (Size::Thumbnail, name),
        None => (Size::Full, path.strip_prefix('/')?),
    };
    Some((size, ContentHash::parse(name).ok()?))
}

/// Stored images are JPEG, PNG or WebP; the magic bytes say which.
fn sniff_mime(bytes: &[u8]) -> &'static str {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "application/octet-stream",
    }
}

fn status(code: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = code;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "ec2799bfa04695ef199276db85c474e441e944c854bbb9538b6993701a21df3e";

    #[test]
    fn an_image_and_its_thumbnail_are_addressed_by_hash() {
        let (size, hash) = parse_path(&format!("/{HASH}")).expect("an image path");
        assert_eq!((size, hash.as_str()), (Size::Full, HASH));
        let (size, hash) = parse_path(&format!("/thumb/{HASH}")).expect("a thumbnail path");
        assert_eq!((size, hash.as_str()), (Size::Thumbnail, HASH));
    }

    #[test]
    fn anything_but_a_bare_hash_is_refused() {
        let refused = [
            "/".to_owned(),
            "/../../etc/passwd".to_owned(),
            format!("/{}", HASH.to_uppercase()),
            format!("/{HASH}/"),
            format!("/{HASH}.jpg"),
            format!("/../{HASH}"),
            format!("/%2e%2e/{HASH}"),
            format!("/{}", &HASH[1..]),
            format!("/{HASH}0"),
            HASH.to_owned(),
            format!("/thumb/../{HASH}"),
            format!("/thumb//{HASH}"),
            format!("/thumbs/{HASH}"),
            format!("/full/{HASH}"),
            "/thumb/../../etc/passwd".to_owned(),
        ];
        for path in refused {
            assert!(
                parse_path(&path).is_none(),
                "{path:?} must not name an image"
            );
        }
    }

    #[test]
    fn stored_formats_are_recognised_by_their_magic_bytes() {
        assert_eq!(sniff_mime(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(sniff_mime(b"\x89PNG\r\n\x1a\n"), "image/png");
        assert_eq!(sniff_mime(b"RIFF\0\0\0\0WEBPVP8 "), "image/webp");
        assert_eq!(
            sniff_mime(b"<svg"),
            "application/octet-stream",
            "no SVG: it can carry script"
        );
    }
}
