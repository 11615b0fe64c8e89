//! The report viewer URL: `{base}/ws/{ws}/reports/{report}/preview?{query}`.
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::{ContractError, ReportRef, Result};

/// Percent-encodes every byte of `text`'s UTF-8 but RFC 3986 unreserved
/// characters (letters, digits, `-`, `.`, `_`, `~`), so a value can never end
/// a path segment or a query pair early. Written out rather than through a
/// table of all 256 escapes: the widget's bundle carries this code, and
/// every end user downloads it.
fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// base64url of `bytes`, without padding, as [`BASE64URL`] writes it.
/// Written out rather than through the base64 crate's engine: the widget's
/// bundle carries this code (the engine only decodes, on the servers), and
/// every end user downloads it.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |group, (i, &b)| group | u32::from(b) << (16 - 8 * i));
        // One character per 6 bits the chunk holds: 2, 3 or 4.
        for k in 0..=chunk.len() {
            let index = (group >> (18 - 6 * k)) & 0x3f;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// base64url; padding optional on input, never written on output.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How the `params` JSON rides in the preview query. CxReports' own clients
/// differ (TypeScript/.NET/PHP send JSON text, Python sends base64url) and the
/// viewer accepts both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ParamsEncoding {
    /// The JSON text, percent-encoded (the default).
    #[default]
    Json,
    /// base64url of the JSON text, without padding.
    Base64,
}

impl ParamsEncoding {
    /// Reads the option value `"json"` or `"base64"`.
    ///
    /// ```
    /// use cxreports_contract::ParamsEncoding;
    /// assert_eq!(ParamsEncoding::parse("base64"), Some(ParamsEncoding::Base64));
    /// assert_eq!(ParamsEncoding::parse("xml"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "json" => Some(ParamsEncoding::Json),
            "base64" => Some(ParamsEncoding::Base64),
            _ => None,
        }
    }
}

/// The preview query apart from the nonce. Empty fields are left out of the
/// URL, as CxReports' clients do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviewQuery {
    /// Report parameters: the JSON text of an object.
    pub params_json: Option<String>,
    /// Inline report data: JSON text (small payloads only: it rides in the URL).
    pub data_json: Option<String>,
    /// Id of data stored through `temporary-data`, for large data.
    pub temp_data_id: Option<i64>,
    /// IANA time zone, e.g. `Europe/Belgrade`.
    pub timezone: Option<String>,
    /// Preferred report language, e.g. `en`.
    pub lang: Option<String>,
    /// Theme id or code override.
    pub theme: Option<String>,
    /// Template id or code override.
    pub template: Option<String>,
    /// Hide the viewer's own print button (the host prints from its toolbar).
    pub hide_print_button: bool,
}

impl PreviewQuery {
    /// The query pairs in URL order, values not yet percent-encoded; `params`
    /// already in the chosen encoding.
    pub fn pairs(&self, nonce: &str, encoding: ParamsEncoding) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("nonce", nonce.to_owned())];
        if let Some(params) = non_empty(&self.params_json) {
            let value = match encoding {
                ParamsEncoding::Json => params.to_owned(),
                ParamsEncoding::Base64 => base64url(params.as_bytes()),
            };
            pairs.push(("params", value));
        }
        if let Some(data) = non_empty(&self.data_json) {
            pairs.push(("data", data.to_owned()));
        }
        if let Some(id) = self.temp_data_id {
            pairs.push(("tempDataId", id.to_string()));
        }
        for (key, value) in [
            ("timezone", &self.timezone),
            ("lang", &self.lang),
            ("theme", &self.theme),
            ("template", &self.template),
        ] {
            if let Some(value) = non_empty(value) {
                pairs.push((key, value.to_owned()));
            }
        }
        if self.hide_print_button {
            pairs.push(("hidePrintButton", "true".to_owned()));
        }
        pairs
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// Percent-encodes one path segment so that `/`, `?`, `#` and `%` cannot
/// escape it. Empty, `.` and `..` cannot be a segment at all (URL parsers
/// resolve `%2E%2E` as `..`), so they are refused.
///
/// ```
/// use cxreports_contract::encode_path_segment;
/// assert_eq!(encode_path_segment("a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
/// assert!(encode_path_segment("..").is_err());
/// ```
pub fn encode_path_segment(segment: &str) -> Result<String> {
    match segment {
        "" | "." | ".." => Err(ContractError::BadSegment(segment.to_owned())),
        _ => Ok(percent_encode(segment)),
    }
}

