// The phone rows of the benchmark: the element and the dashboard beside the
// plain-JS pages, in headless Chromium emulating Lighthouse's mobile
// profile, the bundle served compressed (bench/js/cdn-server.mjs). Writes one
// JSON file; bench/js/report.mjs (or phone-table.mjs) judges it.
//
//   node bench/js/phone.mjs --host URL --backend URL --cxreports URL [--runs 5] [--latency-ms 100] --out FILE
//
// --host is the compressing server: the bench pages under /www/bench/, the
// bundle under /cxreports/, the host backend under /api/cxreports/ and /auth/.
// --backend is the host backend itself (for its test-only latency).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Browser } from "./cdp.mjs";
import { summary, parseArgs, requireLoopback, log } from "./util.mjs";

/**
 * Lighthouse's mobile profile, as DevTools throttling applies it: a 150 ms
 * round trip, 1.6 Mbit/s down, 750 kbit/s up (Lighthouse's kbit is 1,024
 * bits), the CPU slowed 4×, a 412 × 823 phone screen at 1.75 device pixels.
 */
export const PHONE = {
  rttMs: 150,
  downKbps: 1.6 * 1024,
  upKbps: 750,
  cpuSlowdown: 4,
  screen: { width: 412, height: 823, deviceScaleFactor: 1.75 },
};

const args = parseArgs(process.argv.slice(2), {
  host: "", backend: "", cxreports: "", workspace: "sales", runs: "5", "latency-ms": "100", out: "",
});
for (const name of ["host", "backend", "cxreports", "out"]) {
  if (!args[name]) throw new Error(`--${name} is required`);
}
for (const name of ["host", "backend", "cxreports"]) requireLoopback(args[name]);
const runs = boundedInt("runs", 1, 1000);
const latencyMs = boundedInt("latency-ms", 0, 10000);

function boundedInt(name, min, max) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "Content-Type": "application/json", "X-Requested-With": "cxreports-bench" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function setLatency(ms) {
  await call(args.backend, "DELETE", "/__faults");
  if (ms > 0) await call(args.backend, "POST", "/__faults", { path: "/api/cxreports/", kind: "latency", ms });
}

/** A signed-in user's session cookie on the host's origin, and the report ids it lists. */
async function session() {
  const login = await call(args.host, "POST", "/auth/login", { user: "bench-phone" });
  const pair = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const at = pair.indexOf("=");
  if (at < 1) throw new Error("the host backend's sign-in set no cookie");
  const cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };
  const response = await fetch(`${args.host}/api/cxreports/reports`, { headers: { cookie: pair } });
  if (!response.ok) throw new Error(`GET /api/cxreports/reports: ${response.status}`);
  return { cookie, ids: (await response.json()).map((r) => r.id) };
}

const common = { cxreports: args.cxreports, workspace: args.workspace, signin: "false" };
const url = (page, extra) => `${args.host}/www/bench/${page}.html?${new URLSearchParams({ ...common, ...extra })}`;

/**
 * Each row: its page, and how to read its times (ms since navigation
 * started). `pair` names the plain-JS row it is set beside.
 */
export const VARIANTS = [
  { name: "baseline", url: (ids) => url("baseline", { backend: "", report: ids[0] }), read: "window.benchFromNavigation" },
  { name: "element", pair: "baseline", url: (ids) => url("element", { report: ids[0], preload: "false" }), read: "window.benchCold" },
  { name: "element + preload lines", pair: "baseline", url: (ids) => url("element", { report: ids[0], preload: "true" }), read: "window.benchCold" },
  {
    // An experiment, not a budget: whether the wasm's preload at low
    // priority lets the viewer's own downloads go first.
    name: "element + preload lines, wasm fetchpriority=low", pair: "baseline", experiment: true,
    url: (ids) => url("element", { report: ids[0], preload: "true", "wasm-priority": "low" }), read: "window.benchCold",
  },
  {
    name: "dashboard: plain JS", dashboard: true,
    url: (ids) => url("dashboard", { mode: "plain", backend: "", ids: ids.slice(0, 3).join(",") }), read: "window.benchDashboard",
  },
  {
    name: "dashboard: widgets", dashboard: true, pair: "dashboard: plain JS",
    url: (ids) => url("dashboard", { mode: "widgets", backend: "", widget: `${args.host}/cxreports`, ids: ids.slice(0, 3).join(",") }),
    read: "window.benchDashboard",
  },
];

