// Row lookups by integer indices: take(E, idx) copies row idx[n] of E [V, D] into row n of the
// result; its derivative take_grad(g, idx) adds row n of g into row idx[n] of a zero [V, D].
// The runtime checks index inputs before a call (naming the bad entry); the kernel still refuses
// an index that is not a row number, so no call reads outside E.
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import type { KernelContext, Target } from "./context.ts";

export function emitGather(ctx: KernelContext, node: Node, target: Target): void {
  const { code } = ctx;
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const scatter = node.op === "take_grad";
  const [src, idx] = node.args as [Node, Node];
  const table = scatter ? node.shape : src.shape;
  const [v, d] = [table[0]!, table[1]!];
  const n = size(idx.shape);
  const s = ctx.names.nameOf(src);
  const ix = ctx.names.nameOf(idx);
  const t = target.name;
  const row = ctx.names.local("row");
  // the input's name reaches the emitted code only inside a JSON string literal
  const what = JSON.stringify(`${idx.attrs.name ?? "idx"}: entry `);
  if (scatter) code.line(`${t}.fill(0);`);
  code.loop("i", n);
  code.line(`const ${row} = ${code.at(ix, "i")};`);
  code.line(`if (!(${row} >= 0 && ${row} < ${v} && ${row} === Math.floor(${row}))) throw new RangeError(${what} + i + " is " + ${row} + ", not a row number 0 to ${v - 1}");`);
  code.loop("j", d);
  if (scatter) code.line(`${code.at(t, `${row} * ${d} + j`)} += ${code.at(s, `i * ${d} + j`)};`);
  else code.line(`${t}[i * ${d} + j] = ${code.at(s, `${row} * ${d} + j`)};`);
  code.close().close();
}
