//! The desktop shell through Tauri's mock runtime: real commands, real IPC serialisation and
//! ACL, a real catalog in a temp dir; no window system. Plus the bindings drift check.

use std::io::Cursor;

use serde_json::{json, Value};
use tauri::http::{header, Request, StatusCode};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;
use vitrine_app::{ImageSource, NewProduct, Vitrine};

/// `(sku, title, price, currency)`
type Row<'a> = (&'a str, &'a str, &'a str, &'a str);

const CATALOG: &[Row<'static>] = &[
    ("CAMISA-AZUL-M", "Camisa de linho azul", "149.90", "BRL"),
    ("ABAYA-001", "عباءة سوداء مطرزة", "350.00", "SAR"),
];

/// A mock-runtime app over a fresh catalog in a temp dir, with its main window.
struct Shell {
    window: WebviewWindow<tauri::test::MockRuntime>,
    _data: TempDir,
}

impl Shell {
    fn with_products(products: &[Row<'_>]) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let vitrine = Vitrine::open(data.path()).expect("open a fresh catalog");
        for &(sku, title, price, currency) in products {
            let product = NewProduct {
                sku: sku.into(),
                title: title.into(),
                price: price.into(),
                currency: Some(currency.into()),
                ..NewProduct::default()
            };
            vitrine
                .add_product(product)
                .unwrap_or_else(|e| panic!("add {sku}: {e}"));
        }
        let app = vitrine_desktop::builder(mock_builder(), vitrine)
            .build(mock_context(noop_assets()))
            .expect("build the mock app");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("open the main window");
        Self {
            window,
            _data: data,
        }
    }

    /// Calls a command the way the webview does; `Err` is the rejected value.
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The Linux/macOS webview origin; any other is refused by the ACL.
            url: "tauri://localhost".parse().expect("a URL"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("a JSON response"))
    }

    fn vitrine(&self) -> tauri::State<'_, Vitrine> {
        self.window.state::<Vitrine>()
    }

    fn list(&self, search: Option<&str>) -> Value {
        self.invoke(
            "list_products",
            json!({ "query": { "search": search, "limit": 50, "offset": 0 } }),
        )
        .expect("list_products succeeds")
    }
}

fn titles(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["title"].as_str().expect("title"))
        .collect()
}

#[test]
fn list_products_returns_every_product_as_camel_case_rows() {
    let shell = Shell::with_products(CATALOG);

    let page = shell.list(None);

    assert_eq!(page["total"], 2, "both products count");
    let mut listed = titles(&page);
    listed.sort_unstable();
    assert_eq!(listed, ["Camisa de linho azul", "عباءة سوداء مطرزة"]);
    let camisa = page["items"]
        .as_array()
        .and_then(|items| items.iter().find(|item| item["sku"] == "CAMISA-AZUL-M"))
        .expect("the shirt is listed");
    assert_eq!(
        camisa["price"],
        json!({ "amount": "149.90", "currency": "BRL" }),
        "exact decimal money"
    );
    assert_eq!(
        camisa["salePrice"],
        Value::Null,
        "camelCase keys, null when absent"
    );
    assert_eq!(camisa["availability"], "inStock");
    assert!(
        camisa["id"].as_str().is_some_and(|id| !id.is_empty()),
        "an id to address the row by"
    );
}

#[test]
fn a_search_narrows_the_list_through_full_text_search() {
    let shell = Shell::with_products(CATALOG);

    let page = shell.list(Some("linho"));

    assert_eq!(
        titles(&page),
        ["Camisa de linho azul"],
        "only the title with the word"
    );
    assert_eq!(
        page["total"], 1,
        "the total counts matches, not the catalog"
    );
}

#[test]
fn an_empty_catalog_lists_nothing() {
    let shell = Shell::with_products(&[]);

    let page = shell.list(None);

    assert_eq!(page, json!({ "items": [], "total": 0 }));
}

