// The meaning of expressions (LANGUAGE.md, "Expressions"), checked through the compiled code with
// `netc grad --at VALUES --json`: precedence and associativity, NumPy broadcasting, the four `@`
// forms, axes, reductions, the losses' definitions, stability at ±1000, and the derivatives at
// non-differentiable points. Each row: [scenario, model, values, expected value, expected grad].
import { afterEach, describe, expect, it } from "vitest";
import { close, gradAt, scratch } from "./helpers.ts";

const tmp = scratch("semantics");
afterEach(() => {
  process.exitCode = undefined;
});

type Row = [string, string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];

const expectRow = async ([name, model, values, value, grad]: Row, ...flags: string[]) => {
  const tol = flags.includes("f32") ? 1e-5 : 1e-12;
  const r = await gradAt(tmp, name, model, values, ...flags);
  const context = `${name}\n${model}\nat ${JSON.stringify(values)}\ngot ${JSON.stringify(r)}`;
  for (const [k, v] of Object.entries(value)) expect(close(r.value[k], v, tol), `value ${k}: ${context}`).toBe(true);
  for (const [k, v] of Object.entries(grad)) expect(close(r.grad[k], v, tol), `grad ${k}: ${context}`).toBe(true);
};

const operators: Row[] = [
  ["-x^2 is -(x^2)", "input x\nf = -x^2\ngrad f wrt x", { x: 3 }, { f: -9 }, { "f/x": -6 }],
  ["(-x)^2", "input x\nf = (-x)^2\ngrad f wrt x", { x: 3 }, { f: 9 }, { "f/x": 6 }],
  ["^ is right-associative: x^2^3 = x^8", "input x\nf = x^2^3\ngrad f wrt x", { x: 2 }, { f: 256 }, { "f/x": 1024 }],
  ["2^3^2 = 2^9", "input x\nf = 2^3^2 + x\ngrad f wrt x", { x: 0 }, { f: 512 }, { "f/x": 1 }],
  ["2^-1 = 0.5", "input x\nf = 2^-1 * x\ngrad f wrt x", { x: 3 }, { f: 1.5 }, { "f/x": 0.5 }],
  ["x^-2", "input x\nf = x^-2\ngrad f wrt x", { x: 2 }, { f: 0.25 }, { "f/x": -0.25 }],
  ["a - b - c is (a - b) - c", "input a\nf = a - 2 - 3\ngrad f wrt a", { a: 10 }, { f: 5 }, { "f/a": 1 }],
  ["a / b / c is (a / b) / c", "input a\nf = a / 2 / 4\ngrad f wrt a", { a: 16 }, { f: 2 }, { "f/a": 0.125 }],
  ["* binds tighter than +", "input a\nf = 1 + a * 3\ngrad f wrt a", { a: 2 }, { f: 7 }, { "f/a": 3 }],
  ["unary minus binds tighter than *", "input a\nf = -a * 3\ngrad f wrt a", { a: 2 }, { f: -6 }, { "f/a": -3 }],
  ["pow(x, p) is x^p", "input x\nf = pow(x, 3)\ngrad f wrt x", { x: -2 }, { f: -8 }, { "f/x": 12 }],
  ["odd integer power of a negative base", "input x\nf = x^3\ngrad f wrt x", { x: -2 }, { f: -8 }, { "f/x": 12 }],
  ["a dim in an expression: 1 / (2 * N)", "dim N = 4\ninput x\nf = x / (2 * N)\ngrad f wrt x", { x: 1 }, { f: 0.125 }, { "f/x": 0.125 }],
  ["a dim times a tensor", "dim N = 3\ninput x: [N]\nf = sum(x * N)\ngrad f wrt x", { x: [1, 2, 3] }, { f: 18 }, { "f/x": [3, 3, 3] }],
  ["numbers .5, 1., 2E+1, 1e-3", "input x\noutput f = .5 + 1. + 2E+1 * x + 1e-3", { x: 1 }, { f: 21.501 }, {}],
  ["JavaScript keywords are names", "input function\ninput delete\nclass = function * delete\nf = class^2\ngrad f wrt function, delete", { function: 2, delete: 3 }, { f: 36 }, { "f/function": 36, "f/delete": 24 }],
  ["; separates statements", "input x; f = x^2; grad f wrt x;", { x: 3 }, { f: 9 }, { "f/x": 6 }],
  ["a def, inlined at two sizes", "input x: [2]\ndef sq(a) = a * a\nf = sum(sq(x)) + sq(3)\ngrad f wrt x", { x: [1, 2] }, { f: 14 }, { "f/x": [2, 4] }],
  ["def arguments by name", "input x\ndef f(a, b) = a - b\ng = f(b = x, a = 10)\ngrad g wrt x", { x: 3 }, { g: 7 }, { "g/x": -1 }],
];

