// The picker at 5,000 reports in headless Chromium, beside a plain-JS list
// of the same rows: how long typing a search, and clearing it, takes to
// show on screen. Needs only a static server for www/bench/picker.html and
// the bundle (no backend: the reports are a static `reports` option).
// Writes one JSON file.
//
//   node bench/js/picker.mjs --pages URL --widget URL [--runs 10] [--count 5000]
//        [--types 20] [--query oc] --out FILE
//
// --pages: the URL of www/bench/; --widget: the bundle's folder (a dist/).
// Each run opens a fresh page (new browser context) per variant, the
// variants interleaved, after one uncounted warm-up run of each. In each
// page, once its list shows and the page is at rest: type the query (the
// search box set to it, one `input` event), clear it (set to "", one
// `input` event), then both again. `type` and `clear` are the first of each
// in the page, `typeAgain` and `clearAgain` the second. Each figure is the
// time from just before the `input` event is dispatched until the frame
// showing the new list has been rendered ("painted": the
// requestAnimationFrame after the DOM change, then a MessageChannel task,
// i.e. once that frame's style, layout and paint are done); "…Dom" is the
// time until the list's DOM had changed (a MutationObserver callback).
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Browser } from "./cdp.mjs";
import { summary, parseArgs, requireLoopback, log } from "./util.mjs";

const args = parseArgs(process.argv.slice(2), {
  pages: "", widget: "", runs: "10", count: "5000", types: "20", query: "oc", out: "",
});
for (const name of ["pages", "widget", "out"]) {
  if (!args[name]) throw new Error(`--${name} is required`);
}
for (const name of ["pages", "widget"]) requireLoopback(args[name]);
const runs = boundedInt("runs", 1, 1000);
const count = boundedInt("count", 1, 100000);
const types = boundedInt("types", 1, 1000);
if (!args.query.trim()) throw new Error("--query must not be blank: it is what is typed");

function boundedInt(name, min, max) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

const VARIANTS = [
  { name: "plain", extra: { mode: "plain" } },
  { name: "widget", extra: { mode: "widget", widget: args.widget } },
];
const STEPS = [["type", args.query], ["clear", ""], ["typeAgain", args.query], ["clearAgain", ""]];

function pageUrl(variant) {
  const q = new URLSearchParams({ count: String(count), types: String(types), ...variant.extra });
  return `${args.pages}/picker.html?${q}`;
}

async function oneRun(browser, variant, samples) {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl(variant));
    // The widget's page sets its hooks once the bundle is imported.
    await page.eval(`new Promise((resolve, reject) => {
      const end = performance.now() + 30000;
      const look = () => window.benchFilter !== undefined ? resolve(window.benchReady)
        : performance.now() > end ? reject(new Error("the page never set benchFilter")) : setTimeout(look, 20);
      look();
    })`);
    for (const [step, text] of STEPS) {
      const t = await page.eval(`window.benchFilter(${JSON.stringify(text)})`);
      if (!samples) continue;
      (samples[step] ??= []).push(t.painted);
      (samples[`${step}Dom`] ??= []).push(t.updated);
      samples.matching[step] = t.matching;
      samples.optionElements[step] = t.optionElements;
    }
    if (page.errors.length) throw new Error(`the page threw: ${page.errors.join("; ")}`);
  } finally {
    await page.close();
  }
}

const browser = await Browser.launch();
try {
  const version = (await browser.send("Browser.getVersion")).product;
  const loadStart = loadavg()[0];
  log(`picker: one warm-up run of each page, then ${runs} runs each (interleaved), ${count} reports in ${types} types, typing "${args.query}"`);
  const samples = Object.fromEntries(VARIANTS.map((v) => [v.name, { matching: {}, optionElements: {} }]));
  for (const variant of VARIANTS) await oneRun(browser, variant, null);
  for (let run = 0; run < runs; run += 1) {
    for (const variant of VARIANTS) await oneRun(browser, variant, samples[variant.name]);
    log(`picker: run ${run + 1}/${runs} done`);
  }
  const result = {
    browser: version, runs, reports: count, types, query: args.query,
    measured: "ms from just before the input event to the rendered frame showing the new list (…Dom: to the list's DOM change)",
  };
  for (const [name, s] of Object.entries(samples)) {
    const { matching, optionElements, ...times } = s;
    result[name] = {
      ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)])),
      matching,
      optionElements,
    };
  }
  result.loadAverage = { start: loadStart, end: loadavg()[0] };
  writeFileSync(args.out, JSON.stringify(result, null, 2));
  log(`picker: wrote ${args.out}`);
  for (const name of Object.keys(samples)) {
    const r = result[name];
    log(`picker: ${name}: type ${r.type.p50} (${r.type.p95}) ms, clear ${r.clear.p50} (${r.clear.p95}) ms, p50 (p95); `
      + `again: ${r.typeAgain.p50} / ${r.clearAgain.p50}; option elements after typing / clearing: ${r.optionElements.type} / ${r.optionElements.clear}`);
  }
} finally {
  await browser.close();
}
