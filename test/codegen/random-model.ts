// The random model generator of the random-model tests: random compositions of every op of the
// language with random compatible shapes, written as .net source (deterministic per seed).
import { rng } from "./support.ts";

type Shape = number[];

/**
 * Writes a random model: declarations plus one expression per binding, shapes tracked. With
 * `named`, a few intermediate bindings (b0, b1, …) come first and later expressions reuse them,
 * so named values (and their named derivatives dL_db0) are read several times, in several places.
 */
export function randomModel(seed: number, options: { named?: boolean; core?: boolean } = {}): string {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // mostly small sizes; now and then one past the 16 columns the matmul kernels hold in registers
  const size = () => (r() < 0.08 ? 17 + Math.floor(r() * 20) : 1 + Math.floor(r() * 4));
  const decls: string[] = [];
  const leaves: { name: string; shape: Shape }[] = [];
  const shapeText = (s: Shape) => `[${s.join(", ")}]`;
  const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

  const bindings: { name: string; shape: Shape }[] = [];

  function leaf(shape: Shape): string {
    const bound = bindings.filter((b) => sameShape(b.shape, shape));
    if (bound.length > 0 && r() < 0.5) return pick(bound).name;
    const found = leaves.filter((l) => sameShape(l.shape, shape));
    if (found.length > 0 && r() < 0.5) return pick(found).name;
    const isParam = r() < 0.6;
    const name = `${isParam ? "p" : "x"}${leaves.length}`;
    leaves.push({ name, shape });
    if (isParam) decls.push(`param ${name}${shape.length ? `: ${shapeText(shape)}` : ""} = normal(0, 1)`);
    else decls.push(`input ${name}${shape.length ? `: ${shapeText(shape)}` : ""}`);
    return name;
  }

  // Element-wise functions kept inside their domains so both sides stay finite.
  const unary = [
    (a: string) => `exp(${a} * 0.3)`,
    (a: string) => `log(softplus(${a}) + 0.5)`,
    (a: string) => `sqrt(abs(${a}) + 0.25)`,
    (a: string) => `abs(${a})`,
    (a: string) => `sin(${a})`,
    (a: string) => `cos(${a})`,
    (a: string) => `tan(${a} * 0.3)`,
    (a: string) => `tanh(${a})`,
    (a: string) => `sigmoid(${a})`,
    (a: string) => `relu(${a})`,
    (a: string) => `softplus(${a})`,
    (a: string) => `-${a}`,
    (a: string) => `(${a})^2`,
    (a: string) => `pow(abs(${a}) + 0.5, 1.5)`,
  ];

  function expr(shape: Shape, depth: number): string {
    if (depth <= 0 || r() < 0.15) return r() < 0.1 && shape.length === 0 ? String(Math.round(r() * 40) / 10 + 0.5) : leaf(shape);
    const d = depth - 1;
    // core: only the ops of contract v1 (and rank 0–2), for targets that have no more yet
    const choice = Math.floor(r() * (options.core ? 11 : 16));
    switch (choice) {
      case 0:
      case 1:
        return pick(unary)(expr(shape, d));
      case 2: {
        // binary with broadcasting: the other operand may be a trailing suffix or a scalar
        const op = pick(["+", "-", "*"]);
        const other = r() < 0.5 ? shape : shape.slice(Math.floor(r() * (shape.length + 1)));
        return r() < 0.5 ? `(${expr(shape, d)} ${op} ${expr(other, d)})` : `(${expr(other, d)} ${op} ${expr(shape, d)})`;
      }
      case 3:
        return `(${expr(shape, d)} / (1 + ${expr(shape, d)}^2))`;
      case 4:
        return `${pick(["max", "min"])}(${expr(shape, d)}, ${expr(shape, d)})`;
      case 5: {
        // matmul in its four rank forms
        const k = size();
        if (shape.length > 2) return expr(shape, d);
        if (shape.length === 2) return `(${expr([shape[0]!, k], d)} @ ${expr([k, shape[1]!], d)})`;
        if (shape.length === 1) return r() < 0.5 ? `(${expr([shape[0]!, k], d)} @ ${expr([k], d)})` : `(${expr([k], d)} @ ${expr([k, shape[0]!], d)})`;
        return `(${expr([k], d)} @ ${expr([k], d)})`;
      }
      case 6:
        if (shape.length === 2) return `transpose(${expr([shape[1]!, shape[0]!], d)})`;
        return expr(shape, d);
      case 7: {
        // reductions: add an axis and remove it again
        const fn = pick(options.core ? ["sum", "mean", "logsumexp"] : ["sum", "mean", "logsumexp", "max", "min"]);
        if (shape.length === 0 && r() < 0.5) {
          const inner = r() < 0.5 ? [size()] : [size(), size()];
          return fn === "logsumexp" ? `sum(logsumexp(${expr(inner, d)}, 0))` : `${fn}(${expr(inner, d)})`;
        }
        if (shape.length >= (options.core ? 2 : 4)) return expr(shape, d);
        const axis = Math.floor(r() * (shape.length + 1));
        const full = [...shape.slice(0, axis), size(), ...shape.slice(axis)];
        const ax = r() < 0.3 ? axis - full.length : axis;
        // max and min reduce when the axis is named (max(a, b) is element-wise)
        if (!options.core && r() < 0.3) {
          // keepdims: the kept axis of size 1 summed away again
          return `sum(${fn}(${expr(full, d)}, axis = ${ax}, keepdims = true), ${axis})`;
        }
        return fn === "max" || fn === "min" ? `${fn}(${expr(full, d)}, axis = ${ax})` : `${fn}(${expr(full, d)}, ${ax})`;
      }
      case 8:
        if (shape.length === 0) return expr(shape, d);
        return `${pick(["softmax", "log_softmax"])}(${expr(shape, d)}, ${Math.floor(r() * shape.length)})`;
      case 9:
        if (shape.length !== 0) return expr(shape, d);
        if (r() < 0.5) {
          const s = r() < 0.5 ? [size()] : [size(), size()];
          return `mse(${expr(s, d)}, ${expr(s, d)})`;
        } else {
          const s = r() < 0.5 ? [size()] : [size(), size()];
          return `cross_entropy(${expr(s, d)}, softmax(${expr(s, d)}, ${s.length - 1}))`;
        }
      case 10:
        return `${expr(shape, d)} * ${r() < 0.5 ? "2" : "0.5"}`;
      case 11: {
        // reshape from another shape of the same size (ranks up to 4)
        if (shape.length === 0) return expr(shape, d);
        const n = shape.reduce((a, b) => a * b, 1);
        const inner = pick([[n], [...shape].reverse(), [...shape, 1], [1, ...shape]].filter((s) => s.length <= 4));
        return `reshape(${expr(inner, d)}, ${shapeText(shape)})`;
      }
      case 12:
        // flatten of a rank-3 or rank-4 tensor
        if (shape.length !== 2) return expr(shape, d);
        return `flatten(${expr(pick([[shape[0]!, 1, shape[1]!], [shape[0]!, shape[1]!, 1], [shape[0]!, shape[1]!, 1, 1]]), d)})`;
      case 13: {
        // a slice of a larger tensor: a range per axis, sometimes an integer index that drops a new first axis
        if (shape.length >= 4) return expr(shape, d);
        const starts = shape.map(() => Math.floor(r() * 3));
        const inner = shape.map((n, i) => n + starts[i]! + Math.floor(r() * 2));
        const items = shape.map((n, i) => (starts[i] === 0 && inner[i] === n ? ":" : r() < 0.3 ? `${starts[i]! - inner[i]!}:${starts[i]! + n - inner[i]! || ""}` : `${starts[i]}:${starts[i]! + n}`));
        if (shape.length === 0 || r() < 0.3) {
          const k = 1 + Math.floor(r() * 3);
          const at = Math.floor(r() * k);
          return `(${expr([k, ...inner], d)})[${[String(r() < 0.5 ? at : at - k), ...items].join(", ")}]`;
        }
        return `(${expr(inner, d)})[${items.join(", ")}]`;
      }
      case 14: {
        // concat of two or three parts along a random axis
        if (shape.length === 0) return expr(shape, d);
        const axis = Math.floor(r() * shape.length);
        const n = shape[axis]!;
        const cuts = [...new Set([Math.floor(r() * n), Math.floor(r() * n)])].filter((c) => c > 0).sort((a, b) => a - b);
        const bounds = [0, ...cuts, n];
        const parts = bounds.slice(1).map((e, i) => expr(shape.map((m, j) => (j === axis ? e - bounds[i]! : m)), d));
        return `concat(${parts.join(", ")}, axis = ${r() < 0.3 ? axis - shape.length : axis})`;
      }
      case 15: {
        // zeros around a smaller tensor
        if (shape.length === 0) return expr(shape, d);
        const before = shape.map((n) => Math.floor(r() * n));
        const after = shape.map((n, i) => Math.floor(r() * (n - before[i]!)));
        const inner = shape.map((n, i) => n - before[i]! - after[i]!);
        return `pad(${expr(inner, d)}, ${shapeText(before)}, ${shapeText(after)})`;
      }
      default:
        return expr(shape, d);
    }
  }

  const outShape: Shape = pick([[], [size()], [size(), size()]]);
  const named: string[] = [];
  if (options.named) {
    const count = 1 + Math.floor(r() * 3);
    for (let b = 0; b < count; b++) {
      const shape = r() < 0.5 ? outShape : pick([[], [size()], [size(), size()]]);
      named.push(`b${b} = ${expr(shape, 2)}`);
      bindings.push({ name: `b${b}`, shape });
    }
  }
  const body = [...named, `h = ${expr(outShape, 3)}`, `output o = h * ${expr(outShape, 2)}`, `loss L = sum(o) + ${expr([], 3)}`];
  const inputs = leaves.filter((l) => l.name.startsWith("x")).map((l) => l.name);
  if (inputs.length > 0) body.push(`grad L wrt ${inputs.join(", ")}`);
  return [...decls, ...body].join("\n") + "\n";
}
