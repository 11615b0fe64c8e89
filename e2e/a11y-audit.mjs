// The accessibility audit: every state of the widget, in headless Chromium
// against the real servers, checked against WCAG 2.2 AA with axe-core (its
// open shadow root included) and with the project's own checks where axe
// cannot decide or does not look:
//   - the contrast of every visible text inside the shadow root (≥ 4.5:1),
//     its background composited up the ancestors, across the shadow
//     boundary to the page, with their opacities (axe leaves text over
//     color-mix() or semi-transparent backgrounds "incomplete");
//   - a visible focus ring on every control reached with Tab (an outline of
//     at least 2px or a box-shadow, at least 3:1 against what surrounds it),
//     and every visible control reachable with Tab;
//   - prefers-reduced-motion stops the spinner, and only then.
// Each state is a named step that must have zero findings.
//
//   node e2e/a11y-audit.mjs                 (the servers' addresses come from
//                                             CXR_* as test.sh exports them)
//   CXR_A11Y_DIST=target/other-dist node e2e/a11y-audit.mjs
//                                            audits another build of the bundle
//   CXR_A11Y_SCREENSHOTS=docs node e2e/a11y-audit.mjs
//                                            also saves the README's screenshots:
//                                            wide.png and narrow.png (a report open)
//   node e2e/a11y-audit.mjs --plant [contrast|button]
//                                            plants a low-contrast text and/or an
//                                            unlabelled button inside the shadow
//                                            root in the first step, to see the
//                                            audit catch them (it must then fail)
//
// One line per step (`PASS step` or `FAIL step: rule, target, summary`, one
// such line per finding); the last line reads `a11y-audit: N passed, M failed`;
// the exit status is 0 only when every step passed. The details (every axe
// result) go to target/a11y-audit.json.
import { CHROMIUM, requireInstalled, setting } from "./env.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// ---- settings ----------------------------------------------------------------

const PLANTS = ["contrast", "button"];
const args = process.argv.slice(2);
let plant = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--plant") {
    plant = PLANTS.includes(args[i + 1]) ? [args[++i]] : [...PLANTS];
  } else {
    throw new Error(`unknown argument ${args[i]} (the only one is --plant [${PLANTS.join("|")}])`);
  }
}

const SIM = setting("CXR_SIM_URL");
const BACKEND = setting("CXR_BACKEND_URL");
const STATIC = setting("CXR_STATIC_URL");
const CDN = setting("CXR_CDN_URL");
// The bundle to audit: a folder of the repository, served by the CDN host
// (`dist/` by default; another build, e.g. of an older commit, copied under
// target/, to compare).
const DIST = (process.env.CXR_A11Y_DIST || "dist").replace(/^\/+|\/+$/g, "");
const WAIT_MS = 10_000;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const TEXT_RATIO = 4.5; // every text, large or not: simpler, and stricter
const RING_RATIO = 3;
const RING_MIN_PX = 2;
const HOST = "cx-report-viewer";
const NARROW = "width: 360px";

const { chromium } = requireInstalled("playwright-core");
const axe = requireInstalled("axe-core");

// ---- colors --------------------------------------------------------------------

/** Reads a computed CSS color into sRGB components in 0..1 and alpha; throws
 * on a format it does not know rather than guess. */
function parseColor(text) {
  const s = String(text).trim().toLowerCase();
  if (s === "transparent") return { r: 0, g: 0, b: 0, a: 0 };
  const fn = /^([a-z-]+)\((.*)\)$/.exec(s);
  if (!fn) throw new Error(`cannot read the color ${JSON.stringify(text)}`);
  const [, name, body] = fn;
  // Both the legacy comma syntax and the modern one, `a b c / alpha`.
  let parts;
  let alpha = "1";
  if (body.includes(",")) {
    parts = body.split(",").map((p) => p.trim());
    if (parts.length === 4) alpha = parts.pop();
  } else {
    const [main, slash] = body.split("/");
    parts = main.trim().split(/\s+/);
    if (slash !== undefined) alpha = slash.trim();
  }
  const num = (p, percentScale = 1) => {
    if (p === "none") return 0;
    if (p.endsWith("%")) return (parseFloat(p) / 100) * percentScale;
    const v = parseFloat(p);
    if (!Number.isFinite(v)) throw new Error(`cannot read ${JSON.stringify(p)} in the color ${JSON.stringify(text)}`);
    return v;
  };
  const a = Math.min(1, Math.max(0, num(alpha)));
  const clamp = (v) => Math.min(1, Math.max(0, v));
  const encode = (v) => clamp(v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055);
  if (name === "rgb" || name === "rgba") {
    if (parts.length !== 3) throw new Error(`cannot read the color ${JSON.stringify(text)}`);
    const [r, g, b] = parts.map((p) => clamp(num(p, 255) / 255));
    return { r, g, b, a };
  }
  if (name === "color") {
    const [space, ...rest] = parts;
    if (rest.length !== 3) throw new Error(`cannot read the color ${JSON.stringify(text)}`);
    const [x, y, z] = rest.map((p) => num(p));
    if (space === "srgb") return { r: clamp(x), g: clamp(y), b: clamp(z), a };
    if (space === "srgb-linear") return { r: encode(x), g: encode(y), b: encode(z), a };
    throw new Error(`the color space ${space} of ${JSON.stringify(text)} is not one this audit converts (srgb, srgb-linear)`);
  }
  if (name === "oklab" || name === "oklch") {
    if (parts.length !== 3) throw new Error(`cannot read the color ${JSON.stringify(text)}`);
    const L = num(parts[0]);
    let A;
    let B;
    if (name === "oklab") {
      A = num(parts[1], 0.4);
      B = num(parts[2], 0.4);
    } else {
      const C = num(parts[1], 0.4);
      const h = (num(parts[2]) * Math.PI) / 180;
      A = C * Math.cos(h);
      B = C * Math.sin(h);
    }
    // OKLab to linear sRGB (Björn Ottosson's matrices).
    const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
    const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
    const q = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
    return {
      r: encode(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * q),
      g: encode(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * q),
      b: encode(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * q),
      a,
    };
  }
  throw new Error(`the color ${JSON.stringify(text)} is in a format this audit does not read (rgb, rgba, color(srgb|srgb-linear), oklab, oklch)`);
}

