// The demo as a new user meets it: starts `scripts/demo.sh` itself, on free
// ports and with none of the test command's settings, and drives the pages it
// prints in headless Chromium:
//   - the page's integrity digests match the bytes served;
//   - the demo page at 1280 px: signed in, the picker lists the reports, a
//     report chosen as a person would opens in the frame and its viewer page
//     loads, the page's event log shows it; the PDF button downloads a PDF;
//   - at 390 px: the report switcher, and no sideways scrolling;
//   - `?locale=de`: the widget speaks German;
//   - the "Drop-in example" URL the script prints;
//   - no console error or warning, no uncaught exception, on any of them.
// Then it stops the script with SIGTERM and checks that no process of it is
// left and its ports are free; starts it again and stops it with Ctrl-C (a
// SIGINT to its process group); starts it and closes its "terminal" (SIGHUP)
// while the bundle is still building; and kills its simulator during the
// build and its backend once it is up, each of which the script must report
// by name before stopping everything else.
//
//   node e2e/demo.mjs                 (CXR_DEMO_SCREENSHOTS=docs writes the
//                                      README's docs/demo.png)
//
// The last line reads `demo: N passed, M failed`.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, checks, requireInstalled } from "./env.mjs";
import { checkServedPage } from "./integrity.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { chromium } = requireInstalled("playwright-core");
const WAIT_MS = 20_000;
// The first start builds the release bundle, and CI's machine may be busy.
const START_MS = 15 * 60_000;
const STOP_MS = 20_000;
const screenshots = process.env.CXR_DEMO_SCREENSHOTS === "docs" ? join(root, "docs") : join(root, "target/run");
mkdirSync(screenshots, { recursive: true });

const { check, finish } = checks("demo", { lines: 12 });

// ---- the script and its processes -------------------------------------------

/** A port nothing listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether `port` can be listened on again. */
function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The processes, other than zombies, whose environment carries `marker`:
 * the script and everything it started, wherever they were re-parented. */
