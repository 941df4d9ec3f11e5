// The hand-written reference (bench/reference/mlp_784_15_10.ts) as a benchmark engine.
import { Mlp784x15x10 } from "../reference/mlp_784_15_10.ts";
import type { EngineFactory } from "./engine.ts";

export const referenceEngine: EngineFactory = async (w, initial) => {
  if (w.layers.join("-") !== "784-15-10" || w.hidden !== "sigmoid" || w.head !== "sigmoid_sse") {
    throw new Error(`the hand-written reference implements 784-15-10 sigmoid / sum of squares only, not ${w.id}`);
  }
  const net = new Mlp784x15x10(w.batch);
  const params = initial.map((p) => Float64Array.from(p));
  return {
    dtype: "f64",
    note: "hand-written TypeScript, Float64Array, hand-derived backward pass, dense loops in the fastest measured orders",
    step: (x, y) => void net.step(params, x as Float64Array, y as Float64Array, w.lr),
    params: () => params.map((p) => Float64Array.from(p)),
  };
};
