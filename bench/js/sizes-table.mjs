// The Markdown of the size breakdown (bench/js/sizes.mjs writes the JSON):
// shared by sizes.mjs (--md) and report.mjs (--sizes), so both print the same.

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const signedKb = (bytes) => `${bytes < 0 ? "−" : ""}${(Math.abs(bytes) / 1000).toFixed(1)} KB`;
const pct = (x) => `${(100 * x).toFixed(1)}%`;
const code = (s) => `\`${s.replace(/\|/g, "\\|").replace(/`/g, "'")}\``;
// A long generic name: its paths as `crate::…::Item`, then, if still too long, cut in the middle.
function shorten(s, max = 120) {
  if (s.length <= max) return s;
  const t = s.replace(/[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*){2,}/g, (path) => {
    const segs = path.split("::");
    return `${segs[0]}::…::${segs.at(-1)}`;
  });
  return t.length <= max ? t : `${t.slice(0, Math.ceil(max * 0.6))}…${t.slice(t.length - Math.floor(max * 0.4) + 1)}`;
}

/** The breakdown as Markdown: a heading line, the groups, the instantiated-for view, the top functions. */
export function sizesMarkdown(sizes) {
  const { wasm, groups, instantiatedFor, topFunctions } = sizes;
  const lines = [];
  const add = (...cells) => lines.push(`| ${cells.join(" | ")} |`);
  const b = sizes.build;
  const match = !b?.dist ? ""
    : b.identical ? `the same bytes as \`${b.dist.path}\` once its \`name\` section is left out`
      : `⚠ NOT the measured bundle: code section ${signedKb(b.codeSectionDiff)} (${(100 * b.codeSectionDiffRatio).toFixed(2)}%) against \`${b.dist.path}\``;
  lines.push(`Release wasm by crate and widget module: ${kb(wasm.shipped)} raw, ${kb(wasm.gzip)} gzip -9 `
    + `(${wasm.definedFunctions} functions, ${wasm.importedFunctions} imported, ${wasm.dataSegments} data segments; `
    + `names from a wasm-opt -g build${match ? `, ${match}` : ""}).`);
  lines.push("");
  add("group", "raw", "% of wasm", "gzip -9, marginal", "functions");
  add("---", "--:", "--:", "--:", "--:");
  for (const g of groups) add(g.label, kb(g.raw), pct(g.share), kb(g.gzipMarginal), g.functions ?? "");
  add("**total**", `**${kb(wasm.shipped)}**`, "100%", `${kb(wasm.gzip)} (all of it)`, wasm.definedFunctions);
  lines.push("");
  lines.push("raw: bytes of the wasm (function bodies with their size prefix; the data section whole); the raw column sums to the file. "
    + "gzip -9, marginal: gzip -9 of the whole wasm as shipped (code, data and the other sections) minus gzip -9 of the same bytes without the group's, what dropping the group would save; "
    + "the marginal figures don't add up to the total, compression shares context across groups. "
    + "Trait impls count for their Self type's crate and module, generic code for the crate of its outer path"
    + (sizes.folded?.length ? `; other (${sizes.folded.length} groups): ${sizes.folded.join(", ")}` : "")
    + ".");
  if (instantiatedFor?.length) {
    lines.push("");
    add(`generic code instantiated for the widget's modules (counted above under its outer crate)`, "raw", "% of wasm", "gzip -9, marginal", "functions");
    add("---", "--:", "--:", "--:", "--:");
    for (const g of instantiatedFor) add(g.label, kb(g.raw), pct(g.share), kb(g.gzipMarginal), g.functions);
  }
  if (topFunctions?.length) {
    lines.push("");
    add(`top ${topFunctions.length} functions`, "raw", "% of wasm", "gzip -9, marginal", "group");
    add("---", "--:", "--:", "--:", "---");
    for (const f of topFunctions) add(code(shorten(f.name)), kb(f.raw), pct(f.share), kb(f.gzipMarginal), f.group);
  }
  return `${lines.join("\n")}\n`;
}
