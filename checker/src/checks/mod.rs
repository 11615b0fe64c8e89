//! The checks, and what they share: the widget's way of calling, the
//! answers gathered on the way (nonces, lists, refusals), and the results.
//!
//! Order matters only for what one check needs from another: the report
//! list gives the report to preview and export, every refusal provoked is
//! judged by `errors.*`, and the PAT sweep comes last so it sees every
//! answer.
mod auth;
mod conn;
mod cors;
mod csrf;
mod errors;
mod host;
mod lists;
mod nonce;
mod pat;
mod pdf;
mod rate;
mod tempdata;

use std::sync::Arc;

use cxreports_contract::model::{Report as ReportRow, ReportType};
use reqwest::{Method, Url};
use serde_json::Value;

use crate::args::Options;
use crate::error::Result;
use crate::http::{Call, Exchange, Http, Transport};
use crate::report::{CheckResult, Outcome, Report, CHECKS};
use crate::secrets::{Pat, Redactor};

/// Runs every check in dependency order.
pub(crate) async fn run(options: &Options) -> Result<Report> {
    let pat = options.pat_file.as_deref().map(Pat::load).transpose()?;
    let mut ctx = Ctx::new(options, Http::new(options.timeout)?, pat);
    ctx.read_widget_config().await?;
    nonce::shape_cache_freshness(&mut ctx).await;
    csrf::run(&mut ctx).await;
    auth::run(&mut ctx).await;
    auth::no_credentials(&mut ctx).await;
    lists::run(&mut ctx).await;
    pdf::run(&mut ctx).await;
    nonce::single_use(&mut ctx).await;
    cors::run(&mut ctx).await;
    host::run(&mut ctx).await;
    tempdata::run(&mut ctx).await;
    // Spends the session's nonces: after every other call that needs one.
    rate::run(&mut ctx).await;
    conn::run(&mut ctx).await;
    errors::run(&mut ctx);
    pat::run(&mut ctx);
    Ok(ctx.into_report())
}

/// A refusal the checker provoked, for `errors.*`.
pub(crate) struct Refusal {
    /// What was asked, e.g. `csrf.header`.
    pub(crate) what: &'static str,
    pub(crate) exchange: Arc<Exchange>,
}

/// State shared by the checks of one run.
pub(crate) struct Ctx<'a> {
    pub(crate) options: &'a Options,
    http: Http,
    redactor: Redactor,
    pub(crate) pat: Option<Pat>,
    results: Vec<CheckResult>,
    notes: Vec<String>,
    /// The origin of `--base`: the page is cross-origin when `--origin` differs.
    base_origin: String,
    /// CxReports and the workspace, from the options or `widget-config`.
    pub(crate) cxreports: Option<String>,
    pub(crate) workspace: Option<String>,
    /// What the lists answered (the rows the widget would show).
    pub(crate) types: Option<Vec<ReportType>>,
    pub(crate) reports: Option<Vec<ReportRow>>,
    pub(crate) refusals: Vec<Refusal>,
}

impl<'a> Ctx<'a> {
    fn new(options: &'a Options, http: Http, pat: Option<Pat>) -> Self {
        let mut redactor = Redactor::default();
        if let Some(pat) = &pat {
            redactor.add_pat(pat);
        }
        // The session is a credential too, should an answer echo it.
        for pair in options
            .cookie
            .iter()
            .chain(&options.cookie_b)
            .flat_map(|c| c.split(';'))
        {
            if let Some((_, value)) = pair.split_once('=') {
                if value.trim().len() >= 8 {
                    redactor.add(value.trim());
                }
            }
        }
        let base_origin = Url::parse(&options.base)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        Ctx {
            options,
            http,
            redactor,
            pat,
            results: Vec::new(),
            notes: Vec::new(),
            base_origin,
            cxreports: None,
            workspace: None,
            types: None,
            reports: None,
            refusals: Vec::new(),
        }
    }

