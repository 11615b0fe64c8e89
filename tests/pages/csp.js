// The host page of csp.html: served under a strict Content-Security-Policy
// (script-src 'self' <widget origin> 'wasm-unsafe-eval'; connect-src <widget
// origin> <backend>; frame-src <CxReports>; no inline script or style).
// Addresses come from the query string; what it sees goes to the parent
// window by postMessage, for the browser tests.
import { localModule, tellParent } from "./local.js";

const q = new URLSearchParams(location.search);
const backend = q.get("backend");
const report = (kind, detail) => tellParent({ source: "csp", kind, detail });

document.addEventListener("securitypolicyviolation", (e) => {
  report("violation", { directive: e.effectiveDirective, blocked: e.blockedURI });
});

await fetch(`${backend}/auth/login`, {
  method: "POST", credentials: "include",
  headers: { "Content-Type": "application/json", "X-Requested-With": "csp-example" },
  body: JSON.stringify({ user: "csp" }),
});
const { mount } = await import(localModule(`${q.get("cdn")}/dist`, "cxreports-widget.js"));
const el = document.getElementById("slot");
for (const name of ["ready", "load", "error"]) {
  el.addEventListener(`cxreports:${name}`, (e) => {
    const root = el.shadowRoot;
    report(name, {
      ...e.detail,
      options: root?.querySelectorAll("[role=option]").length ?? 0,
      styled: root ? getComputedStyle(root.querySelector(".cxr")).display : null,
    });
  });
}
mount(el, {
  cxreportsUrl: q.get("cxreports"),
  workspace: "sales",
  nonceUrl: `${backend}/api/cxreports/nonce`,
  reportsUrl: `${backend}/api/cxreports/reports`,
  credentials: "include",
  report: 101,
});
// The report list as a reader sees it, once its options show (the list and
// the report load side by side: either may come first).
const listed = () => {
  const options = el.shadowRoot?.querySelectorAll("[role=option]").length ?? 0;
  if (options > 0) report("listed", { options });
  return options > 0;
};
if (el.shadowRoot && !listed()) {
  new MutationObserver((_, watch) => listed() && watch.disconnect())
    .observe(el.shadowRoot, { childList: true, subtree: true });
} else if (!el.shadowRoot) {
  report("error", { message: "the widget attached no shadow root" });
}
