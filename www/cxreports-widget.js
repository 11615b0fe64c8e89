// The one file a host page imports.
import init, * as wasm from "./pkg/cxreports-widget.js";
const ready = init({ module_or_path: new URL("./pkg/cxreports-widget_bg.wasm", import.meta.url) });
export async function mount(el) { await ready; return wasm.mount(el); }
