// The training spec: how a model's params start (`init`) and how it trains (the `train { }` block).
// The checker builds it from the source (src/check/train.ts, src/check/init.ts); the runtime and
// generated modules' `meta` carry it to the training loop. A module of plain types, below both, so
// that the runtime never imports the checker.

export type InitSpec =
  | { kind: "fill"; value: number }
  | { kind: "zeros" }
  | { kind: "ones" }
  | { kind: "normal"; mean: number; std: number }
  | { kind: "uniform"; lo: number; hi: number }
  | { kind: "xavier" }
  | { kind: "he" };

export type OptimizerSpec =
  | { kind: "sgd"; lr: number; momentum: number }
  | { kind: "adam"; lr: number; beta1: number; beta2: number; eps: number };

export type ScheduleSpec =
  | { kind: "constant" }
  | { kind: "step"; every: number; factor: number }
  | { kind: "exponential"; rate: number };

export interface TrainConfig {
  optimizer: OptimizerSpec; // default sgd(lr = 0.01)
  epochs: number | null;
  steps: number | null;
  seed: number; // default 0
  schedule: ScheduleSpec; // default constant
  shuffle: boolean; // default true
}
