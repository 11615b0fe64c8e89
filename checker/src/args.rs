//! The command line, read by hand: a few `--name value` options, validated
//! once, here.
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use cxreports_contract::encode_path_segment;
use reqwest::Url;

use crate::error::{CheckError, Result};

/// The origin the checker claims when it plays a hostile page: reserved
/// (`.invalid` never resolves), so no real allowlist contains it.
pub const FOREIGN_ORIGIN: &str = "https://cxreports-check.invalid";

/// The widget's own default time limit for a call to the host backend.
const DEFAULT_TIMEOUT_MS: u64 = 15_000;
const MAX_TIMEOUT_MS: u64 = 600_000;
/// How long a connection that never finishes its headers may stay open.
const DEFAULT_SLOW_CLIENT_SECS: u64 = 15;
const MAX_SLOW_CLIENT_SECS: u64 = 300;
/// How many nonces the rate-limit probe asks for at most.
const DEFAULT_RATE_PROBE: u32 = 60;
const MAX_RATE_PROBE: u32 = 10_000;

/// `--help`.
pub const USAGE: &str = "\
cxreports-backend-check: checks a host backend for the CxReports widget, in any
language, against the rules the widget relies on (nonces, CSRF, sessions,
lists, PDFs, errors, CORS, the PAT).

Usage:
  cxreports-backend-check --base URL [--cookie COOKIE] [options]
  cargo run -p cxreports-backend-check -- --base URL [--cookie COOKIE] [options]

