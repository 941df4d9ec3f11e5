// Layers as seed 002 draws them: a binding `O = σ(Z)` whose argument is an unnamed pre-activation
// `Z = O_prev @ W (+ b)`. Differentiation names the adjoint of Z — the layer's delta — `dL_dz2`
// after the weight's number (W2 → z2, W96 → z96), or `dL_dz_h` after the binding when the weight
// has no number or two layers would share one. Works on lowered and on simplified IR alike.
import type { Node } from "../graph/node.ts";
import { builtinName, getOp } from "../ops/registry.ts";

export interface PreActivation {
  /** `z2`, or `z_h`. */
  name: string;
  /** The binding the pre-activation feeds (`yhat`), its activation (`sigmoid`) and weight (`W2`). */
  binding: string;
  activation: string;
  weight: string;
}

/** The param a layer's product multiplies by: `O @ W`, `O @ W + b`, `b + O @ W`, `O @ W - b`. */
function weightOf(z: Node): string | undefined {
  const product = z.op === "matmul" ? z : z.op === "add" || z.op === "sub" ? z.args.find((a) => a.op === "matmul") : undefined;
  if (!product) return undefined;
  const w = product.args[1]!.op === "param" ? product.args[1]! : product.args[0]!.op === "param" ? product.args[0]! : undefined;
  return w?.attrs.name;
}

/** Every pre-activation of a named element-wise activation, by node, with the name of its variable. */
export function preActivations(names: ReadonlyMap<Node, string>): Map<Node, PreActivation> {
  const found: { z: Node; binding: string; activation: string; weight: string; tag: string }[] = [];
  const seen = new Set<Node>();
  for (const [n, binding] of names) {
    if (n.args.length !== 1 || getOp(n.op).kind !== "elementwise") continue;
    const z = n.args[0]!;
    if (names.has(z) || seen.has(z)) continue;
    const weight = weightOf(z);
    if (weight === undefined) continue;
    seen.add(z);
    const digits = /\d+$/.exec(weight)?.[0];
    const activation = builtinName(n.op, n.shape.length) ?? n.op;
    found.push({ z, binding, activation, weight, tag: digits === undefined ? `z_${binding}` : `z${digits}` });
  }
  const count = new Map<string, number>();
  for (const f of found) count.set(f.tag, (count.get(f.tag) ?? 0) + 1);
  const taken = new Set(names.values());
  const out = new Map<Node, PreActivation>();
  for (const f of found) {
    const unique = count.get(f.tag) === 1 && !taken.has(f.tag);
    out.set(f.z, { name: unique ? f.tag : `z_${f.binding}`, binding: f.binding, activation: f.activation, weight: f.weight });
  }
  return out;
}
