// The settings as the route handlers and pages see them: read from
// process.env on first use and kept. Server-only: a client component that
// imports this (and so the PAT) fails the build.
import "server-only";
import { readFileSync } from "node:fs";
import { readSettings, type Settings } from "./settings";

const kept = globalThis as typeof globalThis & { cxreportsSettings?: Settings };

/** The checked settings; throws a `SettingsError` naming a bad variable. */
export function settings(): Settings {
  kept.cxreportsSettings ??= readSettings(process.env, (path) => readFileSync(path, "utf8"));
  return kept.cxreportsSettings;
}

/** What a page may hand the browser: where CxReports is, and the workspace. Never the PAT. */
export function publicSettings(): { cxreportsUrl: string; workspace: string } {
  const { cxreportsUrl, workspace } = settings();
  return { cxreportsUrl, workspace };
}

/** Writes one line to the server log, with the PAT (if it were ever in it) blotted out. */
export function log(message: string): void {
  let line = String(message);
  const pat = kept.cxreportsSettings?.pat;
  if (pat) line = line.replaceAll(pat, "[redacted]");
  console.error(`cxreports: ${line}`);
}
