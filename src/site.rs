//! Whether CxReports is cross-site to the page, and the warning that says so.
//!
//! The viewer's session is a cookie CxReports sets in the iframe. Browsers
//! treat a cookie set inside a frame whose site differs from the page's as a
//! third-party cookie: Safari blocks it unless it is `Partitioned`, Firefox
//! partitions it, Chromium blocks it where the reader (or a policy) turned
//! third-party cookies off. The report's first page still shows (the nonce
//! signs it in), but whatever the viewer loads next fails. So the widget
//! says so once per page, with the remedy.
//!
//! A site is the scheme and the registrable domain. Telling the registrable
//! domain exactly needs the Public Suffix List, far too big for the bundle,
//! so [`site_of`] uses a small rule: an IP address or a one-label host is its
//! own site; otherwise the last two labels, or three when they end in a
//! two-letter country code under a common second-level label (`co.uk`,
//! `com.au`, …). Its limits: hosts under a shared hosting suffix
//! (`a.github.io` and `b.github.io`, `x.azurewebsites.net`) count as
//! same-site though browsers treat them as cross-site (no warning where one
//! was due), and country suffixes outside the list are read as two labels.

/// Second-level labels under which a two-letter country code's domains are
/// registered (`example.co.uk`, `example.com.au`).
const COUNTRY_SECOND_LEVELS: &[&str] = &[
    "ac", "co", "com", "edu", "gov", "gv", "ltd", "me", "mil", "ne", "net", "or", "org", "plc",
    "sch",
];

/// The site of an origin (`scheme://host[:port]`): its scheme and
/// registrable domain, by the rule in the module's comment. `None` for what
/// is not an origin with a host.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn site_of(origin: &str) -> Option<String> {
    let (scheme, domain) = site_parts(origin)?;
    let mut site = format!("{scheme}://{domain}");
    if !domain.starts_with('[') {
        site.make_ascii_lowercase();
    }
    Some(site)
}

/// The scheme and registrable domain of an origin, as written (an IPv6
/// address with its brackets); `None` for what is not an origin with a host.
fn site_parts(origin: &str) -> Option<(&str, &str)> {
    let (scheme, authority) = origin.split_once("://")?;
    if authority.starts_with('[') {
        // An IPv6 address is its own site; its port comes after `]`.
        let end = authority.find(']')?;
        return Some((scheme, &authority[..=end]));
    }
    let host = authority.split(':').next()?.trim_end_matches('.');
    if scheme.is_empty() || host.is_empty() || host.contains([' ', '/']) {
        return None;
    }
    let labels = host.split('.').count();
    if host.split('.').any(str::is_empty) {
        return None;
    }
    let is_ipv4 = labels == 4 && host.bytes().all(|b| b == b'.' || b.is_ascii_digit());
    let mut from_top = host.rsplit('.');
    let top = from_top.next()?;
    let second = from_top.next();
    let keep = if is_ipv4 {
        labels
    } else if top.len() == 2 && second.is_some_and(|s| COUNTRY_SECOND_LEVELS.contains(&s)) {
        3
    } else {
        2
    };
    // The last `keep` labels (all of them when there are fewer) start
    // after the dot ending the labels before them.
    let start = match labels.saturating_sub(keep) {
        0 => 0,
        before => host.match_indices('.').nth(before - 1)?.0 + 1,
    };
    Some((scheme, &host[start..]))
}

/// Whether a frame on `frame_origin` is cross-site to a page on
/// `page_origin`: their sites differ, in any letter case (an IPv6 address
/// exactly). Unknown when either is not an origin with a host (`false`: the
/// widget only warns when it is sure).
pub(crate) fn is_cross_site(page_origin: &str, frame_origin: &str) -> bool {
    match (site_parts(page_origin), site_parts(frame_origin)) {
        (Some((page_scheme, page)), Some((frame_scheme, frame))) => {
            if page.starts_with('[') {
                page_scheme != frame_scheme || page != frame
            } else {
                !(page_scheme.eq_ignore_ascii_case(frame_scheme)
                    && page.eq_ignore_ascii_case(frame))
            }
        }
        _ => false,
    }
}

/// A note for the host: the widget works, but not as well as it could.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// CxReports is on another site than the page, so its viewer's session
    /// cookie is a third-party cookie, which many browsers block.
    CrossSite {
        /// The page's origin.
        page_origin: String,
        /// The CxReports origin.
        cxreports_origin: String,
    },
}

impl Warning {
    /// The `kind` of the `cxreports:warning` event (one of the surface
    /// table's [`WARNING_KINDS`](crate::config::WARNING_KINDS)).
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::CrossSite { .. } => "cross-site",
        }
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::CrossSite {
                page_origin,
                cxreports_origin,
            } => write!(
                f,
                "cxreports-widget: CxReports ({cxreports_origin}) is on another site than this \
                 page ({page_origin}): browsers that block third-party cookies will show a \
                 report's first page, then fail inside it (\"Open in new tab\" works). Serve \
                 CxReports from a subdomain of this page's site, or have it set its session \
                 cookie SameSite=None; Secure; Partitioned."
            ),
        }
    }
}

