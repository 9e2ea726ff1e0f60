//! The `vitrine` binary, run for real against a temporary data folder.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod support;

struct Shop {
    dir: tempfile::TempDir,
}

impl Shop {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp data dir"),
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("VITRINE_DATA_DIR")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            // The tests' photo servers are on loopback, which only tests may download from.
            .env("VITRINE_DOWNLOAD_LOOPBACK", "allow")
            .output()
            .expect("the binary runs")
    }

    /// Runs a command that must succeed and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "vitrine {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let value = serde_json::from_str(&self.ok(&all)).expect("valid JSON");
        support::assert_camel_case(&value, &args.join(" "));
        value
    }

    /// Runs a command that must fail; returns (exit code, stderr).
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "vitrine {args:?} should fail but printed {}",
            String::from_utf8_lossy(&out.stdout)
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn skus(&self, args: &[&str]) -> Vec<String> {
        let mut all = vec!["product", "list"];
        all.extend_from_slice(args);
        let page = self.json(&all);
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|p| p["sku"].as_str().expect("sku").to_owned())
            .collect()
    }
}

/// A photo-like test image: smooth gradients with texture, so JPEG behaves as with a real photo.
fn photo(path: &Path, width: u32, height: u32, seed: u32) {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed.wrapping_mul(31)) % 23;
        image::Rgb([
            ((x * 255 / width) as u8).wrapping_add(n as u8),
            ((y * 255 / height) as u8).wrapping_add(seed as u8),
            (((x + y) * 128 / (width + height)) as u8).wrapping_add(n as u8),
        ])
    });
    img.save(path).expect("write test photo");
}

fn add_mug(shop: &Shop) {
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "MUG-01",
        "--title",
        "Caneca de cerâmica azul",
        "--price",
        "49.90",
        "--currency",
        "BRL",
        "--description",
        "Caneca artesanal 350 ml",
        "--brand",
        "Ateliê",
        "--link",
        "https://atelie.example/caneca",
        "--stock",
        "4",
        "--collection",
        "Cozinha",
    ]);
}

#[test]
fn a_product_is_added_shown_listed_searched_and_removed() {
    let shop = Shop::new();
    add_mug(&shop);
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "LAMP-7",
        "--title",
        "فانوس رمضان نحاسي",
        "--price",
        "350",
        "--currency",
        "EGP",
        "--description",
        "فانوس مصنوع يدويا",
    ]);
    let shown = shop.json(&["product", "show", "MUG-01"]);
    assert_eq!(
        shown["product"]["draft"]["price"]["minor"], 4990,
        "49.90 BRL is 4990 centavos"
    );
    assert_eq!(shown["collections"][0]["name"], "Cozinha");
    assert_eq!(shop.skus(&[]).len(), 2);
    assert_eq!(
        shop.skus(&["--search", "ceramica"]),
        vec!["MUG-01"],
        "accent-insensitive search"
    );
    assert_eq!(
        shop.skus(&["--search", "رمض"]),
        vec!["LAMP-7"],
        "Arabic partial word"
    );
    assert_eq!(shop.skus(&["--collection", "Cozinha"]), vec!["MUG-01"]);
    let text = shop.ok(&["product", "list"]);
    assert!(
        text.contains("R$49.90") && text.contains("EGP 350.00"),
        "prices in their own currency, written as the (English) shop's labels write them: {text}"
    );
    shop.ok(&["product", "rm", "LAMP-7"]);
    assert_eq!(shop.skus(&[]), vec!["MUG-01"]);
}

