//! TLS to PostgreSQL with rustls, as libpq reads `sslmode` in the database URL, so managed
//! databases work:
//!
//! * `disable`: no TLS;
//! * `allow` and `prefer` (the default): TLS when the server offers it, its certificate not
//!   checked (encrypted against a passive eavesdropper only);
//! * `require`: TLS or no connection, the certificate not checked;
//! * `verify-ca`: TLS, the certificate signed by a trusted authority;
//! * `verify-full`: that, and issued for the host name connected to. Use this one over
//!   any network you do not control.
//!
//! The trusted authorities are those of `sslrootcert=FILE` (PEM) only, as with libpq, or,
//! without it (or with `sslrootcert=system`), the Mozilla roots compiled in (webpki-roots),
//! which managed databases with public certificates chain to.
//!
//! tokio-postgres knows `disable`, `prefer` and `require` only and no `sslrootcert`: the
//! relay takes those two options out of the URL (or `key=value` string) itself before
//! handing the rest to tokio-postgres.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};

/// libpq's `sslmode` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<Self, TlsSetupError> {
        match text {
            "disable" => Ok(Self::Disable),
            "allow" | "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            other => Err(TlsSetupError::Mode(other.to_owned())),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }

    /// What tokio-postgres is told: whether TLS is tried, and whether it is required.
    fn for_tokio_postgres(self) -> tokio_postgres::config::SslMode {
        match self {
            Self::Disable => tokio_postgres::config::SslMode::Disable,
            Self::Prefer => tokio_postgres::config::SslMode::Prefer,
            Self::Require | Self::VerifyCa | Self::VerifyFull => {
                tokio_postgres::config::SslMode::Require
            }
        }
    }
}

/// A database URL's TLS settings that the relay cannot use.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("sslmode={0:?} is not one of disable, allow, prefer, require, verify-ca, verify-full")]
    Mode(String),
    #[error("cannot read the CA certificates of sslrootcert={path}: {reason}")]
    RootCert { path: PathBuf, reason: String },
    #[error("sslrootcert={0} holds no PEM certificate the relay can use")]
    NoRootCert(PathBuf),
    #[error("TLS setup failed: {0}")]
    Rustls(#[from] rustls::Error),
}

/// A TLS connection to the database that failed.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("the database host {0:?} is not a name or address a certificate can be checked for")]
    HostName(String),
    #[error("sslmode={mode}: {reason}")]
    Refused { mode: &'static str, reason: String },
}

/// Takes `sslmode` and `sslrootcert` out of `url` and returns the rest for tokio-postgres,
/// with the TLS connector those options ask for.
pub fn split_options(url: &str) -> Result<(String, SslMode, MakeRustls), TlsSetupError> {
    let mut mode = None;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> Result<bool, TlsSetupError> {
        match key {
            "sslmode" => mode = Some(SslMode::parse(value)?),
            "sslrootcert" => root_cert = Some(value.to_owned()),
            _ => return Ok(false),
        }
        Ok(true)
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            None => url.to_owned(),
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(&percent_decode(key), &percent_decode(value))? {
                        kept.push(pair);
                    }
                }
                match kept.is_empty() {
                    true => base.to_owned(),
                    false => format!("{base}?{}", kept.join("&")),
                }
            }
        }
    } else {
        let mut kept = Vec::new();
        for word in url.split_whitespace() {
            let (key, value) = word.split_once('=').unwrap_or((word, ""));
            if !take(key.trim(), value.trim_matches('\''))? {
                kept.push(word);
            }
        }
        kept.join(" ")
    };
    let mode = mode.unwrap_or(SslMode::Prefer);
    let roots = match root_cert.as_deref() {
        None | Some("system") => Roots::Mozilla,
        Some(path) => Roots::File(PathBuf::from(path)),
    };
    let connector = MakeRustls::new(mode, &roots)?;
    Ok((rest, mode, connector))
}

/// Applies the parsed mode to the rest of the configuration.
pub fn apply(config: &mut tokio_postgres::Config, mode: SslMode) {
    config.ssl_mode(mode.for_tokio_postgres());
}

/// `%XX` escapes, as libpq decodes URI parts (a `+` stays a `+`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

enum Roots {
    Mozilla,
    File(PathBuf),
}

fn root_store(roots: &Roots) -> Result<RootCertStore, TlsSetupError> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::Mozilla => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        Roots::File(path) => {
            let unreadable = |reason: String| TlsSetupError::RootCert {
                path: path.clone(),
                reason,
            };
            let pem = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
            let certs = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| unreadable(e.to_string()))?;
            let (added, _ignored) = store.add_parsable_certificates(certs);
            if added == 0 {
                return Err(TlsSetupError::NoRootCert(path.clone()));
            }
        }
    }
    Ok(store)
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The connector handed to the connection pool: one rustls configuration for every
/// connection.
#[derive(Clone)]
pub struct MakeRustls {
    config: Arc<ClientConfig>,
    mode: SslMode,
}

