// Numbers plugged in: each forward value and each step's adjoint evaluated at the given leaf
// values by the reference interpreter over the same IR nodes the steps print (src/ir/interpret).
import type { IRModel } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { interpret } from "../ir/interpret.ts";
import type { ExplainValue, Explanation } from "./model.ts";

/** Tensors up to this many entries are shown in full. */
const FULL = 64;

export function summarize(data: Float64Array, shape: readonly number[]): ExplainValue {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of data) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  const v: ExplainValue = { shape: [...shape], min, max, mean: data.length > 0 ? sum / data.length : 0 };
  if (data.length <= FULL) v.data = [...data];
  return v;
}

/** Sets the values of the forward lines, the steps and the derivatives of `e` at `leaves`. */
export function plugIn(e: Explanation, raw: IRModel, leaves: ReadonlyMap<string, Float64Array>): void {
  const forwardNode = new Map<string, Node>();
  for (const [name, n] of raw.bindings) forwardNode.set(name, n);
  const preacts = new Map<string, Node>();
  for (const s of raw.steps ?? []) if (s.layer) preacts.set(s.wrt, s.node);
  const stepNode = new Map<string, Node>();
  for (const s of raw.steps ?? []) stepNode.set(s.id, s.adjoint);
  const roots = [...forwardNode.values(), ...preacts.values(), ...stepNode.values()];
  const values = interpret(roots, leaves);
  const at = (n: Node | undefined) => (n && values.has(n) ? summarize(values.get(n)!, n.shape) : undefined);
  for (const f of e.forward) {
    const v = at(forwardNode.get(f.name) ?? preacts.get(f.name));
    if (v) f.value = v;
  }
  for (const s of e.steps) {
    const v = at(stepNode.get(s.id));
    if (v) s.value = v;
  }
  for (const d of e.derivatives) {
    const s = e.steps.find((x) => x.id === d.step);
    if (s?.value) d.value = s.value;
  }
}