#[test]
fn edits_change_only_the_given_fields() {
    let shop = Shop::new();
    add_mug(&shop);
    shop.ok(&[
        "product",
        "edit",
        "MUG-01",
        "--price",
        "39.9",
        "--sale-price",
        "29.90",
        "--title-in",
        "ar=كوب أزرق",
        "--variant-group",
        "MUG",
        "--attr",
        "color=blue",
    ]);
    let p = &shop.json(&["product", "show", "MUG-01"])["product"]["draft"];
    assert_eq!(p["price"]["minor"], 3990);
    assert_eq!(p["sale"]["price"]["minor"], 2990);
    assert_eq!(
        p["description"], "Caneca artesanal 350 ml",
        "untouched fields keep their value"
    );
    assert_eq!(p["translations"][0]["title"], "كوب أزرق");
    assert_eq!(p["variant"]["attributes"][0]["value"], "blue");
    let (code, err) = shop.fails(&["product", "edit", "MUG-01", "--price", "12,345.6"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: price:"),
        "one line naming the field: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
}

#[test]
fn bad_input_gets_a_one_line_error_and_a_nonzero_exit() {
    let shop = Shop::new();
    add_mug(&shop);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "product", "add", "--sku", "MUG-01", "--title", "Again", "--price", "1",
            ],
            "already exists",
        ),
        (
            &[
                "product",
                "add",
                "--sku",
                "X",
                "--title",
                "Yen",
                "--price",
                "2.5",
                "--currency",
                "JPY",
            ],
            "at most 0 decimal places",
        ),
        (
            &[
                "product",
                "add",
                "--sku",
                "X",
                "--title",
                "T",
                "--price",
                "1",
                "--currency",
                "ZZZ",
            ],
            "ISO 4217",
        ),
        (
            &[
                "product",
                "add",
                "--sku",
                "two\nlines",
                "--title",
                "T",
                "--price",
                "1",
            ],
            "SKU",
        ),
        (&["product", "show", "NOPE"], "no product"),
        (&["shop", "set", "--phone", "12345"], "phone"),
        (&["restore", "/nonexistent/backup.tar"], "backup"),
    ];
    for (args, needle) in cases {
        let (code, err) = shop.fails(args);
        assert_eq!(code, 1, "{args:?}");
        assert!(
            err.contains(needle),
            "{args:?}: expected “{needle}” in {err}"
        );
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{args:?}: one line, got {err}"
        );
    }
    let out = shop.run(&["--json", "product", "show", "NOPE"]);
    let body: Value = serde_json::from_slice(&out.stdout).expect("JSON error body");
    assert_eq!(
        body["error"]["code"], "notFound",
        "machine-readable error code"
    );
}

#[test]
fn photos_are_processed_and_bad_images_are_refused_without_loss() {
    let shop = Shop::new();
    add_mug(&shop);
    let good = shop.file("mug.jpg");
    photo(&good, 3000, 2000, 1);
    let added = shop.json(&["image", "add", "MUG-01", good.to_str().expect("path")]);
    let image = &added["product"]["images"][0];
    assert_eq!(
        (image["width"].as_u64(), image["height"].as_u64()),
        (Some(2048), Some(1365)),
        "long side capped at 2048"
    );
    let tiny = shop.file("tiny.png");
    photo(&tiny, 300, 300, 2);
    let corrupt = shop.file("corrupt.jpg");
    let bytes = std::fs::read(&good).expect("read");
    std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).expect("write truncated");
    let text = shop.file("notes.jpg");
    std::fs::write(&text, "not an image at all").expect("write");
    for (file, needle) in [
        (&tiny, "500"),
        (&corrupt, "corrupt.jpg"),
        (&text, "not an image"),
    ] {
        let (code, err) = shop.fails(&[
            "image",
            "add",
            "MUG-01",
            good.to_str().expect("p"),
            file.to_str().expect("p"),
        ]);
        assert_eq!(code, 1);
        assert!(err.to_lowercase().contains(needle), "{file:?}: {err}");
    }
    let images = &shop.json(&["product", "show", "MUG-01"])["product"]["images"];
    assert_eq!(
        images.as_array().map(Vec::len),
        Some(1),
        "a rejected batch adds nothing and keeps what was there"
    );
}

