// Pooling kernels: maxpool2d, avgpool2d and their gradients, one loop nest per op over the planes
// (image × channel), output rows and columns; the window's size × size entries are written out
// (offsets from its top-left entry `win` are literals) up to 16 entries, else two loops. A max
// keeps the first maximum in row-major order (strict >), so its gradient goes there on a tie; a
// NaN wins and stays, as in PyTorch.
import type { Node } from "../../graph/node.ts";
import { poolGeometry, type PoolGeometry } from "../../ops/window.ts";
import { linear } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";
import { MAX_TAPS } from "./conv.ts";

/** The window's entries as offsets from `win`, or null when they are looped over (i, j). */
function offsets(g: PoolGeometry): number[] | null {
  if (g.size * g.size > MAX_TAPS) return null;
  const out: number[] = [];
  for (let i = 0; i < g.size; i++) for (let j = 0; j < g.size; j++) out.push(i * g.W + j);
  return out;
}

const at = (off: number | string): string => (off === 0 || off === "0" ? "win" : `win + ${off}`);

export function emitPool(ctx: KernelContext, node: Node, target: Target): void {
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const { code } = ctx;
  const T = target.name;
  const name = (n: Node) => ctx.names.nameOf(n);
  const xShape = node.op === "avgpool2d_grad" ? node.shape : node.args[0]!.shape;
  const g = poolGeometry(xShape, node.attrs);
  const offs = offsets(g);
  const n = g.size * g.size;

  /** Emits `each(offsetExpr)` for every entry of the window but (with `skipFirst`) the first. */
  const entries = (each: (off: string) => void, skipFirst = false): void => {
    if (offs) {
      offs.forEach((o, k) => (k === 0 && skipFirst ? undefined : each(at(o))));
      return;
    }
    code.open(`for (let i = 0; i < ${g.size}; i++)`).open(`for (let j = 0; j < ${g.size}; j++)`);
    each(at(`i * ${g.W} + j`));
    code.close().close();
  };
  /** The loops over windows; `body(yi)` with yi the flat output index, `win` the window's first entry. */
  const windows = (body: (yi: string) => void): void => {
    code.open(`for (let pl = 0; pl < ${g.planes}; pl++)`);
    code.open(`for (let oh = 0; oh < ${g.OH}; oh++)`);
    code.open(`for (let ow = 0; ow < ${g.OW}; ow++)`);
    code.line(`const win = ${linear([["pl", g.H * g.W], ["oh", g.stride * g.W], ["ow", g.stride]])};`);
    body(linear([["pl", g.OH * g.OW], ["oh", g.OW], ["ow", 1]]));
    code.close().close().close();
  };
  /** Finds the window's first maximum: `best` and its index `argAt`. */
  const argmax = (x: string): void => {
    code.line(`let best = ${code.at(x, "win")}, argAt = win, cand = 0;`);
    entries((o) => {
      code.line(`cand = ${code.at(x, o)};`);
      code.open(`if (cand > best || (cand !== cand && best === best))`).line(`best = cand;`).line(`argAt = ${o};`).close();
    }, true);
  };

  switch (node.op) {
    case "maxpool2d": {
      const X = name(node.args[0]!);
      code.comment(`the largest of each ${g.size}×${g.size} window (a NaN propagates)`);
      windows((yi) => {
        code.line(`let best = ${code.at(X, "win")}, cand = 0;`);
        entries((o) => {
          code.line(`cand = ${code.at(X, o)};`);
          code.line(`if (cand > best || cand !== cand) best = cand;`);
        }, true);
        code.line(`${T}[${yi}] = best;`);
      });
      return;
    }
    case "maxpool2d_grad": {
      const [X, D] = node.args.map(name) as [string, string];
      code.comment(`each window's ${D} goes to the position of its maximum in ${X} (the first, on a tie)`);
      code.line(`${T}.fill(0);`);
      windows((yi) => {
        argmax(X);
        code.line(`${code.at(T, "argAt")} += ${code.at(D, yi)};`);
      });
      return;
    }
    case "maxpool2d_select": {
      const [X, V] = node.args.map(name) as [string, string];
      code.comment(`each window's entry of ${V} where ${X} is largest (the first, on a tie)`);
      windows((yi) => {
        argmax(X);
        code.line(`${T}[${yi}] = ${code.at(V, "argAt")};`);
      });
      return;
    }
    case "avgpool2d": {
      const X = name(node.args[0]!);
      code.comment(`the mean of each ${g.size}×${g.size} window`);
      windows((yi) => {
        if (offs) code.line(`${T}[${yi}] = (${offs.map((o) => code.at(X, at(o))).join(" + ")}) / ${n};`);
        else {
          code.line(`let yv = 0;`);
          entries((o) => code.line(`yv += ${code.at(X, o)};`));
          code.line(`${T}[${yi}] = yv / ${n};`);
        }
      });
      return;
    }
    case "avgpool2d_grad": {
      const D = name(node.args[0]!);
      // windows that tile x exactly cover each entry once: stored, not accumulated
      const tiled = g.stride === g.size;
      code.comment(`each window's ${D} / ${n} spread over its ${n} entries`);
      if (!tiled) code.line(`${T}.fill(0);`);
      windows((yi) => {
        code.line(`const share = ${code.at(D, yi)} / ${n};`);
        entries((o) => code.line(`${tiled ? `${T}[${o}] =` : `${code.at(T, o)} +=`} share;`));
      });
      return;
    }
  }
  throw new Error(`internal error: no kernel for ${node.op}`);
}
