// Pooling kernels in WAT: maxpool2d, avgpool2d and their gradients, the loop nests of
// ../kernels/pool.ts — planes (image × channel), output rows and columns; the window's size × size
// entries are written out (offsets from its top-left entry `win` are constants) up to 16 entries,
// else two loops. A max keeps the first maximum in row-major order (strict >), so its gradient goes
// there on a tie; a NaN wins and stays, as in PyTorch and the JS target.
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { poolGeometry, type PoolGeometry } from "../../ops/window.ts";
import { MAX_TAPS } from "../kernels/conv.ts";
import type { WasmKernelContext } from "./expr.ts";
import { fillW, type WTarget } from "./kernels.ts";
import { fconst, lin, linI32, load, store, type Lin } from "./wat.ts";

/** The window's entries as offsets from `win`, or null when they are looped over (i, j). */
function offsets(g: PoolGeometry): number[] | null {
  if (g.size * g.size > MAX_TAPS) return null;
  const out: number[] = [];
  for (let i = 0; i < g.size; i++) for (let j = 0; j < g.size; j++) out.push(i * g.W + j);
  return out;
}

export function emitPoolW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const { fn, num, layout } = ctx;
  const T = target.base;
  const xShape = node.op === "avgpool2d_grad" ? node.shape : node.args[0]!.shape;
  const g = poolGeometry(xShape, node.attrs);
  const offs = offsets(g);
  const n = g.size * g.size;
  const base = (k: number): number => layout.offsetOf(node.args[k]!);
  const t = num.t;
  const winAt = (o: number | string): Lin => lin([["win", 1], [o, 1]]);

  /** `each(entry)` for every entry of the window but (with `skipFirst`) the first; `entry` an index Lin. */
  const entries = (each: (at: Lin) => void, skipFirst = false): void => {
    if (offs) {
      offs.forEach((o, k) => (k === 0 && skipFirst ? undefined : each(winAt(o))));
      return;
    }
    fn.local("wo", "i32");
    fn.loop("wi", g.size, () =>
      fn.loop("wj", g.size, () => {
        fn.set("wo", `(i32.add (local.get $win) (i32.add (i32.mul (local.get $wi) (i32.const ${g.W})) (local.get $wj)))`);
        each(lin([["wo", 1]]));
      }),
    );
  };
  /** The loops over windows; `body(yi)` with yi the flat output index, local win the window's first entry. */
  const windows = (body: (yi: Lin) => void): void => {
    fn.local("win", "i32");
    fn.loop("pl", g.planes, () =>
      fn.loop("oh", g.OH, () =>
        fn.loop("ow", g.OW, () => {
          fn.set("win", `(i32.add (i32.add (i32.mul (local.get $pl) (i32.const ${g.H * g.W})) (i32.mul (local.get $oh) (i32.const ${g.stride * g.W}))) (i32.mul (local.get $ow) (i32.const ${g.stride})))`);
          body(lin([["pl", g.OH * g.OW], ["oh", g.OW], ["ow", 1]]));
        }),
      ),
    );
  };
  const best = fn.local("best", t);
  const cand = fn.local("cand", t);
  const get = (v: string): string => `(local.get $${v})`;
  const isNaN = (v: string): string => `(${t}.ne ${get(v)} ${get(v)})`;
  /** The window's first maximum: best, and its index argAt. */
  const argmax = (X: number): void => {
    fn.local("argAt", "i32");
    fn.set(best, load(num, X, winAt(0))).set("argAt", "(local.get $win)");
    entries((at) => {
      fn.set(cand, load(num, X, at));
      fn.when(`(i32.or (${t}.gt ${get(cand)} ${get(best)}) (i32.and ${isNaN(cand)} (${t}.eq ${get(best)} ${get(best)})))`, () => fn.set(best, get(cand)).set("argAt", linI32(at)));
    }, true);
  };

  switch (node.op) {
    case "maxpool2d": {
      const X = base(0);
      fn.comment(`the largest of each ${g.size}×${g.size} window (a NaN propagates)`);
      windows((yi) => {
        fn.set(best, load(num, X, winAt(0)));
        entries((at) => {
          fn.set(cand, load(num, X, at));
          fn.set(best, `(select ${get(cand)} ${get(best)} (i32.or (${t}.gt ${get(cand)} ${get(best)}) ${isNaN(cand)}))`);
        }, true);
        fn.line(store(num, T, yi, get(best)));
      });
      return;
    }
    case "maxpool2d_grad": {
      const [X, D] = [base(0), base(1)];
      fn.comment(`each window's dy goes to the position of its maximum in x (the first, on a tie)`);
      fillW(fn, num, T, size(node.shape), fconst(num, 0));
      windows((yi) => {
        argmax(X);
        const at = lin([["argAt", 1]]);
        fn.line(store(num, T, at, `(${t}.add ${load(num, T, at)} ${load(num, D, yi)})`));
      });
      return;
    }
    case "maxpool2d_select": {
      const [X, V] = [base(0), base(1)];
      fn.comment(`each window's entry of v where x is largest (the first, on a tie)`);
      windows((yi) => {
        argmax(X);
        fn.line(store(num, T, yi, load(num, V, lin([["argAt", 1]]))));
      });
      return;
    }
    case "avgpool2d": {
      const X = base(0);
      fn.comment(`the mean of each ${g.size}×${g.size} window`);
      const acc = fn.local("yv", t);
      windows((yi) => {
        fn.set(acc, fconst(num, 0));
        entries((at) => fn.set(acc, `(${t}.add ${get(acc)} ${load(num, X, at)})`));
        fn.line(store(num, T, yi, `(${t}.div ${get(acc)} ${fconst(num, n)})`));
      });
      return;
    }
    case "avgpool2d_grad": {
      const D = base(0);
      // windows that tile x exactly cover each entry once: stored, not accumulated
      const tiled = g.stride === g.size;
      fn.comment(`each window's dy / ${n} spread over its ${n} entries`);
      if (!tiled) fillW(fn, num, T, size(node.shape), fconst(num, 0));
      const share = fn.local("share", t);
      windows((yi) => {
        fn.set(share, `(${t}.div ${load(num, D, yi)} ${fconst(num, n)})`);
        entries((at) => fn.line(store(num, T, at, tiled ? get(share) : `(${t}.add ${load(num, T, at)} ${get(share)})`)));
      });
      return;
    }
  }
  throw new Error(`internal error: no wasm kernel for ${node.op}`);
}
