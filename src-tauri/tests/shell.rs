//! The desktop shell through Tauri's mock runtime: real commands, real IPC serialisation and
//! ACL, a real catalog in a temp dir; no window system. Plus the bindings drift check.

use std::io::Cursor;
use std::sync::Arc;

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
        Self::over(vitrine, data, products)
    }

    /// Over a catalog that keeps secrets in memory, not in the OS keychain, with the Graph
    /// API at `graph` (a fake).
    fn talking_to(graph: vitrine_app::meta::GraphConfig, products: &[Row<'_>]) -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let seams = vitrine_app::Seams {
            graph,
            secrets: Arc::new(vitrine_app::MemorySecretStore::default()),
            bucket_secret: Arc::new(vitrine_app::MemorySecretStore::default()),
            // The fake Graph server's photo CDN is on loopback.
            downloader: vitrine_app::Downloader::allowing_loopback(),
            ..vitrine_app::Seams::default()
        };
        let vitrine = Vitrine::open_with(data.path(), seams).expect("open a fresh catalog");
        Self::over(vitrine, data, products)
    }

    fn over(vitrine: Vitrine, data: TempDir, products: &[Row<'_>]) -> Self {
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

    fn vitrine(&self) -> tauri::State<'_, Arc<Vitrine>> {
        self.window.state::<Arc<Vitrine>>()
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd}({args}) failed: {e}"))
    }

    fn data_dir(&self) -> &std::path::Path {
        self._data.path()
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
        json!({ "amount": "149.90", "minor": 14990, "currency": "BRL" }),
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
        json!({
            "code": "notFound",
            "message": ipc.message,
            "key": null,
            "params": {},
            "field": null,
            "detail": null
        }),
        "the wire shape the UI's BackendError reads"
    );
}

/// The failures a merchant meets most carry a message id the UI says in its language.
#[test]
fn common_failures_carry_a_message_key_for_the_ui_language() {
    let shell = Shell::with_products(CATALOG);
    let broken = shell.data_dir().join("broken.png");
    std::fs::write(&broken, &sample_png()[..60]).expect("write a cut-off photo");
    let refused = shell
        .invoke(
            "add_images",
            json!({ "key": "CAMISA-AZUL-M", "paths": [broken.display().to_string()] }),
        )
        .expect_err("a cut-off photo");
    assert_eq!(
        (&refused["code"], &refused["key"], &refused["params"]),
        (
            &json!("invalidInput"),
            &json!("error.image.corrupt"),
            &json!({ "name": "broken.png" })
        ),
        "{refused}"
    );

    let phone = shell
        .invoke("update_shop", json!({ "update": { "phone": "12" } }))
        .expect_err("not a phone number");
    assert_eq!(phone["key"], "error.invalid.phone", "{phone}");
    assert!(
        phone["message"].as_str().is_some_and(|m| m.contains("12")),
        "the English fallback still names the input: {phone}"
    );

    let price = shell
        .invoke(
            "edit_product",
            json!({ "key": "CAMISA-AZUL-M", "patch": { "price": "12.345" } }),
        )
        .expect_err("three decimals in BRL");
    assert_eq!(price["key"], "error.invalid.price", "{price}");
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

/// The UI names the computer's time zone; the analytics count days there, and a name that is
/// not an IANA zone (an offset, say) is the merchant's input to correct.
#[test]
fn order_analytics_take_the_time_zone_by_name_and_refuse_an_unknown_one() {
    let shell = Shell::with_products(CATALOG);
    let stats = shell.ok(
        "order_analytics",
        json!({ "query": {}, "timeZone": "Africa/Cairo" }),
    );
    assert_eq!(
        (&stats["perDay"], &stats["perWeek"]),
        (&json!([]), &json!([])),
        "no orders yet, no days: {stats}"
    );
    let refused = shell
        .invoke(
            "order_analytics",
            json!({ "query": {}, "timeZone": "UTC+03:00" }),
        )
        .expect_err("an offset is not a zone name");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("“UTC+03:00” is not a time zone")),
        "the message names what was sent: {refused}"
    );
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

/// A form as the editor sends it: every key present, optional ones `null`.
fn form(sku: &str, title: &str, price: &str) -> Value {
    json!({
        "sku": sku, "title": title, "description": "", "brand": "", "price": price,
        "currency": null, "salePrice": null, "saleWindow": null, "availability": null,
        "condition": null, "stock": null, "link": null, "collections": [], "variant": null,
        "translations": [],
    })
}

fn rules(findings: &Value) -> Vec<&str> {
    findings
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule"))
        .collect()
}

