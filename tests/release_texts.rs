//! The release bundle is built with `-Zfmt-debug=none` (`trunk_release` in
//! scripts/bootstrap.sh): there, `{:?}` prints nothing and `Debug` output is
//! empty. So no text the widget or the contract builds outside tests may
//! format with `Debug`: a message would lose the very value it names.
#![cfg(not(target_arch = "wasm32"))]
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, test-only files (`tests.rs`) left out.
fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            found.push(path);
        }
    }
}

/// The part of a file the release build compiles: everything before its
/// `#[cfg(test)]` tests module.
fn shipped(text: &str) -> &str {
    let end = ["#[cfg(test)]\nmod tests", "#[cfg(all(test"]
        .iter()
        .filter_map(|start| text.find(start))
        .min()
        .unwrap_or(text.len());
    &text[..end]
}

/// `{:?}`, `{name:?}`, `{0:#?}`…: a `Debug` placeholder in a format string.
fn debug_placeholders(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('{') {
        let rest = &text[at + 1..];
        let Some(close) = rest.find('}') else {
            continue;
        };
        let inside = &rest[..close];
        let is_name = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if let Some((name, spec)) = inside.split_once(':') {
            if is_name(name) && spec.ends_with('?') && !spec.contains(char::is_whitespace) {
                found.push(text[..at].matches('\n').count() + 1);
            }
        }
    }
    found
}

#[test]
fn no_shipped_text_is_formatted_with_debug() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("contract/src"), &mut files);
    assert!(files.len() > 20, "found only {} source files", files.len());
    let mut offending = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for line in debug_placeholders(shipped(&text)) {
            offending.push(format!(
                "{}:{line}",
                file.strip_prefix(root).unwrap_or(&file).display()
            ));
        }
    }
    assert!(
        offending.is_empty(),
        "`{{:?}}` prints nothing in the release bundle (-Zfmt-debug=none); \
         write the value with `{{}}` (quoted if need be) at: {offending:#?}"
    );
}

#[test]
fn the_scan_finds_debug_placeholders_and_only_those() {
    let text = "a {:?} b {x:?}\n{0:#?} {} {y} {{z}} {w:>4}";
    assert_eq!(debug_placeholders(text), vec![1, 1, 2]);
    assert_eq!(
        shipped("fn a() {}\n#[cfg(test)]\nmod tests { \"{:?}\" }"),
        "fn a() {}\n"
    );
}
