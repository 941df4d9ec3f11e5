// Generated convolution and pooling kernels against the reference interpreter (the ops' own
// eval), forward and gradient, over geometries that reach every code path: padded borders, no
// interior at all, strides, conv1d, kernel rows wider than the registers hold, overlapping and
// tiled pools, windows too large to write out, and ties in a max pool.
import { describe, expect, it } from "vitest";
import { agreement, irOf, load, loadWasm, randomLeaves } from "./support.ts";
import { interpret } from "../../src/ir/interpret.ts";

// x is a param, so the gradient with respect to the convolution's input is generated and checked too
const conv2dModel = (x: string, k: string, call: string, y: string, extra = "") => `
param x: ${x} = zeros
target y: ${y}
param K: ${k} = zeros
${extra}
output z = ${call}
loss L = mean(z * y)
`;

const CASES: [string, string][] = [
  ["conv2d, bias, no padding", conv2dModel("[2, 2, 5, 6]", "[3, 2, 3, 3]", "relu(conv2d(x, K, b))", "[2, 3, 3, 4]", "param b: [3] = zeros")],
  ["conv2d, stride 2, padding 1", conv2dModel("[2, 2, 7, 5]", "[3, 2, 3, 3]", "conv2d(x, K, stride = 2, padding = 1)", "[2, 3, 4, 3]")],
  ["conv2d 5×5, padding 2 (LeNet's first layer)", conv2dModel("[1, 1, 8, 8]", "[2, 1, 5, 5]", "conv2d(x, K, padding = 2)", "[1, 2, 8, 8]")],
  ["conv2d kernel wider than the input: no interior column", conv2dModel("[1, 2, 3, 3]", "[2, 2, 5, 5]", "conv2d(x, K, padding = 2)", "[1, 2, 3, 3]")],
  ["conv2d stride 3, padding 2, 1×4 kernel", conv2dModel("[2, 1, 6, 9]", "[2, 1, 1, 4]", "conv2d(x, K, stride = 3, padding = 2)", "[2, 2, 4, 4]")],
  ["conv1d, bias, stride 2, padding 1", conv2dModel("[2, 3, 9]", "[2, 3, 3]", "conv1d(x, K, b, stride = 2, padding = 1)", "[2, 2, 5]", "param b: [2] = zeros")],
  ["conv2d padding 9: more border columns than are written out (tap loops)", conv2dModel("[1, 1, 3, 3]", "[1, 1, 10, 10]", "conv2d(x, K, padding = 9)", "[1, 1, 12, 12]")],
  ["conv1d kernel of 17 taps (a tap loop, not registers)", conv2dModel("[1, 2, 20]", "[2, 2, 17]", "conv1d(x, K, padding = 1)", "[1, 2, 6]")],
  ["maxpool 3, stride 2 (overlapping) after a conv", conv2dModel("[2, 1, 7, 7]", "[2, 1, 3, 3]", "maxpool2d(conv2d(x, K, padding = 1), 3, stride = 2)", "[2, 2, 3, 3]")],
  ["maxpool 5 (a window loop) and avgpool", conv2dModel("[1, 2, 10, 10]", "[2, 2, 1, 1]", "avgpool2d(maxpool2d(conv2d(x, K), 5), 2)", "[1, 2, 1, 1]")],
  ["avgpool 2, stride 1 (overlapping) and tiled", conv2dModel("[2, 1, 5, 5]", "[1, 1, 2, 2]", "avgpool2d(avgpool2d(conv2d(x, K), 2, stride = 1), 3)", "[2, 1, 1, 1]")],
];

describe("conv and pool kernels agree with the reference interpreter", () => {
  // both targets: the TS kernels (../../src/codegen/kernels) and their WAT twins (../../src/codegen/wasm)
  it.each(CASES)("%s", async (_name, source) => {
    const ir = irOf(source);
    for (const [target, loader] of [["js", load], ["wasm", loadWasm]] as const) {
      for (const dtype of ["f64", "f32"] as const) {
        const mod = await loader(ir, dtype);
        const leaves = randomLeaves(ir, 7);
        const { worst, errors } = agreement(ir, mod, leaves);
        expect(worst, `${target} ${dtype}: ${JSON.stringify(errors)}`).toBeLessThan(dtype === "f64" ? 1e-12 : 1e-5);
      }
    }
  });

  it("a max pool tie sends the gradient to the first maximum in row-major order", async () => {
    const ir = irOf(`
param P: [1, 1, 2, 4] = zeros
target y: [1, 1, 1, 2]
loss L = sum(maxpool2d(P, 2) * y)
`);
    const mod = await load(ir);
    // window 1 holds 3 twice (positions 1 and 4 of the row-major 2×4 plane: (0,1) and (1,0));
    // window 2 holds 5 at (0,3) and (1,2)
    const P = Float64Array.from([1, 3, 2, 5, 3, 0, 5, 4]);
    const y = Float64Array.from([10, 20]);
    const g = mod.gradient([P], [y]).grads[0] as Float64Array;
    expect(Array.from(g)).toEqual([0, 10, 0, 20, 0, 0, 0, 0]);
    const ref = interpret([ir.grads[0]!.node], { P, y }).get(ir.grads[0]!.node)!;
    expect(Array.from(ref)).toEqual([0, 10, 0, 20, 0, 0, 0, 0]);
  });
});
