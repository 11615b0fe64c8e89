use thiserror::Error;

/// What can be wrong with contract data read from outside.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ContractError {
    /// `params` was neither JSON text nor base64url-encoded JSON.
    #[error("`params` is neither JSON text nor base64url JSON: {0}")]
    BadParams(String),
    /// `params` decoded, but to something other than a JSON object.
    #[error("`params` must be a JSON object, like {{\"year\": 2026}}")]
    ParamsNotObject,
    /// A workspace or report code that cannot stand as one URL path segment.
    #[error(
        "\"{0}\" cannot be a workspace or report code: use a non-empty code other than `.` or `..`"
    )]
    BadSegment(String),
    /// `offset` or `limit` of a reports query is not a whole number.
    #[error("`{name}` must be a whole number of 0 or more, not \"{text}\"")]
    BadCount {
        /// `offset` or `limit`.
        name: &'static str,
        /// The value given.
        text: String,
    },
}

/// Result with a [`ContractError`].
pub type Result<T> = std::result::Result<T, ContractError>;
