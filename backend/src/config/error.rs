//! What is wrong with a setting, and how to fix it.
use thiserror::Error;

/// A setting the backend cannot use. Messages name the variable and the fix,
/// and never echo a secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `CXREPORTS_URL` names a real CxReports but no PAT was given.
    #[error("CXREPORTS_URL is set ({url}) but no PAT is: set CXREPORTS_PAT, or CXREPORTS_PAT_FILE to a file holding it (the demo PAT is only assumed for the default simulator URL)")]
    MissingPat {
        /// The configured CxReports URL.
        url: String,
    },
    /// Both `CXREPORTS_PAT` and `CXREPORTS_PAT_FILE` were set.
    #[error("both CXREPORTS_PAT and CXREPORTS_PAT_FILE are set: keep one of them")]
    TwoPats,
    /// The PAT (from the named source) was empty.
    #[error("{source_name} gives an empty PAT: put the Personal Access Token from CxReports' user menu there")]
    EmptyPat {
        /// `CXREPORTS_PAT` or the file's path.
        source_name: String,
    },
    /// The PAT holds characters an HTTP header cannot carry.
    #[error("the PAT from {source_name} holds spaces or control characters, which cannot go in an Authorization header: copy the token again, without quotes")]
    BadPat {
        /// `CXREPORTS_PAT` or the file's path.
        source_name: String,
    },
    /// `CXREPORTS_PAT_FILE` could not be read.
    #[error("cannot read CXREPORTS_PAT_FILE {path}: {reason} (check the path and the file's permissions)")]
    PatFile {
        /// The file's path.
        path: String,
        /// Why it could not be read.
        reason: String,
    },
    /// `CXREPORTS_URL` is not an http(s) URL.
    #[error("CXREPORTS_URL={value:?} is not usable ({reason}): give the CxReports base URL, like https://reports.example.com")]
    BadUrl {
        /// What it held.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `CXREPORTS_WORKSPACE` cannot name a workspace.
    #[error("CXREPORTS_WORKSPACE={0:?} cannot name a workspace: give a workspace id or code, like sales")]
    BadWorkspace(String),
    /// An entry of `CXREPORTS_ALLOWED_REPORTS` is not a report id.
    #[error("CXREPORTS_ALLOWED_REPORTS lists {0:?}, which is not a report id: give comma-separated numbers, like 101,105")]
    BadReportId(String),
    /// An entry of `CXREPORTS_ALLOWED_REPORT_TYPES` cannot be a type code.
    #[error("CXREPORTS_ALLOWED_REPORT_TYPES lists {0:?}, which cannot be a report-type code: give comma-separated codes, like invoice,revenue")]
    BadTypeCode(String),
    /// An entry of `BACKEND_ALLOWED_ORIGINS` is not an origin.
    #[error("BACKEND_ALLOWED_ORIGINS lists {value:?}: {reason}")]
    BadOrigin {
        /// The entry.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `BACKEND_SESSION_SECRET` is too short to sign sessions safely.
    #[error("BACKEND_SESSION_SECRET is {len} bytes long: use at least 32 random bytes, e.g. the output of `openssl rand -hex 32`")]
    ShortSessionSecret {
        /// Its length in bytes.
        len: usize,
    },
    /// `CXREPORTS_TIMEOUT_MS` is not a positive number of milliseconds.
    #[error("CXREPORTS_TIMEOUT_MS={0:?} is not a whole number of milliseconds above 0: set it like CXREPORTS_TIMEOUT_MS=10000, or unset it for 10 s")]
    BadTimeout(String),
    /// `CXREPORTS_PAGE_SIZE` is not a whole number from 1 to 1000.
    #[error("CXREPORTS_PAGE_SIZE={0:?} is not a whole number from 1 to 1000: set it to at most the largest page (`limit`) your CxReports answers in full, like CXREPORTS_PAGE_SIZE=100, or unset it for 200")]
    BadPageSize(String),
    /// A real CxReports is configured but no way to know the user is.
    #[error("CXREPORTS_URL is set ({url}) but no sign-in is configured, so anyone could get nonces: set BACKEND_FORWARD_AUTH_URL (your app's endpoint that answers 2xx for a signed-in request), or BACKEND_JWT_SECRET / BACKEND_JWT_PUBLIC_KEY_FILE (the key of your app's JWTs); BACKEND_DEMO_SIGN_IN=1 signs in anyone, for trials only")]
    NoSignIn {
        /// The configured CxReports URL.
        url: String,
    },
    /// More than one sign-in was configured.
    #[error("more than one sign-in is configured ({0}): keep one of BACKEND_FORWARD_AUTH_URL, BACKEND_JWT_SECRET / BACKEND_JWT_PUBLIC_KEY_FILE, BACKEND_DEMO_SIGN_IN=1")]
    TwoSignIns(String),
    /// A sign-in setting is unusable.
    #[error("{var}: {reason}")]
    BadSignIn {
        /// The variable.
        var: &'static str,
        /// What is wrong and what to do.
        reason: String,
    },
    /// An entry of `BACKEND_ALLOWED_HOSTS` is not a host.
    #[error("BACKEND_ALLOWED_HOSTS lists {value:?}: {reason}")]
    BadHost {
        /// The entry.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A whole-number setting is out of range.
    #[error("{var}={value:?} is not a whole number above 0: set it like {var}={example}, or unset it for the default")]
    BadNumber {
        /// The variable.
        var: &'static str,
        /// What it held.
        value: String,
        /// A value that would do.
        example: u64,
    },
    /// A yes/no setting is neither.
    #[error("{var}={value:?} is neither on nor off: set it to 1 or 0")]
    BadSwitch {
        /// The variable.
        var: &'static str,
        /// What it held.
        value: String,
    },
    /// A variable held bytes that are not Unicode.
    #[error("{0} holds text that is not valid Unicode: set it to plain text")]
    NotUnicode(&'static str),
}