const broadcasting: Row[] = [
  ["[2,3] + [3]", "input x: [2, 3]\ninput b: [3]\noutput o = x + b\nf = sum(o)\ngrad f wrt x, b", { x: [[1, 2, 3], [4, 5, 6]], b: [10, 20, 30] }, { o: [[11, 22, 33], [14, 25, 36]] }, { "f/x": [[1, 1, 1], [1, 1, 1]], "f/b": [2, 2, 2] }],
  ["[2,1] * [2,3]", "input x: [2, 1]\ninput b: [2, 3]\noutput o = x * b\nf = sum(o)\ngrad f wrt x, b", { x: [[1], [2]], b: [[1, 2, 3], [4, 5, 6]] }, { o: [[1, 2, 3], [8, 10, 12]] }, { "f/x": [[6], [15]], "f/b": [[1, 1, 1], [2, 2, 2]] }],
  ["[2,1] - [1,3] → [2,3]", "input x: [2, 1]\ninput b: [1, 3]\noutput o = x - b\nf = sum(o)\ngrad f wrt x, b", { x: [[1], [2]], b: [[1, 2, 3]] }, { o: [[0, -1, -2], [1, 0, -1]] }, { "f/x": [[3], [3]], "f/b": [[-2, -2, -2]] }],
  ["[1] / [3]", "input x: [1]\ninput b: [3]\noutput o = x / b\nf = sum(o)\ngrad f wrt x, b", { x: [2], b: [1, 2, 4] }, { o: [2, 1, 0.5] }, { "f/x": [1.75], "f/b": [-2, -0.5, -0.125] }],
  ["scalar ^ vector", "input x: [3]\ninput s\noutput o = s ^ x\nf = sum(o)\ngrad f wrt s", { x: [1, 2, 3], s: 2 }, { o: [2, 4, 8] }, { "f/s": 1 + 4 + 12 }],
  ["matrix - scalar", "input x: [2, 2]\ninput s\noutput o = x - s\nf = sum(o)\ngrad f wrt x, s", { x: [[1, 2], [3, 4]], s: 1 }, { o: [[0, 1], [2, 3]] }, { "f/x": [[1, 1], [1, 1]], "f/s": -4 }],
  ["max broadcasts like np.maximum", "input x: [2, 2]\ninput c: [2]\noutput o = max(x, c)\nf = sum(o)\ngrad f wrt x, c", { x: [[1, 5], [3, 0]], c: [2, 2] }, { o: [[2, 5], [3, 2]] }, { "f/x": [[0, 1], [1, 0]], "f/c": [1, 1] }],
];

