//! The real desktop app in a real window: tauri-driver starts the built binary through
//! WebKitWebDriver and the test reads the page like a person would.
//!
//! Needs a display (Xvfb), `WebKitWebDriver` (Debian's webkit2gtk-driver) and tauri-driver,
//! so it is `#[ignore]`d; `make test-e2e` provides all three. Environment:
//! - `TAURI_DRIVER`: the tauri-driver binary (default: `tauri-driver` on PATH);
//! - `VITRINE_DESKTOP_BIN`: the app binary (default: `vitrine-desktop` next to this test's
//!   target dir);
//! - `VITRINE_SCREENSHOT`: if set, a sample shop's window is also saved there as a PNG
//!   (with ImageMagick's `import`; `make screenshot`).

use std::io::Cursor;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use vitrine_app::{ImageSource, NewProduct, ShopUpdate, Vitrine};

const PORTUGUESE_TITLE: &str = "Camisa de linho azul";
const ARABIC_TITLE: &str = "عباءة سوداء مطرزة";
const TITLES: &str = "[data-testid=product-title]";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, WebKitWebDriver and tauri-driver: run `make test-e2e`"]
async fn the_window_lists_the_catalog_in_the_data_directory_and_searches_it() {
    let sandbox = tempfile::tempdir().expect("temp dir");
    let data_dir = sandbox.path().join("catalog");
    seed_catalog(&data_dir);

    let driver = TauriDriver::start(sandbox.path(), &data_dir);
    let client = driver.open_app().await;

    let titles = wait_for_titles(&client, |titles| titles.len() == 2).await;
    assert!(
        titles.iter().any(|t| t == PORTUGUESE_TITLE),
        "Latin title shown: {titles:?}"
    );
    assert!(
        titles.iter().any(|t| t == ARABIC_TITLE),
        "Arabic title shown as typed: {titles:?}"
    );

    // The shirt's photo comes through the app's image scheme (and the CSP lets it in).
    let width = wait_for(
        &client,
        "return document.querySelector('[data-testid=product-row] img')?.naturalWidth ?? 0;",
        |v| v.as_u64().is_some_and(|w| w > 0),
    )
    .await;
    assert!(
        width.as_u64().is_some_and(|w| w <= 256),
        "the 256-pixel thumbnail, not the photo: {width}"
    );

    // The search box reaches the real full-text index.
    let search = client
        .find(Locator::Css("input[type=search]"))
        .await
        .expect("search box");
    search
        .send_keys("linho")
        .await
        .expect("type into the search box");
    let titles = wait_for_titles(&client, |titles| titles.len() == 1).await;
    assert_eq!(
        titles,
        [PORTUGUESE_TITLE],
        "only the product whose title has the word"
    );

    client.close().await.expect("close the WebDriver session");
    drop(driver);

    if let Some(path) = std::env::var_os("VITRINE_SCREENSHOT") {
        let showcase = sandbox.path().join("showcase");
        seed_showcase(&showcase);
        save_screenshot(sandbox.path(), &showcase, Path::new(&path));
    }
}

/// Two products, written through the same API the app reads them with; the first has a photo.
fn seed_catalog(data_dir: &Path) {
    let vitrine = Vitrine::open(data_dir).expect("open a fresh catalog");
    add(
        &vitrine,
        product("CAMISA-AZUL-M", PORTUGUESE_TITLE, "149.90", "BRL"),
        Some(210.0),
    );
    add(
        &vitrine,
        product("ABAYA-001", ARABIC_TITLE, "350.00", "SAR"),
        None,
    );
}

/// A small shop for the README screenshot.
fn seed_showcase(data_dir: &Path) {
    let vitrine = Vitrine::open(data_dir).expect("open a fresh catalog");
    let shop = ShopUpdate {
        name: Some("Loja da Ana".into()),
        currency: Some("BRL".into()),
        brand: Some("Loja da Ana".into()),
        ..ShopUpdate::default()
    };
    vitrine.update_shop(shop).expect("name the shop");
    let showcase = [
        (
            NewProduct {
                sale_price: Some("119.90".into()),
                stock: Some(12),
                ..product("CAMISA-AZUL-M", PORTUGUESE_TITLE, "149.90", "BRL")
            },
            Some(210.0),
        ),
        (
            NewProduct {
                availability: Some("available for order".into()),
                ..product("ABAYA-001", ARABIC_TITLE, "350.00", "SAR")
            },
            Some(280.0),
        ),
        (
            NewProduct {
                availability: Some("out of stock".into()),
                stock: Some(0),
                ..product("BOLSA-PALHA", "Bolsa de palha artesanal", "89.00", "BRL")
            },
            Some(40.0),
        ),
        (
            NewProduct {
                stock: Some(30),
                ..product("VELA-LAVANDA", "Vela aromática de lavanda", "39.90", "BRL")
            },
            Some(265.0),
        ),
        (
            product("BRINCO-PRATA", "Brinco de prata 925", "59.00", "BRL"),
            None,
        ),
    ];
    for (new_product, hue) in showcase {
        // What Meta's pre-flight asks of every product, so only the photo-less one is flagged.
        let new_product = NewProduct {
            description: format!("{}: feito à mão, pronto para enviar.", new_product.title),
            link: Some(format!(
                "https://lojadaana.example/p/{}",
                new_product.sku.to_lowercase()
            )),
            ..new_product
        };
        add(&vitrine, new_product, hue);
    }
}

fn product(sku: &str, title: &str, price: &str, currency: &str) -> NewProduct {
    NewProduct {
        sku: sku.into(),
        title: title.into(),
        price: price.into(),
        currency: Some(currency.into()),
        ..NewProduct::default()
    }
}

