//! Conversions between protobuf messages and domain types.
//!
//! Requests are destructured exhaustively, so a new proto field is a compile
//! error here until it is handled. Validation of request shape (enum values,
//! NaN, ranges) happens here, once, and reports every offending field with
//! its full path.

use crate::domain::document::Document;
use crate::domain::keyphrase::Keyphrase;
use crate::domain::summarize::Summary;
use crate::domain::taxonomy::Topic;
use crate::domain::{Error, Format, Order, Pipeline, SummaryOptions, TagOptions};

use super::pb;

/// A field path and what is wrong with it.
pub type Violations = Vec<(String, String)>;

/// Reads the format of an article.
pub fn format(value: i32, v: &mut Violations) -> Format {
    match pb::Format::try_from(value) {
        Ok(pb::Format::Unspecified | pb::Format::Text) => Format::Text,
        Ok(pb::Format::Html) => Format::Html,
        Err(_) => {
            v.push(("article.format".into(), format!("unknown format {value}; use FORMAT_TEXT or FORMAT_HTML")));
            Format::Text
        }
    }
}

/// Checks the article message itself.
pub fn check_article(article: Option<&pb::Article>, v: &mut Violations) -> Format {
    match article {
        None => {
            v.push(("article".into(), "is required".into()));
            Format::Text
        }
        Some(a) => {
            let pb::Article { id, title: _, body, format: f, language: _ } = a;
            if id.len() > 1024 {
                v.push(("article.id".into(), format!("{} bytes is over the limit of 1024", id.len())));
            }
            if body.trim().is_empty() {
                v.push(("article.body".into(), "must not be empty".into()));
            }
            format(*f, v)
        }
    }
}

/// Reads summary options; `prefix` is the field's path in the request.
pub fn summary_options(
    pipeline: &Pipeline,
    o: Option<&pb::SummaryOptions>,
    prefix: &str,
    v: &mut Violations,
) -> SummaryOptions {
    let Some(o) = o else { return SummaryOptions::default() };
    let pb::SummaryOptions { max_sentences, ratio, max_chars, order, all_sentences, max_words, disable_context_guard } =
        o;
    let order = match pb::Order::try_from(*order) {
        Ok(pb::Order::Unspecified | pb::Order::Document) => Order::Document,
        Ok(pb::Order::Score) => Order::Score,
        Err(_) => {
            v.push((format!("{prefix}.order"), format!("unknown order {order}; use ORDER_DOCUMENT or ORDER_SCORE")));
            Order::Document
        }
    };
    let ratio = if *ratio == 0.0 { None } else { Some(*ratio) };
    let opts = SummaryOptions {
        max_sentences: (*max_sentences > 0).then_some(*max_sentences as usize),
        ratio,
        max_chars: (*max_chars > 0).then_some(*max_chars as usize),
        max_words: (*max_words > 0).then_some(*max_words as usize),
        order,
        all_sentences: *all_sentences,
        context_guard: !*disable_context_guard,
    };
    if let Err(Error::InvalidArgument(errs)) = pipeline.check_summary_options(&opts) {
        v.extend(errs.into_iter().map(|e| (format!("{prefix}.{}", e.field), e.description)));
    }
    opts
}

/// Reads tag options; `prefix` is the field's path in the request.
///
/// # Errors
/// [`Error::UnknownTaxonomy`] when a named taxonomy is not loaded (checked
/// after the shape of the options, which is reported through `v`).
pub fn tag_options(
    pipeline: &Pipeline,
    o: Option<&pb::TagOptions>,
    prefix: &str,
    v: &mut Violations,
) -> Result<TagOptions, Error> {
    let defaults = TagOptions::default();
    let Some(o) = o else {
        return Ok(defaults);
    };
    let pb::TagOptions { taxonomies, max_topics, min_score, max_keyphrases, keyphrase_occurrences: _ } = o;
    if min_score.is_nan() {
        v.push((format!("{prefix}.min_score"), "must be a number in [0, 1]".into()));
    }
    let opts = TagOptions {
        taxonomies: taxonomies.clone(),
        max_topics: if *max_topics == 0 { defaults.max_topics } else { *max_topics as usize },
        min_score: if *min_score == 0.0 || min_score.is_nan() { defaults.min_score } else { *min_score },
        max_keyphrases: if *max_keyphrases == 0 { defaults.max_keyphrases } else { *max_keyphrases as usize },
    };
    if taxonomies.len() > 64 {
        v.push((format!("{prefix}.taxonomies"), format!("{} names is over the limit of 64", taxonomies.len())));
        return Ok(opts);
    }
    match pipeline.check_tag_options(&opts) {
        Ok(()) => Ok(opts),
        Err(Error::InvalidArgument(errs)) => {
            v.extend(errs.into_iter().map(|e| (format!("{prefix}.{}", e.field), e.description)));
            Ok(opts)
        }
        Err(other) => Err(other),
    }
}

/// The domain view of an article message.
pub fn article<'a>(a: &'a pb::Article, format: Format) -> crate::domain::Article<'a> {
    crate::domain::Article { title: &a.title, body: &a.body, format, language: Some(a.language.as_str()) }
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The summary message.
pub fn summary(doc: &Document<'_>, s: &Summary) -> pb::Summary {
    let text = doc.text.as_ref();
    let sentences: Vec<pb::Sentence> = s
        .sentences
        .iter()
        .map(|x| pb::Sentence {
            text: x.span.slice(text).to_string(),
            index: u32_of(x.index),
            score: x.score,
            rank: u32_of(x.rank),
            byte_start: u32_of(x.span.start),
            byte_end: u32_of(x.span.end),
        })
        .collect();
    let joined = sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(" ");
    pb::Summary { sentences, text: joined, total_sentences: u32_of(s.total_sentences) }
}

/// The cleaning report.
pub fn cleaning(doc: &Document<'_>, with_spans: bool) -> pb::CleaningReport {
    pb::CleaningReport {
        removed_blocks: u32_of(doc.removed.len()),
        removed: if with_spans {
            doc.removed
                .iter()
                .map(|r| pb::RemovedBlock {
                    byte_start: u32_of(r.span.start),
                    byte_end: u32_of(r.span.end),
                    kind: r.kind.as_str().to_string(),
                })
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Topic messages.
pub fn topics(t: &[Topic]) -> Vec<pb::Topic> {
    t.iter().map(|t| pb::Topic { taxonomy: t.taxonomy.clone(), label: t.label.clone(), score: t.score }).collect()
}

/// Keyphrase messages.
pub fn keyphrases(k: &[Keyphrase], occurrences: bool) -> Vec<pb::Keyphrase> {
    k.iter()
        .map(|k| pb::Keyphrase {
            text: k.text.clone(),
            score: k.score,
            occurrences: if occurrences {
                k.occurrences
                    .iter()
                    .map(|o| pb::Occurrence { byte_start: u32_of(o.start), byte_end: u32_of(o.end) })
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}