/// Percent-encodes one query value (or key).
pub fn encode_query_value(value: &str) -> String {
    percent_encode(value)
}

/// The viewer path, without origin or query:
/// `/ws/{workspace}/reports/{report}/preview`, both segments encoded.
///
/// ```
/// use cxreports_contract::{preview_path, ReportRef};
/// assert_eq!(preview_path("sales", &ReportRef::Id(7)).unwrap(), "/ws/sales/reports/7/preview");
/// ```
pub fn preview_path(workspace: &str, report: &ReportRef) -> Result<String> {
    let mut path = String::from("/ws/");
    path.push_str(&encode_path_segment(workspace)?);
    path.push_str("/reports/");
    path.push_str(&encode_path_segment(&report.to_string())?);
    path.push_str("/preview");
    Ok(path)
}

/// The full viewer URL the iframe loads. `base` is the CxReports origin (a
/// trailing `/` or a path prefix is kept as given, without a doubled slash).
/// Fails only for a workspace or report that cannot be a path segment.
pub fn preview_url(
    base: &str,
    workspace: &str,
    report: &ReportRef,
    nonce: &str,
    query: &PreviewQuery,
    encoding: ParamsEncoding,
) -> Result<String> {
    let path = preview_path(workspace, report)?;
    let mut url = base.trim_end_matches('/').to_owned();
    url.push_str(&path);
    push_query(&mut url, '?', &query.pairs(nonce, encoding));
    Ok(url)
}

/// Appends `pairs` to `url` as query text: the first pair after `first`
/// (`?` to begin the query, `&` to go on with one), the others after `&`,
/// each `key=value` with the value percent-encoded.
///
/// ```
/// use cxreports_contract::push_query;
/// let mut url = String::from("/r?x=1");
/// push_query(&mut url, '&', &[("lang", "sr".into()), ("theme", "a b".into())]);
/// assert_eq!(url, "/r?x=1&lang=sr&theme=a%20b");
/// ```
pub fn push_query(url: &mut String, first: char, pairs: &[(&str, String)]) {
    let mut joiner = first;
    for (key, value) in pairs {
        url.push(joiner);
        url.push_str(key);
        url.push('=');
        url.push_str(&percent_encode(value));
        joiner = '&';
    }
}