const matmul: Row[] = [
  ["[m,k] @ [k,n]", "input A: [2, 3]\ninput B: [3, 2]\noutput o = A @ B\nf = sum(o)\ngrad f wrt A, B", { A: [[1, 2, 3], [4, 5, 6]], B: [[1, 0], [0, 1], [1, 1]] }, { o: [[4, 5], [10, 11]] }, { "f/A": [[1, 1, 2], [1, 1, 2]], "f/B": [[5, 5], [7, 7], [9, 9]] }],
  ["[m,k] @ [k]", "input A: [2, 3]\ninput v: [3]\noutput o = A @ v\nf = sum(o)\ngrad f wrt A, v", { A: [[1, 2, 3], [4, 5, 6]], v: [1, 0, 2] }, { o: [7, 16] }, { "f/A": [[1, 0, 2], [1, 0, 2]], "f/v": [5, 7, 9] }],
  ["[k] @ [k,n]", "input v: [2]\ninput B: [2, 3]\noutput o = v @ B\nf = sum(o)\ngrad f wrt v, B", { v: [1, 2], B: [[1, 2, 3], [4, 5, 6]] }, { o: [9, 12, 15] }, { "f/v": [6, 15], "f/B": [[1, 1, 1], [2, 2, 2]] }],
  ["[k] @ [k] is the dot product", "input u: [3]\ninput v: [3]\noutput o = u @ v\ngrad o wrt u, v", { u: [1, 2, 3], v: [4, 5, 6] }, { o: 32 }, { "o/u": [4, 5, 6], "o/v": [1, 2, 3] }],
  ["@ binds like * (left to right): A * B @ C is (A * B) @ C", "input A: [2, 2]\ninput B: [2, 2]\ninput C: [2, 2]\noutput o = A * B @ C", { A: [[1, 2], [3, 4]], B: [[1, 0], [0, 1]], C: [[0, 1], [1, 0]] }, { o: [[0, 1], [4, 0]] }, {}],
  ["A @ B * C is (A @ B) * C", "input A: [2, 2]\ninput B: [2, 2]\ninput C: [2, 2]\noutput o = A @ B * C", { A: [[1, 2], [3, 4]], B: [[0, 1], [1, 0]], C: [[1, 0], [0, 1]] }, { o: [[2, 0], [0, 3]] }, {}],
  ["rank 3: sum along the last axis", "input x: [2, 2, 2]\ninput w: [2]\noutput o = sum(x * w, 2)\nf = sum(o)\ngrad f wrt x, w", { x: [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], w: [1, 2] }, { o: [[5, 11], [17, 23]] }, { "f/x": [[[1, 2], [1, 2]], [[1, 2], [1, 2]]], "f/w": [16, 20] }],
  ["reshape and flatten, row-major", "input x: [2, 3]\ninput v: [3, 2]\noutput o = reshape(x, [3, 2]) * v\noutput g = flatten(reshape(x, [2, 1, 3, 1]))\nf = sum(o)\ngrad f wrt x", { x: [[1, 2, 3], [4, 5, 6]], v: [[1, 0], [0, 1], [2, 2]] }, { o: [[1, 0], [0, 4], [10, 12]], g: [[1, 2, 3], [4, 5, 6]] }, { "f/x": [[1, 0, 0], [1, 2, 2]] }],
  ["max(x, axis = 1) reduces; a tie sends the gradient to the first maximum", "input x: [2, 3]\noutput o = max(x, axis = 1)\nf = sum(o)\ngrad f wrt x", { x: [[1, 3, 3], [2, 0, 2]] }, { o: [3, 2] }, { "f/x": [[0, 1, 0], [1, 0, 0]] }],
  ["min(x, axis = 0, keepdims = true) keeps the axis", "input x: [2, 3]\noutput o = min(x, axis = 0, keepdims = true)\nf = sum(o * o)\ngrad f wrt x", { x: [[1, 3, -1], [2, 0, -1]] }, { o: [[1, 0, -1]] }, { "f/x": [[2, 0, -2], [0, 0, 0]] }],
  ["max(x) of everything; max(a, b) stays element-wise", "input x: [2, 2]\ninput y: [2, 2]\noutput m = max(x)\noutput e = max(x, y)\nf = m + sum(e)\ngrad f wrt x", { x: [[1, 5], [5, 2]], y: [[3, 0], [0, 3]] }, { m: 5, e: [[3, 5], [5, 3]] }, { "f/x": [[0, 2], [1, 0]] }],
  ["sum, mean and logsumexp with keepdims = true", "input x: [2, 2]\noutput s = sum(x, 1, keepdims = true)\noutput m = mean(x, axis = 0, keepdims = true)\noutput l = logsumexp(x, 1, keepdims = true)\nf = sum(x - s)\ngrad f wrt x", { x: [[1, 2], [3, 4]] }, { s: [[3], [7]], m: [[2, 3]], l: [[2.313261687518223], [4.313261687518223]] }, { "f/x": [[-1, -1], [-1, -1]] }],
  ["slicing: x[:, 0:2], x[1], x[:, -1], x[a:b, :]; the gradient scatters into zeros", "dim A = 1\ninput x: [3, 3]\noutput s = x[:, 0:2]\noutput r = x[1]\noutput l = x[:, -1]\noutput m = x[A:3, :]\nf = sum(s) + 2 * sum(r) + 3 * sum(l)\ngrad f wrt x", { x: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] }, { s: [[1, 2], [4, 5], [7, 8]], r: [4, 5, 6], l: [3, 6, 9], m: [[4, 5, 6], [7, 8, 9]] }, { "f/x": [[1, 1, 3], [3, 3, 5], [1, 1, 3]] }],
  ["pad(x, before, after): zeros around x; the gradient is the region x filled", "input x: [2]\noutput p = pad(x, [1], [2])\nf = sum(p^2)\ngrad f wrt x", { x: [5, 7] }, { p: [0, 5, 7, 0, 0] }, { "f/x": [10, 14] }],
  ["concat(a, b, axis = k): side by side; each operand's gradient is its slice of the adjoint", "input a: [2, 1]\ninput b: [2, 2]\ninput w: [3]\noutput c = concat(a, b, axis = 1)\noutput r = concat(a, a, axis = 0)\nf = sum(c * w)\ngrad f wrt a, b", { a: [[1], [2]], b: [[3, 4], [5, 6]], w: [1, 2, 3] }, { c: [[1, 3, 4], [2, 5, 6]], r: [[1], [2], [1], [2]] }, { "f/a": [[1], [1]], "f/b": [[2, 3], [2, 3]] }],
  ["take(E, idx): rows of E; the gradient adds into the rows read (twice for a row read twice)", "param E: [3, 2] = zeros\ninput idx: [2, 2]\noutput o = take(E, idx)\nf = sum(o * o)\ngrad f wrt E", { E: [[1, 2], [3, 4], [5, 6]], idx: [[2, 0], [2, 2]] }, { o: [[[5, 6], [1, 2]], [[5, 6], [5, 6]]] }, { "f/E": [[2, 4], [0, 0], [30, 36]] }],
  ["transpose", "input A: [2, 3]\noutput o = transpose(A)\nf = sum(o @ A)\ngrad f wrt A", { A: [[1, 0, 0], [0, 1, 0]] }, { o: [[1, 0], [0, 1], [0, 0]] }, { "f/A": [[2, 2, 2], [2, 2, 2]] }],
];

