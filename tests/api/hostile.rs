//! Hostile and odd input, through the real server: every case gets a clear
//! status (never INTERNAL or UNKNOWN), no case panics, and each is answered
//! within a bounded time. Successful answers keep the span contract: each
//! sentence is exactly the bytes it points at.

use std::time::{Duration, Instant};

use precis::grpc::pb;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::Code;

use crate::helpers::*;

/// The longest any single case may take (debug build, shared machine).
const CASE_BUDGET: Duration = Duration::from_secs(30);

/// What a case must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A successful answer.
    Ok,
    /// This status code.
    Status(Code),
}

struct Case {
    name: &'static str,
    req: pb::AnalyzeRequest,
    expect: Expect,
}

fn text(body: impl Into<String>) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest {
        article: Some(pb::Article { id: "h".into(), body: body.into(), ..Default::default() }),
        return_text: true,
        ..Default::default()
    }
}

fn html(body: impl Into<String>) -> pb::AnalyzeRequest {
    let mut r = text(body);
    if let Some(a) = r.article.as_mut() {
        a.format = pb::Format::Html as i32;
    }
    r
}

fn with_title(mut r: pb::AnalyzeRequest, title: impl Into<String>) -> pb::AnalyzeRequest {
    if let Some(a) = r.article.as_mut() {
        a.title = title.into();
    }
    r
}

fn with_lang(mut r: pb::AnalyzeRequest, lang: &str) -> pb::AnalyzeRequest {
    if let Some(a) = r.article.as_mut() {
        a.language = lang.into();
    }
    r
}

fn summary(o: pb::SummaryOptions) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest { summary_options: Some(o), ..text(seed().1) }
}

fn tags(o: pb::TagOptions) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest { tag_options: Some(o), ..text(seed().1) }
}

fn ok(name: &'static str, req: pb::AnalyzeRequest) -> Case {
    Case { name, req, expect: Expect::Ok }
}

fn status(name: &'static str, req: pb::AnalyzeRequest, code: Code) -> Case {
    Case { name, req, expect: Expect::Status(code) }
}

