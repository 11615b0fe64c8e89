// The secrets sweep: one headless Chromium session through the whole demo
// flow on a host page (sign in, list, pick, refresh, switch, new params, PDF,
// open in a new tab), recording every request and response the browser sees
// in every frame and page (URLs, raw request and response headers with their
// cookies, bodies). Then it asserts that the PAT appears nowhere the browser
// could reach, and that nonces stay where they belong: each one spent by
// exactly one viewer request, none in storage, cookies, logs or the host
// page's URL.
//
//   node e2e/secrets-sweep.mjs          (the servers' addresses and the PAT
//                                         come from CXR_* as test.sh exports them)
//   node e2e/secrets-sweep.mjs --plant dom|request|cookie|storage|session|url|console|reuse
//                                        plants one leak on purpose, to see
//                                        the sweep catch it (it must then fail)
//
// The last line reads `secrets-sweep: N passed, M failed (...)`; the exit
// status is 0 only when nothing was found.
import { CHROMIUM, requireInstalled, setting } from "./env.mjs";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PLANTS = ["dom", "request", "cookie", "storage", "session", "url", "console", "reuse"];

// ---- settings ----------------------------------------------------------------

const args = process.argv.slice(2);
let plant = null;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--plant" && PLANTS.includes(args[i + 1])) plant = args[++i];
  else throw new Error(`unknown argument ${args[i]} (the only one is --plant ${PLANTS.join("|")})`);
}

const PAT = setting("CXR_TEST_PAT");
const SIM = setting("CXR_SIM_URL");
const BACKEND = setting("CXR_BACKEND_URL");
const STATIC = setting("CXR_STATIC_URL");
const CDN = setting("CXR_CDN_URL");
const STEP_TIMEOUT_MS = 20_000;
if (PAT.length < 16) throw new Error("CXR_TEST_PAT is too short to sweep for without false alarms");

const { chromium } = requireInstalled("playwright-core");

// ---- what to look for ------------------------------------------------------------

/** Every spelling of `secret` a careless server or page could produce: as is,
 * URL-encoded, JSON-escaped (the same for these characters), and base64 /
 * base64url at each of the three alignments (as inside `Basic` credentials). */
function spellings(secret) {
  const out = new Set([secret, encodeURIComponent(secret)]);
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.from("x".repeat(shift) + secret).toString("base64").replace(/=+$/, "");
    // Drop the characters the prefix and the unknown tail can change.
    const stable = encoded.slice(Math.ceil((shift * 4) / 3), encoded.length - 2);
    out.add(stable);
    out.add(stable.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...out];
}

const PAT_SPELLINGS = spellings(PAT);
// The random tail alone: a server that stripped the prefix would still leak.
const patTail = PAT.replace(/^cxr_pat_[a-z]+_/, "");
if (patTail.length >= 16 && patTail !== PAT) PAT_SPELLINGS.push(patTail);

/** Where, in `haystacks` ({where, text}), any of `needles` occurs. */
function findings(haystacks, needles) {
  const found = [];
  for (const { where, text } of haystacks) {
    const s = typeof text === "string" ? text : text.toString("latin1");
    for (const needle of needles) {
      const at = s.indexOf(needle);
      if (at >= 0) found.push(`${where}: …${s.slice(Math.max(0, at - 40), at + needle.length + 20)}…`);
    }
  }
  return found;
}

// ---- the record --------------------------------------------------------------------

const requests = []; // { url, method, resourceType, frame, headers, body }
const responses = []; // { url, status, headers, body, bodyError }
const consoleLines = [];
const pending = new Set();
let inFlight = 0;
let lastActivity = Date.now();

function track(promise) {
  pending.add(promise);
  promise.finally(() => pending.delete(promise));
}

/** `promise`, or `fallback` after `ms`: DevTools never sends raw headers for
 * some requests (blob: URLs, for one), and Playwright would wait for them. */
function within(ms, promise, fallback) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((resolve) => { timer = setTimeout(() => resolve(fallback()), ms); }),
  ]);
}