function processesMarked(marker) {
  const found = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      if (!readFileSync(`/proc/${pid}/environ`).includes(marker)) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim().slice(0, 100)}`);
    } catch {
      // gone while looked at
    }
  }
  return found;
}

/** The environment of a new user's shell: none of the test command's servers
 * or settings, a marker to find every process of this run by. */
function userEnvironment(ports, marker) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(CXR_|CXREPORTS_|SIM_|BACKEND_|WASM_BINDGEN_|TRUNK_)/.test(name)) env[name] = value;
  }
  // Where the bootstrap's tools live stays as the test command has it.
  if (process.env.CXR_TOOLS_DIR) env.CXR_TOOLS_DIR = process.env.CXR_TOOLS_DIR;
  if (process.env.CXR_STABLE_BUNDLE) env.CXR_STABLE_BUNDLE = process.env.CXR_STABLE_BUNDLE;
  return { ...env, DEMO_PORT: String(ports.demo), SIM_PORT: String(ports.sim), BACKEND_PORT: String(ports.backend), CXR_DEMO_RUN_MARK: marker };
}

// Every script this drive started, stopped (as a process manager would, with
// SIGTERM) however the drive ends: a failed check must not leave a demo running.
const launched = new Set();
process.on("exit", () => {
  for (const child of launched) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
});

/** Starts scripts/demo.sh; resolves once it printed `until` (a RegExp on its
 * output), with {child, output(), exited, marker}. */
async function startDemo(ports, until) {
  const marker = `cxr-demo-${randomBytes(6).toString("hex")}`;
  // Its own process group, so a Ctrl-C can be sent as a terminal sends it.
  const child = spawn("bash", [join(root, "scripts/demo.sh")], {
    cwd: root, env: userEnvironment(ports, marker), detached: true, stdio: ["ignore", "pipe", "pipe"],
  });
  launched.add(child);
  let text = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const demo = { child, marker, exited, output: () => text };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`demo.sh printed no ${until} within ${START_MS / 1000} s:\n${text.slice(-2000)}`));
    }, START_MS);
    const seen = (chunk) => {
      text += chunk;
      if (until.test(text)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`demo.sh exited (${code ?? signal}) before printing ${until}:\n${text.slice(-2000)}`));
    });
  });
  return demo;
}

/** Sends `signal` (to the script, or to its process group as a terminal's
 * Ctrl-C does) and checks that the script ends, leaving no process and no
 * port behind. Returns the exit. */
async function stopDemo(demo, ports, signal, { group = false } = {}) {
  const running = processesMarked(demo.marker);
  if (running.length < 3) throw new Error(`expected the script and its servers running, found: ${running.join("; ")}`);
  process.kill(group ? -demo.child.pid : demo.child.pid, signal);
  const exit = await Promise.race([demo.exited, new Promise((r) => setTimeout(() => r(null), STOP_MS))]);
  if (!exit) throw new Error(`demo.sh still runs ${STOP_MS / 1000} s after ${signal}`);
  await assertNothingLeft(demo, ports, signal);
  return exit;
}

async function assertNothingLeft(demo, ports, after) {
  // The servers may take their grace period; the script waited for them.
  const left = processesMarked(demo.marker);
  if (left.length) throw new Error(`after ${after}, processes of the demo are left: ${left.join("; ")}`);
  for (const [name, port] of Object.entries(ports)) {
    if (!(await portFree(port))) throw new Error(`after ${after}, the ${name} port ${port} is still taken`);
  }
}

/** The URL printed after `label:` in the script's output. */
function printed(demo, label) {
  const url = new RegExp(`${label}:\\s+(\\S+)`).exec(demo.output())?.[1];
  if (!url) throw new Error(`demo.sh printed no "${label}:" URL:\n${demo.output().slice(-1500)}`);
  return url;
}

// ---- the pages -----------------------------------------------------------------

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });

/** A fresh context and page that records what a developer would see in the
 * console: errors and warnings (a resource that failed to load among them)
 * and uncaught exceptions; `done()` closes it and fails on any. */
async function openPage(viewport, options = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const console_ = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") console_.push(`console ${m.type()}: ${m.text()} (${m.location()?.url ?? ""})`);
  });
  page.on("pageerror", (e) => console_.push(`uncaught: ${e.message}`));
  const done = async () => {
    await context.close();
    if (console_.length) throw new Error(`the browser console shows: ${console_.join(" | ")}`);
  };
  return { page, done };
}

const options = (page) => page.locator("cx-report-viewer [role=option]");

/** Chooses the `index`-th report as a person would and waits for its viewer
 * page to load in the frame; returns its name. */
async function openReport(page, sim, index, { open } = {}) {
  if (open) await open();
  const option = options(page).nth(index);
  await option.waitFor();
  const id = await option.getAttribute("data-report-id");
  const name = (await option.locator(".cxr-option-name").textContent()).trim();
  await option.click();
  await page.waitForFunction(
    (id) => document.querySelector("cx-report-viewer")?.shadowRoot?.querySelector("iframe")?.getAttribute("src")?.includes(`/reports/${id}/preview?nonce=`),
    id,
  );
  // The viewer page, from CxReports' own origin, names the report it shows.
  const shown = (await page.frameLocator("cx-report-viewer iframe").locator("#report-name").textContent()).trim();
  const viewer = page.frames().find((f) => f.url().startsWith(`${sim}/`) && f.url().includes(`/reports/${id}/`));
  if (!viewer) throw new Error(`no frame shows the viewer of report ${id} at ${sim}: ${page.frames().map((f) => f.url()).join(", ")}`);
  if (shown !== name) throw new Error(`chose "${name}", the viewer shows "${shown}"`);
  return shown;
}

async function listed(page) {
  await options(page).nth(4).waitFor();
  return options(page).count();
}

// ---- the run ---------------------------------------------------------------------

await check("in front of a real CxReports, nothing starts without BACKEND_DEMO_SIGN_IN=1", async () => {
  const marker = `cxr-demo-${randomBytes(6).toString("hex")}`;
  const env = { ...userEnvironment({ demo: 1, sim: 1, backend: 1 }, marker), CXREPORTS_URL: "https://reports.example.invalid", CXREPORTS_PAT: "not-used" };
  const child = spawn("bash", [join(root, "scripts/demo.sh")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (c) => { text += c; });
  child.stderr.on("data", (c) => { text += c; });
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 2 || !text.includes("BACKEND_DEMO_SIGN_IN=1 ./scripts/demo.sh")) throw new Error(`exit ${code}:\n${text.slice(-600)}`);
  const left = processesMarked(marker);
  if (left.length) throw new Error(`left running: ${left.join("; ")}`);
});

const ports = { demo: await freePort(), sim: await freePort(), backend: await freePort() };
const started = Date.now();
let demo = null;
await check(`demo.sh starts (ports ${ports.demo}, ${ports.sim}, ${ports.backend})`, async () => {
  demo = await startDemo(ports, /Demo host page:\s+\S+[\s\S]*Ctrl-C stops everything/);
  console.log(`     (serving after ${((Date.now() - started) / 1000).toFixed(1)} s)`);
});

if (demo) {
  const home = printed(demo, "Demo host page");
  const sim = printed(demo, "CxReports");

  await check("the page's integrity digests match the bytes served", async () => {
    const { checked, problems } = await checkServedPage(home);
    if (problems.length) throw new Error(problems.join("; "));
    if (checked === 0) throw new Error("the demo page pins no resource with integrity: the check would hold nothing");
  });

  await check("demo page at 1280 px: the list, a report in the viewer, the event log, no console error", async () => {
    const { page, done } = await openPage({ width: 1280, height: 900 });
    try {
      await page.goto(home);
      await page.locator("#user", { hasText: "Signed in as demo" }).waitFor();
      const count = await listed(page);
      const name = await openReport(page, sim, 1);
      await page.locator("#log", { hasText: "cxreports:load" }).waitFor();
      if (count < 5) throw new Error(`the picker lists ${count} reports`);
      // The README's picture is this page, as the demo serves it.
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshots, "demo.png"), fullPage: true });

      // The PDF button downloads the report as a PDF.
      const download = page.waitForEvent("download", { timeout: 30_000 });
      await page.locator("cx-report-viewer button", { hasText: /^PDF$/ }).click();
      const file = await download;
      const bytes = readFileSync(await file.path());
      if (bytes.subarray(0, 5).toString("latin1") !== "%PDF-") throw new Error(`the download ${file.suggestedFilename()} is not a PDF`);
      if (!file.suggestedFilename().endsWith(".pdf")) throw new Error(`the download is named ${file.suggestedFilename()}`);
      console.log(`     (${count} reports listed; "${name}" opened; ${file.suggestedFilename()}, ${bytes.length} bytes)`);
    } finally {
      await done();
    }
  });

  await check("demo page at 390 px: the report switcher opens a report, nothing scrolls sideways", async () => {
    const { page, done } = await openPage({ width: 390, height: 844 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await page.goto(home);
      const switcher = page.locator("cx-report-viewer .cxr-switcher");
      await switcher.waitFor();
      if (await options(page).first().isVisible()) throw new Error("the list shows beside the preview at 390 px");
      await openReport(page, sim, 2, { open: () => switcher.click() });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > 390) throw new Error(`the page is ${wide} px wide at a 390 px viewport`);
      await page.screenshot({ path: join(root, "target/run/demo-narrow.png") });
    } finally {
      await done();
    }
  });

  await check("demo page with ?locale=de: the widget speaks German", async () => {
    const { page, done } = await openPage({ width: 1280, height: 900 });
    try {
      await page.goto(`${home}?locale=de`);
      await listed(page);
      const search = page.locator("cx-report-viewer .cxr-search");
      const placeholder = await search.getAttribute("placeholder");
      if (placeholder !== "Berichte durchsuchen") throw new Error(`the search box says "${placeholder}"`);
      await openReport(page, sim, 0);
      const title = await page.locator("cx-report-viewer iframe").getAttribute("title");
      if (!title?.startsWith("Bericht")) throw new Error(`the frame's title is "${title}"`);
    } finally {
      await done();
    }
  });

  await check("the drop-in example the script prints", async () => {
    const { page, done } = await openPage({ width: 1100, height: 800 });
    try {
      await page.goto(printed(demo, "Drop-in example"));
      await listed(page);
      await openReport(page, sim, 3);
    } finally {
      await done();
    }
  });

  await check("SIGTERM stops the script and all it started; the ports are free", async () => {
    const exit = await stopDemo(demo, ports, "SIGTERM");
    if (exit.code === 0) throw new Error("demo.sh exited 0 on SIGTERM");
  });

  await check("it starts again on the same ports, and Ctrl-C stops it cleanly", async () => {
    const again = await startDemo(ports, /Demo host page:/);
    try {
      const { page, done } = await openPage({ width: 1280, height: 900 });
      try {
        await page.goto(printed(again, "Demo host page"));
        await listed(page);
      } finally {
        await done();
      }
    } finally {
      await stopDemo(again, ports, "SIGINT", { group: true });
    }
  });

  await check("SIGHUP while the bundle builds stops everything, the build included", async () => {
    // The servers are up and trunk is building when this line is printed.
    const building = await startDemo(ports, /trunk serve: building/);
    await new Promise((r) => setTimeout(r, 1500));
    await stopDemo(building, ports, "SIGHUP");
  });

  // While the bundle builds, and once the demo is up: both places the script
  // watches its servers from.
  for (const [server, process_, until] of [
    ["simulator", "cxreports-simulator", /trunk serve: building/],
    ["backend", "cxreports-backend", /Ctrl-C stops everything/],
  ]) {
    await check(`the ${server} failing ${until.source.startsWith("trunk") ? "during the build" : "once the demo is up"} is named, and the rest are stopped`, async () => {
      const running = await startDemo(ports, until);
      const victim = processesMarked(running.marker).find((p) => p.includes(process_));
      if (!victim) throw new Error(`found no ${process_} process`);
      process.kill(Number(victim.split(" ")[0]), "SIGKILL");
      const exit = await Promise.race([running.exited, new Promise((r) => setTimeout(() => r(null), STOP_MS))]);
      if (!exit) throw new Error(`demo.sh still runs ${STOP_MS / 1000} s after its ${server} died`);
      if (exit.code === 0) throw new Error(`demo.sh exited 0 after its ${server} died`);
      if (!new RegExp(`the ${server} stopped unexpectedly \\(killed by signal 9\\)`).test(running.output())) {
        throw new Error(`demo.sh did not say which server failed, and how:\n${running.output().slice(-800)}`);
      }
      await assertNothingLeft(running, ports, `the ${server}'s failure`);
    });
  }
}

await browser.close();
finish();
