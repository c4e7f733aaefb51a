//! Properties of the text pipeline over arbitrary input: any string, as text
//! or HTML, goes through prepare + summarize(all sentences) + tag without a
//! panic, and every sentence span slices the analysed text exactly. The
//! same invariants are fuzzed in `fuzz/` (cargo fuzz); this runs in CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use precis::domain::taxonomy::Taxonomies;
use precis::domain::{clean, html, segment, Article, Format, Limits, Pipeline, SummaryOptions, TagOptions};
use proptest::prelude::*;

fn pipeline() -> Pipeline {
    Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()))
}

/// Strings that hit the interesting paths: sentence ends, quotes, blank
/// lines, tags, clutter phrases, scripts without spaces, controls.
fn texty() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("The minister said. ".to_string()),
            Just("Dr. Smith".to_string()),
            Just("U.S. ".to_string()),
            Just("\n\n".to_string()),
            Just("\r\n".to_string()),
            Just("\"Quoted!\" ".to_string()),
            Just("…".to_string()),
            Just("Related Posts\n".to_string()),
            Just("Leave a Reply\n".to_string()),
            Just("<p>".to_string()),
            Just("</div>".to_string()),
            Just("<script>x</script>".to_string()),
            Just("東京で会議。".to_string()),
            Just("นายกรัฐมนตรี".to_string()),
            Just("مرحبا. ".to_string()),
            Just("\u{0}\u{1}\u{200b}\u{feff}".to_string()),
            Just("1.5 ".to_string()),
            "\\PC{0,12}",
            any::<String>(),
        ],
        0..24,
    );
    pieces.prop_map(|v| v.concat())
}

fn check(title: &str, body: &str, format: Format) {
    let p = pipeline();
    let article = Article { title, body, format, language: None };
    let Ok(doc) = p.prepare(&article) else { return };
    for s in &doc.sentences {
        assert!(doc.text.get(s.span.start..s.span.end).is_some(), "document sentence span {:?}", s.span);
    }
    let all = SummaryOptions { all_sentences: true, ..SummaryOptions::default() };
    let summary = p.summarize(&doc, &all).expect("valid options");
    for s in &summary.sentences {
        let slice = doc.text.get(s.span.start..s.span.end);
        assert!(slice.is_some(), "summary span {:?} does not slice the text", s.span);
    }
    let short = SummaryOptions { max_sentences: Some(2), max_chars: Some(80), ..SummaryOptions::default() };
    let _ = p.summarize(&doc, &short).expect("valid options");
    let _ = p.tag(&doc, &TagOptions::default()).expect("default tagging");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_analyses_with_exact_spans(title in "\\PC{0,40}", body in texty()) {
        check(&title, &body, Format::Text);
    }

    #[test]
    fn any_html_analyses_with_exact_spans(body in texty()) {
        check("", &body, Format::Html);
    }

    #[test]
    fn clean_and_segment_spans_are_ordered_and_on_boundaries(text in texty()) {
        let removed = clean::find_clutter(&text);
        let regions = clean::kept_regions(text.len(), &removed);
        let mut out = Vec::new();
        let mut paragraph = 0;
        for r in &regions {
            paragraph = segment::split_region(&text, *r, paragraph, &mut out);
        }
        let mut last = 0;
        for s in &out {
            prop_assert!(s.span.start >= last && s.span.start <= s.span.end);
            prop_assert!(text.get(s.span.start..s.span.end).is_some());
            last = s.span.end;
        }
    }

    #[test]
    fn html_extraction_never_panics(page in texty()) {
        let _ = html::extract(&page);
    }
}
