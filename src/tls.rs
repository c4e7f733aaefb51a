//! TLS for the gRPC port, terminated in-process with rustls.
//!
//! Why not tonic's own `ServerTlsConfig`: it is fixed when the server is
//! built, and certificates must rotate without a restart. So precis accepts
//! TCP connections itself, runs the TLS handshake with a
//! [`tokio_rustls::TlsAcceptor`] made from the *current* `rustls`
//! configuration (an [`ArcSwap`] replaced on reload), and hands finished
//! handshakes to tonic (`serve_with_incoming_shutdown`). Connections already
//! open keep the configuration they were accepted with; new connections get
//! the new one.
//!
//! Reload happens on SIGHUP and when the modification time of the
//! certificate, key or client-CA file changes (polled every two seconds),
//! as for the auth tokens file. A new configuration is built completely
//! (PEM parsed, key matched against the certificate, CA store built) before
//! it is swapped in; if anything fails, the reason is logged and the loaded
//! configuration keeps serving.
//!
//! The crypto provider is `ring`, passed explicitly, so the process-wide
//! default provider (which depends on which rustls features other crates
//! turn on) never matters. ALPN offers only `h2`: gRPC needs HTTP/2.
//!
//! Handshakes run concurrently (at most [`MAX_HANDSHAKES`] at once), each
//! bounded by [`HANDSHAKE_TIMEOUT`], so a slow or silent client cannot stall
//! the accept loop. Failures are logged at debug level (scanners and
//! plaintext clients are routine noise) and counted in
//! `precis_tls_handshake_failures_total{reason}`.
//!
//! The client side ([`ClientTlsArgs`]) is for `precis loadgen`: tonic's own
//! client TLS, with a CA file, an optional client identity and the name to
//! verify.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tokio_stream::Stream;

use crate::watch::modified;

/// Longest a TLS handshake may take before the connection is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; beyond this, accepting waits.
pub const MAX_HANDSHAKES: usize = 1024;
/// How often the files' modification times are checked.
const POLL: Duration = Duration::from_secs(2);
/// The one application protocol offered.
const ALPN_H2: &[u8] = b"h2";

/// The files of the server's TLS setup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// PEM certificate chain, leaf first.
    pub cert: PathBuf,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// PEM CA certificates that client certificates must chain to; `None`:
    /// no client certificates asked for.
    pub client_ca: Option<PathBuf>,
}

/// Why a TLS configuration could not be built.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("cannot read {what} file {path}: {source}")]
    Read {
        /// Which file: certificate, private key, client CA, CA.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file is not valid PEM or holds nothing of the expected kind.
    #[error("{what} file {path}: {reason}")]
    Pem {
        /// Which file.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// rustls refused the certificates or key (e.g. the key does not match
    /// the certificate, or a certificate does not parse).
    #[error("certificate {cert} with key {key} refused: {source}")]
    Rejected {
        /// The certificate file.
        cert: PathBuf,
        /// The key file.
        key: PathBuf,
        /// Why.
        source: rustls::Error,
    },
    /// A client option is inconsistent or refused by the client library.
    #[error("client TLS: {0}")]
    Client(String),
}

impl TlsError {
    /// The configuration key that names the offending file.
    #[must_use]
    pub fn key(&self) -> &'static str {
        match self {
            Self::Read { what, .. } | Self::Pem { what, .. } => match *what {
                "private key" => "tls_key",
                "client CA" => "tls_client_ca",
                _ => "tls_cert",
            },
            Self::Rejected { .. } | Self::Client(_) => "tls_cert",
        }
    }
}

fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Read { what, path: path.to_path_buf(), source })
}

/// Every certificate in the PEM file `path` (at least one).
fn read_certs(what: &'static str, path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = read(what, path)?;
    let certs = CertificateDer::pem_slice_iter(&pem).collect::<Result<Vec<_>, _>>().map_err(|e| TlsError::Pem {
        what,
        path: path.to_path_buf(),
        reason: format!("not valid PEM: {e}"),
    })?;
    if certs.is_empty() {
        return Err(TlsError::Pem {
            what,
            path: path.to_path_buf(),
            reason: "holds no \"BEGIN CERTIFICATE\" block".into(),
        });
    }
    Ok(certs)
}

