// Subresource integrity: every `integrity` attribute in a page must be the
// digest of the bytes served for its resource, or the browser blocks the
// resource (and with it the widget).
//
//   node e2e/integrity.mjs DIR       every page in a built folder (dist/),
//                                    against the files beside it
//
// Also imported by e2e/demo.mjs to check a page over HTTP as served.
// The last line reads `integrity: N passed, M failed`.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The `integrity` attributes of a page: [{tag, url, algorithm, expected}]. */
export function integrityAttributes(html) {
  const found = [];
  for (const [tag] of html.matchAll(/<(?:link|script)\b[^>]*>/g)) {
    const integrity = /\bintegrity="([^"]*)"/.exec(tag)?.[1];
    if (integrity === undefined) continue;
    const url = /\b(?:href|src)="([^"]*)"/.exec(tag)?.[1] ?? null;
    const [, algorithm, expected] = /^(sha256|sha384|sha512)-(.+)$/.exec(integrity.trim()) ?? [];
    found.push({ tag, url, algorithm: algorithm ?? null, expected: expected ?? integrity });
  }
  return found;
}

/** Why `bytes` do not match the attribute, or null when they do. */
export function mismatch({ algorithm, expected, url }, bytes) {
  if (!algorithm) return `${url}: integrity "${expected}" names no digest a browser accepts`;
  const actual = createHash(algorithm).update(bytes).digest("base64");
  return actual === expected ? null : `${url}: integrity ${algorithm}-${expected}, but the bytes served digest to ${algorithm}-${actual}`;
}

/** Checks the page at `pageUrl` and each resource it pins, over HTTP.
 * Returns {checked, problems}. */
export async function checkServedPage(pageUrl) {
  const page = await fetch(pageUrl);
  if (!page.ok) return { checked: 0, problems: [`${pageUrl} answered HTTP ${page.status}`] };
  const problems = [];
  const attributes = integrityAttributes(await page.text());
  for (const attribute of attributes) {
    if (!attribute.url) { problems.push(`an integrity with no URL: ${attribute.tag}`); continue; }
    const resource = await fetch(new URL(attribute.url, pageUrl));
    if (!resource.ok) { problems.push(`${attribute.url} answered HTTP ${resource.status}`); continue; }
    const problem = mismatch(attribute, Buffer.from(await resource.arrayBuffer()));
    if (problem) problems.push(problem);
  }
  return { checked: attributes.length, problems };
}

/** Checks every page in a built folder against the files in it. */
export function checkFolder(dir) {
  const problems = [];
  let checked = 0;
  const pages = readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith(".html"));
  for (const name of pages) {
    for (const attribute of integrityAttributes(readFileSync(join(dir, name), "utf8"))) {
      checked += 1;
      const path = attribute.url?.startsWith("/") ? join(dir, attribute.url.split(/[?#]/)[0])
        : attribute.url ? join(dir, name, "..", attribute.url.split(/[?#]/)[0]) : null;
      let bytes = null;
      try { bytes = path && readFileSync(path); } catch { /* reported below */ }
      const problem = bytes ? mismatch(attribute, bytes) : `${attribute.url ?? attribute.tag}: not a file of ${dir}`;
      if (problem) problems.push(`${name}: ${problem}`);
    }
  }
  return { checked, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node e2e/integrity.mjs DIR");
  const { checked, problems } = checkFolder(dir);
  for (const problem of problems) console.log(`FAIL ${problem}`);
  // A build whose pages pin nothing has nothing to hold: say so, as a failure,
  // rather than pass on an empty check.
  if (checked === 0) problems.push("no page in the folder has an integrity attribute");
  console.log(`integrity: ${checked - Math.min(checked, problems.length)} passed, ${problems.length} failed (${dir})`);
  process.exit(problems.length ? 1 : 0);
}
