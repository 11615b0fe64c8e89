// Which way of showing the next report costs the reader less: a new iframe
// per navigation, or `location.replace` in the frame already there. Both
// leave the page's history alone; this measures click → the viewer's `load`
// on the desktop and on the phone profile (150 ms round trip, 1.6 Mbps down,
// 750 kbps up, CPU 4× slower), alternating the order, fresh context per run.
//
//   . target/run/servers-sh/env.sh     (scripts/servers.sh running)
//   node bench/experiments/frame-navigation.mjs [phone] [runs]
import { createRequire } from "node:module";
import { homedir } from "node:os";

const require = createRequire(`${homedir()}/.cache/cxreports-widget/e2e/`);
const { chromium } = require("playwright-core");
const host = process.env.CXR_HOST_URL;
const sim = process.env.CXR_SIM_URL;
if (!host || !sim) throw new Error("run scripts/servers.sh and source target/run/servers-sh/env.sh first");
const phone = process.argv[2] === "phone";
const runs = Number(process.argv[3] ?? 6);

const browser = await chromium.launch({ executablePath: process.env.CXR_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const times = { new: [], replace: [] };
const history = {};
for (let run = 0; run < runs; run++) {
  for (const mode of run % 2 ? ["new", "replace"] : ["replace", "new"]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (phone) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    }
    await page.goto(`${host}/bench/experiments/frame-navigation.html?cxreports=${encodeURIComponent(sim)}&report=1`);
    await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
    const before = await page.evaluate(() => history.length);
    let after = before;
    for (let i = 0; i < 4; i++) {
      const result = await page.evaluate(([m, report]) => window.switchTo(m, report), [mode, String(2 + (i % 3))]);
      times[mode].push(result.ms);
      after = result.history;
    }
    history[mode] = `${before} → ${after}`;
    await context.close();
  }
}
await browser.close();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(1);
console.log(`${phone ? "phone" : "desktop"}: click → viewer load, median of ${times.new.length}: `
  + `new frame ${median(times.new)} ms, location.replace ${median(times.replace)} ms; `
  + `history.length new frame ${history.new}, location.replace ${history.replace}`);
