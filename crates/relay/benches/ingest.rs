//! Ingest throughput of the relay: signed webhook POSTs over loopback HTTP/1.1 keep-alive
//! connections, each answered only after its durable commit, on SQLite and on PostgreSQL.
//! Reports requests/s and latency percentiles, then checks that every distinct message
//! was stored exactly once (one request in ten replays an earlier body, as Meta's retries
//! do).
//!
//! `cargo bench -p vitrine-relay --bench ingest`. Knobs (environment):
//! `VITRINE_RELAY_BENCH_REQUESTS` (default 40000), `VITRINE_RELAY_BENCH_CONNECTIONS` (64),
//! `VITRINE_RELAY_BENCH_SECONDS` (time bound, 30), `VITRINE_RELAY_BENCH_BACKENDS`
//! (`sqlite,postgres`).

#[path = "../tests/support/pg.rs"]
#[expect(
    dead_code,
    reason = "the bench uses the plain cluster, not the TLS one"
)]
mod pg;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;
use vitrine_relay::server::{self, RelayConfig};
use vitrine_relay::signature::AppSecret;
use vitrine_relay::store::{AnyStore, Store};

const SECRET: &str = "bench-app-secret";

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The bodies to send, in order: distinct text messages, with every tenth a replay of the
/// body sent five requests earlier. Returns (body, signature) pairs and the distinct count.
fn workload(requests: usize) -> (Vec<(Bytes, String)>, usize) {
    let secret = AppSecret::new(SECRET);
    let mut bodies: Vec<(Bytes, String)> = Vec::with_capacity(requests);
    let mut distinct = 0;
    for i in 0..requests {
        if i % 10 == 9 && i >= 5 {
            bodies.push(bodies[i - 5].clone());
            continue;
        }
        let body = format!(
            r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"field":"messages","value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"16505551234"}}],"messages":[{{"from":"16505551234","id":"wamid.BENCH{distinct:012}","timestamp":"1749416383","type":"text","text":{{"body":"Does it come in another color? order {distinct}"}}}}]}}}}]}}]}}"#
        );
        let signature = secret.sign(body.as_bytes());
        bodies.push((Bytes::from(body), signature));
        distinct += 1;
    }
    (bodies, distinct)
}

struct Outcome {
    latencies_us: Vec<u32>,
    failures: usize,
}

async fn connection(
    addr: SocketAddr,
    bodies: Arc<Vec<(Bytes, String)>>,
    next: Arc<AtomicUsize>,
    deadline: Instant,
) -> Outcome {
    let mut outcome = Outcome {
        latencies_us: Vec::new(),
        failures: 0,
    };
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= bodies.len() || Instant::now() > deadline {
            return outcome;
        }
        let (body, signature) = &bodies[i];
        let request = Request::post("/webhook")
            .header("host", "relay.example")
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(Full::new(body.clone()))
            .expect("request");
        let start = Instant::now();
        let ok = match sender.send_request(request).await {
            Ok(response) => {
                let status = response.status();
                let _ = response.into_body().collect().await;
                status.is_success()
            }
            Err(_) => false,
        };
        outcome
            .latencies_us
            .push(u32::try_from(start.elapsed().as_micros()).unwrap_or(u32::MAX));
        if !ok {
            outcome.failures += 1;
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    f64::from(sorted[rank.min(sorted.len() - 1)]) / 1000.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

async fn run(name: &str, store: AnyStore, requests: usize, connections: usize, seconds: u64) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let config = RelayConfig {
        app_secret: AppSecret::new(SECRET),
        verify_token: "bench".into(),
        retention_days: 7,
        stream_poll: Duration::from_secs(2),
    };
    let relay = server::start(listener, store.clone(), config);
    let addr = relay.addr;
    let (bodies, distinct) = workload(requests);
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let load_before = load_average();
    let start = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| tokio::spawn(connection(addr, bodies.clone(), next.clone(), deadline)))
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    let mut failures = 0;
    for task in tasks {
        let outcome = task.await.expect("connection task");
        latencies.extend(outcome.latencies_us);
        failures += outcome.failures;
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    let sent = latencies.len();
    // Distinct messages among the requests actually sent (a time bound may stop early).
    let sent_distinct = bodies[..sent]
        .iter()
        .map(|(b, _)| b)
        .collect::<std::collections::HashSet<_>>()
        .len();
    let counts = store.counts().await.expect("counts");
    relay.shutdown().await.expect("shutdown");
    println!(
        "{name:<10} {sent} requests ({sent_distinct} distinct of {distinct} planned) over {connections} \
         connections in {:.2} s: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, \
         {failures} failed; load average before {load_before}, after {}",
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 100.0),
        load_average(),
    );
    assert_eq!(failures, 0, "{name}: every signed POST is accepted");
    assert_eq!(
        (counts.payloads as usize, counts.events as usize),
        (sent_distinct, sent_distinct),
        "{name}: every accepted message is stored exactly once (payloads, events)"
    );
    println!(
        "{name:<10} exactly once: {} payloads, {} events stored",
        counts.payloads, counts.events
    );
}

fn main() {
    let requests = knob("VITRINE_RELAY_BENCH_REQUESTS", 40_000);
    let connections = knob("VITRINE_RELAY_BENCH_CONNECTIONS", 64);
    let seconds = knob("VITRINE_RELAY_BENCH_SECONDS", 30) as u64;
    let backends =
        std::env::var("VITRINE_RELAY_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "machine: {} cores, load average {}",
        std::thread::available_parallelism().map_or(0, usize::from),
        load_average()
    );
    runtime.block_on(async {
        for backend in backends.split(',') {
            match backend.trim() {
                "sqlite" => {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let store = AnyStore::open(dir.path(), None).await.expect("open SQLite");
                    run("sqlite", store, requests, connections, seconds).await;
                }
                "postgres" => {
                    let url = pg::fresh_database().await;
                    let store = AnyStore::open(std::path::Path::new(""), Some(&url))
                        .await
                        .expect("open PostgreSQL");
                    run("postgres", store, requests, connections, seconds).await;
                }
                other => panic!("unknown backend {other:?}: sqlite or postgres"),
            }
        }
    });
}