/// The first private key in the PEM file `path`.
fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let what = "private key";
    let pem = read(what, path)?;
    // The error never includes key material: only the kind of problem.
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
        let reason = match e {
            rustls::pki_types::pem::Error::NoItemsFound => "holds no PRIVATE KEY block (PKCS#8, RSA or EC)".to_string(),
            other => format!("not valid PEM: {other}"),
        };
        TlsError::Pem { what, path: path.to_path_buf(), reason }
    })
}

/// The crypto provider, chosen here rather than by feature unification.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A trust store of the CA certificates in `path`.
fn roots(what: &'static str, path: &Path) -> Result<RootCertStore, TlsError> {
    let mut roots = RootCertStore::empty();
    for cert in read_certs(what, path)? {
        roots.add(cert).map_err(|e| TlsError::Pem {
            what,
            path: path.to_path_buf(),
            reason: format!("not a usable CA certificate: {e}"),
        })?;
    }
    Ok(roots)
}

/// Builds the rustls server configuration of `files`: certificate chain and
/// key (checked to match), client verification against `client_ca` when set
/// (a certificate is then required), ALPN `h2`.
///
/// # Errors
/// [`TlsError`] naming the file that is unreadable, not PEM, or refused.
pub fn server_config(files: &TlsFiles) -> Result<ServerConfig, TlsError> {
    let certs = read_certs("certificate", &files.cert)?;
    let key = read_key(&files.key)?;
    let provider = provider();
    let rejected =
        |source: rustls::Error| TlsError::Rejected { cert: files.cert.clone(), key: files.key.clone(), source };
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(rejected)?;
    let builder = match &files.client_ca {
        Some(path) => {
            let what = "client CA";
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots(what, path)?), provider)
                .build()
                .map_err(|e| TlsError::Pem { what, path: path.clone(), reason: e.to_string() })?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_single_cert(certs, key).map_err(rejected)?;
    config.alpn_protocols = vec![ALPN_H2.to_vec()];
    Ok(config)
}

/// The server's TLS configuration, replaceable while serving.
#[derive(Debug, Clone)]
pub struct ServerTls {
    files: TlsFiles,
    current: Arc<ArcSwap<ServerConfig>>,
}

impl ServerTls {
    /// Loads `files`.
    ///
    /// # Errors
    /// [`TlsError`] as for [`server_config`].
    pub fn load(files: &TlsFiles) -> Result<Self, TlsError> {
        let config = server_config(files)?;
        Ok(Self { files: files.clone(), current: Arc::new(ArcSwap::from_pointee(config)) })
    }

    /// The files this configuration is read from.
    #[must_use]
    pub fn files(&self) -> &TlsFiles {
        &self.files
    }

    /// Re-reads the files and swaps the new configuration in; on failure
    /// the loaded one stays (and the reason is logged). Returns whether the
    /// new configuration was taken.
    pub fn reload(&self, why: &str) -> bool {
        match server_config(&self.files) {
            Ok(config) => {
                self.current.store(Arc::new(config));
                tracing::info!(reason = why, cert = %self.files.cert.display(), "TLS certificate reloaded");
                true
            }
            Err(e) => {
                tracing::error!(reason = why, error = %e, "TLS reload failed; the loaded certificate keeps serving");
                false
            }
        }
    }

    /// An acceptor for the configuration loaded now.
    #[must_use]
    pub fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(self.current.load_full())
    }

    fn mtimes(&self) -> [Option<SystemTime>; 3] {
        [modified(&self.files.cert), modified(&self.files.key), self.files.client_ca.as_deref().and_then(modified)]
    }

    /// Watches the files (modification times, every two seconds) and
    /// SIGHUP, reloading on either, until the task is aborted.
    pub fn spawn_watcher(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            crate::watch::on_change(
                POLL,
                "TLS file changed",
                || this.mtimes(),
                |why| {
                    this.reload(why);
                    std::future::ready(())
                },
            )
            .await;
        })
    }

    /// TLS connections accepted on `listener`, for
    /// `serve_with_incoming_shutdown`. Each handshake uses the configuration
    /// current when its TCP connection was accepted and must finish within
    /// `handshake_timeout`. Dropping the stream closes the listener and
    /// abandons handshakes in progress.
    #[must_use]
    pub fn incoming(&self, listener: TcpListener, handshake_timeout: Duration) -> TlsIncoming {
        crate::metrics::register_tls_handshake_failures();
        let (tx, rx) = mpsc::channel(64);
        let task = tokio::spawn(accept_loop(listener, self.clone(), handshake_timeout, tx));
        TlsIncoming { rx, task }
    }
}

