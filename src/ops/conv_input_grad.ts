// conv_input_grad(dy, K): the gradient of a convolution with respect to its input x, of shape
// attrs.shape (x's). Each term y[b,o,oh,ow] += x[b,c,h,w]·K[o,c,i,j] sends dy[b,o,oh,ow]·K[o,c,i,j]
// back to x[b,c,h,w]: for stride 1 that is the full correlation of dy with the kernel flipped in
// both spatial axes, padding kh−1−p. Made by conv1d/conv2d's derivative rule; written in .net as
// PyTorch's torch.nn.grad names it: `conv2d_input(dy, K, [B, C, H, W], stride, padding)`
// (`conv1d_input` for [B, C, L]).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { convGeometry, convOpFor, convShape, forEachTerm, windowAttrs } from "./window.ts";
import { intArg, shapeArg, shapeText, tensorArg } from "./shared.ts";

export const conv_input_grad: OpDef = {
  name: "conv_input_grad",
  kind: "conv",
  kink: null, // linear in each operand
  arity: 2,
  builtin: {
    name: "conv2d_input",
    byRank: { 3: "conv1d_input", 4: "conv2d_input" },
    params: [tensorArg("dy"), tensorArg("K"), shapeArg("input_size"), intArg("stride", true), intArg("padding", true)],
  },
  shape: ([dy, k], attrs) => {
    const x = attrs.shape;
    if (!x || (x.length !== 3 && x.length !== 4)) return `conv2d_input needs an input_size [batch, channels, height, width] (conv1d_input: [batch, channels, length])${x ? `, found ${shapeText(x)}` : ""}`;
    const name = `${convOpFor(x.length)}_input`;
    // the convolution whose gradient this is: x of input_size by K ($1); its messages call x $0
    const y = convShape(name, x.length === 4 ? 2 : 1, [x, k!], attrs);
    if (typeof y === "string") return y.replace(/\$0/g, `the input_size ${shapeText(x)}`);
    if (shapeText(y) !== shapeText(dy!)) return `${name}: $0 is not the output shape ${shapeText(y)} of a convolution of ${shapeText(x)} by $1`;
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
