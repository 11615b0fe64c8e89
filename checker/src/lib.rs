//! `cxreports-backend-check`: runs a host backend for the CxReports widget
//! through the rules the widget relies on, whatever the backend is written
//! in (Rust, Node, .NET, PHP, Python…).
//!
//! It calls the backend exactly as the widget does (`Accept`, the
//! `X-Requested-With: cxreports-widget` header, the page's `Origin` on
//! `POST`s, the session cookie), then provokes what a hostile page would
//! (no CSRF header, a foreign origin, no cookie, a CORS preflight from
//! elsewhere) and judges each answer. Every check has a stable id
//! ([`CHECKS`]) and ends as [`Outcome::Pass`], [`Outcome::Fail`] (with what
//! to change) or [`Outcome::Skip`] (with the option that enables it).
//! Nonces and the PAT are never printed in full.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cxreports_backend_check::CheckError> {
//! use cxreports_backend_check::{parse_args, run, Command};
//!
//! let Command::Run(options) = parse_args(["--base", "https://app.example/api/cxreports"])? else {
//!     return Ok(());
//! };
//! let report = run(&options).await?;
//! print!("{}", report.to_text());
//! std::process::exit(report.exit_code().into());
//! # }
//! ```
#![deny(missing_docs)]
// Nothing from the network may panic the checker.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// Layering, top to bottom (each uses only those below it):
//   lib -> args, checks, report, error
//   checks -> http, secrets, report, args
//   http -> error
//   secrets -> error
mod args;
mod checks;
mod error;
mod http;
mod report;
mod secrets;

pub use args::{parse_args, Command, Options, FOREIGN_ORIGIN, USAGE};
pub use error::{CheckError, Result};
pub use report::{CheckResult, Outcome, Report, CHECKS};

/// Runs every check against the backend `options` names and answers the
/// report. Fails only before the first check: an unreadable `--pat-file`,
/// or a backend that cannot be reached at all ([`CheckError::Unreachable`]);
/// everything after that is an outcome in the report.
pub async fn run(options: &Options) -> Result<Report> {
    // reqwest is built with rustls but no crypto provider of its own.
    let _ = rustls::crypto::ring::default_provider().install_default();
    checks::run(options).await
}
