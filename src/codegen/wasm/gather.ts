// Row lookups by integer indices in WAT, the loops of ../kernels/gather.ts: take(E, idx) copies row
// idx[n] of E [V, D] into row n of the result; take_grad(g, idx) adds row n of g into row idx[n] of
// a zero [V, D]. The loader checks index inputs before each call (naming the bad entry); the
// kernel still traps (`unreachable`) on an index that is not a row number, so no call reads or
// writes outside E.
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import type { WasmKernelContext } from "./expr.ts";
import { fillW, type WTarget } from "./kernels.ts";
import { lin, load, store } from "./wat.ts";

export function emitGatherW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const { fn, num, layout } = ctx;
  const scatter = node.op === "take_grad";
  const [src, idx] = node.args as [Node, Node];
  const table = scatter ? node.shape : src.shape;
  const [v, d] = [table[0]!, table[1]!];
  const S = layout.offsetOf(src);
  const I = layout.offsetOf(idx);
  const T = target.base;
  const row = fn.temp("row", num.t);
  const at = fn.temp("rowAt", "i32");
  if (scatter) fillW(fn, num, T, size(node.shape), `(${num.t}.const 0)`);
  fn.loop("i", size(idx.shape), () => {
    fn.set(row, load(num, I, lin([["i", 1]])));
    const r = `(local.get $${row})`;
    const isRow = `(i32.and (i32.and (${num.t}.ge ${r} (${num.t}.const 0)) (${num.t}.lt ${r} (${num.t}.const ${v}))) (${num.t}.eq ${r} (${num.t}.floor ${r})))`;
    fn.when(`(i32.eqz ${isRow})`, () => fn.line("(unreachable)"));
    fn.set(at, `(i32.mul (i32.trunc_${num.t}_s ${r}) (i32.const ${d}))`);
    fn.loop("j", d, () => {
      const own = lin([["i", d], ["j", 1]]);
      const picked = lin([[at, 1], ["j", 1]]);
      if (scatter) fn.line(store(num, T, picked, `(${num.t}.add ${load(num, T, picked)} ${load(num, S, own)})`));
      else fn.line(store(num, T, own, load(num, S, picked)));
    });
  });
}
