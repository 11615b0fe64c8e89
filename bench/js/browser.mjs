// Latency and memory of the widget in headless Chromium, side by side with
// the plain-JS baseline, against the real simulator and reference backend
// on loopback. Writes one JSON file; bench/js/report.mjs judges it.
//
//   node bench/js/browser.mjs --pages URL --widget URL --backend URL --cxreports URL
//        [--page-backend URL|same-origin] [--runs 10] [--latency-ms 100] [--switches 3] [--cycles 1000] --out FILE
//
// --backend is the host backend as this script reaches it; --page-backend as
// the pages do: "same-origin" when the pages' own server passes
// /api/cxreports/ and /auth/ on to it, as a host app serves its backend
// (the default: --backend, another origin).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Browser } from "./cdp.mjs";
import { summary, parseArgs, requireLoopback, log } from "./util.mjs";

const args = parseArgs(process.argv.slice(2), {
  pages: "", widget: "", backend: "", "page-backend": "", cxreports: "", workspace: "sales",
  runs: "10", "latency-ms": "100", switches: "3", cycles: "1000", "warmup-cycles": "10", out: "",
});
for (const name of ["pages", "widget", "backend", "cxreports", "out"]) {
  if (!args[name]) throw new Error(`--${name} is required`);
}
for (const name of ["pages", "widget", "backend", "cxreports"]) requireLoopback(args[name]);
const runs = boundedInt("runs", 1, 1000);
const latencyMs = boundedInt("latency-ms", 0, 10000);
const switches = boundedInt("switches", 1, 20);
const cycles = boundedInt("cycles", 1, 100000);
const warmupCycles = boundedInt("warmup-cycles", 0, 1000);

function boundedInt(name, min, max) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

// ---- the backend, from here ------------------------------------------------

