//! The report picker: a search box and a list grouped by report type, in the
//! ARIA combobox + listbox pattern, usable with the keyboard alone.
use std::rc::Rc;

use cxreports_contract::model::{Report, ReportType};
use cxreports_contract::ReportRef;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{Key, Messages};
use crate::model::group_reports;

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
}

/// The report picker.
#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let filter = use_state(String::new);
    // The active option is read by key handlers that may run several times
    // before the next render, so it lives in a cell, not in render-time state.
    let active = use_mut_ref(|| None::<usize>);
    let rerender = use_force_update();
    let groups = group_reports(
        &props.reports,
        props.types.as_deref().map(Vec::as_slice),
        &filter,
    );
    let flat: Vec<&Report> = groups
        .iter()
        .flat_map(|g| g.reports.iter().copied())
        .collect();
    let count = flat.len();
    let active_index = active.borrow().filter(|i| *i < count);
    let ids: Rc<Vec<i64>> = Rc::new(flat.iter().map(|r| r.id).collect());

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
        let (filter, active, ids, on_select) = (
            filter.clone(),
            active.clone(),
            ids.clone(),
            props.on_select.clone(),
        );
        let rerender = rerender.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                // A first Escape clears the search; with nothing to clear it
                // goes on to the container (which may close a popover).
                if !filter.is_empty() {
                    e.stop_propagation();
                }
                *active.borrow_mut() = None;
                filter.set(String::new());
                return;
            }
            let active_index = active.borrow().filter(|i| *i < ids.len());
            let Some(last) = ids.len().checked_sub(1) else {
                return;
            };
            let next = match e.key().as_str() {
                "ArrowDown" => active_index.map_or(0, |i| (i + 1).min(last)),
                "ArrowUp" => active_index.map_or(last, |i| i.saturating_sub(1)),
                "Home" => 0,
                "End" => last,
                "Enter" => {
                    e.prevent_default();
                    if let Some(id) = active_index.and_then(|i| ids.get(i)) {
                        on_select.emit(ReportRef::Id(*id));
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            *active.borrow_mut() = Some(next);
            rerender.force_update();
        })
    };

    let m = &props.messages;
    let active_id = active_index.map(|i| format!("cxr-option-{i}"));
    let mut index = 0;
    let list = groups.iter().enumerate().map(|(g, group)| {
        let label_id = format!("cxr-group-{g}");
        let options = group.reports.iter().map(|report| {
            let i = index;
            index += 1;
            let selected = props.selected == Some(ReportRef::Id(report.id));
            let onclick = {
                let (on_select, id, active) = (props.on_select.clone(), report.id, active.clone());
                Callback::from(move |_| {
                    *active.borrow_mut() = Some(i);
                    on_select.emit(ReportRef::Id(id));
                })
            };
            // State is styled through these attributes (see style.css): no
            // per-option class list to build.
            let active = (active_index == Some(i)).then_some(AttrValue::Static("true"));
            html! {
                <li id={format!("cxr-option-{i}")} role="option" class="cxr-option" aria-selected={selected.to_string()} data-active={active}
                    data-report-id={report.id.to_string()} {onclick}>
                    <span class="cxr-option-name">{ &report.name }</span>
                    if report.is_default {
                        <span class="cxr-default" title={m.text(Key::DefaultBadgeTitle).to_owned()}>{ m.text(Key::DefaultBadge) }</span>
                    }
                </li>
            }
        });
        html! {
            <li role="presentation" class="cxr-group">
                <div id={label_id.clone()} class="cxr-group-label" role="presentation">{ group.type_name }</div>
                <ul role="group" aria-labelledby={label_id}>{ for options }</ul>
            </li>
        }
    });

    html! {
        <div class="cxr-picker">
            <label class="cxr-label" for="cxr-search">{ m.text(Key::Reports) }</label>
            <input id="cxr-search" class="cxr-search" type="search" role="combobox"
                aria-expanded="true" aria-controls="cxr-listbox" aria-autocomplete="list"
                aria-activedescendant={active_id} placeholder={m.text(Key::SearchPlaceholder).to_owned()} autocomplete="off"
                value={(*filter).clone()} {oninput} {onkeydown} />
            if count == 0 {
                <p class="cxr-empty" role="status">
                    if filter.is_empty() { { m.text(Key::NoReports) } }
                    else { { m.format(Key::NoMatch, &[("filter", &filter)]) } }
                </p>
            }
            <ul id="cxr-listbox" class="cxr-listbox" role="listbox" aria-label={m.text(Key::Reports).to_owned()}>{ for list }</ul>
        </div>
    }
}
