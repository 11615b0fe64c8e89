// A server render imports the widget where there is no DOM: the module and
// the installed package (by its name, through its `exports`) must load
// without throwing and without touching globals, and mount() must say what
// is wrong when called there.
//
//   node e2e/ssr.mjs        (after scripts/examples.sh has installed the package)
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let failed = 0;
function check(name, ok, detail = "") {
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${ok ? "" : `: ${detail}`}`);
  if (!ok) failed += 1;
}

const before = new Set(Object.keys(globalThis));
const widget = await import(pathToFileURL(join(root, "dist/cxreports-widget.js")).href);
check("dist/cxreports-widget.js imports without a DOM", typeof widget.mount === "function");
check("it leaves no globals", [...Object.keys(globalThis)].every((k) => before.has(k)), Object.keys(globalThis).filter((k) => !before.has(k)).join(", "));
check("its version is null where nothing loaded", widget.version === null, String(widget.version));
let message = "";
try {
  widget.mount({}, {});
} catch (error) {
  message = error.message;
}
check("mount() there says it needs a browser", message.includes("needs a browser"), message || "it did not throw");

// The package as an app installs it, imported by name (a Node server render).
const script = 'const m = await import("cxreports-widget"); if (typeof m.mount !== "function") process.exit(3);';
for (const example of ["react", "vue"]) {
  try {
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: join(root, "examples", example), stdio: "pipe" });
    check(`import "cxreports-widget" in examples/${example} under Node`, true);
  } catch (error) {
    check(`import "cxreports-widget" in examples/${example} under Node`, false, String(error.stderr || error.message).split("\n")[0]);
  }
}
console.log(`ssr: ${6 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
