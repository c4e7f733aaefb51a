use precis::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn analyze_gives_summary_keyphrases_and_text() {
    let server = spawn().await;
    let a = seed_article();
    let body = a.body.clone();
    let r = server
        .client()
        .analyze(pb::AnalyzeRequest { article: Some(a), return_text: true, ..Default::default() })
        .await
        .expect("analyze")
        .into_inner();
    assert_eq!(r.id, "seed");
    assert_eq!(r.text, body, "text input: the analysed text is the body");
    assert!(r.error.is_none());
    assert_eq!(r.summary.expect("summary").sentences.len(), 3);
    assert!(!r.keyphrases.is_empty());
}

#[tokio::test]
async fn same_answer_alone_and_on_a_stream() {
    let server = spawn().await;
    let mut c = server.client();
    let req = pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() };
    let alone = c.analyze(req.clone()).await.expect("analyze").into_inner();
    let outbound = tokio_stream::iter(vec![req.clone(), req.clone(), req]);
    let mut rx = c.analyze_stream(outbound).await.expect("stream").into_inner();
    let mut n = 0;
    while let Some(item) = rx.message().await.expect("item") {
        assert_eq!(item, alone, "deterministic across unary and stream");
        n += 1;
    }
    assert_eq!(n, 3);
}

#[tokio::test]
async fn odd_inputs_never_break_offsets() {
    let server = spawn().await;
    let mut c = server.client();
    let inputs = [
        "one",
        "no punctuation at all just words going on and on",
        "...!!!???",
        "1234 5678 90",
        "emoji 😀 test. 🎉 Party!",
        "مرحبا بالعالم. هذه جملة ثانية؟ نعم.",
        "中国经济增长。出口下降！进口上升？",
        "ภาษาไทยไม่มีช่องว่างระหว่างคำ",
        "Mixed Кириллица and Latin. Ελληνικά τώρα.",
        "tab\tand\u{0}nul\u{7}bell.\r\nCRLF line.",
        "A\n\n\n\nB\n\n\n",
    ];
    for (i, body) in inputs.iter().enumerate() {
        let r = c
            .analyze(pb::AnalyzeRequest {
                article: Some(article(&i.to_string(), "", body)),
                summary_options: Some(pb::SummaryOptions { all_sentences: true, ..Default::default() }),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("input {i} {body:?}: {e}"))
            .into_inner();
        for s in r.summary.expect("summary").sentences {
            assert_eq!(body.get(s.byte_start as usize..s.byte_end as usize), Some(s.text.as_str()));
        }
    }
}
