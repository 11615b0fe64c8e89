//! The picker with 5,000 reports, as a user meets it: it renders the rows in
//! view (not 5,000), tells screen readers the real size, and searching,
//! scrolling to the end, the keyboard and clicks all reach every report.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{DomRect, Element, HtmlInputElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const COUNT: usize = 5000;
const TYPES: usize = 20;
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn type_name(t: usize) -> String {
    format!("Kind {}", (b'A' + t as u8) as char)
}

fn name(i: usize) -> String {
    format!(
        "Ledger {} {} #{}",
        MONTHS[(i / 7) % 12],
        2019 + i % 8,
        i + 1
    )
}

fn id(i: usize) -> i64 {
    100_000 + i as i64
}

/// The reports that `keep`, as the picker lists them: grouped by type, the
/// types in the order they first appear (report `i` is of type
/// `i % TYPES`), each type's reports in list order.
fn grouped_where(keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut types: Vec<usize> = Vec::new();
    let kept: Vec<usize> = (0..COUNT).filter(|&i| keep(i)).collect();
    for &i in &kept {
        if !types.contains(&(i % TYPES)) {
            types.push(i % TYPES);
        }
    }
    types
        .iter()
        .flat_map(|&t| kept.iter().copied().filter(move |i| i % TYPES == t))
        .collect()
}

fn grouped() -> Vec<usize> {
    grouped_where(|_| true)
}

/// A widget 1,000 px wide (the picker beside the preview) with the reports
/// as its static list; nonces from a function, so only the list is tested.
fn mounted_with_reports(
    extra: &[(&str, JsValue)],
) -> (Element, Events, cxreports_widget::ViewerHandle) {
    let reports: Vec<serde_json::Value> = (0..COUNT)
        .map(|i| {
            serde_json::json!({
                "id": id(i), "name": name(i), "reportTypeId": i % TYPES + 1,
                "reportTypeName": type_name(i % TYPES), "reportTemplateName": "", "isDefault": i < TYPES,
            })
        })
        .collect();
    let list = js_sys::JSON::parse(&serde_json::Value::from(reports).to_string()).unwrap();
    let host = host();
    host.set_attribute("style", "width: 1000px").unwrap();
    let events = Events::record(&host);
    let nonce = js_sys::Function::new_no_args("return Promise.resolve('picker-scale-nonce')");
    let mut given = vec![
        ("reportsUrl", JsValue::NULL),
        ("nonceUrl", JsValue::NULL),
        ("fetchNonce", nonce.into()),
        ("prefetchNonce", false.into()),
        ("reports", list),
        ("height", "600px".into()),
    ];
    given.extend(extra.iter().cloned());
    let viewer = mount(&host, options(&given));
    (host, events, viewer)
}

fn input(host: &Element) -> HtmlInputElement {
    find(host, "input[role=combobox]")
        .unwrap()
        .dyn_into()
        .unwrap()
}

fn search(host: &Element, text: &str) {
    let input = input(host);
    input.set_value(text);
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
}

fn press(host: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input(host).dispatch_event(&event).unwrap();
}

fn side(host: &Element) -> Element {
    find(host, ".cxr-side").unwrap()
}

/// Whether `el` shows whole inside the list's scrolling panel.
fn in_view(host: &Element, el: &Element) -> bool {
    let (r, panel): (DomRect, DomRect) = (
        el.get_bounding_client_rect(),
        side(host).get_bounding_client_rect(),
    );
    r.height() > 0.0 && r.top() >= panel.top() - 0.5 && r.bottom() <= panel.bottom() + 0.5
}

/// The options a user sees in the panel now, by report id.
fn seen(host: &Element) -> Vec<i64> {
    find_all(host, "[role=option]")
        .into_iter()
        .filter(|o| in_view(host, o))
        .filter_map(|o| o.get_attribute("data-report-id")?.parse().ok())
        .collect()
}

fn option_of(host: &Element, report: usize) -> Option<Element> {
    find(
        host,
        &format!("[role=option][data-report-id=\"{}\"]", id(report)),
    )
}

/// Every rendered option sits in the group named for its own type.
fn groups_are_right(host: &Element) {
    let root = shadow(host);
    for option in find_all(host, "[role=option]") {
        let i = (option
            .get_attribute("data-report-id")
            .unwrap()
            .parse::<i64>()
            .unwrap()
            - id(0)) as usize;
        let group = option.closest("[role=group]").unwrap().unwrap();
        let label = group.get_attribute("aria-labelledby").unwrap();
        let label = root.get_element_by_id(&label).unwrap();
        assert_eq!(text(&label), type_name(i % TYPES), "report {i}'s group");
    }
}