    /// `{base}{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.options.base)
    }

    /// A call as the widget makes it: `Accept: application/json`,
    /// `X-Requested-With: cxreports-widget`, its `requestHeaders`
    /// (`--header`), the cookie, and `Origin` where a browser sends it
    /// (every `POST`; a `GET` only cross-origin).
    pub(crate) fn widget(&self, method: Method, path: &str) -> Call {
        let post = method == Method::POST;
        let mut call = Call::new(method, self.url(path))
            .header("accept", "application/json")
            .header("x-requested-with", "cxreports-widget");
        for (name, value) in &self.options.headers {
            call = call.header(name, value.clone());
        }
        if let Some(cookie) = &self.options.cookie {
            call = call.header("cookie", cookie.clone());
        }
        if post || self.options.origin != self.base_origin {
            call = call.header("origin", self.options.origin.clone());
        }
        call
    }

    /// Sends `call`; a nonce in the answer is masked from then on.
    pub(crate) async fn send(
        &mut self,
        call: Call,
    ) -> std::result::Result<Arc<Exchange>, Transport> {
        let exchange = self.http.send(call).await?;
        if let Some(Value::String(nonce)) = exchange.json().as_ref().and_then(|j| j.get("nonce")) {
            self.redactor.add(nonce);
        }
        Ok(exchange)
    }

    /// Every exchange so far.
    pub(crate) fn seen(&self) -> Vec<Arc<Exchange>> {
        self.http.seen().to_vec()
    }

    /// Masks `secret` in everything printed from now on.
    pub(crate) fn redact(&mut self, secret: &str) {
        self.redactor.add(secret);
    }

    fn record(&mut self, id: &'static str, outcome: Outcome, detail: String) {
        debug_assert!(CHECKS.iter().any(|(known, _)| *known == id), "{id}");
        debug_assert!(!self.results.iter().any(|r| r.id == id), "{id} twice");
        let detail = self.redactor.scrub(&detail);
        self.results.push(CheckResult {
            id,
            outcome,
            detail,
        });
    }

    pub(crate) fn pass(&mut self, id: &'static str, detail: impl Into<String>) {
        self.record(id, Outcome::Pass, detail.into());
    }

    pub(crate) fn fail(&mut self, id: &'static str, detail: impl Into<String>) {
        self.record(id, Outcome::Fail, detail.into());
    }

    pub(crate) fn skip(&mut self, id: &'static str, detail: impl Into<String>) {
        self.record(id, Outcome::Skip, detail.into());
    }

    /// Keeps a refusal for `errors.*`.
    pub(crate) fn refused(&mut self, what: &'static str, exchange: &Arc<Exchange>) {
        self.refusals.push(Refusal {
            what,
            exchange: exchange.clone(),
        });
    }

    /// The report to preview and export: `--report`, or the first listed.
    pub(crate) fn report_id(&self) -> Option<String> {
        self.options.report.clone().or_else(|| {
            self.reports
                .as_ref()
                .and_then(|rows| rows.first())
                .map(|row| row.id.to_string())
        })
    }

    /// Why an answer to one of the widget's own calls is not a success,
    /// and what to do about it.
    pub(crate) fn unexpected(&self, e: &Exchange) -> String {
        let said = match e.error_message() {
            Some(message) => format!(" \"{}\"", message.chars().take(160).collect::<String>()),
            None if e.body.is_empty() => String::new(),
            None => format!(" ({})", e.snippet()),
        };
        let seen = format!("{} answered {}{said}", e.request_line(), e.status);
        let base = &self.options.base;
        match e.status {
            401 | 403 if self.options.cookie.is_none() => format!(
                "{seen}: the backend wants a session: pass --cookie with the Cookie header of a signed-in browser"
            ),
            401 => format!(
                "{seen}: the session in --cookie is not accepted: sign in again and copy a fresh cookie"
            ),
            403 => format!(
                "{seen}: the backend refused the widget's own request: is the page origin {} one it allows (--origin)?",
                self.options.origin
            ),
            404 | 405 => format!(
                "{seen}: no such endpoint: is --base ({base}) the prefix of the backend's endpoints ({base}/nonce, {base}/reports, …)?"
            ),
            300..=399 => format!(
                "{seen}{}: the widget's fetch would follow it and read a page, not JSON: answer 401 with a JSON {{\"error\"}} when the session is missing, not a redirect",
                e.location()
            ),
            500..=599 => format!(
                "{seen}: the backend failed on the widget's own request; its message or its log says why"
            ),
            _ => format!("{seen}: the widget's own request must succeed"),
        }
    }

    /// Reads `GET {base}/widget-config`, the first request: a backend that
    /// does not answer at all stops the run here.
    async fn read_widget_config(&mut self) -> Result<()> {
        let exchange = self
            .send(self.widget(Method::GET, "/widget-config"))
            .await?;
        let config = if exchange.is_success() {
            exchange.json()
        } else {
            None
        };
        let field = |name: &str| {
            config
                .as_ref()
                .and_then(|c| c.get(name))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let url = field("cxreportsUrl")
            .filter(|url| Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")));
        let workspace = field("workspace");
        match (&url, &workspace) {
            (Some(url), Some(workspace)) => self.notes.push(format!(
                "GET {}/widget-config: CxReports {url}, workspace {workspace}",
                self.options.base
            )),
            _ if exchange.is_success() => self.notes.push(format!(
                "GET {}/widget-config answered {} without {{\"cxreportsUrl\", \"workspace\"}}: ignored",
                self.options.base, exchange.status
            )),
            _ => self.notes.push(format!(
                "no widget-config (GET {}/widget-config answered {}); it is optional",
                self.options.base, exchange.status
            )),
        }
        self.cxreports = self
            .options
            .cxreports_url
            .clone()
            .or(url.map(|u| u.trim_end_matches('/').to_owned()));
        self.workspace = self.options.workspace.clone().or(workspace);
        Ok(())
    }

    fn into_report(mut self) -> Report {
        let position = |id: &str| CHECKS.iter().position(|(known, _)| *known == id);
        self.results.sort_by_key(|r| position(r.id));
        let notes = self.notes.iter().map(|n| self.redactor.scrub(n)).collect();
        Report {
            base: self.options.base.clone(),
            origin: self.options.origin.clone(),
            notes,
            checks: self.results,
        }
    }
}

/// A JSON value's kind, for messages: `a string ("4")`, `null`…
pub(crate) fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({:?})", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
