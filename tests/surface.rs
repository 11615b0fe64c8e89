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

/// The viewer URL the loader sets in the frame it opens while the
/// WebAssembly loads: the widget's own (`viewer_src` over
/// `ViewerConfig::from_raw`) for the options it accepts, `null` for the
/// rest. `the_loaders_viewer_url_is_the_widgets` runs it through node.
const PREVIEW_URL: &str = r#"/** A server URL the widget surely accepts (a strict part of validate_cxreports_url). */
const SERVER_URL = /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::(\d{1,5}))?(?:\/[\w.~!$&()*+,;=:%-]*)*$/i;
/**
 * The viewer URL the widget sets first for `options` and `nonce`
 * (links.rs `viewer_src` over `ViewerConfig::from_raw`), `zone` being the
 * reader's time zone; null for anything it cannot be sure the widget
 * accepts and builds alike. Pinned to the widget by tests/surface.rs.
 */
function previewUrl(options, nonce, zone) {
  if (options === null || typeof options !== "object" || typeof nonce !== "string" || !/^[!-~]{1,4096}$/.test(nonce)) return null;
  const value = (name) => options[name] ?? undefined;
  // A text option as the widget reads one: trimmed ("" when not given), a
  // whole number as its digits; null when it is neither.
  const text = (name) => {
    const v = value(name);
    if (v === undefined) return "";
    if (typeof v === "string") return v.trim();
    return Number.isSafeInteger(v) ? String(v) : null;
  };
  const word = (name, words) => typeof value(name) !== "number" && ["", ...words].includes(text(name));
  const flag = (name) => typeof value(name) === "boolean" || word(name, ["true", "false"]);
  const count = (name) => {
    const v = value(name);
    return v === undefined || (Number.isInteger(v) && v >= 0 && v <= 1e9) || (typeof v === "string" && /^\d{1,9}$/.test(v.trim()));
  };
  const server = (url) => {
    const match = SERVER_URL.exec(url);
    return match !== null && (match[1] === undefined || (Number(match[1]) > 0 && Number(match[1]) < 65536));
  };
  const endpoint = (name) => {
    const v = value(name);
    if (v === undefined || (typeof v === "string" && v.trim() === "")) return true;
    if (typeof v !== "string") return false;
    const url = v.trim();
    return ENDPOINT_START.test(url) && !NOT_IN_ENDPOINT.test(url) && (!/^https?:/i.test(url) || server(url.split(/[?#]/)[0]));
  };
  // JSON-valued options as the widget reads them: text is parsed, and
  // plain objects and arrays travel as their JSON text.
  const json = (name, arrays) => {
    let v = value(name);
    if (v === undefined || (typeof v === "string" && v.trim() === "")) return "";
    try {
      if (typeof v === "string") v = JSON.parse(v);
      const plain = v !== null && typeof v === "object" && (Array.isArray(v) ? arrays
        : [Object.prototype, null].includes(Object.getPrototypeOf(v)) && !("toJSON" in v));
      const out = plain ? JSON.stringify(v) : null;
      return typeof out === "string" && /^[[{]/.test(out) ? out : null;
    } catch {
      return null;
    }
  };
  const height = value("height");
  const tag = text("locale");
  const ok = Object.keys(options).every((name) => OPTIONS.has(name))
    && ["reports", "requestHeaders", "fetchNonce", "messages"].every((name) => value(name) === undefined)
    && typeof value("cxreportsUrl") === "string" && server(text("cxreportsUrl"))
    && text("nonceUrl") !== "" && ENDPOINTS.every(endpoint)
    && word("credentials", ["same-origin", "include"]) && word("loading", ["eager"])
    && word("colorScheme", ["light", "dark", "auto"]) && word("paramsEncoding", ["json", "base64"])
    && flag("showPicker") && flag("prefetchNonce")
    && ["timeoutMs", "pdfTimeoutMs", "retries", "nonceMaxAgeMs", "sessionMaxAgeMs", "tempDataId"].every(count)
    && (typeof height === "number" ? Number.isFinite(height) && height >= 1
      : typeof text("height") === "string" && /^[A-Za-z0-9%. ()+*\/-]*$/.test(text("height")))
    && tag !== null && (tag === "" || (tag.length <= 35 && tag.split(/[-_]/).every((part) => /^[A-Za-z0-9]{1,8}$/.test(part))))
    && ([undefined, true, false].includes(value("timezone")) || typeof value("timezone") === "string")
    && ["workspace", "report", "lang", "theme", "template"].every((name) => text(name) !== null)
    && text("workspace") !== "" && text("report") !== "";
  if (!ok) return null;
  const params = json("params", false);
  const data = json("data", true);
  if (params === null || data === null) return null;
  // A report's digits are its id (as a 64-bit number); anything else a code.
  let report = text("report");
  if (/^\d+$/.test(report) && BigInt(report) <= 9223372036854775807n) report = BigInt(report).toString();
  const segment = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const timezone = value("timezone");
  const keyword = typeof timezone === "string" && ["", "auto", "true", "none", "false", "off"].includes(timezone.trim());
  const readers = timezone === undefined || timezone === true || (keyword && ["", "auto", "true"].includes(timezone.trim()));
  const zoneText = readers ? (typeof zone === "string" ? zone : "") : (typeof timezone === "string" && !keyword ? timezone.trim() : "");
  let paramsText = params;
  if (params !== "" && text("paramsEncoding") === "base64") {
    let binary = "";
    for (const byte of new TextEncoder().encode(params)) binary += String.fromCharCode(byte);
    paramsText = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  const tempDataId = value("tempDataId") === undefined ? "" : String(Number(String(value("tempDataId")).trim()));
  const pairs = [["nonce", nonce], ["params", paramsText], ["data", data], ["tempDataId", tempDataId],
    ["timezone", zoneText], ["lang", text("lang")], ["theme", text("theme")], ["template", text("template")],
    ["hidePrintButton", "true"]];
  try {
    const workspace = text("workspace");
    if ([workspace, report].some((s) => s === "" || s === "." || s === "..")) return null;
    const query = pairs.filter(([, v]) => v !== "").map(([k, v]) => `${k}=${segment(v)}`).join("&");
    return `${text("cxreportsUrl").replace(/\/+$/, "")}/ws/${segment(workspace)}/reports/${segment(report)}/preview?${query}`;
  } catch {
    return null; // a lone surrogate
  }
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
    let mut out = banner(
        "src/config/surface.rs, src/config/urls.rs, src/host/headers.rs, src/links.rs, src/i18n",
    );
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
    out.push_str(PREVIEW_URL);
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
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    // The program on standard input: it may be longer than an argument may.
    let mut child = Command::new("node")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node (the loader's checks run it; scripts/bootstrap.sh)");
    let mut stdin = child.stdin.take().expect("node's standard input");
    stdin
        .write_all(program.as_bytes())
        .expect("node reads the program");
    drop(stdin);
    let run = child.wait_with_output().expect("node runs the program");
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

/// One option's candidate values: each as JS gives it, and as the widget's
/// front end reads it.
type Candidates = Vec<(serde_json::Value, cxreports_widget::RawValue)>;

/// The option sets the viewer-URL pin runs over: for each option, a value
/// the widget is likely to accept most of the time, and now and then one of
/// every other kind, picked by a fixed generator (the same sets every run).
fn option_sets(count: usize) -> Vec<(serde_json::Value, cxreports_widget::RawOptions)> {
    use cxreports_widget::{JsonValue, RawValue};
    use serde_json::{json, Value};

    let text = |s: &str| (json!(s), RawValue::Str(s.into()));
    let num = |n: f64| (json!(n), RawValue::Num(n));
    let flag = |b: bool| (json!(b), RawValue::Bool(b));
    // A JSON value given as itself, or as its text (an attribute's way).
    let json_value = |v: Value| {
        let members = v.as_object().map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
                .collect()
        });
        let text = serde_json::to_string(&v).unwrap();
        (v, RawValue::Json(JsonValue { text, members }))
    };
    let json_text = |v: Value| {
        let (_, raw) = json_value(v.clone());
        (Value::String(serde_json::to_string(&v).unwrap()), raw)
    };
    // Blank text for a JSON-valued option is not given.
    let blank = || (json!(" "), RawValue::Absent);
    let unreadable = |s: &str| (json!(s), RawValue::Unreadable("not JSON".into()));
    let odd = json!({"name": "Ž<b>&\"'%+ \u{1}\u{2028}😀", "year": 2026, "list": [1, "a", null, true], "nested": {"x": {}}});
    let options: Vec<(&str, Candidates, Candidates)> = vec![
        (
            "cxreportsUrl",
            vec![
                text("https://r.example.com"),
                text(" HTTPS://R.Example.com:8443/cx// "),
                text("http://127.0.0.1:9000"),
            ],
            vec![
                text("ftp://r.example"),
                text("https://h:0"),
                text("https://h:65536"),
                text("https://a b"),
                num(5.0),
                text("https://-h.example"),
                text("https://h.example/a?b"),
                text("https://u@h.example"),
            ],
        ),
        (
            "workspace",
            vec![
                text("sales"),
                text(" a/b?c#d "),
                text("ü ws"),
                num(42.0),
                text("x'()*!~.%2E"),
            ],
            vec![
                text("."),
                text(".."),
                text(" "),
                flag(true),
                text("😀\u{7f}"),
            ],
        ),
        (
            "report",
            vec![
                text("101"),
                text("007"),
                text(" invoice "),
                num(7.0),
                text("a/b?c#d&e=f+g"),
                text("ünï code"),
                text("%2F%2E%2E"),
            ],
            vec![
                text(".."),
                text("."),
                num(-3.0),
                num(1.5),
                text("99999999999999999999"),
                text(""),
                text("9223372036854775807"),
                text("9223372036854775808"),
                flag(false),
            ],
        ),
        (
            "nonceUrl",
            vec![
                text("/api/cxreports/nonce"),
                text("./n?x=1"),
                text("https://app.example/api/n?a=b"),
            ],
            vec![
                text("//evil.example/n"),
                text("/a b"),
                num(3.0),
                text("javascript:x"),
                text("https://app_x.example/n"),
            ],
        ),
        (
            "reportsUrl",
            vec![text("/api/cxreports/reports"), text("../r")],
            vec![text("http://a b/r"), text("mailto:x")],
        ),
        (
            "params",
            vec![
                json_value(json!({"year": 2026})),
                json_value(odd.clone()),
                json_text(odd.clone()),
                json_value(json!({})),
            ],
            vec![
                blank(),
                (
                    json!("[1]"),
                    RawValue::Json(JsonValue {
                        text: "[1]".into(),
                        members: None,
                    }),
                ),
                json_value(json!([1])),
                unreadable("{not json"),
                (json!("\"s\""), RawValue::Str("s".into())),
                num(5.0),
            ],
        ),
        (
            "paramsEncoding",
            vec![text("json"), text("base64"), text(" base64 ")],
            vec![text("xml"), num(1.0), flag(true)],
        ),
        (
            "data",
            vec![
                json_value(json!([1, 2])),
                json_value(json!({"rows": [{"a": "b\u{1}"}]})),
                json_text(json!([{"ž": "&"}])),
            ],
            vec![unreadable("{bad"), num(5.0), blank()],
        ),
        (
            "tempDataId",
            vec![num(9.0), text("12"), text(" 007 "), num(4_294_967_295.0)],
            vec![
                num(-1.0),
                num(1.5),
                text("x"),
                text("+5"),
                num(5e9),
                text(" "),
            ],
        ),
        (
            "timezone",
            vec![
                text("UTC"),
                text(" Europe/Belgrade "),
                text("auto"),
                text("none"),
                flag(false),
                flag(true),
                text(""),
                text("off"),
                text("Etc/GMT+1"),
            ],
            vec![num(5.0), json_value(json!({}))],
        ),
        (
            "lang",
            vec![text("de"), text(" sr-Latn "), num(7.0), text("")],
            vec![flag(true), num(0.5)],
        ),
        ("theme", vec![text("dark"), text("a b/c&d")], vec![num(1.5)]),
        (
            "template",
            vec![text("t1"), text("&=?#"), num(3.0)],
            vec![flag(false)],
        ),
        (
            "showPicker",
            vec![flag(false), text("false"), text(""), text(" true ")],
            vec![text("no"), num(1.0)],
        ),
        (
            "height",
            vec![
                text("480px"),
                num(480.0),
                num(480.6),
                text("calc(100% - 2px)"),
                text(""),
            ],
            vec![num(0.5), text("10px;"), flag(true), text("{}")],
        ),
        (
            "locale",
            vec![text("de"), text(" pt-BR ")],
            vec![text("not a tag!"), num(1.5)],
        ),
        (
            "credentials",
            vec![text("include"), text("same-origin")],
            vec![text("omit"), text("Include")],
        ),
        (
            "colorScheme",
            vec![text("dark"), text("auto")],
            vec![text("purple")],
        ),
        (
            "retries",
            vec![num(3.0), text("4"), num(99.0)],
            vec![num(-1.0), text("x"), text("")],
        ),
        (
            "prefetchNonce",
            vec![flag(false), text("true")],
            vec![text("yes")],
        ),
        (
            "loading",
            vec![text("eager")],
            vec![text("lazy"), text("soon")],
        ),
        (
            "reports",
            vec![],
            vec![(json!([]), RawValue::Reports(Default::default()))],
        ),
        ("secretToken", vec![], vec![text("x")]),
    ];
    // A small fixed generator (xorshift): the same sets on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let mut sets = Vec::with_capacity(count);
    for _ in 0..count {
        let mut js = serde_json::Map::new();
        let mut raw = Vec::new();
        for (name, good, bad) in &options {
            let required = matches!(*name, "cxreportsUrl" | "workspace" | "report" | "nonceUrl");
            let roll = next(100);
            let pick = if roll < 4 && !bad.is_empty() {
                Some(&bad[next(bad.len())])
            } else if !good.is_empty() && (required || roll < 35) {
                Some(&good[next(good.len())])
            } else {
                None
            };
            if let Some((value, raw_value)) = pick {
                js.insert((*name).to_owned(), value.clone());
                raw.push(((*name).to_owned(), raw_value.clone()));
            }
        }
        sets.push((Value::Object(js), raw));
    }
    sets
}

/// The loader's viewer URL is the widget's: over hundreds of generated
/// option sets, whenever the loader gives a URL the widget accepts the same
/// options and builds that very URL with the same nonce and reader's zone;
/// and the loader does not decline the common options.
#[test]
fn the_loaders_viewer_url_is_the_widgets() {
    use cxreports_widget::internals::viewer_src;
    use cxreports_widget::ViewerConfig;
    use serde_json::json;

    let mut sets = option_sets(1200);
    // The common cases, which must not be declined.
    let common = [
        json!({"cxreportsUrl": "https://reports.example.com", "workspace": "sales", "nonceUrl": "/api/cxreports/nonce", "reportsUrl": "/api/cxreports/reports", "report": 101}),
        json!({"cxreportsUrl": "https://reports.example.com", "workspace": "sales", "nonceUrl": "/api/cxreports/nonce", "report": "invoice", "params": {"year": 2026, "region": "EU"}, "lang": "de", "theme": "dark"}),
        json!({"cxreports-url": "ignored"}),
    ];
    let common_raw = |set: &serde_json::Value| -> cxreports_widget::RawOptions {
        use cxreports_widget::{JsonValue, RawValue};
        set.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let raw = match v {
                    serde_json::Value::String(s) => RawValue::Str(s.clone()),
                    serde_json::Value::Number(n) => RawValue::Num(n.as_f64().unwrap()),
                    other => RawValue::Json(JsonValue {
                        text: other.to_string(),
                        members: other.as_object().map(|o| {
                            o.iter()
                                .map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned)))
                                .collect()
                        }),
                    }),
                };
                (k.clone(), raw)
            })
            .collect()
    };
    let first_common = sets.len();
    for set in &common[..2] {
        sets.push((set.clone(), common_raw(set)));
    }
    let nonce = "n0-_.~AZaz09!$'()*+,;=:@/?%";
    let zones = [
        Some("Europe/Belgrade"),
        Some("America/Argentina/Buenos_Aires"),
        None,
    ];
    let js_sets: Vec<&serde_json::Value> = sets.iter().map(|(js, _)| js).collect();
    let program = format!(
        "{}const sets = {}; const zones = {}; \
         console.log(JSON.stringify(sets.map((o, i) => previewUrl(o, {}, zones[i % zones.length] ?? undefined))));",
        loader_block(),
        serde_json::to_string(&js_sets).unwrap(),
        serde_json::to_string(&zones).unwrap(),
        serde_json::to_string(nonce).unwrap(),
    );
    let by_js: Vec<Option<String>> = node(&program);
    let mut compared = 0;
    for (i, ((set, raw), url)) in sets.iter().zip(&by_js).enumerate() {
        let Some(url) = url else {
            assert!(i < first_common, "a common set is declined: {set}");
            continue;
        };
        let config = ViewerConfig::from_raw(raw.clone()).unwrap_or_else(|e| {
            panic!("the loader built {url} for options the widget refuses ({e}): {set}")
        });
        let zone = zones[i % zones.len()].map(str::to_owned);
        let config = config.with_reader_zone(|| zone).unwrap_or(config);
        let report = config
            .report()
            .expect("the loader builds only for a named report");
        let widget = viewer_src(
            &config,
            report,
            config.query().params_json.as_deref(),
            nonce,
        )
        .unwrap();
        assert_eq!(url, &widget, "{set}");
        compared += 1;
    }
    // Many sets are compared (not an empty comparison), and many declined.
    assert!(
        compared >= 200 && compared < sets.len(),
        "{compared} of {}",
        sets.len()
    );
    // Options the widget refuses are declined: a secret-like or unknown name.
    let refused: Option<String> = node(&format!(
        "{}console.log(JSON.stringify(previewUrl({}, \"n\", \"UTC\")));",
        loader_block(),
        common[2]
    ));
    assert_eq!(refused, None);
}
