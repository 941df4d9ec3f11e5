// The contract every op file fulfils: shape rule, reference evaluation, derivative rule (a
// vector-Jacobian product written as IR) and, for element-wise ops, the scalar code to emit.
// The registry (registry.ts) is typed `satisfies Record<string, OpDef>`, so an op without a
// derivative rule does not compile.
import type { Attrs, Node, OpName, Shape } from "../graph/node.ts";

/** How codegen treats an op. */
export type OpKind =
  | "leaf" // const, input, param
  | "elementwise" // unary/binary maps with NumPy broadcasting; fused into loops via `scalar`
  | "matmul"
  | "transpose"
  | "reduce" // sum, mean, logsumexp: remove an axis (or all)
  | "expand" // broadcast to a larger shape
  | "rowwise" // softmax, log_softmax: same shape, normalized along an axis
  | "reshape" // reshape, flatten: the same numbers in the same row-major order, another shape (a view)
  | "slice" // x[:, 0:2]: a region of a tensor (a view)
  | "pad" // pad(x, before, after): x surrounded by zeros (the derivative of slice)
  | "concat" // concat(a, b, …, axis = k): operands side by side along an axis
  | "dropout" // dropout(x, p): x times a random mask while training, else x (never folded)
  | "gather" // take: rows of a matrix picked by integer indices
  | "scatter" // take_grad: rows added into a zero matrix at integer indices
  | "mask" // argmax_mask, argmin_mask: same shape, 1 at the first extreme of each run along an axis
  | "loss" // mse, cross_entropy: scalar from two tensors
  | "conv" // conv1d, conv2d and their two gradients: sliding-window products over channels
  | "pool"; // maxpool2d, avgpool2d and their gradients: per-channel windows

/** Integer attributes a built-in takes as arguments (`conv2d(x, K, stride = 2)`), stored under their name. */
export type IntAttr = "stride" | "padding" | "size";

/** Integer-list attributes a built-in takes as a list literal (`pad(x, [0, 1], [0, 2])`), stored under their name. */
export type IntListAttr = "before" | "after";

/** How the op is written in a .net file when it is a built-in function, e.g. `softmax(x, axis)`. */
export interface BuiltinSyntax {
  name: string;
  params: readonly BuiltinParam[];
  /**
   * For an op written under one name per rank of its result, as PyTorch names a convolution's
   * gradients (`conv1d_input` gives [B, C, L], `conv2d_input` [B, C, H, W]): the name for each
   * rank. `name` is one of them.
   */
  byRank?: Readonly<Record<number, string>>;
}

/** Attributes a built-in takes as a number literal: `leaky_relu(x, alpha = 0.2)`, `clip(x, lo, hi)`. */
export type NumberAttr = "alpha" | "lo" | "hi" | "p";

/**
 * One parameter of a built-in function: a tensor operand, an axis (attrs.axis), a shape list
 * `[B, 784]` (attrs.shape; dims by name or integer, at most one -1 inferred), a number literal
 * (attrs[name], `default` when not given), a flag `true`/`false` (attrs.keepdims) or an integer
 * literal (attrs[name]: `stride = 2`) or a list of integers (attrs[name]: `before = [0, 1]`).
 */
export type BuiltinParam =
  | { name: string; kind: "tensor" | "axis" | "shape"; optional?: boolean }
  /** Any number of tensors by position (a variadic op, arity -1); other parameters are then given by name. */
  | { name: string; kind: "tensors"; optional?: boolean }
  | { name: NumberAttr; kind: "number"; optional?: boolean; default?: number }
  | { name: "keepdims"; kind: "flag"; optional?: boolean; default?: boolean }
  | { name: IntAttr; kind: "int"; optional?: boolean }
  | { name: IntListAttr; kind: "ints"; optional?: boolean };

/** A node or a number (a number becomes a scalar `const` node). */
export type Operand = Node | number;

/**
 * What derivative rules build IR with: the node-making half of src/ir/builder.ts, declared here so
 * that ops depend on nothing above them (the Builder implements it). Every method infers the new
 * node's shape from its op's shape rule.
 */
