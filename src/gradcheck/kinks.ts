// Kinks: the points where an op is not differentiable, as each op declares them (`kink` in its
// file under src/ops: relu and abs at 0, max and min where the arguments tie, …). A central
// difference whose ±h step crosses one measures no derivative at all, so such probes are skipped.
// A probe crosses a kink when, for some element, the kink's switch (relu/abs: the argument minus
// the kink point; max/min: the first argument minus the second) has a different sign at x − h
// than at x + h (a zero counts as its own sign, so touching the kink counts as crossing).
import type { Node } from "../graph/node.ts";
import { getOp } from "../ops/registry.ts";
import { broadcastIndex, kinkPoints } from "../ops/shared.ts";

/** Whether the node's op declares a kink (src/ops: each op's `kink`). */
export const isKink = (node: Node): boolean => getOp(node.op).kink !== null;

/** The kink nodes among `nodes`. */
export function kinkNodes(nodes: Iterable<Node>): Node[] {
  return [...nodes].filter(isKink);
}

/** Each kink node's switch values, given every node's value (one array per kink point). */
export function switches(kinks: readonly Node[], values: ReadonlyMap<Node, Float64Array>): Float64Array[] {
  return kinks.flatMap((k) => {
    const kink = getOp(k.op).kink;
    const args = k.args.map((a) => values.get(a)!);
    const a = args[0]!;
    if (typeof kink === "function") return [kink(args, k.args.map((x) => x.shape), k.attrs)];
    if (kink === "difference") {
      const b = args[1]!;
      const ia = broadcastIndex(k.args[0]!.shape, k.shape);
      const ib = broadcastIndex(k.args[1]!.shape, k.shape);
      const s = new Float64Array(ia.length);
      for (let i = 0; i < s.length; i++) s[i] = a[ia[i]!]! - b[ib[i]!]!;
      return [s];
    }
    return kinkPoints(getOp(k.op)).map((p) => (p === 0 ? a : a.map((v) => v - p)));
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
