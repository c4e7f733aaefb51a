//! The faithfulness guard: sentences that lean on the one before them.
//!
//! An extract that starts "He said the deal was off" or "However, prices
//! rose" misleads: the reader cannot tell who "he" is or what is being
//! contrasted. A sentence that opens with a personal or demonstrative pronoun,
//! a discourse connective, or a definite description that names an entity
//! already introduced ("The company …") is treated as dependent on the
//! sentence before it. The selector then brings that sentence along when the
//! budget allows, or skips the dependent one.

/// Openers (lower-case, whole words) that make a sentence refer back.
const DEPENDENT_OPENERS: &[&str] = &[
    // Personal and possessive pronouns.
    "he",
    "she",
    "it",
    "they",
    "him",
    "them",
    "his",
    "her",
    "its",
    "their",
    // Demonstratives.
    "this",
    "these",
    "those",
    "that",
    "such",
    // Connectives that contrast with, add to or conclude from what came before.
    "however",
    "but",
    "and",
    "also",
    "meanwhile",
    "moreover",
    "furthermore",
    "therefore",
    "thus",
    "hence",
    "still",
    "yet",
    "instead",
    "nevertheless",
    "nonetheless",
    "besides",
    "then",
    "so",
    "otherwise",
    "likewise",
    "similarly",
    "in addition",
    "as a result",
    "by contrast",
    "in contrast",
    "on the other hand",
    // Definite descriptions standing for an entity named just before.
    "the company",
    "the firm",
    "the group",
    "the club",
    "the couple",
    "the pair",
];

/// Whether `sentence` opens with a word or phrase that refers back to the
/// sentence before it (leading quotes and brackets are skipped; matching
/// ignores ASCII case and needs a word boundary after the opener).
pub fn depends_on_previous(sentence: &str) -> bool {
    let s = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    DEPENDENT_OPENERS.iter().any(|o| {
        s.as_bytes().get(..o.len()).is_some_and(|h| h.eq_ignore_ascii_case(o.as_bytes()))
            && s.get(o.len()..).is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_and_connectives_depend() {
        assert!(depends_on_previous("He said it was over."));
        assert!(depends_on_previous("However, prices rose."));
        assert!(depends_on_previous("This means the end."));
        assert!(depends_on_previous("The company denied it."));
        assert!(depends_on_previous("' they were wrong , ' he said ."));
        assert!(depends_on_previous("In addition, rates fell."));
        assert!(depends_on_previous("It"));
    }

    #[test]
    fn other_openers_do_not() {
        assert!(!depends_on_previous("Hermann said it was over."));
        assert!(!depends_on_previous("Prices rose."));
        assert!(!depends_on_previous("Theresa May resigned."));
        assert!(!depends_on_previous("The minister resigned."));
        assert!(!depends_on_previous("Itself a problem."));
        assert!(!depends_on_previous(""));
        assert!(!depends_on_previous("Thisé"));
        assert!(depends_on_previous("It’s over."));
    }
}
