// param: a trainable leaf, named by attrs.name, shaped by attrs.shape.
import type { OpDef } from "./types.ts";

export const param: OpDef = {
  name: "param",
  kind: "leaf",
  kink: null,
  arity: 0,
  shape: (_args, attrs) => attrs.shape ?? [],
  eval: (_args, _shapes, attrs) => {
    throw new Error(`param ${attrs.name} has no value of its own`);
  },
  vjp: () => [],
};
