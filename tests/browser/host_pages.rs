//! The widget on real host pages: at phone, tablet and desktop widths, in
//! the host's language, mirrored for right-to-left, in dark colors, with
//! focus that moves where a keyboard user expects.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{DomRect, Element, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn use_source_catalogs() {
    load_catalogs_from(&format!("{}/www/locales/", static_site()));
}

/// A host element `width` px wide inside a wrapper with `lang` (if any).
fn host_at(width: u32, lang: Option<&str>) -> Element {
    let wrapper = document().create_element("div").unwrap();
    if let Some(lang) = lang {
        wrapper.set_attribute("lang", lang).unwrap();
    }
    let host = document().create_element("div").unwrap();
    host.set_attribute("style", &format!("width: {width}px"))
        .unwrap();
    wrapper.append_child(&host).unwrap();
    document().body().unwrap().append_child(&wrapper).unwrap();
    host
}

fn rect(host: &Element, selector: &str) -> DomRect {
    find(host, selector)
        .unwrap_or_else(|| panic!("{selector} is in the widget"))
        .get_bounding_client_rect()
}

fn shown(host: &Element, selector: &str) -> bool {
    find(host, selector).is_some_and(|e| {
        let r = e.get_bounding_client_rect();
        r.width() > 0.0 && r.height() > 0.0
    })
}

fn focused(host: &Element) -> Option<Element> {
    host.shadow_root().and_then(|s| s.active_element())
}

fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn apart(a: &DomRect, b: &DomRect) -> bool {
    a.right() <= b.left() + 0.5
        || b.right() <= a.left() + 0.5
        || a.bottom() <= b.top() + 0.5
        || b.bottom() <= a.top() + 0.5
}

/// Waits until `panel` is closed and focus is back on `button`.
async fn closed_with_focus_on(host: &Element, panel: &str, button: &str) {
    until(&format!("{panel} closed"), || {
        (!shown(host, panel)).then_some(())
    })
    .await;
    until(&format!("focus on {button}"), || {
        focused(host).filter(|e| e.matches(button).unwrap_or(false))
    })
    .await;
}

/// Every shown control and text box lies within the widget, and the
/// toolbar's buttons do not overlap or wrap their labels.
fn assert_nothing_cut_off(host: &Element, width: u32) {
    let widget = rect(host, ".cxr");
    assert!(
        (widget.width() - f64::from(width)).abs() < 1.0,
        "widget width {}",
        widget.width()
    );
    for e in find_all(
        host,
        "button, input, .cxr-title, .cxr-frame, .cxr-option, .cxr-label",
    ) {
        let r = e.get_bounding_client_rect();
        if r.width() == 0.0 {
            continue;
        }
        assert!(
            r.left() >= widget.left() - 0.5 && r.right() <= widget.right() + 0.5,
            "{} ({}..{}) leaves the widget ({}..{}) at {width}px",
            e.outer_html().chars().take(80).collect::<String>(),
            r.left(),
            r.right(),
            widget.left(),
            widget.right()
        );
    }
    // The switcher's texts and the menu button beside them.
    let top_row: Vec<DomRect> =
        find_all(host, ".cxr-switcher-label, .cxr-switcher-name, .cxr-more")
            .iter()
            .map(|e| e.get_bounding_client_rect())
            .filter(|r| r.width() > 0.0)
            .collect();
    for (i, a) in top_row.iter().enumerate() {
        for b in &top_row[i + 1..] {
            assert!(apart(a, b), "the switcher's row overlaps at {width}px");
        }
    }
    let buttons: Vec<DomRect> = find_all(host, ".cxr-toolbar .cxr-button")
        .iter()
        .map(|b| b.get_bounding_client_rect())
        .filter(|r| r.width() > 0.0)
        .collect();
    let one_line = rect(host, ".cxr-search").height().max(24.0) + 8.0;
    for (i, a) in buttons.iter().enumerate() {
        assert!(
            a.height() <= one_line,
            "a toolbar button wraps its label at {width}px ({} high)",
            a.height()
        );
        for b in &buttons[i + 1..] {
            assert!(apart(a, b), "toolbar buttons overlap at {width}px");
        }
    }
}

