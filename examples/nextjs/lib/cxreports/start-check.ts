// The settings checked once at server start (from instrumentation.ts, on
// Node only): a setting that cannot be used stops the server with a message
// that names the variable, rather than failing each request later.
import { readFileSync } from "node:fs";
import { readSettings, SettingsError } from "./settings";

try {
  readSettings(process.env, (path) => readFileSync(path, "utf8"));
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(`cxreports: not configured: ${error.message}`);
  process.exit(2);
}
