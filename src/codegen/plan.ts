// The codegen plan: which IR nodes get storage of their own and which are fused into the loop of
// their consumer. A node is *materialized* (a module-level typed array, or a plain number for a
// scalar) when something needs it as a whole: a matmul operand, a value used twice, a result the
// module returns. Everything else element-wise is *inlined*: computed inside its consumer's loop
// (bias and activation in the matmul's epilogue, an activation's derivative in the backward loop),
// and a cheap difference of stored values used by a few loops (yhat - y) is recomputed in each.
import type { Node, Shape } from "../graph/node.ts";
import type { IRModel } from "../ir/model.ts";
import type { OpDef, OpKind } from "../ops/types.ts";
import { getOp } from "../ops/registry.ts";
import { topoOrder } from "../graph/node.ts";
import { opCodegen } from "./ops.ts";

/** Where a node's value lives in generated code. */
export type Storage =
  /** An input, target or param: a function argument (tensor) or a number read from it (scalar). */
  | { kind: "leaf"; role: "param" | "data"; index: number }
  /** A module-level typed array of the node's shape, allocated once. */
  | { kind: "buffer" }
  /** A plain number: a function-local `const`. */
  | { kind: "scalar" }
  /** Computed where it is used: constants, views (expand, transpose), fused element-wise nodes. */
  | { kind: "inline" };

export interface Plan {
  ir: IRModel;
  /** Every node reachable from the module's results, arguments first. */
  order: Node[];
  uses: Map<Node, number>;
  storage: Map<Node, Storage>;
  /** A matmul or reduction whose result goes straight into an element-wise consumer: consumer → producer. */
  epilogue: Map<Node, Node>;
  /** The producer side of `epilogue`: matmul or reduction → its consumer. */
  fusedProducer: Map<Node, Node>;
  /** Leaves and constants that are results themselves: copied into storage of their own. */
  copies: Map<Node, Storage>;
  roots: Set<Node>;
}

/** Deeper fused expressions are cut (materialized) so emitted lines stay readable. */
const MAX_FUSED_DEPTH = 10;
/** Ops marked `recompute` (ops.ts) are recomputed in at most this many loops. */
const MAX_RECOMPUTED = 3;

export const opOf = (node: Node): OpDef => getOp(node.op);
export const kindOf = (node: Node): OpKind => opOf(node).kind;
export const isScalar = (shape: Shape): boolean => shape.length === 0;
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Ops whose kernel reads each operand once per output element at its own index (fusable input). */
const fusesOperands = (node: Node): boolean => opCodegen[node.op].fusesOperands === true;

/** The operand shape the consumer iterates while reading `arg` (mse iterates the broadcast shape). */
function iterationShape(consumer: Node, arg: Node): Shape {
  // pad and concat loop over each operand's own shape
  if (kindOf(consumer) === "pad" || kindOf(consumer) === "concat") return arg.shape;
  if (consumer.op === "mse") {
    const [a, b] = consumer.args as [Node, Node];
    const rank = Math.max(a.shape.length, b.shape.length);
    return Array.from({ length: rank }, (_, i) => {
      const da = a.shape[a.shape.length - rank + i] ?? 1;
      const db = b.shape[b.shape.length - rank + i] ?? 1;
      return da === 1 ? db : da;
    });
  }
  if (kindOf(consumer) === "reduce") return consumer.args[0]!.shape;
  return consumer.shape;
}

/**
 * Kernels that read an operand many times, or at computed offsets: they need it in a buffer. A
 * reshape is a view that reads its operand at a flat offset, so the operand is stored too; a
 * slice reads it at shifted axes, which an inlined operand computes as well as a stored one.
 */
function needsBufferOperands(node: Node): boolean {
  const k = kindOf(node);
  if (k === "elementwise" || k === "dropout" || k === "expand" || k === "transpose" || k === "slice" || k === "leaf") return false;
  return !fusesOperands(node);
}

