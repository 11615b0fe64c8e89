// The Next.js example (examples/nextjs) as `next start` serves it, its own
// route handlers the host backend, driven in headless Chromium against the
// simulator: the server-rendered page with the widget, the demo sign-in, the
// list, a report chosen as a person would (its name in the heading and the
// tab's title, its address in the URL), /reports/{id} opening that report,
// and a client-side route change (next/link) that removes the widget and
// everything it started. Not one console error or hydration warning on the
// way, and the PAT in no byte the browser received or kept.
//
//   node e2e/nextjs.mjs     (CXR_NEXT_URL, CXR_SIM_URL and CXR_TEST_PAT as
//                            scripts/nextjs.sh exports them)
//
// The last line reads `nextjs: N passed, M failed`.
import { CHROMIUM, checks, requireInstalled, setting } from "./env.mjs";

const APP = setting("CXR_NEXT_URL");
const SIM = setting("CXR_SIM_URL");
const PAT = setting("CXR_TEST_PAT");
const { chromium } = requireInstalled("playwright-core");
const WAIT_MS = 20_000;
if (PAT.length < 16) throw new Error("CXR_TEST_PAT is too short to look for without false alarms");

/** The PAT as is, URL-encoded, and base64/base64url at each alignment. */
function spellings(secret) {
  const out = new Set([secret, encodeURIComponent(secret)]);
  for (let shift = 0; shift < 3; shift += 1) {
    const encoded = Buffer.from("x".repeat(shift) + secret).toString("base64").replace(/=+$/, "");
    const stable = encoded.slice(Math.ceil((shift * 4) / 3), encoded.length - 2);
    out.add(stable);
    out.add(stable.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return [...out];
}
const PAT_SPELLINGS = spellings(PAT);
const leaks = (text) => PAT_SPELLINGS.some((s) => text.includes(s));

const { check, finish } = checks("nextjs");

/** Waits until `fn(arg)` is true in the page; fails saying what was awaited. */
async function until(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg);
  } catch {
    const seen = await page.evaluate(() => `title "${document.title}", heading "${document.querySelector("h1")?.textContent}"`).catch(() => "");
    throw new Error(`${what} did not happen within ${WAIT_MS / 1000} s (${seen})`);
  }
}
const frameOpens = (id) => document.querySelector("cx-report-viewer")?.shadowRoot?.querySelector("iframe")?.getAttribute("src")?.includes(`/reports/${id}/preview?nonce=`);

