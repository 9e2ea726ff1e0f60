//! The desktop benchmark (`make bench-desktop`, not part of `make test`): the built app on a
//! 10,000-product catalog in a real window under Xvfb, driven through tauri-driver.
//!
//! Measures, over several starts: session request → the UI's ready marker
//! (`document.body.dataset.ready`), the app's own clock to its first answered catalog page
//! (its `catalog page answered` log line, timed from process start), the webview's first
//! contentful paint; then idle memory (RSS and PSS of the app and each WebKit process) and
//! search keystroke → results rendered (p50/p95 over many searches).
//!
//! Environment: `VITRINE_BENCH_CATALOG` (a seeded data directory, required),
//! `VITRINE_BENCH_STARTS` (default 5), `VITRINE_BENCH_SEARCHES` (default 60), and those of
//! the real-window tests (`TAURI_DRIVER`, `VITRINE_DESKTOP_BIN`).

// Shared by two test binaries, each using part of it: `expect` would be unfulfilled in one.
#[allow(
    dead_code,
    reason = "shared test support; each test binary uses part of it"
)]
mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{json, Value};
use support::TauriDriver;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a benchmark: run `make bench-desktop`"]
async fn desktop_benchmark() {
    let catalog = PathBuf::from(
        std::env::var_os("VITRINE_BENCH_CATALOG").expect("VITRINE_BENCH_CATALOG: a seeded catalog"),
    );
    let starts = env_number("VITRINE_BENCH_STARTS", 5);
    let searches = env_number("VITRINE_BENCH_SEARCHES", 60);
    let sandbox = tempfile::tempdir().expect("temp dir");

    direct_starts(sandbox.path(), &catalog, starts).await;

    let mut ready = Vec::new();
    let mut answered = Vec::new();
    let mut painted = Vec::new();
    for run in 0..starts {
        let log = sandbox.path().join(format!("app-{run}.log"));
        let driver = TauriDriver::start_logging_to(sandbox.path(), &catalog, Some(&log));
        let started = Instant::now();
        let client = driver.open_app().await;
        wait_until_ready(&client).await;
        ready.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Some(ms) = first_page_answered_ms(&log).await {
            answered.push(ms);
        }
        if let Some(ms) = first_contentful_paint_ms(&client).await {
            painted.push(ms);
        }

        if run + 1 == starts {
            // Idle: nothing on screen changes for a few seconds.
            tokio::time::sleep(Duration::from_secs(5)).await;
            report_memory(driver.app());
            report_frames(&client).await;
            report_search(&client, searches).await;
            report_search_ipc(&client, searches).await;
        }
        client.close().await.expect("close the session");
        drop(driver);
    }
    println!("\nstarts through WebDriver: {starts} (warm file cache)");
    report("session request → UI ready marker (ms)", &ready);
    report(
        "app start → first catalog page answered, app's clock (ms)",
        &answered,
    );
    report(
        "navigation → first contentful paint, webview's clock (ms)",
        &painted,
    );
}

