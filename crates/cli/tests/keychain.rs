//! The token's home on a desktop: the OS keychain, through the real Secret Service (a
//! gnome-keyring daemon in a private D-Bus session, with its own home and keyring folder),
//! not the `VITRINE_META_TOKEN` fallback. `meta connect --token-stdin` saves it, `meta test`
//! reads the catalog with it from another process, `meta disconnect` forgets it; it is never
//! written in clear to the catalog or the keyring files, nor printed.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use vitrine_fake_graph::{Config, FakeGraph};

const CATALOG: &str = "1000000000000001";
const TOKEN: &str = "EAAkeychaintoken0987654321fedcba";

fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "{tool} is missing: `make setup` installs it (dbus and gnome-keyring)"
    );
}

/// Runs `script` in a fresh D-Bus session with an unlocked gnome-keyring, `$VITRINE` being
/// the CLI with its data in `dir`.
fn in_keyring_session(dir: &Path, graph: &str, script: &str) -> Output {
    let runtime = dir.join("run");
    std::fs::create_dir_all(&runtime).expect("runtime dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
            .expect("private runtime dir");
    }
    let prelude = "printf unlock-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || exit 90\n";
    Command::new("dbus-run-session")
        .args(["--", "sh", "-ec"])
        .arg(format!("{prelude}{script}"))
        .env("VITRINE", env!("CARGO_BIN_EXE_vitrine"))
        .env("VITRINE_DATA_DIR", dir.join("data"))
        .env("VITRINE_GRAPH_URL", graph)
        .env_remove("VITRINE_META_TOKEN")
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("XDG_CACHE_HOME", dir.join("xdg-cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::null())
        .output()
        .expect("run dbus-run-session")
}

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path)
                .is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
            {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_lives_in_the_os_keychain_and_is_read_back_by_another_process() {
    require("dbus-run-session");
    require("gnome-keyring-daemon");
    let fake = FakeGraph::start(
        Config {
            tokens: vec![TOKEN.to_owned()],
            ..Config::default()
        },
        0,
    )
    .await
    .expect("start the fake Graph server");
    fake.add_catalog(CATALOG, "Loja da Ana");
    let dir = tempfile::tempdir().expect("temp dir");
    let graph = fake.base_url();

    // Each `$VITRINE` is a new process: only the keychain carries the token between them.
    let script = format!(
        r#"printf '%s' "{TOKEN}" | "$VITRINE" meta connect --catalog {CATALOG} --token-stdin
"$VITRINE" meta connect --catalog {CATALOG} --json > "$VITRINE_DATA_DIR/connection.json"
"$VITRINE" meta test
"$VITRINE" meta disconnect
if "$VITRINE" meta test 2> "$VITRINE_DATA_DIR/after.txt"; then exit 91; fi
"#
    );
    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || in_keyring_session(&dir, &graph, &script)
    })
    .await
    .expect("the session ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {stderr}",
        out.status.code()
    );
    assert!(
        stdout.contains("saved in the system keychain"),
        "connect says where the token went: {stdout}"
    );
    assert!(
        stdout.contains("Loja da Ana"),
        "meta test read the catalog with the keychain's token: {stdout}"
    );
    let connection =
        std::fs::read_to_string(dir.path().join("data/connection.json")).expect("connection json");
    assert!(
        connection.contains(r#""token": "keychain""#),
        "the token's source: {connection}"
    );
    let after = std::fs::read_to_string(dir.path().join("data/after.txt")).expect("stderr after");
    assert!(
        after.contains("no access token saved"),
        "after disconnect the token is gone from the keychain: {after}"
    );
    assert!(
        fake.calls()
            .iter()
            .any(|c| c.edge == "node" && c.status == 200),
        "Meta was called with the token"
    );

    let leaks = files_containing(dir.path(), TOKEN.as_bytes());
    assert!(leaks.is_empty(), "the token in clear in: {leaks:?}");
    for text in [&*stdout, &*stderr, &after, &connection] {
        assert!(!text.contains(TOKEN), "the token was printed: {text}");
    }
}
