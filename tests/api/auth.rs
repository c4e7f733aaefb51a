//! Bearer-token authentication: refused without a valid token, open health,
//! token rotation by rewriting the file.

use std::time::Duration;

use precis::grpc::pb;
use tonic::metadata::MetadataValue;
use tonic::Code;

use crate::helpers::*;

fn req(token: Option<&str>) -> tonic::Request<pb::AnalyzeRequest> {
    let mut r = tonic::Request::new(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() });
    if let Some(t) = token {
        r.metadata_mut().insert("authorization", MetadataValue::try_from(format!("Bearer {t}")).expect("ascii"));
    }
    r
}

#[tokio::test]
async fn calls_need_a_valid_token_and_tokens_rotate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tokens");
    std::fs::write(&file, "# rotation: old and new\nold-token\nnew-token\n").expect("write");
    let f = file.clone();
    let server = spawn_with(move |c| c.auth_tokens_file = Some(f)).await;
    let mut c = server.client();
    let err = c.analyze(req(None)).await.expect_err("no token");
    assert_eq!(err.code(), Code::Unauthenticated);
    let err = c.analyze(req(Some("wrong"))).await.expect_err("wrong token");
    assert_eq!(err.code(), Code::Unauthenticated);
    assert!(!err.message().contains("wrong"), "the token is never echoed");
    c.analyze(req(Some("old-token"))).await.expect("old token");
    c.analyze(req(Some("new-token"))).await.expect("new token");
    // Health stays open.
    let mut health = tonic_health::pb::health_client::HealthClient::new(server.channel.clone());
    health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.expect("health open");
    // Rotate: drop the old token; the file watcher picks it up.
    std::fs::write(&file, "new-token\n").expect("rewrite");
    let mut refused = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if c.analyze(req(Some("old-token"))).await.is_err_and(|e| e.code() == Code::Unauthenticated) {
            refused = true;
            break;
        }
    }
    assert!(refused, "the old token is refused after the file changes");
    c.analyze(req(Some("new-token"))).await.expect("new token still valid");
}

#[tokio::test]
async fn auth_health_protects_health_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tokens");
    std::fs::write(&file, "t0k3n\n").expect("write");
    let f = file.clone();
    let server = spawn_with(move |c| {
        c.auth_tokens_file = Some(f);
        c.auth_health = true;
    })
    .await;
    let mut health = tonic_health::pb::health_client::HealthClient::new(server.channel.clone());
    let err = health.check(tonic_health::pb::HealthCheckRequest { service: String::new() }).await.expect_err("closed");
    assert_eq!(err.code(), Code::Unauthenticated);
}
