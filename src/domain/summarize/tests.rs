//! Behaviour of the summariser on the whole path (prepare → summarize).

use std::sync::Arc;

use super::*;
use crate::domain::taxonomy::Taxonomies;
use crate::domain::{Article, Limits, Pipeline};

fn pipe() -> Pipeline {
    Pipeline::new(Limits { max_body_bytes: 4 << 20, ..Limits::default() }, Arc::new(Taxonomies::default()))
}

const SEED: &str = include_str!("../../../tests/data/seed-article.txt");

fn seed() -> (&'static str, &'static str) {
    SEED.split_once('\n').unwrap_or(("", SEED))
}

fn run(title: &str, body: &str, opts: &SummaryOptions) -> (Summary, Vec<String>) {
    let p = pipe();
    let doc = p.prepare(&Article { title, body, ..Article::default() }).unwrap_or_else(|e| panic!("prepare: {e}"));
    let s = p.summarize(&doc, opts).unwrap_or_else(|e| panic!("summarize: {e}"));
    let texts = s.sentences.iter().map(|x| x.span.slice(&doc.text).to_string()).collect();
    (s, texts)
}

#[test]
fn default_is_three_sentences_in_document_order_with_scores_in_unit_range() {
    let (title, body) = seed();
    let (s, texts) = run(title, body, &SummaryOptions::default());
    assert_eq!(s.sentences.len(), 3);
    assert!(s.sentences.windows(2).all(|w| w[0].index < w[1].index));
    assert!(s.sentences.iter().all(|x| (0.0..=1.0).contains(&x.score)));
    assert!(texts.iter().all(|t| body.contains(t.as_str())), "spans of the body, never rewritten");
}

