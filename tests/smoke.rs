#![cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn click_changes_dom() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    cxreports_widget::mount(el.clone());
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    let b: web_sys::HtmlElement = el.query_selector("button").unwrap().unwrap().dyn_into().unwrap();
    assert_eq!(b.text_content().unwrap(), "clicked 0");
    b.click();
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    assert_eq!(b.text_content().unwrap(), "clicked 1");
}
