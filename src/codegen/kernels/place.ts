// Kernels that place operands inside a larger tensor, each operand's entry at its own index
// shifted by a constant: pad(x, before, after), the derivative of a slice (zeros, then one loop
// over x), and concat(a, b, …, axis = k) (one loop per operand, shifted along the axis by the
// sizes of the operands before it). Sizes and shifts are constants of the loops.
import type { Node, Shape } from "../../graph/node.ts";
import { opAxis } from "../../ops/shared.ts";
import { shifted } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitElementLoop } from "./map.ts";

/** One loop over `x` writing each entry into `target` (of the node's shape) at its index shifted by `shift`. */
function emitPlaced(ctx: KernelContext, target: string, out: Shape, x: Node, shift: readonly number[]): void {
  emitElementLoop(ctx, x.shape, (w, idx) => {
    const at = w.flatOf({ axes: idx.axes.map((a, d) => shifted(a, shift[d]!)), flat: null }, out);
    return `${target}[${at}] = ${w.value(x, idx)};`;
  });
}

export function emitPad(ctx: KernelContext, node: Node, target: Target): void {
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  // the rest of the tensor had no effect on the slice this pads back: its gradient is 0
  ctx.code.line(`${target.name}.fill(0);`);
  emitPlaced(ctx, target.name, node.shape, node.args[0]!, node.attrs.before!);
}

export function emitConcat(ctx: KernelContext, node: Node, target: Target): void {
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const axis = opAxis("concat", node.attrs.axis, node.shape.length)!;
  let at = 0;
  for (const x of node.args) {
    emitPlaced(ctx, target.name, node.shape, x, node.shape.map((_, d) => (d === axis ? at : 0)));
    at += x.shape[axis]!;
  }
}