fn cases() -> Vec<Case> {
    let sentence = "The committee met on Tuesday to discuss the budget for next year";
    let no_punct: String = std::iter::repeat_n("word", 20_000).collect::<Vec<_>>().join(" ");
    let one_word_sentences = "Word. ".repeat(100_000);
    let nested_div = format!(
        "{}<p>A paragraph deep inside ten thousand divs has real words in it.</p>{}",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    let nested_ok = format!(
        "{}<p>A paragraph inside four hundred divs has real words in it.</p>{}",
        "<div>".repeat(400),
        "</div>".repeat(400)
    );
    let nested_inline = format!(
        "<p>{}Bold words at the bottom of the pile are still words here.{}</p>",
        "<b><i>".repeat(5_000),
        "</i></b>".repeat(5_000)
    );
    let unclosed_ok = format!("<p>{}Text after a hundred unclosed tags is text.", "<span><em>".repeat(100));
    let unclosed = format!("<p>{}Text after a thousand unclosed tags is text.", "<span><em>".repeat(1_000));
    vec![
        // Empty and blank.
        status("empty body", text(""), Code::InvalidArgument),
        status("whitespace only", text("  \n\t \r\n "), Code::InvalidArgument),
        status("unicode whitespace only", text("\u{3000}\u{a0}\u{2003}\u{2028}\n"), Code::InvalidArgument),
        status("no article", pb::AnalyzeRequest::default(), Code::InvalidArgument),
        // Tiny.
        ok("one word", text("Hello")),
        ok("one character", text("a")),
        ok("one word with title", with_title(text("Hello"), "Hello")),
        // Size.
        status("10 MB body", text("x".repeat(10 << 20)), Code::ResourceExhausted),
        status("body one byte over the limit", text("y".repeat((1 << 20) + 1)), Code::ResourceExhausted),
        ok("100,000-character sentence without punctuation", text(no_punct.clone())),
        ok("100,000-character word", text("z".repeat(100_000))),
        ok("100,000 one-word sentences", text(one_word_sentences)),
        ok("500,000 newlines around one word", text(format!("{}word{}", "\n".repeat(250_000), "\n".repeat(250_000)))),
        // Control characters.
        ok("NUL characters only", text("\0\0\0\0")),
        ok("NUL inside words", text("Hello\0world. Second\0sentence here.")),
        ok("C0 control characters", text((1u8..32).map(char::from).collect::<String>() + " Some text. More.")),
        ok("C1 and bidi control characters", text("Text\u{85}with\u{202e}override\u{200b}and\u{feff}marks. Next one.")),
        ok("byte order mark first", text("\u{feff}The first sentence. The second sentence.")),
        ok("CR-only line endings", text("First line here.\rSecond line here.\r\rThird paragraph.")),
        // Punctuation, numbers, symbols.
        ok("only punctuation", text("!!! ??? ... ,,, ;;; --- ''' \"\"\" ()")),
        ok("only numbers", text("1234 5678 90. 3.14159 2,718 1e10 -42 +7")),
        ok("emoji", text("🚀🔥 Launch day! 🎉🎉🎉 The rocket 🚀 flew. 👍🏽👨‍👩‍👧‍👦")),
        ok(
            "combining marks pile-up",
            text(format!("Za{}lgo text. Another one.", "\u{301}\u{302}\u{303}".repeat(3_000))),
        ),
        // Scripts.
        ok("Arabic RTL", text("ذهب الرئيس إلى المدينة يوم الثلاثاء. وقال إن الاقتصاد ينمو.")),
        ok("Hebrew RTL", text("הממשלה אישרה את התקציב. השר אמר שהצמיחה תימשך.")),
        ok("mixed scripts", text("Tokyo 東京 Москва القاهرة Αθήνα. Mixed 混合 смешанный text. नमस्ते दुनिया.")),
        ok("Thai without spaces", text("นายกรัฐมนตรีเดินทางไปเชียงใหม่เมื่อวันอังคารเพื่อประชุมเรื่องงบประมาณ".repeat(50))),
        ok("CJK without spaces", text("国务院总理周二在北京主持召开会议讨论明年的预算问题".repeat(200))),
        ok("Japanese", text("首相は火曜日に東京で会議を開いた。予算について話し合った。")),
        ok("language hint disagrees with text", with_lang(text(seed().1), "ja")),
        ok("unknown but well-formed language", with_lang(text(seed().1), "zz")),
        status("malformed language", with_lang(text(seed().1), "not a tag!"), Code::InvalidArgument),
        // HTML.
        // Tree building is quadratic in depth: refused past max_html_depth.
        status("HTML nested 10,000 levels", html(nested_div), Code::InvalidArgument),
        ok("HTML nested 400 levels", html(nested_ok)),
        status("HTML inline nested 10,000 levels", html(nested_inline), Code::InvalidArgument),
        status("HTML with 1,000 unclosed tag pairs", html(unclosed), Code::InvalidArgument),
        ok("HTML with 100 unclosed tag pairs", html(unclosed_ok)),
        status(
            "HTML with only scripts",
            html("<html><script>var a=1;</script><script>alert(2)</script><style>p{}</style></html>"),
            Code::InvalidArgument,
        ),
        status("HTML only tags, no text", html("<div><span></span><br><hr></div>"), Code::InvalidArgument),
        // An unclosed comment swallows the rest: no article text.
        status("HTML that is not HTML", html("<<<>>><<!-- <? &&&;; </ > words."), Code::InvalidArgument),
        ok("HTML of stray angle brackets", html("<p>a < b > c <3 </ > and plain words follow here.</p>")),
        ok("HTML body given as text", text("<html><body><p>Marked up, but sent as text.</p></body></html>")),
        // Titles and ids.
        ok("title longer than the body", with_title(text("Short body."), format!("{sentence} ").repeat(500))),
        ok("title of control characters", with_title(text(seed().1), "\0\u{1}\u{7f}")),
        status(
            "id over 1024 bytes",
            pb::AnalyzeRequest {
                article: Some(pb::Article { id: "i".repeat(2000), body: "Text.".into(), ..Default::default() }),
                ..Default::default()
            },
            Code::InvalidArgument,
        ),
        // Options.
        status(
            "huge max_sentences",
            summary(pb::SummaryOptions { max_sentences: u32::MAX, ..Default::default() }),
            Code::InvalidArgument,
        ),
        ok("max_sentences at its limit", summary(pb::SummaryOptions { max_sentences: 1000, ..Default::default() })),
        ok("huge max_chars", summary(pb::SummaryOptions { max_chars: u32::MAX, ..Default::default() })),
        ok("max_chars of one", summary(pb::SummaryOptions { max_chars: 1, ..Default::default() })),
        ok("max_words of one", summary(pb::SummaryOptions { max_words: 1, ..Default::default() })),
        status(
            "NaN ratio",
            summary(pb::SummaryOptions { ratio: f64::NAN, ..Default::default() }),
            Code::InvalidArgument,
        ),
        status(
            "negative ratio",
            summary(pb::SummaryOptions { ratio: -0.5, ..Default::default() }),
            Code::InvalidArgument,
        ),
        ok("negative zero ratio (unset)", summary(pb::SummaryOptions { ratio: -0.0, ..Default::default() })),
        status(
            "infinite ratio",
            summary(pb::SummaryOptions { ratio: f64::INFINITY, ..Default::default() }),
            Code::InvalidArgument,
        ),
        ok("subnormal ratio", summary(pb::SummaryOptions { ratio: 1e-310, ..Default::default() })),
        status(
            "unknown order enum",
            summary(pb::SummaryOptions { order: 99, ..Default::default() }),
            Code::InvalidArgument,
        ),
        status(
            "negative order enum",
            summary(pb::SummaryOptions { order: -1, ..Default::default() }),
            Code::InvalidArgument,
        ),
        status(
            "unknown format enum",
            pb::AnalyzeRequest {
                article: Some(pb::Article { body: "Text.".into(), format: 7, ..Default::default() }),
                ..Default::default()
            },
            Code::InvalidArgument,
        ),
        ok(
            "all sentences of 25,000 (over the 20,000 considered)",
            pb::AnalyzeRequest {
                summary_options: Some(pb::SummaryOptions { all_sentences: true, ..Default::default() }),
                ..text("Go now. ".repeat(25_000))
            },
        ),
        status(
            "unknown taxonomy",
            tags(pb::TagOptions { taxonomies: vec!["no-such".into()], ..Default::default() }),
            Code::NotFound,
        ),
        status(
            "taxonomy name of 10,000 bytes",
            tags(pb::TagOptions { taxonomies: vec!["\u{1}x".repeat(5_000)], ..Default::default() }),
            Code::NotFound,
        ),
        status(
            "NaN min_score",
            tags(pb::TagOptions { min_score: f32::NAN, ..Default::default() }),
            Code::InvalidArgument,
        ),
        status(
            "huge max_keyphrases",
            tags(pb::TagOptions { max_keyphrases: u32::MAX, ..Default::default() }),
            Code::InvalidArgument,
        ),
        status(
            "huge max_topics",
            tags(pb::TagOptions { max_topics: u32::MAX, ..Default::default() }),
            Code::InvalidArgument,
        ),
    ]
}

/// Checks that each returned sentence is exactly the text it points at.
fn check_spans(name: &str, r: &pb::AnalyzeResponse) {
    let Some(s) = &r.summary else { return };
    for sent in &s.sentences {
        let got = r.text.get(sent.byte_start as usize..sent.byte_end as usize);
        assert_eq!(got, Some(sent.text.as_str()), "{name}: span {}..{}", sent.byte_start, sent.byte_end);
    }
}

#[tokio::test]
async fn hostile_inputs_get_clear_answers() {
    let server = spawn().await;
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let mut c = server.client().max_decoding_message_size(64 << 20).max_encoding_message_size(64 << 20);
        let started = Instant::now();
        let got = tokio::time::timeout(CASE_BUDGET, c.analyze(case.req)).await;
        let took = started.elapsed();
        let outcome = match got {
            Err(_) => Err(format!("no answer within {CASE_BUDGET:?}")),
            Ok(Ok(r)) => {
                let r = r.into_inner();
                check_spans(case.name, &r);
                if case.expect == Expect::Ok {
                    Ok(())
                } else {
                    Err(format!("succeeded, expected {:?}", case.expect))
                }
            }
            Ok(Err(s)) => {
                if matches!(s.code(), Code::Internal | Code::Unknown) || s.message().is_empty() {
                    Err(format!("unclear status {:?}: {:?}", s.code(), s.message()))
                } else if case.expect == Expect::Status(s.code()) {
                    Ok(())
                } else {
                    Err(format!("got {:?} ({}), expected {:?}", s.code(), s.message(), case.expect))
                }
            }
        };
        eprintln!("{:<50} {:>8.1?} {}", case.name, took, if outcome.is_ok() { "ok" } else { "FAIL" });
        if let Err(e) = outcome {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
    // The server still serves after all that.
    let r = server.client().analyze(pb::AnalyzeRequest { article: Some(seed_article()), ..Default::default() }).await;
    assert!(r.is_ok(), "{r:?}");
}

/// A request whose strings are raw bytes, so a test can put invalid UTF-8 on
/// the wire (the generated types cannot hold it). Same field numbers as
/// `precis.v1.AnalyzeRequest`.
#[derive(Clone, PartialEq, prost::Message)]
struct RawRequest {
    #[prost(message, optional, tag = "1")]
    article: Option<RawArticle>,
}

/// `precis.v1.Article` with bytes for strings.
#[derive(Clone, PartialEq, prost::Message)]
struct RawArticle {
    #[prost(bytes = "vec", tag = "1")]
    id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    title: Vec<u8>,
    #[prost(bytes = "vec", tag = "3")]
    body: Vec<u8>,
}

fn raw(title: &[u8], body: &[u8]) -> RawRequest {
    RawRequest { article: Some(RawArticle { id: b"raw".to_vec(), title: title.to_vec(), body: body.to_vec() }) }
}

type RawCodec = tonic_prost::ProstCodec<RawRequest, pb::AnalyzeResponse>;

#[tokio::test]
async fn invalid_utf8_on_the_wire_is_invalid_argument() {
    let server = spawn().await;
    let cases: Vec<(&str, RawRequest)> = vec![
        ("invalid UTF-8 body", raw(b"", b"Good start \xff\xfe then junk.")),
        ("invalid UTF-8 title", raw(b"\xc3\x28", b"A fine body of text.")),
        ("UTF-16 surrogate encoded in UTF-8", raw(b"", b"Lone \xed\xa0\x80 surrogate.")),
        ("truncated multibyte sequence", raw(b"", b"Ends in the middle \xe6\x97")),
        ("overlong encoding of NUL", raw(b"", b"Overlong \xc0\x80 NUL.")),
    ];
    for (name, req) in cases {
        let mut grpc = tonic::client::Grpc::new(server.channel.clone());
        grpc.ready().await.expect("ready");
        let path = PathAndQuery::from_static("/precis.v1.Precis/Analyze");
        let got = tokio::time::timeout(CASE_BUDGET, grpc.unary(tonic::Request::new(req), path, RawCodec::default()))
            .await
            .expect(name);
        let err = got.expect_err(name);
        assert_eq!(err.code(), Code::InvalidArgument, "{name}: {err:?}");
        assert!(err.message().contains("UTF-8"), "{name}: {:?}", err.message());
    }
    // On a stream, the message ends the stream with the same clear status.
    let mut grpc = tonic::client::Grpc::new(server.channel.clone());
    grpc.ready().await.expect("ready");
    let path = PathAndQuery::from_static("/precis.v1.Precis/AnalyzeStream");
    let items = tokio_stream::iter(vec![raw(b"", b"Fine. Text."), raw(b"", b"Bad \xff byte.")]);
    let mut rx =
        grpc.streaming(tonic::Request::new(items), path, RawCodec::default()).await.expect("stream").into_inner();
    let first = rx.message().await.expect("first answer").expect("first item");
    assert!(first.error.is_none(), "{first:?}");
    let err = rx.message().await.expect_err("stream ends with a status");
    assert_eq!(err.code(), Code::InvalidArgument, "{err:?}");
}

#[tokio::test]
async fn a_stream_of_100000_tiny_articles() {
    let server = spawn_with(|c| c.stream_concurrency = 8).await;
    const N: usize = 100_000;
    let items = tokio_stream::iter((0..N).map(|i| pb::AnalyzeRequest {
        article: Some(pb::Article {
            id: i.to_string(),
            // One in 100 is analysed; the others are blank and answered with
            // their own INVALID_ARGUMENT (keeps a debug-build run short while
            // the stream machinery carries all 100,000).
            body: if i % 100 == 7 { "Hi there.".into() } else { " ".into() },
            ..Default::default()
        }),
        ..Default::default()
    }));
    let started = Instant::now();
    let mut rx = server.client().analyze_stream(items).await.expect("stream").into_inner();
    let mut n = 0usize;
    let mut errors = 0usize;
    while let Some(r) =
        tokio::time::timeout(CASE_BUDGET, rx.message()).await.expect("next answer in time").expect("item")
    {
        assert_eq!(r.id, n.to_string(), "order kept");
        if let Some(e) = &r.error {
            assert_eq!(e.code, Code::InvalidArgument as i32);
            errors += 1;
        }
        n += 1;
    }
    eprintln!("{N} articles in {:.1?}", started.elapsed());
    assert_eq!(n, N, "every article answered");
    assert_eq!(errors, N - N / 100, "each blank article gets its own error");
}