#[test]
fn a_product_added_from_the_editor_comes_back_with_every_field_and_its_findings() {
    let shell = Shell::with_products(&[]);
    let mut input = form("VESTIDO-01", "Vestido floral", "89.90");
    input["currency"] = json!("BRL");
    input["salePrice"] = json!("79.90");
    input["saleWindow"] = json!("2026-11-01T00:00-03:00/2026-12-01T00:00-03:00");
    input["availability"] = json!("availableForOrder");
    input["condition"] = json!("used");
    input["stock"] = json!(3);
    input["collections"] = json!(["Verão"]);
    input["variant"] =
        json!({ "groupId": "VESTIDO", "attributes": [{ "name": "size", "value": "M" }] });
    input["translations"] =
        json!([{ "language": "ar", "title": "فستان", "description": "فستان زهري" }]);

    let added = shell.ok("add_product", json!({ "input": input }));

    assert_eq!(added["sku"], "VESTIDO-01");
    assert_eq!(
        added["price"],
        json!({ "amount": "89.90", "minor": 8990, "currency": "BRL" }),
        "money as a decimal string and exact minor units"
    );
    assert_eq!(added["salePrice"]["amount"], "79.90");
    assert_eq!(
        added["saleWindow"], "2026-11-01T00:00-03:00/2026-12-01T00:00-03:00",
        "the window in Meta's form, offsets kept"
    );
    assert_eq!(added["availability"], "availableForOrder");
    assert_eq!(added["condition"], "used");
    assert_eq!(added["stock"], 3);
    assert_eq!(
        added["collections"][0]["name"], "Verão",
        "a new name makes a collection"
    );
    assert_eq!(
        added["variant"]["attributes"][0],
        json!({ "name": "size", "value": "M" })
    );
    assert_eq!(added["translations"][0]["language"], "ar");
    assert_eq!(added["images"], json!([]));
    let found = rules(&added["findings"]);
    assert!(found.contains(&"image_missing"), "no photo yet: {found:?}");
    assert!(
        added["findings"][0]["severity"].is_string() && added["findings"][0]["field"].is_string(),
        "each finding names its severity and field: {}",
        added["findings"]
    );

    let fetched = shell.ok("get_product", json!({ "key": "VESTIDO-01" }));
    assert_eq!(fetched["id"], added["id"], "found again by SKU");
    let by_id = shell.ok("get_product", json!({ "key": added["id"] }));
    assert_eq!(by_id["sku"], "VESTIDO-01", "and by id");
}

#[test]
fn an_edit_changes_only_the_fields_it_names_and_null_clears_stock() {
    let shell = Shell::with_products(CATALOG);
    shell.ok(
        "edit_product",
        json!({ "key": "CAMISA-AZUL-M", "patch": { "stock": 5 } }),
    );

    let edited = shell.ok(
        "edit_product",
        json!({ "key": "CAMISA-AZUL-M", "patch": { "title": "Camisa de linho", "stock": null } }),
    );

    assert_eq!(edited["title"], "Camisa de linho");
    assert_eq!(edited["stock"], Value::Null, "null clears the stock");
    assert_eq!(
        edited["price"]["amount"], "149.90",
        "an absent field keeps its value"
    );

    let kept = shell.ok(
        "edit_product",
        json!({ "key": "CAMISA-AZUL-M", "patch": { "description": "Linho puro" } }),
    );
    assert_eq!(kept["title"], "Camisa de linho", "absent is not null");
}

/// The UI marks the refused field from `field`, never by reading the English message.
#[test]
fn a_refused_input_crosses_ipc_naming_its_field_typed() {
    let shell = Shell::with_products(CATALOG);

    let sale = shell
        .invoke(
            "edit_product",
            json!({ "key": "CAMISA-AZUL-M", "patch": { "salePrice": "abc" } }),
        )
        .expect_err("not a sale price");
    assert_eq!(
        (&sale["code"], &sale["field"]),
        (&json!("invalidInput"), &json!("salePrice")),
        "the field in camelCase, as the bindings' InputField: {sale}"
    );
    let (message, detail) = (
        sale["message"].as_str().unwrap_or_default(),
        sale["detail"].as_str().unwrap_or_default(),
    );
    assert!(
        message.starts_with("sale price: ") && message.ends_with(detail) && !detail.is_empty(),
        "the English message still names the field (as the CLI says it); the detail is the rest: {sale}"
    );
    assert!(
        !detail.starts_with("sale price"),
        "shown next to its field, the detail does not name it again: {sale}"
    );

    let phone = shell
        .invoke("update_shop", json!({ "update": { "phone": "12" } }))
        .expect_err("not a phone number");
    assert_eq!(phone["field"], "phone", "{phone}");

    let missing = shell
        .invoke("get_product", json!({ "key": "NO-SUCH-SKU" }))
        .expect_err("no such product");
    assert_eq!(
        (&missing["field"], &missing["detail"]),
        (&Value::Null, &Value::Null),
        "a failure about no input names no field: {missing}"
    );
}