#[test]
fn an_app_error_crosses_ipc_as_a_code_and_a_message() {
    let shell = Shell::with_products(CATALOG);

    let error = shell
        .vitrine()
        .find_product("NO-SUCH-SKU")
        .expect_err("no such product");
    let ipc = vitrine_desktop::IpcError::from(error);
    assert_eq!(
        ipc.code,
        vitrine_desktop::ErrorCode::NotFound,
        "the UI can tell a missing product apart"
    );
    assert!(
        ipc.message.contains("NO-SUCH-SKU"),
        "a sentence naming what was asked for: {}",
        ipc.message
    );
    assert_eq!(
        serde_json::to_value(&ipc).expect("serialise"),
        json!({ "code": "notFound", "message": ipc.message }),
        "the wire shape the UI's BackendError reads"
    );
}

#[test]
fn the_shop_header_shows_the_shop_name_and_currency() {
    let shell = Shell::with_products(&[]);

    let shop = shell.invoke("shop", json!({})).expect("shop succeeds");

    assert!(shop["name"].is_string(), "a name, possibly empty: {shop}");
    assert!(
        shop["currency"].as_str().is_some_and(|c| c.len() == 3),
        "an ISO 4217 code: {shop}"
    );
}

#[test]
fn photos_are_served_by_content_hash_and_nothing_else_is() {
    let shell = Shell::with_products(CATALOG);
    let vitrine = shell.vitrine();
    let added = vitrine
        .add_images(
            "CAMISA-AZUL-M",
            &[ImageSource::Bytes {
                name: "camisa.png".into(),
                bytes: sample_png(),
            }],
        )
        .expect("attach a photo");
    let hash = added.product.images[0].hash.as_str().to_owned();

    let page = shell.list(Some("camisa"));
    assert_eq!(
        page["items"][0]["thumbnail"],
        hash.as_str(),
        "the row names its main photo"
    );

    let get = |path: &str| {
        let request = Request::get(format!("vitrine-img://localhost{path}"))
            .body(Vec::new())
            .expect("a request");
        vitrine_desktop::images::respond(&vitrine, &request)
    };
    for path in [format!("/{hash}"), format!("/thumb/{hash}")] {
        let response = get(&path);
        assert_eq!(response.status(), StatusCode::OK, "{path} is served");
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "image/jpeg",
            "stored photos are JPEG"
        );
        assert!(
            response.body().starts_with(&[0xFF, 0xD8]),
            "{path}: the JPEG bytes themselves"
        );
    }
    assert_eq!(
        get(&format!("/{}", "0".repeat(64))).status(),
        StatusCode::NOT_FOUND,
        "an unknown hash"
    );
    assert_eq!(
        get("/../catalog.sqlite").status(),
        StatusCode::NOT_FOUND,
        "no path traversal"
    );
    assert_eq!(
        get(&format!("/thumb/../{hash}")).status(),
        StatusCode::NOT_FOUND,
        "no path traversal"
    );
}

/// A 600×600 gradient, encoded as PNG: something the photo pipeline accepts.
fn sample_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 3) as u8, 160])
    });
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

#[test]
fn malformed_arguments_are_refused_before_reaching_the_catalog() {
    let shell = Shell::with_products(&[]);

    let refused = shell.invoke("list_products", json!({ "query": { "search": 7 } }));

    assert!(refused.is_err(), "a number is no search text: {refused:?}");
}

#[test]
fn committed_bindings_match_the_rust_commands() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("bindings.ts");
    vitrine_desktop::export_bindings(&fresh).expect("export the bindings");
    let fresh = std::fs::read_to_string(&fresh).expect("read the fresh bindings");

    if std::env::var_os("VITRINE_UPDATE_BINDINGS").is_some() {
        std::fs::write(vitrine_desktop::BINDINGS_PATH, &fresh).expect("write the bindings");
        return;
    }
    let committed = std::fs::read_to_string(vitrine_desktop::BINDINGS_PATH).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is out of date with the Rust commands: run `make bindings` and commit it"
    );
}