#[test]
fn import_reports_bad_rows_by_line_and_reimport_changes_nothing() {
    let shop = Shop::new();
    shop.ok(&["shop", "set", "--currency", "BRL", "--brand", "Ateliê"]);
    let p1 = shop.file("p1.jpg");
    photo(&p1, 900, 900, 3);
    let csv = shop.file("feed.csv");
    std::fs::write(&csv, format!(
        "id,title,description,availability,condition,price,link,image_link,brand\n\
         A-1,Pão de queijo,Congelado 1 kg,in stock,new,29.90 BRL,https://loja.example/a1,{img},\n\
         A-2,Sem preço,Falta o preço,in stock,new,,https://loja.example/a2,,\n\
         A-3,Moeda ruim,Preço errado,in stock,new,10.00 XXX1,https://loja.example/a3,,\n\
         A-4,\"Aspas, vírgula\",\"Descrição com \"\"aspas\"\"\",in stock,new,5 BRL,https://loja.example/a4,,\n\
         A-5,Colunas a menos,oops\n\
         A-6,Foto inexistente,Foto,in stock,new,7 BRL,https://loja.example/a6,missing.jpg,\n",
        img = p1.display()
    )).expect("write csv");
    let out = shop.run(&["--json", "import", csv.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2), "finished with skipped rows");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report["created"], 2, "A-1 and A-4 land");
    let lines: Vec<u64> = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(
        lines,
        vec![3, 4, 6, 7],
        "each bad row is reported with its line number"
    );
    let messages = report["errors"].to_string();
    assert!(
        messages.contains("no price")
            && messages.contains("columns")
            && messages.contains("missing.jpg"),
        "{messages}"
    );
    assert_eq!(
        shop.json(&["product", "show", "A-4"])["product"]["draft"]["title"],
        "Aspas, vírgula"
    );

    let again: Value = serde_json::from_slice(
        &shop
            .run(&["--json", "import", csv.to_str().expect("path")])
            .stdout,
    )
    .expect("json");
    assert_eq!(
        (
            again["created"].as_u64(),
            again["updated"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(2)),
        "idempotent by SKU"
    );
}

#[test]
fn export_then_import_into_an_empty_catalog_gives_the_same_catalog() {
    let shop = Shop::new();
    add_mug(&shop);
    let p = shop.file("p.jpg");
    photo(&p, 800, 600, 4);
    shop.ok(&["image", "add", "MUG-01", p.to_str().expect("p")]);
    shop.ok(&[
        "product",
        "edit",
        "MUG-01",
        "--title-in",
        "ar=كوب",
        "--description-in",
        "ar=كوب خزفي",
        "--variant-group",
        "MUG",
        "--attr",
        "size=M",
        "--attr",
        "scent=none",
        "--sale-price",
        "39.90",
        "--sale-window",
        "2026-11-01T00:00-03:00/2026-12-01T00:00-03:00",
    ]);
    let csv = shop.file("export.csv");
    let summary = shop.json(&["export", csv.to_str().expect("p")]);
    assert_eq!(summary["products"], 1);
    let before = shop.json(&["product", "show", "MUG-01"]);

    let other = Shop::new();
    let report = other.json(&["import", csv.to_str().expect("p")]);
    assert_eq!(report["created"], 1);
    let after = other.json(&["product", "show", "MUG-01"]);
    assert_eq!(
        after["product"]["draft"]["translations"],
        before["product"]["draft"]["translations"]
    );
    assert_eq!(
        after["product"]["draft"]["variant"],
        before["product"]["draft"]["variant"]
    );
    assert_eq!(
        after["product"]["draft"]["sale"],
        before["product"]["draft"]["sale"]
    );
    assert_eq!(
        after["product"]["images"], before["product"]["images"],
        "the same photo, not a re-encoded copy"
    );
    assert_eq!(after["collections"][0]["name"], "Cozinha");
    let second = shop.json(&["import", csv.to_str().expect("p")]);
    assert_eq!(
        second["unchanged"], 1,
        "re-importing an export changes nothing"
    );
}

/// Serves each request with the given bytes on a loopback port.
fn serve(body: Vec<u8>, requests: usize) -> String {
    serve_on(
        TcpListener::bind("127.0.0.1:0").expect("bind loopback"),
        body,
        requests,
    )
}

/// Serves `/photo.jpg` with `body` (anything else: 404) for `requests` requests.
fn serve_on(listener: TcpListener, body: Vec<u8>, requests: usize) -> String {
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]);
            let found = req.starts_with("GET /photo.jpg");
            let head = if found {
                format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n", body.len())
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_owned()
            };
            let _ = s.write_all(head.as_bytes());
            if found {
                let _ = s.write_all(&body);
            }
        }
    });
    format!("http://{addr}")
}

