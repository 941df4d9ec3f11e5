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

/** A cursor over items[i…end) of a list. */
interface Cursor {
  items: readonly SExpr[];
  i: number;
  end: number;
  /** Where the list is, for errors past its end. */
  at: Pos;
}

const cursor = (items: readonly SExpr[], i: number, at: Pos, end = items.length): Cursor => ({ items, i, end, at });

/** Heads of the lists that are part of an instruction (block types, typed select, call_indirect), not operands. */
const TYPE_LISTS = new Set(["type", "param", "result"]);

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
    this.sequence(cursor(items, from, at));
    this.out.byte(0x0b);
  }

  private sequence(cur: Cursor): void {
    while (cur.i < cur.end) this.instruction(cur);
  }

  private instruction(cur: Cursor): void {
    const item = cur.items[cur.i++]!;
    if (item.kind === "list") return this.folded(item);
    if (item.kind === "string") throw new WatError("unexpected string among instructions", item);
    const op = this.opcode(item);
    if (op.imm === "block") this.blockStart(op, cur, item);
    else if (op.imm === "else" || op.imm === "end") this.blockEnd(op, cur, item);
    else this.emit(op, item, cur);
  }

  private opcode(name: SAtom): Opcode {
    const op = OPCODES.get(name.text);
    if (!op) throw new WatError(`unknown WebAssembly instruction '${name.text}'`, name);
    return op;
  }

  /** The instruction at `pos`: its opcode, then its immediates read from `cur`. */
  private emit(op: Opcode, pos: Pos, cur: Cursor | null): void {
    this.marks.push({ offset: this.out.length, pos: { line: pos.line, col: pos.col } });
    // a select with `(result t)` has an opcode of its own
    const typedSelect = op.imm === "select" && cur !== null && headOf(cur.items[cur.i]) === "result";
    for (const b of typedSelect ? [0x1c] : op.code) this.out.byte(b);
    if (cur) this.immediates(op, cur);
  }

  /** `(op immediates… operands…)`: the operands, then the instruction; block, loop and if nest. */
  private folded(list: SList): void {
    const head = atomText(list.items[0], "an instruction", list);
    const op = this.opcode(head);
    const cur = cursor(list.items, 1, list);
    if (op.imm === "else" || op.imm === "end") throw new WatError(`'${head.text}' cannot be folded`, head);
    if (op.imm === "block" && head.text === "if") return this.foldedIf(op, head, cur);
    if (op.imm === "block") {
      this.blockStart(op, cur, head);
      this.sequence(cur);
      this.closeBlock(head);
      return;
    }
    // the immediates are the atoms (and type lists) before the first operand
    let k = 1;
    while (k < list.items.length && (list.items[k]!.kind !== "list" || TYPE_LISTS.has(headOf(list.items[k]) ?? ""))) k++;
    this.sequence(cursor(list.items, k, list));
    const imm = cursor(list.items, 1, list, k);
    this.emit(op, head, imm);
    if (imm.i < k) throw new WatError(`unexpected immediate of ${head.text}`, list.items[imm.i]!);
  }

  /** `(if $label? type (condition)… (then …) (else …)?)`. */
  private foldedIf(op: Opcode, head: SAtom, cur: Cursor): void {
    const label = this.optionalLabel(cur);
    const type = cursor(cur.items, cur.i, cur.at);
    while (TYPE_LISTS.has(headOf(cur.items[cur.i]) ?? "")) cur.i++;
    while (cur.i < cur.end && headOf(cur.items[cur.i]) !== "then") this.instruction(cur);
    const then = cur.items[cur.i++];
    if (headOf(then) !== "then") throw new WatError("expected (then …) in a folded if", cur.at);
    this.labels.push(label);
    this.emit(op, head, null);
    this.blockType(type);
    this.sequence(cursor((then as SList).items, 1, then!));
    const otherwise = cur.items[cur.i++];
    if (otherwise !== undefined) {
      if (headOf(otherwise) !== "else") throw new WatError("expected (else …) after (then …)", otherwise);
      // an empty else is left out (as wabt does)
      if ((otherwise as SList).items.length > 1) this.emit(OPCODES.get("else")!, otherwise, null);
      this.sequence(cursor((otherwise as SList).items, 1, otherwise));
    }
    if (cur.i < cur.end) throw new WatError("unexpected item after (else …)", cur.items[cur.i]!);
    this.closeBlock(head);
  }

  private blockStart(op: Opcode, cur: Cursor, at: Pos): void {
    this.labels.push(this.optionalLabel(cur));
    this.emit(op, at, null);
    this.blockType(cur);
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
    this.emit(op, at, null);
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
    if (cur.i < cur.end && a?.kind === "atom" && a.text.startsWith("$")) {
      cur.i++;
      return a.text;
    }
    return null;
  }

  /** `(type $t)? (param …)* (result …)*`: empty, one value type, or a type index. */
  private blockType(cur: Cursor): void {
    let ref: SAtom | null = null;
    if (headOf(cur.items[cur.i]) === "type") ref = atomText((cur.items[cur.i++] as SList).items[1], "a type", cur.at);
    const { sig, next } = readSignature(cur.items, cur.i);
    cur.i = next;
    if (ref === null && sig.params.length === 0 && sig.results.length <= 1) this.out.byte(sig.results.length === 0 ? 0x40 : sig.results[0]!);
    else this.out.sleb(BigInt(this.scope.typeIndex(ref, sig)));
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

  private next(cur: Cursor, what: string): SAtom {
    return atomText(cur.i < cur.end ? cur.items[cur.i++] : undefined, what, cur.at);
  }

  private ref(cur: Cursor, what: string): SAtom {
    const r = this.optionalRef(cur);
    if (!r) throw new WatError(`expected ${what}`, cur.items[cur.i] ?? cur.at);
    return r;
  }

  private optionalRef(cur: Cursor): SAtom | null {
    return cur.i < cur.end && isRef(cur.items[cur.i]) ? (cur.items[cur.i++] as SAtom) : null;
  }

  private u8(cur: Cursor, what: string): void {
    const v = u32Of(this.next(cur, what), what, cur.at);
    if (v > 255) throw new WatError(`expected ${what}, got ${v}`, cur.items[cur.i - 1]!);
    this.out.byte(v);
  }

  /** The immediates of `op` read from the cursor, written after its opcode. */
  private immediates(op: Opcode, cur: Cursor): void {
    const out = this.out;
    switch (op.imm) {
      case "none":
        return;
      case "memarg":
      case "memarg_lane":
        this.memarg(op, cur);
        if (op.imm === "memarg_lane") this.u8(cur, "a lane index");
        return;
      case "lane":
        return this.u8(cur, "a lane index");
      case "shuffle":
        for (let k = 0; k < 16; k++) this.u8(cur, "16 lane indices");
        return;
      case "v128":
        return this.v128(cur);
      case "i32":
      case "i64":
        out.sleb(integer(this.next(cur, "an integer"), op.imm === "i32" ? 32 : 64));
        return;
      case "f32":
      case "f64":
        out.fixed(float(this.next(cur, "a float"), op.imm === "f32" ? F32 : F64), op.imm === "f32" ? 4 : 8);
        return;
      case "local":
        out.u32(this.local(this.ref(cur, "a local")));
        return;
      case "global":
        out.u32(this.scope.global(this.ref(cur, "a global")));
        return;
      case "func":
        out.u32(this.scope.func(this.ref(cur, "a function")));
        return;
      case "label":
        out.u32(this.label(this.ref(cur, "a label")));
        return;
      case "br_table": {
        const targets: number[] = [];
        for (let r = this.optionalRef(cur); r; r = this.optionalRef(cur)) targets.push(this.label(r));
        if (targets.length === 0) throw new WatError("br_table needs at least one label", cur.at);
        out.u32(targets.length - 1);
        for (const t of targets) out.u32(t);
        return;
      }
      case "memory":
      case "memory2":
        for (let k = op.imm === "memory" ? 1 : 2; k > 0; k--) {
          const m = this.optionalRef(cur);
          out.u32(m ? this.scope.memory(m) : 0);
        }
        return;
      case "data_memory": {
        // memory.init $memory? $data
        const first = this.ref(cur, "a data segment");
        const second = this.optionalRef(cur);
        this.scope.needsDataCount();
        out.u32(this.scope.data(second ?? first)).u32(second ? this.scope.memory(first) : 0);
        return;
      }
      case "data":
        this.scope.needsDataCount();
        out.u32(this.scope.data(this.ref(cur, "a data segment")));
        return;
      case "select": {
        const { sig, next } = readSignature(cur.items, cur.i);
        if (next === cur.i) return;
        cur.i = next;
        out.vec(sig.results);
        return;
      }
      case "call_indirect": {
        const table = this.optionalRef(cur);
        let type: SAtom | null = null;
        if (headOf(cur.items[cur.i]) === "type") type = atomText((cur.items[cur.i++] as SList).items[1], "a type", cur.at);
        const { sig, next } = readSignature(cur.items, cur.i);
        cur.i = next;
        out.u32(this.scope.typeIndex(type, sig)).u32(table ? this.scope.table(table) : 0);
        return;
      }
      default:
        throw new WatError(`'${op.imm}' has no immediates here`, cur.at);
    }
  }

  /** `offset=N align=N`, both optional: the alignment's log2, then the offset. */
  private memarg(op: Opcode, cur: Cursor): void {
    let offset = 0n;
    let align = op.align ?? 0;
    for (let a = cur.items[cur.i]; cur.i < cur.end && a?.kind === "atom" && /^(offset|align)=/.test(a.text); a = cur.items[++cur.i]) {
      const [key, value] = a.text.split("=") as [string, string];
      const v = integerIn(value, ...U32);
      if (v === null) throw new WatError(`bad ${key} '${value}'`, a);
      if (key === "offset") offset = v;
      else {
        if ((v & (v - 1n)) !== 0n || v === 0n) throw new WatError(`alignment must be a power of two, got ${v}`, a);
        align = v.toString(2).length - 1;
      }
    }
    this.out.u32(align).u32(Number(offset));
  }

  /** `v128.const SHAPE v…`: sixteen little-endian bytes. */
  private v128(cur: Cursor): void {
    const shape = this.next(cur, "a v128 shape (i32x4, f32x4, …)");
    const entry = LANES[shape.text];
    if (!entry) throw new WatError(`unknown v128 shape '${shape.text}'`, shape);
    const [count, read] = entry;
    const width = 16 / count;
    for (let k = 0; k < count; k++) this.out.fixed(BigInt.asUintN(8 * width, read(this.next(cur, `${count} lane values`))), width);
  }
}

/** The lanes of each v128.const shape: how many, and how one is read. */
const LANES: Record<string, [number, (a: SAtom) => bigint]> = {
  i8x16: [16, (a) => integer(a, 8)],
  i16x8: [8, (a) => integer(a, 16)],
  i32x4: [4, (a) => integer(a, 32)],
  i64x2: [2, (a) => integer(a, 64)],
  f32x4: [4, (a) => float(a, F32)],
  f64x2: [2, (a) => float(a, F64)],
};

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
