//! The whole analyse path, as the server runs it: prepare (text or HTML),
//! summarise with every sentence, tag. Never panics; every sentence span
//! slices the analysed text exactly.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use precis::domain::taxonomy::Taxonomies;
use precis::domain::{Article, Format, Limits, Pipeline, SummaryOptions, TagOptions};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(Limits::default(), Arc::new(Taxonomies::default())))
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(s) = std::str::from_utf8(rest) else { return };
    let (title, body) = s.split_once('\u{1}').unwrap_or(("", s));
    let format = if flags & 1 == 1 { Format::Html } else { Format::Text };
    let article = Article { title, body, format, language: None };
    let p = pipeline();
    let Ok(doc) = p.prepare(&article) else { return };
    let opts = SummaryOptions { all_sentences: true, ..SummaryOptions::default() };
    if let Ok(summary) = p.summarize(&doc, &opts) {
        for s in &summary.sentences {
            assert!(doc.text.get(s.span.start..s.span.end).is_some(), "span does not slice the text");
        }
    }
    let small = SummaryOptions { max_sentences: Some(usize::from(flags >> 4) + 1), ..SummaryOptions::default() };
    let _ = p.summarize(&doc, &small);
    let _ = p.tag(&doc, &TagOptions::default());
});
