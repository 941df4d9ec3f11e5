// transpose: the transpose of a matrix (rank 2).
import type { OpDef } from "./types.ts";
import { tensorArg } from "./shared.ts";

export const transpose: OpDef = {
  name: "transpose",
  kind: "transpose",
  kink: null,
  arity: 1,
  builtin: { name: "transpose", params: [tensorArg("x")] },
  shape: ([x]) => (x!.length === 2 ? [x![1]!, x![0]!] : `transpose needs a matrix (rank 2), but $0 has rank ${x!.length}`),
  eval: ([x], [s]) => {
    const [m, n] = [s![0]!, s![1]!];
    const r = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) r[j * m + i] = x![i * n + j]!;
    return r;
  },
  // d xᵀ = gᵀ
  vjp: ({ g, b }) => [b.transpose(g)],
};
