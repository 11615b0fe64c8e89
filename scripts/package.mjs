// trunk's post-build step (Trunk.toml's post_build hook). trunk builds the
// demo site (target/site/: the demo host page, the drop-in example, and the
// bundle beside them); this step then
//   0. gives the WebAssembly's imports and exports short names, in the wasm and in its
//      glue (scripts/short-imports.mjs);
//   1. minifies the site's JavaScript (the loader, the glue, the catalogs)
//      with esbuild: every host page downloads those files;
//   2. computes again the subresource-integrity digests trunk wrote into the
//      site's pages, now of the minified bytes: a browser blocks a resource
//      whose digest does not match, and with it the widget;
//   3. copies the npm package's files, and nothing else, into dist/ (or
//      $CXR_PACKAGE_DIR), with package.json (the version is Cargo.toml's) and
//      custom-elements.json (its options and events from www/surface.json,
//      which the widget's own tables render).
// It runs after every build, so dist/ is always a package that
// `npm pack dist` packs, and never holds a page.
//
//   node scripts/package.mjs [SITE]     (SITE defaults to $TRUNK_STAGING_DIR)
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { requireInstalled } from "../e2e/env.mjs";
import { shortenImports } from "./short-imports.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!out) throw new Error("give the site folder, or run this as trunk's post_build hook");
const packageDir = resolve(process.env.CXR_PACKAGE_DIR || join(root, "dist"));
// The package folder is emptied first: never a folder holding the project or the site.
if (!relative(packageDir, root).startsWith("..") || !relative(packageDir, resolve(out)).startsWith("..")) {
  throw new Error(`CXR_PACKAGE_DIR=${packageDir} holds the project or the site; name a folder of its own`);
}

