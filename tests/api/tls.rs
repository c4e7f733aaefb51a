//! TLS on the gRPC port: server-only TLS, mutual TLS, reload of the
//! certificate without a restart, and validation of the TLS settings.
//! Certificates are made here with rcgen, in a temporary directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use precis::config::{ServeArgs, ServeConfig};
use precis::domain::taxonomy::Taxonomies;
use precis::domain::{Limits, Pipeline};
use precis::grpc::pb;
use precis::grpc::pb::precis_client::PrecisClient;
use precis::server::{serve, Phase};
use precis::tls::TlsFiles;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};
use tokio::sync::{oneshot, watch};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

use crate::helpers::{builtin, seed_article};

/// A test certificate authority.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Self {
        let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.distinguished_name.push(DnType::CommonName, name);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let issuer = CertifiedIssuer::self_signed(p, KeyPair::generate().expect("key")).expect("CA cert");
        Self { issuer }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// A leaf certificate for `names`, for `usage`: (cert PEM, key PEM, cert DER).
    fn leaf(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> (String, String, Vec<u8>) {
        let mut p = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).expect("params");
        p.distinguished_name.push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        p.extended_key_usages = vec![usage];
        let key = KeyPair::generate().expect("key");
        let cert = p.signed_by(&key, &self.issuer).expect("sign");
        (cert.pem(), key.serialize_pem(), cert.der().to_vec())
    }

    fn server_leaf(&self) -> (String, String, Vec<u8>) {
        self.leaf(&["localhost", "127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth)
    }

    fn client_leaf(&self) -> (String, String, Vec<u8>) {
        self.leaf(&["precis-test-client"], ExtendedKeyUsagePurpose::ClientAuth)
    }
}

/// Server certificate files in a temporary directory.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("tempdir") }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    /// Writes a server certificate of `ca` (and `client_ca`, if any) and
    /// returns the files; the leaf's DER too.
    fn server(&self, ca: &Ca, client_ca: Option<&Ca>) -> (TlsFiles, Vec<u8>) {
        let (cert, key, der) = ca.server_leaf();
        let files = TlsFiles {
            cert: self.write("server.crt", &cert),
            key: self.write("server.key", &key),
            client_ca: client_ca.map(|c| self.write("client-ca.crt", &c.pem())),
        };
        (files, der)
    }
}

/// A running TLS test server.
struct TlsServer {
    addr: std::net::SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

async fn spawn_tls(files: TlsFiles, f: impl FnOnce(&mut ServeConfig)) -> TlsServer {
    if std::env::var_os("TEST_LOG").is_some() {
        precis::telemetry::init(precis::config::LogFormat::Text);
    }
    let mut config = ServeConfig { shutdown_grace: Duration::from_secs(2), tls: Some(files), ..ServeConfig::default() };
    f(&mut config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let pipeline = Arc::new(Pipeline::new(Limits::default(), Arc::new(Taxonomies::new(builtin().clone()))));
    let (tx, rx) = oneshot::channel::<()>();
    let (phase_tx, mut phase) = watch::channel(Phase::Stopped);
    let handle = tokio::spawn(async move {
        let shutdown = async {
            let _ = rx.await;
        };
        serve(listener, &config, pipeline, shutdown, Some(phase_tx)).await.expect("serve");
    });
    phase.wait_for(|p| *p == Phase::Serving).await.expect("server starts");
    TlsServer { addr, shutdown: Some(tx), handle }
}

/// A client trusting `ca_pem`, with an optional identity (cert PEM, key PEM).
async fn tls_client(
    addr: std::net::SocketAddr,
    ca_pem: &str,
    identity: Option<(&str, &str)>,
) -> Result<PrecisClient<Channel>, tonic::transport::Error> {
    let mut tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca_pem)).domain_name("localhost");
    if let Some((cert, key)) = identity {
        tls = tls.identity(Identity::from_pem(cert, key));
    }
    let channel = Endpoint::from_shared(format!("https://{addr}"))?
        .tls_config(tls)?
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await?;
    Ok(PrecisClient::new(channel))
}

/// Whether one `Analyze` call over a new TLS connection succeeds.
async fn call_ok(addr: std::net::SocketAddr, ca_pem: &str, identity: Option<(&str, &str)>) -> Result<(), String> {
    let mut client = tls_client(addr, ca_pem, identity).await.map_err(|e| format!("connect: {e:?}"))?;
    let mut req = tonic::Request::new(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() });
    req.set_timeout(Duration::from_secs(10));
    let r = client.analyze(req).await.map_err(|s| format!("call: {s:?}"))?.into_inner();
    if r.summary.is_some_and(|s| !s.sentences.is_empty()) {
        Ok(())
    } else {
        Err("no summary".into())
    }
}

