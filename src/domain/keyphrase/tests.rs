use std::sync::Arc;

use super::*;
use crate::domain::taxonomy::Taxonomies;
use crate::domain::{Article, Format, Limits, Pipeline};

fn pipeline() -> Pipeline {
    Pipeline::new(Limits::default(), Arc::new(Taxonomies::default()))
}

fn phrases(title: &str, body: &str, lang: Option<&str>, max: usize) -> Vec<String> {
    let doc = pipeline()
        .prepare(&Article { title, body, format: Format::Text, language: lang })
        .unwrap_or_else(|e| panic!("prepare failed: {e}"));
    extract(&doc, max).into_iter().map(|k| k.text).collect()
}

fn lower(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

const NAMES: &str = "Premier Li Qiang visited a research centre of the Chinese Academy of Sciences on Monday. \
Li said the academy would lead work on new batteries. Li also met engineers at the Chinese Academy of Sciences. \
Researchers showed Li a battery prototype. The battery stores more energy than older designs.";

#[test]
fn proper_names_stay_whole() {
    let got = phrases("", NAMES, Some("en"), 10);
    let low = lower(&got);
    assert!(low.iter().any(|p| p == "li qiang"), "{got:?}");
    assert!(low.iter().any(|p| p == "chinese academy of sciences"), "{got:?}");
    // The name is not also given in pieces.
    assert!(!low.iter().any(|p| p == "li" || p == "qiang"), "{got:?}");
}

#[test]
fn plurals_merge() {
    let body = "Rare earths are mined in Jiangxi. The rare earth trade is growing. \
Exports of rare earths rose again, and rare earth prices followed.";
    let doc = pipeline()
        .prepare(&Article { title: "", body, format: Format::Text, language: Some("en") })
        .unwrap_or_else(|e| panic!("{e}"));
    let kps = extract(&doc, 10);
    let rare: Vec<&Keyphrase> = kps.iter().filter(|k| k.text.to_lowercase().starts_with("rare earth")).collect();
    assert_eq!(rare.len(), 1, "{kps:?}");
    assert_eq!(rare.first().map(|k| k.occurrences.len()), Some(4), "{kps:?}");
    assert!(kps.first().is_some_and(|k| k.text.to_lowercase().starts_with("rare earth")), "{kps:?}");
}

#[test]
fn no_stop_word_at_either_edge() {
    let doc = pipeline()
        .prepare(&Article { title: "", body: NAMES, format: Format::Text, language: Some("en") })
        .unwrap_or_else(|e| panic!("{e}"));
    let text = doc.text.as_ref();
    for k in extract(&doc, 50) {
        let words: Vec<&str> = k.text.split_whitespace().collect();
        for w in [words.first(), words.last()].into_iter().flatten() {
            // A stop word may only be a name here: "Li" in "Li Qiang", never
            // written in lower case.
            let lower = w.to_lowercase();
            let name = w.starts_with(char::is_uppercase) && !text.contains(&format!(" {lower} "));
            assert!(name || !doc.lang.is_stop_word(&lower), "{:?} has a stop word at an edge", k.text);
        }
        assert!(!k.text.to_lowercase().contains(" the "), "{:?}", k.text);
    }
}

#[test]
fn occurrences_are_exact() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    let doc = pipeline()
        .prepare(&Article { title, body, format: Format::Text, language: None })
        .unwrap_or_else(|e| panic!("{e}"));
    let kps = extract(&doc, 30);
    assert!(!kps.is_empty());
    let stem = |s: &str| -> Vec<String> {
        let st = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| st.stem(&w.to_lowercase()).into_owned())
            .collect()
    };
    for k in &kps {
        assert!(!k.occurrences.is_empty());
        assert!(k.score > 0.0 && k.score <= 1.0);
        for occ in &k.occurrences {
            let got = doc.text.get(occ.range()).unwrap_or_else(|| panic!("bad span {occ:?}"));
            assert_eq!(stem(got), stem(&k.text), "{got:?} vs {:?}", k.text);
        }
        let sorted = k.occurrences.windows(2).all(|w| w[0].start < w[1].start);
        assert!(sorted, "{:?}", k.occurrences);
    }
}

