// Judges the measurements against the budgets of the benchmark, prints one
// table (Markdown, so it can go into docs/benchmarks.md as it is) and writes
// target/bench/report.json. With --check it exits 1 when a budget is over.
//
//   node bench/js/report.mjs --bundle F --browser F --backend F --out report.json --md report.md [--check true]
//     [--sizes sizes.json]   (bench/js/sizes.mjs: the wasm by crate and module, printed after the table)
//     [--phone phone.json]   (bench/js/phone.mjs: the phone rows, judged by bench/js/phone-table.mjs)
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs, summary } from "./util.mjs";
import { sizesMarkdown } from "./sizes-table.mjs";
import { phoneHeading, phoneRows } from "./phone-table.mjs";

const args = parseArgs(process.argv.slice(2), {
  bundle: "", browser: "", backend: "", out: "", md: "", check: "false", sizes: "", picker: "", phone: "",
});
const read = (path) => JSON.parse(readFileSync(path, "utf8"));
const bundle = read(args.bundle);
const browser = read(args.browser);
const backend = read(args.backend);
const sizes = args.sizes ? read(args.sizes) : null;
const picker = args.picker ? read(args.picker) : null;
const phone = args.phone ? read(args.phone) : null;

const BUDGETS = {
  // The loader, the glue and the wasm, gzip -9: what a phone on Lighthouse's
  // 1.6 Mbit/s downloads in about 0.7 s.
  bundleGzipBytes: 140_000,
  coldSrcSlackMs: 30,
  coldSrcRatio: 1.0,
  pickerUpdateMs: 50,
  switchPrefetchP50Ms: 16,
  switchAtLatencyMs: 100,
  wasmGrowthBytes: 64 * 1024,
  listenersLeft: 0,
  backendOverheadP99Ms: 1,
  backendRate: 2000,
  dashboardSrcRatio: 1.2,
};