#[test]
fn an_edit_with_a_bad_price_is_refused_as_invalid_input() {
    let shell = Shell::with_products(CATALOG);

    let error = shell
        .invoke(
            "edit_product",
            json!({ "key": "CAMISA-AZUL-M", "patch": { "price": "abc" } }),
        )
        .expect_err("not a price");

    assert_eq!(
        error["code"], "invalidInput",
        "the UI shows it next to the field: {error}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("price")),
        "{error}"
    );
}

#[test]
fn check_input_shows_meta_findings_for_an_unsaved_form() {
    let shell = Shell::with_products(&[]);
    let mut input = form("NOVO", "CAMISETA BRANCA", "0");
    input["description"] = json!("");

    let findings = shell.ok("check_input", json!({ "existing": null, "input": input }));

    let found = rules(&findings);
    for rule in [
        "price_zero",
        "description_missing",
        "image_missing",
        "title_all_caps",
    ] {
        assert!(found.contains(&rule), "{rule} expected in {found:?}");
    }
    assert_eq!(shell.list(None)["total"], 0, "checking saves nothing");
}

#[test]
fn bulk_edits_change_every_selected_product() {
    let shell = Shell::with_products(CATALOG);
    let keys = json!(["CAMISA-AZUL-M", "ABAYA-001"]);

    let report = shell.ok(
        "bulk_edit",
        json!({ "keys": keys, "change": { "kind": "adjustPrice", "value": { "kind": "percent", "value": "10" } } }),
    );
    assert_eq!(report, json!({ "changed": 2 }));
    let shirt = shell.ok("get_product", json!({ "key": "CAMISA-AZUL-M" }));
    assert_eq!(
        shirt["price"]["amount"], "164.89",
        "149.90 + 10%, to the cent"
    );

    shell.ok(
        "bulk_edit",
        json!({ "keys": keys, "change": { "kind": "setAvailability", "value": "outOfStock" } }),
    );
    shell.ok(
        "bulk_edit",
        json!({ "keys": keys, "change": { "kind": "moveToCollection", "value": "Promo" } }),
    );
    let page = shell.ok(
        "list_products",
        json!({ "query": { "search": null, "collection": "Promo", "availability": "outOfStock",
                           "problems": null, "limit": 50, "offset": 0 } }),
    );
    assert_eq!(page["total"], 2, "both moved and out of stock: {page}");
}

#[test]
fn removed_products_come_back_with_undo() {
    let shell = Shell::with_products(CATALOG);

    let removed = shell.ok(
        "remove_products",
        json!({ "keys": ["CAMISA-AZUL-M", "ABAYA-001"] }),
    );
    assert_eq!(removed["removed"].as_array().map(Vec::len), Some(2));
    assert_eq!(shell.list(None)["total"], 0, "gone from the list");

    let restored = shell.ok("undo_removal", json!({ "batch": removed["batch"] }));
    assert_eq!(restored["restored"].as_array().map(Vec::len), Some(2));
    assert_eq!(shell.list(None)["total"], 2, "back in the list");

    let again = shell
        .invoke("undo_removal", json!({ "batch": removed["batch"] }))
        .expect_err("an undo is used once");
    assert_eq!(again["code"], "notFound");
}

#[test]
fn the_problems_filter_lists_only_products_with_findings() {
    let shell = Shell::with_products(CATALOG);
    let query = |problems: Value| {
        shell.ok(
            "list_products",
            json!({ "query": { "search": null, "collection": null, "availability": null,
                               "problems": problems, "limit": 50, "offset": 0 } }),
        )
    };

    assert_eq!(
        query(json!("errors"))["total"],
        2,
        "no photo is a blocking error"
    );
    let summary = &query(Value::Null)["items"][0];
    assert_eq!(summary["imageCount"], 0);
    assert!(
        summary["errors"].as_u64().is_some_and(|n| n > 0),
        "{summary}"
    );
    assert!(
        summary["updatedAt"]
            .as_str()
            .is_some_and(|t| t.contains('T')),
        "{summary}"
    );
}

#[test]
fn photos_are_added_from_files_then_reordered_and_removed() {
    let shell = Shell::with_products(CATALOG);
    let paths: Vec<String> = [30u8, 200]
        .iter()
        .map(|blue| {
            let path = shell.data_dir().join(format!("photo-{blue}.png"));
            std::fs::write(&path, sample_png_tinted(*blue)).expect("write a photo");
            path.display().to_string()
        })
        .collect();

    let added = shell.ok(
        "add_images",
        json!({ "key": "CAMISA-AZUL-M", "paths": paths }),
    );
    assert_eq!(added["added"], 2);
    let images = added["images"].as_array().expect("images").clone();
    assert_eq!(images.len(), 2);
    assert!(images[0]["hash"].as_str().is_some_and(|h| h.len() == 64));
    assert!(images[0]["width"].as_u64().is_some_and(|w| w > 0));

    let moved = shell.ok(
        "move_image",
        json!({ "key": "CAMISA-AZUL-M", "from": 1, "to": 0 }),
    );
    assert_eq!(
        moved["images"][0]["hash"], images[1]["hash"],
        "the second is now the main photo"
    );

    let left = shell.ok(
        "remove_image",
        json!({ "key": "CAMISA-AZUL-M", "index": 0 }),
    );
    assert_eq!(left["images"], json!([images[0].clone()]));

    let missing = shell
        .invoke(
            "add_images",
            json!({ "key": "CAMISA-AZUL-M", "paths": ["/no/such/photo.jpg"] }),
        )
        .expect_err("no such file");
    assert_eq!(missing["code"], "invalidInput", "{missing}");
}

