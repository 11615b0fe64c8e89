//! What stops the checker before it can judge anything.
use std::path::PathBuf;

use thiserror::Error;

/// Why the checker could not run; each is exit status 2.
#[derive(Debug, Error)]
pub enum CheckError {
    /// The command line is wrong.
    #[error("{0}\nRun with --help for the options.")]
    Usage(String),
    /// `--pat-file` cannot be read.
    #[error("cannot read the PAT file {path}: {cause}: pass --pat-file a readable file holding the PAT the backend uses (or leave the option out)")]
    PatFile {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        cause: String,
    },
    /// `--pat-file` holds nothing (after trimming).
    #[error("the PAT file {path} is empty: it must hold the CxReports PAT the backend uses (surrounding whitespace is trimmed)")]
    EmptyPatFile {
        /// The file.
        path: PathBuf,
    },
    /// The HTTP client cannot be built (TLS set-up).
    #[error("cannot set up HTTP: {0}")]
    Client(String),
    /// The backend does not answer at all.
    #[error("cannot reach the backend: {method} {url} failed: {cause}.\nIs the backend running, and is --base the prefix of its CxReports endpoints (e.g. https://app.example/api/cxreports)?")]
    Unreachable {
        /// The method of the first request.
        method: String,
        /// The URL of the first request.
        url: String,
        /// The low-level cause (connection refused, DNS, TLS, timeout).
        cause: String,
    },
}

impl CheckError {
    /// The process exit status for this error: always 2.
    ///
    /// ```
    /// use cxreports_backend_check::CheckError;
    /// assert_eq!(CheckError::Usage("--base is missing".into()).exit_code(), 2);
    /// ```
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// `Result` with [`CheckError`].
pub type Result<T> = std::result::Result<T, CheckError>;
