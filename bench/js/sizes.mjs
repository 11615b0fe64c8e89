// What each crate, and each module of the widget, costs in the release wasm:
// raw bytes, share of the wasm and the marginal gzip -9 cost (what dropping
// the group would save), largest first; the generic code instantiated for the
// widget's modules; the largest functions. Reads the wasm itself (wasm.mjs),
// with the function names of its `name` section: give it the release wasm
// built with names kept (scripts/bench.sh: wasm-opt -Oz -g), and --dist-wasm
// the shipped one to check it is the same code.
//
//   node bench/js/sizes.mjs --wasm named.wasm [--dist-wasm dist/pkg/cxreports-widget_bg.wasm]
//     --out sizes.json [--md sizes.md] [--src src] [--crate cxreports_widget] [--split components]
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { codeSectionSize, readWasm } from "./wasm.mjs";
import { cleanName, mentionedModules, moduleOf, ownerPath } from "./rust-names.mjs";
import { sizesMarkdown } from "./sizes-table.mjs";
import { log, parseArgs } from "./util.mjs";

const args = parseArgs(process.argv.slice(2), {
  wasm: "", "dist-wasm": "", out: "", md: "", src: "src", crate: "cxreports_widget", split: "components",
  fold: "0.005", top: "15",
});
if (!args.wasm || !args.out) throw new Error("--wasm and --out are required");
const crate = args.crate;
const display = (path) => { const r = relative(process.cwd(), path); return r && !r.startsWith("..") ? r : path; }; // as the report prints paths
const foldBelow = Number(args.fold);
const topN = Number(args.top);

// ---- the widget's modules, from its sources ---------------------------------

