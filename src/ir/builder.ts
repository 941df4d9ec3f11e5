// The Builder: makes IR nodes through the op registry, so every node gets its shape from its op's
// shape rule (a bad shape here is a compiler bug: it throws an internal error). Numbers given as
// operands become scalar `const` nodes. An optional `rewrite` hook lets the simplifier see every
// node as it is made (smart constructors).
import type { Attrs, Node, OpName, Shape } from "../graph/node.ts";
import { Graph } from "../graph/node.ts";
import { getOp } from "../ops/registry.ts";
import { opAxis, resolveAxis, shapeText } from "../ops/shared.ts";
import type { IRBuilder, OpKind, Operand } from "../ops/types.ts";


/** A compiler bug: the IR was built with shapes an op rejects. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}

/** Attributes as the ops store them: axes non-negative and defaulted (ops/shared.ts opAxis), trailing expand dims left out. */
function normalizeAttrs(op: OpName, kind: OpKind, args: readonly Node[], attrs: Attrs): Attrs {
  if (op === "expand" && attrs.dims && attrs.shape) {
    // dims that say "trailing alignment" are left out, so equal expands are one node
    const { shape, dims } = attrs;
    const rank = args[0]?.shape.length ?? 0;
    if (dims.length === rank && dims.every((d, i) => d === shape.length - rank + i)) return { shape };
    return attrs;
  }
  if (attrs.axis === undefined && kind !== "reduce" && kind !== "rowwise") return attrs;
  const rank = args[0]?.shape.length ?? 0;
  if (typeof resolveAxis(attrs.axis, rank) === "string") return attrs; // the shape rule reports it
  const axis = opAxis(kind, attrs.axis, rank);
  return axis === attrs.axis ? attrs : { ...attrs, axis };
}

export class Builder implements IRBuilder {
  constructor(
    readonly graph: Graph = new Graph(),
    /** Called on every node made (after interning); returns the node to use instead. */
    readonly rewrite?: (node: Node, b: Builder) => Node,
  ) {}

  /** A node of op `name`, with its shape inferred. */
  op(name: OpName, args: readonly Operand[], attrs: Attrs = {}): Node {
    const def = getOp(name);
    const nodes = args.map((a) => (typeof a === "number" ? this.const(a) : a));
    if (def.arity >= 0 && nodes.length !== def.arity) throw new InternalError(`${name} takes ${def.arity} operands, got ${nodes.length}`);
    const at = normalizeAttrs(name, def.kind, nodes, attrs);
    const shape = def.shape(
      nodes.map((n) => n.shape),
      at,
    );
    if (typeof shape === "string") {
      const msg = shape.replace(/\$(\d+)/g, (_, i) => shapeText(nodes[Number(i)]?.shape ?? []));
      throw new InternalError(`internal error: bad shapes for ${name}: ${msg}`);
    }
    const node = this.graph.make(name, nodes, at, shape);
    return this.rewrite ? this.rewrite(node, this) : node;
  }

  /** Makes a node with exactly this op (no rewrite hook): the simplifier's raw constructor. */
  raw(name: OpName, args: readonly Node[], attrs: Attrs, shape: Shape): Node {
    return this.graph.make(name, args, attrs, shape);
  }

  const(value: number): Node {
    const node = this.graph.make("const", [], { value }, []);
    return node;
  }
  input(name: string, shape: Shape): Node {
    return this.graph.make("input", [], { name, shape }, shape);
  }
  param(name: string, shape: Shape): Node {
    return this.graph.make("param", [], { name, shape }, shape);
  }

  add(a: Operand, b: Operand): Node {
    return this.op("add", [a, b]);
  }
  sub(a: Operand, b: Operand): Node {
    return this.op("sub", [a, b]);
  }
  mul(a: Operand, b: Operand): Node {
    return this.op("mul", [a, b]);
  }
  div(a: Operand, b: Operand): Node {
    return this.op("div", [a, b]);
  }
  pow(a: Operand, b: Operand): Node {
    return this.op("pow", [a, b]);
  }
  neg(a: Operand): Node {
    return this.op("neg", [a]);
  }
  /** An element-wise function of one argument: `exp`, `log`, `sigmoid`, `heaviside`… */
  fn(name: OpName, a: Operand): Node {
    return this.op(name, [a]);
  }
  exp(a: Operand): Node {
    return this.op("exp", [a]);
  }
  log(a: Operand): Node {
    return this.op("log", [a]);
  }
  /** 1 where a >= b, else 0 (a mask; its derivative is zero). */
  ge(a: Operand, b: Operand): Node {
    return this.op("ge", [a, b]);
  }
  matmul(a: Node, b: Node, transA = false, transB = false): Node {
    const attrs: Attrs = {};
    if (transA) attrs.transA = true;
    if (transB) attrs.transB = true;
    return this.op("matmul", [a, b], attrs);
  }
  transpose(a: Node): Node {
    return this.op("transpose", [a]);
  }
  sum(a: Node, axis: number | null = null, keepdims = false): Node {
    return this.op("sum", [a], keepdims ? { axis, keepdims: true } : { axis });
  }
  mean(a: Node, axis: number | null = null): Node {
    return this.op("mean", [a], { axis });
  }
  /** `a` viewed with another shape of the same size; `a` itself when it has that shape already. */
  reshape(a: Node, shape: Shape): Node {
    if (sameShape(a.shape, shape)) return a;
    return this.op("reshape", [a], { shape });
  }
  /** Broadcast `a` to `shape`; `dims[i]` is the output axis of input axis i (default: trailing). */
  expand(a: Node, shape: Shape, dims?: readonly number[]): Node {
    return this.op("expand", [a], dims ? { shape, dims } : { shape });
  }
  /** `a` broadcast (trailing alignment) to `shape`; `a` itself when it has that shape already. */
  broadcastTo(a: Operand, shape: Shape): Node {
    const n = typeof a === "number" ? this.const(a) : a;
    if (sameShape(n.shape, shape)) return n;
    return this.expand(n, shape);
  }
  /**
   * Reduces an adjoint of a broadcast result back to an operand's `shape`: sums over the leading
   * axes the operand lacks, and over its size-1 axes (keepdims), so rules stay local.
   */
  unbroadcast(g: Node, shape: Shape): Node {
    if (sameShape(g.shape, shape)) return g;
    if (shape.length === 0) return this.sum(g);
    let r = g;
    const lead = g.shape.length - shape.length;
    for (let i = 0; i < lead; i++) r = this.sum(r, 0);
    for (let i = 0; i < shape.length; i++) if (shape[i] === 1 && r.shape[i] !== 1) r = this.sum(r, i, true);
    if (!sameShape(r.shape, shape)) throw new InternalError(`cannot reduce an adjoint of shape ${shapeText(g.shape)} to ${shapeText(shape)}`);
    return r;
  }
  /** A zero tensor of `shape`. */
  zeros(shape: Shape): Node {
    return this.broadcastTo(0, shape);
  }
}

export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