#[test]
fn all_sentences_have_scores_and_distinct_ranks_with_one_best() {
    let (title, body) = seed();
    let opts = SummaryOptions { all_sentences: true, order: Order::Score, ..SummaryOptions::default() };
    let (s, _) = run(title, body, &opts);
    assert_eq!(s.sentences.len(), s.total_sentences);
    let ranks: Vec<usize> = s.sentences.iter().map(|x| x.rank).collect();
    assert_eq!(ranks, (1..=s.total_sentences).collect::<Vec<_>>(), "score order = rank order");
    assert!(s.sentences.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(s.sentences.first().map(|x| x.score), Some(1.0));
}

#[test]
fn budgets_are_never_exceeded_and_sentences_never_cut() {
    let (title, body) = seed();
    for max_chars in [1usize, 50, 120, 300, 800] {
        for max_words in [None, Some(10), Some(40)] {
            let opts = SummaryOptions {
                max_sentences: Some(5),
                max_chars: Some(max_chars),
                max_words,
                ..SummaryOptions::default()
            };
            let (s, texts) = run(title, body, &opts);
            let chars: usize = texts.iter().map(|t| t.chars().count()).sum::<usize>() + texts.len().saturating_sub(1);
            assert!(chars <= max_chars, "{chars} > {max_chars}");
            if let Some(m) = max_words {
                assert!(texts.iter().map(|t| t.split_whitespace().count()).sum::<usize>() <= m);
            }
            assert!(s.sentences.len() <= 5);
        }
    }
    let opts = SummaryOptions { ratio: Some(0.25), ..SummaryOptions::default() };
    let (s, _) = run(title, body, &opts);
    assert_eq!(s.sentences.len(), sentence_budget(s.total_sentences, &opts));
}

#[test]
fn score_order_keeps_an_antecedent_before_its_dependent() {
    let body = "Acme Corp reported record profits for the third quarter on Monday. \
                The company said profits rose by a third on strong sales of widgets. \
                Rain fell in the north of the country. Widgets and profits made Acme Corp rich.";
    let opts = SummaryOptions { max_sentences: Some(2), order: Order::Score, ..SummaryOptions::default() };
    let (s, _) = run("Acme profits", body, &opts);
    let idx: Vec<usize> = s.sentences.iter().map(|x| x.index).collect();
    if let Some(p) = idx.iter().position(|&i| i == 1) {
        assert!(p > 0 && idx.get(p - 1) == Some(&0), "dependent sentence 1 without its antecedent: {idx:?}");
    }
}

/// An article whose middle is a chain of sentences that each lean on the
/// one before ("But its…", "It lost…", "However, the company…").
const CHAIN: &str = "Globex Media reported quarterly profits of $2bn on Wednesday, up 40% from a year earlier. \
    Globex said revenue rose 3% to $12bn, helped by advertising sales and its film studio. \
    Analysts had expected revenue of $11.5bn for the quarter. \
    But its own streaming service, Globex Play, had mixed fortunes in the quarter. \
    It lost 300,000 subscribers in the quarter as prices rose, and profits at Globex Play fell. \
    However, the company said Globex Play's profit before exceptional items rose 8% on advertising. \
    Globex shares rose 2% in New York trading after the results.";

#[test]
fn guard_never_returns_a_dependent_sentence_without_its_antecedent() {
    let p = pipe();
    for (title, body) in [seed(), ("Globex profits rise", CHAIN)] {
        let doc = p.prepare(&Article { title, body, ..Article::default() }).unwrap_or_else(|e| panic!("{e}"));
        for k in 1..7 {
            for order in [Order::Document, Order::Score] {
                let opts = SummaryOptions { max_sentences: Some(k), order, ..SummaryOptions::default() };
                let s = p.summarize(&doc, &opts).unwrap_or_else(|e| panic!("{e}"));
                let chosen: Vec<usize> = s.sentences.iter().map(|x| x.index).collect();
                for &i in &chosen {
                    if i > 0 && depends_on_previous(doc.sentence_text(i), doc.lang) {
                        assert!(chosen.contains(&(i - 1)), "{title}: {i} chosen without {} ({chosen:?})", i - 1);
                    }
                }
            }
        }
    }
}

#[test]
fn a_chain_of_dependent_sentences_comes_whole_or_not_at_all() {
    let p = pipe();
    let doc = p
        .prepare(&Article { title: "Globex profits rise", body: CHAIN, ..Article::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    let all = p
        .summarize(&doc, &SummaryOptions { all_sentences: true, context_guard: false, ..SummaryOptions::default() })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.total_sentences, 7, "the fixture splits into seven sentences");
    for k in 1..7 {
        let opts = SummaryOptions { max_sentences: Some(k), ..SummaryOptions::default() };
        let chosen: Vec<usize> =
            p.summarize(&doc, &opts).unwrap_or_else(|e| panic!("{e}")).sentences.iter().map(|x| x.index).collect();
        // "However…" (5) needs "It lost…" (4), which needs "But its…" (3).
        if chosen.contains(&5) {
            assert!(chosen.contains(&4) && chosen.contains(&3), "k = {k}: {chosen:?}");
        }
        if chosen.contains(&4) {
            assert!(chosen.contains(&3), "k = {k}: {chosen:?}");
        }
    }
}

#[test]
fn short_articles_come_back_whole() {
    for body in ["One sentence only.", "First point here. Second point there.", "A is here. B is there. C is gone."] {
        let (s, _) = run("", body, &SummaryOptions::default());
        assert_eq!(s.sentences.len(), s.total_sentences);
        let (r, _) = run("", body, &SummaryOptions { ratio: Some(0.1), ..SummaryOptions::default() });
        assert_eq!(r.sentences.len(), r.total_sentences);
    }
}

#[test]
fn text_without_sentence_boundaries_gets_a_bounded_summary() {
    let body = "word ".repeat(20_000);
    let (s, texts) = run("", &body, &SummaryOptions::default());
    assert!(!s.sentences.is_empty() && s.sentences.len() <= 3);
    assert!(texts.iter().map(String::len).sum::<usize>() < body.len());
}

#[test]
fn same_input_same_summary() {
    let (title, body) = seed();
    let opts = SummaryOptions { all_sentences: true, ..SummaryOptions::default() };
    let (a, _) = run(title, body, &opts);
    for _ in 0..3 {
        let (b, _) = run(title, body, &opts);
        assert_eq!(a, b);
    }
}

#[test]
fn ties_go_to_the_earlier_sentence() {
    let (order, rank) = ranking(&[0.5, 1.0, 0.5, 1.0]);
    assert_eq!(order, vec![1, 3, 0, 2]);
    assert_eq!(rank, vec![3, 1, 4, 2]);
}

#[test]
fn long_documents_are_summarised() {
    let (title, body) = seed();
    let long = vec![body; 300].join("\n\n");
    let (s, _) = run(title, &long, &SummaryOptions::default());
    assert_eq!(s.sentences.len(), 3);
}

#[test]
fn summary_vectors_keep_news_words_the_keyword_stop_list_drops() {
    // "government" and "million" are on the tokenizer's stop list but are not
    // function words: sentences sharing only them are similar.
    let p = pipe();
    let body = "The government spent a million. Government spending reached a million.";
    let doc = p.prepare(&Article { title: "", body, ..Article::default() }).unwrap_or_else(|e| panic!("{e}"));
    let v = Vectors::new(&doc);
    assert_eq!(v.len(), 2);
    assert!(v.similarity(0, 1) > 0.0);
}

#[test]
fn new_score_components_stay_in_unit_range() {
    let (title, body) = seed();
    let p = pipe();
    let doc = p.prepare(&Article { title, body, ..Article::default() }).unwrap_or_else(|e| panic!("{e}"));
    let w = Weights { backward: -0.5, length: 0.5, lead: 0.5, ..Weights::default() };
    let scores = score(&doc, &w);
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
    assert!(scores.contains(&1.0));
}

#[test]
fn lines_without_a_sentence_mark_are_fragments_only_alone_in_their_paragraph() {
    let p = pipe();
    let body = "September 10, 2018 |\n\n\
        Apple plans a new laptop with a scissor keyboard, according to industry sources.\n\n\
        The new keyboard via iFixit\n\n\
        The report says the display will stay at 13.3 inches (for now.)\n\n\
        \u{201c}It is a big change,\u{201d} an analyst said. It comes next year\n\n\
        4) Blade Runner (4K Ultra HD)";
    let doc = p.prepare(&Article { body, ..Article::default() }).unwrap_or_else(|e| panic!("prepare: {e}"));
    let fragments: Vec<usize> = (0..doc.sentences.len()).filter(|&i| is_fragment(&doc, i)).collect();
    let texts: Vec<&str> = fragments.iter().map(|&i| doc.sentence_text(i)).collect();
    // A sentence that ends its paragraph without a mark is not a fragment:
    // the paragraph has real sentences ("It comes next year").
    assert_eq!(texts, ["September 10, 2018 |", "The new keyboard via iFixit", "4) Blade Runner (4K Ultra HD)"]);
}

#[test]
fn an_article_of_fragments_keeps_its_ranking() {
    let p = pipe();
    let lines = "Apple plans a new laptop with a scissor keyboard\n\n\
        The scissor keyboard returns to the laptop next year\n\n\
        Analysts expect the laptop keyboard to sell well\n\n\
        A festival opens in Amsterdam";
    let dotted = lines.replace("\n\n", ".\n\n") + ".";
    let scores = |body: &str| {
        let doc = p.prepare(&Article { body, ..Article::default() }).unwrap_or_else(|e| panic!("prepare: {e}"));
        assert!((0..doc.sentences.len()).all(|i| is_fragment(&doc, i) != body.ends_with('.')));
        score(&doc, &Weights::default())
    };
    let (plain, marked) = (scores(lines), scores(&dotted));
    assert_eq!(plain.len(), 4);
    for (a, b) in plain.iter().zip(&marked) {
        assert!((a - b).abs() < 1e-6, "{plain:?} vs {marked:?}");
    }
}

#[test]
fn a_two_word_piece_of_the_main_names_does_not_lead_the_summary() {
    // "The VW ID." is what a segmenter leaves of "The VW ID. SPACE VIZZION is…":
    // two content words, both the article's most frequent names.
    let title = "The VW ID. SPACE VIZZION is a weird EV sports wagon";
    let body =
        "Volkswagen's first ID.3 car based on the new platform is expected next year, but VW keeps adding models. \
        The VW ID. SPACE VIZZION is the seventh VW electric car on the platform, and the most striking yet. \
        You could think of it as a futuristic wagon or a condensed SUV. \
        VW says that while the ID. SPACE VIZZION is only a concept, a production VW for North America is planned. \
        The VW ID. SPACE VIZZION is about as long as a VW Atlas SUV, but narrower and lower. \
        A 275 horsepower motor at the rear of the ID. SPACE VIZZION is powered by an 82 kWh battery.";
    let p = pipe();
    let doc = p.prepare(&Article { title, body, ..Article::default() }).unwrap_or_else(|e| panic!("prepare: {e}"));
    let v = Vectors::new(&doc);
    let f = Features::new(&doc, &v);
    let short: Vec<&str> = (0..doc.sentences.len()).filter(|&i| f.fragment[i]).map(|i| doc.sentence_text(i)).collect();
    // ("says", like "said", is a function word of news.)
    assert_eq!(short, ["The VW ID.", "VW says that while the ID.", "The VW ID."]);
    let (_, texts) = run(title, body, &SummaryOptions::default());
    assert!(!texts.iter().any(|t| t == "The VW ID."), "{texts:?}");
}
