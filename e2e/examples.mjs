// The example host apps, built from the packed npm tarball by
// scripts/examples.sh, driven in headless Chromium against the real
// simulator and reference backend: each must list the reports, open one
// chosen as a person would, hand the widget an object (`params`) and a
// function (`fetchNonce`) as properties, receive the widget's events in its
// own framework code, and leave nothing behind when it unmounts the widget.
//
//   node e2e/examples.mjs        (addresses from CXR_* as test.sh exports them)
//
// The last line reads `examples: N passed, M failed`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, checks, requireInstalled, setting } from "./env.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const SIM = setting("CXR_SIM_URL");
const BACKEND = setting("CXR_BACKEND_URL");
const STATIC = setting("CXR_STATIC_URL");
const CDN = setting("CXR_CDN_URL");
const { chromium } = requireInstalled("playwright-core");
const WAIT_MS = 20_000;

const EXAMPLES = [
  { name: "react", path: "examples/react/dist/index.html", header: "react-example" },
  { name: "vue", path: "examples/vue/dist/index.html", header: "vue-example" },
  { name: "html", path: "examples/html/index.html", header: "html-example" },
  // Unmounted by its router: a link to a route without the widget, and back.
  { name: "angular", path: "examples/angular/dist/index.html", header: "angular-example", hide: "#to-about", hidden: "#about", show: "#to-reports" },
];

const { check, finish } = checks("examples");

// --expose-gc: the check below collects garbage on purpose.
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--js-flags=--expose-gc"] });
for (const example of EXAMPLES) {
  await check(example.name, async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      // A page without a favicon is not the example's problem.
      if (m.type() === "error" && !m.location()?.url?.endsWith("/favicon.ico")) problems.push(`console error: ${m.text()} (${m.location()?.url})`);
    });
    const requests = [];
    page.on("request", (r) => requests.push({ url: r.url(), headers: r.headers(), at: Date.now() }));
    // The nonces the backend answered to the page's own fetchNonce function.
    const nonces = [];
    page.on("response", async (r) => {
      if (!r.url().includes("/api/cxreports/nonce") || r.request().headers()["x-requested-with"] !== example.header) return;
      nonces.push(await r.json().then((body) => body.nonce, () => null));
    });
    try {
      const query = new URLSearchParams({ backend: BACKEND, cxreports: SIM });
      await page.goto(`${STATIC}/${example.path}?${query}`);

      // The list, then a report chosen as a person would.
      const options = page.locator("cx-report-viewer [role=option]");
      await options.nth(1).waitFor();
      const chosen = await options.nth(1).getAttribute("data-report-id");
      await options.nth(1).click();
      const frame = page.locator("cx-report-viewer iframe.cxr-frame");
      await page.waitForFunction(
        (id) => document.querySelector("cx-report-viewer")?.shadowRoot?.querySelector("iframe")?.getAttribute("src")?.includes(`/reports/${id}/preview?nonce=`),
        chosen,
      );
      const src = await frame.getAttribute("src");
      const params = new URL(src).searchParams.get("params");
      if (!params || JSON.parse(params).year !== 2026) throw new Error(`the params property did not reach the viewer URL: ${src}`);
      // The framework code received the widget's event and rendered it.
      const loaded = page.locator(`#events li[data-event="cxreports:load"]`);
      await loaded.first().waitFor();
      if (!(await loaded.first().textContent()).includes(chosen)) throw new Error("the load event names another report");
      const selected = await page.locator(`#events li[data-event="cxreports:select"]`).allTextContents();
      if (!selected.some((text) => text.includes(chosen))) throw new Error("no select event for the chosen report reached the framework code");
      // The nonce came through the host's own function (its own header).
      const byFunction = requests.filter((r) => r.url.includes("/api/cxreports/nonce") && r.headers["x-requested-with"] === example.header);
      if (byFunction.length === 0) throw new Error("no nonce was fetched through the fetchNonce property");
      if (!nonces.includes(new URL(src).searchParams.get("nonce"))) throw new Error("the viewer URL's nonce is not one the fetchNonce property returned");
      if ((await page.locator(`#events li[data-event="cxreports:error"]`).count()) > 0) {
        throw new Error(`the widget reported an error: ${await page.locator(`#events li[data-event="cxreports:error"]`).first().textContent()}`);
      }

      // Unmounting leaves nothing behind: no element, no iframe, no request.
      await page.click(example.hide ?? "#toggle");
      if (example.hidden) await page.locator(example.hidden).waitFor();
      await page.waitForFunction(() => !document.querySelector("cx-report-viewer"));
      const unmounted = Date.now();
      await page.waitForTimeout(600);
      const after = requests.filter((r) => r.at > unmounted + 50 && (r.url.startsWith(BACKEND) || r.url.startsWith(SIM)));
      if (after.length) throw new Error(`requests after unmount: ${after.map((r) => r.url).join(", ")}`);
      if ((await page.locator("iframe").count()) !== 0) throw new Error("an iframe is left on the page");
      // And it comes back.
      await page.click(example.show ?? "#toggle");
      await options.first().waitFor();
      if (problems.length) throw new Error(problems.join("; "));
    } catch (error) {
      throw new Error(`${error.message.split("\n")[0]}${problems.length ? ` [${problems.join("; ")}]` : ""}`);
    } finally {
      await context.close();
    }
  });
}

