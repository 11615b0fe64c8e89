//! The JS-facing surface is rendered from the widget's own tables: the
//! loader's generated block (`www/cxreports-widget.js`), the TypeScript
//! declarations' generated region (`www/cxreports-widget.d.ts`) and the data
//! the custom-elements manifest is built from (`www/surface.json`). Each
//! test fails when a checked-in file differs from what the tables give;
//!
//!     CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface
//!
//! rewrites them instead.
#![cfg(not(target_arch = "wasm32"))]
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cxreports_widget::i18n::{Key, SHIPPED};
use cxreports_widget::internals::{
    attribute_to_option, is_endpoint, is_endpoint_char, is_server_url_char, widget_headers, Kind,
    OptionSpec, ABSOLUTE_STARTS, ACCEPT_JSON, ELEMENT_ATTRIBUTES, ELEMENT_ATTRIBUTE_PREFIXES,
    ENDPOINT_OPTIONS, ERROR_KINDS, ERROR_STAGES, EVENTS, OPTIONS, PATH_STARTS, WARNING_KINDS,
};

const BEGIN: &str = "// BEGIN GENERATED";
const END: &str = "// END GENERATED\n";
const REGENERATE: &str = "CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface";

fn path(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(file)
}

/// The first line of a generated region: where it comes from, and how to
/// write it again.
fn banner(sources: &str) -> String {
    format!("{BEGIN} from {sources}: do not edit.\n// `{REGENERATE}` writes it again.\n")
}

/// Checks that `file`'s generated region (from its `BEGIN` line to its
/// `END` line, both included) is `rendered`; rewrites it under
/// `CXR_REGENERATE=1`.
fn check_region(file: &str, rendered: &str) {
    let text = std::fs::read_to_string(path(file)).unwrap();
    let start = text
        .find(BEGIN)
        .unwrap_or_else(|| panic!("{file} has no `{BEGIN}` line"));
    let end = start
        + text[start..]
            .find(END)
            .unwrap_or_else(|| panic!("{file} has no `{}` line", END.trim()))
        + END.len();
    let current = &text[start..end];
    if current == rendered {
        return;
    }
    if std::env::var_os("CXR_REGENERATE").is_some() {
        let updated = format!("{}{rendered}{}", &text[..start], &text[end..]);
        std::fs::write(path(file), updated).unwrap();
        return;
    }
    panic!(
        "{file}'s generated region differs from what src/config/surface.rs gives: \
         run `{REGENERATE}`\n--- checked in\n{current}\n--- rendered\n{rendered}"
    );
}

/// Checks that the whole of `file` is `rendered`; rewrites it under
/// `CXR_REGENERATE=1`.
fn check_file(file: &str, rendered: &str) {
    let current = std::fs::read_to_string(path(file)).unwrap_or_default();
    if current == rendered {
        return;
    }
    if std::env::var_os("CXR_REGENERATE").is_some() {
        std::fs::write(path(file), rendered).unwrap();
        return;
    }
    panic!("{file} differs from what src/config/surface.rs gives: run `{REGENERATE}`");
}

fn quoted(items: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    items
        .into_iter()
        .map(|item| format!("\"{}\"", item.as_ref()))
        .collect()
}