async function backendCall(method, path, body) {
  const response = await fetch(`${args.backend}${path}`, {
    method,
    headers: { "Content-Type": "application/json", "X-Requested-With": "cxreports-bench" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function setLatency(ms) {
  await backendCall("DELETE", "/__faults");
  if (ms > 0) await backendCall("POST", "/__faults", { path: "/api/cxreports/", kind: "latency", ms });
}

/** The report ids the backend lists, in its order. */
async function reportIds() {
  const login = await backendCall("POST", "/auth/login", { user: "bench" });
  const cookie = login.headers.get("set-cookie")?.split(";")[0];
  const response = await fetch(`${args.backend}/api/cxreports/reports`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET /api/cxreports/reports: ${response.status}`);
  return (await response.json()).map((r) => r.id);
}

// ---- pages -----------------------------------------------------------------

const pageBackend = args["page-backend"] === "same-origin" ? "" : args["page-backend"] || args.backend;

function pageUrl(kind, extra) {
  const q = new URLSearchParams({
    widget: args.widget, backend: pageBackend, cxreports: args.cxreports, workspace: args.workspace, ...extra,
  });
  return `${args.pages}/${kind}.html?${q}`;
}

// The pages sign in first, so their bench hooks appear shortly after load.
const hook = (name) => `new Promise((resolve, reject) => {
  const end = performance.now() + 30000;
  const look = () => window.${name} !== undefined ? resolve(window.${name})
    : performance.now() > end ? reject(new Error("the page never set ${name}")) : setTimeout(look, 20);
  look();
})`;

const VARIANTS = [
  { name: "baseline", page: "baseline", extra: {} },
  { name: "widget (prefetch on)", page: "widget", extra: { prefetch: "true" } },
  { name: "widget (prefetch off)", page: "widget", extra: { prefetch: "false" } },
  // A host page without the preload lines of docs/embedding.md in its <head>.
  { name: "widget (no preload)", page: "widget", extra: { prefetch: "true", preload: "false" } },
];

async function oneRun(browser, variant, ids, samples) {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl(variant.page, { ...variant.extra, report: String(ids[0]) }));
    const cold = await page.eval(hook("benchCold"));
    if (samples) for (const [key, ms] of Object.entries(cold)) (samples.cold[key] ??= []).push(ms);
    if (samples && variant.page === "widget" && !samples.downloaded) {
      // What the page really fetched from the bundle's folder, to check the size list against.
      samples.downloaded = await page.eval(`performance.getEntriesByType("resource")
        .map((e) => e.name).filter((n) => n.startsWith(${JSON.stringify(args.widget + "/")}))
        .map((n) => n.slice(${args.widget.length + 1}))`);
    }
    for (let k = 0; k < switches; k += 1) {
      const id = ids[1 + (k % (ids.length - 1))];
      const times = await page.eval(`window.benchSwitch(${JSON.stringify(id)})`);
      if (samples) for (const [key, ms] of Object.entries(times)) (samples.switch[key] ??= []).push(ms);
    }
    if (samples && variant.page === "baseline") {
      samples.roundTrip.push(await page.eval("window.benchRoundTrip()"));
    }
    if (page.errors.length) throw new Error(`the page threw: ${page.errors.join("; ")}`);
  } finally {
    await page.close();
  }
}

async function latency(browser, ids) {
  await setLatency(latencyMs);
  const samples = Object.fromEntries(VARIANTS.map((v) => [v.name, { cold: {}, switch: {}, roundTrip: [] }]));
  log(`latency: one warm-up run of each page, then ${runs} runs each (interleaved), ${latencyMs} ms injected`);
  for (const variant of VARIANTS) await oneRun(browser, variant, ids, null);
  for (let run = 0; run < runs; run += 1) {
    for (const variant of VARIANTS) await oneRun(browser, variant, ids, samples[variant.name]);
    log(`latency: run ${run + 1}/${runs} done`);
  }
  const result = {};
  for (const [name, s] of Object.entries(samples)) {
    result[name] = {
      cold: Object.fromEntries(Object.entries(s.cold).map(([k, v]) => [k, summary(v)])),
      switch: Object.fromEntries(Object.entries(s.switch).map(([k, v]) => [k, summary(v)])),
    };
    if (s.roundTrip.length) result[name].roundTrip = summary(s.roundTrip);
    if (s.downloaded) result[name].downloadedFromBundle = s.downloaded;
  }
  return result;
}

// ---- a dashboard -------------------------------------------------------------

// Twelve single-report frames on one page (www/bench/dashboard.html): the
// widget (twelve <cx-report-viewer show-picker="false">) beside plain JS
// (a nonce POST and a src per frame), interleaved, each run in a fresh
// context: navigation → the twelfth frame's src, and the calls each page
// made to the host backend.
async function dashboard(browser, ids) {
  await setLatency(latencyMs);
  const modes = ["widgets", "plain"];
  const samples = Object.fromEntries(modes.map((m) => [m, { twelfthSrc: [], requests: [] }]));
  const once = async (mode, keep) => {
    const page = await browser.newPage();
    try {
      await page.goto(pageUrl("dashboard", { mode, ids: ids.slice(0, 3).join(",") }));
      const done = await page.eval(hook("benchDashboard"), 120000);
      if (page.errors.length) throw new Error(`the page threw: ${page.errors.join("; ")}`);
      if (keep) {
        samples[mode].twelfthSrc.push(done.twelfthSrc);
        samples[mode].requests.push(done.requests);
      }
    } finally {
      await page.close();
    }
  };
  log(`dashboard: one warm-up run of each page, then ${runs} runs each (interleaved)`);
  for (const mode of modes) await once(mode, false);
  for (let run = 0; run < runs; run += 1) {
    for (const mode of modes) await once(mode, true);
  }
  return Object.fromEntries(modes.map((m) => [m, {
    twelfthSrc: summary(samples[m].twelfthSrc),
    // The most any run asked for, by path.
    requests: samples[m].requests.reduce((most, r) => {
      for (const [path, n] of Object.entries(r)) most[path] = Math.max(most[path] ?? 0, n);
      return most;
    }, {}),
  }]));
}

// ---- memory ----------------------------------------------------------------

async function listenerCount(page) {
  let total = 0;
  const byTarget = {};
  for (const [name, expression, depth] of [["window", "window", 0], ["document (whole tree)", "document", -1]]) {
    const objectId = await page.handle(expression);
    const { listeners } = await page.send("DOMDebugger.getEventListeners", { objectId, depth, pierce: true });
    byTarget[name] = listeners.length;
    total += listeners.length;
  }
  return { total, byTarget };
}

async function snapshot(page) {
  // Twice: the first pass may only finalize what the second frees.
  await page.send("HeapProfiler.collectGarbage");
  await page.send("HeapProfiler.collectGarbage");
  const heap = await page.send("Runtime.getHeapUsage");
  return {
    wasmBytes: await page.eval("window.benchWasmBytes()"),
    jsHeapBytes: heap.usedSize,
    listeners: await listenerCount(page),
  };
}

async function memory(browser, ids) {
  await setLatency(0);
  const page = await browser.newPage();
  try {
    await page.send("HeapProfiler.enable");
    await page.send("DOM.enable");
    await page.goto(pageUrl("widget", { mode: "memory", report: String(ids[0]) }));
    await page.eval(hook("benchReady"));
    const loaded = await snapshot(page);
    await page.eval("window.benchMountOne()");
    const mounted = await snapshot(page);
    await page.eval("window.benchDestroyOne()");
    log(`memory: ${warmupCycles} warm-up mount/destroy cycles, then ${cycles}`);
    await page.eval(`window.benchCycles(${warmupCycles})`);
    const warm = await snapshot(page);
    const t = performance.now();
    const done = await page.eval(`window.benchCycles(${cycles})`, 600000);
    const seconds = (performance.now() - t) / 1000;
    const after = await snapshot(page);
    if (page.errors.length) throw new Error(`the page threw: ${page.errors.join("; ")}`);
    return {
      cycles,
      warmupCycles,
      secondsPerCycle: seconds / cycles,
      leftInShadowRoot: done.leftInShadowRoot,
      loaded, mounted, warm, after,
      listenersWhileMounted: mounted.listeners.total - loaded.listeners.total,
      wasmGrowthBytes: after.wasmBytes - warm.wasmBytes,
      jsHeapGrowthBytes: after.jsHeapBytes - warm.jsHeapBytes,
      listenersLeft: after.listeners.total - loaded.listeners.total,
    };
  } finally {
    await page.close();
  }
}

// ---- main ------------------------------------------------------------------

const ids = await reportIds();
if (ids.length < 2) throw new Error("the backend lists fewer than 2 reports: nothing to switch to");
const browser = await Browser.launch();
try {
  const version = (await browser.send("Browser.getVersion")).product;
  // Other work on the machine slows the page; the report shows how busy it was.
  const loadStart = loadavg()[0];
  const result = {
    browser: version, runs, switchesPerRun: switches, latencyMs,
    latency: await latency(browser, ids),
    dashboard: await dashboard(browser, ids),
    memory: await memory(browser, ids),
  };
  result.loadAverage = { start: loadStart, end: loadavg()[0] };
  writeFileSync(args.out, JSON.stringify(result, null, 2));
  log(`browser: wrote ${args.out}`);
} finally {
  await setLatency(0).catch(() => {});
  await browser.close();
}
