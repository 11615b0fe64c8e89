//! HTML building blocks: escaping, the login page and error pages.
use std::fmt::Write as _;

/// Escapes text for an HTML text node or a quoted attribute value.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The page an anonymous visitor gets, like CxReports' sign-in page. It
/// carries `id="login-form"` so tests and clients can recognise it.
pub(crate) fn login_page() -> String {
    page(
        "Sign in \u{2014} CxReports",
        r#"<main class="login"><h1>Sign in to CxReports</h1>
<form id="login-form" method="post" action="/account/login">
<label>User name <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>
<p>Your session has ended or this link was already used. Open the report again from the application that showed it.</p></main>"#,
    )
}

/// A viewer error page; the message is shown in `id="viewer-error"`.
pub(crate) fn error_page(title: &str, message: &str) -> String {
    let mut body = String::new();
    let _ = write!(
        body,
        r#"<main class="error"><h1>{}</h1><p id="viewer-error">{}</p></main>"#,
        escape(title),
        escape(message)
    );
    page(title, &body)
}

/// A complete, self-contained HTML document.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>{body}</body></html>\n",
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape(r#"O'Brien's <script>"&"</script>"#),
            "O&#39;Brien&#39;s &lt;script&gt;&quot;&amp;&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("Zürich"), "Zürich");
    }

    #[test]
    fn error_pages_escape_their_message() {
        let page = error_page("Bad <request>", "params <b>");
        assert!(page.contains("params &lt;b&gt;"));
        assert!(!page.contains("<b>"));
    }
}
