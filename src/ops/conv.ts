// The factory behind the conv1d and conv2d op files (not an op): one definition of a convolution
// of 1 or 2 spatial axes, with an optional bias, its reference evaluation and its derivative rule.
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { biasGrad, convGeometry, convShape, forEachTerm, windowAttrs } from "./window.ts";
import { intArg, tensorArg } from "./shared.ts";

export function convOp(name: "conv1d" | "conv2d", spatial: 1 | 2): OpDef {
  return {
    name,
    kind: "conv",
    kink: null, // bilinear in x and K: smooth
    arity: -1, // x, K and an optional bias
    builtin: { name, params: [tensorArg("x"), tensorArg("K"), { ...tensorArg("b"), optional: true }, intArg("stride", true), intArg("padding", true)] },
    shape: (shapes, attrs) => convShape(name, spatial, shapes, attrs),
    eval: ([x, K, bias], [sx, sk], attrs, out) => {
      const g = convGeometry(sx!, sk!, attrs);
      const y = new Float64Array(size(out));
      forEachTerm(g, (xi, ki, yi) => (y[yi]! += x![xi]! * K![ki]!));
      if (bias) {
        const plane = g.OH * g.OW;
        for (let k = 0; k < y.length; k++) y[k]! += bias[Math.floor(k / plane) % g.outC]!;
      }
      return y;
    },
    // y = x ⋆ K + b:  dx = dy ⋆ flip(K) (a full correlation with the flipped kernel),
    //                 dK = x ⋆ dy (input windows weighted by dy),  db = Σ dy over batch and positions
    vjp: ({ g, args: [x, K, bias], out, b, needs }) => {
      const a = windowAttrs(out.attrs);
      const dx = needs?.[0] === false ? null : b.op("conv_input_grad", [g, K!], { ...a, shape: x!.shape });
      const dK = needs?.[1] === false ? null : b.op("conv_kernel_grad", [x!, g], { ...a, shape: K!.shape });
      if (!bias) return [dx, dK];
      return [dx, dK, needs?.[2] === false ? null : biasGrad(b, g)];
    },
  };
}
