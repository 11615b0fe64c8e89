// The host page of cross-site.html: signs in to its backend (under its own
// origin), then mounts two widgets through the JS API. Every event of each
// lands in window.cross.events as {slot, name, detail}.
import { localModule } from "./local.js";

const q = new URLSearchParams(location.search);
const cross = { events: [], handles: [], failure: null };
window.cross = cross;

// `?preconnect=off`: the page keeps the widget's <link rel="preconnect"> out
// of its head; `?preconnect=page`: the page warms the CxReports connection
// itself instead, whatever its site, to measure what a preconnect is worth.
if (q.get("preconnect") === "off" || q.get("preconnect") === "page") {
  const append = HTMLHeadElement.prototype.appendChild;
  HTMLHeadElement.prototype.appendChild = function (node) {
    return node instanceof HTMLLinkElement && node.rel === "preconnect" ? node : append.call(this, node);
  };
  if (q.get("preconnect") === "page") {
    append.call(document.head, Object.assign(document.createElement("link"), {
      rel: "preconnect", href: new URL(q.get("cxreports")).origin,
    }));
  }
}

try {
  const login = await fetch("/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "cross-site" },
    body: JSON.stringify({ user: "cross-site" }),
  });
  if (!login.ok) throw new Error(`sign-in answered ${login.status}`);
  const { mount } = await import(localModule(q.get("widget"), "cxreports-widget.js"));
  for (const [slot, report] of [["first", 101], ["second", 102]]) {
    const el = document.getElementById(slot);
    for (const name of ["ready", "load", "error", "warning"]) {
      el.addEventListener(`cxreports:${name}`, (e) => cross.events.push({ slot, name, detail: e.detail }));
    }
    cross.handles.push(mount(el, {
      cxreportsUrl: q.get("cxreports"),
      workspace: "sales",
      nonceUrl: "/api/cxreports/nonce",
      reportsUrl: "/api/cxreports/reports",
      pdfUrl: "/api/cxreports/reports",
      report,
    }));
  }
} catch (error) {
  cross.failure = String(error?.stack ?? error);
}
