//! The viewer URL's parts as the browser build encodes them (through
//! `encodeURIComponent`): byte for byte what the native build writes, with
//! every byte but RFC 3986's unreserved characters percent-encoded.
#![cfg(target_arch = "wasm32")]

use cxreports_contract::{
    encode_path_segment, encode_query_value, preview_url, ParamsEncoding, PreviewQuery, ReportRef,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The native build's set, written out again here as the reference.
const UNRESERVED_KEPT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn reference(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED_KEPT).to_string()
}

#[wasm_bindgen_test]
fn every_ascii_character_is_encoded_as_the_native_build_does() {
    for c in (0u8..=0x7f).map(char::from) {
        let text = format!("a{c}b");
        assert_eq!(
            encode_query_value(&text),
            reference(&text),
            "{:#04x}",
            c as u32
        );
    }
}

#[wasm_bindgen_test]
fn the_characters_encode_uri_component_keeps_are_encoded() {
    assert_eq!(encode_query_value("!'()*"), "%21%27%28%29%2A");
    assert_eq!(encode_query_value("-._~Az09"), "-._~Az09");
    assert_eq!(
        encode_path_segment("it's (q1)*!").unwrap(),
        "it%27s%20%28q1%29%2A%21"
    );
}

#[wasm_bindgen_test]
fn unicode_is_encoded_byte_by_byte_in_upper_case_hex() {
    for text in [
        "é",
        "Ž",
        "日本語",
        "🙂",
        "\u{202e}x",
        "\u{feff}",
        "\u{10ffff}",
        "mix é!🙂*",
    ] {
        assert_eq!(encode_query_value(text), reference(text), "{text}");
    }
    assert_eq!(encode_query_value("🙂"), "%F0%9F%99%82");
}

#[wasm_bindgen_test]
fn a_whole_viewer_url_is_the_one_the_native_build_writes() {
    let query = PreviewQuery {
        params_json: Some(r#"{"who":"O'Brien (CEO)*","n":1}"#.into()),
        timezone: Some("Europe/Belgrade".into()),
        lang: Some("sr-Latn".into()),
        ..PreviewQuery::default()
    };
    let url = preview_url(
        "https://reports.example.com/",
        "sales & co",
        &ReportRef::parse("q!(1)"),
        "n0nce",
        &query,
        ParamsEncoding::Json,
    )
    .unwrap();
    assert_eq!(
        url,
        "https://reports.example.com/ws/sales%20%26%20co/reports/q%21%281%29/preview?nonce=n0nce\
         &params=%7B%22who%22%3A%22O%27Brien%20%28CEO%29%2A%22%2C%22n%22%3A1%7D\
         &timezone=Europe%2FBelgrade&lang=sr-Latn"
    );
}
