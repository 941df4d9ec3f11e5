// Loss and accuracy of fixed params on a data set: exact over the whole set (chunks compiled for
// their size), argmax accuracy for one-hot targets, threshold accuracy for 0/1 targets.
import { describe, expect, it } from "vitest";
import { accuracyRule, countCorrect, evaluate } from "../../src/runtime/evaluate.ts";
import { bindData } from "../../src/runtime/feed.ts";
import { ModuleSet } from "../../src/runtime/modules.ts";
import { softmaxModule } from "./fixtures/softmax-module.ts";
import { blobs, blobLabel, blobX } from "./fixtures/two-blobs.ts";

describe("evaluate", () => {
  it("gives the loss of the whole set and the fraction classified right", async () => {
    const main = softmaxModule(4);
    const sizes: number[] = [];
    const modules = new ModuleSet(main, "B", async (_d, b) => (sizes.push(b), softmaxModule(b)));
    const feed = bindData(main.meta, blobs().train);
    // W = [[1, 0], [0, 1]], b = [0.5, 0]: class 1 wins where x1 > x0 + 0.5.
    const params = [Float64Array.from([1, 0, 0, 1]), Float64Array.from([0.5, 0])];
    let loss = 0;
    let correct = 0;
    blobX.forEach(([x0, x1], r) => {
      const z = [x0! + 0.5, x1!];
      const lse = Math.log(Math.exp(z[0]!) + Math.exp(z[1]!));
      loss += lse - z[blobLabel[r]!]!;
      if ((z[1]! > z[0]! ? 1 : 0) === blobLabel[r]) correct++;
    });
    const result = await evaluate(feed, modules, params);
    expect(sizes).toEqual([10]); // one chunk compiled for all 10 rows
    expect(result.loss).toBeCloseTo(loss / 10, 14);
    expect(result.accuracy).toBe(correct / 10);
    const chunked = await evaluate(feed, modules, params, 4);
    expect(sizes).toEqual([10, 2]); // 4 + 4 + 2
    expect(chunked.loss).toBeCloseTo(loss / 10, 14);
    expect(chunked.accuracy).toBe(correct / 10);
  });

  it("applies accuracy to one-hot and 0/1 targets only", () => {
    const feed = bindData(softmaxModule(4).meta, blobs().train);
    expect(accuracyRule(feed)).toEqual({ kind: "argmax", target: 1, width: 2 });
    const soft = { ...feed, slots: [feed.slots[0]!, { ...feed.slots[1]!, data: Float64Array.from([0.3, 0.7]) }] };
    expect(accuracyRule(soft)).toBeNull();
    const rule = { kind: "threshold", target: 1, width: 1 } as const;
    expect(countCorrect(rule, [0.2, 0.7, 0.5, 0.49], [0, 1, 1, 1])).toBe(3);
  });
});
