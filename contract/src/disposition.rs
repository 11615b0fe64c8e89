//! The file name a `Content-Disposition` header gives, read once for every
//! side: the reference backend passes CxReports' name on, and the widget
//! saves a PDF under the name its host backend gives.

/// The file name a `Content-Disposition` value gives, as RFC 6266 reads it:
/// `filename*` (RFC 5987: UTF-8 or ISO-8859-1, percent-encoded, any language
/// tag) when it can be decoded, else `filename` (a quoted string or a
/// token). `None` when it has neither. The name is as given:
/// [`crate::PdfFileName::from_disposition`] makes it safe to save.
///
/// ```
/// use cxreports_contract::disposition_file_name;
/// let header = r#"attachment; filename="Zurich.pdf"; filename*=UTF-8''Z%C3%BCrich.pdf"#;
/// assert_eq!(disposition_file_name(header).as_deref(), Some("Zürich.pdf"));
/// assert_eq!(disposition_file_name("inline"), None);
/// ```
pub fn disposition_file_name(value: &str) -> Option<String> {
    let (mut plain, mut extended) = (None, None);
    for (name, value) in disposition_params(value) {
        // Parameter names in any letter case, compared as ASCII.
        if name.eq_ignore_ascii_case("filename*") {
            if extended.is_none() {
                extended = decode_ext_value(&value);
            }
        } else if name.eq_ignore_ascii_case("filename") && plain.is_none() {
            plain = Some(value);
        }
    }
    extended.or(plain)
}

/// The `name=value` parameters after the disposition type; quoted values
/// unquoted (`\` escapes the next character), others trimmed.
fn disposition_params(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = text.chars().peekable();
    // The disposition type (`attachment`, `inline`).
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ';' {
                break;
            }
            name.push(c);
            chars.next();
        }
        match chars.next() {
            None => break,
            // A parameter without a value.
            Some(';') => continue,
            Some(_) => {}
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => value.extend(chars.next()),
                    _ => value.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                value.push(c);
            }
            value = value.trim().to_owned();
        }
        params.push((name.trim().to_owned(), value));
    }
    params
}

/// An RFC 5987 `charset'language'percent-encoded` value, decoded; `None`
/// for another charset than UTF-8 or ISO-8859-1, or broken encoding.
fn decode_ext_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    let bytes = percent_decode(encoded)?;
    let charset = charset.trim();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        None
    }
}

/// `%XX` to bytes; `None` if a `%` is not followed by two hex digits.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let mut bytes = text.bytes();
    let mut out = Vec::with_capacity(text.len());
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let high = char::from(bytes.next()?).to_digit(16)?;
            let low = char::from(bytes.next()?).to_digit(16)?;
            out.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            out.push(byte);
        }
    }
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn named(value: &str) -> Option<String> {
        disposition_file_name(value)
    }

    #[test]
    fn read_as_rfc_6266_says() {
        assert_eq!(
            named(r#"attachment; filename="Q3 \"final\".pdf""#).as_deref(),
            Some(r#"Q3 "final".pdf"#)
        );
        assert_eq!(
            named("inline; filename=report-101.PDF").as_deref(),
            Some("report-101.PDF")
        );
        assert_eq!(
            named("attachment;filename = plain ; size=9").as_deref(),
            Some("plain")
        );
        // filename* wins, wherever it stands, with or without a language.
        assert_eq!(
            named("attachment; filename*=UTF-8''Z%C3%BCrich%20%22Q3%22.pdf; filename=\"Z.pdf\"")
                .as_deref(),
            Some("Zürich \"Q3\".pdf")
        );
        assert_eq!(
            named("attachment; FILENAME*=iso-8859-1'en'%FCber.pdf").as_deref(),
            Some("über.pdf")
        );
        // One that cannot be decoded gives way to filename.
        for broken in ["UTF-8''bad%2", "UTF-8''%C3%28", "KOI8-R''%C1", "no-quotes"] {
            assert_eq!(
                named(&format!(
                    "attachment; filename*={broken}; filename=\"fallback.pdf\""
                ))
                .as_deref(),
                Some("fallback.pdf"),
                "{broken}"
            );
        }
        for none in [
            "attachment",
            "",
            "attachment; filename",
            "attachment; filename*=UTF-8''%zz",
        ] {
            assert_eq!(named(none), None, "{none:?}");
        }
        // An unterminated quote reads to the end.
        assert_eq!(
            named("attachment; filename=\"open").as_deref(),
            Some("open")
        );
    }

    proptest! {
        #[test]
        fn any_header_reads_or_not_without_a_panic(value in "\\PC{0,80}") {
            let _ = disposition_file_name(&value);
        }

        #[test]
        fn a_name_written_as_filename_star_reads_back(name in "\\PC{1,40}") {
            let encoded = crate::encode_query_value(&name);
            let header = format!("attachment; filename=\"x.pdf\"; filename*=UTF-8''{encoded}");
            prop_assert_eq!(disposition_file_name(&header), Some(name));
        }
    }
}
