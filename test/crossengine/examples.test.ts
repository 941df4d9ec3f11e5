// Every example model (examples/*.net, iterated, so a new example is covered with no edit here):
// netc's compiled loss and gradients against TensorFlow.js evaluating the same forward IR (float32
// tolerances), and every derivative against float64 central differences (the `netc check` core).
import { beforeAll, describe, expect, it } from "vitest";
import { compile, type CompiledModel } from "../../src/compile.ts";
import { runGradCheck, type GradCheckResult } from "../../src/gradcheck/run.ts";
import { tfjsValueAndGrads, useCpuBackend } from "../support/tfjs-eval.ts";
import { expectClose, FLOAT32 } from "../support/close.ts";
import { describeModelAt, examples } from "../support/examples.ts";

const all = examples();

beforeAll(useCpuBackend);

it("there are example models to check", () => {
  expect(all.length).toBeGreaterThanOrEqual(5);
});

describe.each(all)("example $name", ({ file, source }) => {
  let compiled: CompiledModel;
  let check: GradCheckResult;
  beforeAll(async () => {
    compiled = await compile(source, { file, format: false });
    check = runGradCheck(compiled, { seed: 0 });
  });

  it("every derivative agrees with float64 central differences", () => {
    const failed = check.rows.filter((r) => !r.ok);
    expect(check.rows.length, "the model defines derivatives").toBeGreaterThan(0);
    expect(failed.map((r) => `${r.key}: worst ${JSON.stringify(r.worst)}`), describeModelAt(file, source, check.point)).toEqual([]);
    for (const r of check.rows) expect(r.probes, `d${r.of}/d${r.wrt} was measured`).toBeGreaterThan(0);
  });

  it("loss and every gradient agree with TensorFlow.js", () => {
    const { ir, module } = compiled;
    const point = check.point;
    const context = () => describeModelAt(file, source, point);
    const params = module.meta.params.map((p) => Float64Array.from(point.get(p.name)!));
    const data = module.meta.data.map((d) => Float64Array.from(point.get(d.name)!));
    const netc = module.gradient(params, data);
    const shapes = new Map([...ir.leaves].map(([name, node]) => [name, node.shape]));
    if (ir.loss) {
      const reference = tfjsValueAndGrads(ir.loss.node, shapes, point, []);
      expectClose([netc.loss], [reference.value], FLOAT32, `loss ${ir.loss.name}`, context);
    }
    const ofs = [...new Set(ir.grads.map((g) => g.of))];
    for (const of of ofs) {
      const grads = ir.grads.filter((g) => g.of === of);
      const reference = tfjsValueAndGrads(ir.bindings.get(of)!, shapes, point, grads.map((g) => g.wrt));
      const at = module.meta.values.findIndex((v) => v.name === of);
      if (at >= 0) {
        const v = netc.values[at]!;
        expectClose(typeof v === "number" ? [v] : v, [reference.value], FLOAT32, `value of ${of}`, context);
      }
      grads.forEach((g, i) => {
        const k = module.meta.grads.findIndex((m) => m.key === g.key);
        const v = netc.grads[k]!;
        expectClose(typeof v === "number" ? [v] : v, reference.grads[i]!, FLOAT32, `gradient ${g.key}`, context);
      });
    }
  });
});