// Compositing in premultiplied sRGB, as browsers blend.
const premul = ({ r, g, b, a }) => ({ r: r * a, g: g * a, b: b * a, a });
const scale = (c, k) => ({ r: c.r * k, g: c.g * k, b: c.b * k, a: c.a * k });
const over = (src, dst) => ({
  r: src.r + dst.r * (1 - src.a),
  g: src.g + dst.g * (1 - src.a),
  b: src.b + dst.b * (1 - src.a),
  a: src.a + dst.a * (1 - src.a),
});
const WHITE = { r: 1, g: 1, b: 1, a: 1 };

/** The color a viewer sees where `top` (a color, or null for the
 * background alone) is painted inside the innermost of `layers` (innermost
 * first: {bg, image, opacity} of the element and each ancestor, across shadow
 * boundaries, up to <html>), over a white canvas. */
function composite(layers, top) {
  let group = top ? premul(parseColor(top)) : { r: 0, g: 0, b: 0, a: 0 };
  for (const layer of layers) {
    if (layer.image && layer.image !== "none") {
      throw new Error(`${layer.tag} has a background image (${layer.image.slice(0, 60)}): its contrast cannot be computed here`);
    }
    group = scale(over(group, premul(parseColor(layer.bg))), Number(layer.opacity));
  }
  const out = over(group, WHITE);
  return { r: out.r, g: out.g, b: out.b };
}

