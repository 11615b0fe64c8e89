//! Percent-encoding of everything but RFC 3986's unreserved characters
//! (`A-Z a-z 0-9 - . _ ~`), so that a value can never end a path segment or
//! a query pair early. Every other byte of the UTF-8 text becomes `%XX`,
//! upper-case hex.
//!
//! In the browser the work is the browser's own `encodeURIComponent`, which
//! leaves five more characters as they are (`! ' ( ) *`): those are encoded
//! after it, so both builds write the same bytes. Natively (the simulator,
//! the reference backend) the `percent-encoding` crate does it.

#[cfg(not(target_arch = "wasm32"))]
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// The bytes left as they are: RFC 3986's unreserved characters.
#[cfg(not(target_arch = "wasm32"))]
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `text` with every byte but the unreserved ones percent-encoded.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn strict_encode(text: &str) -> String {
    utf8_percent_encode(text, STRICT).to_string()
}

/// `text` with every byte but the unreserved ones percent-encoded.
#[cfg(target_arch = "wasm32")]
pub(crate) fn strict_encode(text: &str) -> String {
    // A Rust string has no lone surrogate, the one input that makes
    // encodeURIComponent throw.
    let encoded = String::from(js_sys::encode_uri_component(text));
    let mut out = String::with_capacity(encoded.len());
    for c in encoded.chars() {
        match c {
            '!' => out.push_str("%21"),
            '\'' => out.push_str("%27"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '*' => out.push_str("%2A"),
            _ => out.push(c),
        }
    }
    out
}