// ---- formatting ------------------------------------------------------------

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (x) => (x === null || x === undefined || Number.isNaN(x) ? "–" : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}`);
const p50p95 = (s) => (s ? `${ms(s.p50)} (${ms(s.p95)})` : "–");
const ratio = (a, b) => (a && b && b.p50 > 0 ? `${(a.p50 / b.p50).toFixed(2)}×` : "–");

// ---- budgets ---------------------------------------------------------------

const lat = browser.latency;
const widgetOn = lat["widget (prefetch on)"];
const widgetOff = lat["widget (prefetch off)"];
const widgetBare = lat["widget (no preload)"];
const base = lat.baseline;
const rtt = base.roundTrip;
const mem = browser.memory;
const budgets = [];
function judge(key, measured, limitText, pass, note = "") {
  const row = { budget: key, measured, limit: limitText, status: pass ? "PASS" : "OVER" };
  if (note) row.note = note;
  budgets.push(row);
  return row;
}

const bundleRow = judge("bundle: total gzip", kb(bundle.total.gzip), `≤ ${kb(BUDGETS.bundleGzipBytes)}`,
  bundle.total.gzip <= BUDGETS.bundleGzipBytes);
const coldLimit = rtt.p50 + BUDGETS.coldSrcSlackMs;
const coldRatio = widgetOn.cold.src.p50 / base.cold.src.p50;
const coldRow = judge("cold: iframe src set (p50)", `${ms(widgetOn.cold.src.p50)} ms`,
  `≤ ${ms(coldLimit)} ms (round trip ${ms(rtt.p50)} + ${BUDGETS.coldSrcSlackMs}) and ≤ ${BUDGETS.coldSrcRatio.toFixed(1)}× the baseline`,
  widgetOn.cold.src.p50 <= coldLimit && coldRatio <= BUDGETS.coldSrcRatio);
const switchRow = judge("switch, prefetch on: click → src (p50)", `${ms(widgetOn.switch.src.p50)} ms`,
  `≤ ${BUDGETS.switchPrefetchP50Ms} ms and < baseline ${ms(base.switch.src.p50)} ms`,
  widgetOn.switch.src.p50 <= BUDGETS.switchPrefetchP50Ms && widgetOn.switch.src.p50 < base.switch.src.p50,
  browser.latencyMs === BUDGETS.switchAtLatencyMs ? "" : `measured at ${browser.latencyMs} ms latency, the budget is set at ${BUDGETS.switchAtLatencyMs} ms`);
const wasmRow = judge(`${mem.cycles} cycles: wasm memory growth`, kib(mem.wasmGrowthBytes),
  `≤ ${kib(BUDGETS.wasmGrowthBytes)}`, mem.wasmGrowthBytes <= BUDGETS.wasmGrowthBytes && mem.cycles >= 1000,
  mem.cycles >= 1000 ? "" : "fewer than 1,000 cycles: not a valid measurement");
const listenerRow = judge(`${mem.cycles} cycles: listeners left`, String(mem.listenersLeft),
  `= ${BUDGETS.listenersLeft}`, mem.listenersLeft === BUDGETS.listenersLeft && mem.listenersWhileMounted > 0,
  mem.listenersWhileMounted > 0 ? "" : "the probe saw no listener even on a live widget: not a valid measurement");
const sustained = backend.backend.errors === 0 && backend.direct.errors === 0 && backend.backend.skipped === 0
  && backend.backend.throughput >= 0.95 * backend.rate && backend.rate >= BUDGETS.backendRate;
const backendPass = sustained && backend.overhead.p99Ms <= BUDGETS.backendOverheadP99Ms;
const backendRow = judge(`backend overhead p99 @ ${backend.rate} req/s`, `${ms(backend.overhead.p99Ms)} ms`,
  `≤ ${BUDGETS.backendOverheadP99Ms} ms`, backendPass,
  [sustained ? "" : `the load was not sustained at ${BUDGETS.backendRate} req/s without errors`,
    !backendPass && backend.maxSendLagMs > 2 ? `the load generator itself was held up to ${ms(backend.maxSendLagMs)} ms: the machine was busy` : ""]
    .filter(Boolean).join("; "));

// A dashboard of twelve single-report widgets against twelve plain-JS frames:
// the twelfth src within 1.2× plain JS, and the backend asked for 12 nonces
// and 1 list (and 1 types call, when the page uses types).
const dash = browser.dashboard;
const dashRows = [];
if (dash) {
  const w = dash.widgets;
  const p = dash.plain;
  const dashRatio = w.twelfthSrc.p50 / p.twelfthSrc.p50;
  dashRows.push(judge("dashboard of 12: navigation → twelfth src (p50)", `${ms(w.twelfthSrc.p50)} ms`,
    `≤ ${BUDGETS.dashboardSrcRatio.toFixed(1)}× plain JS ${ms(p.twelfthSrc.p50)} ms`, dashRatio <= BUDGETS.dashboardSrcRatio));
  const n = (r, path) => r[`/api/cxreports/${path}`] ?? 0;
  const types = n(w.requests, "report-types");
  const wanted = { nonce: 12, reports: 1 };
  const asked = `${n(w.requests, "nonce")} nonces + ${n(w.requests, "reports")} list${types ? ` + ${types} types` : ""}`;
  dashRows.push(judge("dashboard of 12: backend requests", asked, "= 12 nonces + 1 list (+ 1 types when used)",
    n(w.requests, "nonce") === wanted.nonce && n(w.requests, "reports") === wanted.reports && types <= 1));
}

const pickerRows = picker ? ["type", "clear"].map((step) => judge(
  `picker at ${picker.reports} reports: ${step === "type" ? "typing a search" : "clearing it"} → list shown (p50)`,
  `${ms(picker.widget[step].p50)} ms`, `≤ ${BUDGETS.pickerUpdateMs} ms`, picker.widget[step].p50 <= BUDGETS.pickerUpdateMs)) : [];

// ---- the table -------------------------------------------------------------

const verdict = (row) => `${row.limit}: **${row.status}**${row.note ? ` (${row.note})` : ""}`;
const lines = [];
const add = (...cells) => lines.push(`| ${cells.join(" | ")} |`);
add("measure", "widget", "baseline (plain JS)", "widget / baseline", "budget");
add("---", "--:", "--:", "--:", "---");
for (const f of bundle.files) {
  add(`bundle \`${f.path}\` raw / gzip -9 / brotli`, `${kb(f.raw)} / ${kb(f.gzip)} / ${kb(f.brotli)}`, "–", "", "");
}
add("bundle total raw / gzip -9 / brotli", `${kb(bundle.total.raw)} / **${kb(bundle.total.gzip)}** / ${kb(bundle.total.brotli)}`,
  "0 (inline script)", "", verdict(bundleRow));
