//! Articles to replay: read from a JSONL file of `{"id","title","text"}`
//! rows (the format of the evaluation data), turned into API messages once,
//! before any load is sent.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::grpc::pb;

/// Why the articles could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ArticlesError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a JSON object of the expected shape.
    #[error("{path}:{line}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// Why.
        source: serde_json::Error,
    },
    /// No article in the file.
    #[error("{0}: no articles")]
    Empty(PathBuf),
}

/// One JSONL row. `body` is accepted as another name for `text`.
#[derive(Debug, Deserialize)]
struct Row {
    #[serde(default)]
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default, alias = "body")]
    text: String,
}

/// Reads at most `limit` articles (all when `None`) from a JSONL file.
/// Blank lines are skipped.
///
/// # Errors
/// [`ArticlesError`] when the file cannot be read, a line is not valid JSON,
/// or there is no article.
pub fn read_jsonl(path: &Path, limit: Option<usize>) -> Result<Vec<pb::Article>, ArticlesError> {
    let read_err = |source| ArticlesError::Read { path: path.to_path_buf(), source };
    let file = std::fs::File::open(path).map_err(read_err)?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let line = line.map_err(read_err)?;
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(&line).map_err(|source| ArticlesError::Parse {
            path: path.to_path_buf(),
            line: n + 1,
            source,
        })?;
        out.push(pb::Article { id: row.id, title: row.title, body: row.text, ..Default::default() });
    }
    if out.is_empty() {
        return Err(ArticlesError::Empty(path.to_path_buf()));
    }
    Ok(out)
}
