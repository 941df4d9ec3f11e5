// conv_kernel_grad(x, dy): the gradient of a convolution with respect to its kernel, of shape
// attrs.shape (K's): dK[o,c,i,j] = Σ over b, oh, ow of x[b, c, oh·s+i−p, ow·s+j−p] · dy[b,o,oh,ow],
// each input window weighted by the output gradient it produced. Internal (made by conv1d/conv2d's
// derivative rule).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { convGeometry, convOpFor, convOutShape, forEachTerm, windowAttrs } from "./window.ts";
import { shapeText } from "./shared.ts";

export const conv_kernel_grad: OpDef = {
  name: "conv_kernel_grad",
  kind: "conv",
  kink: null, // linear in each operand
  arity: 2,
  shape: ([x, dy], attrs) => {
    const k = attrs.shape;
    if (!k || (x!.length !== 3 && x!.length !== 4) || k.length !== x!.length) return "conv_kernel_grad needs the kernel's shape";
    const expected = convOutShape(convGeometry(x!, k, attrs), x!.length);
    if (shapeText(expected) !== shapeText(dy!)) return `conv_kernel_grad: $1 is not the output shape ${shapeText(expected)} of a convolution of $0 by ${shapeText(k)}`;
    return k;
  },
  eval: ([x, dy], [sx], attrs, out) => {
    const dK = new Float64Array(size(out));
    forEachTerm(convGeometry(sx!, out, attrs), (xi, ki, yi) => (dK[ki]! += x![xi]! * dy![yi]!));
    return dK;
  },
  // z = conv_kernel_grad(x, dy) is linear in each operand: <h, z> = <conv_input_grad(dy, h), x> = <conv(x, h), dy>
  vjp: ({ g: h, args: [x, dy], out, b, needs }) => {
    const a = windowAttrs(out.attrs);
    return [
      needs?.[0] === false ? null : b.op("conv_input_grad", [dy!, h], { ...a, shape: x!.shape }),
      needs?.[1] === false ? null : b.op(convOpFor(x!.shape.length), [x!, h], a),
    ];
  },
};
