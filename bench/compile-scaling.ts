// Compile-time scaling: time and emitted size of compileToText for dense networks of 1, 2, 4, …
// 256 layers and for the 375…3,000-binding scalar chain, with the growth factor per doubling
// (linear compilation gives ~2×). Also the wall time of `netc compile examples/mnist_mlp.net`.
// Run alone: npx tsx bench/compile-scaling.ts [--quick]; `npm run bench` runs it too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileToText } from "../src/compile.ts";
import { formatTypeScript } from "../src/codegen/format.ts";
import { chainSource, denseSource } from "./lib/scaling-models.ts";
import { fmt, table } from "./lib/table.ts";
import { median } from "./lib/stats.ts";

export interface ScalingRow {
  family: "dense" | "chain";
  size: number; // layers or bindings
  ms: number; // compileToText without prettier, plus prettier on its output
  msUnformatted: number; // compileToText without prettier: the compiler's own work
  chars: number;
  lines: number;
  growth: number; // msUnformatted / msUnformatted of the previous (half-size) row
  sizeGrowth: number;
  /** Not measured: the previous size took longer than the run's budget. */
  skipped?: boolean;
}

export interface CliTiming {
  /** Wall time of `node bin/netc.js compile examples/mnist_mlp.net -o TMP`, process start to exit. */
  wallMs: number;
  /** compileToText of the same file inside a warm process (parse → prettier). */
  compileMs: number;
  /** The same, first call in this process (cold JIT). */
  compileColdMs: number;
  /** Wall time of `node bin/netc.js --version`: Node start-up alone (bin/netc.js answers it from package.json). */
  startupMs: number;
  /** In a fresh process: importing the compiler, the first compile without prettier, then one with
   * prettier (its first call loads prettier's TypeScript printer). */
  cold: { importMs: number; firstCompileMs: number; firstFormattedCompileMs: number } | null;
}

/** compileToText without prettier (the compiler's own work), then prettier on its output. */
async function timeCompile(source: string, reps: number): Promise<{ pipelineMs: number; prettierMs: number; text: string }> {
  const pipeline: number[] = [];
  const pretty: number[] = [];
  let text = "";
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    const raw = (await compileToText(source, { file: "scaling.net", format: false })).text;
    pipeline.push(performance.now() - t0);
    t0 = performance.now();
    text = await formatTypeScript(raw);
    pretty.push(performance.now() - t0);
  }
  return { pipelineMs: median(pipeline), prettierMs: median(pretty), text };
}

async function family(name: "dense" | "chain", sizes: number[], make: (n: number) => string, budgetMs: number, maxReps: number): Promise<ScalingRow[]> {
  const rows: ScalingRow[] = [];
  for (const size of sizes) {
    const prev = rows[rows.length - 1];
    if (prev && prev.ms > budgetMs) {
      rows.push({ family: name, size, ms: NaN, msUnformatted: NaN, chars: NaN, lines: NaN, growth: NaN, sizeGrowth: NaN, skipped: true });
      continue; // the previous size already took longer than this run's budget
    }
    const t = await timeCompile(make(size), prev && prev.ms > 300 ? 1 : maxReps);
    const ms = t.pipelineMs + t.prettierMs;
    rows.push({
      family: name,
      size,
      ms,
      msUnformatted: t.pipelineMs,
      chars: t.text.length,
      lines: t.text.split("\n").length,
      growth: prev ? t.pipelineMs / prev.msUnformatted : NaN,
      sizeGrowth: prev ? t.text.length / prev.chars : NaN,
    });
  }
  return rows;
}