/// Accepts TCP connections and runs their handshakes until the receiver is
/// gone.
async fn accept_loop(
    listener: TcpListener,
    tls: ServerTls,
    handshake_timeout: Duration,
    tx: mpsc::Sender<TlsStream<TcpStream>>,
) {
    let permits = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    let mut handshakes = JoinSet::new();
    loop {
        while handshakes.try_join_next().is_some() {}
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p,
            () = tx.closed() => return,
        };
        let Ok(permit) = permit else { return };
        let (tcp, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = tx.closed() => return,
        };
        // Without TCP_NODELAY, Nagle holds a unary response's trailers until
        // the client's delayed ACK (~40 ms per call).
        let _ = tcp.set_nodelay(true);
        let acceptor = tls.acceptor();
        let tx = tx.clone();
        handshakes.spawn(async move {
            let _permit = permit;
            match tokio::time::timeout(handshake_timeout, acceptor.accept(tcp)).await {
                Ok(Ok(stream)) => {
                    let _ = tx.send(stream).await;
                }
                Ok(Err(e)) => {
                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                    crate::metrics::record_tls_handshake_failure("error");
                }
                Err(_) => {
                    tracing::debug!(%peer, timeout = ?handshake_timeout, "TLS handshake timed out");
                    crate::metrics::record_tls_handshake_failure("timeout");
                }
            }
        });
    }
}

/// The stream of TLS connections of [`ServerTls::incoming`].
#[derive(Debug)]
pub struct TlsIncoming {
    rx: mpsc::Receiver<TlsStream<TcpStream>>,
    task: tokio::task::JoinHandle<()>,
}

impl Stream for TlsIncoming {
    type Item = Result<TlsStream<TcpStream>, std::io::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().rx.poll_recv(cx).map(|c| c.map(Ok))
    }
}

impl Drop for TlsIncoming {
    fn drop(&mut self) {
        // Closes the listening socket and abandons handshakes in progress.
        self.task.abort();
    }
}

/// TLS flags of a gRPC client (`precis loadgen`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ClientTlsArgs {
    /// Connect with TLS, trusting the CA certificates in this PEM file.
    #[arg(long)]
    pub tls_ca: Option<PathBuf>,
    /// Client certificate chain (PEM), for servers that require one (mTLS).
    #[arg(long, requires_all = ["tls_ca", "tls_key"])]
    pub tls_cert: Option<PathBuf>,
    /// Private key (PEM) of --tls-cert.
    #[arg(long, requires_all = ["tls_ca", "tls_cert"])]
    pub tls_key: Option<PathBuf>,
    /// Name the server's certificate must carry [default: the host of the address].
    #[arg(long, requires = "tls_ca")]
    pub tls_domain: Option<String>,
}

