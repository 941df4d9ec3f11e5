// avgpool2d_grad(dy): the gradient of avgpool2d: each window's dy / size² added to every entry of
// the window, shaped like the pooled input (attrs.shape). Made by avgpool2d's derivative rule;
// written `avgpool2d_input(dy, [B, C, H, W], size, stride)` in .net (the gradient of avgpool2d with
// respect to its input, named as torch.nn.grad names conv2d_input).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, poolGeometry, poolShape, windowAttrs, windowEntries } from "./window.ts";
import { intArg, shapeArg, shapeText, tensorArg } from "./shared.ts";

export const avgpool2d_grad: OpDef = {
  name: "avgpool2d_grad",
  kind: "pool",
  kink: null, // linear in each operand
  arity: 1,
  builtin: { name: "avgpool2d_input", params: [tensorArg("dy"), shapeArg("input_size"), intArg("size"), intArg("stride", true)] },
  shape: ([dy], attrs) => {
    const x = attrs.shape;
    if (!x) return "avgpool2d_input needs the input's shape";
    // the pool whose gradient this is, of an input of input_size: its messages call that input $0
    const pooled = poolShape("avgpool2d_input", x, attrs);
    if (typeof pooled === "string") return pooled.replace(/\$0/g, `the input_size ${shapeText(x)}`);
    if (shapeText(pooled) !== shapeText(dy!)) return `avgpool2d_input: $0 is not the pooled shape ${shapeText(pooled)} of ${shapeText(x)}`;
    return x;
  },
  eval: ([dy], _shapes, attrs, out) => {
    const g = poolGeometry(out, attrs);
    const dx = new Float64Array(size(out));
    forEachWindow(g, (yi, first) => {
      const share = dy![yi]! / (g.size * g.size);
      for (const e of windowEntries(g, first)) dx[e]! += share;
    });
    return dx;
  },
  // linear: <h, avgpool2d_grad(dy)> = <avgpool2d(h), dy>
  vjp: ({ g: h, out, b }) => [b.op("avgpool2d", [h], windowAttrs(out.attrs))],
};
