// conv_kernel_grad(x, dy): the gradient of a convolution with respect to its kernel, of shape
// attrs.shape (K's): dK[o,c,i,j] = Σ over b, oh, ow of x[b, c, oh·s+i−p, ow·s+j−p] · dy[b,o,oh,ow],
// each input window weighted by the output gradient it produced. Made by conv1d/conv2d's
// derivative rule; written in .net as PyTorch's torch.nn.grad names it:
// `conv2d_weight(x, dy, [O, C, kh, kw], stride, padding)` (`conv1d_weight` for [O, C, k]).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { convGeometry, convOpFor, convShape, forEachTerm, windowAttrs } from "./window.ts";
import { intArg, shapeArg, shapeText, tensorArg } from "./shared.ts";

export const conv_kernel_grad: OpDef = {
  name: "conv_kernel_grad",
  kind: "conv",
  kink: null, // linear in each operand
  arity: 2,
  builtin: {
    name: "conv2d_weight",
    byRank: { 3: "conv1d_weight", 4: "conv2d_weight" },
    params: [tensorArg("x"), tensorArg("dy"), shapeArg("weight_size"), intArg("stride", true), intArg("padding", true)],
  },
  shape: ([x, dy], attrs) => {
    const k = attrs.shape;
    if (!k || (k.length !== 3 && k.length !== 4)) return `conv2d_weight needs a weight_size [out_channels, in_channels, kernel_height, kernel_width] (conv1d_weight: [out_channels, in_channels, kernel_length])${k ? `, found ${shapeText(k)}` : ""}`;
    const name = `${convOpFor(k.length)}_weight`;
    // the convolution whose gradient this is: x ($0) by a kernel of weight_size; its messages call the kernel $1
    const y = convShape(name, k.length === 4 ? 2 : 1, [x!, k], attrs);
    if (typeof y === "string") return y.replace(/\$1/g, `the weight_size ${shapeText(k)}`);
    if (shapeText(y) !== shapeText(dy!)) return `${name}: $1 is not the output shape ${shapeText(y)} of a convolution of $0 by ${shapeText(k)}`;
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
