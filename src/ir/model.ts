// The lowered model: the checked model as IR nodes, with the derivatives added by src/diff and the
// names and source origins that printing and code generation use.
import type { CheckedModel } from "../check/model.ts";
import type { Graph, Node } from "../graph/node.ts";

export interface Origin {
  /** The binding the node belongs to, and its 1-based source line. */
  binding: string;
  line: number;
  /** The source text of the binding (`h = dense(x, W1, b1)`). */
  text: string;
  /** For adjoint nodes: the chain-rule step (`dL/dW2 = hᵀ · dL/dz2`). */
  step?: string;
  /** For adjoint nodes: the id of that step in `netc explain` (`s3`), cited by emitted comments. */
  stepId?: string;
}

/**
 * One chain-rule step as differentiation took it: the adjoint of a named forward node (a binding,
 * a leaf, a layer's pre-activation) as the sum of what each of its users contributed, built by the
 * users' vjp rules. `netc explain` prints these; code generation computes the same nodes.
 */
export interface ChainStep {
  id: string;
  /** The differentiated binding (`L`) and the forward node's name (`h`, `W1`, `z2`). */
  of: string;
  wrt: string;
  /** The adjoint's name (`dL_dh`). */
  name: string;
  node: Node;
  adjoint: Node;
  contributions: readonly { from: Node; value: Node }[];
  /** Set when the node is a layer's unnamed pre-activation: the binding it feeds and the activation. */
  layer?: { binding: string; activation: string };
  origin?: Origin;
}

export interface GradResult {
  of: string;
  wrt: string;
  /** `"f/x"`: the key used in JSON output. */
  key: string;
  node: Node;
}

export interface IRModel {
  graph: Graph;
  checked: CheckedModel;
  /** Leaves by user name: inputs, targets and params (`input`/`param` nodes). */
  leaves: Map<string, Node>;
  /** Every binding's node, by user name. */
  bindings: Map<string, Node>;
  outputs: { name: string; node: Node }[];
  loss: { name: string; node: Node } | null;
  grads: GradResult[];
  /** Readable names for nodes: bindings (`h`), adjoints (`dL_dh`, `dL_dW1`). */
  names: Map<Node, string>;
  origins: Map<Node, Origin>;
  /** The chain-rule steps differentiation took, in the order it took them (raw IR only). */
  steps?: ChainStep[];
}

/** The nodes a model must keep: outputs, loss, derivatives, and the bindings differentiated. */
export function roots(ir: IRModel): Node[] {
  const list: Node[] = [];
  for (const o of ir.outputs) list.push(o.node);
  if (ir.loss) list.push(ir.loss.node);
  for (const g of ir.grads) {
    list.push(g.node);
    const of = ir.bindings.get(g.of);
    if (of) list.push(of);
  }
  return list;
}

/** A stage of the pipeline and the number of IR nodes after it (`netc compile --emit ir`). */
export interface PassStat {
  name: string;
  nodes: number;
}