#[test]
fn collections_are_listed_with_counts_renamed_and_deleted() {
    let shell = Shell::with_products(CATALOG);
    let created = shell.ok("create_collection", json!({ "name": "Verão" }));
    shell.ok(
        "bulk_edit",
        json!({ "keys": ["ABAYA-001"], "change": { "kind": "addToCollection", "value": "Verão" } }),
    );

    let listed = shell.ok("collections", json!({}));
    assert_eq!(
        listed,
        json!([{ "id": created["id"], "name": "Verão", "products": 1 }])
    );

    let renamed = shell.ok(
        "rename_collection",
        json!({ "key": created["id"], "name": "Inverno" }),
    );
    assert_eq!(renamed["name"], "Inverno");
    let duplicate = shell
        .invoke("create_collection", json!({ "name": "inverno" }))
        .expect_err("names are unique");
    assert_eq!(duplicate["code"], "conflict");

    shell.ok("delete_collection", json!({ "key": "Inverno" }));
    assert_eq!(shell.ok("collections", json!({})), json!([]));
    assert_eq!(shell.list(None)["total"], 2, "the products stay");
}

#[test]
fn a_csv_import_reports_created_rows_and_bad_lines() {
    let shell = Shell::with_products(&[]);
    let path = shell.data_dir().join("products.csv");
    std::fs::write(
        &path,
        "id,title,description,price\nS-1,Sabonete,Artesanal,12.50 BRL\nS-2,Vela,Lavanda,not-a-price\n",
    )
    .expect("write a CSV");

    let report = shell.ok(
        "import_csv",
        json!({ "file": { "kind": "path", "path": path }, "choices": {}, "onProgress": "__CHANNEL__:7" }),
    );

    assert_eq!(report["format"], "meta");
    assert_eq!(report["reading"]["encoding"], "utf8");
    assert_eq!(report["reading"]["delimiter"], "comma");
    assert_eq!(report["rows"][0]["result"]["kind"], "created");
    assert_eq!(report["created"], 1);
    assert_eq!(report["cancelled"], false);
    assert_eq!(
        report["errors"][0]["line"], 3,
        "the bad row, by its line in the file"
    );
    assert_eq!(report["errors"][0]["sku"], "S-2");
    assert_eq!(shell.list(Some("sabonete"))["total"], 1);
}

#[test]
fn a_photo_folder_becomes_one_product_per_photo() {
    let shell = Shell::with_products(&[]);
    let dir = shell.data_dir().join("fotos");
    std::fs::create_dir(&dir).expect("a folder");
    std::fs::write(dir.join("vestido floral.png"), sample_png_tinted(90)).expect("a photo");
    std::fs::write(dir.join("bolsa.png"), sample_png_tinted(10)).expect("a photo");

    let report = shell.ok(
        "import_photo_folder",
        json!({ "dir": dir, "onProgress": "__CHANNEL__:8" }),
    );

    assert_eq!(report["format"], "photoFolder");
    assert_eq!(report["created"], 2, "{report}");
    let page = shell.list(Some("vestido"));
    assert_eq!(page["items"][0]["imageCount"], 1, "{page}");
}

#[test]
fn cancelling_with_no_import_running_is_harmless() {
    let shell = Shell::with_products(&[]);

    assert_eq!(shell.ok("cancel_import", json!({})), Value::Null);
}

#[test]
fn a_backup_restores_the_catalog_as_it_was() {
    let shell = Shell::with_products(CATALOG);
    let archive = shell.data_dir().join("backup.vitrine");

    let saved = shell.ok("backup", json!({ "path": archive }));
    assert_eq!(saved["products"], 2);

    shell.ok("remove_products", json!({ "keys": ["CAMISA-AZUL-M"] }));
    assert_eq!(shell.list(None)["total"], 1);

    let restored = shell.ok("restore", json!({ "path": archive }));
    assert_eq!(restored["products"], 2);
    assert_eq!(
        restored["notApplied"],
        json!([]),
        "a backup of this same machine has no connection to set aside"
    );
    assert_eq!(shell.list(None)["total"], 2, "the deleted shirt is back");

    let bad = shell.data_dir().join("not-a-backup.zip");
    std::fs::write(&bad, b"hello").expect("write");
    let refused = shell
        .invoke("restore", json!({ "path": bad }))
        .expect_err("not a backup");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    assert_eq!(shell.list(None)["total"], 2, "a bad file changes nothing");
}

