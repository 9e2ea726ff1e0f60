//! A photo server on loopback for the import tests, and the answers of a shop's website:
//! the photo, a dead link, hotlink protection (403, or a web page with 200), a slow server,
//! redirects to the photo and a redirect loop. Each connection is answered on its own
//! thread, so a slow answer does not hold up the others.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the server sends: status line, extra header lines, body.
pub type Answer = (String, String, Vec<u8>);

/// A photo server on loopback: `answer` maps a request path to an [`Answer`]. Counts the
/// requests it received and the most it was working on answers to at once.
pub struct PhotoServer {
    pub addr: SocketAddr,
    hits: Arc<AtomicUsize>,
    busiest: Arc<AtomicUsize>,
}

impl PhotoServer {
    /// On a free loopback port.
    pub fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        Self::start_at(loopback(0), answer)
    }

    /// On `addr` (a port a test kept closed until now).
    pub fn start_at(
        addr: SocketAddr,
        answer: impl Fn(&str) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind(addr).expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let hits = Arc::new(AtomicUsize::new(0));
        let busiest = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let answer = Arc::new(answer);
        let (counted, most) = (hits.clone(), busiest.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                let (answer, in_flight) = (answer.clone(), in_flight.clone());
                std::thread::spawn(move || {
                    let mut buf = [0u8; 4096];
                    let n = s.read(&mut buf).unwrap_or(0);
                    let request = String::from_utf8_lossy(&buf[..n]);
                    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let (status, headers, body) = answer(&path);
                    // Done answering before the client can have the answer and send the next.
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let head = format!(
                        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = s.write_all(head.as_bytes());
                    let _ = s.write_all(&body);
                });
            }
        });
        Self {
            addr,
            hits,
            busiest,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    /// The most requests it was answering at the same time.
    pub fn busiest(&self) -> usize {
        self.busiest.load(Ordering::SeqCst)
    }
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A loopback address nothing listens on (as if the computer were offline), where a
/// [`PhotoServer`] can start later.
pub fn closed_address() -> SocketAddr {
    let listener = TcpListener::bind(loopback(0)).expect("bind loopback");
    listener.local_addr().expect("addr")
}

/// A photo-like JPEG `side` pixels square; `seed` makes it unique.
pub fn jpeg(side: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(side, side, |x, y| {
        image::Rgb([(x % 251) as u8 ^ seed, (y % 241) as u8, seed])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("jpeg");
    out.into_inner()
}

pub fn redirect_to(location: String) -> Answer {
    (
        "302 Found".into(),
        format!("Location: {location}\r\n"),
        Vec::new(),
    )
}

/// A shop's website: `/photo-N.jpg` is a photo (N from 0 to 255, each its own), `/gone.jpg`
/// answers 404, `/forbidden.jpg` 403, `/page.jpg` a web page with 200 (hotlink protection),
/// `/slow.jpg` the photo after `slow`, `/moved.jpg` and `/found.jpg` redirect (301, 302) to
/// `/photo-1.jpg`, `/loop/a` and `/loop/b` redirect to each other.
pub fn shop_website(at: SocketAddr, slow: Duration) -> PhotoServer {
    PhotoServer::start_at(at, move |path| {
        // Made when asked for: encoding all 256 up front would take the tests' time.
        let photo = |seed: u8| {
            (
                "200 OK".to_owned(),
                "Content-Type: image/jpeg\r\n".to_owned(),
                jpeg(600, seed),
            )
        };
        if let Some(n) = path
            .strip_prefix("/photo-")
            .and_then(|rest| rest.strip_suffix(".jpg"))
            .and_then(|n| n.parse::<u8>().ok())
        {
            return photo(n);
        }
        match path {
            "/gone.jpg" => ("404 Not Found".into(), String::new(), Vec::new()),
            "/forbidden.jpg" => ("403 Forbidden".into(), String::new(), b"Forbidden".to_vec()),
            "/page.jpg" => (
                "200 OK".into(),
                "Content-Type: text/html\r\n".into(),
                b"<!DOCTYPE html><html><body>Please visit our shop to see this photo.</body></html>"
                    .to_vec(),
            ),
            "/slow.jpg" => {
                std::thread::sleep(slow);
                photo(2)
            }
            "/moved.jpg" => (
                "301 Moved Permanently".into(),
                "Location: /photo-1.jpg\r\n".into(),
                Vec::new(),
            ),
            "/found.jpg" => redirect_to("/photo-1.jpg".into()),
            "/loop/a" => redirect_to("/loop/b".into()),
            "/loop/b" => redirect_to("/loop/a".into()),
            _ => ("404 Not Found".into(), String::new(), Vec::new()),
        }
    })
}
