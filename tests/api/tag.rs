use precis::grpc::pb;

use crate::helpers::*;

#[tokio::test]
async fn seed_keyphrases_without_clutter_and_occurrences() {
    let server = spawn().await;
    let a = seed_article();
    let body = a.body.clone();
    let r = server
        .client()
        .tag(pb::TagRequest {
            article: Some(a),
            options: Some(pb::TagOptions { max_keyphrases: 8, keyphrase_occurrences: true, ..Default::default() }),
            return_removed: false,
        })
        .await
        .expect("tag")
        .into_inner();
    assert_eq!(r.id, "seed");
    assert!(!r.keyphrases.is_empty() && r.keyphrases.len() <= 8);
    for k in &r.keyphrases {
        for c in CLUTTER {
            assert!(!k.text.contains(c), "clutter keyphrase {}", k.text);
        }
        assert!(!k.occurrences.is_empty());
        for o in &k.occurrences {
            assert!(body.get(o.byte_start as usize..o.byte_end as usize).is_some());
        }
    }
    assert!(r.keyphrases.iter().any(|k| k.text.to_lowercase().contains("rare earth")));
}

#[tokio::test]
async fn list_taxonomies_matches_tagging() {
    let server = spawn().await;
    let mut c = server.client();
    let list = c.list_taxonomies(pb::ListTaxonomiesRequest {}).await.expect("list").into_inner();
    let r = c
        .tag(pb::TagRequest { article: Some(seed_article()), options: None, return_removed: false })
        .await
        .expect("tag")
        .into_inner();
    if list.taxonomies.is_empty() {
        assert!(r.topics.is_empty(), "no taxonomy loaded: no topics may be invented");
    } else {
        for t in &r.topics {
            let tax = list.taxonomies.iter().find(|x| x.name == t.taxonomy).expect("topic from a listed taxonomy");
            assert!(tax.labels.contains(&t.label));
            assert!((0.0..=1.0).contains(&t.score));
        }
    }
}

#[tokio::test]
async fn builtin_news_taxonomy_tags_the_seed_sensibly() {
    let server = spawn().await;
    let mut c = server.client();
    let list = c.list_taxonomies(pb::ListTaxonomiesRequest {}).await.expect("list").into_inner();
    let names: Vec<&str> = list.taxonomies.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["news", "reuters"]);
    let news = &list.taxonomies[0];
    assert!(news.is_default && !news.multi_label);
    assert!(news.model_version.starts_with("1-"));
    assert!(list.taxonomies[1].multi_label);
    let r = c
        .tag(pb::TagRequest { article: Some(seed_article()), options: None, return_removed: false })
        .await
        .expect("tag")
        .into_inner();
    let top = r.topics.first().expect("a topic above the default threshold");
    assert_eq!(top.taxonomy, "news");
    assert!(["business", "world", "technology", "politics"].contains(&top.label.as_str()), "{top:?}");
    // A threshold nothing reaches gives "no topic", not a forced guess.
    let none = c
        .tag(pb::TagRequest {
            article: Some(seed_article()),
            options: Some(pb::TagOptions { min_score: 0.999, taxonomies: vec!["news".into()], ..Default::default() }),
            return_removed: false,
        })
        .await
        .expect("tag")
        .into_inner();
    assert!(none.topics.is_empty());
}
