// avgpool2d_grad(dy): the gradient of avgpool2d: each window's dy / size² added to every entry of
// the window, shaped like the pooled input (attrs.shape). Internal (made by avgpool2d's rule).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, poolGeometry, poolShape, windowAttrs, windowEntries } from "./window.ts";
import { shapeText } from "./shared.ts";

export const avgpool2d_grad: OpDef = {
  name: "avgpool2d_grad",
  kind: "pool",
  kink: null, // linear in each operand
  arity: 1,
  shape: ([dy], attrs) => {
    const x = attrs.shape;
    if (!x) return "avgpool2d_grad needs the input's shape";
    const pooled = poolShape("avgpool2d_grad", x, attrs);
    if (typeof pooled === "string") return pooled;
    if (shapeText(pooled) !== shapeText(dy!)) return `avgpool2d_grad: $0 is not the pooled shape ${shapeText(pooled)} of ${shapeText(x)}`;
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