// `mod x;` / `pub mod x {` declarations of one file (not those of #[cfg(test)] `mod tests`).
function declaredModules(file) {
  if (!existsSync(file)) return null;
  const names = new Set();
  for (const m of readFileSync(file, "utf8").matchAll(/^\s*(?:pub(?:\([a-z:]+\))?\s+)?mod\s+([A-Za-z_][A-Za-z0-9_]*)\s*[;{]/gm)) {
    if (m[1] !== "tests") names.add(m[1]);
  }
  return names;
}
const top = declaredModules(join(args.src, "lib.rs"));
const modules = { top, split: new Map() };
for (const name of args.split.split(",").filter(Boolean)) {
  const subs = declaredModules(join(args.src, name, "mod.rs")) ?? declaredModules(join(args.src, `${name}.rs`));
  modules.split.set(name, subs);
}
if (!top) log(`sizes: no ${join(args.src, "lib.rs")}: the widget's modules are guessed from the names`);

// ---- the wasm ----------------------------------------------------------------

const bytes = readFileSync(args.wasm);
const wasm = readWasm(bytes);
if (!wasm.names.size) throw new Error(`${args.wasm} has no function names: build it with wasm-opt -g (see scripts/bench.sh)`);
// The name section is there for this breakdown only: the shipped wasm has none.
const nameSections = wasm.sections.filter((s) => s.id === 0 && s.name === "name");
const nameBytes = nameSections.reduce((n, s) => n + s.end - s.start, 0);
const shippedSize = bytes.length - nameBytes;

const GLUE = "wasm-bindgen glue (exports, shims, `__wbindgen_*`)";
const UNNAMED = "unnamed functions";
const DATA = `data section (${wasm.data.length} segments: strings, tables, messages, CSS, …)`;
const groups = new Map(); // label -> { label, kind, ranges, raw, functions }
const inst = new Map();
const group = (map, label, kind) => {
  if (!map.has(label)) map.set(label, { label, kind, ranges: [], raw: 0, functions: 0 });
  return map.get(label);
};
const put = (g, start, end, fn = false) => {
  g.ranges.push([start, end]);
  g.raw += end - start;
  if (fn) g.functions += 1;
};

function classify(index) {
  const name = wasm.names.get(index);
  if (name === undefined) return { label: UNNAMED, kind: "unnamed", clean: "(no name)" };
  const clean = cleanName(name);
  if (/ shim$/.test(clean) || /(^|::)__(wbindgen|wbg|externref)_/.test(clean)) return { label: GLUE, kind: "glue", clean };
  const path = ownerPath(clean);
  if (!path) return { label: GLUE, kind: "glue", clean };
  if (path[0] === crate) return { label: `${crate}::${moduleOf(path.slice(1), modules)}`, kind: "module", clean };
  const mentioned = mentionedModules(clean, crate, modules);
  // std's allocator shims (`__rustc::__rdl_alloc`, …) are std's code.
  const owner = path[0] === "__rustc" ? "std" : path[0];
  return { label: owner, kind: "crate", clean, instantiatedFor: mentioned.length ? `${crate}::${mentioned[0]}` : null };
}

const other = { label: "other sections", kind: "other", ranges: [[0, 8]], raw: 8, functions: 0, parts: [{ what: "header", size: 8 }] };
const fns = [];
for (const s of wasm.sections) {
  const size = s.end - s.start;
  if (s.id === 0 && s.name === "name") continue;
  if (s.id === 10) {
    const first = wasm.functions.length ? wasm.functions[0].start : s.end;
    put(other, s.start, first);
    other.parts.push({ what: "code section header", size: first - s.start });
    for (const f of wasm.functions) {
      const c = classify(f.index);
      put(group(groups, c.label, c.kind), f.start, f.end, true);
      if (c.instantiatedFor) put(group(inst, c.instantiatedFor, "module"), f.start, f.end, true);
      fns.push({ index: f.index, name: c.clean, group: c.label, start: f.start, end: f.end, raw: f.end - f.start });
    }
  } else if (s.id === 11) {
    put(group(groups, DATA, "data"), s.start, s.end);
  } else {
    put(other, s.start, s.end);
    other.parts.push({ what: s.id === 0 ? `custom "${s.name}"` : s.kind, size });
  }
}
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const largest = [...other.parts].sort((a, b) => b.size - a.size).slice(0, 3)
  .map((p) => `${p.what} ${kb(p.size)}${p.what === "import" ? ` with ${wasm.importedFunctions} functions` : ""}`);
other.label = `other sections (${largest.join(", ")}, …)`;
groups.set(other.label, other);

// Every byte is somewhere: the groups and the name section make up the file.
const counted = [...groups.values()].reduce((n, g) => n + g.raw, 0);
if (counted + nameBytes !== bytes.length) {
  throw new Error(`sizes: the groups hold ${counted} bytes and the name section ${nameBytes}, the file is ${bytes.length}`);
}

// ---- gzip ---------------------------------------------------------------------

// The file without the name section and without `drop` ranges.
function without(drop) {
  const cut = [...nameSections.map((s) => [s.start, s.end]), ...drop].sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of cut) {
    if (start > at) parts.push(bytes.subarray(at, start));
    at = Math.max(at, end);
  }
  if (at < bytes.length) parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const shipped = without([]);
const gzipAll = gz(shipped);
const marginal = (ranges) => gzipAll - gz(without(ranges));

// Largest first; the groups under the fold threshold together as "other (N groups)", last.
function table(map, foldLabel) {
  const all = [...map.values()].sort((a, b) => b.raw - a.raw);
  const shown = all.filter((g) => g.kind === "other" || g.raw / shippedSize >= foldBelow);
  const folded = all.filter((g) => !shown.includes(g));
  const rows = shown.map((g) => ({ ...g }));
  if (folded.length === 1) rows.push({ ...folded[0] });
  else if (folded.length) {
    rows.push({
      label: foldLabel(folded.length), kind: "folded", ranges: folded.flatMap((g) => g.ranges),
      raw: folded.reduce((n, g) => n + g.raw, 0), functions: folded.reduce((n, g) => n + g.functions, 0),
    });
  }
  const out = rows.map((g) => ({
    label: g.label, kind: g.kind, raw: g.raw, share: g.raw / shippedSize, gzipMarginal: marginal(g.ranges),
    functions: g.kind === "data" || g.kind === "other" ? null : g.functions,
    ...(g.parts ? { parts: g.parts } : {}),
  }));
  return { rows: out, folded: folded.length > 1 ? folded.map((g) => `${g.label} ${kb(g.raw)}`) : [], all };
}
const main = table(groups, (n) => `other (${n} groups)`);
const instantiated = table(inst, (n) => `other (${n} modules)`);
const topFunctions = [...fns].sort((a, b) => b.raw - a.raw).slice(0, topN).map((f) => ({
  name: f.name, index: f.index, group: f.group, raw: f.raw, share: f.raw / shippedSize, gzipMarginal: marginal([[f.start, f.end]]),
}));

// ---- the same code as the shipped wasm? ---------------------------------------

let build = { named: { path: display(args.wasm), size: bytes.length, nameSection: nameBytes } };
if (args["dist-wasm"]) {
  const dist = readFileSync(args["dist-wasm"]);
  const distCode = codeSectionSize(readWasm(dist));
  const code = codeSectionSize(wasm);
  build = {
    ...build,
    dist: { path: display(args["dist-wasm"]), size: dist.length, codeSection: distCode },
    identical: Buffer.compare(shipped, dist) === 0,
    sizeDiff: shipped.length - dist.length,
    codeSection: code,
    codeSectionDiff: code - distCode,
    codeSectionDiffRatio: (code - distCode) / distCode,
  };
  if (!build.identical) {
    log(`sizes: WARNING: ${args.wasm} without its names is not ${args["dist-wasm"]}: code section ${code} against ${distCode} bytes `
      + `(${(100 * build.codeSectionDiffRatio).toFixed(2)}%)${Math.abs(build.codeSectionDiffRatio) > 0.01 ? ": the breakdown does not describe the bundle" : ""}`);
  }
}

const result = {
  wasm: {
    path: display(args.wasm), size: bytes.length, nameSection: nameBytes, shipped: shippedSize, gzip: gzipAll,
    definedFunctions: wasm.functions.length, importedFunctions: wasm.importedFunctions, imports: wasm.imports.length,
    dataSegments: wasm.data.length,
    sections: wasm.sections.map((s) => ({ kind: s.kind, ...(s.name ? { name: s.name } : {}), size: s.end - s.start })),
  },
  build,
  groups: main.rows,
  folded: main.folded,
  instantiatedFor: instantiated.rows,
  topFunctions,
};
writeFileSync(args.out, JSON.stringify(result, null, 2));
if (args.md) writeFileSync(args.md, sizesMarkdown(result));
const widget = main.all.filter((g) => g.kind === "module").reduce((n, g) => n + g.raw, 0);
log(`sizes: ${main.all.length} groups over ${shippedSize} bytes (${wasm.functions.length} functions), `
  + `${crate} ${(100 * widget / shippedSize).toFixed(1)}%; ${build.dist ? (build.identical ? "the same bytes as the shipped wasm" : "NOT the shipped wasm") : "not compared"}`);