const cargo = readFileSync(join(root, "Cargo.toml"), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
const version = field("version");
if (!version) throw new Error("Cargo.toml has no [package] version");

const pkg = {
  name: "cxreports-widget",
  version,
  description: field("description"),
  license: field("license"),
  type: "module",
  main: "./cxreports-widget.js",
  types: "./cxreports-widget.d.ts",
  exports: {
    ".": { types: "./cxreports-widget.d.ts", default: "./cxreports-widget.js" },
    "./react": { types: "./react.d.ts" },
    "./vue": { types: "./vue.d.ts" },
    "./custom-elements.json": "./custom-elements.json",
    "./package.json": "./package.json",
  },
  // Imported, the module defines <cx-report-viewer>: never tree-shake it away.
  sideEffects: ["./cxreports-widget.js"],
  customElements: "custom-elements.json",
  files: [
    "cxreports-widget.js", "cxreports-widget.d.ts", "react.d.ts", "vue.d.ts", "custom-elements.json",
    "pkg/cxreports-widget.js", "pkg/cxreports-widget_bg.wasm", "locales/", "README.md",
  ],
  keywords: ["cxreports", "reports", "web-component", "custom-element", "webassembly", "embed"],
};

// The options and events, as the widget's own tables declare them
// (www/surface.json, rendered from src/config/surface.rs with the loader's
// and the .d.ts's generated regions).
const surface = JSON.parse(readFileSync(join(root, "www/surface.json"), "utf8"));
const { options, events } = surface;
if (!Array.isArray(options) || options.length === 0 || !Array.isArray(events)) {
  throw new Error("www/surface.json lists no options or events: run CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface");
}
const manifest = {
  schemaVersion: "2.1.0",
  readme: "README.md",
  modules: [{
    kind: "javascript-module",
    path: "cxreports-widget.js",
    declarations: [
      {
        kind: "function",
        name: "mount",
        description: "Mounts a widget into an element and returns its handle; throws on invalid options.",
        parameters: [{ name: "element", type: { text: "Element" } }, { name: "options", type: { text: "ViewerOptions" } }],
        return: { type: { text: "ViewerHandle" } },
      },
      {
        kind: "class",
        name: "CxReportViewer",
        tagName: "cx-report-viewer",
        customElement: true,
        description: "Shows CxReports reports: a report picker and the authenticated preview. Every option is an attribute (kebab-case) and a property (camelCase).",
        attributes: options.filter((o) => o.attribute).map((o) => ({
          name: o.attribute, fieldName: o.name, type: { text: "string" }, description: o.description,
        })),
        members: [
          ...options.map((o) => ({ kind: "field", name: o.name, type: { text: o.type }, description: o.description,
            ...(o.attribute ? { attribute: o.attribute } : {}) })),
          { kind: "field", name: "viewer", readonly: true, type: { text: "ViewerHandle | null" }, description: "The JS handle (select, setParams, refresh, print), once mounted." },
        ],
        events: events.map(({ name, description, detail }) => ({ name, description, type: { text: `CustomEvent<${detail}>` } })),
        superclass: { name: "HTMLElement" },
      },
    ],
    exports: [
      { kind: "js", name: "mount", declaration: { name: "mount", module: "cxreports-widget.js" } },
      { kind: "js", name: "version", declaration: { name: "version", module: "cxreports-widget.js" } },
      { kind: "custom-element-definition", name: "cx-report-viewer", declaration: { name: "CxReportViewer", module: "cxreports-widget.js" } },
    ],
  }],
};
// The imports' and exports' names, short in the wasm and the glue alike, before the glue
// is minified and before any digest is computed.
{
  const [wasmPath, gluePath] = [join(out, "pkg/cxreports-widget_bg.wasm"), join(out, "pkg/cxreports-widget.js")];
  const short = shortenImports(readFileSync(wasmPath), readFileSync(gluePath, "utf8"));
  writeFileSync(wasmPath, short.wasm);
  writeFileSync(gluePath, short.glue);
}

// Minified as ES2022 modules: names of exports, `import.meta.url` and the
// literal import paths bundlers follow all stay as they are.
const esbuild = requireInstalled("esbuild");
const scripts = ["cxreports-widget.js", "pkg/cxreports-widget.js",
  ...readdirSync(join(out, "locales")).filter((n) => n.endsWith(".js")).map((n) => `locales/${n}`)];
let before = 0;
let after = 0;
for (const file of scripts) {
  const path = join(out, file);
  const source = readFileSync(path, "utf8");
  const { code } = esbuild.transformSync(source, { minify: true, format: "esm", target: "es2022", legalComments: "none" });
  writeFileSync(path, code);
  before += source.length;
  after += code.length;
}

// Subresource integrity: every `integrity` in a page of the bundle is the
// digest of the bytes now in the bundle, in the algorithm trunk chose.
const TAG = /<(?:link|script)\b[^>]*\bintegrity="(sha256|sha384|sha512)-[^"]*"[^>]*>/g;
let digests = 0;
const pages = readdirSync(out, { recursive: true }).map(String).filter((n) => n.endsWith(".html"));
for (const name of pages) {
  const page = join(out, name);
  const html = readFileSync(page, "utf8");
  const updated = html.replace(TAG, (tag, algorithm) => {
    // Chromium ignores integrity on a `fetch` preload (the wasm) and warns
    // about it on every page load; the attribute would only add noise.
    if (/\brel="preload"/.test(tag) && /\bas="fetch"/.test(tag)) return tag.replace(/\s*\bintegrity="[^"]*"/, "");
    const url = /\b(?:href|src)="([^"]*)"/.exec(tag)?.[1];
    // Root-relative URLs are under trunk's public_url ("/"), others beside the page.
    const file = url && !/^[a-z]+:|^\/\//i.test(url)
      ? join(url.startsWith("/") ? out : dirname(page), decodeURIComponent(url.split(/[?#]/)[0]))
      : null;
    if (!file || relative(out, file).startsWith("..") || !existsSync(file)) {
      throw new Error(`${name}: cannot recompute the integrity of ${url ?? tag}: it is not a file of the bundle`);
    }
    digests += 1;
    const digest = createHash(algorithm).update(readFileSync(file)).digest("base64");
    return tag.replace(/\bintegrity="[^"]*"/, `integrity="${algorithm}-${digest}"`);
  });
  if (updated !== html) writeFileSync(page, updated);
}

// The package: its files from the site, as minified above, and nothing else.
rmSync(packageDir, { recursive: true, force: true });
mkdirSync(packageDir, { recursive: true });
const written = { "package.json": pkg, "custom-elements.json": manifest };
for (const entry of pkg.files) {
  if (entry in written) continue;
  if (!existsSync(join(out, entry))) throw new Error(`the site has no ${entry}, which the package lists`);
  cpSync(join(out, entry), join(packageDir, entry), { recursive: true });
}
for (const [name, value] of Object.entries(written)) writeFileSync(join(packageDir, name), `${JSON.stringify(value, null, 2)}\n`);

console.log(`package: cxreports-widget@${version}, ${options.length} options, ${scripts.length} scripts minified (${before} → ${after} bytes), ${digests} integrity digests recomputed, site ${out}, package ${packageDir}`);
