// What `netc explain` says about each op: how it reads as mathematics (LaTeX), the name of its
// derivative rule as a reader knows it, and — where the op's built-in call is not how .net should
// show it — how to write it in .net (every printed formula re-parses). The table is typed over the op names, so an
// op added to the registry without an entry here is a compile error; `generic` is the fallback a
// new op may use until it has words of its own.
import type { Node } from "../graph/node.ts";
import type { OpName } from "../ops/registry.ts";
import { getOp } from "../ops/registry.ts";
import { sliceText } from "../ops/slicing.ts";
import { attrArgs } from "../ops/shared.ts";

/** Printed operands: LaTeX text of each argument, already parenthesized where its op needs it. */
export type LatexArgs = readonly string[];

export interface OpWords {
  /** The op as LaTeX, given its operands' LaTeX; `n` is the node (attrs, shapes). */
  latex(args: LatexArgs, n: Node): string;
  /** How tightly the LaTeX binds: 1 sum, 2 product, 3 unary minus, 4 power, 5 atom. */
  level: number;
  /** The derivative rule a reader knows, as LaTeX (`\sigma'(z) = \sigma(z)(1 - \sigma(z))`). */
  rule?: string;
  /** The same in words (`the sigmoid rule`). */
  ruleName?: string;
  /** Where the built-in call is not the spelling: the .net text for the printed operands (exact for finite inputs). */
  net?(args: readonly string[], n: Node): string | undefined;
}

/** A scalar, or a scalar spread over a tensor: a product by it is written without ⊙. */
const scalarLike = (n: Node): boolean => n.shape.length === 0 || (n.op === "expand" && n.args[0]!.shape.length === 0);

const fn = (name: string) => (a: LatexArgs) => `${name}\\left(${a[0]}\\right)`;
const op = (name: string) => (a: LatexArgs) => `\\operatorname{${name}}\\left(${a.join(", ")}\\right)`;
const axisWord = (n: Node): string => (n.attrs.axis === null || n.attrs.axis === undefined ? "" : n.args[0]!.shape.length === 2 ? (n.attrs.axis === 0 ? "\\text{rows}" : "\\text{cols}") : `\\text{axis ${n.attrs.axis}}`);

/** Whether a product's two printed factors need a dot between them. */
const needsDot = (left: string, right: string): boolean => /^[\d.]/.test(right) || (/\d$/.test(left) && right.startsWith("\\frac"));

/**
 * An operand of an op that does not broadcast (pad, concat, dropout) whose text is a smaller
 * tensor that an implicit trailing broadcast spread (a constant adjoint): written broadcast_to its
 * full shape, as an element-wise user would have broadcast it.
 */
function netFull(text: string, x: Node): string {
  if (x.op !== "expand" || x.attrs.dims !== undefined) return text;
  const from = x.args[0]!.shape;
  if (from.length === x.shape.length && from.every((d, i) => d === x.shape[i])) return text;
  return `broadcast_to(${text}, [${x.shape.join(", ")}])`;
}

/** A fallback for an op with no words yet: its name as an operator, no rule named. */
export const generic = (name: string): OpWords => ({ latex: op(name.replace(/_/g, "\\_")), level: 5 });

/** Convolutions (cross-correlations, as PyTorch): the input gradient is a full correlation with the flipped kernel. */
const conv: OpWords = {
  latex: (a) => `${a[0]} \\star ${a[1]}${a[2] ? ` + ${a[2]}` : ""}`,
  level: 1,
  rule: "Y = X \\star K:\\; \\frac{\\partial L}{\\partial X} = \\frac{\\partial L}{\\partial Y} \\star_{\\text{full}} \\operatorname{flip}(K),\\; \\frac{\\partial L}{\\partial K} = X \\star \\frac{\\partial L}{\\partial Y}",
  ruleName: "the convolution rule",
};
/** The gradients of a convolution are linear in each operand: their own rule is a convolution again. */
const convGradWords = { rule: "linear in each operand: its transpose is a convolution", ruleName: "the convolution's gradients are linear" };

const unary = (latex: (a: LatexArgs) => string, rule: string, ruleName: string): OpWords => ({ latex, level: 5, rule, ruleName });

