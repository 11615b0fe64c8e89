// cxreports-widget: the one file a host page imports.
//
//   <script type="module" src="/cxreports/cxreports-widget.js"></script>
//   <cx-report-viewer cxreports-url="https://reports.example.com" workspace="sales"
//     nonce-url="/api/cxreports/nonce" reports-url="/api/cxreports/reports"></cx-report-viewer>
//
// It loads the WebAssembly beside it (pkg/), defines <cx-report-viewer>, and
// exposes the JS API as this module's exports and as window.CxReports.

// The WebAssembly is requested at once, beside the JS glue rather than after
// it: one network round trip less before the first widget can start.
const wasmResponse = fetch(new URL("./pkg/cxreports-widget_bg.wasm", import.meta.url));
wasmResponse.catch(() => {}); // a failure is reported once, below

// Top-level await: once this module has loaded, mount() works at once.
let wasm = null;
let loadError = null;
try {
  wasm = await import("./pkg/cxreports-widget.js");
  await wasm.default({ module_or_path: wasmResponse });
  // Languages other than English are small files beside this one, fetched
  // only by a widget that speaks one.
  wasm.setCatalogBase(new URL("./locales/", import.meta.url).href);
} catch (error) {
  loadError = new Error(`cxreports-widget could not load its WebAssembly: ${error}`);
  console.error(loadError);
}

/**
 * Mounts a widget into `element` and returns its handle (select, setParams,
 * refresh, print, destroy). Throws an Error naming the problem when an option
 * is invalid, including any option that looks like a secret token.
 */
export function mount(element, options) {
  if (loadError) throw loadError;
  return wasm.mount(element, options);
}

/** The widget's version. */
export const version = loadError ? null : wasm.version();

const ATTRIBUTES = [
  "cxreports-url", "workspace", "nonce-url", "reports-url", "report-types-url", "report",
  "params", "data", "temp-data-id", "timezone", "lang", "theme", "template", "params-encoding",
  "pdf-url", "request-headers", "credentials", "show-picker", "height", "timeout-ms", "retries",
  "prefetch-nonce", "nonce-max-age-ms", "locale", "messages", "color-scheme",
];

class CxReportViewer extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  #handle = null;
  #changed = new Set();
  #scheduled = false;

  connectedCallback() { this.#changed.add("*"); this.#schedule(); }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    this.#changed.add(name);
    this.#schedule();
  }

  disconnectedCallback() {
    // Moving the element within the page disconnects then reconnects it in
    // one task: only a real removal destroys the widget.
    queueMicrotask(() => {
      if (!this.isConnected) this.#destroy();
    });
  }

  /** The JS handle, for select/setParams/refresh/print. */
  get viewer() { return this.#handle; }

  #destroy() {
    this.#handle?.destroy();
    this.#handle?.free();
    this.#handle = null;
  }

  // Several attribute changes in one task make one update.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#update());
  }

  #update() {
    this.#scheduled = false;
    if (!this.isConnected) return;
    if (loadError) {
      this.dispatchEvent(new CustomEvent("cxreports:error", {
        bubbles: true, composed: true, detail: { kind: "load", stage: "load", message: loadError.message },
      }));
      return;
    }
    const changed = this.#changed;
    this.#changed = new Set();
    const light = [...changed].every((name) => name === "report" || name === "params");
    if (this.#handle && light) {
      try {
        if (changed.has("params")) this.#handle.setParams(JSON.parse(this.getAttribute("params") || "null"));
        if (changed.has("report")) this.#handle.select(this.getAttribute("report"));
        return;
      } catch (_) {
        // An invalid value: remount, which shows the error in place.
      }
    }
    this.#destroy();
    this.#handle = wasm.mountElement(this);
  }
}

if (!customElements.get("cx-report-viewer")) customElements.define("cx-report-viewer", CxReportViewer);

window.CxReports = Object.freeze({ mount, version });
