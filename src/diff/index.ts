// Differentiation stage: adds every requested derivative (`grad f wrt x, y` and the implicit
// `grad LOSS wrt <params>`) to the IR, with one reverse-mode walk per differentiated binding.
// Adjoints of bindings and leaves are named `dL_dh`, and their origins carry the chain-rule step
// (`dL/dW2 = transpose(h) @ dL_dz2`) that code generation writes beside them.
import type { GradResult, IRModel, Origin } from "../ir/model.ts";
import type { Node } from "../ir/node.ts";
import { Builder, InternalError } from "../ir/builder.ts";
import { exprText } from "../ir/expr.ts";
import { reverse, type Contribution } from "./reverse.ts";

/** Longest chain-rule step text recorded in an origin. */
const STEP_LENGTH = 160;

export function differentiate(ir: IRModel): IRModel {
  const b = new Builder(ir.graph);
  const names = new Map(ir.names);
  const origins = new Map(ir.origins);
  const grads: GradResult[] = [];
  const keys = new Set<string>();

  // One walk per differentiated binding, with every wrt asked of it.
  const wrtOf = new Map<string, string[]>();
  for (const req of ir.checked.grads) {
    const list = wrtOf.get(req.of) ?? [];
    for (const w of req.wrt) if (!list.includes(w)) list.push(w);
    wrtOf.set(req.of, list);
  }
  // Adjoints are named after the forward names (bindings and leaves) that lowering gave.
  const nameOf = (n: Node): string | undefined => ir.names.get(n);

  for (const [of, wrtNames] of wrtOf) {
    const root = ir.bindings.get(of) ?? ir.leaves.get(of);
    if (!root) throw new InternalError(`internal error: grad of unknown binding '${of}'`);
    const wrt = wrtNames.map((w) => {
      const n = ir.leaves.get(w) ?? ir.bindings.get(w);
      if (!n) throw new InternalError(`internal error: grad wrt unknown name '${w}'`);
      return n;
    });
    // Forward names, and the adjoint names given so far: steps refer to both.
    const stepNames = new Map<Node, string>();
    for (const [n, s] of ir.names) stepNames.set(n, s);

    const onAdjoint = (node: Node, adj: Node, contributions: readonly Contribution[]) => {
      const forwardName = nameOf(node);
      const forwardOrigin = origins.get(node);
      if (forwardName === undefined) {
        // an intermediate of some binding: the adjoint belongs to that binding's code
        if (forwardOrigin && !origins.has(adj)) origins.set(adj, { binding: forwardOrigin.binding, line: forwardOrigin.line, text: forwardOrigin.text });
        return;
      }
      const name = `d${of}_d${forwardName}`;
      if (!names.has(adj) && adj.op !== "const") names.set(adj, name);
      const step = node === root ? "" : `d${of}/d${forwardName} = ${stepText(contributions, stepNames)}`;
      if (adj.op !== "const" && !stepNames.has(adj)) stepNames.set(adj, name);
      if (node === root) return;
      const origin: Origin = forwardOrigin
        ? { binding: forwardOrigin.binding, line: forwardOrigin.line, text: forwardOrigin.text, step }
        : { binding: forwardName, line: 0, text: forwardName, step };
      if (!origins.has(adj) || origins.get(adj)!.step === undefined) origins.set(adj, origin);
    };

    const { grads: results } = reverse(b, root, wrt, { onAdjoint });
    wrtNames.forEach((w, i) => {
      const key = `${of}/${w}`;
      if (keys.has(key)) return;
      keys.add(key);
      const node = results[i]!;
      if (!names.has(node)) names.set(node, `d${of}_d${w}`);
      grads.push({ of, wrt: w, key, node });
    });
  }
  return { ...ir, grads, names, origins };
}

/** The right-hand side of a chain-rule step: the sum of the contributions, in the model's names. */
function stepText(contributions: readonly Contribution[], names: ReadonlyMap<Node, string>): string {
  return contributions.map((c) => names.get(c.value) ?? exprText(c.value, { names, maxLength: STEP_LENGTH })).join(" + ").replace(/\+ -/g, "- ");
}
