// Scalar WAT expressions for one element of a node, at a symbolic index: the wasm twin of
// ../expr.ts. A stored node is a load from its place in linear memory; an inlined node is expanded
// through its op's entry in ./ops.ts, with broadcasting, `expand` and `transpose` turned into index
// arithmetic on the literal shapes. An operand a template reads twice is computed once into a
// local first (the statements in `stmts`).
import type { Attrs, Node, Shape } from "../../graph/node.ts";
import type { Plan } from "../plan.ts";
import { opOf, sameShape } from "../plan.ts";
import { strides } from "../expr.ts";
import { fconst, lin, load, type Lin, type Num, type WatFunction } from "./wat.ts";
import { wasmOp } from "./ops.ts";
import type { Layout } from "./layout.ts";
import type { FusedUpdate } from "./step.ts";

/** One element: per axis a loop local, a constant, or a linear expression (a slice's shifted axis), and the flat offset when known. */
export type WAxis = string | number | Lin;

export interface WIndex {
  axes: readonly WAxis[];
  flat: Lin | null;
}

export const scalarWIndex: WIndex = { axes: [], flat: null };

/** A value the kernel supplies itself for a node (a product's finished sum in its epilogue). */
export type WOverride = (idx: WIndex) => string;

/** The error for an op the wasm target cannot emit yet; the command layer adds the source position. */
export class WasmUnsupported extends Error {
  constructor(readonly op: string) {
    super(`the wasm target does not support ${op} yet (use --target js)`);
    this.name = "WasmUnsupported";
  }
}

export interface WasmKernelContext {
  plan: Plan;
  num: Num;
  layout: Layout;
  fn: WatFunction;
  /** Sparse operands whose rows are listed already (by a product emitted earlier: ./sparse.ts). */
  listed: Set<Node>;
  /** The optimizer update this kernel applies to its finished stores (./fuse.ts), if any. */
  update?: FusedUpdate;
}

const isCheap = (text: string): boolean => /^\((local\.get \$[\w]+|f(32|64)\.const [^()]+)\)$/.test(text) || /^\(f(32|64)\.load offset=\d+ \(i32\.const 0\)\)$/.test(text);

export class WasmExprWriter {
  readonly stmts: string[] = [];
  usedAxes = false;

  constructor(
    private readonly ctx: WasmKernelContext,
    private readonly overrides: ReadonlyMap<Node, WOverride> = new Map(),
  ) {}

  flatOf(idx: WIndex, shape: Shape): Lin {
    if (idx.flat !== null) return idx.flat;
    const st = strides(shape);
    const l = lin(idx.axes.map((a, i) => [shape[i] === 1 ? 0 : a, st[i]!] as const));
    if (l.terms.length > 0) this.usedAxes = true;
    return l;
  }

  value(node: Node, idx: WIndex): string {
    const given = this.overrides.get(node);
    if (given !== undefined) return given(idx);
    const st = this.ctx.plan.storage.get(node);
    if (!st) throw new Error(`internal error: codegen has no plan for node ${node.id} (${node.op})`);
    if (st.kind === "leaf" || st.kind === "buffer" || st.kind === "scalar") {
      const base = this.ctx.layout.offsetOf(node);
      return load(this.ctx.num, base, node.shape.length === 0 ? lin([]) : this.flatOf(idx, node.shape));
    }
    return this.compute(node, idx);
  }

  /** The expression that computes `node` itself at `idx` (not a read of its storage). */
  define(node: Node, idx: WIndex): string {
    if (this.ctx.plan.storage.get(node)?.kind === "leaf") return this.value(node, idx);
    return this.compute(node, idx);
  }

