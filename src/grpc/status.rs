//! The one mapping from domain errors to gRPC statuses.
//!
//! Exhaustive on purpose (no `_ =>` arm): a new error variant does not compile
//! until someone decides its status. Messages are written for the caller and
//! never carry internal detail.

use prost::Message;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

use crate::domain::Error;

/// Maps a pipeline error to the status the caller gets.
pub fn status_from(err: &Error) -> Status {
    match err {
        Error::EmptyBody => bad_request(err, vec![FieldViolation::new("article.body", "must not be empty")]),
        Error::BodyTooLarge { len, max } => Status::with_error_details(
            Code::ResourceExhausted,
            err.to_string(),
            ErrorDetails::with_bad_request(vec![FieldViolation::new(
                "article.body",
                format!("{len} bytes is over the max_body_bytes limit of {max}"),
            )]),
        ),
        Error::InvalidArgument(violations) => bad_request(
            err,
            violations.iter().map(|v| FieldViolation::new(v.field.clone(), v.description.clone())).collect(),
        ),
        Error::LimitExceeded { field, value, max } => {
            bad_request(err, vec![FieldViolation::new(*field, format!("{value} is over the limit of {max}"))])
        }
        Error::UnknownTaxonomy(name) => {
            Status::not_found(format!("unknown taxonomy {name:?}; ListTaxonomies lists the loaded ones"))
        }
        Error::InvalidLanguage(_) => {
            bad_request(err, vec![FieldViolation::new("article.language", "must be a BCP-47 tag such as en or pt-BR")])
        }
        Error::NoArticleText => {
            bad_request(err, vec![FieldViolation::new("article.body", "the HTML page holds no article text")])
        }
    }
}

fn bad_request(err: &Error, violations: Vec<FieldViolation>) -> Status {
    Status::with_error_details(Code::InvalidArgument, err.to_string(), ErrorDetails::with_bad_request(violations))
}

/// An INVALID_ARGUMENT status for violations found while reading a request.
pub fn invalid_argument(violations: Vec<(String, String)>) -> Status {
    let msg = violations.iter().map(|(f, d)| format!("{f}: {d}")).collect::<Vec<_>>().join("; ");
    Status::with_error_details(
        Code::InvalidArgument,
        format!("invalid argument: {msg}"),
        ErrorDetails::with_bad_request(
            violations.into_iter().map(|(f, d)| FieldViolation::new(f, d)).collect::<Vec<_>>(),
        ),
    )
}

/// The `google.rpc.Status` message for a status, with its details, for
/// per-item errors on streams.
pub fn rpc_status(status: &Status) -> tonic_types::Status {
    if !status.details().is_empty() {
        if let Ok(decoded) = tonic_types::Status::decode(status.details()) {
            return decoded;
        }
    }
    tonic_types::Status { code: status.code() as i32, message: status.message().to_string(), details: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(status_from(&Error::EmptyBody).code(), Code::InvalidArgument);
        assert_eq!(status_from(&Error::BodyTooLarge { len: 2, max: 1 }).code(), Code::ResourceExhausted);
        assert_eq!(status_from(&Error::UnknownTaxonomy("x".into())).code(), Code::NotFound);
        let s = status_from(&Error::EmptyBody);
        let details = s.get_error_details();
        assert!(details.bad_request().is_some());
        assert_eq!(rpc_status(&s).code, Code::InvalidArgument as i32);
    }
}