#[test]
fn an_export_writes_every_product() {
    let shell = Shell::with_products(CATALOG);
    let path = shell.data_dir().join("export.csv");

    let summary = shell.ok("export_csv", json!({ "path": path }));

    assert_eq!(summary, json!({ "products": 2 }));
    let text = std::fs::read_to_string(&path).expect("the CSV");
    assert!(text.contains("CAMISA-AZUL-M"), "{text}");
}

#[test]
fn check_catalog_lists_findings_per_product() {
    let shell = Shell::with_products(CATALOG);

    let checks = shell.ok("check_catalog", json!({}));

    assert_eq!(checks.as_array().map(Vec::len), Some(2));
    assert!(rules(&checks[0]["findings"]).contains(&"image_missing"));
}

#[test]
fn shop_settings_are_saved_and_the_number_shown_internationally() {
    let shell = Shell::with_products(&[]);

    let shop = shell.ok(
        "update_shop",
        json!({ "update": { "name": "Loja da Ana", "phone": "11 98765-4321", "phoneRegion": "BR",
                            "currency": "BRL", "languages": ["ar", "pt-BR"] } }),
    );

    assert_eq!(shop["name"], "Loja da Ana");
    assert_eq!(shop["phone"]["e164"], "+5511987654321");
    assert_eq!(shop["phone"]["international"], "+55 11 98765-4321");
    assert_eq!(shop["currencyDecimals"], 2);
    assert_eq!(shop["languages"], json!(["ar", "pt-BR"]));
    assert_eq!(shop["direction"], "rtl", "Arabic first: right to left");
    assert_eq!(shell.ok("shop", json!({})), shop, "read back as saved");

    let bad = shell
        .invoke("update_shop", json!({ "update": { "phone": "12" } }))
        .expect_err("not a phone number");
    assert_eq!(bad["code"], "invalidInput");
}

fn sample_png_tinted(blue: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(600, 600, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 3) as u8, blue])
    });
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