/// Adds a product, with a photo in `hue` (degrees) if given.
fn add(vitrine: &Vitrine, product: NewProduct, hue: Option<f32>) {
    let sku = product.sku.clone();
    vitrine
        .add_product(product)
        .unwrap_or_else(|e| panic!("add {sku}: {e}"));
    if let Some(hue) = hue {
        let photo = ImageSource::Bytes {
            name: format!("{sku}.png"),
            bytes: sample_photo(hue),
        };
        vitrine
            .add_images(&sku, &[photo])
            .unwrap_or_else(|e| panic!("photo of {sku}: {e}"));
    }
}

/// A 600×600 soft two-tone gradient around `hue`, as PNG bytes.
fn sample_photo(hue: f32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(600, 600, |x, y| {
        let t = (x + y) as f32 / 1200.0;
        let [r, g, b] = hsl_to_rgb(hue + 25.0 * t, 0.45, 0.72 - 0.3 * t);
        image::Rgb([r, g, b])
    });
    let mut bytes = Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode a PNG");
    bytes.into_inner()
}

fn hsl_to_rgb(hue: f32, saturation: f32, lightness: f32) -> [u8; 3] {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    [r, g, b].map(|v| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// Polls a script until `done` accepts its value.
async fn wait_for(
    client: &Client,
    script: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = client
            .execute(script, Vec::new())
            .await
            .expect("run a script in the page");
        if done(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "the page never got there: {script} returned {value}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls the product titles until `done` accepts them (loading and searching are async).
/// One script reads them all: the list re-renders while a search lands, and element handles
/// taken one call earlier may be gone by the next.
async fn wait_for_titles(client: &Client, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let script = format!(
        "return Array.from(document.querySelectorAll({TITLES:?}), e => e.textContent.trim());"
    );
    let as_titles = |value: &serde_json::Value| -> Vec<String> {
        serde_json::from_value(value.clone()).expect("a list of strings")
    };
    let value = wait_for(client, &script, |value| done(&as_titles(value))).await;
    as_titles(&value)
}

/// The window as a person sees it, saved with ImageMagick's `import` (for the README).
///
/// The app is started directly, not through WebKitWebDriver: under automation WebKitGTK
/// stops repainting the window after the first frame, although the DOM keeps updating.
/// Xvfb has no window manager, so the window sits at 0,0 without decorations.
fn save_screenshot(sandbox: &Path, data_dir: &Path, path: &Path) {
    let mut app = Command::new(app_binary())
        .env("VITRINE_DATA_DIR", data_dir)
        .env("XDG_DATA_HOME", sandbox.join("xdg-data"))
        .env("XDG_CACHE_HOME", sandbox.join("xdg-cache"))
        .env("XDG_CONFIG_HOME", sandbox.join("xdg-config"))
        .stdin(Stdio::null())
        .spawn()
        .expect("start the app");
    let capture = || {
        let status = Command::new("import")
            .args(["-window", "root", "-crop", "1100x720+0+0", "+repage"])
            .arg(path)
            .status()
            .expect("run ImageMagick's import");
        assert!(status.success(), "import failed: {status}");
        std::fs::read(path).expect("read the screenshot")
    };
    // Painting trails the start by a second or two under Xvfb: wait, then capture until
    // two captures in a row agree.
    std::thread::sleep(Duration::from_secs(3));
    let mut previous = capture();
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(500));
        let current = capture();
        if current == previous {
            break;
        }
        previous = current;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &app.id().to_string()])
        .status();
    let _ = app.wait();
}

/// tauri-driver on free loopback ports, in an environment of its own. Dropping it sends
/// SIGTERM: only then does it stop its WebKitWebDriver, which would otherwise keep its port
/// and hand the next run a session with this run's environment.
struct TauriDriver {
    child: Child,
    port: u16,
    app: PathBuf,
}

impl TauriDriver {
    fn start(sandbox: &Path, data_dir: &Path) -> Self {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let (port, native_port) = (free_port(), free_port());
        let xdg = |name: &str| {
            let dir = sandbox.join(name);
            std::fs::create_dir_all(&dir).expect("create an XDG dir");
            dir
        };
        let child = Command::new(&program)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            // Inherited by WebKitWebDriver and then by the app.
            .env("VITRINE_DATA_DIR", data_dir)
            .env("XDG_DATA_HOME", xdg("xdg-data"))
            .env("XDG_CACHE_HOME", xdg("xdg-cache"))
            .env("XDG_CONFIG_HOME", xdg("xdg-config"))
            // WebKit's processes may outlive the session by a moment; no cache to write then.
            .env("MESA_SHADER_CACHE_DISABLE", "true")
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {program:?} (make setup-tools installs it): {e}"));
        let driver = Self {
            child,
            port,
            app: app_binary(),
        };
        driver.wait_until_listening();
        driver
    }

    fn wait_until_listening(&self) {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {address}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    async fn open_app(&self) -> Client {
        assert!(
            self.app.is_file(),
            "no app binary at {} (run `make build`)",
            self.app.display()
        );
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": self.app },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("json! of an object literal is an object")
        };
        ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("open a WebDriver session on the app")
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// `VITRINE_DESKTOP_BIN`, else the debug binary in this test's own target dir
/// (`<target>/debug/deps/webdriver-…` → `<target>/debug/vitrine-desktop`).
fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("VITRINE_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let test_binary = std::env::current_exe().expect("path of this test binary");
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps");
    profile_dir.join("vitrine-desktop")
}
