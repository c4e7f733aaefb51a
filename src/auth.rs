//! Optional bearer-token authentication.
//!
//! Tokens live in a file, one per line (blank lines and `#` comments are
//! ignored); several tokens may be valid at once so that callers can rotate.
//! The file is re-read when it changes (polled every two seconds) and on
//! SIGHUP; a file that cannot be read keeps the tokens already loaded.
//! Tokens are compared in constant time and never logged. Health checks and
//! reflection stay open unless `protect_all` is set, so that probes keep
//! working without a secret.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use arc_swap::ArcSwap;
use http::{Request, Response};
use subtle::ConstantTimeEq;
use tonic::Status;
use tower::{Layer, Service};

/// Why the token file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The file could not be read.
    #[error("cannot read auth tokens file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file holds no token.
    #[error("auth tokens file {0} holds no token")]
    Empty(PathBuf),
}

/// The valid tokens, replaceable while serving.
#[derive(Debug, Clone)]
pub struct Tokens {
    path: PathBuf,
    current: Arc<ArcSwap<Vec<Vec<u8>>>>,
    protect_all: bool,
}

fn read_tokens(path: &Path) -> Result<Vec<Vec<u8>>, AuthError> {
    let text = std::fs::read_to_string(path).map_err(|source| AuthError::Read { path: path.to_path_buf(), source })?;
    let tokens: Vec<Vec<u8>> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.as_bytes().to_vec())
        .collect();
    if tokens.is_empty() {
        return Err(AuthError::Empty(path.to_path_buf()));
    }
    Ok(tokens)
}

impl Tokens {
    /// Loads the tokens of `path`. `protect_all`: health and reflection need
    /// a token too.
    ///
    /// # Errors
    /// [`AuthError`] when the file is unreadable or holds no token.
    pub fn load(path: &Path, protect_all: bool) -> Result<Self, AuthError> {
        let tokens = read_tokens(path)?;
        Ok(Self { path: path.to_path_buf(), current: Arc::new(ArcSwap::from_pointee(tokens)), protect_all })
    }

    /// Re-reads the file; on failure the loaded tokens stay.
    pub fn reload(&self) {
        match read_tokens(&self.path) {
            Ok(t) => {
                let n = t.len();
                self.current.store(Arc::new(t));
                tracing::info!(tokens = n, path = %self.path.display(), "auth tokens reloaded");
            }
            Err(e) => tracing::warn!(error = %e, "auth tokens not reloaded; keeping the loaded ones"),
        }
    }

    /// Whether `presented` is one of the tokens. Every token is compared, each
    /// in constant time.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        let tokens = self.current.load();
        let mut ok = subtle::Choice::from(0u8);
        for t in tokens.iter() {
            ok |= t.as_slice().ct_eq(presented);
        }
        bool::from(ok)
    }

    /// Watches the file (mtime, every two seconds) and SIGHUP, reloading on
    /// either, until the task is dropped.
    pub fn spawn_watcher(&self) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            let stamp = || crate::watch::modified(&this.path);
            crate::watch::on_change(Duration::from_secs(2), "tokens file changed", stamp, |_| {
                this.reload();
                std::future::ready(())
            })
            .await;
        })
    }
}

/// Layer that refuses calls without a valid `authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct AuthLayer(pub Option<Tokens>);

impl<S> Layer<S> for AuthLayer {
    type Service = AuthService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        AuthService { inner, tokens: self.0.clone() }
    }
}

/// See [`AuthLayer`].
#[derive(Debug, Clone)]
pub struct AuthService<S> {
    inner: S,
    tokens: Option<Tokens>,
}

type BoxFut<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Paths open without a token unless `protect_all`.
fn is_open(path: &str) -> bool {
    path.starts_with("/grpc.health.v1.Health/") || path.starts_with("/grpc.reflection.")
}

impl<S, B, RB> Service<Request<B>> for AuthService<S>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
    RB: Default + Send + 'static,
{
    type Response = Response<RB>;
    type Error = S::Error;
    type Future = BoxFut<Self::Response, Self::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let Some(tokens) = &self.tokens else { return Box::pin(inner.call(req)) };
        if !tokens.protect_all && is_open(req.uri().path()) {
            return Box::pin(inner.call(req));
        }
        let presented = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .map(|v| v.as_bytes())
            .and_then(|v| v.strip_prefix(b"Bearer ").or_else(|| v.strip_prefix(b"bearer ")));
        match presented {
            Some(t) if tokens.accepts(t) => Box::pin(inner.call(req)),
            Some(_) => Box::pin(async { Ok(Status::unauthenticated("the bearer token is not valid").into_http()) }),
            None => Box::pin(async {
                Ok(Status::unauthenticated("missing \"authorization: Bearer <token>\" metadata").into_http())
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_rotate_and_compare() {
        let dir = std::env::temp_dir().join(format!("precis-auth-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let f = dir.join("tokens");
        let _ = std::fs::write(&f, "# comment\nalpha\n\nbeta\n");
        let t = Tokens::load(&f, false).map_err(|e| e.to_string());
        assert!(t.as_ref().is_ok_and(|t| t.accepts(b"alpha") && t.accepts(b"beta") && !t.accepts(b"alph")));
        let _ = std::fs::write(&f, "gamma\n");
        if let Ok(t) = &t {
            t.reload();
            assert!(t.accepts(b"gamma") && !t.accepts(b"alpha"));
            let _ = std::fs::write(&f, "\n");
            t.reload();
            assert!(t.accepts(b"gamma"), "an empty file keeps the loaded tokens");
        }
    }
}
