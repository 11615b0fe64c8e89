//! Reading JSON text: options given as objects travel as JSON, and so do the
//! host backend's answers. The widget reads only a few small shapes, so it
//! carries this reader instead of a general JSON library, which would cost
//! every end user of every host page tens of kilobytes of download.
//!
//! The grammar is RFC 8259's, exactly: what a strict parser refuses is
//! refused here too (the native tests and the `json_reader` fuzz target
//! compare the two). Nesting is bounded, so hostile text cannot exhaust the
//! stack.
//!
//! ```
//! use cxreports_contract::model::NonceToken;
//! use cxreports_widget::json::{parse, FromJson, Json};
//!
//! let answer = parse(r#"{"nonce":"n-1","ttl":30}"#).unwrap();
//! assert_eq!(answer.get("ttl").and_then(Json::as_i64), Some(30));
//! assert_eq!(NonceToken::from_json(&answer).unwrap().nonce, "n-1");
//! assert_eq!(parse("{\"a\":}").unwrap_err().to_string(), "expected a value at byte 5");
//! ```
use std::fmt;

pub use crate::host::shapes::FromJson;

/// Nesting deeper than this is refused. Nothing the widget reads comes close,
/// and a reader that recursed without a bound could be made to overflow the
/// stack, which in wasm stops every widget on the page.
pub const MAX_DEPTH: usize = 128;

/// A JSON value. Numbers keep their text; [`Json::as_i64`] reads the integers
/// the contract uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written (`-12`, `0.5`, `1e3`).
    Num(String),
    /// A string, unescaped.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object's members, in order.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// An object member; of repeated names the last, as in browsers.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => members
                .iter()
                .rev()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// An integer written without fraction or exponent, within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Num(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// Why a text is not JSON: what was expected, and at which byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What the reader expected to find.
    pub expected: &'static str,
    /// Byte offset into the text.
    pub at: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.at)
    }
}

/// Parses one JSON value, surrounded by optional whitespace (see the module
/// example).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader { text, pos: 0 };
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.pos < text.len() {
        return Err(reader.error("the end of the text"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, expected: &'static str) -> JsonError {
        JsonError {
            expected,
            at: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` after optional whitespace, if it is there.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        self.pos += usize::from(found);
        found
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_space();
        let rest = &self.text[self.pos..];
        for (word, value) in [
            ("null", Json::Null),
            ("true", Json::Bool(true)),
            ("false", Json::Bool(false)),
        ] {
            if rest.starts_with(word) {
                self.pos += word.len();
                return Ok(value);
            }
        }
        match self.peek() {
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[' | b'{') if depth >= MAX_DEPTH => Err(self.error("less deeply nested JSON")),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("`,` or `]`"));
                        }
                    }
                }
                Ok(Json::Arr(items))
            }
            Some(b'{') => {
                self.pos += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("a member name in quotes"));
                        }
                        let name = self.string()?;
                        if !self.eat(b':') {
                            return Err(self.error("`:`"));
                        }
                        members.push((name, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("`,` or `}`"));
                        }
                    }
                }
                Ok(Json::Obj(members))
            }
            _ => Err(self.error("a value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        self.pos += usize::from(self.peek() == Some(b'-'));
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("a digit after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("a digit in the exponent"));
            }
        }
        Ok(Json::Num(self.text[start..self.pos].to_owned()))
    }

    /// Reads a string literal; `self.pos` is at its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            // Stops only at ASCII bytes, so the run is whole UTF-8.
            out.push_str(&self.text[run..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.error("an escape such as \\n or \\u00e9")),
                    };
                    self.pos += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("no control character in a string")),
                None => return Err(self.error("the closing `\"` of a string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.pos..self.pos + 4);
        match digits.filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit())) {
            Some(d) => {
                self.pos += 4;
                u32::from_str_radix(d, 16).map_err(|_| self.error("four hex digits"))
            }
            None => Err(self.error("four hex digits")),
        }
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.text[self.pos..].starts_with("\\u") {
                    return Err(self.error("the second half of a surrogate pair"));
                }
                self.pos += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("the second half of a surrogate pair"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a surrogate pair in its order")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("a valid code point"))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// serde_json's value, converted, for comparison.
    fn from_serde(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Num(n.to_string()),
            serde_json::Value::String(s) => Json::Str(s.clone()),
            serde_json::Value::Array(a) => Json::Arr(a.iter().map(from_serde).collect()),
            serde_json::Value::Object(o) => {
                Json::Obj(o.iter().map(|(k, v)| (k.clone(), from_serde(v))).collect())
            }
        }
    }

    fn any_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| n.into()),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| f.into()),
            any::<String>().prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..8)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn reads_the_contract_shapes() {
        let v = parse(r#" [{"id":7,"name":"Q3 \"best\" \u00e9\ud83d\ude00","isDefault":true,"x":null,"f":-1.5e3}] "#)
            .unwrap();
        let Json::Arr(items) = &v else {
            panic!("not an array")
        };
        let r = &items[0];
        assert_eq!(r.get("id").and_then(Json::as_i64), Some(7));
        assert_eq!(
            r.get("name").and_then(Json::as_str),
            Some("Q3 \"best\" é😀")
        );
        assert_eq!(r.get("isDefault").and_then(Json::as_bool), Some(true));
        assert_eq!(r.get("x"), Some(&Json::Null));
        assert_eq!(r.get("f").and_then(Json::as_i64), None);
        assert_eq!(r.get("missing"), None);
        assert_eq!(
            parse("{\"a\":}").unwrap_err().to_string(),
            "expected a value at byte 5"
        );
    }

    #[test]
    fn refuses_what_strict_json_refuses() {
        for bad in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "+1",
            "-",
            "1e",
            "\"\\x\"",
            "\"a\nb\"",
            "\"\\ud800\"",
            "\"\\udc00\\ud800\"",
            "nul",
            "[1 2]",
            "{a:1}",
            "1 2",
            "'a'",
            "\"abc",
            "\"\\u12\"",
            "NaN",
            "Infinity",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
            assert!(
                serde_json::from_str::<serde_json::Value>(bad).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(100_000);
        assert_eq!(
            parse(&deep).unwrap_err().expected,
            "less deeply nested JSON"
        );
    }

    proptest! {
        #[test]
        fn reads_what_a_json_writer_writes(v in any_value()) {
            let text = serde_json::to_string(&v).unwrap();
            prop_assert_eq!(parse(&text).unwrap(), from_serde(&v));
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            prop_assert_eq!(parse(&pretty).unwrap(), from_serde(&v));
        }

        #[test]
        fn accepts_exactly_what_a_strict_parser_accepts(
            text in r#"[\[\]{}",:0-9.eE+\-a-z\\ \n]{0,24}"#
        ) {
            let ours = parse(&text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            // Numbers keep their text here; a strict parser also refuses
            // those beyond f64 (`1e999`), which the widget never reads as one.
            let out_of_range = matches!(&theirs, Err(e) if e.to_string().contains("out of range"));
            if !out_of_range {
                prop_assert_eq!(ours, theirs.is_ok(), "on {:?}", text);
            }
        }

        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }
    }
}