/// The warning to give for CxReports on `cxreports_origin` embedded in a
/// page on `page_origin`, unless `already_warned` says this page has had it.
pub(crate) fn warning_for(
    page_origin: &str,
    cxreports_origin: &str,
    already_warned: &[String],
) -> Option<Warning> {
    let warned = already_warned.iter().any(|o| o == cxreports_origin);
    (!warned && is_cross_site(page_origin, cxreports_origin)).then(|| Warning::CrossSite {
        page_origin: page_origin.to_owned(),
        cxreports_origin: cxreports_origin.to_owned(),
    })
}

thread_local! {
    /// The CxReports origins this page has been warned about.
    static WARNED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// At a widget's start: the cross-site warning, the first time this page
/// embeds CxReports on `cxreports_origin` from another site, also written to
/// the console. `None` afterwards, for a same-site CxReports, and outside a
/// browser.
pub(crate) fn warn_once(cxreports_origin: &str) -> Option<Warning> {
    let page_origin = web_sys::window()?.location().origin().ok()?;
    let warning = WARNED.with(|warned| {
        let mut warned = warned.borrow_mut();
        let warning = warning_for(&page_origin, cxreports_origin, &warned)?;
        warned.push(cxreports_origin.to_owned());
        Some(warning)
    })?;
    web_sys::console::warn_1(&warning.to_string().into());
    Some(warning)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sites_are_scheme_and_registrable_domain() {
        for (origin, site) in [
            ("https://app.example.com", "https://example.com"),
            ("https://reports.example.com:8443", "https://example.com"),
            ("https://a.b.example.com", "https://example.com"),
            ("https://example.com", "https://example.com"),
            ("https://App.Example.COM.", "https://example.com"),
            ("https://reports.acme.co.uk", "https://acme.co.uk"),
            ("https://acme.co.uk", "https://acme.co.uk"),
            ("https://x.acme.com.au", "https://acme.com.au"),
            ("http://localhost:8080", "http://localhost"),
            ("http://127.0.0.1:8081", "http://127.0.0.1"),
            ("http://[::1]:8081", "http://[::1]"),
            ("https://cxreports", "https://cxreports"),
        ] {
            assert_eq!(site_of(origin).as_deref(), Some(site), "{origin}");
        }
        for origin in [
            "",
            "example.com",
            "https://",
            "https://a..b",
            "https://[::1",
        ] {
            assert_eq!(site_of(origin), None, "{origin}");
        }
    }

    #[test]
    fn cross_site_is_about_sites_not_origins() {
        // Same site, other origin: a subdomain, another port.
        assert!(!is_cross_site(
            "https://app.example.com",
            "https://reports.example.com"
        ));
        assert!(!is_cross_site(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8081"
        ));
        // Cross-site: another domain, another scheme, loopback by another name.
        assert!(is_cross_site(
            "https://app.example.com",
            "https://acme.cxreports.com"
        ));
        assert!(is_cross_site(
            "http://app.example.com",
            "https://reports.example.com"
        ));
        assert!(is_cross_site(
            "http://localhost:8080",
            "http://127.0.0.1:8081"
        ));
        assert!(is_cross_site("https://a.co.uk", "https://b.co.uk"));
        // Not sure: no warning.
        assert!(!is_cross_site("null", "https://reports.example.com"));
    }

    #[test]
    fn one_warning_per_cxreports_origin() {
        let (page, cx) = ("http://localhost:8080", "http://127.0.0.1:8081");
        let warning = warning_for(page, cx, &[]).map(|w| (w.kind(), w.to_string()));
        let (kind, message) = warning.unwrap_or_default();
        assert_eq!(kind, "cross-site");
        assert!(message.contains(cx) && message.contains(page), "{message}");
        assert!(message.contains("Partitioned") && message.contains("subdomain"));
        assert_eq!(warning_for(page, cx, &[cx.to_owned()]), None);
        assert_eq!(warning_for(page, "http://localhost:9000", &[]), None);
    }

    proptest! {
        #[test]
        fn subdomains_of_one_domain_are_same_site(
            a in "[a-z]{1,8}", b in "[a-z]{1,8}",
            // A country's own second level (`plc.io`, `com.de`) is not a
            // domain of its own: each name under it is a site.
            domain in "[a-z]{3,10}".prop_filter("a registrable domain", |d| !COUNTRY_SECOND_LEVELS.contains(&d.as_str())),
            tld in "(com|org|net|io|de|rs)", port in 1u16..,
        ) {
            let page = format!("https://{a}.{domain}.{tld}");
            let frame = format!("https://{b}.{domain}.{tld}:{port}");
            prop_assert!(!is_cross_site(&page, &frame));
            let other = format!("https://{b}.{domain}x.{tld}");
            prop_assert!(is_cross_site(&page, &other));
        }

        #[test]
        fn any_text_is_read_without_panicking(page in ".*", frame in ".*") {
            let _ = is_cross_site(&page, &frame);
        }
    }
}
