//! A local S3-compatible server for tests: `s3s-fs` (objects are files in a temporary folder)
//! behind `s3s` with SigV4 authentication, so a wrong access key or secret is refused as a
//! real bucket would refuse it (`403 SignatureDoesNotMatch`), and a missing bucket answers
//! `404 NoSuchBucket`. Loopback only; dropping the [`FakeS3`] stops it and removes its files.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use hyper::service::{service_fn, Service};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::auth::SimpleAuth;
use s3s::service::S3ServiceBuilder;

/// The access key id the server accepts.
pub const ACCESS_KEY_ID: &str = "VITRINETESTKEY";
/// The secret access key the server accepts (test-only, not a real credential).
pub const SECRET_ACCESS_KEY: &str = "fake-s3-secret-0123456789";

/// One request the server answered: method and path (with query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
}

/// A running server. Dropping it stops the server and deletes the stored objects.
pub struct FakeS3 {
    addr: SocketAddr,
    root: tempfile::TempDir,
    requests: Arc<Mutex<Vec<Request>>>,
    _shutdown: tokio::sync::oneshot::Sender<()>,
}

impl FakeS3 {
    /// Starts on a free loopback port inside the current tokio runtime, with the given
    /// buckets already created.
    pub async fn start(buckets: &[&str]) -> io::Result<Self> {
        let root = tempfile::tempdir()?;
        for bucket in buckets {
            std::fs::create_dir(root.path().join(bucket))?;
        }
        let fs =
            s3s_fs::FileSystem::new(root.path()).map_err(|e| io::Error::other(format!("{e:?}")))?;
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        let s3 = builder.build();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let log = requests.clone();
        tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            loop {
                let socket = tokio::select! {
                    accepted = listener.accept() => match accepted {
                        Ok((socket, _)) => socket,
                        Err(_) => continue,
                    },
                    _ = &mut rx => break,
                };
                let s3 = s3.clone();
                let log = log.clone();
                let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    lock(&log).push(Request {
                        method: req.method().to_string(),
                        path: req
                            .uri()
                            .path_and_query()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    });
                    Service::call(&s3, req)
                });
                let conn = http
                    .serve_connection(TokioIo::new(socket), service)
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        Ok(Self {
            addr,
            root,
            requests,
            _shutdown: tx,
        })
    }

    /// `http://127.0.0.1:PORT`, the endpoint to configure (path-style requests).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.requests).clone()
    }

    /// How many requests used this HTTP method (`"PUT"` counts uploads).
    pub fn count(&self, method: &str) -> usize {
        lock(&self.requests)
            .iter()
            .filter(|r| r.method == method)
            .count()
    }

    /// The keys of the objects stored in `bucket`, sorted.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let dir = self.root.path().join(bucket);
        let mut keys = Vec::new();
        collect(&dir, &dir, &mut keys);
        keys.sort();
        keys
    }

    /// Where the object `key` of `bucket` is stored, to read its bytes.
    pub fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root.path().join(bucket).join(key)
    }
}

fn lock(requests: &Mutex<Vec<Request>>) -> MutexGuard<'_, Vec<Request>> {
    requests.lock().unwrap_or_else(|p| p.into_inner())
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