export interface IRBuilder {
  op(name: OpName, args: readonly Operand[], attrs?: Attrs): Node;
  const(value: number): Node;
  add(a: Operand, b: Operand): Node;
  sub(a: Operand, b: Operand): Node;
  mul(a: Operand, b: Operand): Node;
  div(a: Operand, b: Operand): Node;
  pow(a: Operand, b: Operand): Node;
  neg(a: Operand): Node;
  /** An element-wise function of one argument: `exp`, `log`, `sigmoid`, `heaviside`… */
  fn(name: OpName, a: Operand): Node;
  exp(a: Operand): Node;
  log(a: Operand): Node;
  /** 1 where a >= b, else 0 (a mask; its derivative is zero). */
  ge(a: Operand, b: Operand): Node;
  matmul(a: Node, b: Node, transA?: boolean, transB?: boolean): Node;
  transpose(a: Node): Node;
  sum(a: Node, axis?: number | null, keepdims?: boolean): Node;
  mean(a: Node, axis?: number | null): Node;
  /** Broadcast `a` to `shape`; `dims[i]` is the output axis of input axis i (default: trailing). */
  expand(a: Node, shape: Shape, dims?: readonly number[]): Node;
  /** `a` broadcast (trailing alignment) to `shape`; `a` itself when it has that shape already. */
  broadcastTo(a: Operand, shape: Shape): Node;
  /** Sums an adjoint of a broadcast result back to an operand's `shape`. */
  unbroadcast(g: Node, shape: Shape): Node;
  /** A zero tensor of `shape`. */
  zeros(shape: Shape): Node;
  /** `a` viewed with another shape of the same size; `a` itself when it has that shape already. */
  reshape(a: Node, shape: Shape): Node;
}

/** Everything a derivative rule may use. */
export interface VjpContext {
  /** The adjoint flowing into this node (same shape as `out`). */
  g: Node;
  /** The node itself: its forward value can be reused (sigmoid' = out * (1 - out)). */
  out: Node;
  args: readonly Node[];
  b: IRBuilder;
  /**
   * Which arguments need an adjoint (added by src/diff; absent means all). A rule may skip work
   * for the others (pow's exponent when it is a constant) and return `null` there.
   */
  needs?: readonly boolean[];
}

/** A hint for tests that sample an op: the interval each argument's random values are drawn from (default [-2, 2]). */
export interface OpDomain {
  args?: readonly (readonly [number, number])[];
  /** Attributes the op is tested with (`clip`: lo and hi, matching its kinks). */
  attrs?: Readonly<Attrs>;
  /**
   * Arguments that hold integer indices (take's idx): drawn as integers below the size of the
   * first argument's first axis, and never differentiated or perturbed.
   */
  indexArgs?: readonly number[];
}

/**
 * Where an op's derivative jumps: `netc check` skips a finite-difference probe whose ±h step
 * straddles a kink, and tests sample away from them. Every op declares it (`null`: smooth):
 * - `{ at: [p, …] }`: where argument 0 equals one of the points (relu, abs, sign, heaviside: 0);
 * - `"difference"`: where args[0] − args[1] changes sign (max, min, ge);
 * - a function: switch values (one per output element or window) whose change of sign marks a
 *   jump, from the argument values (for kinks the two forms above cannot say).
 */
export type Kink =
  | null
  | { at: readonly number[] }
  | "difference"
  | ((args: readonly Float64Array[], argShapes: readonly Shape[], attrs: Readonly<Attrs>) => Float64Array);

export interface OpDef {
  name: OpName;
  kind: OpKind;
  /** The number of operands; -1: any number of them (concat). */
  arity: number;
  builtin?: BuiltinSyntax;
  /**
   * The output shape, or an error message. In messages, `$0`, `$1`… stand for the operands; the
   * checker replaces them with the user's text and shape (`x: [32, 784]`).
   */
  shape(args: readonly Shape[], attrs: Readonly<Attrs>): Shape | string;
  /** Reference semantics on row-major Float64Arrays: drives constant folding, tests, the interpreter. */
  eval(args: readonly Float64Array[], argShapes: readonly Shape[], attrs: Readonly<Attrs>, outShape: Shape): Float64Array;
  /**
   * Adjoints of the arguments given the adjoint `g` of the output; `null` where the derivative is
   * zero or undefined (constants, masks). The walker (src/diff) reduces broadcast adjoints back to
   * each argument's shape, so a rule may return an adjoint of the broadcast output shape.
   */
  vjp(ctx: VjpContext): (Node | null)[];
  /** Element-wise ops: the scalar JavaScript expression for already-emitted operand expressions. */
  scalar?(args: readonly string[], attrs: Readonly<Attrs>): string;
  /**
   * A helper function the scalar code calls (e.g. a numerically stable `sigmoid`), emitted once
   * at the top of a generated module. Codegen reserves `name` so no user name can collide with it.
   */
  prelude?: { name: string; code: string };
  /** Where the derivative jumps (see Kink); required, so a new op states it. */
  kink: Kink;
  /** The value is a 0/±1 mask whatever the inputs (heaviside, sign, ge): always finite. */
  mask?: true;
  /** Test hint: where the op's derivative is checked (see OpDomain). */
  domain?: OpDomain;
}
