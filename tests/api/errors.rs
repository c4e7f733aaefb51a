use std::time::{Duration, Instant};

use precis::grpc::pb;
use tonic::Code;

use crate::helpers::*;

fn summarize_req(a: pb::Article, o: Option<pb::SummaryOptions>) -> pb::SummarizeRequest {
    pb::SummarizeRequest { article: Some(a), options: o, return_removed: false }
}

#[tokio::test]
async fn invalid_requests_name_their_fields() {
    let server = spawn().await;
    let mut c = server.client();
    let cases: Vec<(pb::SummarizeRequest, &str)> = vec![
        (summarize_req(article("e", "", ""), None), "article.body"),
        (summarize_req(article("e", "", "  \n\t "), None), "article.body"),
        (pb::SummarizeRequest { article: None, options: None, return_removed: false }, "article"),
        (summarize_req(seed_article(), Some(pb::SummaryOptions { ratio: 1.5, ..Default::default() })), "options.ratio"),
        (
            summarize_req(seed_article(), Some(pb::SummaryOptions { ratio: -0.2, ..Default::default() })),
            "options.ratio",
        ),
        (
            summarize_req(seed_article(), Some(pb::SummaryOptions { ratio: f64::NAN, ..Default::default() })),
            "options.ratio",
        ),
        (summarize_req(seed_article(), Some(pb::SummaryOptions { order: 9, ..Default::default() })), "options.order"),
        (
            summarize_req(seed_article(), Some(pb::SummaryOptions { max_sentences: 1_000_000, ..Default::default() })),
            "options.max_sentences",
        ),
        (summarize_req(pb::Article { format: 7, ..seed_article() }, None), "article.format"),
        (summarize_req(pb::Article { language: "not a tag!".into(), ..seed_article() }, None), "article.language"),
        (
            summarize_req(
                pb::Article {
                    body: "<html><script>var a = 1;</script><style>p{}</style></html>".into(),
                    format: pb::Format::Html as i32,
                    ..seed_article()
                },
                None,
            ),
            "article.body",
        ),
    ];
    for (req, field) in cases {
        let err = c.summarize(req).await.expect_err(field);
        assert_eq!(err.code(), Code::InvalidArgument, "{field}: {err:?}");
        assert!(violations(&err).iter().any(|f| f == field), "{field} not in {:?}", violations(&err));
    }
}

#[tokio::test]
async fn tag_option_errors() {
    let server = spawn().await;
    let mut c = server.client();
    let err = c
        .tag(pb::TagRequest {
            article: Some(seed_article()),
            options: Some(pb::TagOptions { taxonomies: vec!["no-such".into()], ..Default::default() }),
            return_removed: false,
        })
        .await
        .expect_err("unknown taxonomy");
    assert_eq!(err.code(), Code::NotFound);
    assert!(err.message().contains("no-such"));
    let err = c
        .tag(pb::TagRequest {
            article: Some(seed_article()),
            options: Some(pb::TagOptions { min_score: 1.5, max_keyphrases: 100_000, ..Default::default() }),
            return_removed: false,
        })
        .await
        .expect_err("bad options");
    assert_eq!(err.code(), Code::InvalidArgument);
    let v = violations(&err);
    assert!(v.contains(&"options.min_score".to_string()) && v.contains(&"options.max_keyphrases".to_string()), "{v:?}");
}

#[tokio::test]
async fn oversized_bodies_are_refused_naming_the_limit() {
    let server = spawn_with(|c| c.max_body_bytes = 1_000).await;
    let mut c = server.client();
    // Over the body limit but within the message limit: the pipeline refuses.
    let err = c.summarize(summarize_req(article("big", "", &"word ".repeat(400)), None)).await.expect_err("too big");
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(err.message().contains("1000"), "{}", err.message());
    assert_eq!(violations(&err), ["article.body"]);
    // Far over: refused while decoding, before any work.
    let err = c.summarize(summarize_req(article("huge", "", &"word ".repeat(100_000)), None)).await.expect_err("huge");
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert!(err.message().contains("limit"), "{}", err.message());
}

#[tokio::test]
async fn deadline_exceeded() {
    let server = spawn_with(|c| {
        c.request_timeout = Duration::from_millis(5);
        c.max_body_bytes = 8 << 20;
    })
    .await;
    let mut c = server.client().max_encoding_message_size(16 << 20);
    let err = c.summarize(summarize_req(article("slow", "", &long_body(800)), None)).await.expect_err("deadline");
    assert_eq!(err.code(), Code::DeadlineExceeded, "{err:?}");
}

