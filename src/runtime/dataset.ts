// Data sets as training sees them: flat row-major Float64Arrays.
//
// `Dataset` is the fixed two-array form of the built-in sets (mnist, xor): inputs `x` [n, xWidth]
// and targets `y` [n, yWidth]. `DataSource` is the general form that values files and CSV files
// give: named arrays, each with its full shape (the first dimension counts samples when the model
// feeds that name in minibatches).

/** Inputs x [n, xWidth] and targets y [n, yWidth], row-major. */
export interface Dataset {
  x: Float64Array;
  y: Float64Array;
  n: number;
  xWidth: number;
  yWidth: number;
}

export interface DataTensor {
  name: string;
  data: Float64Array;
  shape: number[];
  /** Where element i of `data` came from, for messages (CSV: "line 5, column 3 (x[2])"). */
  locate?: (flatIndex: number) => string;
}

export interface DataSource {
  /** The file name or built-in name, for messages. */
  origin: string;
  tensors: Map<string, DataTensor>;
  /** Built-ins (mnist, xor) feed a model's single input and single target, whatever their names. */
  positional: boolean;
}

/** What `--data` names: data to train on, and held-out data to report on (mnist only). */
export interface DataSplit {
  train: DataSource;
  test: DataSource | null;
}

export function datasetToSource(ds: Dataset, origin: string): DataSource {
  const tensors = new Map<string, DataTensor>([
    ["x", { name: "x", data: ds.x, shape: [ds.n, ds.xWidth] }],
    ["y", { name: "y", data: ds.y, shape: [ds.n, ds.yWidth] }],
  ]);
  return { origin, tensors, positional: true };
}