The backend is expected to offer, under --base:
  POST {base}/nonce              {\"nonce\": \"...\"}: a fresh CxReports nonce
  GET  {base}/reports[?type=]    the report list
  GET  {base}/report-types       the report types
  GET  {base}/reports/{id}/pdf   a PDF (optional)
  GET  {base}/widget-config      {\"cxreportsUrl\", \"workspace\"} (optional)
  POST {base}/temporary-data     {\"tempDataId\", \"tempDataHandle\"?} (optional)

Options:
  --base URL            prefix of the backend's CxReports endpoints, as the widget
                        is given it, e.g. https://app.example/api/cxreports (required)
  --cookie COOKIE       the Cookie header of a signed-in browser, e.g.
                        'session=abc123' (copy it from the browser's developer
                        tools); without it, auth.required, host.rebinding,
                        tempdata.owner and nonce.rate_limit are skipped
  --cookie-b COOKIE     the Cookie header of another signed-in user: enables
                        tempdata.owner (one user's temporary data refused to another)
  --slow-client-secs N  how long a connection that never finishes its headers may
                        stay open (conn.slow_headers; default 15); 0 skips the check,
                        for a development server whose front server does this
  --rate-probe N        at most this many nonces are asked for, as fast as they come,
                        to see the rate limit answer 429 (nonce.rate_limit; default 60)
  --origin ORIGIN       origin of the page that embeds the widget
                        (default: the origin of --base)
  --pat-file PATH       file holding the CxReports PAT the backend uses (trimmed):
                        makes the leak sweep exact; the PAT is never printed
  --cxreports-url URL   the CxReports the widget's iframe loads
                        (default: cxreportsUrl of GET {base}/widget-config)
  --workspace WS        CxReports workspace id or code
                        (default: workspace of GET {base}/widget-config)
  --report ID           report to preview and export (default: the first listed)
  --header 'NAME: VALUE' a header the widget is given in requestHeaders (e.g. a CSRF
                        token), sent with each of its calls; may be repeated
  --timeout-ms N        time limit of each request, in ms (default 15000, the widget's)
  --json                print a JSON report instead of text
  -h, --help            print this help

Output: one line per check, PASS|FAIL|SKIP  <id>  <what was seen / what to change>,
then `N passed, M failed, K skipped`. Nonces and the PAT are shown as their
first 4 characters and `…`.

Exit status: 0 when no check failed, 1 when one did, 2 on a usage error or when
the backend cannot be reached at all.
";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `--help`: print [`USAGE`].
    Help,
    /// Run the checks.
    Run(Box<Options>),
}

/// The validated options of a run.
#[derive(Clone, PartialEq, Eq)]
pub struct Options {
    /// `--base`, without a trailing `/`: the prefix of the endpoints.
    pub base: String,
    /// `--origin`, or the origin of `base`: sent as the page's `Origin`.
    pub origin: String,
    /// `--cookie`: the `Cookie` header of a signed-in browser, if given.
    pub cookie: Option<String>,
    /// `--pat-file`, if given.
    pub pat_file: Option<PathBuf>,
    /// `--cxreports-url`, without a trailing `/`, if given.
    pub cxreports_url: Option<String>,
    /// `--workspace`, if given.
    pub workspace: Option<String>,
    /// `--report`, if given.
    pub report: Option<String>,
    /// `--json`: a JSON report instead of text.
    pub json: bool,
    /// `--timeout-ms`: the limit of each request (default 15 s).
    pub timeout: Duration,
    /// `--header`s: the widget's `requestHeaders`, sent with each of its calls.
    pub headers: Vec<(String, String)>,
    /// `--cookie-b`: another signed-in user's `Cookie` header, if given.
    pub cookie_b: Option<String>,
    /// `--slow-client-secs`: how long a half-sent request may hold a
    /// connection (default 15 s).
    pub slow_client: Duration,
    /// `--rate-probe`: at most this many nonces to reach the rate limit
    /// (default 60).
    pub rate_probe: u32,
}

impl Options {
    /// Options for `base` with every other option at its default.
    ///
    /// ```
    /// use cxreports_backend_check::Options;
    /// let options = Options::new("https://app.example/api/cxreports/")?;
    /// assert_eq!(options.base, "https://app.example/api/cxreports");
    /// assert_eq!(options.origin, "https://app.example");
    /// # Ok::<(), cxreports_backend_check::CheckError>(())
    /// ```
    pub fn new(base: &str) -> Result<Self> {
        let url = http_url("--base", base)?;
        Ok(Options {
            base: base.trim().trim_end_matches('/').to_owned(),
            origin: url.origin().ascii_serialization(),
            cookie: None,
            pat_file: None,
            cxreports_url: None,
            workspace: None,
            report: None,
            json: false,
            timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
            headers: Vec::new(),
            cookie_b: None,
            slow_client: Duration::from_secs(DEFAULT_SLOW_CLIENT_SECS),
            rate_probe: DEFAULT_RATE_PROBE,
        })
    }
}

/// The cookie is a credential: `Debug` does not show it.
impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("base", &self.base)
            .field("origin", &self.origin)
            .field("cookie", &self.cookie.as_ref().map(|_| "[redacted]"))
            .field("cookie_b", &self.cookie_b.as_ref().map(|_| "[redacted]"))
            .field("slow_client", &self.slow_client)
            .field("rate_probe", &self.rate_probe)
            .field("pat_file", &self.pat_file)
            .field("cxreports_url", &self.cxreports_url)
            .field("workspace", &self.workspace)
            .field("report", &self.report)
            .field("json", &self.json)
            .field("timeout", &self.timeout)
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// The options that take a value.
const VALUED: &[&str] = &[
    "base",
    "cookie",
    "origin",
    "pat-file",
    "cxreports-url",
    "workspace",
    "report",
    "timeout-ms",
    "header",
    "cookie-b",
    "slow-client-secs",
    "rate-probe",
];

/// Headers the checker sets itself, or that carry credentials.
const OWN_HEADERS: &[&str] = &[
    "accept",
    "origin",
    "x-requested-with",
    "host",
    "content-length",
    "cookie",
    "authorization",
    "proxy-authorization",
];

fn usage(message: impl Into<String>) -> CheckError {
    CheckError::Usage(message.into())
}

/// Reads the arguments after the program name.
///
/// ```
/// use cxreports_backend_check::{parse_args, Command};
/// let command = parse_args(["--base", "http://127.0.0.1:8082/api/cxreports", "--json"])?;
/// let Command::Run(options) = command else { unreachable!() };
/// assert!(options.json);
/// assert_eq!(options.origin, "http://127.0.0.1:8082");
/// assert!(parse_args(["--bsae", "x"]).is_err());
/// # Ok::<(), cxreports_backend_check::CheckError>(())
/// ```
pub fn parse_args<I, S>(args: I) -> Result<Command>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut args = args.into_iter().map(Into::into);
    let mut values: Vec<(&'static str, String)> = Vec::new();
    let mut json = false;
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Command::Help);
        }
        let Some(option) = arg.strip_prefix("--") else {
            return Err(usage(format!(
                "unexpected argument {arg:?}: options take the form --name value"
            )));
        };
        let (name, inline) = match option.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (option, None),
        };
        if name == "json" {
            if inline.is_some() {
                return Err(usage("--json takes no value"));
            }
            json = true;
            continue;
        }
        let Some(&known) = VALUED.iter().find(|known| **known == name) else {
            return Err(usage(format!(
                "unknown option --{name}: the options are --base, --cookie, --cookie-b, --origin, \
                 --pat-file, --cxreports-url, --workspace, --report, --header, --timeout-ms, \
                 --slow-client-secs, --rate-probe, --json, --help"
            )));
        };
        let value = match inline {
            Some(value) => value,
            None => match args.next() {
                Some(value) if !value.starts_with("--") => value,
                _ => return Err(usage(format!("--{known} needs a value"))),
            },
        };
        if known != "header" && values.iter().any(|(seen, _)| *seen == known) {
            return Err(usage(format!("--{known} is given twice")));
        }
        values.push((known, value));
    }
    let take = |name: &str| {
        values
            .iter()
            .find(|(seen, _)| *seen == name)
            .map(|(_, value)| value.clone())
    };

    let Some(base) = take("base") else {
        return Err(usage(
            "--base is missing: give the prefix of the backend's CxReports endpoints, \
             e.g. --base https://app.example/api/cxreports",
        ));
    };
    let mut options = Options::new(&base)?;
    options.json = json;
    if let Some(origin) = take("origin") {
        options.origin = page_origin(&origin)?;
    }
    options.cookie = take("cookie").map(|c| cookie(&c)).transpose()?;
    options.cookie_b = take("cookie-b").map(|c| cookie(&c)).transpose()?;
    if options.cookie_b.is_some() && options.cookie_b == options.cookie {
        return Err(usage(
            "--cookie-b is the same as --cookie: give the session of another signed-in user",
        ));
    }
    if let Some(secs) = take("slow-client-secs") {
        // 0: not judged here, where a server in front of the backend is
        // what closes slow clients in production (a development server).
        options.slow_client = if secs.trim() == "0" {
            Duration::ZERO
        } else {
            Duration::from_secs(whole("--slow-client-secs", &secs, MAX_SLOW_CLIENT_SECS)?)
        };
    }
    if let Some(n) = take("rate-probe") {
        let n = whole("--rate-probe", &n, u64::from(MAX_RATE_PROBE))?;
        options.rate_probe = u32::try_from(n).unwrap_or(MAX_RATE_PROBE);
    }
    options.pat_file = take("pat-file")
        .map(|path| {
            if path.trim().is_empty() {
                Err(usage("--pat-file needs a file name"))
            } else {
                Ok(PathBuf::from(path))
            }
        })
        .transpose()?;
    options.cxreports_url = take("cxreports-url")
        .map(|url| {
            http_url("--cxreports-url", &url)?;
            Ok::<_, CheckError>(url.trim().trim_end_matches('/').to_owned())
        })
        .transpose()?;
    options.workspace = take("workspace")
        .map(|ws| segment("--workspace", &ws))
        .transpose()?;
    options.report = take("report")
        .map(|report| segment("--report", &report))
        .transpose()?;
    if let Some(ms) = take("timeout-ms") {
        options.timeout = timeout(&ms)?;
    }
    options.headers = values
        .iter()
        .filter(|(name, _)| *name == "header")
        .map(|(_, value)| request_header(value))
        .collect::<Result<_>>()?;
    Ok(Command::Run(Box::new(options)))
}