#[wasm_bindgen_test]
async fn five_thousand_reports_render_what_shows_and_reach_every_report() {
    let (host, events, mut viewer) = mounted_with_reports(&[]);
    let order = grouped();
    let first = until("the report list", || find(&host, "[role=option]")).await;

    // What shows: the first rows, and far from 5,000 elements; screen
    // readers are told the real size and place.
    let rendered = find_all(&host, "[role=option]").len();
    assert!(rendered < 150, "{rendered} options rendered");
    assert_eq!(first.get_attribute("aria-setsize").as_deref(), Some("5000"));
    assert_eq!(first.get_attribute("aria-posinset").as_deref(), Some("1"));
    assert_eq!(
        first.get_attribute("data-report-id"),
        Some(id(order[0]).to_string())
    );
    let shown = until("the first rows in view", || {
        let s = seen(&host);
        (s.len() >= 10).then_some(s)
    })
    .await;
    assert_eq!(
        shown,
        order[..shown.len()]
            .iter()
            .map(|&i| id(i))
            .collect::<Vec<_>>()
    );
    groups_are_right(&host);
    // The panel scrolls as far as 5,000 rows reach.
    let panel = side(&host);
    assert!(
        panel.scroll_height() > (COUNT * 20) as i32,
        "{}",
        panel.scroll_height()
    );

    // A search shows the matching rows, in order, and says how many.
    let matching = grouped_where(|i| name(i).to_lowercase().contains("oct"));
    search(&host, "OCT");
    let total = matching.len().to_string();
    until("the matching rows", || {
        let o = find(&host, "[role=option]")?;
        (o.get_attribute("aria-setsize").as_deref() == Some(total.as_str())).then_some(())
    })
    .await;
    let shown = until("matching rows in view", || {
        let s = seen(&host);
        (s.len() >= 10).then_some(s)
    })
    .await;
    assert_eq!(
        shown,
        matching[..shown.len()]
            .iter()
            .map(|&i| id(i))
            .collect::<Vec<_>>()
    );
    assert!(find_all(&host, "[role=option] .cxr-option-name")
        .iter()
        .all(|n| text(n).contains("Oct")));
    groups_are_right(&host);
    press(&host, "Escape");
    until("the whole list again", || {
        let o = find(&host, "[role=option]")?;
        (o.get_attribute("aria-setsize").as_deref() == Some("5000")).then_some(())
    })
    .await;

    // Scrolled to the end, the last report shows, under its type's label.
    // (Held there as a reader would: a render still settling from the
    // search may put the list back once, as it reveals the active option.)
    let last = *order.last().unwrap();
    until("the last report in view", || {
        panel.set_scroll_top(panel.scroll_height());
        option_of(&host, last).filter(|o| in_view(&host, o))
    })
    .await;
    assert!(seen(&host).ends_with(&[id(last)]));
    assert!(find_all(&host, "[role=option]").len() < 150);
    groups_are_right(&host);
    // Scrolled halfway, the rows there show, with no gap.
    let middle = until("rows halfway down", || {
        panel.set_scroll_top(panel.scroll_height() / 2);
        let s = seen(&host);
        (s.len() >= 10 && !s.contains(&id(last))).then_some(s)
    })
    .await;
    let at = order.iter().position(|&i| id(i) == middle[0]).unwrap();
    assert!(at > 2000 && at < 3000, "halfway shows row {at}");
    let expected: Vec<i64> = order[at..]
        .iter()
        .take(middle.len())
        .map(|&i| id(i))
        .collect();
    // A group's label may sit between two of them: compare the options only.
    assert_eq!(middle, expected);

    // A click on a rendered option opens it.
    let pick = order[at + 2];
    click(&option_of(&host, pick).unwrap());
    until("the clicked report opened", || {
        frame_src(&host).filter(|s| s.contains(&format!("/reports/{}/preview", id(pick))))
    })
    .await;
    assert_eq!(
        option_of(&host, pick)
            .unwrap()
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    assert_eq!(
        events.last("cxreports:select", "report"),
        Some(id(pick).to_string())
    );

    // Home goes back to the top, End to the last report, both scrolled
    // into view, and the active option is always a rendered element.
    let active = |host: &Element| {
        let id = input(host).get_attribute("aria-activedescendant")?;
        let el = shadow(host).get_element_by_id(&id)?;
        in_view(host, &el).then_some(el)
    };
    input(&host).focus().unwrap();
    press(&host, "Home");
    let top = until("Home: the first report active and in view", || {
        active(&host)
    })
    .await;
    assert_eq!(
        top.get_attribute("data-report-id"),
        Some(id(order[0]).to_string())
    );
    assert_eq!(panel.scroll_top(), 0, "the first group's label shows too");
    press(&host, "End");
    let end = until("End: the last report active and in view", || {
        active(&host).filter(|el| el.get_attribute("aria-posinset").as_deref() == Some("5000"))
    })
    .await;
    assert_eq!(
        end.get_attribute("data-report-id"),
        Some(id(last).to_string())
    );
    press(&host, "ArrowUp");
    let up = until("ArrowUp: the one before, in view", || {
        active(&host).filter(|el| el.get_attribute("aria-posinset").as_deref() == Some("4999"))
    })
    .await;
    assert_eq!(
        up.get_attribute("data-report-id"),
        Some(id(order[COUNT - 2]).to_string())
    );
    press(&host, "ArrowDown");
    press(&host, "Enter");
    until("Enter: the last report opened", || {
        frame_src(&host).filter(|s| s.contains(&format!("/reports/{}/preview", id(last))))
    })
    .await;
    assert_eq!(
        option_of(&host, last)
            .unwrap()
            .get_attribute("aria-selected")
            .as_deref(),
        Some("true")
    );
    // Scrolled away, the active option stays rendered (out of sight), so
    // the combobox never points at nothing.
    until("the top again", || {
        panel.set_scroll_top(0);
        option_of(&host, order[0]).filter(|o| in_view(&host, o))
    })
    .await;
    let id_ref = input(&host).get_attribute("aria-activedescendant").unwrap();
    let kept = shadow(&host)
        .get_element_by_id(&id_ref)
        .expect("the active option is rendered");
    assert_eq!(
        kept.get_attribute("data-report-id"),
        Some(id(last).to_string())
    );
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn the_report_shown_is_scrolled_into_view() {
    // The first report, deep in the list (its 4,000th row), shows at once.
    let order = grouped();
    let (first, then) = (order[3999], order[1234]);
    let (host, events, mut viewer) =
        mounted_with_reports(&[("report", JsValue::from_f64(id(first) as f64))]);
    let option = until("the first report in view", || {
        option_of(&host, first).filter(|o| in_view(&host, o))
    })
    .await;
    assert_eq!(
        option.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    groups_are_right(&host);
    // One chosen from outside is scrolled to as well.
    viewer.select(JsValue::from_f64(id(then) as f64)).unwrap();
    until("the chosen report opened", || {
        frame_src(&host).filter(|s| s.contains(&format!("/reports/{}/preview", id(then))))
    })
    .await;
    let option = until("the chosen report in view", || {
        option_of(&host, then).filter(|o| in_view(&host, o))
    })
    .await;
    assert_eq!(
        option.get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert!(option_of(&host, first).is_none_or(|o| !in_view(&host, &o)));
    assert_eq!(events.count("cxreports:error"), 0);
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn page_keys_move_by_one_view_of_options() {
    let (host, _events, mut viewer) = mounted_with_reports(&[]);
    until("the list", || find(&host, "[role=option]")).await;
    let panel = side(&host);
    let active = |host: &Element| {
        let id = input(host).get_attribute("aria-activedescendant")?;
        let el = shadow(host).get_element_by_id(&id)?;
        in_view(host, &el).then_some(el)
    };
    let position = |el: &Element| -> usize {
        el.get_attribute("aria-posinset")
            .and_then(|p| p.parse().ok())
            .unwrap()
    };
    input(&host).focus().unwrap();
    press(&host, "Home");
    let top = until("Home: the first report active", || active(&host)).await;
    assert_eq!(position(&top), 1);
    // As many options as the panel shows at once, whole or not.
    let option_height = top.get_bounding_client_rect().height();
    let per_view = (f64::from(panel.client_height()) / option_height).ceil() as usize;
    assert!(per_view > 2, "the panel shows {per_view} options");

    press(&host, "PageDown");
    let down = until("PageDown: an option further down, in view", || {
        active(&host).filter(|el| position(el) > 1)
    })
    .await;
    let moved = position(&down) - 1;
    assert!(
        moved > 1 && moved <= per_view,
        "PageDown moved {moved} options; the panel shows {per_view}"
    );
    press(&host, "PageDown");
    let further = until("a second PageDown: further still, in view", || {
        active(&host).filter(|el| position(el) > position(&down))
    })
    .await;
    assert_eq!(position(&further) - position(&down), moved, "one view each");
    press(&host, "PageUp");
    until("PageUp: one view back, in view", || {
        active(&host).filter(|el| position(el) == position(&down))
    })
    .await;
    press(&host, "PageUp");
    until("PageUp again: the first report", || {
        active(&host).filter(|el| position(el) == 1)
    })
    .await;
    // At the end, Page Down stays on the last report.
    press(&host, "End");
    until("End: the last report", || {
        active(&host).filter(|el| position(el) == COUNT)
    })
    .await;
    press(&host, "PageDown");
    sleep(50).await;
    assert_eq!(active(&host).map(|el| position(&el)), Some(COUNT));
    viewer.destroy();
}