/// The Sync view end to end through IPC, against the fake Graph server on loopback: connect
/// (the token goes to the secret store and never comes back), test the connection, set
/// photo hosting, preview, sync, and read every product's state and badge.
#[test]
fn the_sync_view_connects_previews_syncs_and_badges_products_through_ipc() {
    const TOKEN: &str = "test-token";
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the fake");
    let fake = runtime
        .block_on(vitrine_fake_graph::FakeGraph::start(
            vitrine_fake_graph::Config::default(),
            0,
        ))
        .expect("start the fake Graph server");
    fake.add_catalog("1000000000000001", "Loja da Ana");
    let graph = vitrine_app::meta::GraphConfig {
        base_url: fake.base_url(),
        ..Default::default()
    };
    let shell = Shell::talking_to(graph, &[]);
    let photo = shell.data_dir().join("photo.png");
    std::fs::write(&photo, sample_png()).expect("write a photo");
    for (sku, with_photo) in [("CAMISA-AZUL-M", true), ("SEM-FOTO", false)] {
        let mut product = form(sku, "Camisa de linho", "149.90");
        product["description"] = json!("Linho puro, feita à mão em Minas.");
        product["brand"] = json!("Ateliê Ana");
        product["link"] = json!(format!("https://loja.example/p/{sku}"));
        shell.ok("add_product", json!({ "input": product }));
        if with_photo {
            shell.ok(
                "add_images",
                json!({ "key": sku, "paths": [photo.display().to_string()] }),
            );
        }
    }
    let badge = |sku: &str| {
        let page = shell.list(None);
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|p| p["sku"] == sku)
            .map(|p| p["sync"].clone())
            .expect("listed")
    };
    assert_eq!(
        badge("CAMISA-AZUL-M"),
        Value::Null,
        "no badges before a Meta catalog is connected"
    );

    assert_eq!(shell.ok("meta_connection", json!({})), Value::Null);
    let refused = shell
        .invoke(
            "connect_meta",
            json!({ "input": { "catalogId": "loja-da-ana", "wabaId": null, "phoneNumberId": null, "token": TOKEN } }),
        )
        .expect_err("not a Meta id");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    let connected = shell.ok(
        "connect_meta",
        json!({ "input": { "catalogId": "1000000000000001", "wabaId": null, "phoneNumberId": null, "token": TOKEN } }),
    );
    assert_eq!(connected["token"], "keychain", "{connected}");
    let check = shell.ok("check_meta", json!({}));
    assert_eq!(check["catalogName"], "Loja da Ana", "{check}");

    let public = shell.data_dir().join("public");
    shell.ok(
        "set_image_hosting",
        json!({ "publicBaseUrl": "https://img.loja.example/", "folder": public.display().to_string() }),
    );
    let preview = shell.ok("sync_preview", json!({}));
    assert_eq!(
        (&preview["toCreate"], &preview["held"][0]["sku"]),
        (&json!(1), &json!("SEM-FOTO")),
        "{preview}"
    );
    assert_eq!(preview["held"][0]["errors"][0]["field"], "images");
    assert_eq!(preview["lines"][0]["action"], "create");
    assert_eq!(badge("CAMISA-AZUL-M")["state"], "new");
    assert_eq!(badge("SEM-FOTO")["state"], "held");

    let report = shell.ok("run_sync", json!({ "onProgress": "__CHANNEL__:7" }));
    assert_eq!(
        (&report["created"], &report["held"]),
        (&json!(1), &json!(1)),
        "{report}"
    );
    assert!(fake.items("1000000000000001").contains_key("CAMISA-AZUL-M"));
    assert_eq!(badge("CAMISA-AZUL-M")["state"], "synced");
    let synced = shell.ok("sync_items", json!({ "state": "synced" }));
    assert_eq!(synced["total"], 1, "{synced}");
    assert_eq!(synced["items"][0]["sku"], "CAMISA-AZUL-M");

    shell.ok(
        "edit_product",
        json!({ "key": "CAMISA-AZUL-M", "patch": { "price": "139.90" } }),
    );
    assert_eq!(badge("CAMISA-AZUL-M")["state"], "changed");
    let preview = shell.ok("sync_preview", json!({}));
    assert_eq!(preview["lines"][0]["fields"], json!(["price"]), "{preview}");

    // An item made in the WhatsApp Business app: an orphan, then imported.
    let photo_url = fake.host_file("vaso.png", sample_png_tinted(90));
    fake.seed_item(
        "1000000000000001",
        json!({"id": "WA-VASO", "title": "Vaso de barro", "description": "Barro cozido à lenha",
            "price": "80.00 BRL", "availability": "in stock", "condition": "new",
            "link": "https://loja.example/vaso", "image_link": photo_url, "brand": "Ateliê Ana"})
        .as_object()
        .cloned()
        .expect("an object"),
    );
    let review = shell.ok("review_at_meta", json!({}));
    let orphan = |review: &Value| {
        review
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["sku"] == "WA-VASO" && i["inVitrine"] == false)
    };
    assert!(orphan(&review), "{review}");

    // Meta's review refuses the shirt with a typed error whose words name the price: the
    // field comes from the type, never from the words.
    fake.reject_for(
        "1000000000000001",
        "CAMISA-AZUL-M",
        "IMAGE_RESOLUTION_LOW",
        "Missing or invalid images",
        "The price is shown but the main image of this item cannot be displayed.",
        "Save the image under a different link (URL) and provide the new link.",
    );
    let review = shell.ok("review_at_meta", json!({}));
    let issues = |sku: &str| {
        review
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["sku"] == sku)
            .map(|i| i["issues"].clone())
            .unwrap_or_default()
    };
    assert_eq!(
        (
            &issues("CAMISA-AZUL-M")[0]["field"],
            &issues("CAMISA-AZUL-M")[0]["title"]
        ),
        (&json!("images"), &json!("Missing or invalid images")),
        "IMAGE_RESOLUTION_LOW is about the photos: {review}"
    );
    fake.reject("1000000000000001", "CAMISA-AZUL-M");
    let review = shell.ok("review_at_meta", json!({}));
    let policy = review
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["sku"] == "CAMISA-AZUL-M")
        .map(|i| i["issues"][0].clone())
        .unwrap_or_default();
    assert_eq!(
        policy["field"],
        Value::Null,
        "a policy refusal is about no one field, so none is given: {review}"
    );

    let imported = shell.ok("import_from_meta", json!({ "onProgress": "__CHANNEL__:8" }));
    assert_eq!(
        (&imported["imported"], &imported["alreadyInVitrine"]),
        (&json!(1), &json!(1)),
        "{imported}"
    );
    assert!(!orphan(&shell.ok("review_at_meta", json!({}))));
    assert_eq!(
        badge("WA-VASO")["state"],
        "synced",
        "imported as already at Meta"
    );

    let published = shell.ok("publish_images", json!({}));
    assert_eq!(published["uploaded"], 1, "the imported photo: {published}");
    let bad_bucket = shell
        .invoke(
            "set_s3_hosting",
            json!({ "input": { "publicBaseUrl": "https://fotos.loja.example",
                "bucket": { "endpoint": null, "region": "sa-east-1", "bucket": "Not A Bucket!",
                    "prefix": null, "accessKeyId": "AKIAEXAMPLE" },
                "secretKey": "s3cr3t-key-value" } }),
        )
        .expect_err("not a bucket name");
    assert_eq!(bad_bucket["code"], "invalidInput", "{bad_bucket}");
    assert!(!bad_bucket.to_string().contains("s3cr3t-key-value"));
    let review = shell.ok("review_at_meta", json!({}));
    for answer in [&connected, &check, &preview, &report, &review] {
        assert!(
            !answer.to_string().contains(TOKEN),
            "the token never crosses IPC outward"
        );
    }
    drop(runtime);
}

