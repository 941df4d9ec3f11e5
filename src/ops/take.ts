// take(E, idx): rows of E [V, D] picked by the integer entries of idx ([N] → [N, D],
// [N, T] → [N, T, D]): an embedding lookup. idx must be an input (data); the runtime checks its
// entries (integers 0 to V - 1) and names the position of a bad one. The gradient adds into E's
// rows (take_grad); idx has none.
import type { OpDef } from "./types.ts";
import { tensorArg } from "./shared.ts";
import { gatherShape, rowOf } from "./gather.ts";

export const take: OpDef = {
  name: "take",
  kind: "gather",
  arity: 2,
  kink: null,
  builtin: { name: "take", params: [tensorArg("E"), tensorArg("idx")] },
  shape: ([e, idx]) => gatherShape(e!, idx!),
  eval: ([e, idx], [se]) => {
    const [v, d] = [se![0]!, se![1]!];
    const r = new Float64Array(idx!.length * d);
    for (let i = 0; i < idx!.length; i++) {
      const row = rowOf(idx![i]!, v, i);
      for (let j = 0; j < d; j++) r[i * d + j] = e![row * d + j]!;
    }
    return r;
  },
  // d take(E, idx) = g added into the rows of a zero [V, D] it was read from
  vjp: ({ g, args: [e, idx], b }) => [b.op("take_grad", [g, idx!], { shape: e!.shape }), null],
  domain: { indexArgs: [1] },
};