#[tokio::test]
async fn tls_call_succeeds_with_the_right_ca() {
    let ca = Ca::new("precis test CA");
    let files = Files::new();
    let (tls, _) = files.server(&ca, None);
    let server = spawn_tls(tls, |_| {}).await;
    call_ok(server.addr, &ca.pem(), None).await.expect("TLS call");
    // Health and reflection are served over the same TLS port.
    let tls = ClientTlsConfig::new().ca_certificate(Certificate::from_pem(ca.pem())).domain_name("localhost");
    let channel = Endpoint::from_shared(format!("https://{}", server.addr))
        .expect("uri")
        .tls_config(tls)
        .expect("tls")
        .connect()
        .await
        .expect("connect");
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let r = health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.expect("health");
    assert_eq!(r.into_inner().status, tonic_health::pb::health_check_response::ServingStatus::Serving as i32);
    // A client trusting another CA refuses the server.
    let other = Ca::new("another CA");
    assert!(call_ok(server.addr, &other.pem(), None).await.is_err(), "untrusted server certificate");
}

#[tokio::test]
async fn plaintext_client_to_a_tls_server_fails_and_is_counted() {
    let ca = Ca::new("precis test CA");
    let files = Files::new();
    let (tls, _) = files.server(&ca, None);
    let server = spawn_tls(tls, |_| {}).await;
    let plain = async {
        let channel = Endpoint::from_shared(format!("http://{}", server.addr))
            .map_err(|e| e.to_string())?
            .connect()
            .await
            .map_err(|e| e.to_string())?;
        let mut req = tonic::Request::new(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() });
        req.set_timeout(Duration::from_secs(5));
        PrecisClient::new(channel).analyze(req).await.map(|_| ()).map_err(|s| s.to_string())
    };
    let r: Result<(), String> = tokio::time::timeout(Duration::from_secs(10), plain).await.expect("fails quickly");
    assert!(r.is_err(), "a plaintext call to a TLS port must fail");
    // The failed handshake is counted (the recorder is process-wide, so only
    // "at least one" can be asserted).
    let handle = precis::metrics::install().expect("metrics");
    let mut counted = false;
    for _ in 0..50 {
        let text = handle.render();
        counted = text.lines().any(|l| {
            l.starts_with("precis_tls_handshake_failures_total{reason=\"error\"}")
                && l.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).is_some_and(|v| v >= 1.0)
        });
        if counted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(counted, "precis_tls_handshake_failures_total counts the plaintext attempt");
    // The server still serves TLS clients.
    call_ok(server.addr, &ca.pem(), None).await.expect("TLS call after a bad client");
}

#[tokio::test]
async fn mutual_tls_requires_a_client_certificate_from_the_ca() {
    let server_ca = Ca::new("precis server CA");
    let client_ca = Ca::new("precis client CA");
    let rogue_ca = Ca::new("rogue CA");
    let files = Files::new();
    let (tls, _) = files.server(&server_ca, Some(&client_ca));
    let server = spawn_tls(tls, |_| {}).await;

    let none = call_ok(server.addr, &server_ca.pem(), None).await;
    assert!(none.is_err(), "no client certificate → refused");

    let (rogue_cert, rogue_key, _) = rogue_ca.client_leaf();
    let rogue = call_ok(server.addr, &server_ca.pem(), Some((&rogue_cert, &rogue_key))).await;
    assert!(rogue.is_err(), "client certificate from another CA → refused");

    let (cert, key, _) = client_ca.client_leaf();
    call_ok(server.addr, &server_ca.pem(), Some((&cert, &key))).await.expect("good client certificate");
}

/// The certificate a new connection presents, seen through a raw rustls
/// client trusting every CA of `trusted`.
async fn presented_cert(addr: std::net::SocketAddr, trusted: &[&Ca]) -> Result<Vec<u8>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    let mut roots = rustls::RootCertStore::empty();
    for ca in trusted {
        let der = CertificateDer::from_pem_slice(ca.pem().as_bytes()).map_err(|e| e.to_string())?;
        roots.add(der).map_err(|e| e.to_string())?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = tokio::net::TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let stream =
        tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.map_err(|e| e.to_string())?;
    let (_, conn) = stream.get_ref();
    assert_eq!(conn.alpn_protocol(), Some(&b"h2"[..]), "ALPN h2 negotiated");
    conn.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec()).ok_or_else(|| "no certificate".to_string())
}

