//! Every shipped catalog has every message key, no other, and the same
//! placeholders as English. (The TypeScript key list and the loader's
//! catalog imports are rendered from the same lists: tests/surface.rs.)
#![cfg(not(target_arch = "wasm32"))]
use std::collections::BTreeSet;
use std::path::Path;

use cxreports_widget::i18n::{placeholders, Key, SHIPPED};

/// A catalog module: `export default {…JSON…};`, nothing else, so any
/// bundler splits it into its own chunk and this test reads it as JSON.
fn catalog(tag: &str) -> serde_json::Map<String, serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("www/locales/{tag}.js"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json = text
        .strip_prefix("export default ")
        .and_then(|t| t.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("{tag}.js must be `export default {{…}};`"));
    match serde_json::from_str(json) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("{tag}.js does not export a JSON object: {other:?}"),
    }
}

#[test]
fn every_catalog_has_every_key_with_its_placeholders() {
    let keys: BTreeSet<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    for tag in SHIPPED.iter().filter(|t| **t != "en") {
        let map = catalog(tag);
        let found: BTreeSet<&str> = map.keys().map(String::as_str).collect();
        let missing: Vec<_> = keys.difference(&found).collect();
        let extra: Vec<_> = found.difference(&keys).collect();
        assert!(missing.is_empty(), "{tag}.js lacks {missing:?}");
        assert!(extra.is_empty(), "{tag}.js has unknown keys {extra:?}");
        for key in Key::ALL {
            let text = map[key.name()]
                .as_str()
                .unwrap_or_else(|| panic!("{tag}.js: {} is not a string", key.name()));
            assert!(!text.trim().is_empty(), "{tag}.js: {} is empty", key.name());
            assert_eq!(
                placeholders(text),
                placeholders(key.english()),
                "{tag}.js: {} must keep the placeholders of {:?}",
                key.name(),
                key.english()
            );
        }
    }
}

#[test]
fn no_catalog_file_is_left_out_of_the_shipped_list() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/locales");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let tag = name.strip_suffix(".js").unwrap_or(&name);
        assert!(
            SHIPPED.contains(&tag),
            "www/locales/{name} is not in SHIPPED"
        );
    }
}

#[test]
fn every_error_is_written_in_the_catalogs_language() {
    // Error messages carry the advice ("sign in again", "allow pop-ups"): a
    // catalog must not leave one in English.
    for tag in SHIPPED.iter().filter(|t| **t != "en") {
        let map = catalog(tag);
        for key in Key::ALL
            .iter()
            .filter(|k| k.name().starts_with("error") || k.name().starts_with("reason"))
        {
            assert_ne!(
                map[key.name()].as_str(),
                Some(key.english()),
                "{tag}.js leaves {} in English",
                key.name()
            );
        }
    }
}