#[test]
fn image_urls_in_a_csv_are_downloaded_once() {
    let shop = Shop::new();
    let p = shop.file("remote.jpg");
    photo(&p, 700, 700, 5);
    let base = serve(std::fs::read(&p).expect("read"), 3);
    let csv = shop.file("urls.csv");
    std::fs::write(
        &csv,
        format!(
            "id,title,description,availability,condition,price,link,image_link,brand\n\
         U-1,Remote,From a URL,in stock,new,10 USD,https://x.example/u1,{base}/photo.jpg,B\n\
         U-2,Gone,Missing photo,in stock,new,10 USD,https://x.example/u2,{base}/gone.jpg,B\n"
        ),
    )
    .expect("csv");
    let out = shop.run(&["--json", "import", csv.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(0), "a pending photo skips no row");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["created"], 2,
        "the dead link costs no product: {report}"
    );
    assert_eq!(report["photosPending"][0]["sku"], "U-2", "{report}");
    assert!(
        report["photosPending"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("404"),
        "{report}"
    );
    assert_eq!(
        shop.json(&["product", "show", "U-1"])["product"]["images"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let again: Value = serde_json::from_slice(
        &shop
            .run(&["--json", "import", csv.to_str().expect("p")])
            .stdout,
    )
    .expect("json");
    assert_eq!(
        again["unchanged"], 2,
        "the known URL is not downloaded again (the pending one is tried again): {again}"
    );
}

#[test]
fn photos_an_offline_import_left_pending_are_fetched_by_image_retry() {
    let shop = Shop::new();
    let p = shop.file("remote.jpg");
    photo(&p, 700, 700, 6);
    // A loopback port nothing listens on yet: the photo website is down.
    let addr = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let csv = shop.file("offline.csv");
    std::fs::write(
        &csv,
        format!(
            "id,title,description,availability,condition,price,link,image_link,brand\n\
             OK-1,Remote,From a URL,in stock,new,10 USD,https://x.example/ok,http://{addr}/photo.jpg,B\n\
             GONE-1,Gone,Missing photo,in stock,new,10 USD,https://x.example/gone,http://{addr}/gone.jpg,B\n"
        ),
    )
    .expect("csv");
    let imported = shop.ok(&["import", csv.to_str().expect("p")]);
    assert!(
        imported.contains("2 added") && imported.contains("2 photos pending"),
        "{imported}"
    );
    assert!(
        imported.contains("line 2 (OK-1): photo pending, the website could not be reached"),
        "each pending photo is told on its row, with why: {imported}"
    );
    assert!(imported.contains("vitrine image retry"), "{imported}");

    let body = std::fs::read(&p).expect("read");
    serve_on(
        TcpListener::bind(addr).expect("the website is back"),
        body,
        3,
    );
    let out = shop.run(&["image", "retry"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(2), "a photo still waits: {text}");
    let gone = format!("http://{addr}/gone.jpg");
    assert!(
        text.starts_with("Fetched 1 photo; 1 still pending:"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "  GONE-1  {gone} — the photo is not at this address any more"
        )),
        "one line per photo: SKU, URL and why: {text}"
    );
    assert_eq!(
        shop.json(&["product", "show", "OK-1"])["product"]["images"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "the fetched photo is the product's photo"
    );
    let again = shop.run(&["--json", "image", "retry"]);
    let report: Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(report["fetched"], 0);
    assert_eq!(report["stillPending"][0]["sku"], "GONE-1", "{report}");
    assert_eq!(report["stillPending"][0]["attempts"], 3, "{report}");
    assert_eq!(report["stillPending"][0]["url"], gone.as_str());
}

#[test]
fn backup_and_restore_bring_back_products_and_photos() {
    let shop = Shop::new();
    add_mug(&shop);
    let p = shop.file("p.jpg");
    photo(&p, 640, 640, 6);
    shop.ok(&["image", "add", "MUG-01", p.to_str().expect("p")]);
    let archive = shop.file("shop.vitrine");
    let s = shop.json(&["backup", archive.to_str().expect("p")]);
    assert_eq!(
        (s["products"].as_u64(), s["images"].as_u64()),
        (Some(1), Some(1))
    );
    shop.ok(&["product", "rm", "MUG-01"]);
    assert!(shop.skus(&[]).is_empty());
    shop.ok(&["restore", archive.to_str().expect("p")]);
    let shown = shop.json(&["product", "show", "MUG-01"]);
    let path = shop.data().join("images");
    assert!(path.exists());
    assert_eq!(shown["product"]["images"].as_array().map(Vec::len), Some(1));
    let junk = shop.file("junk.vitrine");
    std::fs::write(&junk, b"garbage").expect("write");
    let (_, err) = shop.fails(&["restore", junk.to_str().expect("p")]);
    assert!(err.contains("not a usable Vitrine backup"), "{err}");
    assert_eq!(shop.skus(&[]), vec!["MUG-01"], "a bad backup loses nothing");
}

#[test]
fn restore_keeps_this_machines_connections_and_says_which_of_the_backups_it_set_aside() {
    let other = Shop::new();
    add_mug(&other);
    other.ok(&["storefront", "set", "--base-url", "https://golpe.example"]);
    let archive = other.file("modelo.vitrine");
    other.ok(&["backup", archive.to_str().expect("p")]);

    let shop = Shop::new();
    shop.ok(&["storefront", "set", "--base-url", "https://loja.example"]);
    let out = shop.ok(&["restore", archive.to_str().expect("p")]);
    assert!(
        out.contains("Note: the backup's storefront address https://golpe.example was not applied; set it again to use it."),
        "the merchant is told what was not applied: {out}"
    );
    let report = shop.json(&["restore", archive.to_str().expect("p")]);
    assert_eq!(
        report["notApplied"][0]["connection"], "storefront",
        "the JSON report names the connection: {report}"
    );
    let settings = shop.ok(&["storefront", "show"]);
    assert!(
        settings.contains("https://loja.example"),
        "this machine's storefront address stays: {settings}"
    );
}

#[test]
fn check_lists_meta_findings_and_strict_fails_on_errors() {
    let shop = Shop::new();
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "BAD",
        "--title",
        "GARRAFA TÉRMICA SUPER PREMIUM",
        "--price",
        "10",
        "--description",
        "<b>oferta</b>",
    ]);
    let report = shop.json(&["check"]);
    let rules: Vec<String> = report["products"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_owned())
        .collect();
    for expected in [
        "description_has_html",
        "brand_missing",
        "link_missing",
        "image_missing",
        "title_all_caps",
    ] {
        assert!(
            rules.contains(&expected.to_owned()),
            "{expected} in {rules:?}"
        );
    }
    let (code, _) = shop.fails(&["check", "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn collections_are_managed_by_name() {
    let shop = Shop::new();
    add_mug(&shop);
    shop.ok(&["collection", "add", "Presentes"]);
    shop.ok(&["collection", "assign", "Presentes", "MUG-01"]);
    assert_eq!(
        shop.skus(&["--collection", "presentes"]),
        vec!["MUG-01"],
        "names match case-insensitively"
    );
    shop.ok(&["collection", "rename", "Presentes", "Gifts"]);
    let list = shop.json(&["collection", "list"]);
    assert!(list
        .as_array()
        .expect("list")
        .iter()
        .any(|c| c["name"] == "Gifts" && c["products"] == 1));
    shop.ok(&["collection", "rm", "Gifts"]);
    assert_eq!(
        shop.skus(&[]),
        vec!["MUG-01"],
        "deleting a collection keeps its products"
    );
    let (code, _) = shop.fails(&["collection", "add", "Cozinha"]);
    assert_eq!(code, 1, "duplicate name");
}

#[test]
fn the_shop_profile_normalises_the_whatsapp_number() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--name",
        "متجر النور",
        "--phone",
        "010 1234 5678",
        "--region",
        "EG",
        "--currency",
        "egp",
        "--languages",
        "ar,en",
    ]);
    let s = shop.json(&["shop", "show"]);
    assert_eq!(s["phone"], "+201012345678");
    assert_eq!(s["currency"], "EGP");
    assert_eq!(s["languages"], serde_json::json!(["ar", "en"]));
}

fn decode_qr(png: &Path) -> String {
    let luma = image::open(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one code in {}", png.display());
    grids[0].decode().expect("the code decodes").1
}

#[test]
fn link_prints_wa_me_links_of_the_shop_number_with_ref_tags() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--phone",
        "0812-3456-7890",
        "--region",
        "ID",
        "--languages",
        "id",
    ]);
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "BTK-1",
        "--title",
        "Batik tulis",
        "--price",
        "250000",
        "--currency",
        "IDR",
    ]);
    assert_eq!(
        shop.ok(&["link", "catalog"]).trim(),
        "https://wa.me/c/6281234567890"
    );
    let chat = shop.json(&[
        "link",
        "chat",
        "--text",
        "Halo kak!",
        "--ref",
        "instagram-bio",
    ]);
    assert_eq!(chat["kind"], "chat");
    assert_eq!(chat["text"], "Halo kak!\n\nRef: instagram-bio");
    assert_eq!(
        chat["url"],
        "https://wa.me/6281234567890?text=Halo%20kak%21%0A%0ARef%3A%20instagram-bio"
    );
    let product = shop.json(&["link", "product", "BTK-1"]);
    assert_eq!(
        product["text"],
        "Halo! Saya mau pesan Batik tulis (BTK-1), 250000.00 IDR."
    );
    let synced = shop.ok(&["link", "product", "BTK-1", "--meta-id", "7212345678901234"]);
    assert_eq!(
        synced.trim(),
        "https://wa.me/p/7212345678901234/6281234567890"
    );
    let (code, err) = shop.fails(&["link", "catalog", "--ref", "Poster Window"]);
    assert_eq!(code, 1);
    assert!(err.contains("ref tag"), "{err}");
}

