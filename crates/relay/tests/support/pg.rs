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
    /// Its directory; for the TLS cluster, it holds `ca.crt` (the CA that signed the
    /// server's certificate, issued for `localhost` only) and `other-ca.crt` (a CA that
    /// signed nothing here).
    pub dir: PathBuf,
    /// Holding its stdin open keeps the server running.
    _guard: Child,
}

static CLUSTER: OnceLock<Result<PgCluster, String>> = OnceLock::new();
static TLS_CLUSTER: OnceLock<Result<PgCluster, String>> = OnceLock::new();
static DATABASES: AtomicU32 = AtomicU32::new(0);

/// The cluster, started on first use. Panics, saying why, when PostgreSQL is not installed.
pub fn cluster() -> &'static PgCluster {
    match CLUSTER.get_or_init(|| start(false)) {
        Ok(cluster) => cluster,
        Err(why) => panic!("the PostgreSQL tests cannot run: {why}"),
    }
}

/// A second cluster with `ssl=on` that accepts TCP connections over TLS only
/// (`hostssl` in pg_hba.conf), its certificates made by `openssl` at start.
pub fn tls_cluster() -> &'static PgCluster {
    match TLS_CLUSTER.get_or_init(|| start(true)) {
        Ok(cluster) => cluster,
        Err(why) => panic!("the PostgreSQL TLS tests cannot run: {why}"),
    }
}

/// A test CA, a server certificate it signs for `localhost` (not for 127.0.0.1), and an
/// unrelated CA, in `dir`.
fn make_certificates(dir: &Path) -> Result<(), String> {
    let openssl = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("cannot run openssl (Debian's `openssl` package): {e}"))?;
        match out.status.success() {
            true => Ok(()),
            false => Err(format!(
                "openssl {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for (name, subject) in [
        ("ca", "/CN=Vitrine test CA"),
        ("other-ca", "/CN=Another CA"),
    ] {
        let key = format!("{name}.key");
        let crt = format!("{name}.crt");
        let mut args = vec!["req", "-x509"];
        args.extend(ec);
        args.extend([
            "-keyout", &key, "-out", &crt, "-days", "2", "-subj", subject,
        ]);
        args.extend(["-addext", "basicConstraints=critical,CA:TRUE"]);
        args.extend(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        openssl(&args)?;
    }
    let mut request = vec!["req"];
    request.extend(ec);
    request.extend([
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(&request)?;
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .map_err(|e| format!("write server.ext: {e}"))?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ])?;
    // PostgreSQL refuses a key others can read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .map_err(|e| format!("chmod server.key: {e}"))
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

fn start(tls: bool) -> Result<PgCluster, String> {
    let bin = binaries()?;
    let dir = tempfile::Builder::new()
        .prefix("vitrine-relay-pg-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?
        .keep();
    if tls {
        make_certificates(&dir)?;
    }
    let root = is_root();
    if root {
        let status = Command::new("chown")
            .args(["-R", "postgres:postgres"])
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
tls=
if [ "$4" = tls ]; then
  printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\n' >"$2/data/pg_hba.conf"
  tls="-c ssl=on -c ssl_cert_file=$2/server.crt -c ssl_key_file=$2/server.key"
fi
"$1/postgres" -D "$2/data" -c listen_addresses=127.0.0.1 -p "$3" -k "$2" \
  -c max_connections=200 -c shared_buffers=128MB $tls >"$2/postgres.log" 2>&1 &
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
        .arg(if tls { "tls" } else { "plain" })
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
                dir,
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
