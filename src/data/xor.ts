// The built-in `xor` data set: the four rows of seed 003's exercise, inputs [4, 2] and targets [4, 1].
import type { Dataset } from "../runtime/dataset.ts";

export function loadXor(): Dataset {
  return {
    x: Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]),
    y: Float64Array.from([0, 1, 1, 0]),
    n: 4,
    xWidth: 2,
    yWidth: 1,
  };
}