function luminance({ r, g, b }) {
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function ratio(x, y) {
  const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
  return (hi + 0.05) / (lo + 0.05);
}

const hex = ({ r, g, b }) => `#${[r, g, b].map((c) => Math.round(c * 255).toString(16).padStart(2, "0")).join("")}`;

/** The colors of a computed box-shadow (`none`, or shadows separated by
 * commas outside parentheses), each with whether it is inset and whether it
 * draws anything (blur or spread). */
function shadows(text) {
  if (!text || text === "none") return [];
  const list = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i += 1) {
    const ch = text[i];
    if (ch === "(") depth += 1;
    else if (ch === ")") depth -= 1;
    else if ((ch === "," && depth === 0) || i === text.length) {
      list.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return list.map((shadow) => {
    const color = /[a-z-]+\([^)]*\)/.exec(shadow)?.[0] ?? (/\btransparent\b/.test(shadow) ? "transparent" : null);
    if (!color) throw new Error(`cannot find the color in the box-shadow ${JSON.stringify(shadow)}`);
    const lengths = shadow.replace(color, "").replace("inset", "").trim().split(/\s+/).map(parseFloat);
    const [, , blur = 0, spread = 0] = lengths;
    return { color, inset: /\binset\b/.test(shadow), draws: blur > 0 || spread > 0 };
  });
}

// ---- helpers that run in the page ------------------------------------------------

/** Installed in every page (context.addInitScript) as window.__a11y. */
function pageHelpers() {
  const parentOf = (el) => el.parentElement ?? (el.parentNode instanceof ShadowRoot ? el.parentNode.host : null);
  const describe = (el) => {
    let s = el.localName;
    if (el.id) s += `#${el.id}`;
    for (const c of el.classList) s += `.${c}`;
    for (const a of ["role", "aria-selected", "data-kind", "aria-expanded"]) {
      if (el.hasAttribute(a) && !(a === "role" && el.id)) s += `[${a}=${el.getAttribute(a)}]`;
    }
    return s;
  };
  /** A readable path: the host, `>>>`, then up to four levels inside. */
  const path = (el) => {
    const inside = [];
    let n = el;
    while (n && !(n.parentNode instanceof ShadowRoot) && n.parentElement && inside.length < 4) {
      inside.unshift(describe(n));
      n = n.parentElement;
    }
    if (n && inside.length < 4) inside.unshift(describe(n));
    if (el.matches("button, a, [role=option]")) {
      const label = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 24);
      if (label) inside[inside.length - 1] += `("${label}")`;
    }
    const rootNode = el.getRootNode();
    return rootNode instanceof ShadowRoot ? `${describe(rootNode.host)} >>> ${inside.join(" > ")}` : inside.join(" > ");
  };
  const layers = (el) => {
    const out = [];
    for (let n = el; n; n = parentOf(n)) {
      const s = getComputedStyle(n);
      out.push({ tag: describe(n), bg: s.backgroundColor, image: s.backgroundImage, opacity: s.opacity });
    }
    return out;
  };
  const visuallyHidden = (el) => {
    for (let n = el; n; n = parentOf(n)) {
      const s = getComputedStyle(n);
      if (s.clip && s.clip !== "auto" && /rect\(0(px)?,? 0(px)?/.test(s.clip)) return true;
      if (s.clipPath && /inset\(50%/.test(s.clipPath)) return true;
      if (s.overflow !== "visible" && s.display !== "inline" && n.clientWidth <= 1 && n.clientHeight <= 1 && n !== document.documentElement) return true;
    }
    return false;
  };
  const shown = (el) => el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) && !visuallyHidden(el);
  const inactive = (el) => Boolean(el.closest("button:disabled, input:disabled, select:disabled, textarea:disabled, fieldset:disabled, [aria-disabled=true]"));
  const hosts = () => [...document.querySelectorAll("*")].filter((el) => el.shadowRoot);
  const shadowRoots = () => {
    const out = [];
    const walk = (node) => {
      for (const el of node.querySelectorAll("*")) {
        if (el.shadowRoot) {
          out.push(el.shadowRoot);
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return out;
  };

  /** Every visible text inside the shadow roots, with its color and layers;
   * input values and placeholders too (no text nodes, the same rule). */
  const texts = () => {
    const out = [];
    for (const shadow of shadowRoots()) {
      const walker = document.createTreeWalker(shadow, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.data.trim();
        const el = node.parentElement;
        if (!text || !el || !shown(el) || inactive(el)) continue;
        if (el.closest("script, style, template")) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
        const s = getComputedStyle(el);
        out.push({ text: text.slice(0, 40), target: path(el), color: s.color, fontSize: s.fontSize, fontWeight: s.fontWeight, layers: layers(el) });
      }
      for (const input of shadow.querySelectorAll("input:not([type=hidden]), textarea")) {
        if (!shown(input) || inactive(input)) continue;
        const placeholder = !input.value && input.placeholder;
        if (!input.value && !placeholder) continue;
        const color = placeholder ? getComputedStyle(input, "::placeholder").color : getComputedStyle(input).color;
        out.push({ text: (input.value || input.placeholder).slice(0, 40), target: `${path(input)}${placeholder ? "::placeholder" : " (its value)"}`, color, layers: layers(input) });
      }
    }
    return out;
  };

  const deepActive = () => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  const inWidget = (el) => {
    const r = el?.getRootNode();
    return r instanceof ShadowRoot;
  };
  const FOCUSABLE = "button, input:not([type=hidden]), select, textarea, a[href], [tabindex]:not([tabindex='-1']), summary";
  /** The visible, enabled controls in the shadow roots, remembered for `focused`. */
  const controls = () => {
    const list = [];
    for (const shadow of shadowRoots()) {
      for (const el of shadow.querySelectorAll(FOCUSABLE)) {
        if (el.localName === "iframe" || el.matches(":disabled") || !shown(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        list.push(el);
      }
    }
    window.__a11yControls = list;
    return list.map(path);
  };
  /** Where focus is now, and how its ring looks. */
  const focused = () => {
    const a = deepActive();
    if (!a || !inWidget(a)) return { where: "outside", target: a ? describe(a) : "(none)" };
    if (a.localName === "iframe") return { where: "iframe", target: path(a) };
    const s = getComputedStyle(a);
    const parent = parentOf(a) ?? a;
    return {
      where: "widget",
      index: (window.__a11yControls ?? []).indexOf(a),
      target: path(a),
      focusVisible: a.matches(":focus-visible"),
      outlineStyle: s.outlineStyle,
      outlineWidth: s.outlineWidth,
      outlineColor: s.outlineColor,
      outlineOffset: s.outlineOffset,
      boxShadow: s.boxShadow,
      outerLayers: layers(parent),
      innerLayers: layers(a),
    };
  };
  /** Lets finite animations and transitions end (at most 1 s). */
  const settle = async () => {
    const finite = document.getAnimations().filter((an) => {
      const t = an.effect?.getComputedTiming?.();
      return t && Number.isFinite(t.endTime) && an.playState === "running";
    });
    await Promise.race([Promise.allSettled(finite.map((an) => an.finished)), new Promise((r) => setTimeout(r, 1000))]);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  };
  window.__a11y = { texts, controls, focused, settle, hosts, shadowRoots, describe, path, layers };
}

// ---- the host page -------------------------------------------------------------------

/** The host page: signs in to the backend (cookies, on another origin), loads
 * the bundle from the CDN origin, and lets the driver place widgets. Written
 * under target/ (served by the static host, whose root is the repository). */
function hostPage() {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>cxreports-widget: the accessibility audit's host page</title>
  <!-- Written by e2e/a11y-audit.mjs at each run; addresses in the query:
       host.html?backend=<host backend>&widget=<bundle base> -->
  <style>
    :root { background: #ffffff; color: #111827; font: 16px/1.5 system-ui, sans-serif; }
    :root.dark { background: #111827; color: #f3f4f6; color-scheme: dark; }
    body { margin: 16px; }
    h1 { font-size: 1.4rem; margin: 0 0 8px; }
  </style>
  <script type="module">
    const q = new URLSearchParams(location.search);
    const audit = { events: [], ready: false, failure: null };
    window.audit = audit;
    audit.place = (attributes, style) => {
      const slot = document.getElementById("slot");
      slot.replaceChildren();
      audit.events.length = 0;
      const el = document.createElement("cx-report-viewer");
      for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
      if (style) el.setAttribute("style", style);
      for (const name of ["ready", "select", "load", "error"]) {
        el.addEventListener("cxreports:" + name, (e) => audit.events.push({ name, detail: e.detail }));
      }
      slot.append(el);
    };
    audit.scheme = (dark) => document.documentElement.classList.toggle("dark", dark);
    try {
      const login = await fetch(q.get("backend") + "/auth/login", {
        method: "POST",
        credentials: "include",
        headers: { "Content-Type": "application/json", "X-Requested-With": "a11y-audit" },
        body: JSON.stringify({ user: "a11y" }),
      });
      if (!login.ok) throw new Error("sign-in answered " + login.status);
      await import(q.get("widget") + "/cxreports-widget.js");
      audit.ready = true;
    } catch (error) {
      audit.failure = String(error?.stack ?? error);
    }
  </script>
</head>
<body>
  <main>
    <h1>Reports</h1>
    <p><button id="before" type="button">Before the widget</button></p>
    <div id="slot"></div>
  </main>
</body>
</html>
`;
}

// ---- fault injection (the backend's /__faults, as tests/common/mod.rs does) ----------

async function fault(path, spec) {
  const response = await fetch(`${BACKEND}/__faults`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...spec, path }),
  });
  if (!response.ok) throw new Error(`fault ${path}: ${response.status} ${await response.text()}`);
}

async function clearFaults() {
  const response = await fetch(`${BACKEND}/__faults`, { method: "DELETE" });
  if (!response.ok) throw new Error(`clearing the faults: ${response.status}`);
}

// ---- steps and findings ----------------------------------------------------------------

const started = Date.now();
const steps = []; // { name, findings: [{rule, target, summary}], notes, ms }
const details = []; // for target/a11y-audit.json

// Colors only on a terminal: a log keeps plain `PASS`/`FAIL` at line starts.
const paint = (code, text) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);

function log(what) {
  process.stderr.write(`\x1b[2ma11y-audit: ${((Date.now() - started) / 1000).toFixed(1)} s ${what}\x1b[0m\n`);
}

/** Runs one named step: `body(findings)` adds findings or throws (one
 * finding: the step could not be reached). */
async function step(name, body) {
  const t = Date.now();
  const findings = [];
  const notes = [];
  log(name);
  try {
    await body({ findings, notes });
  } catch (error) {
    const message = String(error?.message ?? error).split("\n")[0];
    findings.push({ rule: "cxr-step", target: "-", summary: message.length > 300 ? `${message.slice(0, 300)}…` : message });
  }
  steps.push({ name, findings, notes, ms: Date.now() - t });
  if (findings.length === 0) {
    console.log(`${paint(32, "PASS")} ${name}${notes.length ? ` (${notes.join("; ")})` : ""}`);
  } else {
    for (const f of findings) console.log(`${paint(31, "FAIL")} ${name}: ${f.rule}, ${f.target}, ${f.summary}`);
  }
}

const fmtTarget = (target) => target
  .map((t) => (Array.isArray(t) ? t.join(" >>> ") : t))
  .join(" | ");

/** axe-core over the whole page, the open shadow root included (the viewer
 * iframe's own page is CxReports', not the widget's: not entered). */
async function runAxe(page, name, findings, notes) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, iframes: false, resultTypes: ["violations"] });
    // The first reason axe gives (its summary lists every check it tried).
    const reason = (n) => {
      const lines = (n.failureSummary ?? "").split("\n").map((l) => l.trim()).filter((l) => l && !/^Fix (any|all) of the following:$/.test(l));
      return (lines[0] ?? n.any?.[0]?.message ?? "").replace(/\s+/g, " ") + (lines.length > 1 ? ` (+${lines.length - 1} more)` : "");
    };
    const nodes = (v) => v.nodes.map((n) => ({ target: n.target, summary: reason(n), full: n.failureSummary, html: n.html.slice(0, 200) }));
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: nodes(v) })),
      incomplete: r.incomplete.map((v) => ({ id: v.id, help: v.help, nodes: nodes(v) })),
      passes: r.passes.length,
    };
  }, TAGS);
  for (const v of result.violations) {
    for (const n of v.nodes) {
      findings.push({ rule: v.id, target: fmtTarget(n.target), summary: `${v.help}: ${n.summary}` });
    }
  }
  const incomplete = result.incomplete.reduce((k, v) => k + v.nodes.length, 0);
  notes.push(`axe: ${result.passes} rules passed, ${result.violations.length} violated, ${incomplete} nodes incomplete`);
  details.push({ step: name, axe: result });
}

/** The project's own contrast check of every visible text in the shadow root. */
async function checkTexts(page, name, findings, notes) {
  const texts = await page.evaluate(() => window.__a11y.texts());
  if (texts.length === 0) throw new Error("no visible text inside the shadow root");
  const bad = new Map();
  let min = Infinity;
  for (const t of texts) {
    const bg = composite(t.layers, null);
    const fg = composite(t.layers, t.color);
    const r = ratio(fg, bg);
    min = Math.min(min, r);
    if (r < TEXT_RATIO) {
      const key = `${t.target}|${hex(fg)}|${hex(bg)}`;
      const seen = bad.get(key);
      if (seen) seen.count += 1;
      else bad.set(key, { t, fg, bg, r, count: 1 });
    }
  }
  for (const { t, fg, bg, r, count } of bad.values()) {
    findings.push({
      rule: "cxr-text-contrast",
      target: t.target,
      summary: `text "${t.text}"${count > 1 ? ` (and ${count - 1} more alike)` : ""} has contrast ${r.toFixed(2)}:1 < ${TEXT_RATIO}:1 (text ${hex(fg)} from ${t.color}, background ${hex(bg)} from ${t.layers.map((l) => l.bg).filter((b) => b !== "rgba(0, 0, 0, 0)").slice(0, 2).join(" over ") || "the canvas"}${t.fontSize ? `, ${t.fontSize} ${t.fontWeight}` : ""})`,
    });
  }
  notes.push(`contrast: ${texts.length} texts, lowest ${min.toFixed(2)}:1`);
  details.push({ step: name, texts: texts.map((t) => ({ text: t.text, target: t.target, ratio: ratio(composite(t.layers, t.color), composite(t.layers, null)) })) });
}

/** Tab from a page button before the widget through all its controls: each
 * must show a ring, and each visible control must be reached. */
async function checkFocus(page, name, findings, notes) {
  const controls = await page.evaluate(() => window.__a11y.controls());
  await page.evaluate(() => document.getElementById("before").focus());
  const reached = new Set();
  let entered = false;
  let inFrame = 0;
  for (let press = 0; press < 80; press += 1) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => window.__a11y.focused());
    if (f.where === "iframe") {
      // The viewer's own page (CxReports'): tab on through it.
      entered = true;
      inFrame += 1;
      if (inFrame > 30) throw new Error("Tab stayed in the viewer iframe for 30 presses");
      continue;
    }
    if (f.where === "outside") {
      if (entered || f.target === "button#before") break; // past the widget, or round the page
      continue;
    }
    entered = true;
    const key = f.index >= 0 ? `#${f.index}` : f.target;
    if (reached.has(key)) break; // focus went round
    reached.add(key);
    const problem = ringProblem(f);
    if (problem) findings.push({ rule: "cxr-focus-ring", target: f.target, summary: problem });
  }
  if (!entered && controls.length > 0) throw new Error(`Tab never reached the widget's ${controls.length} control(s)`);
  controls.forEach((target, i) => {
    if (!reached.has(`#${i}`)) findings.push({ rule: "cxr-focus-reach", target, summary: "a visible control that Tab never reaches" });
  });
  notes.push(`focus: ${[...reached].filter((r) => r.startsWith("#")).length}/${controls.length} controls reached with Tab`);
  await page.evaluate(() => document.getElementById("before").focus());
}

/** What is wrong with a focused control's ring, or null. */
function ringProblem(f) {
  const hasOutline = f.outlineStyle !== "none" && parseFloat(f.outlineWidth) > 0;
  const ringShadows = shadows(f.boxShadow).filter((s) => s.draws && parseColor(s.color).a > 0);
  if (!hasOutline && ringShadows.length === 0) {
    return `no visible focus ring (outline ${f.outlineStyle} ${f.outlineWidth}, box-shadow ${f.boxShadow})${f.focusVisible ? "" : "; not :focus-visible"}`;
  }
  const candidates = [];
  if (hasOutline) {
    const width = parseFloat(f.outlineWidth);
    const layers = parseFloat(f.outlineOffset) < 0 ? f.innerLayers : f.outerLayers;
    const bg = composite(layers, null);
    const ring = composite(layers, f.outlineColor);
    candidates.push({ what: `outline ${f.outlineWidth} ${f.outlineStyle} ${f.outlineColor}`, thin: width < RING_MIN_PX, r: ratio(ring, bg), bg });
  }
  for (const s of ringShadows) {
    const layers = s.inset ? f.innerLayers : f.outerLayers;
    const bg = composite(layers, null);
    candidates.push({ what: `box-shadow ${s.color}`, thin: false, r: ratio(composite(layers, s.color), bg), bg });
  }
  if (candidates.some((c) => !c.thin && c.r >= RING_RATIO)) return null;
  return candidates
    .map((c) => `${c.what}: ${c.thin ? `thinner than ${RING_MIN_PX}px${/auto/.test(c.what) ? " (the browser's default ring: the widget styles none)" : ""}` : `contrast ${c.r.toFixed(2)}:1 < ${RING_RATIO}:1 against ${hex(c.bg)}`}`)
    .join("; ");
}

/** The whole audit of one state. */
async function auditState(page, name, { findings, notes }, { focus = true } = {}) {
  await page.evaluate(() => window.__a11y.settle());
  await runAxe(page, name, findings, notes);
  await checkTexts(page, name, findings, notes);
  if (focus) await checkFocus(page, name, findings, notes);
}

// ---- the widget's states ----------------------------------------------------------------

const widget = (page) => page.locator(HOST);
const inWidget = (page, selector) => page.locator(`${HOST} ${selector}`);

function attributes(extra = {}) {
  const base = {
    "cxreports-url": SIM,
    workspace: "sales",
    "nonce-url": `${BACKEND}/api/cxreports/nonce`,
    "reports-url": `${BACKEND}/api/cxreports/reports`,
    "report-types-url": `${BACKEND}/api/cxreports/report-types`,
    "pdf-url": `${BACKEND}/api/cxreports/reports`,
    credentials: "include",
    params: JSON.stringify({ year: 2026 }),
  };
  const out = { ...base, ...extra };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** Saves the widget as the README shows it, when CXR_A11Y_SCREENSHOTS names a folder. */
async function screenshot(page, name) {
  const folder = process.env.CXR_A11Y_SCREENSHOTS;
  if (!folder) return;
  await page.waitForTimeout(300); // the viewer page's own paint
  await widget(page).screenshot({ path: join(folder, name) });
}

async function place(page, extra = {}, style = "") {
  await page.evaluate(([attrs, css]) => window.audit.place(attrs, css), [attributes(extra), style]);
}

/** Waits until `selector` (inside the widget) is visible — or attached, with
 * `attached` — and fails at once, saying so, if the widget shows a
 * configuration error instead. */
async function expect(page, selector, what, { attached = false, timeout = WAIT_MS } = {}) {
  const target = inWidget(page, selector).first();
  const configError = inWidget(page, ".cxr-config-error").first();
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (attached ? (await target.count()) > 0 : await target.isVisible()) return target;
    if (!selector.includes("cxr-config-error") && (await configError.count()) > 0) {
      throw new Error(`the widget shows a configuration error instead of ${what}: ${(await configError.textContent()).trim()}`);
    }
    if (!selector.includes("error")) {
      const [error] = await events(page, "error");
      if (error) throw new Error(`the widget reported an error instead of showing ${what}: ${JSON.stringify(error.detail)}`);
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`${what} did not appear within ${timeout / 1000} s (${selector}${attached ? ", attached" : ", visible"})`);
}

/** Polls `probe` until it answers `want` or `timeout` passes; answers what
 * it saw last. For a state the widget reaches after a key or a click: a
 * finding then says what the widget did, not how fast the machine was. */
async function settled(page, probe, want, { timeout = WAIT_MS } = {}) {
  const until = Date.now() + timeout;
  let seen = await probe();
  while (seen !== want && Date.now() < until) {
    await page.waitForTimeout(50);
    seen = await probe();
  }
  return seen;
}

async function events(page, name, stage) {
  return page.evaluate(([n, s]) => window.audit.events.filter((e) => e.name === n && (!s || e.detail?.stage === s)), [name, stage]);
}

async function waitEvent(page, name, { count = 1, stage = null, timeout = WAIT_MS } = {}) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const seen = await events(page, name, stage);
    if (seen.length >= count) return seen;
    const errors = (await events(page, "error")).filter((e) => name !== "error" || e.detail?.stage === "config");
    if (errors.length && !(name === "error" && stage === "config")) {
      throw new Error(`the widget reported an error instead of cxreports:${name}${stage ? ` at stage ${stage}` : ""}: ${JSON.stringify(errors[0].detail)}`);
    }
    await page.waitForTimeout(50);
  }
  throw new Error(`no cxreports:${name}${stage ? ` at stage ${stage}` : ""} within ${timeout / 1000} s`);
}

async function listShown(page) {
  await expect(page, "[role=option]", "the report list");
  return inWidget(page, "[role=option]").evaluateAll((els) => els.map((el) => ({
    id: el.dataset.reportId,
    name: el.querySelector(".cxr-option-name")?.textContent ?? el.textContent,
    isDefault: Boolean(el.querySelector(".cxr-default")),
  })));
}

/** A search term that matches some of the reports but not all. */
function someTerm(options) {
  const names = options.map((o) => o.name.toLowerCase());
  const words = [...new Set(names.flatMap((n) => n.split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 4))];
  for (const w of words) {
    const hits = names.filter((n) => n.includes(w)).length;
    if (hits > 0 && hits < names.length) return w;
  }
  throw new Error(`no word in the report names matches some but not all of them: ${names.join(", ")}`);
}

/** Opens a report from the picker (a default one, when there is one: its
 * badge shows on the selected row) and waits until the viewer loaded. */
async function openReport(page, options, { loadsBefore = 0 } = {}) {
  const choice = options.find((o) => o.isDefault) ?? options[0];
  await inWidget(page, `[role=option][data-report-id="${choice.id}"]`).first().click();
  await frameLoaded(page, loadsBefore + 1);
  return choice;
}

async function frameLoaded(page, count) {
  await waitEvent(page, "load", { count });
  const src = await inWidget(page, "iframe.cxr-frame").first().getAttribute("src", { timeout: WAIT_MS });
  if (!src) throw new Error("the iframe .cxr-frame has no src after cxreports:load");
}

async function isDark(page) {
  const bg = await inWidget(page, ".cxr").first().evaluate((el) => window.__a11y.layers(el));
  const c = composite(bg, null);
  return { dark: luminance(c) < 0.2, color: hex(c) };
}

async function requireDark(page, findings, how) {
  const { dark, color } = await isDark(page);
  if (!dark) findings.push({ rule: "cxr-color-scheme", target: `${HOST} >>> .cxr`, summary: `${how}, yet the widget's background is ${color}: it did not switch to its dark colors` });
}

async function plantViolations(page) {
  console.log(`(planting: ${plant.join(", ")})`);
  await page.evaluate((kinds) => {
    const shadow = document.querySelector("cx-report-viewer").shadowRoot;
    const where = shadow.querySelector(".cxr-side") ?? shadow.querySelector(".cxr") ?? shadow;
    if (kinds.includes("contrast")) {
      const p = document.createElement("p");
      p.className = "cxr-planted-text";
      p.style.color = "#c4c4c4";
      p.textContent = "Planted low-contrast text";
      where.prepend(p);
    }
    if (kinds.includes("button")) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "cxr-planted-button";
      b.style.cssText = "width: 28px; height: 28px";
      where.prepend(b);
    }
  }, plant);
}

// ---- the run ------------------------------------------------------------------------------------

async function main() {
  mkdirSync(join(root, "target/a11y-audit"), { recursive: true });
  writeFileSync(join(root, "target/a11y-audit/host.html"), hostPage());
  const hostUrl = `${STATIC}/target/a11y-audit/host.html?` + new URLSearchParams({ backend: BACKEND, widget: `${CDN}/${DIST}` });
  await clearFaults();

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run", "--font-render-hinting=none"],
  });
  const pageErrors = [];
  /** One context per group of steps, on a fresh host page. */
  async function group(label, { colorScheme = "light", dark = false } = {}, body) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, reducedMotion: "no-preference" });
    await context.addInitScript(pageHelpers);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on("pageerror", (error) => pageErrors.push(`${label}: ${error}`));
    try {
      await page.goto(hostUrl);
      await page.waitForFunction(() => window.audit && (window.audit.ready || window.audit.failure));
      const failure = await page.evaluate(() => window.audit.failure);
      if (failure) throw new Error(`the host page failed: ${failure}`);
      await page.evaluate((d) => window.audit.scheme(d), dark);
      await body(page);
    } finally {
      await clearFaults().catch(() => {});
      await context.close().catch(() => {});
    }
  }
  /** A group that could not even start fails its first step. */
  const guarded = (label, opts, body) => group(label, opts, body).catch((error) => step(`${label}: the host page`, () => { throw error; }));

  let ids = [];
  try {
    // 1-3, 5 (PDF): the light, wide layout.
    await guarded("light", {}, async (page) => {
      let options = [];
      await step("list shown", async (s) => {
        await place(page);
        options = await listShown(page);
        ids = options.map((o) => o.id);
        if (options.length < 2) throw new Error(`only ${options.length} report(s) listed`);
        if (plant) await plantViolations(page);
        await auditState(page, "list shown", s);
      });
      await step("search typed", async (s) => {
        if (!options.length) throw new Error("no list to search (the previous step failed)");
        const term = someTerm(options);
        await expect(page, "input.cxr-search", "the search box");
        await inWidget(page, "input.cxr-search").fill(term);
        await page.waitForFunction(([host, n]) => {
          const k = document.querySelector(host).shadowRoot.querySelectorAll("[role=option]").length;
          return k > 0 && k < n;
        }, [HOST, options.length]);
        s.notes.push(`"${term}"`);
        await auditState(page, "search typed", s);
      });
      await step("search with no match", async (s) => {
        await expect(page, "input.cxr-search", "the search box");
        await inWidget(page, "input.cxr-search").fill("zzqx no such report");
        await expect(page, ":text('No reports match')", "the “No reports match” text");
        await auditState(page, "search with no match", s);
        await inWidget(page, "input.cxr-search").fill("");
        await expect(page, "[role=option]", "the report list again");
      });
      await step("report open and loaded", async (s) => {
        if (!options.length) throw new Error("no list to open a report from (the first step failed)");
        const choice = await openReport(page, options);
        s.notes.push(`report ${choice.id}${choice.isDefault ? " (a default one)" : ""}`);
        await auditState(page, "report open and loaded", s);
        await screenshot(page, "wide.png");
      });
      await step("PDF error", async (s) => {
        const pdf = widget(page).getByRole("button", { name: /pdf/i }).first();
        if (!(await pdf.isVisible())) throw new Error("no visible PDF button in the toolbar (pdf-url is set)");
        await fault("/api/cxreports/reports/*/pdf", { kind: "status", status: 500 });
        await pdf.click();
        await waitEvent(page, "error", { stage: "pdf" });
        await expect(page, ".cxr-error", "the PDF error");
        await clearFaults();
        await auditState(page, "PDF error", s);
      });
    });

    // 4: loading, and reduced motion during it.
    await guarded("loading", {}, async (page) => {
      await step("loading", async (s) => {
        // Held until the group's end clears the faults: the widget stays in
        // its loading state for as long as both steps take, however slow.
        await fault("/api/cxreports/", { kind: "hold" });
        await place(page, { report: ids[0] ?? "101" });
        await expect(page, ".cxr-progress", "the progress indicator");
        await auditState(page, "loading", s, { focus: false });
        if (!(await inWidget(page, ".cxr-progress").first().isVisible())) {
          throw new Error("the loading state ended before its audit did: its results are not of the loading state");
        }
      });
      await step("loading: prefers-reduced-motion", async ({ findings }) => {
        const spinners = inWidget(page, ".cxr-spinner");
        if ((await spinners.count()) === 0) throw new Error("no .cxr-spinner while loading");
        const names = () => spinners.evaluateAll((els) => els.map((el) => `${window.__a11y.path(el)}=${getComputedStyle(el).animationName}`));
        for (const n of await names()) {
          if (n.endsWith("=none")) findings.push({ rule: "cxr-motion", target: n.split("=")[0], summary: "the spinner does not turn without prefers-reduced-motion (animation-name none)" });
        }
        await page.emulateMedia({ reducedMotion: "reduce" });
        for (const n of await names()) {
          if (!n.endsWith("=none")) findings.push({ rule: "cxr-motion", target: n.split("=")[0], summary: `the spinner still turns with prefers-reduced-motion: reduce (animation-name ${n.split("=").pop()})` });
        }
        await page.emulateMedia({ reducedMotion: "no-preference" });
      });
    });

    // 5: errors.
    await guarded("errors", {}, async (page) => {
      const errorStep = (name, path, spec, stage, kind, extra = {}) => step(name, async (s) => {
        await clearFaults();
        if (path) await fault(path, spec);
        await place(page, extra);
        await waitEvent(page, "error", { stage });
        await expect(page, kind ? `.cxr-error[data-kind="${kind}"]` : ".cxr-error", `the ${name}`);
        await clearFaults();
        await auditState(page, name, s);
      });
      await errorStep("report-list error", "/api/cxreports/reports", { kind: "status", status: 500 }, "reports", "http");
      await errorStep("nonce error (500)", "/api/cxreports/nonce", { kind: "status", status: 500 }, "nonce", "http", { report: ids[0] ?? "101", "prefetch-nonce": "false" });
      await errorStep("nonce error (HTML answer)", "/api/cxreports/nonce", { kind: "html" }, "nonce", "html", { report: ids[0] ?? "101", "prefetch-nonce": "false" });
      await step("config error", async (s) => {
        await place(page, { "cxreports-url": null });
        await expect(page, ".cxr-config-error", "the configuration error");
        await auditState(page, "config error", s);
      });
    });

    // 6-8: the narrow layout (the widget's own width: container queries).
    const narrowSteps = async (page, prefix) => {
      await step(`${prefix}narrow: list`, async (s) => {
        await place(page, {}, NARROW);
        await expect(page, "[role=option]", "the report list", { attached: true });
        if ((await inWidget(page, "button.cxr-switcher").count()) === 0) {
          s.findings.push({ rule: "cxr-narrow", target: `${HOST} >>> button.cxr-switcher`, summary: "missing at 360 px: the widget has no narrow layout's report switcher" });
        }
        await auditState(page, `${prefix}narrow: list`, s);
      });
      await step(`${prefix}narrow: report open`, async (s) => {
        await page.evaluate(([host, id]) => document.querySelector(host).setAttribute("report", id), [HOST, ids[0] ?? "101"]);
        await frameLoaded(page, 1);
        await auditState(page, `${prefix}narrow: report open`, s);
        if (!prefix) await screenshot(page, "narrow.png");
      });
      await step(`${prefix}narrow: report switcher open`, async (s) => {
        const switcher = inWidget(page, "button.cxr-switcher").first();
        if ((await switcher.count()) === 0 || !(await switcher.isVisible())) throw new Error("no visible button.cxr-switcher in the narrow layout");
        await switcher.click();
        await expect(page, ".cxr-side [role=option]", "the picker opened by the switcher");
        const expanded = await switcher.getAttribute("aria-expanded");
        if (expanded !== "true") s.findings.push({ rule: "cxr-switcher", target: `${HOST} >>> button.cxr-switcher`, summary: `aria-expanded is ${JSON.stringify(expanded)} with the picker open (want "true")` });
        const focused = await page.evaluate(() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return { search: !!a?.matches?.("input.cxr-search"), name: a?.id || a?.className || a?.localName }; });
        if (!focused.search) s.findings.push({ rule: "cxr-switcher", target: `${HOST} >>> input.cxr-search`, summary: `focus is on ${focused.name}, not on the search box, once the picker opened` });
        await auditState(page, `${prefix}narrow: report switcher open`, s, { focus: false });
        await page.keyboard.press("Escape");
        const after = await settled(page, () => switcher.getAttribute("aria-expanded"), "false");
        const onSwitcher = await settled(page, () => switcher.evaluate((el) => el.getRootNode().activeElement === el), true);
        if (after !== "false") s.findings.push({ rule: "cxr-switcher", target: `${HOST} >>> button.cxr-switcher`, summary: `Escape did not close the picker (aria-expanded ${JSON.stringify(after)})` });
        if (!onSwitcher) s.findings.push({ rule: "cxr-switcher", target: `${HOST} >>> button.cxr-switcher`, summary: "Escape did not return focus to the switcher" });
      });
      await step(`${prefix}narrow: toolbar menu open`, async (s) => {
        const more = inWidget(page, "button.cxr-more").first();
        if ((await more.count()) === 0 || !(await more.isVisible())) throw new Error("no visible button.cxr-more in the narrow layout's toolbar");
        await more.click();
        const expanded = await settled(page, () => more.getAttribute("aria-expanded"), "true");
        if (expanded !== "true") s.findings.push({ rule: "cxr-more", target: `${HOST} >>> button.cxr-more`, summary: `aria-expanded is ${JSON.stringify(expanded)} with the menu open (want "true")` });
        await auditState(page, `${prefix}narrow: toolbar menu open`, s, { focus: false });
        await page.keyboard.press("Escape");
      });
    };
    await guarded("narrow", {}, (page) => narrowSteps(page, ""));

    // Other languages: German (long labels, its catalog fetched beside the
    // bundle) at phone width, and right to left.
    await guarded("languages", {}, async (page) => {
      await step("German: narrow, report open", async (s) => {
        await place(page, { locale: "de", report: ids[0] ?? "101" }, NARROW);
        await frameLoaded(page, 1);
        const label = await inWidget(page, ".cxr-switcher-label").first().textContent();
        if (label !== "Berichte") s.findings.push({ rule: "cxr-locale", target: `${HOST} >>> .cxr-switcher-label`, summary: `the switcher says ${JSON.stringify(label)}, not German` });
        await auditState(page, "German: narrow, report open", s);
      });
      await step("right to left (locale ar): list", async (s) => {
        await place(page, { locale: "ar" });
        await listShown(page);
        const dir = await inWidget(page, ".cxr").first().getAttribute("dir");
        if (dir !== "rtl") s.findings.push({ rule: "cxr-rtl", target: `${HOST} >>> .cxr`, summary: `dir is ${JSON.stringify(dir)}` });
        await auditState(page, "right to left (locale ar): list", s);
      });
    });

    // 9: dark, by attribute, and "auto" under a dark preference.
    await guarded("dark", { dark: true }, async (page) => {
      const dark = { "color-scheme": "dark" };
      await step("dark: list", async (s) => {
        await place(page, dark);
        await listShown(page);
        await requireDark(page, s.findings, 'color-scheme="dark"');
        await auditState(page, "dark: list", s);
      });
      await step("dark: search with no match", async (s) => {
        await expect(page, "input.cxr-search", "the search box");
        await inWidget(page, "input.cxr-search").fill("zzqx no such report");
        await expect(page, ":text('No reports match')", "the “No reports match” text");
        await auditState(page, "dark: search with no match", s, { focus: false });
        await inWidget(page, "input.cxr-search").fill("");
      });
      await step("dark: report open and loaded", async (s) => {
        const options = await listShown(page);
        await openReport(page, options);
        await auditState(page, "dark: report open and loaded", s);
      });
      await step("dark: loading", async (s) => {
        await fault("/api/cxreports/", { kind: "hold" });
        try {
          await place(page, { ...dark, report: ids[0] ?? "101" });
          await expect(page, ".cxr-progress", "the progress indicator");
          await auditState(page, "dark: loading", s, { focus: false });
          if (!(await inWidget(page, ".cxr-progress").first().isVisible())) throw new Error("the loading state ended before its audit did");
        } finally {
          await clearFaults(); // releases the held requests
        }
      });
      await step("dark: nonce error", async (s) => {
        await fault("/api/cxreports/nonce", { kind: "status", status: 500 });
        await place(page, { ...dark, report: ids[0] ?? "101", "prefetch-nonce": "false" });
        await waitEvent(page, "error", { stage: "nonce" });
        await expect(page, ".cxr-error", "the nonce error");
        await clearFaults();
        await auditState(page, "dark: nonce error", s);
      });
      await step("dark: narrow report switcher open", async (s) => {
        await place(page, { ...dark, report: ids[0] ?? "101" }, NARROW);
        await frameLoaded(page, 1);
        const switcher = inWidget(page, "button.cxr-switcher").first();
        if ((await switcher.count()) === 0 || !(await switcher.isVisible())) throw new Error("no visible button.cxr-switcher in the narrow layout");
        await switcher.click();
        await expect(page, ".cxr-side [role=option]", "the picker opened by the switcher");
        await auditState(page, "dark: narrow report switcher open", s, { focus: false });
      });
    });
    await guarded("auto, dark preference", { colorScheme: "dark", dark: true }, async (page) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await step("auto + prefers dark: list", async (s) => {
        await place(page, { "color-scheme": "auto" });
        await listShown(page);
        await requireDark(page, s.findings, 'color-scheme="auto" under prefers-color-scheme: dark');
        await auditState(page, "auto + prefers dark: list", s);
      });
      await step("auto + prefers dark: report open and loaded", async (s) => {
        const options = await listShown(page);
        await openReport(page, options);
        await auditState(page, "auto + prefers dark: report open and loaded", s);
      });
    });
  } finally {
    await browser.close().catch(() => {});
  }
  return { pageErrors };
}