function headerText(headers) {
  return headers.map(({ name, value }) => `${name}: ${value}`).join("\n");
}

function watch(context) {
  context.on("request", (request) => {
    inFlight += 1;
    lastActivity = Date.now();
    track((async () => {
      const entry = {
        url: request.url(),
        method: request.method(),
        resourceType: request.resourceType(),
        frame: safe(() => request.frame().url(), "(no frame)"),
        headers: [],
        body: request.postDataBuffer() ?? Buffer.alloc(0),
      };
      requests.push(entry);
      // Raw headers as sent, cookies included (DevTools' ExtraInfo events).
      const parsed = () => Object.entries(request.headers()).map(([name, value]) => ({ name, value }));
      entry.headers = await within(5_000, request.headersArray().catch(parsed), () => {
        entry.rawHeadersMissing = true;
        return parsed();
      });
    })());
  });
  const settle = () => {
    inFlight = Math.max(0, inFlight - 1);
    lastActivity = Date.now();
  };
  context.on("requestfinished", settle);
  context.on("requestfailed", (request) => {
    settle();
    responses.push({ url: request.url(), status: 0, headers: [], body: Buffer.alloc(0), bodyError: request.failure()?.errorText });
  });
  context.on("response", (response) => {
    track((async () => {
      const entry = { url: response.url(), status: response.status(), headers: [], body: Buffer.alloc(0), bodyError: null };
      responses.push(entry);
      const parsed = () => Object.entries(response.headers()).map(([name, value]) => ({ name, value }));
      entry.headers = await within(5_000, response.headersArray().catch(parsed), () => {
        entry.rawHeadersMissing = true;
        return parsed();
      });
      const redirect = response.status() >= 300 && response.status() < 400;
      if (!redirect && response.status() !== 204) {
        try {
          entry.body = await within(10_000, response.body(), () => Promise.reject(new Error("no body within 10 s")));
        } catch (error) {
          entry.bodyError = String(error.message ?? error).split("\n")[0];
        }
      }
    })());
  });
  context.on("console", (message) => consoleLines.push({ url: message.location()?.url ?? "", text: message.text() }));
  context.on("weberror", (error) => consoleLines.push({ url: "(page error)", text: String(error.error()) }));
}

const started = Date.now();
function step(what) {
  process.stderr.write(`\x1b[2msecrets-sweep: ${((Date.now() - started) / 1000).toFixed(1)} s ${what}\x1b[0m\n`);
}

function safe(f, fallback) {
  try {
    return f();
  } catch {
    return fallback;
  }
}

async function quiet(ms = 750, limit = 10_000) {
  const until = Date.now() + limit;
  while (Date.now() < until) {
    if (inFlight === 0 && Date.now() - lastActivity >= ms) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.allSettled([...pending]);
}

// ---- the checks -------------------------------------------------------------------

const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok: Boolean(ok), detail });
  const mark = ok ? "\x1b[32mok\x1b[0m  " : "\x1b[31mFAIL\x1b[0m";
  console.log(`${mark} ${name}${detail ? ` — ${detail}` : ""}`);
}

function list(found, max = 5) {
  return found.length ? `${found.length} found: ${found.slice(0, max).join(" | ")}` : "";
}

// ---- the flow ----------------------------------------------------------------------

