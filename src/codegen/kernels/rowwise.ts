// Row-wise normalizations along an axis, stable for any magnitude: the row maximum m is
// subtracted before exponentiating, so logits of ±1,000 stay finite.
//   softmax:      y = exp(x - m) / Σ exp(x - m)
//   log_softmax:  y = x - (m + log Σ exp(x - m))
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { linear } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";
import { opAxis } from "../../ops/shared.ts";

/** The row loop both ops share: `body` writes the row r of `y` from `x` once `mx` and `acc` are declared. */
function emitRows(ctx: KernelContext, node: Node, target: Target, body: (row: Row) => void): void {
  const { code } = ctx;
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const x = node.args[0]!;
  const shape = x.shape;
  const axis = opAxis("rowwise", node.attrs.axis, shape.length)!;
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
  body({ n, x: (r) => code.at(xs, off(r)), y: (r) => `${y}[${off(r)}]`, yAt: (r) => code.at(y, off(r)), mx, acc });
  if (inner > 1) code.close();
  if (outer > 1) code.close();
}

interface Row {
  /** The row length. */
  n: number;
  /** The operand's entry r of the row; the result's, to assign (`y`) and to read or update (`yAt`). */
  x: (r: string) => string;
  y: (r: string) => string;
  yAt: (r: string) => string;
  /** The row maximum and the running sum. */
  mx: string;
  acc: string;
}

export function emitSoftmax(ctx: KernelContext, node: Node, target: Target): void {
  emitRows(ctx, node, target, ({ n, x, y, yAt, mx, acc }) => {
    ctx.code.loop("r", n).line(`${acc} += ${y("r")} = Math.exp(${x("r")} - ${mx});`).close();
    ctx.code.loop("r", n).line(`${yAt("r")} /= ${acc};`).close();
  });
}

export function emitLogSoftmax(ctx: KernelContext, node: Node, target: Target): void {
  emitRows(ctx, node, target, ({ n, x, y, mx, acc }) => {
    const lse = ctx.names.local("lse");
    ctx.code.loop("r", n).line(`${acc} += Math.exp(${x("r")} - ${mx});`).close();
    ctx.code.line(`const ${lse} = ${mx} + Math.log(${acc});`);
    ctx.code.loop("r", n).line(`${y("r")} = ${x("r")} - ${lse};`).close();
  });
}

/**
 * argmax_mask / argmin_mask: 1 at the first extreme of each run along the axis (every element
 * when the axis is null), 0 elsewhere — the derivative of a max or min reduction.
 */
export function emitExtremeMask(ctx: KernelContext, node: Node, target: Target): void {
  const { code } = ctx;
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const x = node.args[0]!;
  const shape = x.shape;
  const axis = node.attrs.axis ?? null;
  const n = axis === null ? size(shape) : shape[axis]!;
  const inner = axis === null ? 1 : size(shape.slice(axis + 1));
  const outer = axis === null ? 1 : size(shape.slice(0, axis));
  const xs = ctx.names.nameOf(x);
  const y = target.name;
  const base = ctx.names.local("base");
  const best = ctx.names.local("best");
  const at = ctx.names.local("at");
  const cmp = node.op === "argmax_mask" ? ">" : "<";
  const off = (r: string): string => linear([[base, 1], [r, inner]]);
  code.line(`${y}.fill(0);`);
  if (outer > 1) code.loop("i", outer);
  if (inner > 1) code.loop("j", inner);
  code.line(`const ${base} = ${linear([[outer > 1 ? "i" : "0", n * inner], [inner > 1 ? "j" : "0", 1]])};`);
  code.line(`let ${best} = ${code.at(xs, base)};`);
  code.line(`let ${at} = ${base};`);
  code.comment("the first extreme wins a tie; a NaN, once found, stays");
  const v = ctx.names.local("v");
  code.open(`for (let r = 1; r < ${n}; r++)`).line(`const ${v} = ${code.at(xs, off("r"))};`);
  code.open(`if (${best} === ${best} && (${v} !== ${v} || ${v} ${cmp} ${best}))`).line(`${best} = ${v};`).line(`${at} = ${off("r")};`).close();
  code.close();
  code.line(`${y}[${at}] = 1;`);
  if (inner > 1) code.close();
  if (outer > 1) code.close();
}
