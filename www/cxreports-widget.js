// cxreports-widget: the one file a host page imports.
//
//   <script type="module" src="/cxreports/cxreports-widget.js"></script>
//   <cx-report-viewer cxreports-url="https://reports.example.com" workspace="sales"
//     nonce-url="/api/cxreports/nonce" reports-url="/api/cxreports/reports"></cx-report-viewer>
//
// It loads the WebAssembly beside it (pkg/), defines <cx-report-viewer>, and
// exposes the JS API as this module's exports and as window.CxReports.
// Imported where there is no DOM (a server render), it does nothing.

const inBrowser = typeof window !== "undefined" && typeof document !== "undefined"
  && typeof HTMLElement !== "undefined" && typeof customElements !== "undefined";

let wasm = null;
let loadError = null;
if (inBrowser) {
  // The WebAssembly is requested at once, beside the JS glue rather than
  // after it: one network round trip less before the first widget can start.
  // (Written as `new URL(…, import.meta.url)` so bundlers copy the file.)
  const wasmResponse = fetch(new URL("./pkg/cxreports-widget_bg.wasm", import.meta.url));
  wasmResponse.catch(() => {}); // a failure is reported once, below
  // Top-level await: once this module has loaded, mount() works at once.
  try {
    wasm = await import("./pkg/cxreports-widget.js");
    await wasm.default({ module_or_path: wasmResponse });
    // Languages other than English are small modules beside this one,
    // loaded only by a widget that speaks one. Each is named in full, so
    // every bundler (Vite, webpack, esbuild, Parcel) splits it into a chunk
    // of its own; the widget decides which one (tests/catalogs.rs checks
    // this list against the catalogs it ships).
    const CATALOGS = {
      de: () => import("./locales/de.js"), fr: () => import("./locales/fr.js"),
      es: () => import("./locales/es.js"), it: () => import("./locales/it.js"),
      pt: () => import("./locales/pt.js"), nl: () => import("./locales/nl.js"),
      pl: () => import("./locales/pl.js"), hr: () => import("./locales/hr.js"),
      "sr-Latn": () => import("./locales/sr-Latn.js"),
    };
    wasm.setCatalogLoader((tag) => (CATALOGS[tag] ?? (() => Promise.reject(new Error(`no catalog ${tag}`))))()
      .then((m) => m.default));
  } catch (error) {
    loadError = new Error(`cxreports-widget could not load its WebAssembly: ${error}`);
    console.error(loadError);
  }
}

/**
 * Mounts a widget into `element` and returns its handle (select, setParams,
 * refresh, print, destroy). Throws an Error naming the problem when an option
 * is invalid, including any option that looks like a secret token.
 */
export function mount(element, options) {
  if (!inBrowser) throw new Error("cxreports-widget: mount() needs a browser; call it once the page runs in one (not during a server render)");
  if (loadError) throw loadError;
  return wasm.mount(element, options);
}

/** The widget's version (null where it did not load). */
export const version = wasm && !loadError ? wasm.version() : null;

// Options as attributes (kebab-case); every one is also a property
// (camelCase). Text-like ones reflect to their attribute; objects and
// functions live only as properties.
const ATTRIBUTES = [
  "cxreports-url", "workspace", "nonce-url", "reports-url", "report-types-url", "report",
  "params", "data", "temp-data-id", "timezone", "lang", "theme", "template", "params-encoding",
  "pdf-url", "request-headers", "credentials", "show-picker", "height", "timeout-ms", "retries",
  "prefetch-nonce", "nonce-max-age-ms", "locale", "messages", "color-scheme", "reports",
];
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/** Properties whose values may be objects or functions: not reflected. */
const RICH = new Set(["fetchNonce", "reports", "params", "data", "requestHeaders", "messages"]);
// `lang` is every element's own property already, reflecting its attribute.
const PROPERTIES = [...ATTRIBUTES.map(camel), "fetchNonce"].filter((name) => name !== "lang");

if (inBrowser) {
  class CxReportViewer extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    #handle = null;
    #changed = new Set();
    #scheduled = false;
    #rich = new Map();

    connectedCallback() {
      // A property set before this element was upgraded (before the module
      // loaded) sits on the instance, hiding the accessor: move it over.
      for (const name of PROPERTIES) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          const value = this[name];
          delete this[name];
          this[name] = value;
        }
      }
      this.#changed.add("*");
      this.#schedule();
    }

    attributeChangedCallback(name, before, after) {
      if (before === after) return;
      this.#changed.add(camel(name));
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

    // Every option as a property. Declared here, inside the class, so the
    // setters can schedule an update.
    static {
      for (const name of PROPERTIES) {
        const attribute = kebab(name);
        Object.defineProperty(this.prototype, name, RICH.has(name)
          ? {
            get() { return this.#rich.has(name) ? this.#rich.get(name) : this.getAttribute(attribute); },
            set(value) {
              if (this.#rich.get(name) === value) return;
              if (value === undefined || value === null) this.#rich.delete(name);
              else this.#rich.set(name, value);
              this.#changed.add(name);
              this.#schedule();
            },
            configurable: true, enumerable: true,
          }
          : {
            get() { return this.getAttribute(attribute); },
            set(value) {
              if (value === undefined || value === null) this.removeAttribute(attribute);
              else this.setAttribute(attribute, String(value));
            },
            configurable: true, enumerable: true,
          });
      }
    }

    #destroy() {
      this.#handle?.destroy();
      this.#handle?.free();
      this.#handle = null;
    }

    // Several attribute or property changes in one task make one update.
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
          if (changed.has("params")) {
            const params = this.#rich.has("params") ? this.#rich.get("params") : this.getAttribute("params");
            this.#handle.setParams(typeof params === "string" ? JSON.parse(params || "null") : params ?? null);
          }
          if (changed.has("report")) this.#handle.select(this.getAttribute("report"));
          return;
        } catch (_) {
          // An invalid value: remount, which shows the error in place.
        }
      }
      this.#destroy();
      this.#handle = wasm.mountElement(this, Object.fromEntries(this.#rich));
    }
  }

  if (!customElements.get("cx-report-viewer")) customElements.define("cx-report-viewer", CxReportViewer);
  window.CxReports = Object.freeze({ mount, version });
}