export function makePlan(ir: IRModel, roots: readonly Node[]): Plan {
  const rootSet = new Set(roots);
  const order = topoOrder(roots);
  const uses = new Map<Node, number>();
  const consumers = new Map<Node, Node[]>();
  for (const n of order) {
    uses.set(n, rootSet.has(n) ? 1 : 0);
    consumers.set(n, []);
  }
  for (const n of order)
    for (const a of n.args) {
      uses.set(a, uses.get(a)! + 1);
      consumers.get(a)!.push(n);
    }

  const leafIndex = leafPositions(ir);
  const storage = new Map<Node, Storage>();
  const depth = new Map<Node, number>();
  const copies = new Map<Node, Storage>();

  // Operands a kernel needs whole: through a transpose (a matmul reads it with its trans flag).
  const mustMaterialize = new Set<Node>();
  for (const n of order) {
    if (!needsBufferOperands(n)) continue;
    for (const a of n.args) {
      if (n.op === "matmul" && a.op === "transpose" && !rootSet.has(a)) mustMaterialize.add(a.args[0]!);
      else mustMaterialize.add(a);
    }
  }

  for (const n of order) {
    const op = opOf(n);
    if (op.kind === "leaf") {
      const leaf = n.op === "const" ? undefined : leafIndex.get(n.attrs.name ?? "");
      if (leaf) storage.set(n, leaf);
      else if (n.op === "const") storage.set(n, { kind: "inline" });
      else throw new Error(`internal error: ${n.op} ${String(n.attrs.name)} is not declared by the model`);
      if (rootSet.has(n)) copies.set(n, isScalar(n.shape) ? { kind: "scalar" } : { kind: "buffer" });
      depth.set(n, 0);
      continue;
    }
    const argDepth = Math.max(0, ...n.args.map((a) => (storage.get(a)?.kind === "inline" ? depth.get(a)! : 0)));
    depth.set(n, argDepth + 1);
    const materialized = rootSet.has(n) || mustMaterialize.has(n) || !canInline(n);
    if (materialized) {
      storage.set(n, isScalar(n.shape) ? { kind: "scalar" } : { kind: "buffer" });
      depth.set(n, 0);
    } else storage.set(n, { kind: "inline" });
  }

  function canInline(n: Node): boolean {
    const k = kindOf(n);
    // matmul, reductions, row-wise ops and losses own their kernel (a matmul in a consumer's
    // epilogue is still planned here, then wired up below)
    if (k !== "elementwise" && k !== "dropout" && k !== "expand" && k !== "transpose" && k !== "reshape" && k !== "slice") return false;
    if (k === "expand" || k === "transpose" || k === "reshape" || k === "slice") return true; // views: an index map, no work
    if (depth.get(n)! > MAX_FUSED_DEPTH) return false;
    if (uses.get(n)! > 1) return recomputable(n);
    if (uses.get(n) !== 1) return false;
    const consumer = consumers.get(n)![0]!;
    if (!fusesOperands(consumer)) return false;
    if (isScalar(n.shape)) {
      // a scalar stays inline only inside scalar arithmetic; a tensor loop reads it from a local
      return isScalar(consumer.shape) && kindOf(consumer) === "elementwise" && !ir.names.has(n);
    }
    // inline only where it is read once per element (no recomputation under broadcasting)
    return sameShape(n.shape, iterationShape(consumer, n));
  }

  /**
   * A cheap difference or sum of stored values (the residual yhat - y) used by several loops is
   * recomputed in each of them rather than stored: one subtraction per element instead of a
   * buffer and a pass that writes it.
   */
  function recomputable(n: Node): boolean {
    if (!opCodegen[n.op].recompute || isScalar(n.shape) || uses.get(n)! > MAX_RECOMPUTED) return false;
    const stored = (a: Node): boolean => {
      const st = storage.get(a)?.kind;
      // (a single-use, non-result matmul or sum may yet be fused into a consumer's kernel)
      return a.op === "const" || st === "leaf" || (st === "buffer" && (!isProducer(a) || rootSet.has(a) || uses.get(a)! > 1));
    };
    if (!n.args.every(stored)) return false;
    return consumers.get(n)!.every((c) => fusesOperands(c) && !isScalar(c.shape) && sameShape(n.shape, iterationShape(c, n)));
  }

  // Epilogues: a single-use matmul, convolution or sum/mean feeding an element-wise node of its own shape,
  // through element-wise nodes of that shape only, computes straight into that node's buffer.
  const epilogue = new Map<Node, Node>();
  const fusedProducer = new Map<Node, Node>();
  for (const n of order) {
    if (storage.get(n)?.kind !== "buffer" || kindOf(n) !== "elementwise") continue;
    const m = findEpilogueMatmul(n);
    if (m) {
      epilogue.set(n, m);
      fusedProducer.set(m, n);
      storage.set(m, { kind: "inline" });
    }
  }

  function findEpilogueMatmul(e: Node): Node | undefined {
    const stack: Node[] = [...e.args];
    while (stack.length > 0) {
      const a = stack.pop()!;
      if (!sameShape(a.shape, e.shape)) continue;
      if (isProducer(a) && uses.get(a) === 1 && !rootSet.has(a) && !fusedProducer.has(a)) return a;
      if (storage.get(a)?.kind === "inline" && kindOf(a) === "elementwise") stack.push(...a.args);
    }
    return undefined;
  }

  return { ir, order, uses, storage, epilogue, fusedProducer, copies, roots: rootSet };
}

/** Kernels that can finish with an element-wise epilogue. */
const isProducer = (n: Node): boolean => opCodegen[n.op].epilogue === true;

/** Each leaf's argument slot: params and data in the order `meta` lists them. */
function leafPositions(ir: IRModel): Map<string, Storage> {
  const m = new Map<string, Storage>();
  ir.checked.params.forEach((p, index) => m.set(p.name, { kind: "leaf", role: "param", index }));
  ir.checked.data.forEach((d, index) => m.set(d.name, { kind: "leaf", role: "data", index }));
  return m;
}

/**
 * The stored nodes (leaves, buffers, scalars) that the kernels of `kernels` read: each kernel's
 * arguments, looked through where they are inline (fused, views, constants). A kernel that copies
 * a leaf or constant result reads that node itself.
 */
export function readsOf(plan: Plan, kernels: readonly Node[]): Set<Node> {
  const reads = new Set<Node>();
  const seen = new Set<Node>();
  for (const n of kernels) {
    if (plan.copies.has(n)) {
      if (plan.storage.get(n)!.kind !== "inline") reads.add(n);
      continue;
    }
    const stack = [...n.args];
    while (stack.length > 0) {
      const a = stack.pop()!;
      if (plan.storage.get(a)!.kind !== "inline") reads.add(a);
      else if (!seen.has(a)) {
        seen.add(a);
        stack.push(...a.args);
      }
    }
  }
  return reads;
}
