//! The JS-facing surface agrees with the widget: every option the widget
//! takes is typed in `cxreports-widget.d.ts` (which also describes the
//! element in `custom-elements.json`), and the loader observes each one as
//! an attribute and offers it as a property.
#![cfg(not(target_arch = "wasm32"))]
use std::collections::BTreeSet;
use std::path::Path;

use cxreports_widget::internals::{is_element_attribute, OPTION_NAMES};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn kebab(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let lower = c.to_ascii_lowercase();
            let dash = c.is_ascii_uppercase().then_some('-');
            dash.into_iter().chain(std::iter::once(lower))
        })
        .collect()
}

#[test]
fn every_option_is_typed() {
    let types = read("www/cxreports-widget.d.ts");
    let start = types.find("export interface ViewerOptions {").unwrap();
    let block = &types[start..start + types[start..].find("\n}\n").unwrap()];
    let typed: BTreeSet<&str> = block
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let name = line.split([':', '?']).next()?;
            (!line.starts_with("/**") && !line.starts_with('*') && line.contains(':'))
                .then_some(name)
                .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric()))
        })
        .collect();
    let known: BTreeSet<&str> = OPTION_NAMES.iter().copied().collect();
    assert_eq!(typed, known);
}

#[test]
fn the_element_observes_every_option() {
    let loader = read("www/cxreports-widget.js");
    let start = loader.find("const ATTRIBUTES = [").unwrap();
    let list = &loader[start..start + loader[start..].find("];").unwrap()];
    let observed: BTreeSet<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    let expected: BTreeSet<String> = OPTION_NAMES
        .iter()
        .filter(|n| **n != "fetchNonce")
        .map(|n| kebab(n))
        .collect();
    assert_eq!(observed, expected);
}

/// The loader's head start reads an element's attributes as the widget does:
/// each attribute it passes over as the element's own is one the widget
/// passes over too, and none is an option's.
#[test]
fn the_head_start_skips_only_the_attributes_the_widget_skips() {
    let loader = read("www/cxreports-widget.js");
    let start =
        loader.find("const HOST_ATTRIBUTE = /^(").unwrap() + "const HOST_ATTRIBUTE = /^(".len();
    let alternatives = &loader[start..start + loader[start..].find(")$/").unwrap()];
    let names: Vec<String> = alternatives
        .split('|')
        .map(|a| a.replace(".*", "x"))
        .collect();
    assert!(names.len() >= 9, "{names:?}");
    for name in &names {
        assert!(
            is_element_attribute(name),
            "{name} is read as an option by the widget"
        );
        assert!(
            !OPTION_NAMES.iter().any(|o| kebab(o) == *name),
            "{name} is an option"
        );
    }
    // And every host endpoint option is one the head start checks.
    let start = loader.find("const ENDPOINTS = [").unwrap();
    let list = &loader[start..start + loader[start..].find("];").unwrap()];
    let checked: BTreeSet<&str> = list.split('"').skip(1).step_by(2).collect();
    let endpoints: BTreeSet<&str> = OPTION_NAMES
        .iter()
        .copied()
        .filter(|n| n.ends_with("Url") && *n != "cxreportsUrl")
        .collect();
    assert_eq!(checked, endpoints);
}
