// CxReports on another site than the host page, as readers see it: headless
// Chromium with third-party cookies blocked, a host page on 127.0.0.1 (its
// backend under its own origin) and the simulator reached as localhost, a
// different site. It checks
//   - the widget's warning: one `cxreports:warning` (kind `cross-site`) and
//     one console warning per page, however many widgets, none same-site;
//   - what the reader sees: the report's first page (the nonce signs it in),
//     then, on the reader's next step inside the frame, CxReports' sign-in
//     page, because the session cookie was blocked; with the cookie set
//     `Partitioned` the next step works; with third-party cookies allowed
//     it works too (so the blocking is what broke it);
//   - "Open in new tab" still shows the report, top-level, and its next page.
// Then it measures, through the DevTools protocol, whether the frame's
// first request reuses the connection a <link rel="preconnect"> opened
// (Network.responseReceived: connectionReused), same-site and cross-site,
// with one and without, and checks that the widget adds its own only
// same-site (cross-site it was never reused).
//
//   node e2e/cross-site.mjs      (the servers' addresses come from CXR_* as
//                                 scripts/test.sh exports them)
//
// The last line reads `cross-site: N passed, M failed`; the figures of the
// measurement are printed before it and written to target/cross-site.json.
import { CHROMIUM, checks, requireInstalled, setting } from "./env.mjs";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const SIM = setting("CXR_SIM_URL");
const HOST = setting("CXR_HOST_URL");
const CDN = setting("CXR_CDN_URL");
const { chromium } = requireInstalled("playwright-core");
const TIMEOUT_MS = 20_000;

// The same simulator under another site's name: 127.0.0.1 and localhost are
// different sites.
const OTHER_SITE_SIM = SIM.replace("//127.0.0.1:", "//localhost:");
if (OTHER_SITE_SIM === SIM) throw new Error(`CXR_SIM_URL=${SIM} is not on 127.0.0.1: this check reaches it as localhost`);

const pageUrl = (cxreports, extra = {}) =>
  `${HOST}/tests/pages/cross-site.html?` + new URLSearchParams({ cxreports, widget: `${CDN}/dist`, ...extra });

async function sessionCookie(sameSite, partitioned) {
  const response = await fetch(`${SIM}/__sim/session-cookie`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ sameSite, partitioned }),
  });
  if (!response.ok) throw new Error(`POST /__sim/session-cookie: ${response.status} ${await response.text()}`);
}

/** A fresh regular (not incognito: incognito blocks third-party cookies
 * whatever the setting) profile, with its own cookies and connection pools. */
async function launch({ blockThirdPartyCookies, siteIsolation = true }) {
  const args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"];
  // Chromium's switch for blocking third-party cookies as when the reader
  // turned them off.
  if (blockThirdPartyCookies) args.push("--test-third-party-cookie-phaseout");
  // One process for the page and its frames, so that one DevTools session
  // sees the frames' requests too (connection pools do not depend on it).
  if (!siteIsolation) args.push("--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process");
  const profile = mkdtempSync(join(tmpdir(), "cxr-cross-site-"));
  // The profile's own cookie setting, as the reader's settings page sets it
  // (0: allow third-party cookies, 1: block them).
  mkdirSync(join(profile, "Default"), { recursive: true });
  writeFileSync(join(profile, "Default/Preferences"), JSON.stringify({
    profile: { cookie_controls_mode: blockThirdPartyCookies ? 1 : 0, block_third_party_cookies: blockThirdPartyCookies },
  }));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
  const close = context.close.bind(context);
  context.close = async () => { await close(); rmSync(profile, { recursive: true, force: true }); };
  return context;
}

/** Opens the host page in a fresh context; answers the page, its console
 * lines, and a function waiting for `count` events named `name`. */
async function open(options, url) {
  const context = await launch(options);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push({ type: message.type(), text: message.text(), url: message.location().url }));
  await page.goto(url);
  const events = (name) => page.evaluate((n) => (window.cross?.events ?? []).filter((e) => e.name === n), name);
  const waitEvents = (name, count) => page.waitForFunction(
    ([n, c]) => window.cross?.failure || (window.cross?.events ?? []).filter((e) => e.name === n).length >= c,
    [name, count],
  );
  return { context, page, consoleLines, events, waitEvents };
}