impl ClientTlsArgs {
    /// The tonic client configuration; `None` when TLS is not asked for.
    /// Files are read and checked here, so mistakes show before connecting.
    ///
    /// # Errors
    /// [`TlsError`] for an unreadable or invalid file, or a certificate
    /// without a key.
    pub fn client_config(&self) -> Result<Option<tonic::transport::ClientTlsConfig>, TlsError> {
        use tonic::transport::{Certificate, ClientTlsConfig, Identity};
        let Some(ca) = &self.tls_ca else {
            if self.tls_cert.is_some() || self.tls_key.is_some() || self.tls_domain.is_some() {
                return Err(TlsError::Client("--tls-cert, --tls-key and --tls-domain need --tls-ca".into()));
            }
            return Ok(None);
        };
        let what = "CA";
        // Parsed once here for a clear error; tonic parses it again.
        roots(what, ca)?;
        let mut config = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(read(what, ca)?));
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                read_certs("certificate", cert)?;
                read_key(key)?;
                config = config.identity(Identity::from_pem(read("certificate", cert)?, read("private key", key)?));
            }
            (None, None) => {}
            _ => return Err(TlsError::Client("--tls-cert and --tls-key go together".into())),
        }
        if let Some(domain) = &self.tls_domain {
            config = config.domain_name(domain.clone());
        }
        Ok(Some(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate for localhost: (cert PEM, key PEM, cert DER).
    fn self_signed() -> (String, String, Vec<u8>) {
        let Ok(c) = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]) else {
            panic!("rcgen makes a certificate")
        };
        (c.cert.pem(), c.signing_key.serialize_pem(), c.cert.der().to_vec())
    }

    fn alpn(tls: &ServerTls) -> Vec<Vec<u8>> {
        tls.current.load().alpn_protocols.clone()
    }

    #[test]
    fn a_bad_new_file_keeps_the_loaded_configuration() {
        let Ok(dir) = tempfile::tempdir() else { panic!("tempdir") };
        let files = TlsFiles { cert: dir.path().join("c.pem"), key: dir.path().join("k.pem"), client_ca: None };
        let (cert, key, _) = self_signed();
        let _ = std::fs::write(&files.cert, cert);
        let _ = std::fs::write(&files.key, key);
        let tls = ServerTls::load(&files).map_err(|e| e.to_string());
        let Ok(tls) = tls else { panic!("loads: {tls:?}") };
        assert_eq!(alpn(&tls), vec![b"h2".to_vec()], "ALPN h2 only");
        let before = Arc::as_ptr(&tls.current.load_full());
        let _ = std::fs::write(&files.cert, "-----BEGIN CERTIFICATE-----\n");
        assert!(!tls.reload("test"), "a truncated certificate is refused");
        assert_eq!(Arc::as_ptr(&tls.current.load_full()), before, "the old configuration stays");
        let (cert, key, _) = self_signed();
        let _ = std::fs::write(&files.cert, cert);
        assert!(!tls.reload("test"), "a certificate with the old key is refused");
        let _ = std::fs::write(&files.key, key);
        assert!(tls.reload("test"), "the new pair is taken");
        assert_ne!(Arc::as_ptr(&tls.current.load_full()), before);
    }

    #[tokio::test]
    async fn silent_clients_time_out_and_dropping_the_stream_closes_the_listener() {
        use tokio::io::AsyncReadExt;
        use tokio_stream::StreamExt;
        let Ok(dir) = tempfile::tempdir() else { panic!("tempdir") };
        let files = TlsFiles { cert: dir.path().join("c.pem"), key: dir.path().join("k.pem"), client_ca: None };
        let (cert, key, _) = self_signed();
        let _ = std::fs::write(&files.cert, cert);
        let _ = std::fs::write(&files.key, key);
        let Ok(tls) = ServerTls::load(&files) else { panic!("loads") };
        let Ok(listener) = TcpListener::bind("127.0.0.1:0").await else { panic!("bind") };
        let Ok(addr) = listener.local_addr() else { panic!("addr") };
        let mut incoming = tls.incoming(listener, Duration::from_millis(200));
        let Ok(mut silent) = TcpStream::connect(addr).await else { panic!("connect") };
        let started = std::time::Instant::now();
        let mut buf = [0u8; 16];
        let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf)).await;
        assert!(matches!(read, Ok(Ok(0) | Err(_))), "the server hangs up: {read:?}");
        assert!(started.elapsed() >= Duration::from_millis(150), "not before the timeout");
        let next = tokio::time::timeout(Duration::from_millis(50), incoming.next()).await;
        assert!(next.is_err(), "no connection handed on");
        drop(incoming);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(TcpStream::connect(addr).await.is_err(), "listener closed");
    }

    #[test]
    fn errors_name_the_setting() {
        let Ok(dir) = tempfile::tempdir() else { panic!("tempdir") };
        let (cert, key, _) = self_signed();
        let c = dir.path().join("c.pem");
        let k = dir.path().join("k.pem");
        let _ = std::fs::write(&c, cert);
        let _ = std::fs::write(&k, key);
        let missing = dir.path().join("missing.pem");
        let key_of = |f: TlsFiles| server_config(&f).err().map(|e| e.key());
        let files = |cert: &Path, key: &Path, ca: Option<&Path>| TlsFiles {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            client_ca: ca.map(Path::to_path_buf),
        };
        assert_eq!(key_of(files(&c, &k, None)), None);
        assert_eq!(key_of(files(&c, &k, Some(&c))), None, "a self-signed certificate can act as the client CA");
        assert_eq!(key_of(files(&missing, &k, None)), Some("tls_cert"));
        assert_eq!(key_of(files(&c, &missing, None)), Some("tls_key"));
        assert_eq!(key_of(files(&c, &k, Some(&missing))), Some("tls_client_ca"));
        assert_eq!(key_of(files(&c, &c, None)), Some("tls_key"), "no key in a certificate file");
    }
}
