// The phone rows of the report: each widget row beside its plain-JS page,
// with its ratio and, for the frame's src and load, its budget (but on the
// experiment rows).
//
//   node bench/js/phone-table.mjs --phone phone.json [--check true]
//
// prints them alone (scripts/bench.sh --phone-only); bench/js/report.mjs
// puts them in the whole table.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./util.mjs";

/** Each phone row's navigation → src and → load, at most this times its plain-JS page's. */
export const PHONE_RATIO_BUDGET = 1.3;

const ms = (x) => (x === null || x === undefined || Number.isNaN(x) ? "–" : `${x < 10 ? x.toFixed(2) : x.toFixed(1)}`);
const p50p95 = (s) => (s ? `${ms(s.p50)} (${ms(s.p95)})` : "–");

/** Which Content-Encoding the bundle's files came with, e.g. "br (every response)". */
export function encodingText(phone) {
  const seen = new Set();
  for (const byEncoding of Object.values(phone.encodings ?? {})) for (const e of Object.keys(byEncoding)) seen.add(e);
  return seen.size ? [...seen].sort().join(" and ") : "none seen";
}

/** The heading line of the phone rows. */
export function phoneHeading(phone) {
  const p = phone.profile;
  return `Phone rows: Lighthouse's mobile profile through the DevTools protocol (${p.rttMs} ms round trip, `
    + `${(p.downKbps / 1024).toFixed(1)} Mbit/s down, ${p.upKbps} kbit/s up, CPU ${p.cpuSlowdown}× slower, `
    + `${p.screen.width}×${p.screen.height} screen), ${phone.runs} runs per page, interleaved, each in a fresh browser context, `
    + `${phone.latencyMs} ms backend latency; the bundle served compressed, Content-Encoding: ${encodingText(phone)}; `
    + `times in ms since navigation started, p50 (p95); load average ${phone.loadAverage.start.toFixed(1)} → ${phone.loadAverage.end.toFixed(1)}`;
}

/**
 * The table rows (cells: measure, widget, plain JS, ratio, verdict) and the
 * budgets judged, each `{ budget, measured, limit, status }`.
 */
export function phoneRows(phone) {
  const rows = [];
  const budgets = [];
  for (const [name, row] of Object.entries(phone.rows)) {
    if (!row.pair) continue;
    const plain = phone.rows[row.pair];
    const label = row.dashboard ? "phone, dashboard of 12 frames" : `phone, ${name}`;
    const steps = row.dashboard
      ? [["src", "navigation → twelfth iframe src"], ["load", "navigation → twelfth viewer loaded (iframe load)"]]
      : [["list", "navigation → list shown"], ["src", "navigation → iframe src set"], ["load", "navigation → viewer loaded (iframe load)"]];
    for (const [key, what] of steps) {
      const w = row[key];
      const b = plain[key];
      const r = w && b && b.p50 > 0 ? w.p50 / b.p50 : null;
      let verdict = "";
      if (key !== "list" && row.experiment) {
        verdict = "experiment, not budgeted";
      } else if (key !== "list") {
        const status = r !== null && r <= PHONE_RATIO_BUDGET ? "PASS" : "OVER";
        const limit = `≤ ${PHONE_RATIO_BUDGET.toFixed(1)}× plain JS ${ms(b?.p50)} ms`;
        budgets.push({ budget: `${label}: ${what} (p50)`, measured: `${ms(w?.p50)} ms`, limit, status });
        verdict = `${limit}: **${status}**`;
      }
      rows.push([`${label}: ${what}`, p50p95(w), p50p95(b), r === null ? "–" : `${r.toFixed(2)}×`, verdict]);
    }
  }
  return { rows, budgets };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2), { phone: "", check: "false" });
  if (!args.phone) throw new Error("--phone is required");
  const phone = JSON.parse(readFileSync(args.phone, "utf8"));
  const { rows, budgets } = phoneRows(phone);
  const lines = [
    "| measure | widget | plain JS | widget / plain JS | budget |",
    "| --- | --: | --: | --: | --- |",
    ...rows.map((cells) => `| ${cells.join(" | ")} |`),
  ];
  const over = budgets.filter((b) => b.status === "OVER");
  process.stdout.write(`\n${phoneHeading(phone)}\n\n${lines.join("\n")}\n\n`
    + `${over.length ? `OVER budget: ${over.map((b) => b.budget).join("; ")}` : "All phone budgets PASS."}\n`);
  if (args.check === "true" && over.length) process.exit(1);
}