/** The frame of the widget in `slot`, once its viewer shows a report. */
async function viewerFrame(page, slot) {
  const handle = await page.locator(`#${slot} iframe`).elementHandle();
  const frame = await handle.contentFrame();
  await frame.locator("#report-name").waitFor();
  return frame;
}

/** Clicks the viewer's own link to its next page; answers what the frame
 * then shows: "page 2", or "sign-in" for CxReports' sign-in page. */
async function nextPage(frame) {
  await Promise.all([frame.waitForNavigation(), frame.locator("#next-page").click()]);
  if (await frame.locator("#login-form").count()) return "sign-in";
  const title = await frame.title();
  return /page 2/.test(title) ? "page 2" : `something else: ${title}`;
}

const ours = (lines) => lines.filter((l) => l.text.startsWith("cxreports-widget:"));
const expect = (what, ok, detail) => { if (!ok) throw new Error(`${what}: ${detail}`); };

const run = checks("cross-site", { lines: 3 });
const figures = {};

const blocked = { blockThirdPartyCookies: true };
const allowed = { blockThirdPartyCookies: false };
{
  await run.check("blocked third-party cookies: one warning per page, the first page shows, the next step meets the sign-in page", async () => {
    await sessionCookie("none", false);
    const { context, page, consoleLines, events, waitEvents } = await open(blocked, pageUrl(OTHER_SITE_SIM));
    await waitEvents("load", 2);
    const failure = await page.evaluate(() => window.cross.failure);
    expect("the page ran", !failure, failure);
    const warnings = await events("warning");
    expect("one cxreports:warning for two widgets", warnings.length === 1, JSON.stringify(warnings));
    const [{ detail }] = warnings;
    expect("kind cross-site", detail.kind === "cross-site", JSON.stringify(detail));
    expect("names the CxReports origin", detail.cxreportsOrigin === OTHER_SITE_SIM, detail.cxreportsOrigin);
    expect("points to the remedies", /Partitioned/.test(detail.message) && /subdomain/.test(detail.message), detail.message);
    const logged = ours(consoleLines);
    expect("one console warning", logged.length === 1 && logged[0].type === "warning", JSON.stringify(logged));
    expect("no widget error", (await events("error")).length === 0, JSON.stringify(await events("error")));
    const frame = await viewerFrame(page, "first");
    const name = await frame.locator("#report-name").textContent();
    expect("the first page shows the report", name.trim().length > 0, name);
    figures.blockedNextStep = await nextPage(frame);
    expect("the next step meets the sign-in page", figures.blockedNextStep === "sign-in", figures.blockedNextStep);

    // "Open in new tab": top-level, where the cookie is first-party.
    const newTab = () => page.locator("#second").getByRole("button", { name: /new tab/i }).first();
    if (!(await newTab().isVisible())) {
      await page.locator("#second").getByRole("button", { name: /more actions/i }).first().click();
    }
    expect("the new-tab action is there", await newTab().isEnabled(), "disabled");
    const [tab] = await Promise.all([context.waitForEvent("page"), newTab().click()]);
    await tab.locator("#report-name").waitFor();
    expect("the tab is CxReports, top-level", tab.url().startsWith(OTHER_SITE_SIM), tab.url());
    figures.newTabNextStep = await nextPage(tab.mainFrame());
    expect("the tab's next page shows", figures.newTabNextStep === "page 2", figures.newTabNextStep);
    await context.close();
  });

  await run.check("blocked third-party cookies, a Partitioned session cookie: the next step works", async () => {
    await sessionCookie("none", true);
    const { context, page, waitEvents } = await open(blocked, pageUrl(OTHER_SITE_SIM));
    await waitEvents("load", 2);
    figures.partitionedNextStep = await nextPage(await viewerFrame(page, "first"));
    expect("page 2 shows", figures.partitionedNextStep === "page 2", figures.partitionedNextStep);
    await context.close();
  });

  await run.check("same-site CxReports: no warning, a clean console", async () => {
    await sessionCookie("lax", false);
    const { context, page, consoleLines, events, waitEvents } = await open(blocked, pageUrl(SIM));
    await waitEvents("load", 2);
    expect("no cxreports:warning", (await events("warning")).length === 0, JSON.stringify(await events("warning")));
    // The browser's own request for a favicon the test server has not is not the page's.
    const noisy = consoleLines.filter((l) => (l.type === "warning" || l.type === "error") && !l.url.endsWith("/favicon.ico"));
    expect("nothing on the console", noisy.length === 0, JSON.stringify(noisy));
    figures.sameSiteNextStep = await nextPage(await viewerFrame(page, "first"));
    expect("page 2 shows", figures.sameSiteNextStep === "page 2", figures.sameSiteNextStep);
    await context.close();
  });

  await run.check("third-party cookies allowed (control): the same cross-site page's next step works", async () => {
    await sessionCookie("none", false);
    const { context, page, waitEvents, events } = await open(allowed, pageUrl(OTHER_SITE_SIM));
    await waitEvents("load", 2);
    expect("still warned (other readers' browsers block)", (await events("warning")).length === 1, "");
    figures.allowedNextStep = await nextPage(await viewerFrame(page, "first"));
    expect("page 2 shows", figures.allowedNextStep === "page 2", figures.allowedNextStep);
    await context.close();
  });
}

