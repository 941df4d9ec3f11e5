// `--data SOURCE`: the built-ins `mnist` and `xor`, a JSON values file (`.json`) or a CSV file
// (`.csv`). Files are read and checked here, before any training starts.
import { readFileSync } from "node:fs";
import { DataError, UsageError } from "../diagnostics.ts";
import type { DataMeta } from "../runtime/contract.ts";
import { parseCsv, csvToTensors } from "./csv.ts";
import { datasetToSource, type DataSplit } from "../runtime/dataset.ts";
import { loadJsonData } from "./json.ts";
import { loadMnist } from "./mnist.ts";
import { loadXor } from "./xor.ts";

export const BUILT_IN_DATA = ["mnist", "xor"] as const;

export function loadDataSource(spec: string, data: readonly DataMeta[]): DataSplit {
  if (spec === "mnist") {
    const { train, test } = loadMnist();
    return { train: datasetToSource(train, "mnist (training digits)"), test: datasetToSource(test, "mnist (test digits)") };
  }
  if (spec === "xor") return { train: datasetToSource(loadXor(), "xor"), test: null };

  let text: string;
  try {
    text = readFileSync(spec, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`cannot read data ${spec}: no such file (expected mnist, xor, a .json or a .csv file)`);
    if (code === "EISDIR") throw new UsageError(`cannot read data ${spec}: it is a directory`);
    throw new UsageError(`cannot read data ${spec}: ${(err as Error).message}`);
  }
  const lower = spec.toLowerCase();
  const looksJson = /^\s*[{[]/.test(text);
  if (lower.endsWith(".json") || (!lower.endsWith(".csv") && looksJson)) {
    return { train: loadJsonData(text, spec), test: null };
  }
  if (lower.endsWith(".csv")) {
    const table = parseCsv(text, spec);
    const wanted = data.map((d) => ({ name: d.name, rowShape: d.shape.slice(1) }));
    return { train: { origin: spec, tensors: csvToTensors(table, wanted), positional: false }, test: null };
  }
  throw new DataError(`${spec}: not a data file netc reads (expected mnist, xor, a .json values file or a .csv file)`);
}
