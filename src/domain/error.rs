//! The errors a request can meet in the pipeline.
//!
//! One enum, with variants that read as facts. The gRPC adapter maps each
//! variant to a status in exactly one exhaustive function
//! (`grpc::status::status_from`), so adding a variant is a compile error there.

/// Why an article could not be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The article body is empty or only white space.
    #[error("article body is empty")]
    EmptyBody,
    /// The article body is longer than the configured limit.
    #[error("article body is {len} bytes, over the limit of {max} bytes")]
    BodyTooLarge {
        /// Size of the body in bytes.
        len: usize,
        /// The limit in bytes.
        max: usize,
    },
    /// One or more options are outside their valid range.
    #[error("invalid argument: {}", .0.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; "))]
    InvalidArgument(Vec<Violation>),
    /// A request asks for more than a limit allows.
    #[error("{field} is {value}, over the limit of {max}")]
    LimitExceeded {
        /// The option or quantity's name.
        field: &'static str,
        /// The value asked for or found.
        value: usize,
        /// The limit.
        max: usize,
    },
    /// The requested taxonomy is not loaded.
    #[error("unknown taxonomy {0:?}")]
    UnknownTaxonomy(String),
    /// The language hint is not a BCP-47 tag we can read.
    #[error("invalid language tag {0:?}")]
    InvalidLanguage(String),
    /// An HTML page held no article text.
    #[error("no article text found in the HTML page")]
    NoArticleText,
}

/// Result alias for the pipeline.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field, as named in the API's options message (`ratio`).
    pub field: String,
    /// What is wrong with it.
    pub description: String,
}

impl Violation {
    /// A violation of `field`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self { field: field.into(), description: description.into() }
    }
}
