// Sizes of what a host page downloads from dist/: the loader, the glue, any
// wasm-bindgen snippets and the WebAssembly, raw, gzip -9 and brotli (max
// quality), each from Node's own zlib.
//
//   node bench/js/bundle.mjs --dist dist --out FILE
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { constants, brotliCompressSync, gzipSync } from "node:zlib";
import { parseArgs, log } from "./util.mjs";

const args = parseArgs(process.argv.slice(2), { dist: "dist", out: "" });
if (!args.out) throw new Error("--out is required");

// The page imports the loader, which imports pkg/ (glue, snippets) and
// fetches the wasm; types, the demo page and examples are not downloaded.
function downloaded(dir) {
  const files = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const rel = relative(dir, path);
      if (statSync(path).isDirectory()) {
        // examples/ is trunk's copy of the demo pages; dot folders are its staging.
        // locales/ holds the other languages' catalogs, counted apart below.
        if (rel === "examples" || rel === "locales" || name.startsWith(".")) continue;
        walk(path);
      } else if (/\.(m?js|wasm)$/.test(name)) {
        files.push(rel);
      }
    }
  };
  walk(dir);
  return files;
}

function sizes(path) {
  const bytes = readFileSync(join(args.dist, path));
  const text = !path.endsWith(".wasm");
  return {
    path,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}
const files = downloaded(args.dist).map(sizes);
// Catalogs of languages other than English: each is downloaded only by a
// page whose widget speaks it, so it is reported apart from the total.
const locales = join(args.dist, "locales");
const catalogs = (existsSync(locales) ? readdirSync(locales) : []).filter((n) => n.endsWith(".js")).sort()
  .map((name) => sizes(join("locales", name)));
if (!files.some((f) => f.path === "cxreports-widget.js") || !files.some((f) => f.path.endsWith(".wasm"))) {
  throw new Error(`${args.dist} lacks the loader or the wasm: build it with trunk build --release`);
}
const total = { raw: 0, gzip: 0, brotli: 0 };
for (const f of files) for (const k of Object.keys(total)) total[k] += f[k];
writeFileSync(args.out, JSON.stringify({ files, total, catalogs }, null, 2));
log(`bundle: ${files.length} files, ${total.gzip} bytes gzipped`);
