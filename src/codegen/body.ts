// The body of a generated function: the kernels that compute a set of results, in topological
// order, each under a comment with its source expression, the chain-rule step it implements and
// the fused math it computes.
import type { Node } from "../graph/node.ts";
import type { Origin } from "../ir/model.ts";
import type { Plan } from "./plan.ts";
import { topoOrder } from "../graph/node.ts";
import { describe } from "./describe.ts";
import type { KernelContext, Target } from "./kernels/context.ts";
import { emitMap } from "./kernels/map.ts";
import { kernels } from "./kernels/index.ts";
import { opCodegen } from "./ops.ts";

/**
 * Materialized nodes needed for `roots`, in a topological order that finishes each root before
 * starting the next (leaves excluded): given the derivatives last layer first, the backward pass
 * reads like seed 002's — a layer's delta, then its dL/db and dL/dW, then the layer below.
 */
export function kernelsFor(plan: Plan, roots: readonly Node[]): Node[] {
  return topoOrder(roots).filter((n) => {
    const st = plan.storage.get(n)!.kind;
    return st === "buffer" || st === "scalar" || plan.copies.has(n);
  });
}

/** Where node `n` is stored (its own storage, or its copy when it is a leaf or constant result). */
export function targetOf(ctx: KernelContext, n: Node): Target {
  const { plan } = ctx;
  const st = plan.copies.get(n) ?? plan.storage.get(n)!;
  const name = plan.copies.has(n) ? ctx.copyName(n) : ctx.names.nameOf(n);
  if (st.kind === "buffer") return { kind: "buffer", name };
  if (st.kind === "scalar") return { kind: "scalar", name, declare: true };
  throw new Error(`internal error: node ${n.id} has no storage`);
}

/** The kernels for `roots`, leaving out those in `done` (already computed, by the forward pass). */
export function emitKernels(ctx: KernelContext, roots: readonly Node[], done?: ReadonlySet<Node>): void {
  const { plan, code } = ctx;
  for (const n of kernelsFor(plan, roots)) {
    if (done?.has(n)) continue;
    if (plan.fusedProducer.has(n)) continue; // emitted with its consumer
    code.blank();
    for (const line of commentLines(ctx, n)) code.comment(line);
    const target = targetOf(ctx, n);
    if (plan.copies.has(n)) {
      emitMap(ctx, n, target);
      continue;
    }
    // a matmul or reduction with its element-wise consumer fused in computes both
    const producer = plan.epilogue.get(n);
    if (producer) kernels[opCodegen[producer.op].kernel](ctx, producer, target, n);
    else kernels[opCodegen[n.op].kernel](ctx, n, target);
  }
}

/** The nodes a kernel for `n` computes: itself and everything fused into it. */
function fusedNodes(plan: Plan, n: Node): Node[] {
  const out: Node[] = [];
  const stack = [n];
  const seen = new Set<Node>();
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (seen.has(m)) continue;
    seen.add(m);
    out.push(m);
    for (const a of m.args) if (plan.storage.get(a)?.kind === "inline" && a.op !== "const") stack.push(a);
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Longest source text a comment repeats: kernels of one long binding would otherwise each repeat all of it. */
const MAX_SOURCE_IN_COMMENT = 160;

function originText(o: Origin): string {
  const text = o.text.length > MAX_SOURCE_IN_COMMENT ? `${o.text.slice(0, MAX_SOURCE_IN_COMMENT - 1)}…` : o.text;
  return o.step ? `${o.step}   (${text}, line ${o.line}; explain ${o.stepId})` : `${text}   (line ${o.line})`;
}

export function commentLines(ctx: KernelContext, n: Node): string[] {
  const { plan } = ctx;
  const lines: string[] = [];
  const stepped: boolean[] = [];
  const seen = new Set<string>();
  for (const m of fusedNodes(plan, n)) {
    const o = plan.ir.origins.get(m);
    if (!o) continue;
    const t = originText(o);
    if (!seen.has(t)) {
      seen.add(t);
      lines.push(t);
      stepped.push(o.step !== undefined);
    }
  }
  // a backward kernel is described by its chain-rule steps: the source lines of the forward values
  // it recomputes (yhat - y) would only repeat them
  if (lines.some((l, k) => stepped[k])) for (let k = lines.length - 1; k >= 0; k--) if (!stepped[k]) lines.splice(k, 1);
  for (const note of ctx.notes?.get(n) ?? []) if (!seen.has(note)) lines.push(note);
  const producer = plan.epilogue.get(n);
  if (producer && ctx.names.hasName(producer)) lines.push(`${ctx.names.nameOf(producer)} = ${describe(plan, ctx.names, producer)}`);
  const target = plan.copies.has(n) ? ctx.copyName(n) : ctx.names.nameOf(n);
  const math = `${target} = ${describe(plan, ctx.names, n)}`;
  // the math is left out when it only repeats the source line (`f = a * w`)
  const squash = (t: string): string => t.replace(/\s+/g, "").replace(/^(output|loss)/, "");
  if (lines.some((l) => squash(l).startsWith(squash(math) + "(line"))) return lines;
  lines.push(`${target}${n.shape.length > 0 ? `[${n.shape.join("×")}]` : ""} = ${describe(plan, ctx.names, n)}`);
  return lines;
}
