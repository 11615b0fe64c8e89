// dist/ holds the npm package and nothing else: exactly the files its
// package.json lists (a listed folder with what is in it), plus package.json.
// An integrator serves dist/ from their own origin as it is, so a demo or
// test page in it would be published on their site.
//
//   node e2e/package-contents.mjs DIR
//
// The last line reads `package-contents: N passed, M failed`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node e2e/package-contents.mjs DIR");
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const listed = pkg.files.map((entry) => entry.replace(/\/$/, ""));
const present = readdirSync(dir, { recursive: true }).map(String)
  .filter((name) => statSync(join(dir, name)).isFile());

const problems = [];
const covered = (file) => file === "package.json" || listed.some((entry) => file === entry || file.startsWith(`${entry}/`));
for (const file of present) if (!covered(file)) problems.push(`${file} is in ${dir} but not in the package's files`);
for (const entry of listed) {
  if (!present.some((file) => file === entry || file.startsWith(`${entry}/`))) problems.push(`${entry} is listed in files but missing from ${dir}`);
}
for (const page of present.filter((file) => /\.html?$/.test(file))) problems.push(`${page}: a page in the package`);
for (const problem of problems) console.log(`FAIL ${problem}`);
console.log(`package-contents: ${present.length - Math.min(present.length, problems.length)} passed, ${problems.length} failed (${present.length} files in ${dir})`);
process.exit(problems.length ? 1 : 0);