#[test]
fn the_share_view_builds_links_qr_codes_posters_and_labels_from_the_catalog() {
    let shell = Shell::with_products(CATALOG);
    shell.ok(
        "update_shop",
        json!({ "update": { "name": "Loja da Ana", "phone": "(11) 98765-4321", "phoneRegion": "BR",
            "languages": ["pt-BR", "ar"] } }),
    );
    let catalog = shell.ok(
        "share_link",
        json!({ "target": { "kind": "catalog", "refTag": null } }),
    );
    assert_eq!(catalog["url"], "https://wa.me/c/5511987654321");
    assert_eq!(catalog["kind"], "catalog");
    let product = shell.ok(
        "share_link",
        json!({ "target": { "kind": "product", "sku": "CAMISA-AZUL-M", "metaId": null,
            "refTag": "instagram-bio" } }),
    );
    assert_eq!(
        product["kind"], "chat",
        "not at Meta yet: a chat with the order text"
    );
    let text = product["text"].as_str().expect("the prefilled text");
    assert!(
        text.contains("Camisa de linho azul") && text.contains("instagram-bio"),
        "{text}"
    );

    let options =
        json!({ "sizePx": 300, "foreground": "#1b2a4a", "background": null, "logo": false });
    let svg = shell.ok(
        "qr_svg",
        json!({ "target": { "kind": "catalog", "refTag": null }, "options": options }),
    );
    assert!(svg.as_str().expect("markup").starts_with("<svg"));
    let png = shell.data_dir().join("catalog-qr.png");
    let url = shell.ok(
        "save_qr",
        json!({ "target": { "kind": "catalog", "refTag": null }, "options": options,
            "path": png.display().to_string() }),
    );
    assert_eq!(url, "https://wa.me/c/5511987654321");
    assert!(std::fs::read(&png)
        .expect("written")
        .starts_with(b"\x89PNG"));

    let poster = json!({ "size": "A5", "languages": [], "target": { "kind": "catalog", "refTag": "poster-window" },
        "headline": null, "accent": "#7a2e8c", "qrColour": null, "logo": false, "photo": false });
    let preview = shell.ok("poster_preview", json!({ "request": poster }));
    assert!(
        preview
            .as_str()
            .expect("a data URL")
            .starts_with("data:image/png;base64,"),
        "the preview is an image the webview shows as it is"
    );
    let pdf = shell.data_dir().join("poster.pdf");
    let saved = shell.ok(
        "save_poster",
        json!({ "request": poster, "path": pdf.display().to_string() }),
    );
    assert_eq!(saved["pages"], 1);
    assert!(saved["url"]
        .as_str()
        .expect("url")
        .contains("poster-window"));
    assert!(std::fs::read(&pdf).expect("written").starts_with(b"%PDF-"));
    let faint = shell
        .invoke(
            "poster_preview",
            json!({ "request": { "size": "A5", "languages": [], "target": { "kind": "catalog", "refTag": null },
                "headline": null, "accent": null, "qrColour": "#f0f0f0", "logo": false, "photo": false } }),
        )
        .expect_err("too light to scan");
    assert_eq!(faint["code"], "invalidInput", "{faint}");

    let labels = json!({ "layout": "2x5", "selection": { "kind": "products",
        "keys": ["CAMISA-AZUL-M", "ABAYA-001"] }, "refTag": null, "localDigits": false });
    assert!(shell
        .ok("labels_preview", json!({ "request": labels }))
        .as_str()
        .expect("a data URL")
        .starts_with("data:image/png;base64,"));
    let sheet = shell.data_dir().join("labels.pdf");
    let saved = shell.ok(
        "save_labels",
        json!({ "request": labels, "path": sheet.display().to_string() }),
    );
    assert_eq!(
        (saved["labels"].as_u64(), saved["pages"].as_u64()),
        (Some(2), Some(1))
    );

    let text = shell.ok("order_text", json!({ "language": "pt-BR" }));
    assert_eq!(text["isDefault"], true);
    let changed = shell.ok(
        "set_order_text",
        json!({ "language": "pt-BR", "template": "Oi! Quero {title} ({sku}) por {price}." }),
    );
    assert_eq!(changed["isDefault"], false);
    let refused = shell
        .invoke(
            "set_order_text",
            json!({ "language": "pt-BR", "template": "Oi! Quero {titulo}." }),
        )
        .expect_err("an unknown placeholder");
    assert_eq!(refused["code"], "invalidInput");
    assert_eq!(
        shell.ok("short_links", json!({})),
        json!([]),
        "none made yet"
    );
}

