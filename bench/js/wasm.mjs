// A small WebAssembly binary reader for the size breakdown (bench/js/sizes.mjs):
// the sections with their byte ranges, the imports, each defined function's
// body range, the data segments, the custom sections and the `name` section's
// function names. Nothing is validated beyond what reading the layout needs.
//
//   import { readWasm } from "./wasm.mjs";
//   const m = readWasm(bytes);

export const SECTION_NAMES = [
  "custom", "type", "import", "function", "table", "memory", "global",
  "export", "start", "element", "code", "data", "datacount", "tag",
];

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }
  byte() {
    if (this.pos >= this.end) throw new Error(`wasm: read past the end at ${this.pos}`);
    return this.bytes[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, b;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }
  // Signed LEB128, skipped only (no value needed here): any width.
  skipLeb() {
    while (this.byte() & 0x80);
  }
  bytesOf(n) {
    if (this.pos + n > this.end) throw new Error(`wasm: ${n} bytes past the end at ${this.pos}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  name() {
    return new TextDecoder().decode(this.bytesOf(this.u32()));
  }
  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
  // A value or reference type: the one-byte forms, and (ref null? ht) with its heap type.
  valtype() {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.skipLeb();
  }
  // A constant expression, up to and including its `end`.
  constExpr() {
    for (;;) {
      const op = this.byte();
      if (op === 0x0b) return;
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) this.skipLeb(); // i32/i64.const, global.get, ref.func
      else if (op === 0x44) this.bytesOf(8); // f64.const
      else if (op === 0x43) this.bytesOf(4); // f32.const
      else if (op === 0xd0) this.skipLeb(); // ref.null ht
      else if (op === 0x6a || op === 0x6b || op === 0x6c || op === 0x7c || op === 0x7d || op === 0x7e); // extended const
      else throw new Error(`wasm: unexpected opcode 0x${op.toString(16)} in a constant expression at ${this.pos - 1}`);
    }
  }
}

/**
 * Reads the layout of a wasm module. Every range is [start, end) in file bytes.
 * Returns { size, sections, imports, importedFunctions, functions, data, customs, names }:
 * - sections: { id, kind, name?, start, payloadStart, end } (start = the section id byte)
 * - functions: { index, start, end } for each defined function, start = its size LEB
 * - data: { index, start, end, bytesStart } for each segment (bytesStart = its contents)
 * - names: Map function index -> name, from the `name` section's subsection 1
 */
export function readWasm(bytes) {
  const r = new Reader(bytes);
  const magic = r.bytesOf(4);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) throw new Error("wasm: not a wasm module");
  const version = r.bytesOf(4);
  if (version[0] !== 1 || version[1] || version[2] || version[3]) throw new Error("wasm: not version 1");

  const sections = [];
  const imports = [];
  const functions = [];
  const data = [];
  const customs = [];
  const names = new Map();
  let importedFunctions = 0;
  let moduleName = null;

  while (r.pos < bytes.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const payloadStart = r.pos;
    const end = payloadStart + size;
    if (end > bytes.length) throw new Error(`wasm: section ${id} at ${start} runs past the end`);
    const section = { id, kind: SECTION_NAMES[id] ?? `unknown(${id})`, start, payloadStart, end };
    sections.push(section);
    const s = new Reader(bytes, payloadStart, end);

    if (id === 0) {
      section.name = s.name();
      customs.push({ name: section.name, start, end, size: end - start });
      if (section.name === "name") {
        while (s.pos < end) {
          const sub = s.byte();
          const subSize = s.u32();
          const subEnd = s.pos + subSize;
          const ss = new Reader(bytes, s.pos, subEnd);
          if (sub === 0) moduleName = ss.name();
          if (sub === 1) {
            for (let n = ss.u32(); n > 0; n -= 1) {
              const index = ss.u32();
              names.set(index, ss.name());
            }
          }
          s.pos = subEnd;
        }
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n -= 1) {
        const module = s.name();
        const field = s.name();
        const kind = s.byte();
        if (kind === 0) { s.u32(); importedFunctions += 1; }
        else if (kind === 1) { s.valtype(); s.limits(); }
        else if (kind === 2) s.limits();
        else if (kind === 3) { s.valtype(); s.byte(); }
        else if (kind === 4) { s.byte(); s.u32(); }
        else throw new Error(`wasm: import kind ${kind}`);
        imports.push({ module, field, kind: ["func", "table", "memory", "global", "tag"][kind] });
      }
    } else if (id === 10) {
      const count = s.u32();
      for (let i = 0; i < count; i += 1) {
        const fstart = s.pos;
        const bodySize = s.u32();
        s.pos += bodySize;
        if (s.pos > end) throw new Error(`wasm: function body ${i} runs past the code section`);
        functions.push({ index: importedFunctions + i, start: fstart, end: s.pos });
      }
      if (s.pos !== end) throw new Error("wasm: code section has trailing bytes");
    } else if (id === 11) {
      const count = s.u32();
      for (let i = 0; i < count; i += 1) {
        const dstart = s.pos;
        const flags = s.u32();
        if (flags === 2) s.u32();
        if (flags === 0 || flags === 2) s.constExpr();
        const len = s.u32();
        const bytesStart = s.pos;
        s.pos += len;
        if (s.pos > end) throw new Error(`wasm: data segment ${i} runs past the data section`);
        data.push({ index: i, start: dstart, end: s.pos, bytesStart });
      }
      if (s.pos !== end) throw new Error("wasm: data section has trailing bytes");
    }
    r.pos = end;
  }
  return { size: bytes.length, sections, imports, importedFunctions, functions, data, customs, names, moduleName };
}

/** The code section's size (its id byte, size and payload), or 0. */
export function codeSectionSize(module) {
  const code = module.sections.find((s) => s.id === 10);
  return code ? code.end - code.start : 0;
}