async function sim(method, path) {
  const response = await fetch(`${SIM}${path}`, { method });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

async function main() {
  await sim("DELETE", "/__sim/events");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
  const downloads = [];
  const popups = [];
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    watch(context);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.on("download", (download) => downloads.push(download));
    context.on("page", (p) => p !== page && popups.push(p));

    const events = (name) => page.evaluate((n) => window.sweep.events.filter((e) => e.name === n).length, name);
    const waitEvents = (name, count) => page.waitForFunction(
      ([n, c]) => window.sweep?.failure || window.sweep.events.filter((e) => e.name === n).length >= c,
      [name, count],
    );
    const hostUrl = `${STATIC}/tests/pages/secrets-sweep.html?` + new URLSearchParams({
      backend: BACKEND, cxreports: SIM, widget: `${CDN}/dist`,
    });

    // Sign in, the widget mounts and lists the reports.
    step("sign in and list");
    await page.goto(hostUrl);
    await page.waitForFunction(() => window.sweep && (window.sweep.failure || window.sweep.handle));
    await waitEvents("ready", 1);
    const options = page.locator("#reports [role=option]");
    await options.first().waitFor();
    const ids = await options.evaluateAll((els) => els.map((el) => el.dataset.reportId));
    check("the widget listed the reports", ids.length >= 2, `${ids.length} reports`);

    // Pick one in the picker: the viewer loads in the iframe.
    step("pick");
    await options.nth(0).click();
    await waitEvents("load", 1);
    // Refresh from the toolbar: a fresh nonce.
    step("refresh");
    await page.getByRole("button", { name: "Refresh", exact: true }).click();
    await waitEvents("load", 2);
    // Switch report and change the params through the JS handle.
    step("switch");
    const second = ids.find((id) => id !== ids[0]);
    await page.evaluate((id) => window.sweep.handle.select(Number(id)), second);
    await waitEvents("load", 3);
    step("setParams");
    await page.evaluate(() => window.sweep.handle.setParams({ year: 2025, region: "Zürich" }));
    await waitEvents("load", 4);
    // The PDF, through the host backend.
    step("PDF");
    await page.getByRole("button", { name: "PDF", exact: true }).click();
    await page.waitForFunction(() => true);
    const pdfDeadline = Date.now() + STEP_TIMEOUT_MS;
    while (downloads.length === 0 && Date.now() < pdfDeadline) await new Promise((r) => setTimeout(r, 50));
    // Open in a new tab: one more fresh nonce, in another page.
    step("new tab");
    await page.getByRole("button", { name: "Open in new tab", exact: true }).click();
    const popupDeadline = Date.now() + STEP_TIMEOUT_MS;
    while (popups.length === 0 && Date.now() < popupDeadline) await new Promise((r) => setTimeout(r, 50));
    if (popups[0]) await popups[0].waitForLoadState("load").catch(() => {});
    await quiet();

    const viewer = page.frames().find((f) => f !== page.mainFrame() && f.url().includes("/preview"));
    const shown = viewer
      ? await viewer.evaluate(() => ({
        id: document.documentElement.dataset.reportId,
        params: document.getElementById("params")?.textContent ?? "",
      })).catch((e) => ({ error: String(e) }))
      : null;
    check(
      "the flow ran: pick, refresh, switch, new params",
      (await events("load")) >= 4 && shown?.id === second && shown.params.includes("2025"),
      `${await events("load")} loads; the iframe shows report ${shown?.id} with ${shown?.params?.trim()}`,
    );
    const failure = await page.evaluate(() => window.sweep.failure);
    const errors = await page.evaluate(() => window.sweep.events.filter((e) => e.name === "error"));
    check("no widget error and no host page failure", !failure && errors.length === 0, failure ?? (errors.length ? JSON.stringify(errors) : ""));

    const pdfAnswers = responses.filter((r) => new URL(r.url).origin === BACKEND && /\/reports\/[^/]+\/pdf$/.test(new URL(r.url).pathname));
    let pdfBytes = Buffer.alloc(0);
    if (downloads[0]) {
      const path = await downloads[0].path().catch(() => null);
      if (path) pdfBytes = readFileSync(path);
    }
    check(
      "the PDF came through the host backend",
      pdfAnswers.some((r) => r.status === 200) && pdfBytes.subarray(0, 5).toString() === "%PDF-",
      `${pdfAnswers.length} PDF answer(s), download of ${pdfBytes.length} bytes`,
    );
    check("the new tab opened the viewer", popups[0] && popups[0].url().includes("/preview?"), popups[0] ? new URL(popups[0].url()).pathname : "no popup");

    if (plant) await plantLeak(page, plant);
    await quiet();

    // ---- what the page, its frames and the browser hold at the end ----
    step("collect");
    const host = await page.evaluate(() => {
      const roots = [];
      const values = [];
      const walk = (node) => {
        for (const el of node.querySelectorAll("*")) {
          if (typeof el.value === "string" && el.value) values.push(el.value);
          if (el.shadowRoot) {
            roots.push(el.shadowRoot);
            walk(el.shadowRoot);
          }
        }
      };
      walk(document);
      let html;
      try {
        html = document.documentElement.getHTML({ serializableShadowRoots: true, shadowRoots: roots });
      } catch {
        html = document.documentElement.outerHTML;
      }
      const dump = (storage) => JSON.stringify(Object.fromEntries(Object.keys(storage).map((k) => [k, storage.getItem(k)])));
      return {
        html,
        shadow: roots.map((r) => r.innerHTML),
        values,
        cookie: document.cookie,
        local: dump(localStorage),
        session: dump(sessionStorage),
        href: location.href,
      };
    });
    const frameDoms = [];
    for (const p of [page, ...popups]) {
      for (const frame of p.frames()) {
        if (p === page && frame === page.mainFrame()) continue;
        const html = await frame.content().catch(() => "");
        const storage = await frame.evaluate(() => JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } })).catch(() => "");
        frameDoms.push({ where: `frame ${frame.url()}`, text: html }, { where: `storage of frame ${frame.url()}`, text: storage });
      }
    }
    const state = await context.storageState();
    const jar = state.cookies.map((c) => `${c.domain}${c.path} ${c.name}=${c.value}`).join("\n");
    const originsStorage = JSON.stringify(state.origins);

    // ---- the PAT: nowhere ----
    const requestHay = requests.map((r) => ({
      where: `request ${r.method} ${r.url}`,
      text: `${r.method} ${r.url}\n${headerText(r.headers)}\n\n${r.body.toString("latin1")}`,
    }));
    const responseHay = responses.map((r) => ({
      where: `response ${r.status} ${r.url}`,
      text: `${r.status} ${r.url}\n${headerText(r.headers)}\n\n${r.body.toString("latin1")}`,
    }));
    const hostDomHay = [
      { where: "host DOM", text: host.html },
      ...host.shadow.map((text, i) => ({ where: `shadow root ${i}`, text })),
      ...host.values.map((text, i) => ({ where: `form value ${i}`, text })),
    ];
    const hostStorageHay = [
      { where: "document.cookie", text: host.cookie },
      { where: "localStorage", text: host.local },
      { where: "sessionStorage", text: host.session },
      { where: "the host page URL", text: host.href },
    ];
    const browserHay = [
      { where: "the cookie jar (HttpOnly included)", text: jar },
      { where: "localStorage of every origin", text: originsStorage },
    ];
    const consoleHay = consoleLines.map((l, i) => ({ where: `console ${i} (${l.url})`, text: l.text }));
    const downloadHay = [{ where: "the downloaded PDF", text: pdfBytes }];

    const scanned = [requestHay, responseHay, hostDomHay, hostStorageHay, frameDoms, browserHay, consoleHay, downloadHay]
      .flat()
      .reduce((n, { text }) => n + Buffer.byteLength(typeof text === "string" ? text : text.toString("latin1"), "latin1"), 0);

    check("PAT in no request (URL, headers, cookies, body)", findings(requestHay, PAT_SPELLINGS).length === 0, list(findings(requestHay, PAT_SPELLINGS)));
    check("PAT in no response (status, headers, Set-Cookie, body)", findings(responseHay, PAT_SPELLINGS).length === 0, list(findings(responseHay, PAT_SPELLINGS)));
    check("PAT not in the final DOM (shadow root and form values included)", findings(hostDomHay, PAT_SPELLINGS).length === 0, list(findings(hostDomHay, PAT_SPELLINGS)));
    check("PAT not in the frames' DOM or storage (viewer iframe, new tab)", findings(frameDoms, PAT_SPELLINGS).length === 0, list(findings(frameDoms, PAT_SPELLINGS)));
    check("PAT not in document.cookie, localStorage, sessionStorage, the page URL", findings(hostStorageHay, PAT_SPELLINGS).length === 0, list(findings(hostStorageHay, PAT_SPELLINGS)));
    check("PAT not in the browser's cookie jar or any origin's storage", findings(browserHay, PAT_SPELLINGS).length === 0, list(findings(browserHay, PAT_SPELLINGS)));
    check("PAT not in console output or the downloaded PDF", findings([...consoleHay, ...downloadHay], PAT_SPELLINGS).length === 0, list(findings([...consoleHay, ...downloadHay], PAT_SPELLINGS)));

    // ---- nonces: each spent once, in a viewer request; nowhere else ----
    const minted = [];
    for (const r of responses) {
      if (new URL(r.url).origin === BACKEND && new URL(r.url).pathname === "/api/cxreports/nonce" && r.status === 200) {
        const nonce = safe(() => JSON.parse(r.body.toString("utf8")).nonce, null);
        if (typeof nonce === "string" && nonce) minted.push(nonce);
      }
    }
    const previews = requests.filter((r) => /\/ws\/[^/]+\/reports\/[^/]+\/preview$/.test(new URL(r.url).pathname));
    const previewNonces = previews.map((r) => new URL(r.url).searchParams.get("nonce")).filter(Boolean);
    const srcNonces = [...host.shadow.join("\n").matchAll(/[?&;]nonce=([^&"'\s]+)/g)].map((m) => decodeURIComponent(m[1]));
    const all = [...new Set([...minted, ...previewNonces, ...srcNonces])];
    const uses = (n) => previewNonces.filter((p) => p === n).length;
    const reused = all.filter((n) => uses(n) > 1);
    const unused = minted.filter((n) => uses(n) === 0);
    const foreign = previewNonces.filter((n) => !minted.includes(n));
    check(
      "each nonce opened exactly one viewer request",
      all.length >= 5 && reused.length === 0 && foreign.length === 0 && unused.length <= 1,
      `${all.length} nonces, ${previews.length} viewer requests, ${unused.length} unused (the prefetched spare)` +
        (reused.length ? `; used more than once: ${reused.map((n) => `${n.slice(0, 8)}… ×${uses(n)}`).join(", ")}` : "") +
        (foreign.length ? `; not from the nonce endpoint: ${foreign.length}` : ""),
    );
    const simEvents = await sim("GET", "/__sim/events");
    const consumed = new Set(simEvents.noncesConsumed);
    check(
      "CxReports saw the same: every viewer nonce spent once, none refused, no Authorization outside /api/",
      previewNonces.every((n) => consumed.has(n)) && simEvents.noncesRejected.length === 0 && simEvents.viewerRequestsWithAuthorization === 0,
      `${consumed.size} spent, ${simEvents.noncesRejected.length} refused, ${simEvents.viewerRequestsWithAuthorization} viewer requests with Authorization`,
    );
    const nonceStorage = findings(hostStorageHay, all);
    check("no nonce in document.cookie, localStorage, sessionStorage or the host page URL", nonceStorage.length === 0, list(nonceStorage));
    const nonceElsewhere = findings([...browserHay, ...consoleHay], all);
    check("no nonce in the cookie jar, any origin's storage, or console output", nonceElsewhere.length === 0, list(nonceElsewhere));
    const hostOrigins = new Set([BACKEND, STATIC, CDN]);
    const toHost = requestHay.filter((_, i) => hostOrigins.has(new URL(requests[i].url).origin));
    const nonceToHost = findings(toHost, all);
    check("no nonce sent back to the host page's or backend's origins", nonceToHost.length === 0, list(nonceToHost));
    const mainFrameUrls = requests.filter((r) => r.resourceType === "document" && r.frame.startsWith(STATIC));
    const hostNavs = findings(mainFrameUrls.map((r) => ({ where: `navigation ${r.url}`, text: r.url })), all);
    check("the host page never navigated to a URL with a nonce", hostNavs.length === 0, list(hostNavs));

    const unread = responses.filter((r) => r.bodyError && r.status !== 0);
    const rawMissing = [...requests, ...responses].filter((r) => r.rawHeadersMissing && !r.url.startsWith("blob:"));
    check(
      "every answer was recorded whole: raw headers and body",
      responses.length > 0 && unread.length === 0 && rawMissing.length === 0,
      list([...unread.map((r) => `no body: ${r.status} ${r.url} (${r.bodyError})`), ...rawMissing.map((r) => `no raw headers: ${r.url}`)]),
    );

    const referers = requests.filter((r) => r.headers.some(({ name, value }) => name.toLowerCase() === "referer" && all.some((n) => value.includes(n))));

    const figures = {
      requests: requests.length,
      responses: responses.length,
      rawHeadersMissing: [...requests, ...responses].filter((r) => r.rawHeadersMissing).map((r) => r.url),
      bodiesUnread: responses.filter((r) => r.bodyError).map((r) => `${r.status} ${r.url}: ${r.bodyError}`),
      bytesScanned: scanned,
      noncesSeen: all.length,
      viewerRequests: previews.length,
      unusedNonces: unused.length,
      spentNoncesInReferer: referers.map((r) => r.url),
      frames: page.frames().length,
      popups: popups.length,
      pdfBytes: pdfBytes.length,
      console: consoleLines.slice(0, 20),
      recorded: requests.map((r) => `${r.method} ${r.url.replace(/nonce=[^&]+/, "nonce=…")} (${r.resourceType}, from ${r.frame.replace(/\?.*/, "")})`),
      plant,
    };
    mkdirSync(join(root, "target"), { recursive: true });
    writeFileSync(join(root, "target/secrets-sweep.json"), JSON.stringify({ figures, results }, null, 2));
    return figures;
  } finally {
    await browser.close().catch(() => {});
  }
}

/** Plants one leak on purpose (`--plant`), to prove the sweep sees it. */
async function plantLeak(page, kind) {
  const nonce = responses
    .filter((r) => r.url.endsWith("/api/cxreports/nonce") && r.status === 200)
    .map((r) => safe(() => JSON.parse(r.body.toString()).nonce, null))
    .find(Boolean);
  console.log(`(planting a ${kind} leak)`);
  await page.evaluate(async ([kind, pat, nonce, backend]) => {
    const shadow = document.getElementById("reports").shadowRoot;
    switch (kind) {
      case "dom": shadow.append(Object.assign(document.createElement("span"), { textContent: pat })); break;
      case "request": await fetch(`${backend}/healthz?t=${pat}`).catch(() => {}); break;
      case "cookie": document.cookie = `leak=${nonce}`; break;
      case "storage": localStorage.setItem("leak", nonce); break;
      case "session": sessionStorage.setItem("leak", nonce); break;
      case "url": history.replaceState(null, "", `${location.pathname}${location.search}&n=${nonce}`); break;
      case "console": console.log(`nonce ${nonce}`); break;
      case "reuse": {
        const frame = shadow.querySelector("iframe");
        frame.src = `${frame.src}&again=1`;
        await new Promise((r) => frame.addEventListener("load", r, { once: true }));
        break;
      }
    }
  }, [kind, PAT, nonce, BACKEND]);
}

const deadline = setTimeout(() => {
  console.error("secrets-sweep: gave up after 150 s");
  process.exit(2);
}, 150_000);

try {
  const figures = await main();
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    `secrets-sweep: ${results.length - failed} passed, ${failed} failed ` +
      `(${figures.requests} requests and ${figures.responses} responses recorded, ` +
      `${figures.bytesScanned} bytes scanned, ${figures.noncesSeen} nonces seen, ` +
      `${figures.viewerRequests} viewer requests, ${figures.frames} frames + ${figures.popups} tab${plant ? `; planted: ${plant}` : ""})`,
  );
  clearTimeout(deadline);
  process.exit(failed === 0 ? 0 : 1);
} catch (error) {
  const failed = results.filter((r) => !r.ok).length;
  console.error(error?.stack ?? error);
  console.log(`secrets-sweep: ${results.length - failed} passed, ${failed + 1} failed (the flow broke: ${String(error?.message ?? error).split("\n")[0]})`);
  process.exit(1);
}
