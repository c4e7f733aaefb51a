use std::time::Duration;

use precis::grpc::pb;
use tonic::Code;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::HealthCheckRequest;

use crate::helpers::*;

#[tokio::test]
async fn health_serving_then_not_serving_on_shutdown() {
    let mut server = spawn().await;
    let mut health = HealthClient::new(server.channel.clone());
    for service in ["", "precis.v1.Precis"] {
        let r = health.check(HealthCheckRequest { service: service.into() }).await.expect("check").into_inner();
        assert_eq!(r.status, ServingStatus::Serving as i32);
    }
    let mut watch =
        health.watch(HealthCheckRequest { service: "precis.v1.Precis".into() }).await.expect("watch").into_inner();
    let first = watch.message().await.expect("watch item").expect("some");
    assert_eq!(first.status, ServingStatus::Serving as i32);
    server.shutdown();
    let next = tokio::time::timeout(Duration::from_secs(5), watch.message()).await.expect("in time");
    let next = next.expect("watch item").expect("some");
    assert_eq!(next.status, ServingStatus::NotServing as i32);
}

#[tokio::test]
async fn draining_finishes_admitted_calls_and_refuses_new_ones() {
    let mut server = spawn_with(|c| c.max_body_bytes = 8 << 20).await;
    // An open stream is an admitted call for its whole life, so the drain
    // cannot end before the late call below arrives (a slow unary call
    // alone may finish first in a release build).
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut stream = server
        .client()
        .analyze_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .expect("stream")
        .into_inner();
    tx.send(seed_request("s1")).await.expect("send");
    let first = stream.message().await.expect("stream item").expect("some");
    assert_eq!(first.id, "s1");
    let mut c = server.client().max_encoding_message_size(16 << 20);
    let body = long_body(300);
    let slow = tokio::spawn(async move {
        c.summarize(pb::SummarizeRequest {
            article: Some(article("slow", "", &body)),
            options: None,
            return_removed: false,
        })
        .await
    });
    // Let the slow call be admitted, then ask for shutdown.
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown();
    let mut phase = server.phase.clone();
    phase.wait_for(|p| *p != precis::server::Phase::Serving).await.expect("draining");
    let late = server
        .client()
        .summarize(pb::SummarizeRequest { article: Some(seed_article()), options: None, return_removed: false })
        .await
        .expect_err("new calls refused while draining");
    assert_eq!(late.code(), Code::Unavailable, "{late:?}");
    let r = slow.await.expect("join");
    assert!(r.is_ok(), "admitted call completes: {r:?}");
    // The admitted stream goes on until the client ends it.
    tx.send(seed_request("s2")).await.expect("send while draining");
    let second = stream.message().await.expect("stream item while draining").expect("some");
    assert_eq!((second.id.as_str(), second.error.is_none()), ("s2", true));
    drop(tx);
    assert!(stream.message().await.expect("clean end").is_none());
}

#[tokio::test]
async fn reflection_lists_the_service_in_both_versions() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient as V1;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest as M1;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse as R1;
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient as V1a;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest as M1a;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse as R1a;

    let server = spawn().await;
    let req = tonic_reflection::pb::v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(M1::ListServices(String::new())),
    };
    let mut rx = V1::new(server.channel.clone())
        .server_reflection_info(tokio_stream::iter(vec![req]))
        .await
        .expect("v1")
        .into_inner();
    let msg = rx.message().await.expect("v1 item").expect("some");
    let Some(R1::ListServicesResponse(list)) = msg.message_response else { panic!("unexpected {msg:?}") };
    assert!(list.service.iter().any(|s| s.name == "precis.v1.Precis"));

    let req = tonic_reflection::pb::v1alpha::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(M1a::ListServices(String::new())),
    };
    let mut rx = V1a::new(server.channel.clone())
        .server_reflection_info(tokio_stream::iter(vec![req]))
        .await
        .expect("v1alpha")
        .into_inner();
    let msg = rx.message().await.expect("v1alpha item").expect("some");
    let Some(R1a::ListServicesResponse(list)) = msg.message_response else { panic!("unexpected {msg:?}") };
    assert!(list.service.iter().any(|s| s.name == "precis.v1.Precis"));
}
