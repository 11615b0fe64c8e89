// Measurement helpers shared by the bench pages (widget.html, baseline.html).
// They add no event listener to window, document or body, so the listener
// count the memory run reads is the widget's alone.

/** The page's query string: addresses of the servers and what to measure. */
export const query = new URLSearchParams(location.search);
/** The host backend's origin, or "" for this page's own (it passes the calls on). */
export const backend = query.get("backend") ?? "";
export const cxreports = query.get("cxreports") ?? "";
export const workspace = query.get("workspace") ?? "sales";

// Count requests in flight, so a measurement starts only once the page is
// idle (e.g. the widget's background nonce has arrived). The widget's glue
// calls the global `fetch` at each request, so it goes through this too.
let inflight = 0;
let lastActivity = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = function countedFetch(...args) {
  inflight += 1;
  lastActivity = performance.now();
  return realFetch.apply(this, args).finally(() => {
    inflight -= 1;
    lastActivity = performance.now();
  });
};

/** Requests started through `fetch` and not yet answered. */
export const inflightCount = () => inflight;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once no request has been in flight for `ms` (bounded by `limitMs`). */
export async function quiet(ms = 40, limitMs = 20000) {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    if (inflight === 0 && performance.now() - lastActivity >= ms) return;
    await sleep(5);
  }
  throw new Error(`the page was still busy after ${limitMs} ms (${inflight} requests in flight)`);
}

/**
 * Resolves with `performance.now()` at the first DOM change under `root`
 * after which `test()` is true (or at once if it already is). The time is
 * taken in the MutationObserver callback, i.e. at the microtask checkpoint
 * right after the change.
 */
export function when(root, test, limitMs = 30000, what = "a change") {
  return new Promise((resolve, reject) => {
    if (test()) {
      resolve(performance.now());
      return;
    }
    const observer = new MutationObserver(() => {
      if (!test()) return;
      const at = performance.now();
      observer.disconnect();
      clearTimeout(timer);
      resolve(at);
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`timed out after ${limitMs} ms waiting for ${what}`));
    }, limitMs);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["src"] });
  });
}

/**
 * Resolves with `performance.now()` at the `load` of an iframe under `root`
 * whose `src` passes `test`. Listens on `root` itself (a shadow root or a
 * plain element), capturing, since `load` does not bubble.
 */
export function frameLoad(root, test = () => true, limitMs = 30000) {
  return new Promise((resolve, reject) => {
    const onLoad = (event) => {
      const frame = event.target;
      if (frame.tagName !== "IFRAME" || !test(frame.getAttribute("src") ?? "")) return;
      const at = performance.now();
      done();
      resolve(at);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no iframe load within ${limitMs} ms`));
    }, limitMs);
    const done = () => {
      clearTimeout(timer);
      root.removeEventListener("load", onLoad, true);
    };
    root.addEventListener("load", onLoad, true);
  });
}

/**
 * The host application's own sign-in (sets its session cookie). A page
 * opened with `signin=false` is a returning user's: its cookie is already
 * set (the phone rows set it before navigating), so no request is made.
 */
export async function signIn() {
  if (query.get("signin") === "false") return;
  const response = await realFetch(`${backend}/auth/login`, {
    method: "POST", credentials: "include",
    headers: { "Content-Type": "application/json", "X-Requested-With": "cxreports-bench" },
    body: JSON.stringify({ user: "bench" }),
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
}

/** Milliseconds from `t0` to each time in `times`, rounded to 0.01 ms. */
export function since(t0, times) {
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, Math.round((t - t0) * 100) / 100]));
}

/**
 * When the first list and nonce requests to the backend left and were
 * answered, from Resource Timing (start and end are shown cross-origin too),
 * as milliseconds from `t0`: where the cold time goes.
 */
export function backendRequests(t0) {
  const entries = performance.getEntriesByType("resource");
  // `backend` is "" when the page's own origin passes the calls on.
  const first = (path) => entries.find((e) => e.name.startsWith(new URL(`${backend}${path}`, location.href).href));
  const list = first("/api/cxreports/reports");
  const nonce = first("/api/cxreports/nonce");
  const times = {};
  if (list) Object.assign(times, { listSent: list.startTime, listAnswered: list.responseEnd });
  if (nonce) Object.assign(times, { nonceSent: nonce.startTime, nonceAnswered: nonce.responseEnd });
  return since(t0, times);
}
