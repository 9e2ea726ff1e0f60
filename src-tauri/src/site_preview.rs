//! Serves the storefront preview (built by `preview_storefront`) to the webview through the
//! `vitrine-site` URI scheme: `vitrine-site://localhost/<site path>`. The file comes from
//! `Vitrine::storefront_preview_file`, which refuses any path leaving the preview folder.

use tauri::http::{header, Method, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};
use vitrine_app::Vitrine;

pub const SCHEME: &str = "vitrine-site";

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

/// The response for one request of the preview.
pub fn respond(vitrine: &Vitrine, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let empty = |code: StatusCode| {
        Response::builder()
            .status(code)
            .body(Vec::new())
            .unwrap_or_default()
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return empty(StatusCode::METHOD_NOT_ALLOWED);
    }
    let Some(path) = decode(request.uri().path()).and_then(|p| vitrine.storefront_preview_file(&p))
    else {
        return empty(StatusCode::NOT_FOUND);
    };
    let Ok(bytes) = std::fs::read(&path) else {
        return empty(StatusCode::NOT_FOUND);
    };
    let mime = vitrine_app::site_content_type(&path.to_string_lossy());
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, mime)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(if request.method() == Method::HEAD {
            Vec::new()
        } else {
            bytes
        })
        .unwrap_or_default()
}

/// Percent-decodes a URI path (`%2F` and UTF-8 escapes); `None` for a malformed one.
fn decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_percent_decoded_and_malformed_ones_refused() {
        assert_eq!(
            super::decode("/pt-BR%2Fp%2FMUG.html").as_deref(),
            Some("/pt-BR/p/MUG.html")
        );
        assert_eq!(super::decode("/%D8%B9.html").as_deref(), Some("/ع.html"));
        assert_eq!(super::decode("/%zz"), None);
        assert_eq!(super::decode("/%C3"), None, "not UTF-8");
    }
}
