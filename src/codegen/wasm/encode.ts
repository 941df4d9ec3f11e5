// WebAssembly text → binary, for the module fields the wasm target writes and a little more:
// type, import (func, memory, global), func, memory, global, export, start and data, with inline
// exports and imports. Sections come out in the binary format's order, function types deduplicated
// in order of first use (explicit `(type …)` fields first), locals in runs of one type, LEB128
// integers in their shortest form: the bytes wabt's wat2wasm writes for the same text. Tables and
// element segments are not read (netc has no indirect calls). The engine validates the result
// (assemble.ts); here an unknown instruction or name is a WatError at its line and column.
import { BodyEncoder, headOf, isRef, readSignature, u32Of, valueType, atomText, type Mark, type ModuleScope, type Signature } from "./encode-body.ts";
import { Bytes } from "./numbers.ts";
import { readSExprs, WatError, type Pos, type SAtom, type SExpr, type SList, type SString } from "./sexpr.ts";

/** The binary and, for each instruction, its byte offset in the binary and its place in the text. */
export interface Encoded {
  binary: Uint8Array<ArrayBuffer>;
  marks: Mark[];
}

export function encodeWat(text: string): Encoded {
  const top = readSExprs(text);
  const module = top.length === 1 && headOf(top[0]) === "module" ? (top[0] as SList) : null;
  const fields = module ? module.items.slice(isRef(module.items[1]) ? 2 : 1) : top;
  return new ModuleEncoder(fields).encode();
}

interface Func {
  list: SList;
  typeRef: SAtom | null;
  sig: Signature;
  /** Params' names → their indices; locals are added when the body is read. */
  names: Map<string, number>;
  /** Where the locals and instructions start in `list.items`. */
  from: number;
  import?: [Uint8Array, Uint8Array];
}

interface Memory {
  limits: number[];
  import?: [Uint8Array, Uint8Array];
}

interface Global {
  type: number;
  mutable: boolean;
  list: SList;
  /** Where the initializer starts in `list.items`. */
  from: number;
  import?: [Uint8Array, Uint8Array];
}

interface Export {
  name: Uint8Array;
  kind: number;
  ref: SAtom | number;
}

const SECTION = { type: 1, import: 2, function: 3, memory: 5, global: 6, export: 7, start: 8, code: 10, data: 11, dataCount: 12 } as const;
const KIND: Record<string, number> = { func: 0, table: 1, memory: 2, global: 3 };

/** The strings among items[from…], concatenated. */
function strings(items: readonly SExpr[], from: number): Uint8Array {
  const out = new Bytes();
  for (const s of items.slice(from)) out.bytes(stringAt(s, s));
  return out.toArray();
}

const stringAt = (e: SExpr | undefined, at: Pos): Uint8Array => {
  if (e?.kind !== "string") throw new WatError("expected a string", e ?? at);
  return (e as SString).bytes;
};

class ModuleEncoder implements ModuleScope {
  private readonly types: Signature[] = [];
  private readonly typeNames = new Map<string, number>();
  private readonly funcs: Func[] = [];
  private readonly memories: Memory[] = [];
  private readonly globals: Global[] = [];
  private readonly exports: Export[] = [];
  private readonly datas: SList[] = [];
  private readonly names = { func: new Map<string, number>(), memory: new Map<string, number>(), global: new Map<string, number>(), data: new Map<string, number>() };
  /** Imported functions, memories and globals in text order (the import section's order). */
  private readonly imports: (Func | Memory | Global)[] = [];
  private readonly funcTypes = new Map<Func, number>();
  /** Whether a function, memory or global has been defined (then no more imports). */
  private defined = false;
  private start: SAtom | null = null;
  private dataCount = false;

  constructor(private readonly fields: readonly SExpr[]) {}