if (bundle.catalogs?.length) {
  const gz = bundle.catalogs.map((c) => c.gzip);
  add(`language catalogs (${bundle.catalogs.length}), each, only where spoken: raw / gzip -9 / brotli`,
    `${kb(Math.min(...bundle.catalogs.map((c) => c.raw)))}–${kb(Math.max(...bundle.catalogs.map((c) => c.raw)))} / ` +
    `${kb(Math.min(...gz))}–${kb(Math.max(...gz))} / ` +
    `${kb(Math.min(...bundle.catalogs.map((c) => c.brotli)))}–${kb(Math.max(...bundle.catalogs.map((c) => c.brotli)))}`,
    "–", "", "");
}
add("cold: module start → bundle imported", p50p95(widgetOn.cold.imported), "–", "", "");
add("cold: module start → list shown", p50p95(widgetOn.cold.list), p50p95(base.cold.list), ratio(widgetOn.cold.list, base.cold.list), "");
add("cold: module start → iframe src set", p50p95(widgetOn.cold.src), p50p95(base.cold.src), ratio(widgetOn.cold.src, base.cold.src), verdict(coldRow));
add("cold: module start → iframe load", p50p95(widgetOn.cold.load), p50p95(base.cold.load), ratio(widgetOn.cold.load, base.cold.load), "");
// Where the cold time goes, run by run: when the first backend request left,
// and how long the page took from each answer to showing it.
const derive = (cold, f) => {
  const n = cold.src?.samples.length ?? 0;
  const values = [];
  for (let i = 0; i < n; i += 1) {
    const at = (key) => cold[key]?.samples[i];
    const v = f(at);
    if (Number.isFinite(v)) values.push(Math.round(v * 100) / 100);
  }
  return values.length ? summary(values) : null;
};
const firstSent = (at) => Math.min(at("listSent") ?? Infinity, at("nonceSent") ?? Infinity);
const breakdown = [
  ["cold: module start → first backend request sent", firstSent],
  ["cold: list answered → list shown", (at) => at("list") - at("listAnswered")],
  ["cold: nonce answered → iframe src set", (at) => at("src") - at("nonceAnswered")],
];
for (const [label, f] of breakdown) {
  const w = derive(widgetOn.cold, f);
  const b = derive(base.cold, f);
  add(label, p50p95(w), p50p95(b), "", "");
}
add("cold, prefetch off: → iframe src set", p50p95(widgetOff.cold.src), p50p95(base.cold.src), ratio(widgetOff.cold.src, base.cold.src), "");
if (widgetBare) {
  add("cold, page without the preload lines: → first backend request sent", p50p95(derive(widgetBare.cold, firstSent)), "", "", "");
  add("cold, page without the preload lines: → iframe src set", p50p95(widgetBare.cold.src), p50p95(base.cold.src), ratio(widgetBare.cold.src, base.cold.src), "");
}
add("switch, prefetch on: click → iframe src set", p50p95(widgetOn.switch.src), p50p95(base.switch.src), ratio(widgetOn.switch.src, base.switch.src), verdict(switchRow));
add("switch, prefetch on: click → iframe load", p50p95(widgetOn.switch.load), p50p95(base.switch.load), ratio(widgetOn.switch.load, base.switch.load), "");
add("switch, prefetch off: click → iframe src set", p50p95(widgetOff.switch.src), p50p95(base.switch.src), ratio(widgetOff.switch.src, base.switch.src), "");
add("switch, prefetch off: click → iframe load", p50p95(widgetOff.switch.load), p50p95(base.switch.load), ratio(widgetOff.switch.load, base.switch.load), "");
if (picker) {
  for (const [i, step] of ["type", "clear"].entries()) {
    const what = step === "type" ? `typing "${picker.query}" (${picker.widget.matching?.type ?? "?"} match)` : "clearing the search";
    add(`picker at ${picker.reports} reports: ${what} → list painted`, p50p95(picker.widget[step]), p50p95(picker.plain[step]),
      ratio(picker.widget[step], picker.plain[step]), verdict(pickerRows[i]));
  }
}
if (dash) {
  const n = (r) => Object.entries(r).map(([path, k]) => `${k} ${path.replace("/api/cxreports/", "")}`).join(", ") || "none";
  add("dashboard of 12 single-report frames: navigation → twelfth iframe src", p50p95(dash.widgets.twelfthSrc),
    p50p95(dash.plain.twelfthSrc), ratio(dash.widgets.twelfthSrc, dash.plain.twelfthSrc), verdict(dashRows[0]));
  add("dashboard of 12 single-report frames: backend requests (most in a run)", n(dash.widgets.requests),
    n(dash.plain.requests), "", verdict(dashRows[1]));
}
const phoneJudged = phone ? phoneRows(phone) : null;
if (phoneJudged) {
  budgets.push(...phoneJudged.budgets);
  for (const cells of phoneJudged.rows) add(...cells);
}
add("one backend round trip (nonce POST from the page)", "–", p50p95(rtt), "", "");
add(`${mem.cycles} mount/destroy cycles: wasm linear memory growth`, `${kib(mem.wasmGrowthBytes)} (${kib(mem.warm.wasmBytes)} → ${kib(mem.after.wasmBytes)})`, "", "", verdict(wasmRow));
add(`${mem.cycles} mount/destroy cycles: JS heap growth (after GC)`, `${kib(mem.jsHeapGrowthBytes)} (${kib(mem.warm.jsHeapBytes)} → ${kib(mem.after.jsHeapBytes)})`, "", "", "");
add(`${mem.cycles} mount/destroy cycles: listeners left on the page`, `${mem.listenersLeft} (${mem.listenersWhileMounted} while mounted)`, "", "", verdict(listenerRow));
add(`nonce endpoint @ ${backend.rate} req/s: throughput, p50 / p99 ms`,
  `backend: ${backend.backend.throughput}/s, ${ms(backend.backend.p50Ms)} / ${ms(backend.backend.p99Ms)}`,
  `CxReports direct: ${backend.direct.throughput}/s, ${ms(backend.direct.p50Ms)} / ${ms(backend.direct.p99Ms)}`, "", "");
