//! `decode_params` reads a `params` query value as the viewer does: JSON text
//! or base64url JSON. On any input it answers without panicking, answers only
//! objects, and the two encodings of the same text decode alike.
#![no_main]

use base64::alphabet;
use base64::engine::general_purpose::{
    GeneralPurpose, GeneralPurposeConfig, URL_SAFE, URL_SAFE_NO_PAD,
};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// base64url as the contract reads it: the right padding or none, never more.
const PADDING_OPTIONAL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
use cxreports_contract::decode_params;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let decoded = decode_params(raw);
    if let Ok(value) = &decoded {
        assert!(value.is_object(), "not an object: {value}");
        // What the widget would send again decodes again.
        let again = decode_params(&value.to_string());
        assert!(again.is_ok(), "{value} does not decode again: {again:?}");
    }

    let text = raw.trim();
    if text.starts_with('{') {
        // JSON text and base64url (padded or not) of the same text: one answer.
        for encoded in [URL_SAFE_NO_PAD.encode(text), URL_SAFE.encode(text)] {
            assert_eq!(
                decode_params(&encoded).ok(),
                decoded.clone().ok(),
                "{text:?} as base64url {encoded:?}"
            );
        }
    } else if let Ok(bytes) = PADDING_OPTIONAL.decode(text) {
        // base64url of JSON text: the same answer as the text itself, when
        // that text is an object the JSON branch reads. Padding beyond what
        // the length needs (`fQo==` for `fQo=`) is not base64url and is
        // refused, so it is not compared.
        if let Ok(inner) = std::str::from_utf8(&bytes) {
            if inner.starts_with('{') {
                assert_eq!(decoded.clone().ok(), decode_params(inner).ok(), "{text:?}");
            }
        }
    }
});
