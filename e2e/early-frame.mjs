// The first report's frame leaves with the first nonce: while the widget's
// WebAssembly is held back (its request waits until released here), the
// loader opens the report's frame itself with the head start's nonce, and
// once the widget is ready it adopts that very frame. Headless Chromium, the
// real simulator and backend, a host page on the backend's own origin and
// the bundle from the CDN origin (dist/). It checks
//   - before the WebAssembly is served: the frame is in the element's shadow
//     root with its viewer URL, and the viewer page has loaded in it;
//   - once the widget is ready: the same frame element is in the stage, not
//     loaded again (one `load`, the simulator saw one viewer request for its
//     nonce, spent once), the page's history is as it was, and the host got
//     one `cxreports:load`;
//   - refresh and switch then work, each in a new frame of the widget's own;
//   - options the loader's URL rule declines open no early frame (the widget
//     takes the nonce request over as before), and a frame whose URL is not
//     the widget's (the options changed before it was ready) is removed and
//     the report opened again with a fresh nonce;
//   - mount() does the same as the element;
//   - the move survives a stage laid out just before it (Chromium's renderer
//     crashes when a frame with a layout box moves into a laid-out size
//     container: the widget moves it hidden).
//
//   node e2e/early-frame.mjs     (the servers' addresses come from CXR_* as
//                                 scripts/test.sh exports them)
//
// CXR_DEBUG=1 prints the page's console and errors, and Chromium's log.
// The last line reads `early-frame: N passed, M failed`.
import { CHROMIUM, checks, requireInstalled, setting } from "./env.mjs";

const SIM = setting("CXR_SIM_URL");
const HOST = setting("CXR_HOST_URL");
const CDN = setting("CXR_CDN_URL");
const { chromium } = requireInstalled("playwright-core");
const TIMEOUT_MS = 20_000;
// A page of the host's origin (any address there: its content is written in
// by the check), so the page is in the address space of its servers.
const PAGE = `${HOST}/tests/pages/local.js`;

/** The host page: signs in, records the widget's events, then loads it. */
const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>early frame</title></head>
<body><div id="top"></div><script type="module">
  window.events = [];
  for (const kind of ["load", "select", "error", "ready"]) {
    document.addEventListener("cxreports:" + kind, (e) => events.push({ kind, report: e.detail?.report ?? null }));
  }
  await fetch("/auth/login", { method: "POST", headers: { "Content-Type": "application/json", "X-Requested-With": "early-frame-test" },
    body: JSON.stringify({ user: "early-frame" }) });
  window.historyAtStart = history.length;
  // The loader's frame is the one it puts at the top of the shadow root
  // (the widget's own frames are in its stage). Its loads are counted from
  // the moment it is inserted: a listener added later could miss the first.
  window.earlyLoads = 0;
  // The element opens its shadow root in a microtask after it is added.
  window.watchEarly = async (host) => {
    for (let i = 0; i < 10 && !host.shadowRoot; i++) await null;
    new MutationObserver((records) => {
      for (const frame of records.flatMap((r) => [...r.addedNodes])) {
        if (frame.localName !== "iframe" || window.earlyFrame) continue;
        frame.earlyMark = true;
        window.earlyFrame = frame;
        frame.addEventListener("load", () => { window.earlyLoads += 1; });
      }
    }).observe(host.shadowRoot, { childList: true });
  };
  window.widget = await import(${JSON.stringify(`${CDN}/dist/cxreports-widget.js`)});
  window.options = { cxreportsUrl: ${JSON.stringify(SIM)}, workspace: "sales", nonceUrl: "/api/cxreports/nonce",
    reportsUrl: "/api/cxreports/reports", report: "101" };
  ${body}
