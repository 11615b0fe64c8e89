// What every end-to-end script needs: the servers' addresses (as
// scripts/test.sh exports them), the Chromium to drive, and the npm
// packages the bootstrap installed (e2e/package-lock.json).
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

/** The value of `name`, or an error saying how to set it. */
export function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this from scripts/test.sh, or source scripts/servers.sh and call start_servers test`);
  return value;
}

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const MODULES = process.env.CXR_E2E_DIR || join(process.env.CXR_TOOLS_DIR || join(homedir(), ".cache/cxreports-widget"), "e2e");
/** `require` for the installed e2e packages (playwright-core, axe-core). */
export const requireInstalled = createRequire(join(MODULES, "package.json"));

/** A run of named checks, each an async body that throws to fail: a PASS or
 * FAIL line for each (with the first `lines` lines of the failure), and
 * `finish()` prints `NAME: N passed, M failed` and exits 1 on any failure. */
export function checks(runName, { lines = 1 } = {}) {
  const results = [];
  return {
    async check(name, body) {
      const started = Date.now();
      try {
        await body();
        results.push(true);
        console.log(`PASS ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        results.push(false);
        console.log(`FAIL ${name}: ${String(error?.message ?? error).split("\n").slice(0, lines).join("\n  ")}`);
      }
    },
    finish() {
      const failed = results.filter((ok) => !ok).length;
      console.log(`${runName}: ${results.length - failed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}
