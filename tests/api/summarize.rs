use precis::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn seed_summary_is_spans_of_the_body_without_clutter() {
    let server = spawn().await;
    let a = seed_article();
    let body = a.body.clone();
    let r = server
        .client()
        .summarize(pb::SummarizeRequest { article: Some(a), options: None, return_removed: true })
        .await
        .expect("summarize")
        .into_inner();
    assert_eq!(r.id, "seed");
    assert_eq!(r.language, "en");
    let s = r.summary.expect("summary");
    assert_eq!(s.sentences.len(), 3, "default is 3 sentences");
    for x in &s.sentences {
        assert_eq!(&body[x.byte_start as usize..x.byte_end as usize], x.text);
        for c in CLUTTER {
            assert!(!x.text.contains(c), "clutter {c:?} in summary: {}", x.text);
        }
        assert!((0.0..=1.0).contains(&x.score));
    }
    let indices: Vec<u32> = s.sentences.iter().map(|x| x.index).collect();
    let mut sorted = indices.clone();
    sorted.sort();
    assert_eq!(indices, sorted, "document order by default");
    let cleaning = r.cleaning.expect("cleaning");
    assert!(cleaning.removed_blocks >= 1);
    assert_eq!(cleaning.removed.len() as u32, cleaning.removed_blocks);
    let first = &cleaning.removed[0];
    assert!(body[first.byte_start as usize..first.byte_end as usize].contains("Related Posts"));
}

#[tokio::test]
async fn budgets_order_and_all_sentences() {
    let server = spawn().await;
    let mut c = server.client();
    let opts = |o: pb::SummaryOptions| pb::SummarizeRequest {
        article: Some(seed_article()),
        options: Some(o),
        return_removed: false,
    };
    let all = c
        .summarize(opts(pb::SummaryOptions { all_sentences: true, ..Default::default() }))
        .await
        .expect("all")
        .into_inner()
        .summary
        .expect("summary");
    assert_eq!(all.sentences.len() as u32, all.total_sentences);
    let mut ranks: Vec<u32> = all.sentences.iter().map(|s| s.rank).collect();
    ranks.sort();
    assert_eq!(ranks, (1..=all.total_sentences).collect::<Vec<_>>());

    let by_score = c
        .summarize(opts(pb::SummaryOptions { max_sentences: 2, order: pb::Order::Score as i32, ..Default::default() }))
        .await
        .expect("score")
        .into_inner()
        .summary
        .expect("summary");
    assert_eq!(by_score.sentences.len(), 2);
    assert!(by_score.sentences[0].rank < by_score.sentences[1].rank);

    let chars = c
        .summarize(opts(pb::SummaryOptions { max_sentences: 10, max_chars: 300, ..Default::default() }))
        .await
        .expect("chars")
        .into_inner()
        .summary
        .expect("summary");
    let n: usize = chars.sentences.iter().map(|s| s.text.chars().count()).sum();
    assert!(n <= 300, "max_chars respected: {n}");

    let ratio = c
        .summarize(opts(pb::SummaryOptions { ratio: 0.5, ..Default::default() }))
        .await
        .expect("ratio")
        .into_inner()
        .summary
        .expect("summary");
    let want = ((ratio.total_sentences as f64) * 0.5).round() as usize;
    assert!(ratio.sentences.len() <= want.max(1));
}

