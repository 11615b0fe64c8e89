//! The report picker: a search box and a list grouped by report type, in the
//! ARIA combobox + listbox pattern, usable with the keyboard alone.
//!
//! A long list (more than [`FULL_LIST_MAX`](virtual_rows::FULL_LIST_MAX)
//! matching reports) renders only
//! the rows in view and a few either side: the listbox is padded for the
//! rest, so the scrollbar of the panel it scrolls in stays true, and a scroll
//! renders the rows it brings into view. Its rows are one line of a fixed
//! height each (style.css, `[data-virtual]`), measured once rendered; which
//! rows to render is pure geometry ([`window`]). The active option is always
//! rendered, so `aria-activedescendant` names an element that is there.
mod keys;
mod scroll;
mod virtual_rows;
mod window;

use std::rc::Rc;

use cxreports_contract::model::{Report, ReportType};
use cxreports_contract::ReportRef;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::ids::Ids;
use crate::i18n::{Key, Messages};
use crate::model::{group_reports, group_reports_keyed, SearchKeys};
use keys::{next_active, Move};
use virtual_rows::use_virtual_rows;

/// Props of [`Picker`].
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    /// The reports to choose from.
    pub reports: Rc<Vec<Report>>,
    /// Report types, to order the groups (optional).
    #[prop_or_default]
    pub types: Option<Rc<Vec<ReportType>>>,
    /// The report shown now, marked selected.
    #[prop_or_default]
    pub selected: Option<ReportRef>,
    /// Called with the chosen report.
    pub on_select: Callback<ReportRef>,
    /// Optional: the texts; default English.
    #[prop_or_default]
    pub messages: Messages,
    /// Optional: the prefix of the ids of the picker's elements (the search
    /// box, the list, its options and group labels): unique in the page,
    /// starting with a letter, of letters, digits, `-` and `_`. Default: a
    /// prefix of its own, unique among the widgets on the page.
    #[prop_or_default]
    pub id_prefix: Option<AttrValue>,
}

