// pad(x, before, after), the derivative of a slice: zeros, then one loop over x writing each entry
// at its place shifted by `before` (the rest of the tensor had no effect on the slice: its
// gradient is 0). Sizes and shifts are constants of the loop.
import type { Node } from "../../graph/node.ts";
import { shifted } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitElementLoop } from "./map.ts";

export function emitPad(ctx: KernelContext, node: Node, target: Target): void {
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const x = node.args[0]!;
  const before = node.attrs.before!;
  ctx.code.line(`${target.name}.fill(0);`);
  emitElementLoop(ctx, x.shape, (w, idx) => {
    const at = w.flatOf({ axes: idx.axes.map((a, d) => shifted(a, before[d]!)), flat: null }, node.shape);
    return `${target.name}[${at}] = ${w.value(x, idx)};`;
  });
}
