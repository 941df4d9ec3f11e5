// The checked model: what the checker hands to the rest of the pipeline. Every name is resolved,
// every `def` inlined, every `dim` replaced by its integer, every expression typed with its shape,
// and every operator and built-in call mapped to an op of the registry (src/ops).
import type { Span } from "../diagnostics.ts";
import type { Attrs, OpName } from "../graph/node.ts";
import type { InitSpec, TrainConfig } from "../train-spec.ts";

export type Shape = readonly number[];

/**
 * A typed expression. `dims` names its axes where a declaration named them (`[B, F]`), null where
 * anonymous (integers, computed sizes); absent means all anonymous (see src/check/dims.ts).
 */
export type TExpr = (
  | { kind: "const"; value: number; shape: Shape; span: Span }
  | { kind: "ref"; name: string; ref: "input" | "target" | "param" | "binding"; shape: Shape; span: Span }
  | { kind: "op"; op: OpName; args: TExpr[]; attrs: Attrs; shape: Shape; span: Span }
  /** `grad(f, x)` inside an expression: the derivative of scalar binding f w.r.t. x (higher order). */
  | { kind: "grad"; of: string; wrt: string; shape: Shape; span: Span }
) & { dims?: readonly (string | null)[] };

export interface DataDecl {
  role: "input" | "target";
  name: string;
  shape: Shape;
  /** The source text of each dimension (`B`, `784`), for messages and for `--dim` overrides. */
  dimNames: (string | null)[];
  default: number | null;
  /** Row numbers for take(E, idx): every entry must be an integer 0 to indexRows - 1. */
  indexRows?: number;
  span: Span;
}

export interface ParamDecl {
  name: string;
  shape: Shape;
  dimNames: (string | null)[];
  init: InitSpec;
  span: Span;
}

export interface Binding {
  name: string;
  role: "plain" | "output" | "loss";
  expr: TExpr;
  shape: Shape;
  /** The binding's source text as written (`h = dense(x, W1, b1)`), for comments in emitted code. */
  text: string;
  span: Span;
}

export interface GradRequest {
  of: string;
  wrt: string[];
  /** True for the `grad LOSS wrt <every param>` that a `loss` implies. */
  implicit: boolean;
  span: Span;
}

export interface CheckedModel {
  name: string;
  file: string;
  source: string;
  dims: ReadonlyMap<string, number>;
  data: DataDecl[]; // inputs and targets, in source order
  params: ParamDecl[]; // in source order
  bindings: Binding[]; // in source order (outputs and loss included)
  outputs: string[];
  loss: string | null;
  grads: GradRequest[];
  train: TrainConfig;
  /** Whether the file had a `train { }` block (the CLI may still train with defaults). */
  hasTrainBlock: boolean;
}
