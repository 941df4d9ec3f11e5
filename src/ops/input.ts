// input: a data leaf (inputs and targets), named by attrs.name, shaped by attrs.shape. Its value
// comes from outside (the interpreter's leaf values, the generated function's arguments).
import type { OpDef } from "./types.ts";

export const input: OpDef = {
  name: "input",
  kind: "leaf",
  kink: null,
  arity: 0,
  shape: (_args, attrs) => attrs.shape ?? [],
  eval: (_args, _shapes, attrs) => {
    throw new Error(`input ${attrs.name} has no value of its own`);
  },
  vjp: () => [],
};
