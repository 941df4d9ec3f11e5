// Differentiation stage: adds every requested derivative (`grad f wrt x, y` and the implicit
// `grad LOSS wrt <params>`) to the IR, with one reverse-mode walk per differentiated binding.
// Adjoints of bindings and leaves are named `dL_dh`, the adjoint of a layer's pre-activation (its
// delta, ./layers.ts) `dL_dz2`, and their origins carry the chain-rule step
// (`dL/dW2 = transpose(h) @ dL_dz2`) that code generation writes beside them. A node whose origin
// carries a step is a named adjoint: the simplifier keeps it whole (no constant moves across it).
import type { ChainStep, GradResult, IRModel, Origin } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { Builder, InternalError } from "../ir/builder.ts";
import { exprText } from "../ir/expr.ts";
import { markNew } from "./lower.ts";
import { reverse, type Contribution } from "./reverse.ts";
import { preActivations } from "../ir/layers.ts";

/** Longest text of one term of a chain-rule step; longer ones read "…". */
const STEP_LENGTH = 160;
/** Terms of a step are printed until the step is this long; the rest read "… (k more)". */
const STEP_TOTAL = 2 * STEP_LENGTH;
/**
 * A term whose expression has more nodes than this (stopping at named ones) reads "…" without
 * being printed: its text would be longer than STEP_LENGTH anyway (every node but a unit or a
 * folded constant prints at least a character), and printing it would walk all of it — for each
 * term of each step, which made a long product's derivative quadratic in its length.
 */
const STEP_NODES = 2 * STEP_LENGTH;

export function differentiate(ir: IRModel): IRModel {
  const b = new Builder(ir.graph);
  const names = new Map(ir.names);
  const origins = new Map(ir.origins);
  const grads: GradResult[] = [];
  const chain: ChainStep[] = [];
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
  const layers = preActivations(ir.names);

  const firstNew = ir.graph.count;

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
    for (const [z, layer] of layers) stepNames.set(z, layer.name);

    const onAdjoint = (node: Node, adj: Node, contributions: readonly Contribution[]) => {
      const layer = layers.get(node);
      const forwardName = nameOf(node) ?? layer?.name;
      const forwardOrigin = origins.get(node);
      if (forwardName === undefined) {
        // an intermediate of some binding: the adjoint belongs to that binding's code
        if (forwardOrigin && !origins.has(adj)) origins.set(adj, { binding: forwardOrigin.binding, line: forwardOrigin.line, text: forwardOrigin.text });
        return;
      }
      const name = `d${of}_d${forwardName}`;
      if (!names.has(adj) && adj.op !== "const") names.set(adj, name);
      let step = node === root ? "" : `d${of}/d${forwardName} = ${stepText(contributions, stepNames)}`;
      if (layer) step += `: the delta of ${layer.binding} = ${layer.activation}(${layer.name}), ${layer.name} = ${exprText(node, { names: ir.names, maxLength: STEP_LENGTH })}`;
      if (adj.op !== "const" && !stepNames.has(adj)) stepNames.set(adj, name);
      if (node === root) return;
      // the step is the chain rule through the expression that uses the node: its source line is
      // that binding's (dL/dW2 = hᵀ · dL_dz2 comes from `yhat = dense(h, W2, b2)`), when unique
      const at = usedIn(contributions, origins) ?? forwardOrigin;
      const stepId = `s${chain.length + 1}`;
      const origin: Origin = at ? { binding: at.binding, line: at.line, text: at.text, step, stepId } : { binding: forwardName, line: 0, text: forwardName, step, stepId };
      if (!origins.has(adj) || origins.get(adj)!.step === undefined) origins.set(adj, origin);
      chain.push({ id: stepId, of, wrt: forwardName, name, node, adjoint: adj, contributions, origin, ...(layer ? { layer: { binding: layer.binding, activation: layer.activation } } : {}) });
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
  // What a derivative rule builds inside a step (sigmoid's yhat*(1 - yhat), the row sums of a
  // cross-entropy's targets) comes from the same source line as the step, nearest step first.
  const steps = [...origins].filter(([n, o]) => o.step !== undefined && n.id >= firstNew).sort(([a], [c]) => a.id - c.id);
  const seen = new Set<Node>();
  for (const [n, o] of steps) markNew(n, firstNew, origins, { binding: o.binding, line: o.line, text: o.text }, seen);
  return { ...ir, grads, names, origins, steps: chain };
}

/** The one binding all the contributions come from (the expression using the node), if one. */
function usedIn(contributions: readonly Contribution[], origins: ReadonlyMap<Node, Origin>): Origin | undefined {
  const first = origins.get(contributions[0]!.from);
  if (!first || !contributions.every((c) => origins.get(c.from)?.binding === first.binding)) return undefined;
  return first;
}

/** The right-hand side of a chain-rule step: the sum of the contributions, in the model's names. */
function stepText(contributions: readonly Contribution[], names: ReadonlyMap<Node, string>): string {
  const text = (v: Node): string => {
    // a constant spread over a tensor (the seed dL/dL = 1 of a sum) reads as the constant
    if (v.op === "expand" && v.args[0]!.op === "const") return exprText(v.args[0]!);
    const name = names.get(v);
    if (name !== undefined) return name;
    return larger(v, names, STEP_NODES) ? "…" : exprText(v, { names, maxLength: STEP_LENGTH });
  };
  // bounded: a node used in 2,000 places (x in x*x*…*x) has 2,000 terms
  let out = "";
  for (let i = 0; i < contributions.length; i++) {
    if (out.length > STEP_TOTAL) {
      out += ` + … (${contributions.length - i} more)`;
      break;
    }
    out += (i === 0 ? "" : " + ") + text(contributions[i]!.value);
  }
  return out.replace(/\+ -/g, "- ");
}

/** Whether the expression of `root` (stopping at named nodes) has more than `limit` nodes; walks at most that many. */
function larger(root: Node, names: ReadonlyMap<Node, string>, limit: number): boolean {
  const seen = new Set<Node>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root && names.has(n)) continue;
    for (const a of n.args) {
      if (seen.has(a)) continue;
      if (seen.size >= limit) return true;
      seen.add(a);
      stack.push(a);
    }
  }
  return false;
}