const waitFor = (expression) => `new Promise((resolve, reject) => {
  const end = performance.now() + 60000;
  const look = () => ${expression} !== undefined ? ${expression}.then(resolve, reject)
    : performance.now() > end ? reject(new Error("the page never set ${expression}")) : setTimeout(look, 20);
  look();
})`;

/** Throttles `page` as a phone and signs its context in, before it navigates. */
async function throttle(page, cookie) {
  await page.send("Network.enable");
  await page.send("Network.setCookie", { ...cookie, url: args.host, httpOnly: true, sameSite: "Lax" });
  await page.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: PHONE.rttMs,
    downloadThroughput: (PHONE.downKbps * 1024) / 8,
    uploadThroughput: (PHONE.upKbps * 1024) / 8,
  });
  await page.send("Emulation.setCPUThrottlingRate", { rate: PHONE.cpuSlowdown });
  await page.send("Emulation.setDeviceMetricsOverride", { ...PHONE.screen, mobile: true });
}

/** A fresh context throttled as a phone, signed in; `encodings` collects the bundle's Content-Encoding. */
async function phonePage(browser, cookie, encodings) {
  const page = await browser.newPage();
  try {
    await throttle(page, cookie);
  } catch (error) {
    await page.close();
    throw error;
  }
  const bundle = `${args.host}/cxreports/`;
  const stop = browser.onEvent((m) => {
    if (m.sessionId !== page.sessionId || m.method !== "Network.responseReceived") return;
    const { url: address, headers } = m.params.response;
    if (!address.startsWith(bundle)) return;
    const encoding = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-encoding")?.[1] ?? "identity";
    const file = address.slice(bundle.length);
    (encodings[file] ??= {})[encoding] = (encodings[file][encoding] ?? 0) + 1;
  });
  return { page, stop };
}

async function oneRun(browser, cookie, variant, ids, samples, encodings) {
  const { page, stop } = await phonePage(browser, cookie, encodings);
  try {
    await page.goto(variant.url(ids), 120000);
    const times = await page.eval(waitFor(variant.read), 180000);
    if (page.errors.length) throw new Error(`${variant.name}: the page threw: ${page.errors.join("; ")}`);
    if (samples) {
      const keep = variant.dashboard ? { src: times.twelfthSrc, load: times.twelfthLoad } : times;
      for (const [key, ms] of Object.entries(keep)) (samples[key] ??= []).push(ms);
    }
  } finally {
    stop();
    await page.close();
  }
}

const { cookie, ids } = await session();
if (ids.length < 1) throw new Error("the backend lists no report");
await setLatency(latencyMs);
const browser = await Browser.launch();
try {
  const version = (await browser.send("Browser.getVersion")).product;
  const loadStart = loadavg()[0];
  const samples = Object.fromEntries(VARIANTS.map((v) => [v.name, {}]));
  const encodings = {};
  log(`phone: one warm-up run of each page, then ${runs} runs each (interleaved), `
    + `${PHONE.rttMs} ms RTT, ${PHONE.downKbps} / ${PHONE.upKbps} kbit/s, CPU ${PHONE.cpuSlowdown}× slower, ${latencyMs} ms backend latency`);
  for (const variant of VARIANTS) await oneRun(browser, cookie, variant, ids, null, {});
  for (let run = 0; run < runs; run += 1) {
    for (const variant of VARIANTS) await oneRun(browser, cookie, variant, ids, samples[variant.name], encodings);
    log(`phone: run ${run + 1}/${runs} done`);
  }
  const served = await (await fetch(`${args.host}/__encodings`)).json();
  const result = {
    browser: version, runs, latencyMs, profile: PHONE,
    encodings, servedByEncoding: served,
    rows: Object.fromEntries(VARIANTS.map((v) => [v.name, {
      pair: v.pair ?? null,
      experiment: Boolean(v.experiment),
      dashboard: Boolean(v.dashboard),
      ...Object.fromEntries(Object.entries(samples[v.name]).map(([k, s]) => [k, summary(s)])),
    }])),
    loadAverage: { start: loadStart, end: loadavg()[0] },
  };
  writeFileSync(args.out, JSON.stringify(result, null, 2));
  log(`phone: wrote ${args.out}`);
} finally {
  await setLatency(0).catch(() => {});
  await browser.close();
}