/// Reads a `params` value as the viewer does: JSON text, or base64url (padded
/// or not) of JSON text. The result is always a JSON object.
///
/// ```
/// use cxreports_contract::decode_params;
/// let a = decode_params(r#"{"year":2026}"#).unwrap();
/// let b = decode_params("eyJ5ZWFyIjoyMDI2fQ").unwrap();
/// assert_eq!(a, b);
/// ```
pub fn decode_params(raw: &str) -> Result<serde_json::Value> {
    let trimmed = raw.trim();
    // base64url is decoded to the JSON text first, which is then read as
    // text given as such is (trimmed alike), so both encodings of one text
    // always decode alike.
    let decoded;
    let text = if trimmed.starts_with('{') {
        trimmed
    } else {
        let bytes = BASE64URL
            .decode(trimmed)
            .map_err(|e| ContractError::BadParams(e.to_string()))?;
        decoded = String::from_utf8(bytes).map_err(|e| ContractError::BadParams(e.to_string()))?;
        decoded.trim()
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ContractError::BadParams(e.to_string()))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ContractError::ParamsNotObject)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(url: &str) -> url::Url {
        url::Url::parse(url).unwrap()
    }

    #[test]
    fn every_option_lands_in_the_query_in_order() {
        let q = PreviewQuery {
            params_json: Some(r#"{"a":1}"#.into()),
            data_json: Some("[1,2]".into()),
            temp_data_id: Some(9),
            timezone: Some("Europe/Belgrade".into()),
            lang: Some("sr".into()),
            theme: Some("dark".into()),
            template: Some("t1".into()),
            hide_print_button: true,
        };
        let url = preview_url(
            "http://x/",
            "ws",
            &ReportRef::Id(1),
            "n",
            &q,
            ParamsEncoding::Json,
        )
        .unwrap();
        assert_eq!(
            url,
            "http://x/ws/ws/reports/1/preview?nonce=n&params=%7B%22a%22%3A1%7D&data=%5B1%2C2%5D\
             &tempDataId=9&timezone=Europe%2FBelgrade&lang=sr&theme=dark&template=t1&hidePrintButton=true"
        );
    }

    #[test]
    fn empty_values_are_left_out() {
        let q = PreviewQuery {
            params_json: Some(String::new()),
            lang: Some(String::new()),
            ..PreviewQuery::default()
        };
        let url = preview_url(
            "http://x",
            "w",
            &ReportRef::Id(1),
            "n",
            &q,
            ParamsEncoding::Json,
        )
        .unwrap();
        assert!(url.ends_with("/preview?nonce=n"), "{url}");
    }

    #[test]
    fn base64_params_decode_back() {
        let q = PreviewQuery {
            params_json: Some(r#"{"name":"Ž<b>&"}"#.into()),
            ..PreviewQuery::default()
        };
        let url = preview_url(
            "http://x",
            "w",
            &ReportRef::Id(1),
            "n",
            &q,
            ParamsEncoding::Base64,
        )
        .unwrap();
        let url = parse(&url);
        let raw = url.query_pairs().find(|(k, _)| k == "params").unwrap().1;
        assert!(!raw.contains('{'));
        assert_eq!(decode_params(&raw).unwrap()["name"], "Ž<b>&");
    }

    #[test]
    fn bad_params_are_typed_errors() {
        assert!(matches!(
            decode_params("{nope"),
            Err(ContractError::BadParams(_))
        ));
        assert!(matches!(
            decode_params("!!!"),
            Err(ContractError::BadParams(_))
        ));
        assert_eq!(decode_params("WzFd"), Err(ContractError::ParamsNotObject)); // "[1]"
    }

    #[test]
    fn both_encodings_of_one_text_decode_alike_even_with_odd_whitespace() {
        // `{"year":2026}` and a form feed (found by the decode_params fuzzer):
        // text trims it, so its base64url must too.
        let text = "{\"year\":2026}\u{c}";
        let encoded = BASE64URL.encode(text);
        assert_eq!(encoded, "eyJ5ZWFyIjoyMDI2fQw");
        assert_eq!(decode_params(&encoded), decode_params(text));
        assert_eq!(decode_params(&encoded).unwrap()["year"], 2026);
        // More padding than the length needs is not base64url: refused,
        // though the text without it reads (found by the fuzzer too).
        assert!(matches!(
            decode_params("eyJ5ZWFyIjoyMDI2fQo=="),
            Err(ContractError::BadParams(_))
        ));
        assert_eq!(decode_params("eyJ5ZWFyIjoyMDI2fQo=").unwrap()["year"], 2026);
        assert_eq!(decode_params("eyJ5ZWFyIjoyMDI2fQo").unwrap()["year"], 2026);
        // Not UTF-8 once decoded: refused, not a panic.
        assert!(matches!(
            decode_params("_w"),
            Err(ContractError::BadParams(_))
        ));
    }

    #[test]
    fn hostile_segments_stay_single_segments() {
        for code in ["", ".", ".."] {
            let url = preview_url(
                "http://h",
                code,
                &ReportRef::Id(1),
                "n",
                &PreviewQuery::default(),
                ParamsEncoding::Json,
            );
            assert_eq!(url, Err(ContractError::BadSegment(code.into())));
        }
        for code in [
            "...",
            "a/../../x",
            "../x",
            "%2E%2E",
            "?x=1",
            "#frag",
            "%2F",
            "a b",
            "ünï",
        ] {
            let url = preview_url(
                "http://host",
                code,
                &ReportRef::TypeCode(code.into()),
                "n",
                &PreviewQuery::default(),
                ParamsEncoding::Json,
            )
            .unwrap();
            let parsed = parse(&url);
            let segments: Vec<_> = parsed.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 5, "{url}");
            assert_eq!(segments[0], "ws");
            assert_eq!(segments[4], "preview");
            assert_eq!(parsed.query(), Some("nonce=n"), "{url}");
        }
    }

    fn json_object() -> impl Strategy<Value = String> {
        prop::collection::btree_map("\\PC{0,8}", "\\PC{0,12}", 0..5)
            .prop_map(|m| serde_json::to_string(&m).unwrap())
    }

    proptest! {
        #[test]
        fn query_round_trips_through_a_url_parser(
            params in json_object(),
            data in proptest::option::of("\\PC{0,20}"),
            tz in proptest::option::of("\\PC{1,20}"),
            lang in proptest::option::of("\\PC{1,8}"),
            nonce in "[A-Za-z0-9_-]{1,40}",
            ws in "\\PC{1,12}".prop_filter("a segment", |s| s != "." && s != ".."),
            code in "\\PC{1,12}".prop_filter("a segment", |s| s != "." && s != ".."),
            base64 in any::<bool>(),
        ) {
            let encoding = if base64 { ParamsEncoding::Base64 } else { ParamsEncoding::Json };
            let q = PreviewQuery {
                params_json: Some(params.clone()),
                data_json: data.clone().filter(|d| !d.is_empty()),
                timezone: tz.clone(),
                lang: lang.clone(),
                ..PreviewQuery::default()
            };
            let url = preview_url("https://r.example.com", &ws, &ReportRef::TypeCode(code.clone()), &nonce, &q, encoding).unwrap();
            let parsed = url::Url::parse(&url).unwrap();
            let segments: Vec<String> = parsed
                .path_segments()
                .unwrap()
                .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned())
                .collect();
            prop_assert_eq!(segments, vec!["ws".to_owned(), ws, "reports".to_owned(), code, "preview".to_owned()]);
            let pairs: std::collections::HashMap<String, String> = parsed.query_pairs().into_owned().collect();
            prop_assert_eq!(&pairs["nonce"], &nonce);
            let decoded = decode_params(&pairs["params"]).unwrap();
            prop_assert_eq!(decoded, serde_json::from_str::<serde_json::Value>(&params).unwrap());
            let data = data.filter(|d| !d.is_empty());
            prop_assert_eq!(pairs.get("data"), data.as_ref());
            prop_assert_eq!(pairs.get("timezone"), tz.as_ref());
            prop_assert_eq!(pairs.get("lang"), lang.as_ref());
        }

        #[test]
        fn base64url_is_the_base64_crates_without_padding(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(base64url(&bytes), BASE64URL.encode(&bytes));
        }

        #[test]
        fn percent_encoding_escapes_all_but_unreserved_characters(text in "\\PC{0,40}|[\\x00-\\x7f]{0,40}") {
            const UNRESERVED_KEPT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
                .remove(b'-')
                .remove(b'.')
                .remove(b'_')
                .remove(b'~');
            let reference = percent_encoding::utf8_percent_encode(&text, UNRESERVED_KEPT).to_string();
            prop_assert_eq!(encode_query_value(&text), reference.clone());
            if !matches!(text.as_str(), "" | "." | "..") {
                prop_assert_eq!(encode_path_segment(&text).unwrap(), reference);
            }
        }

        #[test]
        fn decode_params_never_panics(raw in "\\PC{0,64}") {
            let _ = decode_params(&raw);
        }

        #[test]
        fn report_ref_display_round_trips(text in "\\PC{0,20}") {
            let r = ReportRef::parse(&text);
            prop_assert_eq!(ReportRef::parse(&r.to_string()), r);
        }
    }
}