</script></body></html>`;

const ELEMENT = `
  const el = document.createElement("cx-report-viewer");
  el.id = "viewer";
  for (const [name, value] of Object.entries({ ...options, ...(window.extra ?? {}) })) {
    el.setAttribute(name.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()), value);
  }
  document.getElementById("top").append(el);
  await watchEarly(el);`;

const MOUNT = `
  const slot = document.createElement("div");
  slot.id = "viewer";
  document.getElementById("top").append(slot);
  window.handle = widget.mount(slot, options);
  await watchEarly(slot);`;

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", ...(process.env.CXR_DEBUG ? ["--enable-logging=stderr"] : [])] });
const run = checks("early-frame", { lines: 4 });

/** The simulator's log: every request and every nonce spent. */
async function simEvents() {
  const response = await fetch(`${SIM}/__sim/events`);
  if (!response.ok) throw new Error(`GET /__sim/events: ${response.status}`);
  return response.json();
}

/** How many viewer pages the simulator served for `nonce`. */
async function viewerRequests(nonce) {
  const events = await simEvents();
  return events.requests.filter((r) => r.path.endsWith("/preview")
    && new URLSearchParams(r.query ?? "").get("nonce") === nonce).length;
}

async function spentOnce(nonce) {
  const events = await simEvents();
  const count = (key) => (events[key] ?? []).filter((n) => n === nonce).length;
  return count("noncesConsumed") === 1 && count("noncesRejected") === 0;
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens the page (`body` after the widget's import), its WebAssembly held
 * back until `release()`; answers the page and what it needs. */
async function open(body, extra = {}, { layoutBeforeMove = false } = {}) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  if (layoutBeforeMove) {
    // Whatever the page does between the widget's render and the move (its
    // own scripts, a resize) may lay the new stage out first: here it always
    // does, right before each move.
    await tab.addInitScript(() => {
      const moveBefore = Element.prototype.moveBefore;
      Element.prototype.moveBefore = function (node, child) {
        this.getBoundingClientRect();
        return moveBefore.call(this, node, child);
      };
    });
  }
  if (process.env.CXR_DEBUG) tab.on("console", (m) => console.log("console:", m.text()));
  if (process.env.CXR_DEBUG) tab.on("pageerror", (e) => console.log("pageerror:", e.message));
  tab.setDefaultTimeout(TIMEOUT_MS);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let wasmServed = false;
  await tab.route("**/*_bg.wasm", async (route) => {
    await held;
    wasmServed = true;
    await route.continue();
  });
  // The viewer pages the frames loaded, and whether the WebAssembly had been served then.
  const viewerLoads = [];
  tab.on("framenavigated", (frame) => {
    if (frame.url().includes("/preview?nonce=")) {
      viewerLoads.push({ nonce: new URL(frame.url()).searchParams.get("nonce"), afterWasm: wasmServed });
    }
  });
  // The first nonce the page is given (null if none comes).
  const firstNonce = tab.waitForResponse((r) => r.url().endsWith("/api/cxreports/nonce"))
    .then((r) => r.json()).then((b) => b.nonce, () => null);
  await tab.goto(PAGE);
  await tab.setContent(page(`window.extra = ${JSON.stringify(extra)};${body}`));
  const shadowFrames = () => tab.evaluate(() => [...(document.getElementById("viewer")?.shadowRoot?.querySelectorAll("iframe") ?? [])]
    .map((f) => ({ src: f.getAttribute("src"), marked: f.earlyMark === true, inStage: Boolean(f.closest(".cxr-stage")), hidden: f.hidden, title: f.title })));
  const loadsOf = (kind) => tab.evaluate((k) => events.filter((e) => e.kind === k).map((e) => e.report), kind);
  const waitLoads = (count) => tab.waitForFunction((n) => events.filter((e) => e.kind === "load").length >= n, count);
  return { context, tab, release, viewerLoads, firstNonce, shadowFrames, loadsOf, waitLoads, wasmServed: () => wasmServed };
}

/** Waits for the loader's frame (before the WebAssembly is served), its
 * viewer page loaded (the page marked it and counts its loads). */
async function earlyFrame(t) {
  await t.tab.waitForFunction(() => window.earlyFrame?.getAttribute("src")?.includes("/preview?nonce="));
  const src = await t.tab.evaluate(() => earlyFrame.getAttribute("src"));
  // Its viewer page loads while the WebAssembly is still held back.
  const nonce = new URL(src).searchParams.get("nonce");
  await waitFor(() => t.viewerLoads.some((l) => l.nonce === nonce && !l.afterWasm), `the viewer page ${src} loading before the WebAssembly`);
  await t.tab.waitForFunction(() => earlyLoads === 1);
  assert(!t.wasmServed(), "the WebAssembly was served");
  assert(await t.tab.evaluate(() => widget.version === null), "the widget was ready");
  return src;
}

async function waitFor(condition, what) {
  for (let i = 0; i < TIMEOUT_MS / 50; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The adopted frame: the marked element, in the stage, loaded once. */
async function adopted(t, src) {
  await t.waitLoads(1);
  const frames = await t.shadowFrames();
  assert(frames.length === 1, `one frame in the shadow root: ${JSON.stringify(frames)}`);
  assert(frames[0].marked && frames[0].inStage && !frames[0].hidden, `the loader's frame is the stage's: ${JSON.stringify(frames)}`);
  assert(frames[0].src === src, `its address is the loader's: ${frames[0].src}`);
  // Sized as the stage, as the widget's own frame is.
  const [frame, stage] = await t.tab.evaluate(() => [earlyFrame, earlyFrame.closest(".cxr-stage")]
    .map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
  assert(frame[0] > 0 && frame[1] > 0 && JSON.stringify(frame) === JSON.stringify(stage), `the frame ${frame} fills the stage ${stage}`);
  const nonce = new URL(src).searchParams.get("nonce");
  assert(await viewerRequests(nonce) === 1, `one viewer request for the nonce, got ${await viewerRequests(nonce)}`);
  assert(await spentOnce(nonce), "the nonce was spent once");
  assert(await t.tab.evaluate(() => earlyLoads) === 1, "the frame loaded again once moved");
  assert(t.viewerLoads.filter((l) => l.nonce === nonce).length === 1, `the viewer page loaded once: ${JSON.stringify(t.viewerLoads)}`);
  assert(await t.tab.evaluate(() => history.length === historyAtStart), "the page's history grew");
  const loads = await t.loadsOf("load");
  assert(JSON.stringify(loads) === "[101]", `one cxreports:load for 101: ${JSON.stringify(loads)}`);
  return nonce;
}

