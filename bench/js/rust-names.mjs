// Who owns a function of the release wasm, from its name in the `name`
// section: wasm-bindgen demangles Rust's (v0 or legacy) symbols into paths
// such as
//   cxreports_widget[9217…]::host::nonce::fetch_nonce::{closure#1}
//   <cxreports_widget[9217…]::config::ViewerConfig>::from_raw
//   <cxreports_widget::x::Y as core::fmt::Debug>::fmt
//   <yew::…::CompStateInner<cxreports_widget::components::picker::Picker> as yew::…::Stateful>::view
// and the owner is the crate (and for the widget, its module) of the outer
// path: a trait impl belongs to its Self type, unless that is a primitive, a
// slice or a tuple (then to the trait); generic arguments don't count, they
// are the "instantiated for" view.

/** The name without crate disambiguators (`yew[b534…]`) and legacy hashes (`::h0123…`). */
export function cleanName(name) {
  return name
    .replace(/(?<=[A-Za-z0-9_])\[[0-9a-f]{1,16}\]/g, "")
    .replace(/::h[0-9a-f]{16}(?=$|\s)/g, "");
}

// Splits `s` at `sep` where no bracket is open (`->` is not a bracket).
function splitTop(s, sep) {
  const parts = [];
  let depth = 0, last = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (c === "<" || c === "(" || c === "[" || c === "{") depth += 1;
    else if ((c === ">" && s[i - 1] !== "-") || c === ")" || c === "]" || c === "}") depth -= 1;
    else if (depth === 0 && s.startsWith(sep, i)) {
      parts.push(s.slice(last, i));
      i += sep.length - 1;
      last = i + 1;
    }
  }
  parts.push(s.slice(last));
  return parts;
}

// The index of the `>` that closes the `<` at `open`.
function closing(s, open) {
  let depth = 0;
  for (let i = open; i < s.length; i += 1) {
    const c = s[i];
    if (c === "<" || c === "(" || c === "[" || c === "{") depth += 1;
    else if ((c === ">" && s[i - 1] !== "-") || c === ")" || c === "]" || c === "}") {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

const PRIMITIVE = /^(bool|char|str|[iu](8|16|32|64|128|size)|f(16|32|64|128)|!|_)$/;

/**
 * The owning path of a (clean) name, as segments without generic arguments:
 * `<a::B<c::D> as e::F>::g::{closure#0}` -> ["a", "B", "g", "{closure#0}"].
 * Null when the name is no Rust path (wasm-bindgen's shims, exports).
 */
export function ownerPath(name) {
  let s = name.trim();
  for (;;) {
    const m = /^(&mut |&|\*const |\*mut |dyn |impl )/.exec(s);
    if (!m) break;
    s = s.slice(m[0].length);
  }
  if (s.startsWith("<")) {
    const end = closing(s, 0);
    if (end < 0) return null;
    const [selfType, trait] = splitTop(s.slice(1, end), " as ");
    const rest = s.slice(end + 1).replace(/^::/, "");
    const tail = rest ? segments(rest) : [];
    const own = ownerPath(selfType);
    if (own) return [...own, ...tail];
    if (trait) {
      const t = ownerPath(trait);
      if (t) return [...t, ...tail];
    }
    // An inherent method of a primitive, slice or tuple (`<[T]>::to_vec`).
    return ["core", ...tail];
  }
  if (s.startsWith("[") || s.startsWith("(") || s.startsWith("fn(")) return null;
  const segs = segments(s);
  if (!segs.length || PRIMITIVE.test(segs[0]) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(segs[0])) return null;
  if (segs.length === 1 && !s.includes("::")) return null; // a bare symbol, not a path
  return segs;
}

// `a::B<x>::c::<y>` -> ["a", "B", "c"]; a segment that is itself `<…>` is resolved.
function segments(s) {
  const out = [];
  for (const raw of splitTop(s, "::")) {
    const seg = raw.trim();
    if (!seg || seg.startsWith("<")) {
      if (seg.startsWith("<") && !out.length) {
        const inner = ownerPath(seg);
        if (inner) out.push(...inner);
      }
      continue;
    }
    const lt = seg.indexOf("<");
    out.push(lt > 0 ? seg.slice(0, lt) : seg);
  }
  return out;
}

/**
 * Maps a widget path (segments after the crate) to its top module, from the
 * crate's module list: `components::viewer` for the modules in `split`, the
 * first segment otherwise, `(crate root)` for items of lib.rs itself.
 */
export function moduleOf(rest, modules) {
  const [first, second] = rest;
  // Without the module list: a lower-case segment with more after it, not a closure's.
  const looksLikeModule = (i) => rest.length > i + 1 && /^[a-z_][a-z0-9_]*$/.test(rest[i]) && !rest[i + 1].startsWith("{");
  const known = modules?.top;
  if (!(known ? known.has(first) : looksLikeModule(0))) return "(crate root)";
  if (modules?.split?.has(first)) {
    const subs = modules.split.get(first);
    if (second && (subs ? subs.has(second) : looksLikeModule(1))) return `${first}::${second}`;
  }
  return first;
}

/** Every widget module a (clean) name mentions, in order: the generic arguments it was instantiated for. */
export function mentionedModules(name, crate, modules) {
  const out = [];
  const re = new RegExp(`(?<![A-Za-z0-9_])${crate}((?:::[A-Za-z_][A-Za-z0-9_]*)+)`, "g");
  for (const m of name.matchAll(re)) {
    const mod = moduleOf(m[1].slice(2).split("::"), modules);
    if (!out.includes(mod)) out.push(mod);
  }
  return out;
}