#[tokio::test]
async fn caller_deadline_is_honoured() {
    let server = spawn_with(|c| c.max_body_bytes = 8 << 20).await;
    let mut c = server.client().max_encoding_message_size(16 << 20);
    let mut req = tonic::Request::new(summarize_req(article("slow", "", &long_body(800)), None));
    req.set_timeout(Duration::from_millis(5));
    let err = c.summarize(req).await.expect_err("deadline");
    // The client may give up first (CANCELLED) or the server answers first.
    assert!(matches!(err.code(), Code::DeadlineExceeded | Code::Cancelled), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standing_queue_is_shed_and_a_burst_is_not() {
    let server = spawn_with(|c| {
        c.cpu_threads = 1;
        c.inline_max_bytes = 0;
        c.max_queue_delay = Some(Duration::from_millis(1));
        c.concurrency_limit = 8192;
        c.max_body_bytes = 8 << 20;
    })
    .await;
    let body = long_body(20);
    let c = server.client().max_encoding_message_size(16 << 20);
    // One call alone: how long a job takes here (debug or release build).
    let t = Instant::now();
    let probe = c.clone().summarize(summarize_req(article("probe", "", &body), None)).await;
    assert!(probe.is_ok(), "{probe:?}");
    let took = t.elapsed();
    // Four times what the one analysis thread can do, for at least 400 ms
    // (several of the 100 ms intervals in which a standing queue is judged).
    let gap = (took / 4).max(Duration::from_micros(100));
    let n = usize::try_from(Duration::from_millis(400).as_nanos() / gap.as_nanos()).unwrap_or(40).clamp(40, 4000);
    let start = Instant::now();
    let mut calls = Vec::new();
    for i in 0..n {
        tokio::time::sleep_until((start + gap * u32::try_from(i).unwrap_or(0)).into()).await;
        let mut c = c.clone();
        let req = summarize_req(article(&i.to_string(), "", &body), None);
        calls.push(tokio::spawn(async move {
            let t = Instant::now();
            (c.summarize(req).await.map(|_| ()), t.elapsed())
        }));
    }
    let mut outcomes = Vec::new();
    for call in calls {
        outcomes.push(call.await.expect("join"));
    }
    let mut shed = 0;
    for (r, took) in &outcomes {
        if let Err(e) = r {
            assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
            assert!(e.message().contains("max_queue_delay"), "{e:?}");
            assert!(*took < Duration::from_secs(2), "shed at once, took {took:?}");
            shed += 1;
        }
    }
    // The first calls are a burst that no interval has judged yet: queued.
    assert!(outcomes.iter().take(4).all(|(r, _)| r.is_ok()), "{:?}", &outcomes[..4]);
    assert!(shed >= 1, "a queue standing over the target is shed (of {n} calls, {gap:?} apart)");
    // Drained: calls are taken again.
    let r = c.clone().summarize(summarize_req(article("after", "", "One sentence. Two sentences."), None)).await;
    assert!(r.is_ok(), "{r:?}");
}

#[tokio::test]
async fn overload_is_shed_at_once() {
    let server = spawn_with(|c| {
        c.concurrency_limit = 1;
        c.max_body_bytes = 8 << 20;
    })
    .await;
    let body = long_body(150);
    let mut calls = Vec::new();
    for i in 0..8 {
        let mut c = server.client().max_encoding_message_size(16 << 20);
        let req = summarize_req(article(&i.to_string(), "", &body), None);
        calls.push(tokio::spawn(async move {
            let t = std::time::Instant::now();
            (c.summarize(req).await.map(|_| ()), t.elapsed())
        }));
    }
    let (mut ok, mut shed) = (0, 0);
    for call in calls {
        match call.await.expect("join") {
            (Ok(()), _) => ok += 1,
            (Err(e), took) => {
                assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
                assert!(e.message().contains("concurrency limit"));
                assert!(took < Duration::from_secs(2), "shed quickly, took {took:?}");
                shed += 1;
            }
        }
    }
    assert!(ok >= 1, "some calls succeed");
    assert!(shed >= 1, "excess calls are shed");
}