impl MakeRustls {
    fn new(mode: SslMode, roots: &Roots) -> Result<Self, TlsSetupError> {
        let provider = provider();
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?;
        let chain = match mode {
            // The certificate is not checked in these modes (as with libpq), and no file of
            // authorities is needed, so none is read.
            SslMode::Disable | SslMode::Prefer | SslMode::Require => None,
            SslMode::VerifyCa | SslMode::VerifyFull => Some(
                WebPkiServerVerifier::builder_with_provider(
                    Arc::new(root_store(roots)?),
                    provider.clone(),
                )
                .build()
                .map_err(|e| rustls::Error::General(e.to_string()))?,
            ),
        };
        let verifier = Arc::new(Verifier {
            chain,
            check_name: mode == SslMode::VerifyFull,
            provider,
        });
        let config = builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(Self {
            config: Arc::new(config),
            mode,
        })
    }
}

impl<S> MakeTlsConnect<S> for MakeRustls
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type TlsConnect = RustlsConnect;
    type Error = TlsError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RustlsConnect, TlsError> {
        // A unix socket has no host name: checked only if a TLS handshake is attempted
        // (PostgreSQL never offers TLS on a unix socket).
        Ok(RustlsConnect {
            config: self.config.clone(),
            mode: self.mode,
            host: domain.to_owned(),
        })
    }
}

/// One connection's TLS handshake.
pub struct RustlsConnect {
    config: Arc<ClientConfig>,
    mode: SslMode,
    host: String,
}

impl<S> TlsConnect<S> for RustlsConnect
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = RustlsStream<S>;
    type Error = TlsError;
    type Future = Pin<Box<dyn Future<Output = Result<RustlsStream<S>, TlsError>> + Send>>;

    fn connect(self, stream: S) -> Self::Future {
        Box::pin(async move {
            let name = ServerName::try_from(self.host.clone())
                .map_err(|_| TlsError::HostName(self.host.clone()))?;
            tokio_rustls::TlsConnector::from(self.config)
                .connect(name, stream)
                .await
                .map(RustlsStream)
                .map_err(|error| TlsError::Refused {
                    mode: self.mode.name(),
                    reason: explain(&error, &self.host),
                })
        })
    }
}

/// What went wrong in a handshake, in the operator's terms.
fn explain(error: &io::Error, host: &str) -> String {
    let rustls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)) => {
            "the database server's certificate is not signed by a trusted certificate \
             authority (give its CA as sslrootcert=FILE)"
                .to_owned()
        }
        Some(rustls::Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        )) => format!("the database server's certificate is not for the host name {host:?}"),
        Some(other) => format!("TLS handshake failed: {other}"),
        None => format!("TLS handshake failed: {error}"),
    }
}

/// A TLS stream to the database.
pub struct RustlsStream<S>(tokio_rustls::client::TlsStream<S>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for RustlsStream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for RustlsStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> tokio_postgres::tls::TlsStream for RustlsStream<S> {
    fn channel_binding(&self) -> ChannelBinding {
        // tls-server-end-point needs the certificate's own signature hash; without it SCRAM
        // runs unbound, as libpq does with `channel_binding=prefer`.
        ChannelBinding::none()
    }
}

/// Checks a database server's certificate as `sslmode` asks: not at all for `prefer` and
/// `require` (as libpq; the handshake's signatures are still checked, so the session is with
/// the holder of that certificate's key), the chain against the trusted roots for
/// `verify-ca`, the name too for `verify-full`.
#[derive(Debug)]
struct Verifier {
    /// `None`: the certificate is not checked.
    chain: Option<Arc<WebPkiServerVerifier>>,
    check_name: bool,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        let verified =
            chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        match verified {
            // webpki checks the name only after the chain: a name error means a good chain.
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_name => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relay_takes_its_tls_options_out_of_a_url_and_keeps_the_rest() {
        let (rest, mode, _) = split_options(
            "postgres://relay:p%40ss@db.internal:5432/relay?application_name=r&sslmode=require",
        )
        .expect("a valid URL");
        assert_eq!(mode, SslMode::Require);
        assert_eq!(
            rest, "postgres://relay:p%40ss@db.internal:5432/relay?application_name=r",
            "the other options are passed on untouched"
        );
        let (rest, mode, _) =
            split_options("host=db.internal user=relay sslmode=verify-full dbname=relay")
                .expect("a key=value string");
        assert_eq!(mode, SslMode::VerifyFull);
        assert_eq!(rest, "host=db.internal user=relay dbname=relay");
        let (_, mode, _) = split_options("postgres:///relay?host=/run/postgresql").expect("url");
        assert_eq!(mode, SslMode::Prefer, "libpq's default");
    }

    #[test]
    fn an_unknown_sslmode_or_a_missing_ca_file_is_refused_with_its_name() {
        let error = split_options("postgres://db/relay?sslmode=verify_full")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("verify_full"), "{error}");
        let error = split_options(
            "postgres://db/relay?sslmode=verify-full&sslrootcert=%2Fnowhere%2Fca.pem",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(error.contains("/nowhere/ca.pem"), "names the file: {error}");
    }
}
