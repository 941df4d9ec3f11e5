// matmul: the matrix product a @ b in its four rank forms ([m,k]@[k,n], [m,k]@[k], [k]@[k,n],
// [k]@[k]). attrs.transA / attrs.transB use a rank-2 operand transposed, so a product with a
// transpose (as in every backward pass) is one node.
import type { Node, Shape } from "../graph/node.ts";
import type { IRBuilder, OpDef } from "./types.ts";

/** outer(u, v)[i, j] = u[i] v[j] */
const outer = (b: IRBuilder, u: Node, v: Node): Node => b.mul(b.expand(u, [u.shape[0]!, v.shape[0]!], [0]), v);

/** Rows and columns of an operand as used (after its optional transpose). */
const used = (s: Shape, t: boolean | undefined): [number, number] => (t ? [s[1]!, s[0]!] : [s[0]!, s[1]!]);

export const matmul: OpDef = {
  name: "matmul",
  kind: "matmul",
  kink: null,
  arity: 2,
  shape: ([a, b], attrs) => {
    for (const [s, i] of [[a!, 0], [b!, 1]] as const) {
      if (s.length === 0) return `cannot multiply $0 by $1: @ needs vectors or matrices, but $${i} is a scalar`;
      if (s.length > 2) return `cannot multiply $0 by $1: @ needs vectors or matrices, but $${i} has rank ${s.length}`;
    }
    const [m, ka] = a!.length === 2 ? used(a!, attrs.transA) : [-1, a![0]!];
    const [kb, n] = b!.length === 2 ? used(b!, attrs.transB) : [b![0]!, -1];
    if (ka !== kb) return `cannot multiply $0 by $1: inner sizes ${ka} and ${kb} differ`;
    return [...(a!.length === 2 ? [m] : []), ...(b!.length === 2 ? [n] : [])];
  },
  eval: ([a, b], [sa, sb], attrs) => {
    const [m, k] = sa!.length === 2 ? used(sa!, attrs.transA) : [1, sa![0]!];
    const n = sb!.length === 2 ? used(sb!, attrs.transB)[1] : 1;
    // element (i, p) of op(a) and (p, j) of op(b), row-major in their stored layouts
    const A = (i: number, p: number) => (attrs.transA ? a![p * m + i]! : a![i * k + p]!);
    const B = (p: number, j: number) => (attrs.transB ? b![j * k + p]! : b![p * n + j]!);
    const r = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
        r[i * n + j] = s;
      }
    return r;
  },
  // C = op(A) @ op(B):  d op(A) = g @ op(B)ᵀ,  d op(B) = op(A)ᵀ @ g  (vectors: outer products)
  vjp: ({ g, args: [A, B], out, b, needs }) => {
    const tA = out.attrs.transA === true;
    const tB = out.attrs.transB === true;
    const ra = A!.shape.length;
    const rb = B!.shape.length;
    let dA: Node | null = null;
    let dB: Node | null = null;
    if (needs?.[0] !== false) {
      if (ra === 2 && rb === 2) dA = tA ? b.matmul(B!, g, tB, true) : b.matmul(g, B!, false, !tB);
      else if (ra === 2) dA = tA ? outer(b, B!, g) : outer(b, g, B!);
      else if (rb === 2) dA = b.matmul(B!, g, tB);
      else dA = b.mul(g, B!);
    }
    if (needs?.[1] !== false) {
      if (ra === 2 && rb === 2) dB = tB ? b.matmul(g, A!, true, tA) : b.matmul(A!, g, !tA, false);
      else if (ra === 2) dB = b.matmul(A!, g, !tA);
      else if (rb === 2) dB = tB ? outer(b, g, A!) : outer(b, A!, g);
      else dB = b.mul(g, A!);
    }
    return [dA, dB];
  },
};
