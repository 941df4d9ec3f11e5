// Function bodies: instructions, folded (`(i32.add (local.get $a) (i32.const 1))`, operands
// first) or flat (`local.get $a i32.const 1 i32.add`), with their immediates read by the kind the
// opcode table gives and written in the binary format; labels and locals resolved by name. Each
// instruction's byte offset is kept with its place in the text, so that the engine's validation
// error can point at the line of the .wat (assemble.ts).
import { OPCODES, VALUE_TYPES, type Opcode } from "./opcodes.ts";
import { Bytes, F32, F64, floatBits, integerIn, type FloatFormat } from "./numbers.ts";
import { WatError, type Pos, type SAtom, type SExpr, type SList } from "./sexpr.ts";

/** A function type: parameter and result value types (binary codes). */
export interface Signature {
  params: number[];
  results: number[];
}

/** What a body refers to outside itself: indices of functions, globals, types, data segments. */
export interface ModuleScope {
  func(ref: SAtom): number;
  global(ref: SAtom): number;
  data(ref: SAtom): number;
  memory(ref: SAtom): number;
  table(ref: SAtom): number;
  /** The index of a type: the one named by `(type …)`, else the first with this signature (added if none). */
  typeIndex(ref: SAtom | null, sig: Signature): number;
  /** memory.init and data.drop need the data count section. */
  needsDataCount(): void;
}

/** The offset of an instruction in the body, and where it is in the text. */
export interface Mark {
  offset: number;
  pos: Pos;
}

const U32 = [0n, 0xffffffffn] as const;

/** An index or name list atom: `$name` or a number. */
export const isRef = (e: SExpr | undefined): e is SAtom => e?.kind === "atom" && (e.text.startsWith("$") || /^[0-9]/.test(e.text));

export function atomText(e: SExpr | undefined, what: string, at: Pos): SAtom {
  if (e?.kind !== "atom") throw new WatError(`expected ${what}`, e ?? at);
  return e;
}

export function headOf(e: SExpr | undefined): string | null {
  return e?.kind === "list" && e.items[0]?.kind === "atom" ? e.items[0].text : null;
}

export function valueType(e: SExpr | undefined, at: Pos): number {
  const a = atomText(e, "a value type", at);
  const t = VALUE_TYPES[a.text];
  if (t === undefined) throw new WatError(`unknown value type '${a.text}'`, a);
  return t;
}

export function u32Of(e: SExpr | undefined, what: string, at: Pos): number {
  const a = atomText(e, what, at);
  const v = integerIn(a.text, ...U32);
  if (v === null) throw new WatError(`expected ${what}, got '${a.text}'`, a);
  return Number(v);
}

/** Reads `(param …)` and `(result …)` lists from items[from…]: the signature and where they end. */
export function readSignature(items: readonly SExpr[], from: number, names?: Map<string, number>): { sig: Signature; next: number } {
  const sig: Signature = { params: [], results: [] };
  let i = from;
  for (; headOf(items[i]) === "param"; i++) {
    const list = items[i] as SList;
    const named = list.items[1]?.kind === "atom" && list.items[1].text.startsWith("$");
    if (named) {
      names?.set((list.items[1] as SAtom).text, sig.params.length);
      sig.params.push(valueType(list.items[2], list));
    } else for (const t of list.items.slice(1)) sig.params.push(valueType(t, list));
  }
  for (; headOf(items[i]) === "result"; i++) for (const t of (items[i] as SList).items.slice(1)) sig.results.push(valueType(t, items[i]!));
  return { sig, next: i };
}

/** A cursor over a list's items. */
interface Cursor {
  items: readonly SExpr[];
  i: number;
  /** Where the list is, for errors past its end. */
  at: Pos;
}

/** The encoder of one function body (or a constant expression): instructions into `out`. */
export class BodyEncoder {
  readonly out = new Bytes(4096);
  readonly marks: Mark[] = [];
  /** Enclosing blocks' labels, innermost last; the function body is the outermost, unnamed. */
  private readonly labels: (string | null)[] = [null];
  /** Where the last `else` was written (to leave out an empty one). */
  private elseAt = -1;