/// Starts the app directly (no WebDriver, as a person does) `runs` times and times, on the
/// app's own clock, its first answered catalog page: the UI has loaded and asked for the
/// catalog. The last run is left idle for 5 s and its memory reported.
async fn direct_starts(sandbox: &Path, catalog: &Path, runs: usize) {
    let app = support::app_binary();
    let mut answered = Vec::new();
    for run in 0..runs {
        let log = sandbox.join(format!("direct-{run}.log"));
        let mut child = std::process::Command::new(&app)
            .env("VITRINE_DATA_DIR", catalog)
            .env("VITRINE_LOG", "info,vitrine_desktop=debug")
            .env("XDG_DATA_HOME", sandbox.join("xdg-data"))
            .env("XDG_CACHE_HOME", sandbox.join("xdg-cache"))
            .env("XDG_CONFIG_HOME", sandbox.join("xdg-config"))
            .stdin(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("create the app log"))
            .spawn()
            .expect("start the app");
        if let Some(ms) = first_page_answered_ms(&log).await {
            answered.push(ms);
        }
        if run + 1 == runs {
            tokio::time::sleep(Duration::from_secs(5)).await;
            println!("\nstarted directly (no WebDriver):");
            report_memory(&app);
        }
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
    }
    report(
        "direct start → first catalog page answered, app's clock (ms)",
        &answered,
    );
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Polls (every few ms, not the tests' 100 ms) for the marker the UI sets once the catalog
/// shows; falls back to the first product row for a UI that sets no marker.
async fn wait_until_ready(client: &Client) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let script = "return !!(document.body && (document.body.dataset.ready \
                  || document.querySelector('[data-testid=product-row]')));";
    loop {
        let ready = client
            .execute(script, Vec::new())
            .await
            .expect("run a script");
        if ready == json!(true) {
            return;
        }
        assert!(Instant::now() < deadline, "the catalog never became ready");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The uptime stamp of the app's first `catalog page answered` line (the log may trail).
async fn first_page_answered_ms(log: &Path) -> Option<f64> {
    for _ in 0..50 {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(line) = text.lines().find(|l| l.contains("catalog page answered")) {
            // `   0.523412s DEBUG …`, perhaps wrapped in colour codes.
            let stamp = line
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .find(|part| part.contains('.'))?;
            return stamp.parse::<f64>().ok().map(|s| s * 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

async fn first_contentful_paint_ms(client: &Client) -> Option<f64> {
    let script = "const e = performance.getEntriesByName('first-contentful-paint')[0]; \
                  return e ? e.startTime : null;";
    client.execute(script, Vec::new()).await.ok()?.as_f64()
}

/// RSS and PSS of the app process and the WebKit processes it started.
fn report_memory(app: &Path) {
    let app = std::fs::canonicalize(app).unwrap_or_else(|_| app.to_owned());
    let Some(app_pid) = processes()
        .find(|(_, exe, _)| exe == &app)
        .map(|(pid, ..)| pid)
    else {
        println!("memory: the app process was not found");
        return;
    };
    println!("\nidle memory, 5 s after the catalog showed:");
    println!("| process | RSS (MB) | PSS (MB) |\n|---|---|---|");
    let mut total = (0.0, 0.0);
    let mut row = |name: &str, pid: u32| {
        let (rss, pss) = (
            kib(pid, "status", "VmRSS:"),
            kib(pid, "smaps_rollup", "Pss:"),
        );
        total.0 += rss;
        total.1 += pss;
        println!("| {name} (pid {pid}) | {rss:.0} | {pss:.0} |");
    };
    row("vitrine-desktop", app_pid);
    for (pid, _, name) in processes().filter(|(pid, ..)| parent(*pid) == Some(app_pid)) {
        row(&name, pid);
    }
    println!("| all | {:.0} | {:.0} |", total.0, total.1);
}

/// `(pid, executable, name)` of every process we may read.
fn processes() -> impl Iterator<Item = (u32, PathBuf, String)> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(entry.path().join("exe")).ok()?;
            let name = std::fs::read_to_string(entry.path().join("comm")).ok()?;
            Some((pid, exe, name.trim().to_owned()))
        })
}

fn parent(pid: u32) -> Option<u32> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("PPid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// A `kB` field of a `/proc/<pid>/` file, in MB.
fn kib(pid: u32, file: &str, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Types a product number into the search box, as the last keystroke of a search, and
/// times until the rows show only that product, at the next animation frame (the frame
/// that paints them). A different number each time, so the list changes every time.
async fn report_search(client: &Client, searches: usize) {
    // Three clocks: the DOM holding only matching rows (a MutationObserver, so not rounded
    // to frames); the animation frame after it, which paints those rows; and the first task
    // after that frame, once its style, layout and paint have run.
    let script = "const [term, done] = arguments; \
        const input = document.querySelector('[data-testid=search]') \
          || document.querySelector('input[type=search]'); \
        const rows = () => Array.from(document.querySelectorAll('[data-testid=product-row]')); \
        const matches = () => { const now = rows(); \
          return now.length > 0 && now.every(r => r.textContent.includes(term)); }; \
        let finished = false; \
        const t0 = performance.now(); \
        const observer = new MutationObserver(() => { \
          if (finished || !matches()) return; \
          finished = true; observer.disconnect(); \
          const dom = performance.now() - t0; \
          requestAnimationFrame(() => { const frame = performance.now() - t0; \
            setTimeout(() => done([dom, frame, performance.now() - t0]), 0); }); \
        }); \
        observer.observe(document.body, { subtree: true, childList: true, characterData: true }); \
        setTimeout(() => { if (!finished) { finished = true; observer.disconnect(); done(null); } }, 5000); \
        input.focus(); input.value = term; \
        input.dispatchEvent(new Event('input', { bubbles: true }));";
    // For experiments: extra CSS on the page (`VITRINE_BENCH_CSS`), to see what paint costs.
    if let Ok(css) = std::env::var("VITRINE_BENCH_CSS") {
        client
            .execute(
                "const s = document.createElement('style'); s.textContent = arguments[0]; \
                 document.head.append(s);",
                vec![Value::String(css)],
            )
            .await
            .expect("add the experiment's CSS");
    }
    let mut dom = Vec::new();
    let mut painted = Vec::new();
    let mut rendered = Vec::new();
    let mut missed = 0;
    for i in 0..searches {
        // Product numbers 1000–9999 spread over the catalog: one match each.
        let term = (1000 + (i * 1237) % 9000).to_string();
        let answer = client
            .execute_async(script, vec![Value::String(term)])
            .await
            .expect("run the search script");
        match (answer[0].as_f64(), answer[1].as_f64(), answer[2].as_f64()) {
            (Some(d), Some(p), Some(r)) => {
                dom.push(d);
                painted.push(p);
                rendered.push(r);
            }
            _ => missed += 1,
        }
    }
    println!("\nsearch keystroke → results rendered, {searches} searches ({missed} timed out):");
    report("search → only matching rows in the DOM (ms)", &dom);
    report("search → the frame that paints them (ms)", &painted);
    report("search → that frame's rendering done (ms)", &rendered);
}

/// The webview's frame clock, for reading the search numbers: the interval between animation
/// frames while idle, and a one-character text change → the frame that paints it (the floor
/// under any "rendered" time in this webview).
async fn report_frames(client: &Client) {
    let idle = "const done = arguments[0]; const stamps = []; \
        const tick = (t) => { stamps.push(t); \
          if (stamps.length < 61) requestAnimationFrame(tick); \
          else done(stamps.slice(1).map((s, i) => s - stamps[i])); }; \
        requestAnimationFrame(tick);";
    let intervals: Vec<f64> = client
        .execute_async(idle, Vec::new())
        .await
        .expect("run the frame script")
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    println!("\nthe webview's frame clock:");
    report("animation frame interval, idle (ms)", &intervals);

    let change = "const done = arguments[0]; \
        const probe = document.createElement('span'); probe.textContent = '0'; \
        document.body.append(probe); \
        setTimeout(() => { const t0 = performance.now(); probe.textContent = '1'; \
          requestAnimationFrame(() => { const frame = performance.now() - t0; \
            setTimeout(() => { probe.remove(); done([frame, performance.now() - t0]); }, 0); }); }, 30);";
    let (mut frame, mut after) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        let answer = client
            .execute_async(change, Vec::new())
            .await
            .expect("run the change script");
        if let (Some(f), Some(a)) = (answer[0].as_f64(), answer[1].as_f64()) {
            frame.push(f);
            after.push(a);
        }
    }
    report("text change → its animation frame (ms)", &frame);
    report("text change → that frame's rendering done (ms)", &after);
}

/// The back end's share of a search: `list_products` with a search, as the catalog view
/// asks for its first page, through the same IPC, from the page.
async fn report_search_ipc(client: &Client, searches: usize) {
    let script = "const [term, done] = arguments; const t0 = performance.now(); \
        window.__TAURI_INTERNALS__.invoke('list_products', { query: { search: term, \
          collection: null, availability: null, problems: null, limit: 60, offset: 0 } }) \
          .then(() => done(performance.now() - t0), () => done(null));";
    let mut times = Vec::new();
    for i in 0..searches {
        let term = (1000 + (i * 7919) % 9000).to_string();
        if let Some(ms) = client
            .execute_async(script, vec![Value::String(term)])
            .await
            .expect("run the IPC script")
            .as_f64()
        {
            times.push(ms);
        }
    }
    report(
        "list_products with a search, IPC round trip from the page (ms)",
        &times,
    );
}

fn report(what: &str, samples: &[f64]) {
    if samples.is_empty() {
        println!("{what}: no samples");
        return;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: p50 {:.0}, p95 {:.0}, min {:.0}, max {:.0} (n = {}; runs: {:?})",
        at(0.5),
        at(0.95),
        sorted[0],
        sorted[sorted.len() - 1],
        sorted.len(),
        samples.iter().map(|s| s.round() as i64).collect::<Vec<_>>()
    );
}