#[test]
fn seed_article_phrases() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/seed-article.txt"))
        .unwrap_or_else(|e| panic!("{e}"));
    let (title, body) = text.split_once('\n').unwrap_or(("", &text));
    let doc = pipeline()
        .prepare(&Article { title, body, format: Format::Text, language: None })
        .unwrap_or_else(|e| panic!("{e}"));
    let kps = extract(&doc, 10);
    let got: Vec<String> = kps.iter().map(|k| k.text.to_lowercase()).collect();
    assert_eq!(got.first().map(String::as_str), Some("rare earths"), "{got:?}");
    assert!(got.iter().any(|p| p == "li qiang"), "{got:?}");
    // Nothing comes from the clutter tail ("Related Posts", "Lenovo", ...).
    let tail = body.find("Related Posts").unwrap_or(body.len());
    let tail_start = doc.text.len() - (body.len() - tail);
    for k in extract(&doc, 100) {
        assert!(k.occurrences.iter().all(|o| o.end <= tail_start), "{:?} comes from the clutter", k.text);
        assert!(!k.text.to_lowercase().contains("lenovo"), "{:?}", k.text);
    }
}

#[test]
fn german_and_french_behave() {
    let de = "Die Bundesregierung hat am Dienstag neue Regeln für Windkraft beschlossen. \
Die Windkraft soll bis 2030 verdoppelt werden, sagte Wirtschaftsminister Robert Habeck. \
Robert Habeck nannte die Windkraft den wichtigsten Baustein der Energiewende.";
    let got = phrases("", de, None, 5);
    assert_eq!(got.first().map(String::as_str), Some("Windkraft"), "{got:?}");
    assert!(got.iter().any(|p| p == "Robert Habeck"), "{got:?}");
    for p in &got {
        let first = p.split_whitespace().next().unwrap_or("").to_lowercase();
        assert!(!crate::domain::lang::Lang::De.is_stop_word(&first), "{p:?}");
    }
    let fr = "Le gouvernement a présenté mardi un plan pour l'énergie éolienne. \
Le plan prévoit de doubler la production éolienne d'ici 2030. Le ministre a défendu ce plan devant la Banque de France.";
    let got = phrases("", fr, Some("fr"), 10);
    assert!(got.iter().any(|p| p == "plan"), "{got:?}");
    assert!(got.iter().any(|p| p == "Banque de France"), "{got:?}");
}

#[test]
fn chinese_phrases_are_harmless() {
    let zh = "中国科学院今天发布了新的电池研究成果。中国科学院的研究人员表示，新电池的能量密度更高。\
稀土是电池产业的重要资源。中国科学院将继续研究稀土材料。";
    let doc = pipeline()
        .prepare(&Article { title: "", body: zh, format: Format::Text, language: Some("zh") })
        .unwrap_or_else(|e| panic!("{e}"));
    let kps = extract(&doc, 5);
    let got: Vec<&str> = kps.iter().map(|k| k.text.as_str()).collect();
    assert!(got.iter().take(3).any(|p| p.contains("科学院")), "{got:?}");
    assert!(got.contains(&"稀土"), "{got:?}");
    for k in &kps {
        assert!(k.text.chars().count() >= 2, "{got:?}");
        assert!(!k.text.starts_with('的') && !k.text.ends_with('的'), "{got:?}");
        for occ in &k.occurrences {
            assert_eq!(doc.text.get(occ.range()), Some(k.text.as_str()));
        }
    }
}

#[test]
fn never_panics_on_odd_input() {
    for body in
        ["", "   ", "a", "The the the.", "—-–", "1 2 3 4 5", "ＡＢＣ 漢字 ひらがな", "O'Neil's O'Neil's", "x\u{0}y"]
    {
        if let Ok(doc) = pipeline().prepare(&Article { title: "Of the", body, format: Format::Text, language: None }) {
            let _ = extract(&doc, 10);
            assert!(extract(&doc, 0).is_empty());
        }
    }
}

#[test]
fn pronouns_the_spelling_capitalises_are_not_names() {
    // "I'm" and German "Sie" are capitalised everywhere, so their capital is
    // no sign of a name (unlike "Li" or "US" above).
    let en = "The singer said the charity premiere went well, and I'm told I've never seen him happier. \
The premiere raised money for the charity. He thanked the charity, and I'm sure the singer will return.";
    let got = lower(&phrases("", en, Some("en"), 10));
    assert!(!got.iter().any(|p| p.starts_with("i'") || p.starts_with("i\u{2019}")), "{got:?}");
    assert!(got.iter().any(|p| p == "charity premiere" || p == "charity"), "{got:?}");
    let de = "Besuchen Sie uns auf der Messe in Köln. Dort zeigen wir Ihnen unsere neue Plattform für den Handel. \
Kommen Sie vorbei, und wir beraten Sie gern zur Plattform.";
    let got = lower(&phrases("", de, Some("de"), 10));
    assert!(!got.iter().any(|p| p.split(' ').any(|w| w == "sie" || w == "ihnen")), "{got:?}");
}
