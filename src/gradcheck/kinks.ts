// Kinks: the points where relu, abs, max and min are not differentiable. A central difference
// whose ±h step crosses one measures no derivative at all, so such probes are skipped. A probe
// crosses a kink when, for some element, the kink's switch (relu/abs: the argument; max/min: the
// first argument minus the second) has a different sign at x − h than at x + h (a zero counts as
// its own sign, so touching the kink counts as crossing).
import type { Node } from "../graph/node.ts";
import { broadcastIndex } from "../ops/shared.ts";

// (heaviside, sign and ge are the masks the derivative rules use; listed so any use is caught.)
const ONE_ARG = new Set(["relu", "abs", "sign", "heaviside"]);
const TWO_ARG = new Set(["max", "min", "ge"]);

export const isKink = (node: Node): boolean => ONE_ARG.has(node.op) || TWO_ARG.has(node.op);

/** The kink nodes among `nodes`. */
export function kinkNodes(nodes: Iterable<Node>): Node[] {
  return [...nodes].filter(isKink);
}

/** Each kink node's switch values, given every node's value. */
export function switches(kinks: readonly Node[], values: ReadonlyMap<Node, Float64Array>): Float64Array[] {
  return kinks.map((k) => {
    const a = values.get(k.args[0]!)!;
    if (ONE_ARG.has(k.op)) return a;
    const b = values.get(k.args[1]!)!;
    const ia = broadcastIndex(k.args[0]!.shape, k.shape);
    const ib = broadcastIndex(k.args[1]!.shape, k.shape);
    const s = new Float64Array(ia.length);
    for (let i = 0; i < s.length; i++) s[i] = a[ia[i]!]! - b[ib[i]!]!;
    return s;
  });
}

/** Whether any switch changes sign between the two sides of a probe. */
export function crossesKink(minus: readonly Float64Array[], plus: readonly Float64Array[]): boolean {
  for (let k = 0; k < minus.length; k++) {
    const m = minus[k]!;
    const p = plus[k]!;
    for (let i = 0; i < m.length; i++) if (Math.sign(m[i]!) !== Math.sign(p[i]!)) return true;
  }
  return false;
}