  constructor(
    private readonly scope: ModuleScope,
    private readonly locals: ReadonlyMap<string, number>,
  ) {}

  /** Every instruction of items[from…], then `end`. */
  body(items: readonly SExpr[], from: number, at: Pos): void {
    this.sequence({ items, i: from, at });
    this.out.byte(0x0b);
  }

  private sequence(cur: Cursor): void {
    while (cur.i < cur.items.length) this.instruction(cur);
  }

  private instruction(cur: Cursor): void {
    const item = cur.items[cur.i++]!;
    if (item.kind === "list") return this.folded(item);
    if (item.kind === "string") throw new WatError("unexpected string among instructions", item);
    const op = this.opcode(item);
    if (op.imm === "block") this.blockStart(op, cur, item);
    else if (op.imm === "else" || op.imm === "end") this.blockEnd(op, cur, item);
    else this.emit(op, this.immediates(op, cur), item);
  }

  private opcode(name: SAtom): Opcode {
    const op = OPCODES.get(name.text);
    if (!op) throw new WatError(`unknown WebAssembly instruction '${name.text}'`, name);
    return op;
  }

  private emit(op: Opcode, imm: Bytes | null, pos: Pos): void {
    this.marks.push({ offset: this.out.length, pos: { line: pos.line, col: pos.col } });
    // a select with `(result t)` has an opcode of its own
    this.out.bytes(op.imm === "select" && imm ? [0x1c] : op.code);
    if (imm) this.out.append(imm);
  }

  /** `(op immediates… operands…)`: the operands, then the instruction; block, loop and if nest. */
  private folded(list: SList): void {
    const head = atomText(list.items[0], "an instruction", list);
    const op = this.opcode(head);
    const cur: Cursor = { items: list.items, i: 1, at: list };
    if (op.imm === "else" || op.imm === "end") throw new WatError(`'${head.text}' cannot be folded`, head);
    if (op.imm !== "block") {
      const imm = this.immediates(op, cur);
      this.sequence(cur);
      this.emit(op, imm, head);
      return;
    }
    if (head.text !== "if") {
      this.blockStart(op, cur, head);
      this.sequence(cur);
      this.closeBlock(head);
      return;
    }
    const label = this.optionalLabel(cur);
    const type = this.blockType(cur);
    while (cur.i < cur.items.length && headOf(cur.items[cur.i]) !== "then") this.instruction(cur);
    const then = cur.items[cur.i++];
    if (headOf(then) !== "then") throw new WatError("expected (then …) in a folded if", list);
    this.labels.push(label);
    this.emit(op, type, head);
    this.sequence({ items: (then as SList).items, i: 1, at: then! });
    const otherwise = cur.items[cur.i++];
    if (otherwise !== undefined) {
      if (headOf(otherwise) !== "else") throw new WatError("expected (else …) after (then …)", otherwise);
      if ((otherwise as SList).items.length > 1) this.emit(OPCODES.get("else")!, null, otherwise);
      this.sequence({ items: (otherwise as SList).items, i: 1, at: otherwise });
    }
    if (cur.i < cur.items.length) throw new WatError("unexpected item after (else …)", cur.items[cur.i]!);
    this.closeBlock(head);
  }

  private blockStart(op: Opcode, cur: Cursor, at: Pos): void {
    const label = this.optionalLabel(cur);
    const type = this.blockType(cur);
    this.labels.push(label);
    this.emit(op, type, at);
  }

  /** Flat `else` or `end`, with an optional label that must match the block's. */
  private blockEnd(op: Opcode, cur: Cursor, at: SAtom): void {
    const given = this.optionalLabel(cur);
    if (this.labels.length === 1) throw new WatError(`'${at.text}' outside a block`, at);
    if (given !== null && given !== this.labels[this.labels.length - 1]) throw new WatError(`mismatched label ${given}`, at);
    if (op.imm === "else") this.elseAt = this.out.length;
    else {
      this.labels.pop();
      // an empty else is left out (as wabt does)
      if (this.elseAt === this.out.length - 1) this.dropElse();
    }
    this.emit(op, null, at);
  }