export async function timeCliCompile(): Promise<CliTiming> {
  const file = "examples/mnist_mlp.net";
  const source = readFileSync(file, "utf8");
  let t0 = performance.now();
  await compileToText(source, { file });
  const compileColdMs = performance.now() - t0;
  const warm: number[] = [];
  for (let r = 0; r < 5; r++) {
    t0 = performance.now();
    await compileToText(source, { file });
    warm.push(performance.now() - t0);
  }
  const out = mkdtempSync(join(tmpdir(), "netc-bench-"));
  const walls: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    const p = spawnSync(process.execPath, ["bin/netc.js", "compile", file, "-o", out], { encoding: "utf8" });
    walls.push(performance.now() - t0);
    if (p.status !== 0) throw new Error(`netc compile ${file} failed: ${p.stderr}`);
  }
  rmSync(out, { recursive: true, force: true });
  const starts: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    spawnSync(process.execPath, ["bin/netc.js", "--version"], { encoding: "utf8" });
    starts.push(performance.now() - t0);
  }
  const child = spawnSync(process.execPath, ["--import", "tsx", "bench/lib/cold-compile.ts"], { encoding: "utf8" });
  const line = child.stdout.split("\n").find((l) => l.startsWith("{"));
  const cold = child.status === 0 && line ? (JSON.parse(line) as CliTiming["cold"]) : null;
  return { wallMs: median(walls), compileMs: median(warm), compileColdMs, startupMs: median(starts), cold };
}

export async function compileScaling(quick: boolean): Promise<ScalingRow[]> {
  const layers = quick ? [1, 2, 4, 8, 16] : [1, 2, 4, 8, 16, 32, 64, 128, 256];
  const chain = quick ? [250, 500] : [375, 750, 1500, 3000];
  const budget = quick ? 3_000 : 150_000;
  const reps = quick ? 1 : 3;
  await compileToText(denseSource(2), { file: "warm-up.net" }); // load prettier, warm the JIT
  return [...(await family("dense", layers, denseSource, budget, reps)), ...(await family("chain", chain, chainSource, budget, reps))];
}

const label = (r: ScalingRow): string => (r.family === "dense" ? `dense, ${r.size} layer${r.size === 1 ? "" : "s"}` : `chain, ${r.size} bindings`);

export function printScaling(rows: readonly ScalingRow[], cli: CliTiming | null): string {
  const body = table(
    ["model", "compile ms", "time growth", "+ prettier ms", "emitted chars", "lines", "size growth"],
    rows.map((r) =>
      r.skipped
        ? [label(r), "skipped", "", "", "", "", ""]
        : [
            label(r),
            fmt.fixed(r.msUnformatted, 1),
            fmt.ratio(r.growth),
            r.ms - r.msUnformatted < 0.5 ? "not run" : fmt.fixed(r.ms - r.msUnformatted, 1),
            fmt.int(r.chars),
            fmt.int(r.lines),
            fmt.ratio(r.sizeGrowth),
          ],
    ),
    ["l", "r", "r", "r", "r", "r", "r"],
  );
  const cold = cli?.cold
    ? `; in a fresh process: ${fmt.fixed(cli.cold.importMs, 0)} ms to import the compiler, ${fmt.fixed(cli.cold.firstCompileMs, 0)} ms for the first compile ` +
      `without prettier, ${fmt.fixed(cli.cold.firstFormattedCompileMs, 0)} ms for the next one with prettier's first format`
    : "";
  const cliLine = cli
    ? `netc compile examples/mnist_mlp.net (target < 300 ms for the compile): ${fmt.fixed(cli.compileMs, 1)} ms in a warm process (parse → prettier)${cold}; ` +
      `${fmt.fixed(cli.wallMs, 0)} ms wall for the whole command, of which ${fmt.fixed(cli.startupMs, 0)} ms is Node start-up (\`netc --version\`)`
    : "netc compile examples/mnist_mlp.net: not measured";
  const notes =
    "compile ms = compileToText without prettier (parse → check → IR → gradients → simplify → codegen); time growth = its ratio to the " +
    "row above, whose size is half (linear compilation gives ~2×); + prettier ms = formatting the output (not run past the formatter's " +
    "size limit); skipped = the size before took longer than the run's budget.";
  return `${body}\n\n${notes}\n\n${cliLine}`;
}

const isMain = process.argv[1]?.endsWith("compile-scaling.ts");
if (isMain) {
  const quick = process.argv.includes("--quick");
  const rows = await compileScaling(quick);
  const cli = await timeCliCompile().catch((e: Error) => (console.error(e.message), null));
  console.log(printScaling(rows, cli));
}
