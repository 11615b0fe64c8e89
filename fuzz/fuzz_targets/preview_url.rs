//! `encode_path_segment` and `preview_url`: any accepted segment decodes back
//! to itself and stays one path segment; the viewer URL parses with the
//! CxReports origin, exactly the expected path, and a query that decodes
//! back to exactly what was given.
#![no_main]

use arbitrary::Arbitrary;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cxreports_contract::{
    encode_path_segment, encode_query_value, preview_url, ParamsEncoding, PreviewQuery, ReportRef,
};
use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;

const BASES: &[&str] = &[
    "https://reports.example.com",
    "http://127.0.0.1:8081/",
    "https://h.example/cx/prefix/",
    "http://xn--zrich-kva.example:65535",
];

#[derive(Debug, Arbitrary)]
struct Input {
    base: u8,
    workspace: String,
    report: String,
    nonce: String,
    params: Option<String>,
    data: Option<String>,
    temp_data_id: Option<i64>,
    timezone: Option<String>,
    lang: Option<String>,
    theme: Option<String>,
    template: Option<String>,
    hide_print_button: bool,
    base64: bool,
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~".contains(&b)
}

/// Only unreserved characters and `%XX`, and decodes back to `text`.
fn check_encoded(text: &str, encoded: &str) {
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            assert!(
                i + 2 < bytes.len()
                    && bytes[i + 1].is_ascii_hexdigit()
                    && bytes[i + 2].is_ascii_hexdigit(),
                "{encoded:?}: a bare %"
            );
            i += 3;
        } else {
            assert!(
                is_unreserved(bytes[i]),
                "{encoded:?} keeps {:?}",
                bytes[i] as char
            );
            i += 1;
        }
    }
    assert_eq!(
        percent_decode_str(encoded).decode_utf8().as_deref(),
        Ok(text)
    );
}

fn decoded_segment(segment: &str) -> String {
    percent_decode_str(segment)
        .decode_utf8()
        .expect("segments decode to UTF-8")
        .into_owned()
}

fuzz_target!(|input: Input| {
    for text in [&input.workspace, &input.report, &input.nonce] {
        match encode_path_segment(text) {
            Ok(encoded) => {
                assert!(!matches!(text.as_str(), "" | "." | ".."));
                check_encoded(text, &encoded);
            }
            Err(_) => assert!(matches!(text.as_str(), "" | "." | "..")),
        }
        check_encoded(text, &encode_query_value(text));
    }

    let base = BASES[usize::from(input.base) % BASES.len()];
    let report = ReportRef::parse(&input.report);
    let encoding = if input.base64 {
        ParamsEncoding::Base64
    } else {
        ParamsEncoding::Json
    };
    let query = PreviewQuery {
        params_json: input.params,
        data_json: input.data,
        temp_data_id: input.temp_data_id,
        timezone: input.timezone,
        lang: input.lang,
        theme: input.theme,
        template: input.template,
        hide_print_button: input.hide_print_button,
    };
    let report_text = report.to_string();
    let url = preview_url(
        base,
        &input.workspace,
        &report,
        &input.nonce,
        &query,
        encoding,
    );
    let segments_ok =
        encode_path_segment(&input.workspace).is_ok() && encode_path_segment(&report_text).is_ok();
    let Ok(url) = url else {
        assert!(
            !segments_ok,
            "refused good segments: {:?}",
            (&input.workspace, &report_text)
        );
        return;
    };
    assert!(segments_ok, "accepted a bad segment: {url}");

    let parsed = url::Url::parse(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
    let base_url = url::Url::parse(base).unwrap();
    assert_eq!(parsed.origin(), base_url.origin(), "{url}");
    assert!(parsed.fragment().is_none(), "{url}");

    let prefix: Vec<String> = base_url
        .path_segments()
        .unwrap()
        .filter(|s| !s.is_empty())
        .map(decoded_segment)
        .collect();
    let segments: Vec<String> = parsed
        .path_segments()
        .unwrap()
        .map(decoded_segment)
        .collect();
    let mut expected = prefix;
    expected.extend([
        "ws".to_owned(),
        input.workspace.clone(),
        "reports".to_owned(),
        report_text,
        "preview".to_owned(),
    ]);
    assert_eq!(segments, expected, "{url}");

    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    let wanted: Vec<(String, String)> = query
        .pairs(&input.nonce, encoding)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    assert_eq!(pairs, wanted, "{url}");
    assert_eq!(
        pairs.iter().filter(|(k, _)| k == "nonce").count(),
        1,
        "{url}"
    );
    if let (ParamsEncoding::Base64, Some((_, value))) =
        (encoding, pairs.iter().find(|(k, _)| k == "params"))
    {
        let text = URL_SAFE_NO_PAD.decode(value).expect("base64url params");
        assert_eq!(
            Some(text.as_slice()),
            query.params_json.as_deref().map(str::as_bytes)
        );
    }
});
