//! A throwaway PostgreSQL cluster for the tests and the bench, from Debian's packages
//! (`/usr/lib/postgresql/<version>/bin`), on loopback and a free port, started once per
//! process. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
//! (`runuser`). It is stopped, and its directory removed, when this process exits: a small
//! shell script waits on a pipe from us and shuts the server down when the pipe closes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct PgCluster {
    pub port: u16,
    /// Holding its stdin open keeps the server running.
    _guard: Child,
}

static CLUSTER: OnceLock<Result<PgCluster, String>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The cluster, started on first use. Panics, saying why, when PostgreSQL is not installed.
pub fn cluster() -> &'static PgCluster {
    match CLUSTER.get_or_init(start) {
        Ok(cluster) => cluster,
        Err(why) => panic!("the PostgreSQL tests cannot run: {why}"),
    }
}

/// A URL to a new, empty database of the cluster.
pub async fn fresh_database() -> String {
    let port = tokio::task::spawn_blocking(|| cluster().port)
        .await
        .expect("cluster start");
    let name = format!(
        "relay_{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    let admin = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    let (client, connection) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
        .await
        .expect("connect to postgres");
    tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a database");
    format!("postgres://postgres@127.0.0.1:{port}/{name}")
}

fn binaries() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("VITRINE_RELAY_PG_BIN") {
        let dir = PathBuf::from(dir);
        return match dir.join("postgres").exists() {
            true => Ok(dir),
            false => Err(format!(
                "VITRINE_RELAY_PG_BIN has no `postgres` in {}",
                dir.display()
            )),
        };
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
        .map_err(|_| {
            "no PostgreSQL server binaries in /usr/lib/postgresql: install Debian's \
             `postgresql` package (`make test` does)"
                .to_owned()
        })?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("postgres").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).ok_or_else(|| {
        "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install Debian's \
         `postgresql` package (`make test` does)"
            .to_owned()
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

fn start() -> Result<PgCluster, String> {
    let bin = binaries()?;
    let dir = tempfile::Builder::new()
        .prefix("vitrine-relay-pg-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?
        .keep();
    let root = is_root();
    if root {
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&dir)
            .status()
            .map_err(|e| format!("chown: {e}"))?;
        if !status.success() {
            return Err("running as root needs a `postgres` user to run PostgreSQL as".into());
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let script = r#"
set -e
"$1/initdb" -D "$2/data" -U postgres --auth=trust -E UTF8 --no-sync >"$2/initdb.log" 2>&1
"$1/postgres" -D "$2/data" -c listen_addresses=127.0.0.1 -p "$3" -k "$2" \
  -c max_connections=200 -c shared_buffers=128MB >"$2/postgres.log" 2>&1 &
pid=$!
echo started
read _ || true
kill -INT "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
rm -rf "$2"
"#;
    let mut command = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", script, "sh"]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script, "sh"]);
        c
    };
    let mut guard = command
        .arg(&bin)
        .arg(&dir)
        .arg(port.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start PostgreSQL: {e}"))?;
    let stdout = guard.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    if line.trim() != "started" {
        let log = std::fs::read_to_string(dir.join("initdb.log")).unwrap_or_default();
        return Err(format!("initdb failed:\n{log}"));
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ready = Command::new(bin.join("pg_isready"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port.to_string(),
                "-U",
                "postgres",
                "-q",
            ])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return Ok(PgCluster {
                port,
                _guard: guard,
            });
        }
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("postgres.log")).unwrap_or_default();
            return Err(format!("PostgreSQL did not start in 30 s:\n{log}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
