//! JSON Lines input for the evaluation commands.

use anyhow::Context;
use serde::Deserialize;

/// Parses every non-blank line of `raw` as one `T`. Rows may borrow from
/// `raw`. A malformed line is an error naming its (1-based) line number.
///
/// # Errors
/// The first line that is not a valid `T`.
pub fn parse<'a, T: Deserialize<'a>>(raw: &'a str) -> anyhow::Result<Vec<T>> {
    raw.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).with_context(|| format!("line {}", n + 1)))
        .collect()
}
