// mse(pred, y): the mean of all squared differences (pred and y broadcast together).
import type { OpDef } from "./types.ts";
import { broadcastIndex, broadcastShapes, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const mse: OpDef = {
  name: "mse",
  kind: "loss",
  kink: null,
  arity: 2,
  builtin: { name: "mse", params: [tensorArg("pred"), tensorArg("y")] },
  shape: ([p, y]) => {
    const s = broadcastShapes(p!, y!, "mse cannot compare $0 with $1");
    return typeof s === "string" ? s : [];
  },
  eval: ([p, y], [sp, sy]) => {
    const out = broadcastShapes(sp!, sy!) as number[];
    const ip = broadcastIndex(sp!, out);
    const iy = broadcastIndex(sy!, out);
    let t = 0;
    for (let k = 0; k < ip.length; k++) {
      const d = p![ip[k]!]! - y![iy[k]!]!;
      t += d * d;
    }
    return Float64Array.of(t / ip.length);
  },
  // d mse = g ⊙ 2 (pred - y) / n,  -(that) for y     (n elements)
  vjp: ({ g, args: [p, y], b }) => {
    const d = b.sub(p!, y!);
    const dp = b.mul(b.mul(g, 2 / size(d.shape)), d);
    return [dp, b.neg(dp)];
  },
};