#[test]
fn qr_writes_a_png_that_decodes_to_the_link_and_an_svg() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--phone",
        "+20 10 1234 5678",
        "--languages",
        "ar",
    ]);
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "ABY-1",
        "--title",
        "عباءة سوداء",
        "--price",
        "900",
        "--currency",
        "EGP",
    ]);
    let png = shop.file("poster.png");
    let out = shop.json(&[
        "qr",
        "product",
        "ABY-1",
        "--out",
        png.to_str().expect("utf-8 path"),
        "--size",
        "800",
        "--ref",
        "poster-window",
        "--fg",
        "#1b2a4a",
        "--bg",
        "#fffaf0",
    ]);
    let url = out["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with("https://wa.me/201012345678?text=%D9%85"),
        "{url}"
    );
    assert_eq!(decode_qr(&png), url, "the code opens the prefilled chat");
    let catalog = shop.file("catalog.png");
    shop.ok(&[
        "qr",
        "catalog",
        "--out",
        catalog.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(decode_qr(&catalog), "https://wa.me/c/201012345678");
    let svg = shop.file("catalog.svg");
    shop.ok(&[
        "qr",
        "https://example.org/shop",
        "--out",
        svg.to_str().expect("utf-8 path"),
    ]);
    assert!(std::fs::read_to_string(&svg)
        .expect("svg")
        .starts_with("<svg"));
    let (_, err) = shop.fails(&[
        "qr",
        "catalog",
        "--out",
        svg.to_str().expect("utf-8 path"),
        "--fg",
        "#ffffff",
        "--bg",
        "#000000",
    ]);
    assert!(err.contains("dark code on a light background"), "{err}");
}

fn decode_all_qr(png: &Path) -> Vec<String> {
    let luma = image::open(png).expect("a PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("every code decodes").1)
        .collect()
}

#[test]
fn poster_writes_a_pdf_and_a_preview_whose_code_opens_the_chat_with_the_ref() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--name",
        "متجر الورد",
        "--phone",
        "+966 55 123 4567",
        "--languages",
        "ar,en",
        "--currency",
        "SAR",
    ]);
    let pdf = shop.file("poster.pdf");
    let out = shop.json(&[
        "poster",
        "--out",
        pdf.to_str().expect("utf-8 path"),
        "--size",
        "A5",
        "--lang",
        "ar,en",
        "--target",
        "catalog",
        "--ref",
        "poster-window",
    ]);
    let url = out["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with("https://wa.me/966551234567?text="), "{url}");
    assert!(
        std::fs::read(&pdf).expect("pdf").starts_with(b"%PDF-"),
        "a PDF"
    );
    let png = shop.file("poster.png");
    shop.ok(&[
        "poster",
        "--out",
        png.to_str().expect("utf-8 path"),
        "--size",
        "a5",
        "--lang",
        "ar,en",
        "--ref",
        "poster-window",
    ]);
    assert_eq!(
        decode_all_qr(&png),
        vec![url],
        "the printed code opens the chat"
    );

    let (_, err) = shop.fails(&["poster", "--out", "poster.doc"]);
    assert!(err.contains(".pdf"), "{err}");
    let (_, err) = shop.fails(&[
        "poster",
        "--out",
        pdf.to_str().expect("utf-8 path"),
        "--target",
        "product:NOPE",
    ]);
    assert!(err.contains("NOPE"), "{err}");
}