  encode(): Encoded {
    for (const f of this.fields) this.declare(f);
    // types in order of first use, a function's own before those its body uses (as wabt numbers them)
    const bodies: BodyEncoder[] = [];
    for (const f of this.funcs) {
      this.funcTypes.set(f, this.typeIndex(f.typeRef, f.sig));
      if (!f.import) bodies.push(this.body(f));
    }
    const out = new Bytes(1 << 16).bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, payload: Bytes): void => void (payload.length > 0 && out.byte(id).u32(payload.length).append(payload));
    section(SECTION.type, this.vector(this.types, (b, t) => b.byte(0x60).vec(t.params).vec(t.results)));
    section(SECTION.import, this.vector(this.imports, (b, i) => this.importEntry(b, i)));
    section(SECTION.function, this.vector(this.funcs.filter((f) => !f.import), (b, f) => b.u32(this.funcTypes.get(f)!)));
    section(SECTION.memory, this.vector(this.memories.filter((m) => !m.import), (b, m) => b.bytes(m.limits)));
    section(SECTION.global, this.vector(this.globals.filter((g) => !g.import), (b, g) => this.globalEntry(b, g)));
    section(SECTION.export, this.vector(this.exports, (b, e) => b.vec(e.name).byte(e.kind).u32(this.exportIndex(e))));
    if (this.start) section(SECTION.start, new Bytes().u32(this.func(this.start)));
    if (this.dataCount) section(SECTION.dataCount, new Bytes().u32(this.datas.length));
    const { code, marks } = this.codeSection(bodies);
    // the marks' offsets from the start of the module: past the code section's id and size
    const base = out.length + 1 + new Bytes().u32(code.length).length;
    for (const m of marks) m.offset += base;
    section(SECTION.code, code);
    section(SECTION.data, this.vector(this.datas, (b, d) => this.dataEntry(b, d)));
    return { binary: out.toArray(), marks };
  }

  /** The code section's payload, and each instruction's offset in it. */
  private codeSection(bodies: readonly BodyEncoder[]): { code: Bytes; marks: Mark[] } {
    const marks: Mark[] = [];
    const code = new Bytes(1 << 16);
    if (bodies.length === 0) return { code, marks };
    code.u32(bodies.length);
    for (const b of bodies) {
      code.u32(b.out.length);
      for (const m of b.marks) marks.push({ offset: code.length + m.offset, pos: m.pos });
      code.append(b.out);
    }
    return { code, marks };
  }

  private vector<T>(xs: readonly T[], write: (b: Bytes, x: T) => void): Bytes {
    const b = new Bytes();
    if (xs.length === 0) return b;
    b.u32(xs.length);
    for (const x of xs) write(b, x);
    return b;
  }

  // ---- fields ----

  private declare(field: SExpr): void {
    const head = headOf(field);
    const list = field as SList;
    switch (head) {
      case "type":
        return this.declareType(list);
      case "import":
        return this.declareImport(list);
      case "func":
        return this.declareFunc(list, 1, undefined);
      case "memory":
        return this.declareMemory(list, 1, undefined);
      case "global":
        return this.declareGlobal(list, 1, undefined);
      case "export": {
        const desc = list.items[2] as SList;
        const kind = KIND[headOf(desc) ?? ""];
        if (kind === undefined || kind === KIND.table) throw new WatError("expected (export \"name\" (func|memory|global x))", list);
        this.exports.push({ name: stringAt(list.items[1], list), kind, ref: atomText(desc.items[1], "an index", desc) });
        return;
      }
      case "start":
        this.start = atomText(list.items[1], "a function", list);
        return;
      case "data":
        if (list.items[1]?.kind === "atom" && list.items[1].text.startsWith("$")) this.names.data.set(list.items[1].text, this.datas.length);
        this.datas.push(list);
        return;
      default:
        throw new WatError(`the assembler does not read module field '${head ?? "?"}'`, field);
    }
  }

  private declareType(list: SList): void {
    let i = 1;
    if (isRef(list.items[i])) this.typeNames.set((list.items[i++] as SAtom).text, this.types.length);
    const fn = list.items[i];
    if (headOf(fn) !== "func") throw new WatError("expected (func …) in a type", list);
    this.types.push(readSignature((fn as SList).items, 1).sig);
  }

  private declareImport(list: SList): void {
    const names: [Uint8Array, Uint8Array] = [stringAt(list.items[1], list), stringAt(list.items[2], list)];
    const desc = list.items[3] as SList;
    const head = headOf(desc);
    if (head === "func") this.declareFunc(desc, 1, names);
    else if (head === "memory") this.declareMemory(desc, 1, names);
    else if (head === "global") this.declareGlobal(desc, 1, names);
    else throw new WatError("the assembler imports functions, memories and globals only", list);
  }

  /** `$name? (export "n")* (import "m" "n")?` at the start of a field: the items after them. */
  private header(list: SList, from: number, space: keyof ModuleEncoder["names"], index: number, kind: number): { next: number; inlineImport?: [Uint8Array, Uint8Array] } {
    let i = from;
    if (list.items[i]?.kind === "atom" && (list.items[i] as SAtom).text.startsWith("$")) this.names[space].set((list.items[i++] as SAtom).text, index);
    let inlineImport: [Uint8Array, Uint8Array] | undefined;
    for (;;) {
      const h = headOf(list.items[i]);
      if (h === "export") this.exports.push({ name: stringAt((list.items[i] as SList).items[1], list), kind, ref: index });
      else if (h === "import") inlineImport = [stringAt((list.items[i] as SList).items[1], list), stringAt((list.items[i] as SList).items[2], list)];
      else return { next: i, ...(inlineImport ? { inlineImport } : {}) };
      i++;
    }
  }

  private declareFunc(list: SList, from: number, imported: [Uint8Array, Uint8Array] | undefined): void {
    const { next, inlineImport } = this.header(list, from, "func", this.funcs.length, KIND.func!);
    let i = next;
    let typeRef: SAtom | null = null;
    if (headOf(list.items[i]) === "type") typeRef = atomText((list.items[i++] as SList).items[1], "a type", list);
    const names = new Map<string, number>();
    const { sig, next: after } = readSignature(list.items, i, names);
    this.add(this.funcs, { list, typeRef, sig, names, from: after }, imported ?? inlineImport, list);
  }

  private declareMemory(list: SList, from: number, imported: [Uint8Array, Uint8Array] | undefined): void {
    const { next, inlineImport } = this.header(list, from, "memory", this.memories.length, KIND.memory!);
    const rest = list.items.slice(next);
    const shared = rest.length > 0 && rest[rest.length - 1]!.kind === "atom" && (rest[rest.length - 1] as SAtom).text === "shared";
    const sizes = (shared ? rest.slice(0, -1) : rest).map((e) => u32Of(e, "a memory size in pages", list));
    if (sizes.length < 1 || sizes.length > 2) throw new WatError("expected (memory MIN MAX?)", list);
    const limits = new Bytes().byte((sizes.length === 2 ? 1 : 0) | (shared ? 2 : 0));
    for (const s of sizes) limits.u32(s);
    this.add(this.memories, { limits: Array.from(limits.toArray()) }, imported ?? inlineImport, list);
  }

  private declareGlobal(list: SList, from: number, imported: [Uint8Array, Uint8Array] | undefined): void {
    const { next, inlineImport } = this.header(list, from, "global", this.globals.length, KIND.global!);
    const t = list.items[next];
    const mutable = headOf(t) === "mut";
    const type = valueType(mutable ? (t as SList).items[1] : t, list);
    this.add(this.globals, { type, mutable, list, from: next + 1 }, imported ?? inlineImport, list);
  }

  /** Adds a function, memory or global; imports come first in the text, so indices are in text order. */
  private add<T extends Func | Memory | Global>(space: T[], item: T, imported: [Uint8Array, Uint8Array] | undefined, at: Pos): void {
    if (imported) {
      if (this.defined) throw new WatError("an import after a definition (imports come first)", at);
      item.import = imported;
      this.imports.push(item);
    } else this.defined = true;
    space.push(item);
  }

  // ---- sections ----

  private importEntry(b: Bytes, i: Func | Memory | Global): void {
    b.vec(i.import![0]).vec(i.import![1]);
    if ("sig" in i) b.byte(KIND.func!).u32(this.funcTypes.get(i)!);
    else if ("limits" in i) b.byte(KIND.memory!).bytes(i.limits);
    else b.byte(KIND.global!).byte(i.type).byte(i.mutable ? 1 : 0);
  }

  private body(f: Func): BodyEncoder {
    const names = new Map(f.names);
    const locals: number[] = [];
    let i = f.from;
    for (; headOf(f.list.items[i]) === "local"; i++) {
      const list = f.list.items[i] as SList;
      const named = list.items[1]?.kind === "atom" && list.items[1].text.startsWith("$");
      const types = named ? [list.items[2]] : list.items.slice(1);
      if (named) names.set((list.items[1] as SAtom).text, f.sig.params.length + locals.length);
      for (const t of types) locals.push(valueType(t, list));
    }
    const enc = new BodyEncoder(this, names);
    // locals in runs of one type
    const runs: [number, number][] = [];
    for (const t of locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    enc.out.u32(runs.length);
    for (const [n, t] of runs) enc.out.u32(n).byte(t);
    enc.body(f.list.items, i, f.list);
    return enc;
  }

  private globalEntry(b: Bytes, g: Global): void {
    const init = new BodyEncoder(this, new Map());
    init.body(g.list.items, g.from, g.list);
    b.byte(g.type).byte(g.mutable ? 1 : 0).bytes(init.out.toArray());
  }

  /** Active `(data (memory m)? (offset …)|(instr) "…"*)` or passive `(data "…"*)`. */
  private dataEntry(b: Bytes, d: SList): void {
    let i = d.items[1]?.kind === "atom" && d.items[1].text.startsWith("$") ? 2 : 1;
    let memory = 0;
    if (headOf(d.items[i]) === "memory") memory = this.memory(atomText((d.items[i++] as SList).items[1], "a memory", d));
    const offset = d.items[i];
    if (offset?.kind !== "list") {
      b.byte(1).vec(strings(d.items, i));
      return;
    }
    const init = new BodyEncoder(this, new Map());
    if (headOf(offset) === "offset") init.body(offset.items, 1, offset);
    else init.body([offset], 0, offset);
    if (memory === 0) b.byte(0);
    else b.byte(2).u32(memory);
    b.bytes(init.out.toArray()).vec(strings(d.items, i + 1));
  }

  private exportIndex(e: Export): number {
    if (typeof e.ref === "number") return e.ref;
    const space = (["func", "table", "memory", "global"] as const)[e.kind]!;
    return space === "table" ? this.table(e.ref) : this[space](e.ref);
  }

  // ---- ModuleScope ----

  private resolve(space: keyof ModuleEncoder["names"], count: number, ref: SAtom): number {
    const k = ref.text.startsWith("$") ? this.names[space].get(ref.text) : u32Of(ref, `a ${space} index`, ref);
    if (k === undefined || k >= count) throw new WatError(`unknown ${space} ${ref.text}`, ref);
    return k;
  }

  func(ref: SAtom): number {
    return this.resolve("func", this.funcs.length, ref);
  }

  global(ref: SAtom): number {
    return this.resolve("global", this.globals.length, ref);
  }

  memory(ref: SAtom): number {
    return this.resolve("memory", this.memories.length, ref);
  }

  data(ref: SAtom): number {
    return this.resolve("data", this.datas.length, ref);
  }

  table(ref: SAtom): number {
    throw new WatError(`the assembler has no tables (${ref.text})`, ref);
  }

  typeIndex(ref: SAtom | null, sig: Signature): number {
    if (ref) {
      const k = ref.text.startsWith("$") ? this.typeNames.get(ref.text) : u32Of(ref, "a type index", ref);
      if (k === undefined || k >= this.types.length) throw new WatError(`unknown type ${ref.text}`, ref);
      return k;
    }
    const key = JSON.stringify(sig);
    const k = this.types.findIndex((t) => JSON.stringify(t) === key);
    return k >= 0 ? k : this.types.push(sig) - 1;
  }

  needsDataCount(): void {
    this.dataCount = true;
  }
}