await run.check("the widget warms the connection same-site only", async () => {
  for (const [cxreports, want] of [[SIM, 1], [OTHER_SITE_SIM, 0]]) {
    const { context, page, waitEvents } = await open(allowed, pageUrl(cxreports));
    await waitEvents("load", 2);
    const links = await page.evaluate(() => document.querySelectorAll("link[rel=preconnect]").length);
    await context.close();
    expect(`preconnect links for ${cxreports}`, links === want, `${links}, not ${want}`);
  }
});

// ---- the preconnect, measured ------------------------------------------------------------

const ROUNDS = Number(process.env.CXR_PRECONNECT_ROUNDS ?? 10);
try {
  await sessionCookie("none", false);
  figures.preconnect = {};
  for (const [setup, cxreports] of [["same-site", SIM], ["cross-site", OTHER_SITE_SIM]]) {
    for (const preconnect of ["page", "off"]) {
      const rounds = [];
      for (let i = 0; i < ROUNDS; i += 1) {
        // A fresh profile: its own connection pools, nothing learnt.
        const context = await launch({ blockThirdPartyCookies: false, siteIsolation: false });
        const page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        const cdp = await context.newCDPSession(page);
        await cdp.send("Network.enable");
        const previews = [];
        cdp.on("Network.responseReceived", ({ type, response }) => {
          if (type === "Document" && response.url.includes("/preview?")) {
            const t = response.timing ?? {};
            previews.push({
              reused: response.connectionReused,
              connectionId: response.connectionId,
              connectMs: t.connectStart >= 0 ? t.connectEnd - t.connectStart : 0,
            });
          }
        });
        await page.goto(pageUrl(cxreports, { preconnect }));
        await page.waitForFunction(() => window.cross?.failure || window.cross?.events.filter((e) => e.name === "load").length >= 2);
        const links = await page.evaluate(() => document.querySelectorAll("link[rel=preconnect]").length);
        rounds.push({ links, first: previews[0] });
        await context.close();
      }
      const reused = rounds.filter((r) => r.first?.reused).length;
      figures.preconnect[`${setup}, preconnect ${preconnect}`] = { rounds: ROUNDS, firstFrameRequestReused: reused, details: rounds };
      console.log(`preconnect: ${setup}, preconnect ${preconnect}: the frame's first request reused a connection in ${reused} of ${ROUNDS}`);
    }
  }
  await run.check("the preconnect measurement ran", async () => {
    const all = Object.values(figures.preconnect).flatMap((f) => f.details);
    expect("every round saw the frame's request", all.every((r) => r.first), JSON.stringify(all));
    const pageLinks = Object.entries(figures.preconnect)
      .filter(([name]) => name.endsWith("page")).flatMap(([, f]) => f.details.map((r) => r.links));
    expect("the page's preconnect was in place", pageLinks.every((n) => n === 1), JSON.stringify(pageLinks));
  });
} finally {
  await sessionCookie("lax", false).catch(() => {});
}

mkdirSync(join(root, "target"), { recursive: true });
writeFileSync(join(root, "target/cross-site.json"), JSON.stringify(figures, null, 2));
run.finish();
