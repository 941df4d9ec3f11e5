// Command-line options of `npm run bench`.
export interface BenchOptions {
  quick: boolean;
  json: string | null;
  /** Workload ids to run (default: all). */
  only: string[] | null;
  /** Engines to run (default: each workload's list). */
  engines: string[] | null;
  /** Timed epochs after the warm-up epoch (default 5; --quick: 3). */
  epochs: number;
  skipScaling: boolean;
  skipTraining: boolean;
  /** Extra module files to train as engines: `--extra w1:path/to/module.mjs` (repeatable). */
  extra: { workload: string; path: string }[];
}

export const USAGE = `usage: npm run bench -- [--quick] [--json FILE] [--only w1,w2,w3] [--engines netc-f64,tfjs-cpu,...]
                         [--epochs N] [--skip-scaling] [--skip-training]
                         [--extra WORKLOAD:MODULE.mjs]...   (train a hand-edited generated module too)`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { quick: false, json: null, only: null, engines: null, epochs: 0, skipScaling: false, skipTraining: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--quick") o.quick = true;
    else if (a === "--json") o.json = value();
    else if (a === "--only") o.only = value().split(",");
    else if (a === "--engines") o.engines = value().split(",");
    else if (a === "--epochs") o.epochs = Number(value());
    else if (a === "--skip-scaling") o.skipScaling = true;
    else if (a === "--skip-training") o.skipTraining = true;
    else if (a === "--extra") {
      const m = /^(w\d+):(.+)$/.exec(value());
      if (!m) throw new Error(`--extra wants WORKLOAD:FILE, e.g. w1:bench/experiments/generated/w1-f64-rows4.mjs\n${USAGE}`);
      o.extra.push({ workload: m[1]!, path: m[2]! });
    }
    else if (a === "--help" || a === "-h") throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (!o.epochs) o.epochs = o.quick ? 3 : 5;
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new Error(`--epochs must be a positive integer\n${USAGE}`);
  return o;
}
