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
