// IR nodes: an immutable DAG of tensor operations with static shapes. Nodes are interned, so two
// structurally equal expressions are the same object (common-subexpression elimination for free).

export type Shape = readonly number[];

/**
 * The op names of the IR. Declared empty here and filled in by src/ops/registry.ts (declaration
 * merging), so the node type sits below the ops and still `n.op === "mull"` is a type error, and a
 * table typed `{ [K in OpName]: … }` must have an entry for every op of the registry.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface OpNames {}
export type OpName = keyof OpNames & string;

/** Static attributes of a node. Only the fields an op uses are set. */
export interface Attrs {
  /** `const`: the scalar value (constants are scalars; `expand` makes them tensors). */
  value?: number;
  /** `input` / `param` leaves: the user's name. */
  name?: string;
  /** Reductions and row ops: the axis (non-negative), or null for all axes. */
  axis?: number | null;
  /** Reductions: keep the reduced axis with size 1. */
  keepdims?: boolean;
  /** `leaky_relu` (the slope below 0), `elu` (the scale below 0). */
  alpha?: number;
  /** `clip`: the bounds. */
  lo?: number;
  hi?: number;
  /** `dropout`: the probability that an entry is dropped. */
  p?: number;
  /** `dropout`: which dropout of the model (its mask); the gradient's dropout shares it. */
  site?: number;
  /** `slice`: the region's first entry and end (exclusive) on each axis of the whole tensor. */
  begin?: readonly number[];
  end?: readonly number[];
  /** `slice`: the axes indexed by an integer, which the result does not have. */
  drop?: readonly number[];
  /** `pad`: the zeros added ahead of and behind each axis. */
  before?: readonly number[];
  after?: readonly number[];
  /** `expand`, `reshape`: the output shape; conv and pool gradients: the shape of the forward operand. */
  shape?: Shape;
  /** `expand`: for each input axis, the output axis it maps to (default: trailing alignment). */
  dims?: readonly number[];
  /** `matmul`: operands used transposed (so a product with a transpose is one node). */
  transA?: boolean;
  transB?: boolean;
  /** Convolutions and pools: the step between windows (default 1; pools: the window size). */
  stride?: number;
  /** Convolutions: zeros added on each side of every spatial axis (default 0). */
  padding?: number;
  /** Pools: the window's side. */
  size?: number;
}

export interface Node {
  readonly id: number;
  readonly op: OpName;
  readonly args: readonly Node[];
  readonly attrs: Readonly<Attrs>;
  readonly shape: Shape;
  /** The interning key: op, attributes and argument ids. */
  readonly key: string;
}

export const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

function attrsKey(attrs: Attrs): string {
  let key = "";
  const keys = Object.keys(attrs) as (keyof Attrs)[];
  if (keys.length > 1) keys.sort();
  for (const k of keys) {
    const v = attrs[k];
    if (v === undefined) continue;
    // Distinguish -0 from 0 and keep NaN stable.
    const text = typeof v === "number" ? (Object.is(v, -0) ? "-0" : String(v)) : Array.isArray(v) ? `[${v.join(",")}]` : JSON.stringify(v);
    key += key === "" ? `${k}=${text}` : `,${k}=${text}`;
  }
  return key;
}

/**
 * The interning table. One per compilation; nodes from different tables never mix.
 * `make` returns the existing node when an equal one was made before.
 */
export class Graph {
  private readonly table = new Map<string, Node>();
  private nextId = 0;

  make(op: OpName, args: readonly Node[], attrs: Attrs, shape: Shape): Node {
    let ids = "";
    for (let i = 0; i < args.length; i++) ids += i === 0 ? `${args[i]!.id}` : `,${args[i]!.id}`;
    const key = `${op}(${ids}){${attrsKey(attrs)}}:[${shape.join(",")}]`;
    const found = this.table.get(key);
    if (found) return found;
    // Copies, so later changes to the caller's arrays cannot reach the node. Not frozen: the
    // readonly types already forbid writes, and freezing four objects per node was most of the cost.
    const node: Node = { id: this.nextId++, op, args: args.slice(), attrs: { ...attrs }, shape: shape.slice(), key };
    this.table.set(key, node);
    return node;
  }

  get count(): number {
    return this.table.size;
  }
}

/** Nodes reachable from `roots`, arguments before users (a topological order). */
export function topoOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<number>();
  const order: Node[] = [];
  // Iterative post-order DFS: deep graphs (3,000 chained bindings) must not overflow the stack.
  const stack: { node: Node; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.args.length) {
        const arg = top.node.args[top.next++]!;
        if (!seen.has(arg.id)) {
          seen.add(arg.id);
          stack.push({ node: arg, next: 0 });
        }
      } else {
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}