/// `items` joined by `separator`, after `open` and before `close`, broken
/// into lines of at most 100 characters indented by `indent`.
fn wrap(open: &str, items: &[String], separator: &str, close: &str, indent: &str) -> String {
    let one_line = format!("{open}{}{close}", items.join(separator));
    if one_line.len() <= 100 {
        return one_line;
    }
    let mut out = format!("{}\n", open.trim_end());
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item}{}", separator.trim_end())
        } else {
            item.clone()
        };
        if !line.is_empty() && indent.len() + line.len() + 1 + piece.len() > 100 {
            let _ = writeln!(out, "{indent}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    let _ = writeln!(out, "{indent}{line}");
    out.push_str(close.trim_start());
    out
}

/// A JS regular expression's text for a string that starts as `starts`
/// (letter case ignored by the expression's `i` flag).
fn alternatives(starts: &[&str]) -> String {
    starts
        .iter()
        .map(|start| {
            start
                .chars()
                .map(|c| match c {
                    '/' | '.' | '\\' => format!("\\{c}"),
                    c => c.to_string(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// A JS character class of every character `allowed` refuses, as ranges
/// of code points.
fn refused(allowed: fn(char) -> bool) -> String {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        if allowed(c) {
            continue;
        }
        let code = u32::from(c);
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == code => *end = code,
            _ => ranges.push((code, code)),
        }
    }
    // Printable ASCII as itself (escaped where a class needs it), the rest
    // as `\\xNN` or `\\uNNNN`: every refused character is in the first plane.
    let escape = |code: u32| match char::from_u32(code) {
        Some(c @ ('\\' | ']' | '[' | '^' | '-' | '/')) => format!("\\{c}"),
        Some(c) if c.is_ascii_graphic() || c == ' ' => c.to_string(),
        _ if code < 0x100 => format!("\\x{code:02x}"),
        _ => {
            assert!(code <= 0xFFFF, "{code:x} is beyond the first plane");
            format!("\\u{code:04x}")
        }
    };
    let class: String = ranges
        .iter()
        .map(|&(start, end)| match end - start {
            0 => escape(start),
            _ => format!("{}-{}", escape(start), escape(end)),
        })
        .collect();
    format!("[{class}]")
}

/// The loader's spelling of an option as an attribute, and back.
const NAME_CASES: &str = "const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());\n\
                          const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);\n";

/// How the loader reads an option (as the widget does: `null`, `undefined`
/// and blank text are not given), and what it requests first for a set of
/// options: [`ViewerConfig::first_requests`], where the nonce comes from
/// `nonceUrl` (a `fetchNonce` function is the viewer's to call).
/// `the_loaders_first_requests_are_the_widgets` runs it through node.
///
/// [`ViewerConfig::first_requests`]: cxreports_widget::ViewerConfig::first_requests
const FIRST_REQUESTS: &str = r#"/** An option's text, trimmed ("" when it is not text). */
const optionText = (options, name) => (typeof options[name] === "string" ? options[name].trim() : "");
/** Whether an option is given, as the widget reads options. */
const optionGiven = (options, name) => options[name] !== undefined && options[name] !== null
  && (typeof options[name] !== "string" || optionText(options, name) !== "");
/**
 * What a widget requests first (ViewerConfig::first_requests): the list
 * unless a static `reports` is given, and a nonce from `nonceUrl` when a
 * report is preselected or nonces are prefetched.
 */
function firstRequests(options) {
  const given = (name) => optionGiven(options, name);
  const prefetch = options.prefetchNonce !== false && optionText(options, "prefetchNonce") !== "false";
  return {
    list: given("reportsUrl") && !given("reports"),
    nonce: given("nonceUrl") && (given("report") || prefetch),
  };
}
"#;

/// The JS regular expression of how an endpoint starts.
fn endpoint_start() -> String {
    format!(
        "/^(?:{}|(?!\\/\\/)(?:{}))/i",
        alternatives(ABSOLUTE_STARTS),
        alternatives(PATH_STARTS)
    )
}

fn loader_block() -> String {
    let mut out =
        banner("src/config/surface.rs, src/config/urls.rs, src/host/headers.rs, src/i18n");
    out.push_str("/** Every option name the widget knows (no secret-like name is one). */\n");
    let names = quoted(OPTIONS.iter().map(|o| o.name));
    let _ = writeln!(
        out,
        "{};",
        wrap("const OPTIONS = new Set([", &names, ", ", "])", "  ")
    );
    out.push_str("// An option's attribute (kebab-case) and back, as the widget spells them.\n");
    out.push_str(NAME_CASES);
    out.push_str(
        "// Every option is a property (camelCase) and, but these, an attribute\n\
         // (kebab-case). Text-like ones reflect to their attribute; objects and\n\
         // functions live only as properties (RICH).\n",
    );
    let property_only = quoted(OPTIONS.iter().filter(|o| !o.is_attribute()).map(|o| o.name));
    let _ = writeln!(
        out,
        "{};",
        wrap(
            "const PROPERTY_ONLY = new Set([",
            &property_only,
            ", ",
            "])",
            "  "
        )
    );
    let rich = quoted(OPTIONS.iter().filter(|o| o.is_rich()).map(|o| o.name));
    out.push_str("/** Properties whose values may be objects or functions: not reflected. */\n");
    let _ = writeln!(
        out,
        "{};",
        wrap("const RICH = new Set([", &rich, ", ", "])", "  ")
    );
    out.push_str(
        "/** The host endpoints; the head start calls one only on this page's origin. */\n",
    );
    let _ = writeln!(
        out,
        "{};",
        wrap(
            "const ENDPOINTS = [",
            &quoted(ENDPOINT_OPTIONS),
            ", ",
            "]",
            "  "
        )
    );
    out.push_str(
        "/** How an endpoint starts: absolute http(s), or a path on this site (never `//`). */\n",
    );
    let _ = writeln!(out, "const ENDPOINT_START = {};", endpoint_start());
    out.push_str(
        "/** A character no endpoint holds: white space, a control character, a backslash. */\n",
    );
    let _ = writeln!(
        out,
        "const NOT_IN_ENDPOINT = /{}/;",
        refused(is_endpoint_char)
    );
    out.push_str(
        "/** A character an absolute endpoint does not hold before its query: no credentials, no quotes. */\n",
    );
    let _ = writeln!(
        out,
        "const NOT_IN_SERVER_URL = /{}/;",
        refused(is_server_url_char)
    );
    out.push_str("/** The widget's headers on a call answered with JSON, in the order sent. */\n");
    let headers: Vec<String> = widget_headers(ACCEPT_JSON)
        .iter()
        .map(|(name, value)| format!("[\"{name}\", \"{value}\"]"))
        .collect();
    let _ = writeln!(out, "const HEADERS = [{}];", headers.join(", "));
    out.push_str("/** Attributes any element may carry, which are not options. */\n");
    let host: Vec<String> = ELEMENT_ATTRIBUTES
        .iter()
        .map(|a| a.to_string())
        .chain(ELEMENT_ATTRIBUTE_PREFIXES.iter().map(|p| format!("{p}.*")))
        .collect();
    let _ = writeln!(out, "const HOST_ATTRIBUTE = /^({})$/;", host.join("|"));
    out.push_str(FIRST_REQUESTS);
    out.push_str(
        "// Languages other than English are small modules beside this one,\n\
         // loaded only by a widget that speaks one. Each is named in full, so\n\
         // every bundler (Vite, webpack, esbuild, Parcel) splits it into a chunk\n\
         // of its own; the widget decides which one.\n",
    );
    let catalogs: Vec<String> = SHIPPED
        .iter()
        .filter(|tag| **tag != "en")
        .map(|tag| {
            let key = if tag.contains('-') {
                format!("\"{tag}\"")
            } else {
                tag.to_string()
            };
            format!("{key}: () => import(\"./locales/{tag}.js\")")
        })
        .collect();
    let _ = writeln!(
        out,
        "{};",
        wrap("const CATALOGS = {", &catalogs, ", ", "}", "  ")
    );
    out.push_str(END);
    out
}

/// A doc comment, on one line or several, indented by `indent`.
fn doc_comment(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    match lines.as_slice() {
        [one] => format!("{indent}/** {one} */\n"),
        _ => {
            let mut out = format!("{indent}/**\n");
            for line in lines {
                let _ = writeln!(out, "{indent} * {line}");
            }
            let _ = writeln!(out, "{indent} */");
            out
        }
    }
}

fn union(name: &str, values: &[String]) -> String {
    let one_line = format!("export type {name} = {};", values.join(" | "));
    if one_line.len() <= 100 {
        return format!("{one_line}\n");
    }
    let mut out = format!("export type {name} =\n");
    let mut line = String::from("  |");
    for value in values {
        if line.len() + value.len() + 3 > 100 {
            let _ = writeln!(out, "{line}");
            line = String::from("  |");
        } else if line != "  |" {
            line.push_str(" |");
        }
        line.push(' ');
        line.push_str(value);
    }
    let _ = writeln!(out, "{line};");
    out
}

fn types_region() -> String {
    let mut out = banner("src/config/surface.rs and src/i18n");
    out.push_str(
        "\n/** Options of `mount()`. Attributes of `<cx-report-viewer>` mirror them in kebab-case. */\n\
         export interface ViewerOptions {\n",
    );
    for option in OPTIONS {
        out.push_str(&doc_comment(option.doc, "  "));
        let optional = if option.required { "" } else { "?" };
        let _ = writeln!(out, "  {}{optional}: {};", option.name, option.ts_type);
    }
    out.push_str("}\n\n/** Every option's name. */\n");
    out.push_str(&union(
        "OptionName",
        &quoted(OPTIONS.iter().map(|o| o.name)),
    ));
    out.push_str("\n/** The attributes of `<cx-report-viewer>` that are options. */\n");
    let attributes: Vec<String> = OPTIONS
        .iter()
        .filter(|o| o.is_attribute())
        .map(OptionSpec::attribute_name)
        .collect();
    out.push_str(&union("OptionAttribute", &quoted(&attributes)));
    out.push_str(
        "\n/** The keys of the widget's messages (see the README's language section). */\n",
    );
    out.push_str(&union(
        "MessageKey",
        &quoted(Key::ALL.iter().map(|k| k.name())),
    ));
    out.push_str(
        "\n/** What went wrong, as `cxreports:error` says it (`load`: the WebAssembly could not load). */\n",
    );
    out.push_str(&union("ErrorKind", &quoted(ERROR_KINDS)));
    out.push_str("\n/** What the widget was doing when it failed. */\n");
    out.push_str(&union("ErrorStage", &quoted(ERROR_STAGES)));
    out.push_str(
        "\n/** What a `cxreports:warning` is about (`cross-site`: CxReports is on another site than the page). */\n",
    );
    out.push_str(&union("WarningKind", &quoted(WARNING_KINDS)));
    out.push_str("\n/** The events of `<cx-report-viewer>` (they bubble out of shadow roots too). */\nexport interface ViewerEventMap {\n");
    for event in EVENTS {
        out.push_str(&doc_comment(event.doc, "  "));
        let _ = writeln!(
            out,
            "  \"{}\": CustomEvent<{}>;",
            event.name, event.detail_ts_type
        );
    }
    out.push_str("}\n");
    out.push_str(END);
    out
}

/// The data `scripts/package.mjs` builds `custom-elements.json` from.
fn manifest_data() -> String {
    let options: Vec<serde_json::Value> = OPTIONS
        .iter()
        .map(|o| {
            serde_json::json!({
                "name": o.name,
                "attribute": o.is_attribute().then(|| o.attribute_name()),
                "reflected": !o.is_rich(),
                "type": o.ts_type,
                "required": o.required,
                "description": o.doc.lines().collect::<Vec<_>>().join(" "),
            })
        })
        .collect();
    let events: Vec<serde_json::Value> = EVENTS
        .iter()
        .map(|e| {
            serde_json::json!({
                "name": e.name,
                "description": e.doc,
                "detail": e.detail_ts_type,
            })
        })
        .collect();
    let data = serde_json::json!({
        "generated": format!("from src/config/surface.rs by `{REGENERATE}`: do not edit"),
        "options": options,
        "events": events,
        "errorKinds": ERROR_KINDS,
        "warningKinds": WARNING_KINDS,
        "errorStages": ERROR_STAGES,
    });
    format!("{}\n", serde_json::to_string_pretty(&data).unwrap())
}

/// Runs `program` in node (the loader's code with a probe after it) and
/// reads the JSON it prints.
fn node<T: serde::de::DeserializeOwned>(program: &str) -> T {
    let run = std::process::Command::new("node")
        .args(["-e", program])
        .output()
        .expect("node (the loader's checks run it; scripts/bootstrap.sh)");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("the probe prints JSON")
}

#[test]
fn the_loaders_generated_block_is_current() {
    check_region("www/cxreports-widget.js", &loader_block());
}

#[test]
fn the_typescript_generated_region_is_current() {
    check_region("www/cxreports-widget.d.ts", &types_region());
}

#[test]
fn the_manifest_data_is_current() {
    check_file("www/surface.json", &manifest_data());
}

/// The loader's endpoint check is the widget's: the characters it refuses
/// (anywhere, and before the query of an absolute one) are exactly those
/// [`is_endpoint`] refuses, and the starts it accepts are the ones
/// [`is_endpoint`] accepts. (An absolute one must also be on the page's own
/// origin, whose host and port the browser has already checked.)
#[test]
fn the_loaders_endpoint_rule_is_the_widgets() {
    // Every character either rule refuses is in the first plane.
    let characters = (0..=0xFFFF).chain([0x1F600, 0x10FFFF]);
    for c in characters.filter_map(char::from_u32) {
        let allowed = is_endpoint_char(c);
        assert_eq!(is_endpoint(&format!("/a{c}b")), allowed, "{c:?}");
        // Before its query, an absolute one also holds no server-URL refusal.
        let before_query = allowed && (is_server_url_char(c) || c == '?' || c == '#');
        assert_eq!(
            is_endpoint(&format!("https://h.example/a{c}b")),
            before_query,
            "{c:?}"
        );
        assert_eq!(
            is_endpoint(&format!("https://h.example/a?{c}b")),
            allowed,
            "{c:?}"
        );
    }
    for start in PATH_STARTS {
        assert!(is_endpoint(&format!("{start}x")), "{start}");
    }
    for start in ABSOLUTE_STARTS {
        assert!(is_endpoint(&format!("{start}h.example/x")), "{start}");
        assert!(
            is_endpoint(&format!("{}h.example/x", start.to_uppercase())),
            "{start}"
        );
    }
    assert!(!is_endpoint("//h.example/x"));
}

/// The character classes the loader is given mean, to a JS engine, exactly
/// the characters the widget refuses (node runs them over the first plane).
#[test]
fn the_loaders_character_classes_mean_what_the_widget_refuses() {
    for allowed in [is_endpoint_char as fn(char) -> bool, is_server_url_char] {
        let program = format!(
            "const r = /{}/; const out = []; \
             for (let c = 0; c <= 0xffff; c++) if (r.test(String.fromCharCode(c))) out.push(c); \
             console.log(JSON.stringify(out));",
            refused(allowed)
        );
        let by_js: Vec<u32> = node(&program);
        let by_rust: Vec<u32> = (0..=0xFFFF)
            .filter(|&code| char::from_u32(code).is_some_and(|c| !allowed(c)))
            .collect();
        // Lone surrogates are no `char`: the class leaves them alone too.
        assert_eq!(by_js, by_rust);
    }
}

/// The start the loader's expression accepts is the widget's, over clean
/// addresses of every kind.
#[test]
fn the_loaders_endpoint_start_means_what_the_widget_accepts() {
    let starts = [
        "/",
        "//",
        "///",
        "./",
        "../",
        ".../",
        ".",
        "..",
        "http://",
        "https://",
        "HTTP://",
        "hTtPs://",
        "https:/",
        "https:",
        "http//",
        "ftp://",
        "javascript:",
        "data:",
        "mailto:",
        "",
        "a/",
        "?",
        "#",
    ];
    let samples: Vec<String> = starts.iter().map(|s| format!("{s}h.example/a")).collect();
    let program = format!(
        "const r = {}; console.log(JSON.stringify({}.map((s) => r.test(s))));",
        endpoint_start(),
        serde_json::to_string(&samples).unwrap()
    );
    let by_js: Vec<bool> = node(&program);
    let by_rust: Vec<bool> = samples.iter().map(|s| is_endpoint(s)).collect();
    assert_eq!(by_js, by_rust, "{samples:?}");
}

/// The loader spells every option's attribute as the widget does, and reads
/// it back as the widget does.
#[test]
fn the_loader_spells_attributes_as_the_widget() {
    let names: Vec<&str> = OPTIONS.iter().map(|o| o.name).collect();
    let program = format!(
        "{NAME_CASES}const names = {}; \
         console.log(JSON.stringify(names.map((n) => [kebab(n), camel(kebab(n))])));",
        serde_json::to_string(&names).unwrap()
    );
    let by_js: Vec<(String, String)> = node(&program);
    let by_rust: Vec<(String, String)> = OPTIONS
        .iter()
        .map(|o| (o.attribute_name(), attribute_to_option(&o.attribute_name())))
        .collect();
    assert_eq!(by_js, by_rust);
}

/// The loader's first requests are the widget's, over every combination of
/// the options that decide them, each given as a JS host or an attribute
/// may give it. (Where the widget refuses the options, it aborts whatever
/// left; those sets are not compared.)
#[test]
fn the_loaders_first_requests_are_the_widgets() {
    use cxreports_widget::{RawValue, ViewerConfig};
    use serde_json::{json, Value};

    // Each value as JS gives it, and as the widget's front end reads it.
    let absent = || (Value::Null, RawValue::Absent);
    let text = |s: &str| (json!(s), RawValue::Str(s.into()));
    let list = |v: Value| match &v {
        Value::String(s) if s.trim().is_empty() => (v.clone(), RawValue::Absent),
        _ => (v, RawValue::Reports(Default::default())),
    };
    let reports_urls = [absent(), text("/api/r"), text(""), text("  ")];
    let reports = [
        absent(),
        list(json!([])),
        list(json!("[]")),
        list(json!("")),
        list(json!(" ")),
    ];
    let report_values = [
        absent(),
        text("101"),
        text(""),
        text("  "),
        text("invoice"),
        (json!(7), RawValue::Num(7.0)),
    ];
    let prefetch = [
        absent(),
        (json!(true), RawValue::Bool(true)),
        (json!(false), RawValue::Bool(false)),
        text("false"),
        text(" false "),
        text("true"),
        text(""),
    ];
    let mut sets: Vec<Value> = Vec::new();
    let mut expected: Vec<Option<(bool, bool)>> = Vec::new();
    for (url_js, url_raw) in &reports_urls {
        for (list_js, list_raw) in &reports {
            for (report_js, report_raw) in &report_values {
                for (prefetch_js, prefetch_raw) in &prefetch {
                    let mut js = serde_json::Map::new();
                    let mut raw = Vec::new();
                    for (name, value) in [
                        ("cxreportsUrl", "https://r.example"),
                        ("workspace", "w"),
                        ("nonceUrl", "/api/n"),
                    ] {
                        js.insert(name.into(), json!(value));
                        raw.push((name.to_owned(), RawValue::Str(value.into())));
                    }
                    for (name, value_js, value_raw) in [
                        ("reportsUrl", url_js, url_raw),
                        ("reports", list_js, list_raw),
                        ("report", report_js, report_raw),
                        ("prefetchNonce", prefetch_js, prefetch_raw),
                    ] {
                        if !value_js.is_null() {
                            js.insert(name.into(), value_js.clone());
                            raw.push((name.to_owned(), value_raw.clone()));
                        }
                    }
                    sets.push(Value::Object(js));
                    expected.push(
                        ViewerConfig::from_raw(raw)
                            .ok()
                            .map(|config| config.first_requests())
                            .map(|first| (first.list, first.nonce)),
                    );
                }
            }
        }
    }
    let program = format!(
        "{FIRST_REQUESTS}const sets = {}; console.log(JSON.stringify(sets.map((o) => \
         {{ const f = firstRequests(o); return [f.list, f.nonce]; }})));",
        serde_json::to_string(&sets).unwrap()
    );
    let by_js: Vec<(bool, bool)> = node(&program);
    let mut compared = 0;
    for ((set, js), widget) in sets.iter().zip(by_js).zip(expected) {
        if let Some(widget) = widget {
            assert_eq!(js, widget, "{set}");
            compared += 1;
        }
    }
    // Most sets are valid ones: the comparison is not an empty one.
    assert!(compared * 2 > sets.len(), "{compared} of {}", sets.len());
}

/// The element's own attributes are never options, and every option but a
/// function is an attribute.
#[test]
fn element_attributes_are_not_options() {
    for option in OPTIONS {
        let attribute = option.attribute_name();
        assert!(
            !ELEMENT_ATTRIBUTES.contains(&attribute.as_str())
                && !ELEMENT_ATTRIBUTE_PREFIXES
                    .iter()
                    .any(|p| attribute.starts_with(p)),
            "{attribute} is the element's own"
        );
        assert_eq!(option.is_attribute(), option.kind != Kind::Function);
    }
}
