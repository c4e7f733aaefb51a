//! Fitted weights of the sentence score.
//!
//! Produced by `precis eval summarize --fit --data <dev files>` on the
//! development sets only (BBC News Summary and the CNN/DM REALSumm subset),
//! maximising mean ROUGE-1 F1 over both with one shared configuration.

use super::Weights;

/// The default weights.
pub const WEIGHTS: Weights =
    Weights { textrank: 1.0, lexrank: 0.0, forward: 0.0, position: 0.0, lead_decay: 1.0, paragraph: 0.0, title: 0.0 };
