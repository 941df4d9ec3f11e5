// const: a scalar constant (attrs.value). `expand` makes tensors of it.
import type { OpDef } from "./types.ts";

export const constant: OpDef = {
  name: "const",
  kind: "leaf",
  kink: null,
  arity: 0,
  shape: () => [],
  eval: (_args, _shapes, attrs) => Float64Array.of(attrs.value ?? NaN),
  vjp: () => [],
};