#[tokio::test]
async fn gzip_both_ways() {
    let server = spawn().await;
    let mut c = server
        .client()
        .send_compressed(tonic::codec::CompressionEncoding::Gzip)
        .accept_compressed(tonic::codec::CompressionEncoding::Gzip);
    let r = c
        .summarize(pb::SummarizeRequest { article: Some(seed_article()), options: None, return_removed: false })
        .await
        .expect("gzip summarize");
    assert_eq!(r.metadata().get("grpc-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
}

#[tokio::test]
async fn html_input_uses_extracted_text_and_page_title() {
    let server = spawn().await;
    let html = "<html><head><title>Rare earths tour</title></head><body><nav>Home | World</nav><article>\
        <p>Premier Li Qiang visited Ganzhou, a hub for heavy rare earth elements, this week.</p>\
        <p>The visit comes as the US works to loosen China's hold on the minerals.</p>\
        <p>Officials said new research centres would open next year.</p></article></body></html>";
    let req = pb::AnalyzeRequest {
        article: Some(pb::Article {
            id: "h".into(),
            body: html.into(),
            format: pb::Format::Html as i32,
            ..Default::default()
        }),
        return_text: true,
        ..Default::default()
    };
    let r = server.client().analyze(req).await.expect("analyze html").into_inner();
    assert_eq!(r.title, "Rare earths tour");
    assert!(!r.text.contains('<'));
    assert!(!r.text.contains("Home | World"));
    for s in r.summary.expect("summary").sentences {
        assert_eq!(&r.text[s.byte_start as usize..s.byte_end as usize], s.text);
    }
}

/// Sent whole, the seed article's first line is its headline: a line with no
/// sentence mark, like the captions, date lines and list items of scraped
/// pages. It is still a sentence of the article (listed, scored) but it ranks
/// below body sentences of comparable weight, so the summary is made of
/// sentences.
#[tokio::test]
async fn lines_that_are_not_sentences_stay_out_of_the_summary() {
    let server = spawn().await;
    let mut c = server.client();
    let whole = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt"))
        .expect("seed article");
    let headline = whole.lines().next().expect("headline").trim().to_string();
    let request = |options: pb::SummaryOptions| pb::SummarizeRequest {
        article: Some(article("seed-whole", "", &whole)),
        options: Some(options),
        return_removed: false,
    };
    let all = c
        .summarize(request(pb::SummaryOptions { all_sentences: true, ..Default::default() }))
        .await
        .expect("summarize")
        .into_inner()
        .summary
        .expect("summary");
    assert_eq!(all.sentences[0].text, headline, "the headline is sentence 0");
    for k in 1..=5 {
        let s = c
            .summarize(request(pb::SummaryOptions { max_sentences: k, ..Default::default() }))
            .await
            .expect("summarize")
            .into_inner()
            .summary
            .expect("summary");
        assert_eq!(s.sentences.len(), k as usize);
        for x in &s.sentences {
            assert!(
                x.text.trim_end().ends_with(['.', '!', '?', '"', '”']),
                "k = {k}: a line that is not a sentence in the summary: {:?}",
                x.text
            );
        }
    }
}

/// A call to action that a page appends to a paragraph of prose is left out
/// of the sentences and reported with its span and kind.
#[tokio::test]
async fn a_call_to_action_sentence_is_removed_and_reported() {
    let server = spawn().await;
    let body = "The label said on Monday that the singer could perform her old songs at the awards. \
        Her team said no such permission had been given, and the dispute went on through the week.\n\n\
        Lawyers for both sides met on Thursday. There is plenty more where that came from. \
        Sign up for The Daily Brief to get the free newsletter in your inbox every morning.";
    let r = server
        .client()
        .summarize(pb::SummarizeRequest {
            article: Some(article("cta", "", body)),
            options: Some(pb::SummaryOptions { all_sentences: true, ..Default::default() }),
            return_removed: true,
        })
        .await
        .expect("summarize")
        .into_inner();
    let s = r.summary.expect("summary");
    assert_eq!(s.total_sentences, 4);
    assert!(s.sentences.iter().all(|x| !x.text.contains("Sign up")));
    let cleaning = r.cleaning.expect("cleaning");
    assert_eq!(cleaning.removed_blocks, 1);
    let block = &cleaning.removed[0];
    assert_eq!(block.kind, "newsletter");
    assert_eq!(
        &body[block.byte_start as usize..block.byte_end as usize],
        "Sign up for The Daily Brief to get the free newsletter in your inbox every morning."
    );
}

/// A byline and a time stamp above the lede are page furniture: left out of
/// the sentences and reported with their kinds; prose that opens with "By"
/// stays.
#[tokio::test]
async fn a_byline_and_time_stamp_are_removed_and_reported() {
    let server = spawn().await;
    let body = "By Jane Doe, Senior Correspondent\n\
        Updated: March 3, 2024 10:15 a.m. ET\n\n\
        The city council voted on Tuesday to approve a plan to rebuild the ageing water system.\n\n\
        By 2030, more than 400 miles of lead pipes will have been replaced, officials said.";
    let r = server
        .client()
        .summarize(pb::SummarizeRequest {
            article: Some(article("byline", "", body)),
            options: Some(pb::SummaryOptions { all_sentences: true, ..Default::default() }),
            return_removed: true,
        })
        .await
        .expect("summarize")
        .into_inner();
    let s = r.summary.expect("summary");
    assert_eq!(s.total_sentences, 2, "{:?}", s.sentences);
    assert!(s.sentences.iter().any(|x| x.text.starts_with("By 2030")));
    let cleaning = r.cleaning.expect("cleaning");
    let removed: Vec<(&str, &str)> =
        cleaning.removed.iter().map(|b| (b.kind.as_str(), &body[b.byte_start as usize..b.byte_end as usize])).collect();
    assert_eq!(
        removed,
        [("byline", "By Jane Doe, Senior Correspondent"), ("navigation", "Updated: March 3, 2024 10:15 a.m. ET")]
    );
}