  private dropElse(): void {
    this.out.truncate(this.elseAt);
    this.marks.pop();
    this.elseAt = -1;
  }

  private closeBlock(at: Pos): void {
    this.labels.pop();
    this.marks.push({ offset: this.out.length, pos: { line: at.line, col: at.col } });
    this.out.byte(0x0b);
  }

  private optionalLabel(cur: Cursor): string | null {
    const a = cur.items[cur.i];
    if (a?.kind === "atom" && a.text.startsWith("$")) {
      cur.i++;
      return a.text;
    }
    return null;
  }

  /** `(type $t)? (param …)* (result …)*`: empty, one value type, or a type index. */
  private blockType(cur: Cursor): Bytes {
    const out = new Bytes();
    let ref: SAtom | null = null;
    if (headOf(cur.items[cur.i]) === "type") ref = atomText((cur.items[cur.i++] as SList).items[1], "a type", cur.at);
    const { sig, next } = readSignature(cur.items, cur.i);
    cur.i = next;
    if (ref === null && sig.params.length === 0 && sig.results.length <= 1) return sig.results.length === 0 ? out.byte(0x40) : out.byte(sig.results[0]!);
    return out.sleb(BigInt(this.scope.typeIndex(ref, sig)));
  }

  private label(ref: SAtom): number {
    if (!ref.text.startsWith("$")) return u32Of(ref, "a label", ref);
    const k = this.labels.lastIndexOf(ref.text);
    if (k < 0) throw new WatError(`unknown label ${ref.text}`, ref);
    return this.labels.length - 1 - k;
  }

  private local(ref: SAtom): number {
    if (!ref.text.startsWith("$")) return u32Of(ref, "a local", ref);
    const k = this.locals.get(ref.text);
    if (k === undefined) throw new WatError(`unknown local ${ref.text}`, ref);
    return k;
  }

  /** The immediates of `op` read from the cursor, encoded. */
  private immediates(op: Opcode, cur: Cursor): Bytes | null {
    if (op.imm === "none") return null;
    const out = new Bytes();
    const next = (what: string): SAtom => atomText(cur.items[cur.i++], what, cur.at);
    const ref = (what: string): SAtom => {
      if (!isRef(cur.items[cur.i])) throw new WatError(`expected ${what}`, cur.items[cur.i] ?? cur.at);
      return cur.items[cur.i++] as SAtom;
    };
    const optionalRef = (): SAtom | null => (isRef(cur.items[cur.i]) ? (cur.items[cur.i++] as SAtom) : null);
    switch (op.imm) {
      case "memarg":
      case "memarg_lane":
        this.memarg(op, cur, out);
        if (op.imm === "memarg_lane") out.byte(u32Of(cur.items[cur.i++], "a lane index", cur.at));
        return out;
      case "lane":
        return out.byte(u32Of(cur.items[cur.i++], "a lane index", cur.at));
      case "shuffle":
        for (let k = 0; k < 16; k++) out.byte(u32Of(cur.items[cur.i++], "16 lane indices", cur.at));
        return out;
      case "v128":
        return this.v128(cur, out);
      case "i32":
      case "i64":
        return out.sleb(integer(next("an integer"), op.imm === "i32" ? 32 : 64));
      case "f32":
      case "f64":
        return out.fixed(float(next("a float"), op.imm === "f32" ? F32 : F64), op.imm === "f32" ? 4 : 8);
      case "local":
        return out.u32(this.local(ref("a local")));
      case "global":
        return out.u32(this.scope.global(ref("a global")));
      case "func":
        return out.u32(this.scope.func(ref("a function")));
      case "label":
        return out.u32(this.label(ref("a label")));
      case "br_table": {
        const targets: number[] = [];
        while (isRef(cur.items[cur.i])) targets.push(this.label(cur.items[cur.i++] as SAtom));
        if (targets.length === 0) throw new WatError("br_table needs at least one label", cur.at);
        out.u32(targets.length - 1);
        for (const t of targets) out.u32(t);
        return out;
      }
      case "memory": {
        const m = optionalRef();
        return out.u32(m ? this.scope.memory(m) : 0);
      }
      case "memory2": {
        const a = optionalRef();
        const b = optionalRef();
        return out.u32(a ? this.scope.memory(a) : 0).u32(b ? this.scope.memory(b) : 0);
      }
      case "data_memory": {
        const first = ref("a data segment");
        const second = optionalRef();
        return second ? out.u32(this.scope.data(second)).u32(this.scope.memory(first)) : (this.scope.needsDataCount(), out.u32(this.scope.data(first)).u32(0));
      }
      case "data":
        this.scope.needsDataCount();
        return out.u32(this.scope.data(ref("a data segment")));
      case "select": {
        const { sig, next: after } = readSignature(cur.items, cur.i);
        if (after === cur.i) return null;
        cur.i = after;
        return out.vec(sig.results);
      }
      case "call_indirect": {
        const table = optionalRef();
        let type: SAtom | null = null;
        if (headOf(cur.items[cur.i]) === "type") type = atomText((cur.items[cur.i++] as SList).items[1], "a type", cur.at);
        const { sig, next: after } = readSignature(cur.items, cur.i);
        cur.i = after;
        return out.u32(this.scope.typeIndex(type, sig)).u32(table ? this.scope.table(table) : 0);
      }
      default:
        throw new WatError(`'${op.imm}' has no immediates here`, cur.at);
    }
  }

