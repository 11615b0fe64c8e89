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
