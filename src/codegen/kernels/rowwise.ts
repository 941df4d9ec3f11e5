// Row-wise normalizations along an axis, stable for any magnitude: the row maximum m is
// subtracted before exponentiating, so logits of ±1,000 stay finite.
//   softmax:      y = exp(x - m) / Σ exp(x - m)
//   log_softmax:  y = x - (m + log Σ exp(x - m))
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { linear } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";

export function emitRowwise(ctx: KernelContext, node: Node, target: Target): void {
  const { code } = ctx;
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const x = node.args[0]!;
  const shape = x.shape;
  const axis = node.attrs.axis ?? shape.length - 1;
  const n = shape[axis]!;
  const inner = size(shape.slice(axis + 1));
  const outer = size(shape.slice(0, axis));
  const xs = ctx.names.nameOf(x);
  const y = target.name;
  const base = ctx.names.local("base");
  const mx = ctx.names.local("mx");
  const acc = ctx.names.local("acc");
  const off = (r: string): string => linear([[base, 1], [r, inner]]);
  if (outer > 1) code.loop("i", outer);
  if (inner > 1) code.loop("j", inner);
  code.line(`const ${base} = ${linear([[outer > 1 ? "i" : "0", n * inner], [inner > 1 ? "j" : "0", 1]])};`);
  code.line(`let ${mx} = -Infinity;`);
  code.loop("r", n).line(`${mx} = Math.max(${mx}, ${code.at(xs, off("r"))});`).close();
  code.line(`let ${acc} = 0;`);
  if (node.op === "softmax") {
    code.loop("r", n).line(`${acc} += ${y}[${off("r")}] = Math.exp(${code.at(xs, off("r"))} - ${mx});`).close();
    code.loop("r", n).line(`${code.at(y, off("r"))} /= ${acc};`).close();
  } else if (node.op === "log_softmax") {
    const lse = ctx.names.local("lse");
    code.loop("r", n).line(`${acc} += Math.exp(${code.at(xs, off("r"))} - ${mx});`).close();
    code.line(`const ${lse} = ${mx} + Math.log(${acc});`);
    code.loop("r", n).line(`${y}[${off("r")}] = ${code.at(xs, off("r"))} - ${lse};`).close();
  } else throw new Error(`internal error: no kernel for row-wise op ${node.op}`);
  if (inner > 1) code.close();
  if (outer > 1) code.close();
}
