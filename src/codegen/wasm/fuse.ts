// Which optimizer updates `step` fuses into the backward kernel that finishes their param's
// gradient (./step.ts's FusedUpdate), and the backward kernel order that lets them. A param's
// update can run as its gradient is stored when
//   - the gradient is a buffer of its own (not a copy of a leaf or constant) computed by a kernel
//     that can apply the rule at its stores: a product in any loop form (no element-wise epilogue),
//     a sum/mean/max/min reduction (a bias's column sum), a convolution's kernel gradient;
//   - no other backward kernel reads that gradient (so the kernel can move later), and the kernel,
//     in its final place, is followed by no kernel that reads the param (δ·Wᵀ reads W: the
//     gradient of W then moves after it) — nor reads it itself.
// Everything else is updated in the separate pass after backprop.
import type { Node } from "../../graph/node.ts";
import type { IRModel } from "../../ir/model.ts";
import { opCodegen } from "../ops.ts";
import { readsOf, type Plan } from "../plan.ts";
import { lossGrad } from "./layout.ts";

export interface Fusion {
  /** The backward kernels in the order to emit them. */
  order: Node[];
  /** Kernel → index of the param whose update it applies. */
  fused: Map<Node, number>;
}

/** Whether the kernel that computes `n` can apply an update at its stores (see the opening comment). */
function canApply(plan: Plan, n: Node): boolean {
  if (plan.copies.has(n)) return false;
  if (plan.epilogue.has(n)) return opCodegen[plan.epilogue.get(n)!.op].kernel === "reduce";
  const kernel = opCodegen[n.op].kernel;
  return kernel === "matmul" || (kernel === "reduce" && n.op !== "logsumexp") || n.op === "conv_kernel_grad";
}

/** The fusion plan for backward's kernels `kernels` (in their emission order). */
export function planFusion(ir: IRModel, plan: Plan, kernels: readonly Node[]): Fusion {
  const loss = ir.loss;
  const reads = new Map(kernels.map((k) => [k, readsOf(plan, plan.epilogue.has(k) ? [k, plan.epilogue.get(k)!] : [k])]));
  const readers = (node: Node, among: readonly Node[]): Node[] => among.filter((k) => reads.get(k)!.has(node));
  const inKernels = new Set(kernels);
  const candidates = new Map<Node, { index: number; param: Node }>();
  const gradOwners = new Map<Node, number>();
  for (const g of ir.grads) if (g.of === loss?.name) gradOwners.set(g.node, (gradOwners.get(g.node) ?? 0) + 1);
  ir.checked.params.forEach((p, index) => {
    const grad = lossGrad(ir, index);
    const param = ir.leaves.get(p.name);
    if (!grad || !param || !inKernels.has(grad.node) || gradOwners.get(grad.node) !== 1) return;
    const st = plan.storage.get(grad.node)?.kind;
    if ((st !== "buffer" && st !== "scalar") || !canApply(plan, grad.node)) return;
    if (readers(grad.node, kernels).length > 0) return;
    candidates.set(grad.node, { index, param });
  });
  // a candidate that some later kernel's read of its param would block moves to the end (nothing reads it)
  const blocked = (k: Node, order: readonly Node[]): boolean => {
    const c = candidates.get(k)!;
    return readers(c.param, order.slice(order.indexOf(k))).length > 0;
  };
  const moved = kernels.filter((k) => candidates.has(k) && blocked(k, kernels));
  const order = [...kernels.filter((k) => !moved.includes(k)), ...moved];
  const fused = new Map<Node, number>();
  for (const [k, c] of candidates) if (!blocked(k, order)) fused.set(k, c.index);
  return { order, fused };
}
