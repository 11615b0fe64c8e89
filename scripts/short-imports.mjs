// Short import and export names for the bundle's WebAssembly and its glue.
//
// wasm-bindgen names each import the module takes from its glue after the JS
// it calls plus a 16-digit hash (`__wbg_then_656f253a5dd7d8ea`), and names
// the glue's module after its file (`./cxreports-widget_bg.js`). Every name
// is written twice, in the wasm's import section and as a key of the glue's
// imports object, and the hashes hardly compress: about 5 KB of the bundle,
// gzipped, that every end user downloads. The exports the glue calls are
// named alike (`wasm_bindgen_8999ec673cc711d4___convert__closures_…`). This
// gives each import and each export the glue calls a name of one or two
// letters, in both files, the same way every time for the same build.
//
// scripts/package.mjs runs it on the site trunk built, before minifying;
// scripts/bench.sh runs it on the size breakdown's wasm, which must be the
// shipped one byte for byte:
//
//   node scripts/short-imports.mjs --wasm FILE --glue FILE   (both rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The n-th short name: a, b, …, Z, aa, ab, … (bijective base 52). */
export function shortName(n) {
  let name = "";
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / LETTERS.length)) {
    name = LETTERS[(k - 1) % LETTERS.length] + name;
  }
  return name;
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

function reader(bytes, pos) {
  const r = {
    pos,
    u32() {
      let result = 0, shift = 0, b;
      do {
        b = bytes[r.pos++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return result;
    },
    name() {
      const n = r.u32();
      const text = bytes.subarray(r.pos, r.pos + n).toString("utf8");
      r.pos += n;
      return text;
    },
  };
  return r;
}

const encodeName = (text) => {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([leb(bytes.length), bytes]);
};

// How often `text` occurs in `glue`.
const occurrences = (glue, text) => glue.split(text).length - 1;

/** Exports that keep their names, whatever the glue does with them. */
const PUBLIC_EXPORTS = new Set(["memory"]);

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// `name` as a property of anything, as a property of the glue's `wasm`, and
// as a string or an object key. (The glue also has JS functions named like
// some exports, which call them: those names are the glue's own.)
const property = (name) => new RegExp(`\\.${escape(name)}(?![\\w$])`, "g");
const onWasm = (name) => new RegExp(`(?<![\\w$.])wasm\\.${escape(name)}(?![\\w$])`, "g");
const quotedOrKey = (name) => new RegExp(`["'\`]${escape(name)}["'\`]|(?<![\\w$.])${escape(name)}\\s*:`, "g");
const count = (glue, pattern) => (glue.match(pattern) ?? []).length;

/**
 * Renames the imports `wasm` takes from `glue`'s imports object, and the
 * exports the glue calls. An import is renamed only where the glue names it
 * exactly once, as a key (`name:`), the module only where the glue names it
 * exactly once, as a quoted key, and an export only where the glue reads it
 * as a property nowhere but as `wasm.name`, and never quotes it or makes it a
 * key: anything else is left as it is. Returns
 * { wasm, glue, renamed }.
 */
export function shortenImports(wasm, glue) {
  if (wasm.readUInt32LE(0) !== 0x6d736100 || wasm.readUInt32LE(4) !== 1) throw new Error("short-imports: not a wasm module");
  const r = reader(wasm, 8);
  const parts = [wasm.subarray(0, 8)];
  let renamed = 0;
  let outGlue = glue;
  while (r.pos < wasm.length) {
    const start = r.pos;
    const id = wasm[r.pos++];
    const size = r.u32();
    const end = r.pos + size;
    if (id === 7) {
      const exports = [];
      for (let n = r.u32(); n > 0; n -= 1) {
        const name = r.name();
        const descStart = r.pos;
        r.pos += 1;
        r.u32();
        exports.push({ name, desc: wasm.subarray(descStart, r.pos) });
      }
      if (r.pos !== end) throw new Error("short-imports: the export section has trailing bytes");
      const kept = new Set(exports.map((e) => e.name));
      let next = 0;
      const entries = exports.map(({ name, desc }) => {
        const uses = count(glue, onWasm(name));
        // The glue's init() answers the exports: `memory` keeps its name
        // there for whoever reads the widget's memory (the benchmark does).
        if (PUBLIC_EXPORTS.has(name) || uses === 0 || uses !== count(glue, property(name)) || count(glue, quotedOrKey(name)) > 0) {
          return Buffer.concat([encodeName(name), desc]);
        }
        let short;
        do short = shortName(next++); while (kept.has(short) || count(glue, onWasm(short)) > 0);
        outGlue = outGlue.replace(onWasm(name), `wasm.${short}`);
        renamed += 1;
        return Buffer.concat([encodeName(short), desc]);
      });
      const payload = Buffer.concat([leb(entries.length), ...entries]);
      parts.push(Buffer.from([7]), leb(payload.length), payload);
      continue;
    }
    if (id !== 2) {
      parts.push(wasm.subarray(start, end));
      r.pos = end;
      continue;
    }
    const modules = new Map();
    const entries = [];
    let functions = 0;
    for (let n = r.u32(); n > 0; n -= 1) {
      const module = r.name();
      const field = r.name();
      const descStart = r.pos;
      const kind = wasm[r.pos++];
      if (kind !== 0) throw new Error(`short-imports: an import of kind ${kind} (${module} ${field}): only functions are expected`);
      r.u32();
      let name = field;
      if (occurrences(glue, `${field}:`) === 1 && occurrences(glue, field) === 1) {
        name = shortName(functions);
        functions += 1;
        if (new RegExp(`^\\s*${name}\\s*:`, "m").test(glue)) throw new Error(`short-imports: the glue already has a key ${name}`);
        outGlue = outGlue.replace(`${field}:`, `${name}:`);
        renamed += 1;
      }
      if (!modules.has(module)) {
        const quoted = `"${module}":`;
        const short = occurrences(glue, quoted) === 1 && occurrences(glue, module) === 1 ? `${modules.size}` : module;
        if (short !== module) outGlue = outGlue.replace(quoted, `"${short}":`);
        modules.set(module, short);
      }
      entries.push(Buffer.concat([encodeName(modules.get(module)), encodeName(name), wasm.subarray(descStart, r.pos)]));
    }
    if (r.pos !== end) throw new Error("short-imports: the import section has trailing bytes");
    const payload = Buffer.concat([leb(entries.length), ...entries]);
    parts.push(Buffer.from([2]), leb(payload.length), payload);
  }
  return { wasm: Buffer.concat(parts), glue: outGlue, renamed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (flag) => {
    const i = args.indexOf(flag);
    if (i < 0 || !args[i + 1]) throw new Error("usage: node scripts/short-imports.mjs --wasm FILE --glue FILE");
    return args[i + 1];
  };
  const [wasmPath, gluePath] = [arg("--wasm"), arg("--glue")];
  const result = shortenImports(readFileSync(wasmPath), readFileSync(gluePath, "utf8"));
  writeFileSync(wasmPath, result.wasm);
  writeFileSync(gluePath, result.glue);
  console.log(`short-imports: ${result.renamed} imports and exports renamed in ${wasmPath} and ${gluePath}`);
}