  /** `offset=N align=N`, both optional: the alignment's log2, then the offset. */
  private memarg(op: Opcode, cur: Cursor, out: Bytes): void {
    let offset = 0n;
    let align = op.align ?? 0;
    for (let a = cur.items[cur.i]; a?.kind === "atom" && /^(offset|align)=/.test(a.text); a = cur.items[++cur.i]) {
      const [key, value] = a.text.split("=") as [string, string];
      const v = integerIn(value, ...U32);
      if (v === null) throw new WatError(`bad ${key} '${value}'`, a);
      if (key === "offset") offset = v;
      else {
        if ((v & (v - 1n)) !== 0n || v === 0n) throw new WatError(`alignment must be a power of two, got ${v}`, a);
        align = v.toString(2).length - 1;
      }
    }
    out.u32(align).u32(Number(offset));
  }

  /** `v128.const SHAPE v…`: sixteen little-endian bytes. */
  private v128(cur: Cursor, out: Bytes): Bytes {
    const shape = atomText(cur.items[cur.i++], "a v128 shape (i32x4, f32x4, …)", cur.at);
    const lanes: Record<string, [number, (a: SAtom) => bigint]> = {
      i8x16: [16, (a) => integer(a, 8)],
      i16x8: [8, (a) => integer(a, 16)],
      i32x4: [4, (a) => integer(a, 32)],
      i64x2: [2, (a) => integer(a, 64)],
      f32x4: [4, (a) => float(a, F32)],
      f64x2: [2, (a) => float(a, F64)],
    };
    const entry = lanes[shape.text];
    if (!entry) throw new WatError(`unknown v128 shape '${shape.text}'`, shape);
    const [count, read] = entry;
    const width = 16 / count;
    for (let k = 0; k < count; k++) out.fixed(BigInt.asUintN(8 * width, read(atomText(cur.items[cur.i++], `${count} lane values`, cur.at))), width);
    return out;
  }
}

/** An integer literal of `bits` bits (signed or unsigned spelling) as its signed value. */
function integer(a: SAtom, bits: number): bigint {
  const v = integerIn(a.text, -(1n << BigInt(bits - 1)), (1n << BigInt(bits)) - 1n);
  if (v === null) throw new WatError(`invalid i${bits} literal '${a.text}'`, a);
  return BigInt.asIntN(bits, v);
}

function float(a: SAtom, f: FloatFormat): bigint {
  const bits = floatBits(a.text, f);
  if (bits === null) throw new WatError(`invalid f${f.bytes * 8} literal '${a.text}'`, a);
  return bits;
}
