// cxreports-widget: the one file a host page imports.
//
//   <script type="module" src="/cxreports/cxreports-widget.js"></script>
//   <cx-report-viewer cxreports-url="https://reports.example.com" workspace="sales"
//     nonce-url="/api/cxreports/nonce" reports-url="/api/cxreports/reports"></cx-report-viewer>
//
// It loads the WebAssembly beside it (pkg/), defines <cx-report-viewer>, and
// exposes the JS API as this module's exports and as window.CxReports.
// Imported where there is no DOM (a server render), it does nothing.

// BEGIN GENERATED from src/config/surface.rs, src/config/urls.rs, src/host/headers.rs, src/links.rs, src/i18n: do not edit.
// `CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface` writes it again.
/** Every option name the widget knows (no secret-like name is one). */
const OPTIONS = new Set([
  "cxreportsUrl", "workspace", "nonceUrl", "fetchNonce", "reportsUrl", "reportTypesUrl", "reports",
  "report", "params", "data", "tempDataId", "timezone", "lang", "theme", "template",
  "paramsEncoding", "pdfUrl", "requestHeaders", "credentials", "showPicker", "height", "timeoutMs",
  "pdfTimeoutMs", "retries", "prefetchNonce", "nonceMaxAgeMs", "sessionMaxAgeMs", "loading",
  "locale", "messages", "colorScheme"
]);
// An option's attribute (kebab-case) and back, as the widget spells them.
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
// Every option is a property (camelCase) and, but these, an attribute
// (kebab-case). Text-like ones reflect to their attribute; objects and
// functions live only as properties (RICH).
const PROPERTY_ONLY = new Set(["fetchNonce"]);
/** Properties whose values may be objects or functions: not reflected. */
const RICH = new Set(["fetchNonce", "reports", "params", "data", "requestHeaders", "messages"]);
/** The host endpoints; the head start calls one only on this page's origin. */
const ENDPOINTS = ["nonceUrl", "reportsUrl", "reportTypesUrl", "pdfUrl"];
/** How an endpoint starts: absolute http(s), or a path on this site (never `//`). */
const ENDPOINT_START = /^(?:http:\/\/|https:\/\/|(?!\/\/)(?:\/|\.\/|\.\.\/))/i;
/** A character no endpoint holds: white space, a control character, a backslash. */
const NOT_IN_ENDPOINT = /[\x00- \\\x7f-\xa0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000]/;
/** A character an absolute endpoint does not hold before its query: no credentials, no quotes. */
const NOT_IN_SERVER_URL = /[\x00- "-#'<>-@\\`\x7f-\xa0\u1680\u2000-\u200a\u2028-\u2029\u202f\u205f\u3000]/;
/** The widget's headers on a call answered with JSON, in the order sent. */
const HEADERS = [["Accept", "application/json"], ["X-Requested-With", "cxreports-widget"]];
/** Attributes any element may carry, which are not options. */
const HOST_ATTRIBUTE = /^(id|class|style|slot|title|hidden|tabindex|role|part|data-.*|aria-.*)$/;
/** An option's text, trimmed ("" when it is not text). */
const optionText = (options, name) => (typeof options[name] === "string" ? options[name].trim() : "");
/** Whether an option is given, as the widget reads options. */
const optionGiven = (options, name) => options[name] !== undefined && options[name] !== null
  && (typeof options[name] !== "string" || optionText(options, name) !== "");
/**
 * What a widget requests first (ViewerConfig::first_requests): the list
 * unless a static `reports` is given, and a nonce from `nonceUrl` when a
 * report is preselected or nonces are prefetched.
 */
function firstRequests(options) {
  const given = (name) => optionGiven(options, name);
  const prefetch = options.prefetchNonce !== false && optionText(options, "prefetchNonce") !== "false";
  return {
    list: given("reportsUrl") && !given("reports"),
    nonce: given("nonceUrl") && (given("report") || prefetch),
  };
}
/** A server URL the widget surely accepts (a strict part of validate_cxreports_url). */
const SERVER_URL = /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::(\d{1,5}))?(?:\/[\w.~!$&()*+,;=:%-]*)*$/i;
/**
 * The viewer URL the widget sets first for `options` and `nonce`
 * (links.rs `viewer_src` over `ViewerConfig::from_raw`), `zone` being the
 * reader's time zone; null for anything it cannot be sure the widget
 * accepts and builds alike. Pinned to the widget by tests/surface.rs.
 */