#[tokio::test]
async fn certificate_rotation_applies_to_new_connections_without_restart() {
    let old_ca = Ca::new("old CA");
    let new_ca = Ca::new("new CA");
    let files = Files::new();
    let (tls, old_der) = files.server(&old_ca, None);
    let server = spawn_tls(tls.clone(), |_| {}).await;
    call_ok(server.addr, &old_ca.pem(), None).await.expect("old CA before rotation");
    assert_eq!(presented_cert(server.addr, &[&old_ca, &new_ca]).await, Ok(old_der.clone()));
    // A connection opened before the rotation keeps working after it.
    let mut before = tls_client(server.addr, &old_ca.pem(), None).await.expect("connect before rotation");

    // Rotate: a new certificate from a new CA, key first then certificate
    // (a watcher may see the pair half-written; that reload fails and the
    // old pair keeps serving until the second file lands).
    tokio::time::sleep(Duration::from_millis(20)).await;
    let (cert, key, new_der) = new_ca.server_leaf();
    std::fs::write(&tls.key, key).expect("write key");
    std::fs::write(&tls.cert, cert).expect("write cert");

    // The watcher polls every two seconds.
    let mut rotated = false;
    for _ in 0..100 {
        if call_ok(server.addr, &new_ca.pem(), None).await.is_ok() {
            rotated = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(rotated, "a client trusting only the new CA gets through after the reload");
    assert_eq!(presented_cert(server.addr, &[&old_ca, &new_ca]).await, Ok(new_der), "new connections: new cert");
    assert!(call_ok(server.addr, &old_ca.pem(), None).await.is_err(), "the old certificate is no longer presented");
    let r = before.analyze(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() }).await;
    assert!(r.is_ok(), "a connection from before the rotation still works: {r:?}");

    // A bad new file is refused and the loaded certificate keeps serving.
    std::fs::write(&tls.cert, "-----BEGIN CERTIFICATE-----\nnot base64\n").expect("write garbage");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    call_ok(server.addr, &new_ca.pem(), None).await.expect("still serving the last good certificate");
}

#[tokio::test]
async fn drain_and_connection_age_work_over_tls() {
    let ca = Ca::new("precis test CA");
    let files = Files::new();
    let (tls, _) = files.server(&ca, None);
    let mut server = spawn_tls(tls, |c| c.max_connection_age = Some(Duration::from_millis(300))).await;
    let mut client = tls_client(server.addr, &ca.pem(), None).await.expect("connect");
    // Calls keep succeeding while connections are recycled underneath.
    for _ in 0..4 {
        let r = client.analyze(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() }).await;
        assert!(r.is_ok(), "{r:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    if let Some(tx) = server.shutdown.take() {
        let _ = tx.send(());
    }
    let handle = &mut server.handle;
    tokio::time::timeout(Duration::from_secs(10), handle).await.expect("drains in time").expect("serve task");
    let after = tokio::time::timeout(Duration::from_secs(5), call_ok(server.addr, &ca.pem(), None)).await;
    assert!(!matches!(after, Ok(Ok(()))), "no longer serving after shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loadgen_speaks_tls() {
    let server_ca = Ca::new("precis server CA");
    let client_ca = Ca::new("precis client CA");
    let files = Files::new();
    let (tls, _) = files.server(&server_ca, Some(&client_ca));
    let server = spawn_tls(tls, |_| {}).await;
    let (cert, key, _) = client_ca.client_leaf();
    let args = precis::tls::ClientTlsArgs {
        tls_ca: Some(files.write("ca.pem", &server_ca.pem())),
        tls_cert: Some(files.write("client.crt", &cert)),
        tls_key: Some(files.write("client.key", &key)),
        tls_domain: Some("localhost".into()),
    };
    let client_tls = args.client_config().expect("client config").expect("TLS on");
    let waited =
        precis::loadgen::wait_ready_tls(&server.addr.to_string(), "", Duration::from_secs(5), Some(&client_tls)).await;
    assert!(waited.is_ok(), "{waited:?}");
    let mut c = precis::loadgen::LoadConfig::new(server.addr.to_string(), vec![seed_article()]);
    c.duration = Duration::from_millis(300);
    c.tls = Some(client_tls);
    let r = precis::loadgen::run(&c).await.expect("run");
    assert!(r.ok > 0 && r.errors.values().sum::<u64>() == 0, "{r:?}");
    // Without TLS flags the client config is off; half an identity is refused.
    assert!(precis::tls::ClientTlsArgs::default().client_config().is_ok_and(|c| c.is_none()));
    let half = precis::tls::ClientTlsArgs { tls_key: None, ..args };
    assert!(half.client_config().is_err());
}

fn resolve(args: ServeArgs) -> Result<ServeConfig, (String, String)> {
    ServeConfig::resolve(&args).map_err(|e| match e {
        precis::config::ConfigError::Invalid { key, reason } => (key.to_string(), reason),
        other => ("other".to_string(), other.to_string()),
    })
}

#[test]
fn tls_settings_are_validated_before_binding() {
    let ca = Ca::new("precis test CA");
    let files = Files::new();
    let (tls, _) = files.server(&ca, Some(&ca));
    let args = |cert: Option<&Path>, key: Option<&Path>, client_ca: Option<&Path>| ServeArgs {
        tls_cert: cert.map(Path::to_path_buf),
        tls_key: key.map(Path::to_path_buf),
        tls_client_ca: client_ca.map(Path::to_path_buf),
        ..Default::default()
    };
    let ca_path = tls.client_ca.clone().expect("client CA");
    let key_of = |r: Result<ServeConfig, (String, String)>| r.err().map(|(k, _)| k);

    // Off by default; both files → on; with a client CA → mutual.
    assert_eq!(resolve(ServeArgs::default()).map(|c| c.tls), Ok(None));
    assert_eq!(
        resolve(args(Some(&tls.cert), Some(&tls.key), None)).map(|c| c.tls),
        Ok(Some(TlsFiles { client_ca: None, ..tls.clone() }))
    );
    assert_eq!(resolve(args(Some(&tls.cert), Some(&tls.key), Some(&ca_path))).map(|c| c.tls), Ok(Some(tls.clone())));

    // Half a pair, or a client CA alone.
    assert_eq!(key_of(resolve(args(Some(&tls.cert), None, None))).as_deref(), Some("tls_key"));
    assert_eq!(key_of(resolve(args(None, Some(&tls.key), None))).as_deref(), Some("tls_cert"));
    assert_eq!(key_of(resolve(args(None, None, Some(&ca_path)))).as_deref(), Some("tls_client_ca"));

    // Unreadable, not PEM, the wrong kind of PEM, a key of another certificate.
    let missing = files.path("missing.pem");
    assert_eq!(key_of(resolve(args(Some(&missing), Some(&tls.key), None))).as_deref(), Some("tls_cert"));
    assert_eq!(key_of(resolve(args(Some(&tls.cert), Some(&missing), None))).as_deref(), Some("tls_key"));
    assert_eq!(
        key_of(resolve(args(Some(&tls.cert), Some(&tls.key), Some(&missing)))).as_deref(),
        Some("tls_client_ca")
    );
    let junk = files.write("junk.pem", "hello, not a certificate\n");
    assert_eq!(key_of(resolve(args(Some(&junk), Some(&tls.key), None))).as_deref(), Some("tls_cert"));
    assert_eq!(key_of(resolve(args(Some(&tls.cert), Some(&junk), None))).as_deref(), Some("tls_key"));
    assert_eq!(key_of(resolve(args(Some(&tls.cert), Some(&tls.key), Some(&junk)))).as_deref(), Some("tls_client_ca"));
    // A certificate given as the key, a key given as the certificate.
    assert_eq!(key_of(resolve(args(Some(&tls.cert), Some(&tls.cert), None))).as_deref(), Some("tls_key"));
    assert_eq!(key_of(resolve(args(Some(&tls.key), Some(&tls.key), None))).as_deref(), Some("tls_cert"));
    let (_, other_key, _) = ca.server_leaf();
    let other_key = files.write("other.key", &other_key);
    let r = resolve(args(Some(&tls.cert), Some(&other_key), None));
    assert!(r.as_ref().is_err_and(|(_, reason)| reason.contains("refused")), "mismatched key: {r:?}");
    let truncated = files.write("truncated.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n");
    assert!(resolve(args(Some(&truncated), Some(&tls.key), None)).is_err());

    // The config file has the same keys; flags beat the file.
    let toml = files.write(
        "precis.toml",
        &format!("tls_cert = {:?}\ntls_key = {:?}\ntls_client_ca = {:?}\n", tls.cert, tls.key, ca_path),
    );
    let from_file = ServeArgs { config: Some(toml.clone()), ..Default::default() };
    assert_eq!(resolve(from_file).map(|c| c.tls), Ok(Some(tls.clone())));
    let flag_over_file = ServeArgs { config: Some(toml), tls_key: Some(junk.clone()), ..Default::default() };
    assert_eq!(key_of(resolve(flag_over_file)).as_deref(), Some("tls_key"));
}

#[test]
fn bad_tls_environment_exits_with_78() {
    let ca = Ca::new("precis test CA");
    let files = Files::new();
    let (tls, _) = files.server(&ca, None);
    let run = |envs: &[(&str, &Path)]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_precis"));
        cmd.arg("serve").env_clear().env("PRECIS_ADDR", "127.0.0.1:0").env("PRECIS_METRICS_ADDR", "off");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.output().expect("run precis")
    };
    let out = run(&[("PRECIS_TLS_CERT", &tls.cert)]);
    assert_eq!(out.status.code(), Some(78), "cert without key: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tls_key"));
    let junk = files.write("junk.pem", "not PEM\n");
    let out = run(&[("PRECIS_TLS_CERT", &tls.cert), ("PRECIS_TLS_KEY", &junk)]);
    assert_eq!(out.status.code(), Some(78), "invalid key: {}", String::from_utf8_lossy(&out.stderr));
}