// What the server renders, before any script runs.
await check("server render", async () => {
  const signedOut = await fetch(`${APP}/`);
  const html = await signedOut.text();
  if (signedOut.status !== 200 || !html.includes("Sign in (demo)")) throw new Error(`signed out, / answered ${signedOut.status} without the sign-in`);
  if (html.includes("<cx-report-viewer")) throw new Error("a signed-out reader got the widget");
  const signIn = await fetch(`${APP}/api/auth/demo-sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Requested-With": "nextjs-e2e", Origin: APP },
    body: JSON.stringify({ user: "render" }),
  });
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0];
  if (!signIn.ok || !cookie) throw new Error(`the demo sign-in answered ${signIn.status}`);
  const page = await (await fetch(`${APP}/reports/102`, { headers: { Cookie: cookie } })).text();
  const element = page.match(/<cx-report-viewer[^>]*>/)?.[0] ?? "";
  if (!element.includes(`cxreports-url="${SIM}"`) || !element.includes('report="102"') || !element.includes('nonce-url="/api/cxreports/nonce"')) {
    throw new Error(`the server did not render the widget with its attributes: ${element || "no <cx-report-viewer>"}`);
  }
  // The report's name, looked up by the server, in the title and the heading.
  const title = page.match(/<title>([^<]*) · Reports<\/title>/)?.[1];
  if (!title || !page.includes(`<h1 id="report-heading">${title}</h1>`)) throw new Error(`/reports/102 was rendered without its name: title "${title}"`);
  const unknown = await fetch(`${APP}/reports/no-such-report`, { headers: { Cookie: cookie } });
  if (unknown.status !== 404) throw new Error(`a report that is not listed answered ${unknown.status}, not 404`);
  if (leaks(html) || leaks(page)) throw new Error("the PAT is in a server-rendered page");
});

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
await check("app in the browser", async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  let step = "";
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location()?.url})`);
    if (m.type() === "warning" && /hydrat/i.test(m.text())) problems.push(`hydration warning: ${m.text()}`);
  });
  // Every byte the browser receives, in every frame: headers and bodies.
  const requests = [];
  const received = [];
  context.on("request", (r) => requests.push({ url: r.url(), at: Date.now() }));
  // The body is asked for at once: DevTools forgets it soon (a prefetch the router drops may have none).
  context.on("response", (response) => {
    const body = response.body().then(
      (bytes) => bytes.toString("latin1"),
      () => "",
    );
    received.push(
      (async () => {
        const headers = JSON.stringify(await response.allHeaders().catch(() => ({})));
        return { url: response.url(), text: `${response.url()} ${headers} ${await body}` };
      })(),
    );
  });
  // What the page holds and keeps at each step: its DOM, cookies and storage.
  const held = [];
  const keep = async () => held.push(JSON.stringify(await context.storageState()) + (await page.content()));
  try {
    // Signed out: the sign-in, no widget. Signed in: the list.
    step = "the sign-in and the list";
    await page.goto(`${APP}/`);
    await page.getByRole("button", { name: "Sign in (demo)" }).click();
    const options = page.locator("cx-report-viewer [role=option]");
    await options.nth(1).waitFor();
    if ((await options.count()) < 3) throw new Error(`the list shows ${await options.count()} reports`);

    // A report chosen as a person would: the viewer opens it, the page follows the widget's events.
    step = "a report chosen";
    const chosen = await options.nth(1).getAttribute("data-report-id");
    await options.nth(1).click();
    await until(page, `the viewer opening report ${chosen}`, frameOpens, chosen);
    await until(page, "the report's name in the title", () => document.title.endsWith(" · Reports"));
    const title = await page.title();
    const name = title.replace(/ · Reports$/, "");
    const heading = await page.locator("#report-heading").textContent();
    if (heading !== name) throw new Error(`the heading reads "${heading}", the title "${title}"`);
    const listed = await page.locator(`cx-report-viewer [role=option][data-report-id="${chosen}"]`).textContent();
    if (!listed.includes(name)) throw new Error(`the page names "${name}", the list "${listed}"`);
    if (new URL(page.url()).pathname !== `/reports/${chosen}`) throw new Error(`the URL is ${page.url()}, not /reports/${chosen}`);
    await keep();

    // /reports/{id}, loaded as a shared link: that report, chosen in the picker too.
    step = "/reports/{id}";
    const other = await options.nth(2).getAttribute("data-report-id");
    await page.goto(`${APP}/reports/${other}`);
    await until(page, `the viewer opening report ${other} from its address`, frameOpens, other);
    await page.locator(`cx-report-viewer [role=option][data-report-id="${other}"][aria-selected=true]`).waitFor();
    const otherName = await page.locator(`cx-report-viewer [role=option][data-report-id="${other}"]`).textContent();
    await until(
      page,
      `"${otherName}" in the title`,
      (expected) => document.title.endsWith(" · Reports") && expected.includes(document.title.replace(/ · Reports$/, "")),
      otherName,
    );
    await keep();

    // A client-side route change (next/link): the widget goes, and everything it started with it.
    step = "the route change";
    await page.evaluate(() => {
      window.sameDocument = true;
    });
    await page.getByRole("link", { name: "About" }).click();
    await page.getByRole("heading", { name: "About" }).waitFor();
    if (!(await page.evaluate(() => window.sameDocument === true))) throw new Error("the link loaded a new document: no client-side route change");
    await until(page, "the widget leaving the page", () => !document.querySelector("cx-report-viewer"));
    const left = Date.now();
    await page.waitForTimeout(600);
    const after = requests.filter((r) => r.at > left + 50 && (r.url.startsWith(SIM) || r.url.includes("/api/cxreports/")));
    if (after.length) throw new Error(`requests after the widget left: ${after.map((r) => r.url).join(", ")}`);
    if ((await page.locator("iframe").count()) !== 0) throw new Error("a frame is left on the page");
    if (page.frames().length !== 1) throw new Error(`${page.frames().length - 1} frames are left`);
    await keep();
    // And back, still the same document: the list again.
    step = "back to the reports";
    await page.getByRole("link", { name: "Back to the reports" }).click();
    await options.first().waitFor();
    if (!(await page.evaluate(() => window.sameDocument === true))) throw new Error("the way back loaded a new document");
    if (problems.length) throw new Error(problems.join("; "));

    // The PAT: in no response the browser received, and nowhere it keeps things.
    step = "the PAT sweep";
    const all = await Promise.all(received);
    const leaked = all.filter((r) => leaks(r.text)).map((r) => r.url);
    if (leaked.length) throw new Error(`the PAT is in what the browser received from ${leaked.join(", ")}`);
    await keep();
    if (held.some(leaks)) throw new Error("the PAT is in the browser's cookies, storage or page");
    if (all.length < 10) throw new Error(`only ${all.length} responses were seen: the sweep saw too little to judge`);
  } catch (error) {
    throw new Error(`${step}: ${error.message.split("\n")[0]}${problems.length ? ` [${problems.join("; ")}]` : ""}`);
  } finally {
    await context.close();
  }
});

await browser.close();
finish();