await run.check("the element's first frame is the loader's, opened before the WebAssembly and adopted without loading again", async () => {
  const t = await open(ELEMENT);
  try {
    const src = await earlyFrame(t);
    assert(src.startsWith(`${SIM}/ws/sales/reports/101/preview?nonce=`), src);
    t.release();
    await adopted(t, src);
    const [{ title }] = await t.shadowFrames();
    // Refresh: a fresh nonce in a new frame of the widget's own.
    await t.tab.evaluate(() => document.getElementById("viewer").viewer.refresh());
    await t.waitLoads(2);
    let frames = await t.shadowFrames();
    assert(frames.length === 1 && !frames[0].marked && frames[0].inStage, `a new frame: ${JSON.stringify(frames)}`);
    // The adopted frame had the title the widget gives its own.
    assert(title && title === frames[0].title, `the adopted frame's title "${title}", the widget's own "${frames[0].title}"`);
    assert(frames[0].src !== src && frames[0].src.includes("/reports/101/preview?nonce="), frames[0].src);
    assert(await t.tab.evaluate(() => !earlyFrame.isConnected), "the loader's frame is gone");
    // Switch: another report, another new frame.
    await t.tab.evaluate(() => document.getElementById("viewer").viewer.select(102));
    await t.waitLoads(3);
    frames = await t.shadowFrames();
    assert(frames.length === 1 && frames[0].src.includes("/reports/102/preview?nonce="), JSON.stringify(frames));
    assert(JSON.stringify(await t.loadsOf("load")) === "[101,101,102]", JSON.stringify(await t.loadsOf("load")));
    assert(await t.tab.evaluate(() => history.length === historyAtStart), "the page's history grew");
  } finally {
    await t.context.close();
  }
});

await run.check("mount() adopts the loader's frame too", async () => {
  const t = await open(MOUNT);
  try {
    const src = await earlyFrame(t);
    t.release();
    await adopted(t, src);
    await t.tab.evaluate(() => handle.select(103));
    await t.waitLoads(2);
    const frames = await t.shadowFrames();
    assert(frames.length === 1 && !frames[0].marked && frames[0].src.includes("/reports/103/"), JSON.stringify(frames));
  } finally {
    await t.context.close();
  }
});

await run.check("the loader's frame survives a move into a stage laid out just before it", async () => {
  const t = await open(ELEMENT, {}, { layoutBeforeMove: true });
  try {
    const src = await earlyFrame(t);
    t.release();
    await adopted(t, src);
    await t.tab.evaluate(() => document.getElementById("viewer").viewer.select(102));
    await t.waitLoads(2);
    const frames = await t.shadowFrames();
    assert(frames.length === 1 && !frames[0].marked && frames[0].src.includes("/reports/102/"), JSON.stringify(frames));
  } finally {
    await t.context.close();
  }
});

await run.check("options the loader's rule declines open no early frame; the widget takes the nonce over", async () => {
  // `+30000` is a number the widget reads, which the loader's rule does not.
  const t = await open(ELEMENT, { nonceMaxAgeMs: "+30000" });
  try {
    const nonce = await t.firstNonce;
    assert(nonce, "the head start asked for a nonce");
    // The answer has been read by the page: still no frame with an address.
    await t.tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const before = await t.shadowFrames();
    assert(before.every((f) => !f.src), `no early frame: ${JSON.stringify(before)}`);
    t.release();
    await t.waitLoads(1);
    const frames = await t.shadowFrames();
    assert(frames.length === 1 && !frames[0].marked, JSON.stringify(frames));
    assert(new URL(frames[0].src).searchParams.get("nonce") === nonce, `the loader's nonce, taken over: ${frames[0].src}`);
    assert(await spentOnce(nonce), "the nonce was spent once");
    assert(t.viewerLoads.every((l) => l.afterWasm), "a viewer page loaded before the widget");
  } finally {
    await t.context.close();
  }
});

await run.check("a frame whose address is not the widget's is removed and the report opened again", async () => {
  const t = await open(ELEMENT);
  try {
    const src = await earlyFrame(t);
    // The options change before the widget is ready: its URL is another.
    await t.tab.evaluate(() => document.getElementById("viewer").setAttribute("theme", "dark"));
    t.release();
    await t.waitLoads(1);
    const frames = await t.shadowFrames();
    assert(frames.length === 1 && !frames[0].marked && frames[0].inStage, JSON.stringify(frames));
    assert(frames[0].src.includes("theme=dark") && frames[0].src !== src, frames[0].src);
    assert(await t.tab.evaluate(() => !earlyFrame.isConnected), "the loader's frame is gone");
    const early = new URL(src).searchParams.get("nonce");
    const fresh = new URL(frames[0].src).searchParams.get("nonce");
    assert(early !== fresh && await spentOnce(fresh), "a fresh nonce, spent once");
    assert(JSON.stringify(await t.loadsOf("load")) === "[101]", JSON.stringify(await t.loadsOf("load")));
  } finally {
    await t.context.close();
  }
});

await browser.close();
run.finish();