// The Angular app loads the widget with its reports route only: opened on
// the route without it, the page defines no element and fetches no
// WebAssembly until the reader navigates to the reports.
await check("angular: the widget only with its route", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  try {
    const query = new URLSearchParams({ backend: BACKEND, cxreports: SIM });
    await page.goto(`${STATIC}/examples/angular/dist/index.html?${query}#/about`);
    await page.locator("#about").waitFor();
    await page.waitForLoadState("networkidle");
    if (await page.evaluate(() => customElements.get("cx-report-viewer") !== undefined)) throw new Error("the route without the widget defined <cx-report-viewer>");
    if (wasm.length) throw new Error(`the route without the widget fetched ${wasm.join(", ")}`);
    await page.click("#to-reports");
    await page.locator("cx-report-viewer [role=option]").first().waitFor();
    if (wasm.length !== 1) throw new Error(`the reports route fetched the WebAssembly ${wasm.length} times, not once`);
  } finally {
    await context.close();
  }
});

// The element's properties on a bare page: set before the module loads,
// picked up on upgrade; text-like ones reflected; several changes in one
// task, one update.
const propertiesPage = `<!doctype html><html lang="en"><body><script type="module">
const q = new URLSearchParams(location.search);
const el = document.createElement("cx-report-viewer");
el.cxreportsUrl = q.get("cxreports");
el.workspace = "sales";
el.reports = [{ id: 7, name: "Set as a property", reportTypeId: 1, reportTypeName: "Invoice" }];
el.fetchNonce = async () => (await (await fetch(q.get("backend") + "/api/cxreports/nonce",
  { method: "POST", credentials: "include", headers: { "X-Requested-With": "properties-page" } })).json()).nonce;
const seen = [];
for (const name of ["cxreports:ready", "cxreports:load", "cxreports:error"]) el.addEventListener(name, (e) => seen.push([name, e.detail]));
await fetch(q.get("backend") + "/auth/login", { method: "POST", credentials: "include",
  headers: { "Content-Type": "application/json", "X-Requested-With": "properties-page" }, body: JSON.stringify({ user: "props" }) });
document.body.append(el);
window.result = { el, seen, ownBefore: Object.prototype.hasOwnProperty.call(el, "reports") };
await import(q.get("widget") + "/cxreports-widget.js");
window.result.ownAfter = Object.prototype.hasOwnProperty.call(el, "reports");
</script></body></html>`;
await check("properties", async () => {
  mkdirSync(join(root, "target/examples"), { recursive: true });
  writeFileSync(join(root, "target/examples/properties.html"), propertiesPage);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  try {
    const query = new URLSearchParams({ backend: BACKEND, cxreports: SIM, widget: `${CDN}/dist` });
    await page.goto(`${STATIC}/target/examples/properties.html?${query}`);
    await page.waitForFunction(() => window.result?.ownAfter === false);
    if (!(await page.evaluate(() => window.result.ownBefore))) throw new Error("the page did not set properties before the upgrade");
    const option = page.locator("cx-report-viewer [role=option]");
    await option.first().waitFor();
    if ((await option.count()) !== 1 || !(await option.first().textContent()).includes("Set as a property")) {
      throw new Error("the reports property set before the upgrade was not used");
    }
    await option.first().click();
    await page.waitForFunction(() => window.result.seen.some(([n]) => n === "cxreports:load"));
    const reflected = await page.evaluate(async () => {
      const { el, seen } = window.result;
      const before = seen.filter(([n]) => n === "cxreports:ready").length;
      // Three changes in one task.
      el.height = 400;
      el.showPicker = false;
      el.colorScheme = "dark";
      await new Promise((r) => setTimeout(r, 300));
      return {
        readies: seen.filter(([n]) => n === "cxreports:ready").length - before,
        height: el.getAttribute("height"), showPicker: el.getAttribute("show-picker"), scheme: el.colorScheme,
        errors: seen.filter(([n]) => n === "cxreports:error").map(([, d]) => d.message),
      };
    });
    if (reflected.errors.length) throw new Error(`errors: ${reflected.errors.join("; ")}`);
    if (reflected.readies !== 1) throw new Error(`three property changes in one task made ${reflected.readies} updates, not 1`);
    if (reflected.height !== "400" || reflected.showPicker !== "false" || reflected.scheme !== "dark") {
      throw new Error(`text-like properties do not reflect: ${JSON.stringify(reflected)}`);
    }
    const picker = await page.locator("cx-report-viewer .cxr-side").count();
    if (picker !== 0) throw new Error("showPicker = false left the picker");
  } finally {
    await context.close();
  }
});

// mount() whose handle the page does not keep, as most pages call it: the
// widget stays until destroy(), whatever the garbage collector frees.
const unkeptPage = `<!doctype html><html lang="en"><body><div id="slot"></div><script type="module">
const q = new URLSearchParams(location.search);
const { mount, ready } = await import(q.get("widget") + "/cxreports-widget.js");
const reports = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, name: "Report " + (i + 1), reportTypeId: 1, reportTypeName: "Invoice" }));
mount(document.getElementById("slot"), { cxreportsUrl: q.get("cxreports"), workspace: "sales", reports,
  fetchNonce: async () => "never-used", showPicker: true });
await ready;
window.mounted = true;
</script></body></html>`;
await check("unkept handle", async () => {
  writeFileSync(join(root, "target/examples/unkept.html"), unkeptPage);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  try {
    await page.goto(`${STATIC}/target/examples/unkept.html?${new URLSearchParams({ cxreports: SIM, widget: `${CDN}/dist` })}`);
    await page.waitForFunction(() => window.mounted);
    const options = page.locator("#slot [role=option]");
    await options.first().waitFor();
    await page.evaluate(async () => {
      for (let i = 0; i < 5; i += 1) {
        globalThis.gc();
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    const left = await options.count();
    if (left === 0) throw new Error("the widget vanished once its handle was garbage-collected");
  } finally {
    await context.close();
  }
});

await browser.close();
finish();
