//! What the real-window tests and the desktop benchmark share: tauri-driver with the app in
//! a sandbox of its own, polling the page, and sample catalogs written through `vitrine-app`.

use std::io::Cursor;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use vitrine_app::{ImageSource, NewProduct, Vitrine};

pub fn product(sku: &str, title: &str, price: &str, currency: &str) -> NewProduct {
    NewProduct {
        sku: sku.into(),
        title: title.into(),
        price: price.into(),
        currency: Some(currency.into()),
        ..NewProduct::default()
    }
}

/// Adds a product, with a photo in `hue` (degrees) if given.
pub fn add(vitrine: &Vitrine, product: NewProduct, hue: Option<f32>) {
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
pub fn sample_photo(hue: f32) -> Vec<u8> {
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

pub fn hsl_to_rgb(hue: f32, saturation: f32, lightness: f32) -> [u8; 3] {
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
pub async fn wait_for(
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

/// tauri-driver on free loopback ports, in an environment of its own. Dropping it sends
/// SIGTERM: only then does it stop its WebKitWebDriver, which would otherwise keep its port
/// and hand the next run a session with this run's environment.
pub struct TauriDriver {
    child: Child,
    port: u16,
    app: PathBuf,
}

impl TauriDriver {
    pub fn start(sandbox: &Path, data_dir: &Path) -> Self {
        Self::start_logging_to(sandbox, data_dir, None)
    }

    /// Like [`TauriDriver::start`]; with `log`, the app's log (with its debug lines, timed
    /// from the app's start) goes to that file instead of the test's output.
    pub fn start_logging_to(sandbox: &Path, data_dir: &Path, log: Option<&Path>) -> Self {
        let program = std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into());
        let (port, native_port) = (free_port(), free_port());
        let xdg = |name: &str| {
            let dir = sandbox.join(name);
            std::fs::create_dir_all(&dir).expect("create an XDG dir");
            dir
        };
        let mut command = Command::new(&program);
        if let Some(log) = log {
            let file = std::fs::File::create(log).expect("create the app log");
            command
                .env("VITRINE_LOG", "info,vitrine_desktop=debug")
                .stderr(file);
        }
        let child = command
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

    /// The app binary sessions start.
    pub fn app(&self) -> &Path {
        &self.app
    }

    pub async fn open_app(&self) -> Client {
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
        stop(&mut self.child, Duration::from_secs(5));
    }
}

/// Stops a child process the polite way (SIGTERM, so tauri-driver stops its WebKitWebDriver
/// and a server closes its database), waiting up to `grace` before killing it.
pub fn stop(child: &mut std::process::Child, grace: Duration) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The element with `data-testid`, waiting up to 20 s for it.
pub async fn wait_for_testid(
    client: &fantoccini::Client,
    testid: &str,
) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(fantoccini::Locator::Css(&format!("[data-testid={testid}]")))
        .await
        .unwrap_or_else(|e| panic!("no [data-testid={testid}] on the page: {e}"))
}

pub async fn click(client: &fantoccini::Client, testid: &str) {
    wait_for_testid(client, testid)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("click [data-testid={testid}]: {e}"));
}

/// Calls a command through the page's own IPC, as the UI's generated bindings do. Only for
/// what a person does outside the page (picking files in the native dialog).
pub async fn invoke(
    client: &Client,
    command: &str,
    args: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    let script = "const [command, args, done] = arguments; \
        window.__TAURI_INTERNALS__.invoke(command, args) \
          .then(ok => done({ ok }), error => done({ error: error ?? 'failed' }));";
    let answer = client
        .execute_async(script, vec![json!(command), args])
        .await
        .expect("run a script in the page");
    match answer.get("error") {
        Some(error) => Err(error.clone()),
        None => Ok(answer["ok"].clone()),
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

/// `VITRINE_DESKTOP_BIN`, else the debug binary in this test's own target dir
/// (`<target>/debug/deps/webdriver-…` → `<target>/debug/vitrine-desktop`).
pub fn app_binary() -> PathBuf {
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