#[test]
fn labels_print_a_collection_on_sheets_and_every_code_decodes() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--phone",
        "+91 98765 43210",
        "--languages",
        "hi",
        "--currency",
        "INR",
    ]);
    shop.ok(&["collection", "add", "दीवाली"]);
    for i in 0..12 {
        let sku = format!("DIYA-{i}");
        shop.ok(&[
            "product",
            "add",
            "--sku",
            &sku,
            "--title",
            "मिट्टी का दीया",
            "--price",
            "1250",
        ]);
        shop.ok(&["collection", "assign", "दीवाली", &sku]);
    }
    let pdf = shop.file("labels.pdf");
    let out = shop.json(&[
        "labels",
        "--out",
        pdf.to_str().expect("utf-8 path"),
        "--layout",
        "2x5",
        "--collection",
        "दीवाली",
    ]);
    assert_eq!(out["labels"], 12);
    assert_eq!(out["pages"], 2, "ten labels to a 2x5 sheet");
    let png = shop.file("labels.png");
    shop.ok(&[
        "labels",
        "--out",
        png.to_str().expect("utf-8 path"),
        "--layout",
        "2x5",
        "--sku",
        "DIYA-0",
        "--sku",
        "DIYA-1",
    ]);
    let codes = decode_all_qr(&png);
    assert_eq!(codes.len(), 2, "two labels, two codes");
    assert!(
        codes
            .iter()
            .all(|c| c.starts_with("https://wa.me/919876543210?text=")),
        "{codes:?}"
    );
    let (_, err) = shop.fails(&[
        "labels",
        "--out",
        pdf.to_str().expect("p"),
        "--layout",
        "9x9",
        "--sku",
        "DIYA-0",
    ]);
    assert!(err.contains("9x9"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_links_are_created_listed_updated_and_deleted_through_meta() {
    use vitrine_fake_graph::{Config, FakeGraph};
    const TOKEN: &str = "short-link-test-token";
    let fake = FakeGraph::start(
        Config {
            tokens: vec![TOKEN.to_owned()],
            ..Config::default()
        },
        0,
    )
    .await
    .expect("fake");
    fake.add_catalog("1000000000000001", "Loja");
    fake.connect_whatsapp("2000000000000002", "1098765", "1000000000000001");
    let shop = Shop::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .arg("--data-dir")
            .arg(shop.data())
            .args(args)
            .env_remove("VITRINE_DATA_DIR")
            .env("HOME", shop.dir.path())
            .env("VITRINE_GRAPH_URL", fake.base_url())
            .env("VITRINE_META_TOKEN", TOKEN)
            .output()
            .expect("runs")
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "vitrine {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).expect("json")
    };
    ok(&[
        "--json",
        "meta",
        "connect",
        "--catalog",
        "1000000000000001",
        "--phone-number-id",
        "1098765",
    ]);
    let made = ok(&[
        "--json",
        "short-link",
        "create",
        "--text",
        "Oi! Vi no Instagram.",
        "--ref",
        "instagram-bio",
    ]);
    let code = made["code"].as_str().expect("code").to_owned();
    assert_eq!(made["url"], format!("https://wa.me/message/{code}"));
    assert_eq!(made["refTag"], "instagram-bio");
    ok(&[
        "--json",
        "short-link",
        "update",
        &code,
        "--text",
        "Oi! Quero o catálogo.",
    ]);
    assert_eq!(
        fake.short_links("1098765")[0].prefilled_message,
        "Oi! Quero o catálogo."
    );
    let listed = ok(&["--json", "short-link", "list"]);
    assert_eq!(listed.as_array().expect("list").len(), 1);
    let out = run(&["short-link", "create", "--text", &"a".repeat(150)]);
    assert!(!out.status.success(), "over 140 characters is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("140"));
    ok(&["--json", "short-link", "delete", &code]);
    assert!(fake.short_links("1098765").is_empty(), "deleted at Meta");
    let offline = ok(&["--json", "short-link", "list", "--offline"]);
    assert_eq!(
        offline,
        serde_json::json!([]),
        "the offline copy is empty too"
    );
}

#[test]
fn every_json_output_names_its_fields_in_camel_case() {
    let shop = Shop::new();
    shop.ok(&[
        "shop",
        "set",
        "--name",
        "Loja da Ana",
        "--phone",
        "+55 11 98765-4321",
        "--currency",
        "BRL",
        "--languages",
        "pt-BR,ar",
        "--brand",
        "Ateliê",
    ]);
    add_mug(&shop);
    let img = shop.file("mug.png");
    photo(&img, 500, 500, 1);
    shop.ok(&["image", "add", "MUG-01", img.to_str().expect("path")]);
    shop.ok(&[
        "product",
        "add",
        "--sku",
        "SHIRT-M",
        "--title",
        "Camisa",
        "--price",
        "80",
        "--sale-price",
        "70",
        "--variant-group",
        "SHIRT",
        "--attr",
        "size=M",
        "--title-in",
        "ar=قميص",
        "--collection",
        "Roupas",
    ]);
    let csv = shop.file("in.csv");
    std::fs::write(
        &csv,
        "id,title,description,availability,condition,price,link,image_link,brand\n\
         V-1,Vaso,Vaso de barro,in stock,new,12.50 BRL,https://loja.example/v1,,Ateliê\n\
         V-2,,Sem título,in stock,new,x,,,\n",
    )
    .expect("csv");
    let out = |name: &str| shop.file(name).to_str().expect("path").to_owned();
    let commands: Vec<Vec<String>> = [
        vec!["shop", "show"],
        vec!["product", "show", "MUG-01"],
        vec!["product", "show", "SHIRT-M"],
        vec!["product", "list"],
        vec!["check"],
        vec!["collection", "list"],
        vec!["import", csv.to_str().expect("path")],
        vec!["export", &out("out.csv")],
        vec!["backup", &out("shop.vitrine")],
        vec!["link", "catalog"],
        vec!["link", "product", "MUG-01"],
        vec!["labels", "--sku", "MUG-01", "--out", &out("labels.pdf")],
        vec!["poster", "--out", &out("poster.pdf")],
        vec!["qr", "catalog", "--out", &out("qr.svg")],
        vec![
            "hosting",
            "set",
            "--public-url",
            "https://fotos.loja.example",
            "--folder",
            &out("photos"),
        ],
        vec!["hosting", "show"],
        vec!["hosting", "publish"],
        vec!["sync", "status"],
        vec!["orders", "list"],
        vec!["orders", "stats"],
        vec!["relay", "status"],
        vec!["storefront", "show"],
        vec![
            "storefront",
            "build",
            "--out",
            &out("site"),
            "--base-url",
            "https://loja.example",
        ],
        vec!["restore", &out("shop.vitrine")],
    ]
    .into_iter()
    .map(|c| c.into_iter().map(str::to_owned).collect())
    .collect();
    for command in &commands {
        let mut args = vec!["--json"];
        args.extend(command.iter().map(String::as_str));
        let output = shop.run(&args);
        let text = String::from_utf8_lossy(&output.stdout);
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("vitrine {command:?} printed JSON ({e}): {text}"));
        // An import with a bad row exits with 1 and its report; a command that could not run
        // prints only its error.
        assert!(
            value.get("error").is_none(),
            "vitrine {command:?} ran: {text}"
        );
        support::assert_camel_case(&value, &command.join(" "));
    }
}
