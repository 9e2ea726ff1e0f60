//! The layering of `docs/architecture.md`, checked: each crate's declared dependencies (from
//! `cargo metadata --no-deps`, so nothing is resolved or downloaded) against what its row
//! there allows. A crate that gains a dependency its row forbids fails here, with the rule.

use std::collections::BTreeMap;
use std::process::Command;

/// `cargo metadata` of the workspace's own crates.
fn metadata() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("metadata is JSON")
}

/// Normal (not dev or build) dependencies of every workspace crate, by crate name.
fn declared() -> BTreeMap<String, Vec<String>> {
    let meta = metadata();
    let mut crates = BTreeMap::new();
    for package in meta["packages"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("name").to_owned();
        let deps = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().expect("dependency name").to_owned())
            .collect();
        crates.insert(name, deps);
    }
    crates
}

/// Crates that do IO: the network, the disk through a database, the keychain, a runtime.
const IO: [&str; 12] = [
    "reqwest",
    "ureq",
    "hyper",
    "tokio",
    "rusqlite",
    "object_store",
    "keyring",
    "axum",
    "tauri",
    "dirs",
    "tokio-postgres",
    "futures-util",
];

/// `(crate, forbidden dependencies, why)`: the rows of docs/architecture.md.
fn rules() -> Vec<(&'static str, Vec<&'static str>, &'static str)> {
    let workspace_above_core = vec![
        "vitrine-store",
        "vitrine-media",
        "vitrine-meta",
        "vitrine-app",
        "vitrine-env",
        "vitrine-hosting",
        "vitrine-download",
        "vitrine-relay",
        "vitrine-print",
        "vitrine-share",
        "vitrine-storefront",
    ];
    let mut core = IO.to_vec();
    core.extend(&workspace_above_core);
    vec![
        ("vitrine-core", core, "the domain is pure: no IO, no crate above it"),
        (
            "vitrine-app",
            vec!["reqwest", "ureq", "hyper", "object_store", "keyring", "dirs", "tauri", "axum"],
            "use cases only: HTTP, buckets and the keychain are reached through the crates that own them",
        ),
        (
            "vitrine-store",
            vec!["reqwest", "ureq", "object_store", "keyring", "tauri", "vitrine-app", "vitrine-meta"],
            "SQLite and files on disk only",
        ),
        (
            "vitrine-media",
            vec!["reqwest", "ureq", "rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store"],
            "pixels in, pixels out",
        ),
        (
            "vitrine-env",
            vec!["reqwest", "rusqlite", "tauri", "vitrine-app", "vitrine-store"],
            "the computer's environment and keychain, nothing else",
        ),
        (
            "vitrine-hosting",
            vec!["rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store"],
            "publishing files; the settings and secrets come from the app",
        ),
        (
            "vitrine-download",
            vec!["rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store", "vitrine-core"],
            "fetching bytes from public addresses; no domain",
        ),
        (
            "vitrine-meta",
            vec!["rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store"],
            "the Graph API protocol only",
        ),
        (
            "vitrine-print",
            vec!["reqwest", "rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store", "qrcode"],
            "documents from values; QR codes are laid out by vitrine-share, as on screen",
        ),
        (
            "vitrine-share",
            vec!["reqwest", "rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store"],
            "links and QR codes from values",
        ),
        (
            "vitrine-storefront",
            vec!["reqwest", "rusqlite", "keyring", "tauri", "vitrine-app", "vitrine-store"],
            "pages from values",
        ),
        (
            "vitrine-relay",
            vec!["tauri", "vitrine-app", "vitrine-store", "keyring"],
            "a server of its own, and the client beside its wire types",
        ),
        (
            "vitrine-cli",
            vec!["tauri", "rusqlite", "reqwest", "object_store", "keyring"],
            "a shell over vitrine-app",
        ),
        (
            "vitrine-desktop",
            vec!["rusqlite", "reqwest", "object_store", "keyring"],
            "a shell over vitrine-app",
        ),
    ]
}

#[test]
fn every_crate_depends_only_on_what_its_row_in_the_architecture_allows() {
    let crates = declared();
    let mut broken = Vec::new();
    for (name, forbidden, why) in rules() {
        let deps = crates.get(name).unwrap_or_else(|| {
            panic!("{name} is in docs/architecture.md but not in the workspace")
        });
        for dep in deps.iter().filter(|d| forbidden.contains(&d.as_str())) {
            broken.push(format!(
                "{name} depends on {dep}, which its row forbids ({why})"
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn every_workspace_crate_has_a_row_in_the_architecture() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/architecture.md"
    ))
    .expect("docs/architecture.md");
    let ruled: Vec<&str> = rules().iter().map(|(name, ..)| *name).collect();
    let test_crates = ["vitrine-e2e", "vitrine-fake-graph", "vitrine-fake-s3"];
    for name in declared()
        .keys()
        .filter(|n| !test_crates.contains(&n.as_str()))
    {
        assert!(
            doc.contains(&format!("**{name}**")),
            "docs/architecture.md has no row for {name}"
        );
        assert!(
            ruled.contains(&name.as_str()),
            "no dependency rule for {name}"
        );
    }
}

#[test]
fn the_typescript_derives_reach_core_and_app_only_through_their_optional_specta_feature() {
    let meta = metadata();
    for name in ["vitrine-core", "vitrine-app"] {
        let package = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{name} is in the workspace"));
        let specta = package["dependencies"]
            .as_array()
            .expect("dependencies")
            .iter()
            .find(|d| d["name"] == "specta")
            .unwrap_or_else(|| panic!("{name} derives its IPC types with specta"));
        assert_eq!(
            specta["optional"],
            serde_json::Value::Bool(true),
            "{name} builds without specta: only the desktop's bindings need it"
        );
    }
}