const X = [[1, 2, 3], [4, 5, 6]];
const lse = (row: number[]) => Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
const reductions: Row[] = [
  ["sum(x) of everything", "input x: [2, 3]\nf = sum(x)\ngrad f wrt x", { x: X }, { f: 21 }, { "f/x": [[1, 1, 1], [1, 1, 1]] }],
  ["sum(x, 0) removes axis 0", "input x: [2, 3]\noutput o = sum(x, 0)\nf = sum(o)", { x: X }, { o: [5, 7, 9] }, {}],
  ["sum(x, -1) is sum(x, 1)", "input x: [2, 3]\noutput o = sum(x, -1)\nf = sum(o)", { x: X }, { o: [6, 15] }, {}],
  ["sum(x, axis = 1) by name, and PyTorch's dim = 1", "input x: [2, 3]\noutput o = sum(x, axis = 1)\noutput p = sum(x, dim = 1)", { x: X }, { o: [6, 15], p: [6, 15] }, {}],
  ["mean(x)", "input x: [2, 3]\nf = mean(x)\ngrad f wrt x", { x: X }, { f: 3.5 }, { "f/x": [[1 / 6, 1 / 6, 1 / 6], [1 / 6, 1 / 6, 1 / 6]] }],
  ["mean(x, 0)", "input x: [2, 3]\noutput o = mean(x, 0)\nf = sum(o)\ngrad f wrt x", { x: X }, { o: [2.5, 3.5, 4.5] }, { "f/x": [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]] }],
  ["mean(x, -2)", "input x: [2, 3]\noutput o = mean(x, -2)", { x: X }, { o: [2.5, 3.5, 4.5] }, {}],
  ["sum of a vector along axis 0 is a scalar", "input v: [3]\nf = sum(v, 0)\ngrad f wrt v", { v: [1, 2, 3] }, { f: 6 }, { "f/v": [1, 1, 1] }],
  ["logsumexp(x, 1)", "input x: [2, 3]\noutput o = logsumexp(x, 1)", { x: X }, { o: [lse([1, 2, 3]), lse([4, 5, 6])] }, {}],
  ["logsumexp(x, -1) at ±1000", "input x: [2, 2]\noutput o = logsumexp(x, -1)\nf = sum(o)\ngrad f wrt x", { x: [[1000, 1000], [-1000, -1000]] }, { o: [1000 + Math.LN2, -1000 + Math.LN2] }, { "f/x": [[0.5, 0.5], [0.5, 0.5]] }],
  ["logsumexp(x) of everything", "input x: [2, 3]\noutput f = logsumexp(x)", { x: X }, { f: lse([1, 2, 3, 4, 5, 6]) }, {}],
];