export const opWords: { [K in OpName]: OpWords } = {
  const: { latex: () => "", level: 5 },
  input: { latex: () => "", level: 5 },
  param: { latex: () => "", level: 5 },
  add: { latex: (a) => `${a[0]} + ${a[1]}`, level: 1, rule: "\\partial(u + v) = \\partial u + \\partial v", ruleName: "the sum rule" },
  sub: { latex: (a) => `${a[0]} - ${a[1]}`, level: 1, rule: "\\partial(u - v) = \\partial u - \\partial v", ruleName: "the sum rule" },
  mul: {
    // a number after a factor takes a dot (2 · 3x², not 2 3x²), and so does a fraction after a
    // number (1 · 1/(2N), not the mixed number 1 1/(2N))
    latex: (a, n) => (n.args.every((x) => !scalarLike(x)) ? `${a[0]} \\odot ${a[1]}` : needsDot(a[0]!, a[1]!) ? `${a[0]} \\cdot ${a[1]}` : `${a[0]} \\, ${a[1]}`),
    level: 2,
    rule: "\\partial(u v) = v\\,\\partial u + u\\,\\partial v",
    ruleName: "the product rule",
  },
  div: { latex: (a) => `\\frac{${a[0]}}{${a[1]}}`, level: 5, rule: "\\partial\\frac{u}{v} = \\frac{\\partial u}{v} - \\frac{u\\,\\partial v}{v^2}", ruleName: "the quotient rule" },
  pow: { latex: (a) => `${a[0]}^{${a[1]}}`, level: 4, rule: "\\partial(x^n) = n\\,x^{n-1}\\,\\partial x", ruleName: "the power rule" },
  neg: { latex: (a) => `-${a[0]}`, level: 3, rule: "\\partial(-u) = -\\partial u", ruleName: "negation" },
  matmul: {
    latex: (a, n) => `${a[0]}${n.attrs.transA ? "^{\\top}" : ""} \\, ${a[1]}${n.attrs.transB ? "^{\\top}" : ""}`,
    level: 2,
    rule: "Y = A W:\\; \\frac{\\partial L}{\\partial A} = \\frac{\\partial L}{\\partial Y} W^{\\top},\\; \\frac{\\partial L}{\\partial W} = A^{\\top} \\frac{\\partial L}{\\partial Y}",
    ruleName: "the matrix-product rule",
  },
  transpose: { latex: (a) => `${a[0]}^{\\top}`, level: 5, rule: "\\partial(X^{\\top}) = (\\partial X)^{\\top}", ruleName: "transpose" },
  exp: unary((a) => `e^{${a[0]}}`, "(e^u)' = e^u", "the exponential rule"),
  log: unary(fn("\\log"), "(\\log u)' = 1/u", "the logarithm rule"),
  sqrt: unary((a) => `\\sqrt{${a[0]}}`, "(\\sqrt{u})' = \\frac{1}{2\\sqrt{u}}", "the square-root rule"),
  abs: unary((a) => `\\left\\lvert ${a[0]}\\right\\rvert`, "|u|' = \\operatorname{sign}(u)", "the absolute-value rule"),
  sin: unary(fn("\\sin"), "(\\sin u)' = \\cos u", "the sine rule"),
  cos: unary(fn("\\cos"), "(\\cos u)' = -\\sin u", "the cosine rule"),
  tan: unary(fn("\\tan"), "(\\tan u)' = 1 + \\tan^2 u", "the tangent rule"),
  tanh: unary(fn("\\tanh"), "(\\tanh u)' = 1 - \\tanh^2 u", "the tanh rule"),
  sigmoid: unary(fn("\\sigma"), "\\sigma'(z) = \\sigma(z)\\,(1 - \\sigma(z))", "the sigmoid rule"),
  relu: unary(op("relu"), "\\operatorname{relu}'(z) = \\mathbf{1}[z > 0]", "the ReLU rule"),
  softplus: unary(op("softplus"), "\\operatorname{softplus}'(z) = \\sigma(z)", "the softplus rule"),
  max: { latex: fn("\\max"), level: 5, rule: "\\partial \\max(u, v) = \\mathbf{1}[u \\ge v]\\,\\partial u + \\mathbf{1}[u < v]\\,\\partial v", ruleName: "the max rule" },
  min: { latex: fn("\\min"), level: 5, rule: "\\partial \\min(u, v) = \\mathbf{1}[u \\le v]\\,\\partial u + \\mathbf{1}[u > v]\\,\\partial v", ruleName: "the min rule" },
  sum: {
    latex: (a, n) => (axisWord(n) === "" ? `\\sum ${a[0]}` : `\\sum_{${axisWord(n)}} ${a[0]}`),
    level: 4,
    rule: "\\partial \\textstyle\\sum_i u_i = \\sum_i \\partial u_i",
    ruleName: "a sum passes its gradient to every term",
  },
  mean: { latex: (a, n) => `\\operatorname{mean}_{${axisWord(n)}}\\left(${a[0]}\\right)`, level: 5, rule: "\\partial\\, \\operatorname{mean}(u) = \\tfrac{1}{n}\\textstyle\\sum_i \\partial u_i", ruleName: "the mean rule" },
  logsumexp: { latex: op("logsumexp"), level: 5, rule: "\\partial \\log\\textstyle\\sum_j e^{u_j} = \\operatorname{softmax}(u)", ruleName: "the log-sum-exp rule" },
  softmax: { latex: op("softmax"), level: 5, rule: "\\partial s_i / \\partial u_j = s_i(\\mathbf{1}[i = j] - s_j)", ruleName: "the softmax Jacobian" },
  log_softmax: { latex: op("log\\_softmax"), level: 5, rule: "\\partial \\log s_i / \\partial u_j = \\mathbf{1}[i = j] - s_j", ruleName: "the log-softmax rule" },
  mse: { latex: op("mse"), level: 5, rule: "\\partial\\,\\tfrac{1}{n}\\textstyle\\sum (p - y)^2 / \\partial p = \\tfrac{2}{n}(p - y)", ruleName: "the mean-squared-error rule" },
  cross_entropy: {
    latex: op("cross\\_entropy"),
    level: 5,
    rule: "\\partial\\, \\mathrm{CE} / \\partial u = \\tfrac{1}{B}(\\operatorname{softmax}(u)\\textstyle\\sum_j y_j - y)",
    ruleName: "the softmax cross-entropy rule",
  },
  // a broadcast reads as its operand: the words about it are in the step's notes
  expand: { latex: (a) => a[0]!, level: 5, net: (a) => a[0]! },
  heaviside: { latex: (a) => `\\mathbf{1}\\left[${a[0]} > 0\\right]`, level: 5 },
  sign: { latex: op("sign"), level: 5 },
  ge: { latex: (a) => `\\mathbf{1}\\left[${a[0]} \\ge ${a[1]}\\right]`, level: 5 },
  reshape: { latex: op("reshape"), level: 5, rule: "\\partial\\,\\operatorname{reshape}(X) = \\operatorname{reshape}(\\partial X)", ruleName: "a reshape moves no number" },
  flatten: { latex: op("flatten"), level: 5, rule: "\\partial\\,\\operatorname{flatten}(X) = \\operatorname{flatten}(\\partial X)", ruleName: "a reshape moves no number" },
  leaky_relu: unary(op("leaky\\_relu"), "\\operatorname{leaky\\_relu}'(z) = 1 \\text{ if } z > 0 \\text{ else } \\alpha", "the leaky-ReLU rule"),
  elu: unary(op("elu"), "\\operatorname{elu}'(z) = 1 \\text{ if } z > 0 \\text{ else } \\operatorname{elu}(z) + \\alpha", "the ELU rule"),
  gelu: unary(op("gelu"), "\\operatorname{gelu}'(z) = \\Phi(z) + z\\,\\varphi(z)", "the GELU rule"),
  normal_cdf: unary(fn("\\Phi"), "\\Phi'(z) = \\varphi(z) = e^{-z^2/2} / \\sqrt{2\\pi}", "the normal-density rule"),
  log1p: unary(fn("\\log1p"), "(\\log(1 + u))' = 1/(1 + u)", "the logarithm rule"),
  square: unary((a) => `${a[0]}^{2}`, "(u^2)' = 2u", "the power rule"),
  clip: unary(op("clip"), "\\operatorname{clip}'(z) = \\mathbf{1}[lo \\le z \\le hi]", "the clip rule"),
  amax: { latex: (a, n) => `\\max_{${axisWord(n)}} ${a[0]}`, level: 4, rule: "\\partial \\max_i u_i = \\partial u_{i^*},\\; i^* \\text{ the first maximum}", ruleName: "the max rule" },
  amin: { latex: (a, n) => `\\min_{${axisWord(n)}} ${a[0]}`, level: 4, rule: "\\partial \\min_i u_i = \\partial u_{i^*},\\; i^* \\text{ the first minimum}", ruleName: "the min rule" },
  argmax_mask: { latex: (a) => `\\mathbf{1}\\left[${a[0]} = \\max\\right]`, level: 5 },
  argmin_mask: { latex: (a) => `\\mathbf{1}\\left[${a[0]} = \\min\\right]`, level: 5 },
  take: { latex: (a) => `${a[0]}\\left[${a[1]}\\right]`, level: 5, rule: "\\partial E[i] = \\partial E \\text{ at row } i", ruleName: "a lookup passes its gradient to the rows it read" },
  take_grad: { latex: op("scatter\\_add"), level: 5 },
  bce_with_logits: {
    latex: op("bce\\_with\\_logits"),
    level: 5,
    rule: "\\partial\\, \\mathrm{BCE} / \\partial z = \\tfrac{1}{n}(\\sigma(z) - y)",
    ruleName: "the logistic cross-entropy rule",
  },
  conv1d: conv,
  conv2d: conv,
  conv_input_grad: { latex: (a) => `${a[0]} \\star_{\\text{full}} \\operatorname{flip}\\left(${a[1]}\\right)`, level: 5, ...convGradWords },
  conv_kernel_grad: { latex: (a) => `${a[0]} \\star ${a[1]}`, level: 5, ...convGradWords },
  maxpool2d: {
    latex: op("maxpool"),
    level: 5,
    rule: "\\partial \\max_{w} u = \\partial u_{\\arg\\max_w u}",
    ruleName: "the max-pool rule (the gradient goes to each window's first maximum)",
  },
  maxpool2d_grad: { latex: op("maxpool2d\\_input"), level: 5, rule: "linear in the routed gradient", ruleName: "the max-pool routing is linear" },
  maxpool2d_select: { latex: op("maxpool2d\\_select"), level: 5 },
  avgpool2d: { latex: op("avgpool"), level: 5, rule: "\\partial\\, \\operatorname{mean}_w u = \\tfrac{1}{|w|}\\textstyle\\sum_w \\partial u", ruleName: "the average-pool rule" },
  avgpool2d_grad: { latex: op("avgpool2d\\_input"), level: 5, rule: "linear: its transpose is the average pool", ruleName: "the average-pool spread is linear" },
  slice: { latex: (a, n) => `${a[0]}\\left${sliceText(n.args[0]!.shape, n.attrs).replace("]", "\\right]")}`, level: 5, rule: "\\frac{\\partial L}{\\partial x} = \\operatorname{pad}\\left(\\frac{\\partial L}{\\partial x[s]}\\right)", ruleName: "a slice passes its gradient back into the region it read (zeros elsewhere)" },
  concat: {
    latex: op("concat"),
    level: 5,
    net: (a, n) => `concat(${[...a.map((t, i) => netFull(t, n.args[i]!)), `axis = ${n.attrs.axis ?? 0}`].join(", ")})`,
    rule: "\\partial\\,[a, b] = [\\partial a, \\partial b]",
    ruleName: "each operand gets its own slice of the gradient",
  },
  dropout: {
    latex: (a, n) => `\\operatorname{dropout}_{${n.attrs.p}}\\left(${a[0]}\\right)`,
    level: 5,
    net: (a, n) => `dropout(${netFull(a[0]!, n.args[0]!)}, p = ${n.attrs.p})`,
    rule: "\\partial\\,(m \\odot x) = m \\odot \\partial x \\text{ (the same mask } m\\text{)}",
    ruleName: "dropout passes its gradient through the same mask",
  },
  pad: { latex: op("pad"), level: 5, net: (a, n) => `pad(${[netFull(a[0]!, n.args[0]!), ...attrArgs(getOp("pad"), n.attrs)].join(", ")})`, rule: "\\frac{\\partial L}{\\partial x} = \\frac{\\partial L}{\\partial \\operatorname{pad}(x)}[\\text{the region of } x]", ruleName: "a padding passes back the gradient of the region it filled" },
};

/** The words for `op` (the registry's ops all have some). */
export const wordsOf = (name: string): OpWords => (opWords as Record<string, OpWords>)[name] ?? generic(name);

/** Whether the op maps entries one to one (its derivative is a diagonal: one factor per entry). */
export const isEntrywise = (name: string): boolean => getOp(name).kind === "elementwise" || name === "expand";
