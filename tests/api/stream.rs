use precis::grpc::pb;
use tonic::Code;

use crate::helpers::*;

#[tokio::test]
async fn bad_item_gets_its_own_error_and_the_stream_goes_on() {
    let server = spawn().await;
    let bad = pb::AnalyzeRequest { article: Some(article("bad", "", "   ")), ..Default::default() };
    let bad_ratio = pb::AnalyzeRequest {
        article: Some(pb::Article { id: "bad-ratio".into(), ..seed_article() }),
        summary_options: Some(pb::SummaryOptions { ratio: 2.0, ..Default::default() }),
        ..Default::default()
    };
    let outbound = tokio_stream::iter(vec![seed_request("a"), bad, seed_request("b"), bad_ratio, seed_request("c")]);
    let mut rx = server.client().analyze_stream(outbound).await.expect("stream").into_inner();
    let mut got = Vec::new();
    while let Some(item) = rx.message().await.expect("stream item") {
        got.push(item);
    }
    let ids: Vec<&str> = got.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["a", "bad", "b", "bad-ratio", "c"], "order kept, ids echoed");
    assert!(got[0].error.is_none() && got[2].error.is_none() && got[4].error.is_none());
    let e = got[1].error.as_ref().expect("error for the empty article");
    assert_eq!(e.code, Code::InvalidArgument as i32);
    assert!(!e.details.is_empty(), "BadRequest detail carried");
    assert_eq!(got[3].error.as_ref().map(|e| e.code), Some(Code::InvalidArgument as i32));
}

#[tokio::test]
async fn stream_length_limit_ends_the_stream_with_a_clear_status() {
    let server = spawn_with(|c| c.max_stream_articles = 3).await;
    let items: Vec<_> = (0..5)
        .map(|i| pb::AnalyzeRequest {
            article: Some(article(&i.to_string(), "", "A short one. Two.")),
            ..Default::default()
        })
        .collect();
    let mut rx = server.client().analyze_stream(tokio_stream::iter(items)).await.expect("stream").into_inner();
    let mut ok = 0;
    let err = loop {
        match rx.message().await {
            Ok(Some(_)) => ok += 1,
            Ok(None) => panic!("stream ended without the limit error"),
            Err(e) => break e,
        }
    };
    assert_eq!(ok, 3);
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(err.message().contains("max_stream_articles"));
}

#[tokio::test]
async fn caller_deadline_ends_a_long_stream() {
    let server = spawn().await;
    // An endless stream of articles: only the caller's deadline can end it.
    let items = tokio_stream::iter(std::iter::repeat_with(seed_article).enumerate().map(|(i, a)| pb::AnalyzeRequest {
        article: Some(pb::Article { id: i.to_string(), ..a }),
        ..Default::default()
    }));
    let mut req = tonic::Request::new(items);
    req.set_timeout(std::time::Duration::from_millis(300));
    let mut rx = server.client().analyze_stream(req).await.expect("stream").into_inner();
    let mut ok = 0;
    let err = loop {
        match rx.message().await {
            Ok(Some(_)) => ok += 1,
            Ok(None) => panic!("an endless stream cannot end cleanly"),
            Err(e) => break e,
        }
    };
    assert!(ok > 0, "articles were analysed before the deadline");
    assert!(matches!(err.code(), Code::DeadlineExceeded | Code::Cancelled), "{err:?}");
}