const e1 = Math.exp(-1);
const rows: Row[] = [
  ["softmax(x, 1) at ±1000 is finite", "input x: [2, 3]\noutput s = softmax(x, 1)\nf = sum(s * x)\ngrad f wrt x", { x: [[1000, 0, -1000], [-1000, -1000, -1000]] }, { s: [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]] }, { "f/x": [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]] }],
  ["log_softmax(x, -1) at ±1000 is finite", "input x: [1, 3]\noutput l = log_softmax(x, -1)\nf = sum(l)\ngrad f wrt x", { x: [[1000, 0, -1000]] }, { l: [[0, -1000, -2000]] }, { "f/x": [[-2, 1, 1]] }],
  ["softmax along axis 0", "input x: [2, 1]\noutput s = softmax(x, 0)", { x: [[0], [1]] }, { s: [[1 / (1 + Math.E)], [Math.E / (1 + Math.E)]] }, {}],
  ["softmax(x) without an axis is along the last", "input x: [1, 2]\noutput s = softmax(x)", { x: [[0, 1]] }, { s: [[1 / (1 + Math.E), Math.E / (1 + Math.E)]] }, {}],
  [
    "cross_entropy(logits, y) = mean over rows of -sum(y * log_softmax(logits, 1), 1)",
    "input z: [2, 3]\ntarget y: [2, 3]\nloss L = cross_entropy(z, y)\nM = mean(-sum(y * log_softmax(z, 1), 1))\ngrad M wrt z",
    { z: [[1000, 0, -1000], [-1000, -1000, -999]], y: [[0, 0, 1], [1, 0, 0]] },
    { L: (2000 + Math.log(2 + Math.E)) / 2, M: (2000 + Math.log(2 + Math.E)) / 2 },
    {},
  ],
  ["cross_entropy's gradient is (softmax - y) / rows", "input z: [2, 2]\ntarget y: [2, 2]\nloss L = cross_entropy(z, y)\ngrad L wrt z", { z: [[0, 0], [1000, -1000]], y: [[1, 0], [0, 1]] }, { L: (Math.LN2 + 2000) / 2 }, { "L/z": [[-0.25, 0.25], [0.5, -0.5]] }],
  ["cross_entropy with soft labels", "input z: [1, 2]\ntarget y: [1, 2]\nloss L = cross_entropy(z, y)", { z: [[0, 0]], y: [[0.5, 0.5]] }, { L: Math.LN2 }, {}],
  ["mse(pred, y) = mean of all squared differences", "input p: [2, 3]\ntarget y: [2, 3]\nloss L = mse(p, y)\ngrad L wrt p", { p: X, y: [[0, 0, 0], [0, 0, 0]] }, { L: 91 / 6 }, { "L/p": [[1 / 3, 2 / 3, 1], [4 / 3, 5 / 3, 2]] }],
  ["mse with arguments by name", "input p: [2]\ntarget y: [2]\nloss L = mse(pred = p, y = y)", { p: [1, 3], y: [0, 0] }, { L: 5 }, {}],
  ["sigmoid at ±1000", "input x: [3]\noutput s = sigmoid(x)\nf = sum(s)\ngrad f wrt x", { x: [-1000, 0, 1000] }, { s: [0, 0.5, 1] }, { "f/x": [0, 0.25, 0] }],
  ["softplus at ±1000", "input x: [3]\noutput s = softplus(x)\nf = sum(s)\ngrad f wrt x", { x: [-1000, 0, 1000] }, { s: [0, Math.LN2, 1000] }, { "f/x": [0, 0.5, 1] }],
  ["tanh at ±1000", "input x: [2]\noutput s = tanh(x)\nf = sum(s)\ngrad f wrt x", { x: [-1000, 1000] }, { s: [-1, 1] }, { "f/x": [0, 0] }],
  ["exp, log, sqrt, sin, cos, tan", "input x\nf = exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tan(x)\ngrad f wrt x", { x: 1 }, { f: Math.E + 0 + 1 + Math.sin(1) + Math.cos(1) + Math.tan(1) }, { "f/x": Math.E + 1 + 0.5 + Math.cos(1) - Math.sin(1) + 1 / Math.cos(1) ** 2 }],
  ["sigmoid's derivative", "input x\nf = sigmoid(x)\ngrad f wrt x", { x: 1 }, { f: 1 / (1 + e1) }, { "f/x": e1 / (1 + e1) ** 2 }],
];