/// The list is shown, in the widget's language (the widget stays invisible
/// while its catalog loads).
async fn list_shown(host: &Element) {
    until("the report list", || find(host, "[role=option]")).await;
    until("the language's texts", || {
        find(host, ".cxr:not([data-pending])")
    })
    .await;
}

#[wasm_bindgen_test]
async fn phone_width_shows_a_switcher_and_a_full_width_preview() {
    login().await;
    clear_faults().await;
    let host = host_at(360, None);
    let events = Events::record(&host);
    let _viewer = mount(&host, options(&[("height", "520px".into())]));
    list_shown(&host).await;
    assert!(
        (rect(&host, ".cxr").height() - 520.0).abs() < 1.0,
        "height holds"
    );
    assert!(shown(&host, ".cxr-switcher"), "the switcher is shown");
    assert!(!shown(&host, ".cxr-side"), "the list stays closed");
    assert!(!shown(&host, ".cxr-actions"), "the actions are in a menu");
    assert!(shown(&host, ".cxr-more"));
    let stage = rect(&host, ".cxr-stage");
    assert!(
        stage.width() >= 356.0,
        "the preview takes the full width: {}",
        stage.width()
    );
    assert_nothing_cut_off(&host, 360);

    // The switcher opens the searchable list with focus in the search box.
    let switcher = find(&host, ".cxr-switcher").unwrap();
    assert_eq!(
        switcher.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    click(&switcher);
    until("the list open", || shown(&host, ".cxr-side").then_some(())).await;
    assert_eq!(
        switcher.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let search = until("focus in the search box", || {
        focused(&host).filter(|e| {
            e.matches("input.cxr-search[role=combobox]")
                .unwrap_or(false)
        })
    })
    .await;
    assert!(rect(&host, ".cxr-side").width() >= 356.0);
    assert_nothing_cut_off(&host, 360);
    // Escape closes it and gives focus back to the switcher.
    press(&search, "Escape");
    closed_with_focus_on(&host, ".cxr-side", ".cxr-switcher").await;

    // Choosing a report closes the list, names the report on the switcher,
    // and opens it full width.
    click(&switcher);
    until("the list open", || shown(&host, ".cxr-side").then_some(())).await;
    let option = find_all(&host, "[role=option]").remove(1);
    let name = text(&find_all(&host, ".cxr-option-name")[1]);
    click(&option);
    closed_with_focus_on(&host, ".cxr-side", ".cxr-switcher").await;
    assert!(
        text(&switcher).contains(&name),
        "{} names {name}",
        text(&switcher)
    );
    loaded(&events, 1).await;
    assert!(rect(&host, ".cxr-frame").width() >= 356.0);
    assert_nothing_cut_off(&host, 360);

    // The toolbar's menu: focus on its first action; Escape returns it.
    let more = find(&host, ".cxr-more").unwrap();
    click(&more);
    until("the menu open", || {
        shown(&host, ".cxr-actions").then_some(())
    })
    .await;
    assert_eq!(more.get_attribute("aria-expanded").as_deref(), Some("true"));
    let first = until("focus on the first action", || {
        focused(&host).filter(|e| e.closest(".cxr-actions").ok().flatten().is_some())
    })
    .await;
    assert_nothing_cut_off(&host, 360);
    press(&first, "Escape");
    closed_with_focus_on(&host, ".cxr-actions", ".cxr-more").await;
}

#[wasm_bindgen_test]
async fn narrow_but_not_phone_width_keeps_the_switcher_and_the_menu() {
    login().await;
    clear_faults().await;
    for width in [320, 600] {
        let host = host_at(width, None);
        let events = Events::record(&host);
        let _viewer = mount(&host, options(&[("report", JsValue::from_f64(101.0))]));
        list_shown(&host).await;
        loaded(&events, 1).await;
        assert!(shown(&host, ".cxr-switcher") && shown(&host, ".cxr-more"));
        assert!(
            !shown(&host, ".cxr-actions"),
            "the actions fold into the menu at {width}px"
        );
        // The menu button shares the switcher's row: the preview starts below it.
        let (switcher, more) = (rect(&host, ".cxr-switcher"), rect(&host, ".cxr-more"));
        assert!(more.top() >= switcher.top() && more.bottom() <= switcher.bottom() + 0.5);
        assert!(
            rect(&host, ".cxr-stage").top() <= switcher.bottom() + 1.5,
            "no row is left for the toolbar alone"
        );
        assert_nothing_cut_off(&host, width);
        click(&find(&host, ".cxr-more").unwrap());
        until("the menu open", || {
            shown(&host, ".cxr-actions").then_some(())
        })
        .await;
        assert_nothing_cut_off(&host, width);
        host.parent_element().unwrap().remove();
    }
}

#[wasm_bindgen_test]
async fn tablet_and_desktop_widths_show_the_picker_beside_the_preview() {
    login().await;
    clear_faults().await;
    for width in [768, 1280] {
        let host = host_at(width, None);
        let events = Events::record(&host);
        let _viewer = mount(&host, options(&[("report", JsValue::from_f64(101.0))]));
        list_shown(&host).await;
        loaded(&events, 1).await;
        assert!(!shown(&host, ".cxr-switcher"), "no switcher at {width}px");
        assert!(!shown(&host, ".cxr-more"), "no menu at {width}px");
        assert!(shown(&host, ".cxr-actions"));
        let (side, main) = (rect(&host, ".cxr-side"), rect(&host, ".cxr-main"));
        assert!(side.width() >= 200.0, "picker width {}", side.width());
        assert!(
            side.right() <= main.left() + 1.0,
            "the picker is beside the preview at {width}px"
        );
        assert!((side.top() - main.top()).abs() < 1.0);
        assert!(shown(&host, ".cxr-title"));
        assert_nothing_cut_off(&host, width);
        host.parent_element().unwrap().remove();
    }
}

fn catalog(tag: &str) -> serde_json::Value {
    let text = match tag {
        "de" => include_str!("../../www/locales/de.js"),
        "fr" => include_str!("../../www/locales/fr.js"),
        "sr-Latn" => include_str!("../../www/locales/sr-Latn.js"),
        _ => unreachable!(),
    };
    catalog_module(text)
}

fn says(catalog: &serde_json::Value, key: &str) -> String {
    catalog[key].as_str().unwrap().to_owned()
}

#[wasm_bindgen_test]
async fn the_page_language_is_spoken_everywhere() {
    login().await;
    clear_faults().await;
    use_source_catalogs();
    let de = catalog("de");
    let host = host_at(1000, Some("de-AT"));
    let events = Events::record(&host);
    let _viewer = mount(&host, options(&[("report", JsValue::from_f64(101.0))]));
    list_shown(&host).await;
    loaded(&events, 1).await;
    let root = find(&host, ".cxr").unwrap();
    assert_eq!(root.get_attribute("lang").as_deref(), Some("de-AT"));
    assert_eq!(
        text(&find(&host, ".cxr-label").unwrap()),
        says(&de, "reports")
    );
    assert_eq!(
        find(&host, "input.cxr-search")
            .unwrap()
            .get_attribute("placeholder"),
        Some(says(&de, "searchPlaceholder"))
    );
    let refresh = find(&host, ".cxr-actions .cxr-button").unwrap();
    assert_eq!(text(&refresh), says(&de, "refresh"));
    let toolbar = find(&host, ".cxr-toolbar").unwrap();
    assert_eq!(
        toolbar.get_attribute("aria-label"),
        Some(says(&de, "actionsLabel"))
    );
    let title = find(&host, "iframe")
        .unwrap()
        .get_attribute("title")
        .unwrap();
    let prefix = says(&de, "frameTitleNamed").replace("{name}", "");
    assert!(
        title.starts_with(&prefix),
        "iframe title {title:?} is German"
    );
    let badge = find(&host, ".cxr-default").unwrap();
    assert_eq!(text(&badge), says(&de, "defaultBadge"));
    // No English is left in what the widget itself says.
    let everything = text(&root);
    for english in [
        "Search reports",
        "Refresh",
        "Open in new tab",
        "Full screen",
        "Reports",
    ] {
        assert!(!everything.contains(english), "{english:?} is still shown");
    }
}

#[wasm_bindgen_test]
async fn locale_wins_and_messages_override_any_string() {
    login().await;
    clear_faults().await;
    use_source_catalogs();
    let fr = catalog("fr");
    let host = host_at(1000, Some("de"));
    let _viewer = mount(
        &host,
        options(&[
            ("locale", "fr".into()),
            ("lang", "de".into()),
            (
                "messages",
                js_sys::JSON::parse(r#"{"refresh": "Recharger le rapport"}"#).unwrap(),
            ),
        ]),
    );
    list_shown(&host).await;
    assert_eq!(
        text(&find(&host, ".cxr-label").unwrap()),
        says(&fr, "reports")
    );
    let refresh = find(&host, ".cxr-actions .cxr-button").unwrap();
    assert_eq!(text(&refresh), "Recharger le rapport");
    assert_eq!(
        find(&host, ".cxr")
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("fr")
    );
}

#[wasm_bindgen_test]
async fn errors_keep_their_advice_in_the_readers_language() {
    login().await;
    clear_faults().await;
    use_source_catalogs();
    let sr = catalog("sr-Latn");
    fault("/api/cxreports/nonce", serde_json::json!({"kind": "html"})).await;
    let host = host_at(1000, Some("sr-RS"));
    let events = Events::record(&host);
    let _viewer = mount(
        &host,
        options(&[("report", JsValue::from_f64(101.0)), ("retries", 0.into())]),
    );
    let error = until("the error", || find(&host, ".cxr-stage .cxr-error")).await;
    until("the language's texts", || {
        find(&host, ".cxr:not([data-pending])")
    })
    .await;
    let expected = says(&sr, "errorOpen").replace("{reason}", &says(&sr, "reasonHtml"));
    assert_eq!(text(&error.query_selector("p").unwrap().unwrap()), expected);
    assert_eq!(
        text(&error.query_selector("button").unwrap().unwrap()),
        says(&sr, "retry")
    );
    let live = find(&host, ".cxr-live").unwrap();
    assert_eq!(text(&live), expected, "the failure is announced");
    // Events stay in English, for the host's developers.
    assert!(events
        .last("cxreports:error", "message")
        .unwrap()
        .contains("session"));
    clear_faults().await;
}

#[wasm_bindgen_test]
async fn a_missing_catalog_falls_back_to_english_and_says_so() {
    login().await;
    clear_faults().await;
    load_catalogs_from(&format!("{}/no-such-folder/", static_site()));
    let host = host_at(1000, None);
    let events = Events::record(&host);
    let _viewer = mount(&host, options(&[("locale", "nl".into())]));
    list_shown(&host).await;
    assert_eq!(text(&find(&host, ".cxr-label").unwrap()), "Reports");
    assert_eq!(
        events.last("cxreports:error", "stage").as_deref(),
        Some("catalog")
    );
    assert!(
        find(&host, ".cxr[data-pending]").is_none(),
        "the widget is shown"
    );
    use_source_catalogs();
}

#[wasm_bindgen_test]
async fn right_to_left_lays_out_mirrored() {
    login().await;
    clear_faults().await;
    let host = host_at(1000, None);
    let _viewer = mount(
        &host,
        options(&[
            ("locale", "ar".into()),
            (
                "messages",
                js_sys::JSON::parse(r#"{"reports": "التقارير"}"#).unwrap(),
            ),
        ]),
    );
    list_shown(&host).await;
    let root = find(&host, ".cxr").unwrap();
    assert_eq!(root.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(text(&find(&host, ".cxr-label").unwrap()), "التقارير");
    let (side, main) = (rect(&host, ".cxr-side"), rect(&host, ".cxr-main"));
    assert!(
        side.left() >= main.right() - 1.0,
        "the picker is on the right"
    );
}

#[wasm_bindgen_test]
async fn dark_colors_on_request() {
    login().await;
    clear_faults().await;
    let host = host_at(1000, None);
    let _viewer = mount(&host, options(&[("colorScheme", "dark".into())]));
    list_shown(&host).await;
    let root = find(&host, ".cxr").unwrap();
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&root)
        .unwrap()
        .unwrap();
    assert_eq!(
        style.get_property_value("background-color").unwrap(),
        "rgb(17, 24, 39)"
    );
    assert_eq!(
        style.get_property_value("color").unwrap(),
        "rgb(229, 231, 235)"
    );
    let bad = cxreports_widget::mount(
        host_at(400, None).into(),
        options(&[("colorScheme", "purple".into())]),
    );
    let message = bad
        .err()
        .map(|e| JsValue::from(e).unchecked_into::<js_sys::Error>().message())
        .unwrap();
    assert!(String::from(message).contains("colorScheme"));
}