add(`backend overhead (backend − direct), p50 / p99 ms, median of ${backend.repeats} repeats`,
  `${ms(backend.overhead.p50Ms)} / ${ms(backend.overhead.p99Ms)} (p99 by repeat: ${backend.overheadP99MsByRepeat.map(ms).join(", ")})`,
  "", "", verdict(backendRow));
const table = lines.join("\n");

const over = budgets.filter((b) => b.status === "OVER");
const heading = `${browser.runs} runs × (1 cold + ${browser.switchesPerRun} switches) per page, ${browser.latencyMs} ms injected backend latency; `
  + `times in ms, p50 (p95); ${browser.browser}, ${cpus().length} cores, `
  + `load average ${browser.loadAverage.start.toFixed(1)} → ${browser.loadAverage.end.toFixed(1)} during the browser runs`;
const text = `${heading}${phone ? `\n\n${phoneHeading(phone)}` : ""}\n\n${table}\n\n${over.length ? `OVER budget: ${over.map((b) => b.budget).join("; ")}` : "All budgets PASS."}\n`
  + (sizes ? `\n${sizesMarkdown(sizes)}` : "");
process.stdout.write(`\n${text}`);

const downloaded = widgetOn.downloadedFromBundle ?? [];
const unlisted = downloaded.filter((p) => !bundle.files.some((f) => f.path === p));
if (unlisted.length) process.stdout.write(`note: the page also downloaded ${unlisted.join(", ")} from the bundle folder\n`);

const report = {
  generatedAt: new Date().toISOString(),
  machine: { cores: cpus().length, node: process.version, browser: browser.browser, loadAverage: browser.loadAverage },
  options: { runs: browser.runs, switchesPerRun: browser.switchesPerRun, latencyMs: browser.latencyMs },
  budgets,
  bundle: { ...bundle, downloadedByThePage: downloaded },
  latency: lat,
  memory: mem,
  ...(dash ? { dashboard: dash } : {}),
  backend,
  ...(sizes ? { sizes } : {}),
  ...(picker ? { picker } : {}),
  ...(phone ? { phone } : {}),
  pass: over.length === 0,
};
writeFileSync(args.out, JSON.stringify(report, null, 2));
if (args.md) writeFileSync(args.md, text);
process.stdout.write(`wrote ${args.out}\n`);
if (args.check === "true" && over.length) process.exit(1);