const kinks: Row[] = [
  ["relu'(0) = 0", "input x: [3]\nf = sum(relu(x))\ngrad f wrt x", { x: [-1, 0, 1] }, { f: 1 }, { "f/x": [0, 0, 1] }],
  ["abs'(0) = 0", "input x: [3]\nf = sum(abs(x))\ngrad f wrt x", { x: [-1, 0, 1] }, { f: 2 }, { "f/x": [-1, 0, 1] }],
  ["max tie: all to the first argument", "input a\ninput b\nf = max(a, b)\ngrad f wrt a, b", { a: 1, b: 1 }, { f: 1 }, { "f/a": 1, "f/b": 0 }],
  ["max tie, arguments swapped", "input a\ninput b\nf = max(b, a)\ngrad f wrt a, b", { a: 1, b: 1 }, { f: 1 }, { "f/a": 0, "f/b": 1 }],
  ["min tie: all to the first argument", "input a\ninput b\nf = min(a, b)\ngrad f wrt a, b", { a: 2, b: 2 }, { f: 2 }, { "f/a": 1, "f/b": 0 }],
  ["min tie, arguments swapped", "input a\ninput b\nf = min(b, a)\ngrad f wrt a, b", { a: 2, b: 2 }, { f: 2 }, { "f/a": 0, "f/b": 1 }],
  ["max(x, 0) at 0: the tie goes to x", "input x: [3]\nf = sum(max(x, 0))\ngrad f wrt x", { x: [-1, 0, 1] }, { f: 1 }, { "f/x": [0, 1, 1] }],
  ["min(0, x) at 0: the tie goes to the constant", "input x: [3]\nf = sum(min(0, x))\ngrad f wrt x", { x: [-1, 0, 1] }, { f: -1 }, { "f/x": [1, 0, 0] }],
  ["max with a broadcast tie", "input a: [2]\ninput b\nf = sum(max(a, b))\ngrad f wrt a, b", { a: [1, 3], b: 1 }, { f: 4 }, { "f/a": [1, 1], "f/b": 0 }],
  ["d/dx x^0 = 0, at x = 0 too (as in PyTorch)", "input x: [2]\nf = sum(x^0) + sum(pow(x, 0))\ngrad f wrt x", { x: [0, 2] }, { f: 4 }, { "f/x": [0, 0] }],
  ["d/dx x^2 at 0, x^1 at 0", "input x\nf = x^2 + x^1\ngrad f wrt x", { x: 0 }, { f: 0 }, { "f/x": 1 }],
  ["max without a tie", "input a\ninput b\nf = max(a, b)\ngrad f wrt a, b", { a: 1, b: 2 }, { f: 2 }, { "f/a": 0, "f/b": 1 }],
];

describe("operators and precedence", () => {
  it.each(operators)("%s", async (...row) => expectRow(row));
});
describe("NumPy broadcasting of trailing dimensions", () => {
  it.each(broadcasting)("%s", async (...row) => expectRow(row));
});
describe("the four forms of @", () => {
  it.each(matmul)("%s", async (...row) => expectRow(row));
});
describe("reductions and axes", () => {
  it.each(reductions)("%s", async (...row) => expectRow(row));
});
describe("rows, losses and stable functions", () => {
  it.each(rows)("%s", async (...row) => expectRow(row));
  it.each(rows.filter((r) => /±1000|cross_entropy|mse/.test(r[0])))("%s (f32)", async (...row) => {
    const r = await gradAt(tmp, row[0], row[1], row[2], "--dtype", "f32");
    for (const [k, v] of Object.entries(row[3])) expect(close(r.value[k], v, 1e-5), `${k}: ${JSON.stringify(r)}`).toBe(true);
    for (const [k, v] of Object.entries(row[4])) expect(close(r.grad[k], v, 1e-5), `${k}: ${JSON.stringify(r)}`).toBe(true);
  });
});
describe("derivatives at non-differentiable points (netc grad --at --json)", () => {
  it.each(kinks)("%s", async (...row) => expectRow(row));
});