/// An absolute http(s) URL without credentials, query or fragment.
fn http_url(option: &str, text: &str) -> Result<Url> {
    let url = Url::parse(text.trim()).map_err(|e| {
        usage(format!(
            "{option} {text:?} is not a URL ({e}): give an absolute http(s) URL like https://app.example/api/cxreports"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(usage(format!(
            "{option} {text:?} is not an http(s) URL with a host"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(usage(format!(
            "{option} must not carry a user name or password: pass the session with --cookie"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(usage(format!(
            "{option} {text:?} has a query or fragment: give the prefix only, e.g. https://app.example/api/cxreports"
        )));
    }
    Ok(url)
}

/// `scheme://host[:port]`, as a browser writes it in `Origin`.
fn page_origin(text: &str) -> Result<String> {
    let url = http_url("--origin", text)?;
    if url.path() != "/" {
        return Err(usage(format!(
            "--origin {text:?} has a path: an origin is scheme://host[:port] only, e.g. https://app.example"
        )));
    }
    Ok(url.origin().ascii_serialization())
}

/// The `Cookie` header as a browser sends it: `name=value[; name=value]`.
fn cookie(text: &str) -> Result<String> {
    let trimmed = text.trim();
    let value = match trimmed.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("cookie:") => trimmed[7..].trim(),
        _ => trimmed,
    };
    if value.is_empty() || !value.contains('=') {
        return Err(usage(
            "--cookie takes the Cookie header of a signed-in browser, name=value[; name2=value2], \
             e.g. --cookie 'session=abc123'",
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(usage(
            "--cookie contains a line break or another control character: give the header value on one line",
        ));
    }
    Ok(value.to_owned())
}

/// A workspace or report as one path segment.
fn segment(option: &str, text: &str) -> Result<String> {
    let value = text.trim();
    encode_path_segment(value).map_err(|_| {
        usage(format!(
            "{option} {text:?} cannot be a path segment: give an id or a code"
        ))
    })?;
    Ok(value.to_owned())
}

/// `NAME: VALUE`, as the widget's `requestHeaders` would send it.
fn request_header(text: &str) -> Result<(String, String)> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(usage(format!(
            "--header {text:?} is not NAME: VALUE, e.g. --header 'X-CSRF-Token: abc123'"
        )));
    };
    let (name, value) = (name.trim(), value.trim());
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(usage(format!(
            "--header {text:?}: {name:?} is not a header name"
        )));
    }
    if value.chars().any(|c| c.is_control() || !c.is_ascii()) {
        return Err(usage(format!(
            "--header {name}: the value must be printable ASCII on one line"
        )));
    }
    let lower = name.to_ascii_lowercase();
    if OWN_HEADERS.contains(&lower.as_str()) {
        return Err(usage(format!(
            "--header {name}: the checker sets {name} itself (use --cookie for the session, --origin for the page); \
             credentials for CxReports never go to the browser"
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// A whole number from 1 to `max`.
fn whole(option: &str, text: &str, max: u64) -> Result<u64> {
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(usage(format!(
            "{option} {text:?} is not a whole number from 1 to {max}"
        ))),
    }
}

fn timeout(text: &str) -> Result<Duration> {
    match text.trim().parse::<u64>() {
        Ok(ms) if (1..=MAX_TIMEOUT_MS).contains(&ms) => Ok(Duration::from_millis(ms)),
        _ => Err(usage(format!(
            "--timeout-ms {text:?} is not a whole number of milliseconds from 1 to {MAX_TIMEOUT_MS}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Options {
        match parse_args(args.iter().copied()) {
            Ok(Command::Run(options)) => *options,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        match parse_args(args.iter().copied()) {
            Err(CheckError::Usage(message)) => message,
            other => panic!("{args:?} should be a usage error: {other:?}"),
        }
    }

    #[test]
    fn every_option_is_read_in_both_forms() {
        let options = run(&[
            "--base",
            "https://app.example/api/cxreports/",
            "--cookie=Cookie: session=abc; theme=dark",
            "--origin",
            "https://App.example:443/",
            "--pat-file",
            "./pat.txt",
            "--cxreports-url=https://reports.example/",
            "--workspace",
            "sales",
            "--report",
            "42",
            "--timeout-ms",
            "2500",
            "--header",
            "X-CSRF-Token: t0k3n",
            "--header=X-Tenant:  acme ",
            "--json",
            "--cookie-b",
            "session=def",
            "--slow-client-secs",
            "4",
            "--rate-probe=500",
        ]);
        assert_eq!(
            options,
            Options {
                base: "https://app.example/api/cxreports".into(),
                origin: "https://app.example".into(),
                cookie: Some("session=abc; theme=dark".into()),
                pat_file: Some("./pat.txt".into()),
                cxreports_url: Some("https://reports.example".into()),
                workspace: Some("sales".into()),
                report: Some("42".into()),
                json: true,
                timeout: Duration::from_millis(2500),
                headers: vec![
                    ("X-CSRF-Token".into(), "t0k3n".into()),
                    ("X-Tenant".into(), "acme".into())
                ],
                cookie_b: Some("session=def".into()),
                slow_client: Duration::from_secs(4),
                rate_probe: 500,
            }
        );
    }

    #[test]
    fn defaults_follow_the_base() {
        let options = run(&["--base", "http://127.0.0.1:8082/api/cxreports"]);
        assert_eq!(options.origin, "http://127.0.0.1:8082");
        assert_eq!(
            (options.cookie, options.pat_file, options.json),
            (None, None, false)
        );
        assert_eq!(options.timeout, Duration::from_secs(15));
        assert_eq!(options.slow_client, Duration::from_secs(15));
        assert_eq!((options.cookie_b, options.rate_probe), (None, 60));
    }

    #[test]
    fn help_wins_over_what_follows_it() {
        assert_eq!(parse_args(["--help"]).unwrap(), Command::Help);
        assert_eq!(parse_args(["--base", "nope", "-h"]).unwrap(), Command::Help);
        assert!(parse_args(["--bogus", "--help"]).is_err());
        assert!(USAGE.contains("--pat-file") && USAGE.contains("Exit status"));
    }

    #[test]
    fn no_slow_client_bound_leaves_the_check_to_the_front_server() {
        let options = run(&["--base", "http://a.example/api", "--slow-client-secs", "0"]);
        assert_eq!(options.slow_client, Duration::ZERO);
    }

    #[test]
    fn mistakes_are_named() {
        assert!(error(&[]).contains("--base is missing"));
        assert!(error(&["--cookie", "a=b"]).contains("--base is missing"));
        assert!(error(&["--bsae", "x"]).contains("unknown option --bsae"));
        assert!(error(&["https://app.example"]).contains("unexpected argument"));
        assert!(error(&["--base"]).contains("--base needs a value"));
        assert!(error(&["--base", "--json"]).contains("--base needs a value"));
        assert!(error(&["--base", "ftp://x/y"]).contains("http(s)"));
        assert!(error(&["--base", "app.example/api"]).contains("not a URL"));
        assert!(error(&["--base", "https://a.example/api?x=1"]).contains("query"));
        assert!(error(&["--base", "https://u:p@a.example/api"]).contains("--cookie"));
        let base = ["--base", "https://a.example/api"];
        let with = |extra: &[&str]| error(&[&base[..], extra].concat());
        assert!(with(&["--base", "https://b.example"]).contains("given twice"));
        assert!(with(&["--json=yes"]).contains("takes no value"));
        assert!(with(&["--origin", "https://a.example/page"]).contains("has a path"));
        assert!(with(&["--cookie", "abc"]).contains("name=value"));
        assert!(with(&["--cookie", "a=b\r\nX: y"]).contains("control character"));
        assert!(with(&["--workspace", ".."]).contains("path segment"));
        assert!(with(&["--report", ""]).contains("path segment"));
        assert!(with(&["--timeout-ms", "0"]).contains("from 1 to"));
        assert!(with(&["--timeout-ms", "soon"]).contains("milliseconds"));
        assert!(with(&["--pat-file", " "]).contains("file name"));
        assert!(with(&["--cookie", "a=b", "--cookie-b", "a=b"]).contains("another"));
        assert!(with(&["--slow-client-secs", "301"]).contains("from 1 to 300"));
        assert!(with(&["--slow-client-secs", "-1"]).contains("from 1 to 300"));
        assert!(with(&["--rate-probe", "many"]).contains("--rate-probe"));
        assert!(with(&["--header", "X-CSRF-Token"]).contains("NAME: VALUE"));
        assert!(with(&["--header", "Bad Name: x"]).contains("not a header name"));
        assert!(with(&["--header", "X-A: \u{7f}"]).contains("printable ASCII"));
        assert!(with(&["--header", "Authorization: Bearer x"]).contains("itself"));
        assert!(with(&["--header", "cookie: a=b"]).contains("--cookie"));
    }

    #[test]
    fn debug_hides_the_cookie() {
        let options = run(&[
            "--base",
            "https://a.example/api",
            "--cookie",
            "s=secret-value",
        ]);
        let debug = format!("{options:?}");
        assert!(
            !debug.contains("secret-value") && debug.contains("[redacted]"),
            "{debug}"
        );
    }
}