/// The report picker.
#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let filter = use_state(String::new);
    // The active option is read by key handlers that may run several times
    // before the next render, so it lives in a cell, not in render-time state.
    let active = use_mut_ref(|| None::<usize>);
    let own_ids = use_memo((), |_| Ids::fresh());
    let ids = match &props.id_prefix {
        Some(prefix) => Ids::under(prefix.clone()),
        None => (*own_ids).clone(),
    };
    // The names as the search matches them, folded at the first search in a list.
    let keys = use_mut_ref(|| None::<(Rc<Vec<Report>>, Rc<SearchKeys>)>);
    let types = props.types.as_deref().map(Vec::as_slice);
    let groups = if filter.trim().is_empty() {
        group_reports(&props.reports, types, "")
    } else {
        let keys = {
            let mut cached = keys.borrow_mut();
            match &*cached {
                Some((list, keys)) if Rc::ptr_eq(list, &props.reports) => keys.clone(),
                _ => {
                    let made = Rc::new(SearchKeys::new(&props.reports));
                    *cached = Some((props.reports.clone(), made.clone()));
                    made
                }
            }
        };
        group_reports_keyed(&props.reports, types, &filter, &keys)
    };
    let flat: Vec<&Report> = groups
        .iter()
        .flat_map(|g| g.reports.iter().copied())
        .collect();
    let count = flat.len();
    let active_index = active.borrow().filter(|i| *i < count);
    let report_ids: Rc<Vec<i64>> = Rc::new(flat.iter().map(|r| r.id).collect());
    let view = use_virtual_rows(
        groups.iter().map(|g| g.reports.len()).collect(),
        report_ids.clone(),
        props.selected.clone(),
        ids.clone(),
    );
    let (rows, shown, long) = (&view.rows, view.shown.clone(), view.long);

    let oninput = {
        let (filter, active) = (filter.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                *active.borrow_mut() = None;
                filter.set(input.value());
            }
        })
    };
    let onkeydown = {
        let (filter, active, on_select) = (filter.clone(), active.clone(), props.on_select.clone());
        let handle = view.handle.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Escape" {
                // A first Escape clears the search; with nothing to clear it
                // goes on to the container (which may close a popover).
                if !filter.is_empty() {
                    e.stop_propagation();
                }
                *active.borrow_mut() = None;
                filter.set(String::new());
                return;
            }
            let active_index = active.borrow().filter(|i| *i < report_ids.len());
            if key == "Enter" {
                if report_ids.is_empty() {
                    return;
                }
                e.prevent_default();
                if let Some(id) = active_index.and_then(|i| report_ids.get(i)) {
                    handle.chosen_here(ReportRef::Id(*id));
                    on_select.emit(ReportRef::Id(*id));
                }
                return;
            }
            let Some(step) = Move::from_key(&key) else {
                return;
            };
            let Some(next) = next_active(step, active_index, report_ids.len(), handle.page())
            else {
                return;
            };
            e.prevent_default();
            *active.borrow_mut() = Some(next);
            handle.reveal(next);
        })
    };
    // Opening the narrow layout's switcher shows the list without a scroll:
    // focus coming in measures it.
    let onfocusin = {
        let handle = view.handle.clone();
        Callback::from(move |_: FocusEvent| handle.remeasure())
    };

    let m = &props.messages;
    let active_id = active_index.map(|i| ids.option(i));
    let set_size = long.then(|| AttrValue::from(count.to_string()));
    let option = |i: usize, report: &Report, offscreen: bool| {
        let selected = props.selected == Some(ReportRef::Id(report.id));
        let onclick = {
            let (on_select, id, active) = (props.on_select.clone(), report.id, active.clone());
            let handle = view.handle.clone();
            Callback::from(move |_| {
                *active.borrow_mut() = Some(i);
                handle.chosen_here(ReportRef::Id(id));
                on_select.emit(ReportRef::Id(id));
            })
        };
        // State is styled through these attributes (see style.css): no
        // per-option class list to build.
        let active = (active_index == Some(i)).then_some(AttrValue::Static("true"));
        let position = long.then(|| AttrValue::from((i + 1).to_string()));
        let offscreen = offscreen.then_some(AttrValue::Static("true"));
        html! {
            <li key={i} id={ids.option(i)} role="option" class="cxr-option" aria-selected={selected.to_string()} data-active={active}
                aria-setsize={set_size.clone()} aria-posinset={position} data-offscreen={offscreen}
                data-report-id={report.id.to_string()} {onclick}>
                <span class="cxr-option-name">{ &report.name }</span>
                if report.is_default {
                    <span class="cxr-default" title={m.text(Key::DefaultBadgeTitle).to_owned()}>{ m.text(Key::DefaultBadge) }</span>
                }
            </li>
        }
    };
    let group = |g: usize, type_name: &str, label_offscreen: bool, options: Html| {
        let label_id = ids.group(g);
        let offscreen = label_offscreen.then_some(AttrValue::Static("true"));
        html! {
            <li key={g} role="presentation" class="cxr-group">
                <div id={label_id.clone()} class="cxr-group-label" role="presentation" data-offscreen={offscreen}>{ type_name.to_owned() }</div>
                <ul role="group" aria-labelledby={label_id}>{ options }</ul>
            </li>
        }
    };
    // The groups the rendered rows meet, each with its label (out of sight
    // when its row is not rendered: the group keeps its name), and the
    // active option wherever it is. A short list renders all its rows.
    let list: Html = groups
        .iter()
        .enumerate()
        .filter_map(|(g, grp)| {
            let span = rows.group(g);
            let first = rows.first_option(g);
            let from = shown.start.max(span.start + 1) - (span.start + 1);
            let to = shown
                .end
                .min(span.end)
                .saturating_sub(span.start + 1)
                .max(from);
            let pinned = active_index
                .filter(|&i| rows.group_of(i) == g && !shown.contains(&rows.option_row(i)));
            let label_shown = shown.contains(&span.start);
            if from == to && !label_shown && pinned.is_none() {
                return None;
            }
            // The pinned option goes before the rendered ones or after them.
            let (before, after) = match pinned {
                Some(p) if p < first + from => (Some(p), None),
                p => (None, p),
            };
            let options = before
                .into_iter()
                .map(|p| (p, true))
                .chain((first + from..first + to).map(|i| (i, false)))
                .chain(after.map(|p| (p, true)))
                .map(|(i, offscreen)| option(i, flat[i], offscreen))
                .collect();
            Some(group(g, grp.type_name, !label_shown, options))
        })
        .collect();

    html! {
        <div class="cxr-picker" {onfocusin}>
            <label class="cxr-label" for={ids.search()}>{ m.text(Key::Reports) }</label>
            <input id={ids.search()} class="cxr-search" type="search" role="combobox"
                aria-expanded="true" aria-controls={ids.listbox()} aria-autocomplete="list"
                aria-activedescendant={active_id} placeholder={m.text(Key::SearchPlaceholder).to_owned()} autocomplete="off"
                value={(*filter).clone()} {oninput} {onkeydown} />
            if count == 0 {
                <p class="cxr-empty" role="status">
                    if filter.is_empty() { { m.text(Key::NoReports) } }
                    else { { m.format(Key::NoMatch, &[("filter", &filter)]) } }
                </p>
            }
            <ul ref={view.handle.listbox.clone()} id={ids.listbox()} class="cxr-listbox" role="listbox" aria-label={m.text(Key::Reports).to_owned()}
                data-virtual={long.then_some(AttrValue::Static("true"))}>{ list }</ul>
        </div>
    }
}