  private compute(node: Node, idx: WIndex): string {
    switch (opOf(node).kind) {
      case "leaf":
        return fconst(this.ctx.num, node.attrs.value ?? NaN);
      case "expand":
        return this.value(node.args[0]!, expandIndex(node, idx));
      case "transpose":
        return this.value(node.args[0]!, { axes: [idx.axes[1]!, idx.axes[0]!], flat: null });
      case "slice":
        return this.value(node.args[0]!, { axes: sliceWAxes(node.attrs, idx.axes), flat: null });
      case "reshape": {
        // the same row-major offset in the (stored) operand
        const arg = node.args[0]!;
        if (arg.shape.length === 0) return this.value(arg, scalarWIndex);
        return this.value(arg, { axes: [], flat: node.shape.length === 0 ? lin([]) : this.flatOf(idx, node.shape) });
      }
      case "elementwise":
        return this.elementwise(node, idx);
      case "dropout": {
        // x times the site's mask: 0 or 1/(1 - p) per entry while training, else 1
        const x = this.value(node.args[0]!, idx);
        const mask = this.ctx.layout.mask(node.attrs.site!).offset;
        return `(${this.ctx.num.t}.mul ${x} ${load(this.ctx.num, mask, node.shape.length === 0 ? lin([]) : this.flatOf(idx, node.shape))})`;
      }
      default:
        throw new Error(`internal error: ${node.op} node ${node.id} is not computed before it is read`);
    }
  }

  private elementwise(node: Node, idx: WIndex): string {
    const op = wasmOp(node.op);
    if (op.kind !== "scalar") throw new WasmUnsupported(node.op);
    const num = this.ctx.num;
    if (isSquare(node)) {
      const x = this.bound(this.value(node.args[0]!, broadcastWIndex(node.args[0]!.shape, node.shape, idx)));
      return `(${num.t}.mul ${x} ${x})`;
    }
    const counts = usesPerOperand(node.op, node.args.length, num);
    const args = node.args.map((a, i) => {
      const text = this.value(a, broadcastWIndex(a.shape, node.shape, idx));
      return counts[i]! > 1 ? this.bound(text) : text;
    });
    return op.emit(args, num, node.attrs);
  }

  /** `text`, computed once into a local when it is more than a read. */
  private bound(text: string): string {
    if (isCheap(text)) return text;
    const t = this.ctx.fn.temp("t", this.ctx.num.t);
    this.stmts.push(`(local.set $${t} ${text})`);
    return `(local.get $${t})`;
  }
}

const templateUses = new Map<string, number[]>();

/** How many times an op's WAT template uses each operand. */
function usesPerOperand(op: string, arity: number, num: Num): number[] {
  const key = `${op}/${num.t}`;
  const cached = templateUses.get(key);
  if (cached) return cached;
  const entry = wasmOp(op);
  if (entry.kind !== "scalar") return new Array<number>(arity).fill(1);
  const marks = Array.from({ length: arity }, (_, i) => `\u0001${i}\u0001`);
  const text = entry.emit(marks, num, {});
  const counts = marks.map((m) => text.split(m).length - 1);
  templateUses.set(key, counts);
  return counts;
}

/** pow(x, 2) is x · x: exact, and no call. */
const isSquare = (node: Node): boolean => node.op === "pow" && node.args[1]!.op === "const" && node.args[1]!.attrs.value === 2;

/** The index of an operand broadcast (trailing alignment) to `out`. */
export function broadcastWIndex(arg: Shape, out: Shape, idx: WIndex): WIndex {
  if (arg.length === 0) return { axes: [], flat: null };
  if (sameShape(arg, out)) return idx;
  const lead = out.length - arg.length;
  return { axes: arg.map((d, i) => (d === 1 ? 0 : idx.axes[i + lead]!)), flat: null };
}

function expandIndex(node: Node, idx: WIndex): WIndex {
  const arg = node.args[0]!;
  const out = node.shape;
  const dims = node.attrs.dims ?? arg.shape.map((_, i) => out.length - arg.shape.length + i);
  if (sameShape(arg.shape, out) && dims.every((d, i) => d === i)) return idx;
  return { axes: arg.shape.map((d, i) => (d === 1 ? 0 : idx.axes[dims[i]!]!)), flat: null };
}

/**
 * The index, in the whole tensor, of an element of a slice's region: the region's axes shifted by
 * where it begins, and the dropped axes (indexed by an integer) at their index.
 */
export function sliceWAxes(attrs: Readonly<Attrs>, regionAxes: readonly WAxis[]): WAxis[] {
  const drop = new Set(attrs.drop ?? []);
  let k = 0;
  return attrs.begin!.map((b, d) => (drop.has(d) ? b : lin([[regionAxes[k++] ?? 0, 1], [b, 1]])));
}
