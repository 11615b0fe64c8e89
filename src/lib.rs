//! cxreports-widget (bootstrap stage).
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Props of [`Hello`].
#[derive(Properties, PartialEq, Default)]
pub struct HelloProps {}

/// A placeholder.
#[function_component(Hello)]
pub fn hello(_: &HelloProps) -> Html {
    let n = use_state(|| 0);
    let onclick = { let n = n.clone(); Callback::from(move |_| n.set(*n + 1)) };
    html! { <button {onclick}>{ format!("clicked {}", *n) }</button> }
}

/// Mounts into an element.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element) {
    yew::Renderer::<Hello>::with_root(element).render();
}
