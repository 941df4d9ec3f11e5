// conv_input_grad(dy, K): the gradient of a convolution with respect to its input x, of shape
// attrs.shape (x's). Each term y[b,o,oh,ow] += x[b,c,h,w]·K[o,c,i,j] sends dy[b,o,oh,ow]·K[o,c,i,j]
// back to x[b,c,h,w]: for stride 1 that is the full correlation of dy with the kernel flipped in
// both spatial axes, padding kh−1−p. Internal (made by conv1d/conv2d's derivative rule).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { convGeometry, convOpFor, convOutShape, forEachTerm, windowAttrs } from "./window.ts";
import { shapeText } from "./shared.ts";

export const conv_input_grad: OpDef = {
  name: "conv_input_grad",
  kind: "conv",
  kink: null, // linear in each operand
  arity: 2,
  shape: ([dy, k], attrs) => {
    const x = attrs.shape;
    if (!x || (x.length !== 3 && x.length !== 4) || k!.length !== x.length) return "conv_input_grad needs the input's shape";
    const expected = convOutShape(convGeometry(x, k!, attrs), x.length);
    if (shapeText(expected) !== shapeText(dy!)) return `conv_input_grad: $0 is not the output shape ${shapeText(expected)} of a convolution of ${shapeText(x)} by $1`;
    return x;
  },
  eval: ([dy, K], [, sk], attrs, out) => {
    const dx = new Float64Array(size(out));
    forEachTerm(convGeometry(out, sk!, attrs), (xi, ki, yi) => (dx[xi]! += dy![yi]! * K![ki]!));
    return dx;
  },
  // z = conv_input_grad(dy, K) is linear in each operand: <h, z> = <conv(h, K), dy> = <conv_kernel_grad(h, dy), K>
  vjp: ({ g: h, args: [dy, K], out, b, needs }) => {
    const a = windowAttrs(out.attrs);
    return [
      needs?.[0] === false ? null : b.op(convOpFor(out.shape.length), [h, K!], a),
      needs?.[1] === false ? null : b.op("conv_kernel_grad", [h, dy!], { ...a, shape: K!.shape }),
    ];
  },
};
