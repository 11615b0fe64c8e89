// The host page of secrets-sweep.html: a plain app that signs in to its
// backend (on another origin, with cookies), then mounts the widget from its
// bundle URL through the JS API. Everything the widget reports lands in
// window.sweep.events and, as text, in the page's own list of events.
import { localModule } from "./local.js";

const q = new URLSearchParams(location.search);
const backend = q.get("backend");
const sweep = { events: [], handle: null, failure: null };
window.sweep = sweep;

try {
  const login = await fetch(`${backend}/auth/login`, {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/json", "X-Requested-With": "secrets-sweep" },
    body: JSON.stringify({ user: "sweep" }),
  });
  if (!login.ok) throw new Error(`sign-in answered ${login.status}`);
  await login.json();

  const { mount } = await import(localModule(q.get("widget"), "cxreports-widget.js"));
  const el = document.getElementById("reports");
  const list = document.getElementById("events");
  for (const name of ["ready", "select", "load", "error"]) {
    el.addEventListener(`cxreports:${name}`, (e) => {
      sweep.events.push({ name, detail: e.detail });
      const item = document.createElement("li");
      item.textContent = `${name} ${JSON.stringify(e.detail)}`;
      list.append(item);
    });
  }
  sweep.handle = mount(el, {
    cxreportsUrl: q.get("cxreports"),
    workspace: "sales",
    nonceUrl: `${backend}/api/cxreports/nonce`,
    reportsUrl: `${backend}/api/cxreports/reports`,
    reportTypesUrl: `${backend}/api/cxreports/report-types`,
    pdfUrl: `${backend}/api/cxreports/reports`,
    credentials: "include",
    params: { year: 2026 },
  });
} catch (error) {
  sweep.failure = String(error?.stack ?? error);
}