/// A mock-runtime app with the app menu, as `run` builds it, over an empty catalog.
fn app_with_menu() -> (
    tauri::App<tauri::test::MockRuntime>,
    WebviewWindow<tauri::test::MockRuntime>,
    TempDir,
) {
    let data = tempfile::tempdir().expect("temp dir");
    let vitrine = Vitrine::open(data.path()).expect("open a fresh catalog");
    let app = vitrine_desktop::builder(mock_builder(), vitrine)
        .menu(vitrine_desktop::menu::build)
        .build(mock_context(noop_assets()))
        .expect("build the mock app");
    // The mock app never runs its setup hook, where the typed events are mounted.
    vitrine_desktop::specta_builder::<tauri::test::MockRuntime>().mount_events(&app);
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("open the main window");
    (app, window, data)
}

/// The File menu's title and its items' texts, in order (separators left out).
fn file_menu_texts(app: &tauri::App<tauri::test::MockRuntime>) -> Vec<String> {
    let menu = app.menu().expect("the app has a menu");
    let file = menu.items().expect("menu items").remove(0);
    let file = file.as_submenu().expect("File is a submenu");
    let mut texts = vec![file.text().expect("submenu text")];
    for item in file.items().expect("File's items") {
        if let Some(item) = item.as_menuitem() {
            texts.push(item.text().expect("item text"));
        }
    }
    texts
}

#[test]
fn the_menu_speaks_the_language_the_ui_sends() {
    let (app, window, _data) = app_with_menu();
    assert_eq!(
        file_menu_texts(&app),
        [
            "File",
            "Import CSV…",
            "Import photo folder…",
            "Export CSV…",
            "Back up…",
            "Restore…",
            "Quit"
        ],
        "English until the UI has loaded"
    );
    let arabic = json!({ "labels": {
        "file": "ملف",
        "importCsv": "استيراد CSV…",
        "importPhotoFolder": "استيراد مجلد صور…",
        "exportCsv": "تصدير CSV…",
        "backup": "نسخ احتياطي…",
        "restore": "استعادة…",
        "quit": "إنهاء",
    } });
    let request = InvokeRequest {
        cmd: "set_menu_labels".into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(arabic),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(&window, request).expect("set_menu_labels succeeds");
    assert_eq!(
        file_menu_texts(&app),
        [
            "ملف",
            "استيراد CSV…",
            "استيراد مجلد صور…",
            "تصدير CSV…",
            "نسخ احتياطي…",
            "استعادة…",
            "إنهاء"
        ],
        "every item in the words the UI sent"
    );
}

#[test]
fn quit_in_the_menu_asks_the_window_instead_of_exiting() {
    use tauri_specta::Event as _;
    use vitrine_desktop::menu::{MenuAction, MenuActionKind};

    let (app, _window, _data) = app_with_menu();
    let received = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&received);
    MenuAction::listen(app.handle(), move |event| {
        sink.lock().expect("lock").push(event.payload.action);
    });
    vitrine_desktop::menu::on_event(
        app.handle(),
        tauri::menu::MenuEvent {
            id: tauri::menu::MenuId::new("quit"),
        },
    );
    assert_eq!(
        *received.lock().expect("lock"),
        [MenuActionKind::Quit],
        "the UI is told, so it can ask about unsaved changes before closing"
    );
    assert!(
        app.get_webview_window("main").is_some(),
        "the window is still open: only the UI closes it"
    );
}

#[test]
fn the_storefront_view_saves_settings_and_its_preview_is_served_only_from_its_folder() {
    let shell = Shell::with_products(CATALOG);
    shell.ok(
        "update_shop",
        json!({ "update": { "name": "Loja da Ana", "phone": "(11) 98765-4321", "phoneRegion": "BR" } }),
    );
    let refused = shell
        .invoke(
            "set_storefront",
            json!({ "update": { "baseUrl": "not an address", "accent": null, "collections": null } }),
        )
        .expect_err("not a web address");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    let saved = shell.ok(
        "set_storefront",
        json!({ "update": { "baseUrl": "https://loja.example", "accent": "#7a2e8c", "collections": null } }),
    );
    assert_eq!(saved["baseUrl"], "https://loja.example");
    let built = shell.ok("preview_storefront", json!({}));
    assert!(built["files"].as_u64().unwrap_or(0) > 3, "{built}");
    let again = shell.ok("preview_storefront", json!({}));
    assert_eq!(again["written"], 0, "nothing changed, nothing rewritten");

    let vitrine = shell.vitrine();
    let get = |path: &str| {
        let request = Request::builder()
            .uri(format!("vitrine-site://localhost{path}"))
            .body(Vec::new())
            .expect("a request");
        vitrine_desktop::site_preview::respond(&vitrine, &request)
    };
    let index = get("/index.html");
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(
        index.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(String::from_utf8_lossy(index.body()).contains("Loja da Ana"));
    for outside in ["/../catalog.db", "/%2E%2E/catalog.db", "//etc/passwd"] {
        assert_eq!(
            get(outside).status(),
            StatusCode::NOT_FOUND,
            "{outside} leaves the preview folder"
        );
    }
}