const deadline = setTimeout(() => {
  console.error("a11y-audit: gave up after 180 s");
  console.log(`a11y-audit: ${steps.filter((s) => !s.findings.length).length} passed, ${steps.filter((s) => s.findings.length).length + 1} failed`);
  process.exit(2);
}, 180_000);

let broke = null;
let figures = {};
try {
  figures = await main();
} catch (error) {
  broke = error;
  console.error(error?.stack ?? error);
}
clearTimeout(deadline);
const failed = steps.filter((s) => s.findings.length > 0).length + (broke ? 1 : 0);
const passed = steps.length - steps.filter((s) => s.findings.length > 0).length;
mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target/a11y-audit.json"), JSON.stringify({
  axe: axe.version, tags: TAGS, plant, seconds: (Date.now() - started) / 1000, steps, details, pageErrors: figures.pageErrors ?? [],
}, null, 2));
if (figures.pageErrors?.length) console.error(`(page errors: ${figures.pageErrors.slice(0, 3).join(" | ")})`);
console.log(`(axe-core ${axe.version}, ${TAGS.join(" ")}, bundle ${DIST}/; ${steps.length} steps in ${((Date.now() - started) / 1000).toFixed(1)} s${plant ? `; planted: ${plant.join(", ")}` : ""}${broke ? `; the run broke: ${String(broke?.message ?? broke).split("\n")[0]}` : ""}; details in target/a11y-audit.json)`);
console.log(`a11y-audit: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
