// Storing one finished element of a kernel: straight into the target, or through the fused
// element-wise epilogue (the consumer computed from the value while it is still in a register).
import type { Node } from "../../graph/node.ts";
import { ExprWriter, type Index } from "../expr.ts";
import { assignScalar, type KernelContext, type Target } from "./context.ts";

/**
 * Emits the statements that store `value` (the producer's element at `idx`) into `target`. With
 * an epilogue, `target` belongs to the epilogue node, which is computed from the value.
 */
export function emitStore(ctx: KernelContext, target: Target, producer: Node, value: string, idx: Index, epilogue?: Node): void {
  const { code } = ctx;
  let v = value;
  if (epilogue) {
    // a producer the user (or differentiation) named is bound to that name: `const dL_dh = …`
    let given = value;
    if (ctx.names.hasName(producer)) {
      given = ctx.names.nameOf(producer);
      code.line(`const ${given} = ${value};`);
    }
    const w = new ExprWriter(ctx.plan, ctx.names, ctx.code.lang, new Map([[producer, () => given]]));
    v = w.define(epilogue, idx);
    code.addLines(w.stmts);
  }
  if (target.kind === "scalar") code.line(assignScalar(target, v));
  else code.line(`${target.name}[${idx.flat ?? "0"}] = ${v};`);
}
