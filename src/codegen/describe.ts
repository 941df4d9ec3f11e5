// The math a kernel computes, printed for its comment in the user's names:
// `sigmoid(h · W2 + b2)`, `hᵀ · dL_dz2`, `sum(dL_dz2, axis 0)`. Fused operands are printed in
// full; stored ones by name. Long expressions are cut with an ellipsis.
import type { Node } from "../graph/node.ts";
import type { NameSource } from "./expr.ts";
import type { Plan } from "./plan.ts";

const INFIX: Record<string, [string, number]> = {
  add: ["+", 1],
  sub: ["-", 1],
  mul: ["*", 2],
  div: ["/", 2],
  matmul: ["·", 2],
  pow: ["^", 4],
};

const MAX_LENGTH = 160;

export function describe(plan: Plan, names: NameSource, node: Node): string {
  const text = print(node, true);
  return text.length > MAX_LENGTH ? text.slice(0, MAX_LENGTH - 1) + "…" : text;

  function print(n: Node, top: boolean): string {
    return printed(n, top).text;
  }

  function printed(n: Node, top: boolean): { text: string; prec: number } {
    const st = plan.storage.get(n)?.kind;
    if (st === "leaf" || (!top && (st === "buffer" || st === "scalar" || (st === "inline" && names.hasName(n) && n.op !== "const"))))
      return { text: names.nameOf(n), prec: 9 };
    if (n.op === "const") {
      const v = n.attrs.value ?? NaN;
      return { text: String(v), prec: v < 0 ? 3 : 9 };
    }
    if (n.op === "expand") return printed(n.args[0]!, false);
    if (n.op === "transpose") return { text: `${wrap(n.args[0]!, 8)}ᵀ`, prec: 8 };
    if (n.op === "neg") return { text: `-${wrap(n.args[0]!, 3)}`, prec: 3 };
    const infix = INFIX[n.op];
    if (infix && n.args.length === 2) {
      const [sym, prec] = infix;
      let a = wrap(n.args[0]!, n.op === "pow" ? prec + 1 : prec);
      let b = wrap(n.args[1]!, n.op === "pow" ? prec : prec + 1);
      if (n.op === "matmul") {
        if (n.attrs.transA) a = `${wrap(n.args[0]!, 8)}ᵀ`;
        if (n.attrs.transB) b = `${wrap(n.args[1]!, 8)}ᵀ`;
      }
      return { text: `${a} ${sym} ${b}`, prec };
    }
    const args = n.args.map((a) => print(a, false));
    if (n.attrs.axis !== undefined && n.attrs.axis !== null) args.push(`axis ${n.attrs.axis}`);
    return { text: `${n.op}(${args.join(", ")})`, prec: 9 };
  }

  function wrap(n: Node, minPrec: number): string {
    const p = printed(n, false);
    return p.prec < minPrec ? `(${p.text})` : p.text;
  }
}