function previewUrl(options, nonce, zone) {
  if (options === null || typeof options !== "object" || typeof nonce !== "string" || !/^[!-~]{1,4096}$/.test(nonce)) return null;
  const value = (name) => options[name] ?? undefined;
  // A text option as the widget reads one: trimmed ("" when not given), a
  // whole number as its digits; null when it is neither.
  const text = (name) => {
    const v = value(name);
    if (v === undefined) return "";
    if (typeof v === "string") return v.trim();
    return Number.isSafeInteger(v) ? String(v) : null;
  };
  const word = (name, words) => typeof value(name) !== "number" && ["", ...words].includes(text(name));
  const flag = (name) => typeof value(name) === "boolean" || word(name, ["true", "false"]);
  const count = (name) => {
    const v = value(name);
    return v === undefined || (Number.isInteger(v) && v >= 0 && v <= 1e9) || (typeof v === "string" && /^\d{1,9}$/.test(v.trim()));
  };
  const server = (url) => {
    const match = SERVER_URL.exec(url);
    return match !== null && (match[1] === undefined || (Number(match[1]) > 0 && Number(match[1]) < 65536));
  };
  const endpoint = (name) => {
    const v = value(name);
    if (v === undefined || (typeof v === "string" && v.trim() === "")) return true;
    if (typeof v !== "string") return false;
    const url = v.trim();
    return ENDPOINT_START.test(url) && !NOT_IN_ENDPOINT.test(url) && (!/^https?:/i.test(url) || server(url.split(/[?#]/)[0]));
  };
  // JSON-valued options as the widget reads them: text is parsed, and
  // plain objects and arrays travel as their JSON text.
  const json = (name, arrays) => {
    let v = value(name);
    if (v === undefined || (typeof v === "string" && v.trim() === "")) return "";
    try {
      if (typeof v === "string") v = JSON.parse(v);
      const plain = v !== null && typeof v === "object" && (Array.isArray(v) ? arrays
        : [Object.prototype, null].includes(Object.getPrototypeOf(v)) && !("toJSON" in v));
      const out = plain ? JSON.stringify(v) : null;
      return typeof out === "string" && /^[[{]/.test(out) ? out : null;
    } catch {
      return null;
    }
  };
  const height = value("height");
  const tag = text("locale");
  const ok = Object.keys(options).every((name) => OPTIONS.has(name))
    && ["reports", "requestHeaders", "fetchNonce", "messages"].every((name) => value(name) === undefined)
    && typeof value("cxreportsUrl") === "string" && server(text("cxreportsUrl"))
    && text("nonceUrl") !== "" && ENDPOINTS.every(endpoint)
    && word("credentials", ["same-origin", "include"]) && word("loading", ["eager"])
    && word("colorScheme", ["light", "dark", "auto"]) && word("paramsEncoding", ["json", "base64"])
    && flag("showPicker") && flag("prefetchNonce")
    && ["timeoutMs", "pdfTimeoutMs", "retries", "nonceMaxAgeMs", "sessionMaxAgeMs", "tempDataId"].every(count)
    && (typeof height === "number" ? Number.isFinite(height) && height >= 1
      : typeof text("height") === "string" && /^[A-Za-z0-9%. ()+*\/-]*$/.test(text("height")))
    && tag !== null && (tag === "" || (tag.length <= 35 && tag.split(/[-_]/).every((part) => /^[A-Za-z0-9]{1,8}$/.test(part))))
    && ([undefined, true, false].includes(value("timezone")) || typeof value("timezone") === "string")
    && ["workspace", "report", "lang", "theme", "template"].every((name) => text(name) !== null)
    && text("workspace") !== "" && text("report") !== "";
  if (!ok) return null;
  const params = json("params", false);
  const data = json("data", true);
  if (params === null || data === null) return null;
  // A report's digits are its id (as a 64-bit number); anything else a code.
  let report = text("report");
  if (/^\d+$/.test(report) && BigInt(report) <= 9223372036854775807n) report = BigInt(report).toString();
  const segment = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const timezone = value("timezone");
  const keyword = typeof timezone === "string" && ["", "auto", "true", "none", "false", "off"].includes(timezone.trim());
  const readers = timezone === undefined || timezone === true || (keyword && ["", "auto", "true"].includes(timezone.trim()));
  const zoneText = readers ? (typeof zone === "string" ? zone : "") : (typeof timezone === "string" && !keyword ? timezone.trim() : "");
  let paramsText = params;
  if (params !== "" && text("paramsEncoding") === "base64") {
    let binary = "";
    for (const byte of new TextEncoder().encode(params)) binary += String.fromCharCode(byte);
    paramsText = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  const tempDataId = value("tempDataId") === undefined ? "" : String(Number(String(value("tempDataId")).trim()));
  const pairs = [["nonce", nonce], ["params", paramsText], ["data", data], ["tempDataId", tempDataId],
    ["timezone", zoneText], ["lang", text("lang")], ["theme", text("theme")], ["template", text("template")],
    ["hidePrintButton", "true"]];
  try {
    const workspace = text("workspace");
    if ([workspace, report].some((s) => s === "" || s === "." || s === "..")) return null;
    const query = pairs.filter(([, v]) => v !== "").map(([k, v]) => `${k}=${segment(v)}`).join("&");
    return `${text("cxreportsUrl").replace(/\/+$/, "")}/ws/${segment(workspace)}/reports/${segment(report)}/preview?${query}`;
  } catch {
    return null; // a lone surrogate
  }
}
// Languages other than English are small modules beside this one,
// loaded only by a widget that speaks one. Each is named in full, so
// every bundler (Vite, webpack, esbuild, Parcel) splits it into a chunk
// of its own; the widget decides which one.
const CATALOGS = {
  de: () => import("./locales/de.js"), fr: () => import("./locales/fr.js"),
  es: () => import("./locales/es.js"), it: () => import("./locales/it.js"),
  pt: () => import("./locales/pt.js"), nl: () => import("./locales/nl.js"),
  pl: () => import("./locales/pl.js"), hr: () => import("./locales/hr.js"),
  "sr-Latn": () => import("./locales/sr-Latn.js")
};
// END GENERATED

const inBrowser = typeof window !== "undefined" && typeof document !== "undefined"
  && typeof HTMLElement !== "undefined" && typeof customElements !== "undefined";

let wasm = null;
let loadError = null;

/**
 * Settles once the WebAssembly has loaded: resolves, or rejects with the
 * reason it could not. The module does not wait for it, so `mount()` and
 * `<cx-report-viewer>` start their first requests at once.
 */
export const ready = inBrowser
  // In the next task: the first requests of the widgets the page adds as
  // it imports this module (their nonces, which the reader waits for) are
  // then on their way before the WebAssembly takes one of the browser's few
  // connections to the server that serves both.
  ? new Promise((resolve) => setTimeout(resolve, 0)).then(load)
  : Promise.reject(new Error("cxreports-widget needs a browser"));
ready.catch(() => {}); // reported once, in load()

/** The widget's version: null until the WebAssembly has loaded, or if it failed to. */
export let version = null;

async function load() {
  // The WebAssembly is requested at once, beside the JS glue rather than
  // after it: one network round trip less before the first widget can start.
  // (Written as `new URL(…, import.meta.url)` so bundlers copy the file.)
  const wasmResponse = fetch(new URL("./pkg/cxreports-widget_bg.wasm", import.meta.url));
  wasmResponse.catch(() => {}); // a failure is reported once, below
  try {
    const glue = await import("./pkg/cxreports-widget.js");
    await glue.default({ module_or_path: wasmResponse });
    // The catalogs (CATALOGS, generated above): the widget asks for one by tag.
    glue.setCatalogLoader((tag) => (CATALOGS[tag] ?? (() => Promise.reject(new Error(`no catalog ${tag}`))))()
      .then((m) => m.default));
    wasm = glue;
    version = wasm.version();
  } catch (error) {
    loadError = new Error(`cxreports-widget could not load its WebAssembly: ${error}`);
    console.error(loadError);
    throw loadError;
  }
}

/**
 * Mounts a widget into `element` and returns its handle (select, setParams,
 * refresh, print, destroy). Once the WebAssembly has loaded (`await ready`),
 * it throws an Error naming the problem when an option is invalid,
 * including any option that looks like a secret token. Called before, it
 * returns at once, its first requests already on their way, and shows such
 * a problem in place and as a `cxreports:error` event instead.
 */
export function mount(element, options) {
  if (!inBrowser) throw new Error("cxreports-widget: mount() needs a browser; call it once the page runs in one (not during a server render)");
  if (loadError) throw loadError;
  // A second mount() on an element whose first widget is not ready yet
  // replaces it: one element, one widget.
  const earlier = LIVE.get(element);
  if (earlier instanceof PendingViewer) earlier.destroy();
  const handle = wasm ? wasm.mount(element, options, undefined) : pending(element, options);
  // A page need not keep the handle: the widget lives until destroy(), not
  // until the garbage collector frees a handle nobody holds.
  LIVE.set(element, handle);
  return handle;
}

/** Each element's widget handle, kept as long as the element is. */
const LIVE = new WeakMap();

function pending(element, options) {
  if (!(element instanceof Element)) throw new Error("cxreports-widget: mount() needs a DOM element as its first argument");
  return new PendingViewer(element, options);
}

/**
 * A widget mounted before the WebAssembly was ready: its first requests
 * are on their way; calls on its handle are made once the widget is.
 */
class PendingViewer {
  #handle = null;
  #calls = [];
  #gone = false;
  #early = undefined;

  constructor(element, options) {
    // The options as they are now: what the first requests were made for.
    const given = options !== null && typeof options === "object" && !Array.isArray(options) ? { ...options } : options;
    openShadow(element);
    const early = headStart(given, element);
    this.#early = early;
    ready.then(() => {
      this.#early = undefined;
      if (this.#gone) return abort(early);
      this.#handle = wasm.mountInPlace(element, given, handOver(early));
      for (const [name, args] of this.#calls.splice(0)) {
        try { this.#handle[name](...args); } catch (error) { console.error(error); }
      }
    }, () => {
      abort(early);
      if (!this.#gone) loadFailed(element);
    });
  }

  #call(name, args) {
    if (this.#gone) return;
    if (this.#handle) this.#handle[name](...args);
    else this.#calls.push([name, args]);
  }

  select(report) { this.#call("select", [report]); }
  setParams(params) { this.#call("setParams", [params]); }
  refresh() { this.#call("refresh", []); }
  print() { this.#call("print", []); }
  destroy() {
    this.#gone = true;
    this.#calls = [];
    abort(this.#early);
    this.#early = undefined;
    this.#handle?.destroy();
  }
  free() { this.destroy(); this.#handle?.free(); this.#handle = null; }
}

/** The options as attributes (kebab-case), which the element observes. */
const ATTRIBUTES = [...OPTIONS].filter((name) => !PROPERTY_ONLY.has(name)).map(kebab);
// Every option is a property but `lang`: that is every element's own
// property already, reflecting its attribute.
const PROPERTIES = [...OPTIONS].filter((name) => name !== "lang");

// The first requests of a cold start, sent from here while the WebAssembly
// is fetched and compiled, so their round trip overlaps its load. Sent only
// for options the widget cannot refuse for their names or addresses: every
// name one the widget knows (so never beside a secret-like option), both
// required options there, every host endpoint a path or URL on this page's
// own origin, no `requestHeaders`, `fetchNonce` or `loading: "lazy"`.
// Anything else waits for the widget. The widget validates the options as
// always, takes a request over only if it is exactly the one it would send
// (src/host/early.rs), and aborts any other. What leaves is what the widget
// would request first (firstRequests, generated above).

function headStart(options, element) {
  if (options === null || typeof options !== "object" || !Object.keys(options).every((name) => OPTIONS.has(name))) return undefined;
  const text = (name) => optionText(options, name);
  const given = (name) => optionGiven(options, name);
  const own = (name) => {
    const value = text(name);
    if (!ENDPOINT_START.test(value) || NOT_IN_ENDPOINT.test(value)) return null;
    if (/^https?:/i.test(value) && NOT_IN_SERVER_URL.test(value.split(/[?#]/)[0])) return null;
    try {
      const url = new URL(value, document.baseURI);
      return url.origin === location.origin ? url.href : null;
    } catch {
      return null;
    }
  };
  const credentials = given("credentials") ? options.credentials : "same-origin";
  const plain = !given("requestHeaders") && !given("fetchNonce") && (!given("loading") || options.loading === "eager")
    && (credentials === "same-origin" || credentials === "include");
  if (!plain || !text("cxreportsUrl") || !text("workspace") || !ENDPOINTS.every((name) => !given(name) || own(name))) {
    return undefined;
  }
  const send = (method, url, later = false) => {
    const controller = new AbortController();
    const headers = HEADERS.map((pair) => [...pair]);
    const init = { method, headers, credentials, signal: controller.signal };
    // `later`: sent in the next task, at low priority, so that the nonces of
    // every widget connected in this task are on their way first.
    const response = later
      ? new Promise((resolve) => setTimeout(resolve, 0)).then(() => fetch(url, { ...init, priority: "low" }))
      : fetch(url, init);
    response.catch(() => {}); // the widget reports a failure, once it takes this over
    return { method, url, credentials, headers, response, controller };
  };
  const first = firstRequests(options);
  // The nonce first: the report waits for it.
  const nonce = first.nonce ? send("POST", own("nonceUrl")) : undefined;
  // One list request per list for the whole page: the widgets that ask
  // for the same one share the first one's (src/host/shared.rs).
  const listKey = `${credentials} ${own("reportsUrl")}`;
  const shared = EARLY_LISTS.has(listKey);
  if (first.list) EARLY_LISTS.add(listKey);
  // A widget without its picker shows the list to nobody (it only names
  // the report), so its list waits behind the page's nonces: a dashboard's
  // frames are not held up by it on a browser's six connections per server.
  const picker = options.showPicker !== false && text("showPicker") !== "false";
  const list = first.list && !shared ? send("GET", own("reportsUrl"), !picker) : undefined;
  const early = { list, nonce, frame: undefined, handed: false };
  if (nonce && CAN_MOVE && given("report")) openEarly(early, element, options);
  return early;
}

// The first report's frame, opened here as soon as the head start's nonce
// arrives, while the WebAssembly may still be on its way: its viewer page
// loads meanwhile. Only where the browser can move a live frame into the
// widget without reloading it (`moveBefore`), and only for options whose
// viewer URL the loader builds exactly as the widget would (previewUrl,
// generated above; anything else is declined and waits for the widget).
// The frame's `src` is set before it is inserted, so its first load adds no
// entry to the page's history. The nonce is then spent: the widget is
// handed the frame instead of the nonce request, and adopts it if it would
// have built that very URL (src/host/early.rs), or removes it and opens the
// report with a fresh nonce. If the widget is ready first, it takes the
// nonce request as before and no frame is opened.

/** Whether this browser moves a live frame without reloading it (Chromium 133+). */
const CAN_MOVE = inBrowser && typeof Element.prototype.moveBefore === "function";

/** The reader's own time zone, as the widget reads it. */
function readerZone() {
  try {
    return new Intl.DateTimeFormat([], {}).resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

function openEarly(early, element, options) {
  const request = early.nonce;
  const unused = () => early.handed || early.nonce !== request;
  request.response
    .then((response) => (unused() || !response.ok || /text\/html/i.test(response.headers.get("content-type") ?? "")
      ? null : response.clone().json()))
    .then((body) => {
      const nonce = body !== null && typeof body === "object" ? body.nonce : undefined;
      const shadow = element.shadowRoot;
      if (unused() || typeof nonce !== "string" || !shadow) return;
      const src = previewUrl(options, nonce, readerZone());
      if (src === null) return;
      const frame = document.createElement("iframe");
      frame.className = "cxr-frame";
      frame.title = "Report";
      frame.setAttribute("allow", "fullscreen");
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.src = src;
      const record = { element: frame, src, nonce, openedAt: Date.now(), loaded: false };
      frame.addEventListener("load", () => { record.loaded = true; }, { once: true });
      // Sized as the widget will be, by a constructed style sheet (no
      // `style` attribute: a strict CSP allows it); the widget's own
      // sheets replace it when it mounts.
      try {
        const sheet = new CSSStyleSheet();
        const height = typeof options.height === "number" ? `${Math.round(options.height)}px`
          : optionText(options, "height") || "600px";
        sheet.replaceSync(`:host { display: block; } .cxr-frame { display: block; width: 100%; height: ${height}; border: 0; background: #fff; }`);
        if (shadow.adoptedStyleSheets.length === 0) shadow.adoptedStyleSheets = [sheet];
      } catch {
        // Unstyled, it still shows the report.
      }
      shadow.append(frame);
      early.nonce = undefined;
      early.frame = record;
    })
    .catch(() => {}); // the widget reads the answer itself
}

/** Marks what the head start sent as the widget's from now on, and returns it. */
function handOver(early) {
  if (early) early.handed = true;
  return early;
}

/** The report lists sent for this page before the widget was ready. */
const EARLY_LISTS = new Set();

/** Tells the host that the widget could not load, as `cxreports:error` on `element`. */
function loadFailed(element) {
  element.dispatchEvent(new CustomEvent("cxreports:error", {
    bubbles: true, composed: true, detail: { kind: "load", stage: "load", message: loadError.message },
  }));
}

/** The shadow root the widget will render into, there from the start. */
function openShadow(element) {
  try {
    if (!element.shadowRoot) element.attachShadow({ mode: "open" });
  } catch {
    // An element that cannot hold one: the widget says so once it is ready.
  }
}

/** Aborts what `headStart` sent, when no widget will take it over. */
function abort(early) {
  handOver(early);
  early?.list?.controller.abort();
  early?.nonce?.controller.abort();
  early?.frame?.element.remove();
}

if (inBrowser) {
  class CxReportViewer extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    #handle = null;
    #early = undefined;
    #waiting = false;
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
      abort(this.#early);
      this.#early = undefined;
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
      if (!wasm && !loadError) {
        this.#wait();
        return;
      }
      if (loadError) {
        abort(this.#early);
        this.#early = undefined;
        loadFailed(this);
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
      const early = handOver(this.#early);
      this.#early = undefined;
      this.#destroy();
      this.#handle = wasm.mountElement(this, Object.fromEntries(this.#rich), early);
    }

    // Before the WebAssembly is ready: the first requests now, the widget
    // once it is.
    #wait() {
      if (this.#waiting) return;
      this.#waiting = true;
      const options = {};
      for (const name of this.getAttributeNames()) {
        if (!HOST_ATTRIBUTE.test(name)) options[camel(name)] = this.getAttribute(name);
      }
      openShadow(this);
      this.#early = headStart(Object.assign(options, Object.fromEntries(this.#rich)), this);
      ready.then(() => this.#schedule(), () => this.#schedule());
    }
  }

  if (!customElements.get("cx-report-viewer")) customElements.define("cx-report-viewer", CxReportViewer);
  window.CxReports = Object.freeze({ mount, ready, get version() { return version; } });
}
