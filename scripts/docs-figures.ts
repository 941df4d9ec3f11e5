// Rewrites the figures in README.md and docs/*.md — transcripts, accuracies, timings, gradient-check
// errors — from real runs of netc, so no number in the docs is copied by hand or goes stale.
//
//   npm run docs:figures                 every region but the slow ones (about a minute; the
//                                        MNIST demo's training is ~5 s of it)
//   npm run docs:figures -- --slow       also the slow ones (mnist_softmax: ~80 s of training;
//                                        mnist_cnn: ~2 minutes on an idle machine)
//   npm run docs:figures -- --only a,b   just these regions
//   npm run docs:figures -- --list       the regions, their files, and which are slow
//
// A region is the text between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` (on their own
// lines around a block, or inline around a few words). Everything between the markers is replaced;
// everything outside is left alone, so prose around a figure may be edited freely. To add a figure:
// put the markers in the doc, add an entry to REGIONS below, run the script.
// test/traps/docs-figures.test.ts checks, without running anything, that every marker in the docs
// has an entry here and every entry has exactly one pair of markers.
//
// Commands run as a user runs them (`node bin/netc.js …`, the same as `npx netc …`) in a scratch
// directory, so relative paths in transcripts (`plots/loss.svg`, `xor.params.json`) stay short and
// nothing in the checkout is written but the docs. A region whose run fails keeps its old text;
// the script then says which and exits 1. Timings vary with the machine and its load.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const NETC = join(ROOT, "bin", "netc.js");

export interface Region {
  name: string;
  /** The doc it lives in, relative to the repository root. */
  file: string;
  /** Runs long (minutes): only with --slow. */
  slow?: boolean;
  /** The new text between the markers. */
  render(): Promise<string>;
}

// ── running netc ────────────────────────────────────────────────────────────────────────────

interface Run {
  out: string;
  err: string;
  code: number;
  ms: number;
}

let scratchDir: string | null = null;
/** One scratch directory per script run: the working directory of every command. */
function scratch(): string {
  scratchDir ??= mkdtempSync(join(tmpdir(), "netc-figures-"));
  return scratchDir;
}

/** Model paths are given as the user types them (`examples/xor.net`) and resolved against the checkout. */
const resolveArg = (a: string): string => (a.startsWith("examples/") ? join(ROOT, a) : a);

/** `netc ARGS` in the scratch directory; throws unless it exits with `expect` (or one of them). */
function netc(args: readonly string[], expect: number | readonly number[] = 0): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, [NETC, ...args.map(resolveArg)], { cwd: scratch(), encoding: "utf8", maxBuffer: 64 << 20 });
  const run = { out: r.stdout, err: r.stderr, code: r.status ?? -1, ms: performance.now() - start };
  const ok = typeof expect === "number" ? [expect] : expect;
  if (!ok.includes(run.code)) throw new Error(`netc ${args.join(" ")} exited ${run.code}, expected ${ok.join(" or ")}:\n${run.err}${run.out}`);
  return run;
}

/** Each command once per script run, however many regions show it. */
const memo = new Map<string, Run>();
function netcOnce(args: readonly string[], expect: number | readonly number[] = 0): Run {
  const key = JSON.stringify([args, expect]);
  let r = memo.get(key);
  if (!r) {
    r = netc(args, expect);
    memo.set(key, r);
  }
  return r;
}

function writeScratch(name: string, text: string): string {
  writeFileSync(join(scratch(), name), text);
  return name;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The lines of a command's output, without trailing blanks (asciichart pads its rows). */
const lines = (s: string): string[] => s.replace(/\n$/, "").split("\n").map((l) => l.trimEnd());
const fence = (body: string[], lang = ""): string => ["```" + lang, ...body, "```"].join("\n");
/** A line of `text` matching `re` (the first), or an error naming what was looked for. */
function lineOf(text: string, re: RegExp): string {
  const l = lines(text).find((x) => re.test(x));
  if (l === undefined) throw new Error(`no line matching ${re} in:\n${text}`);
  return l;
}
/** The first capture of `re` in `text`, or an error. */
function grab(text: string, re: RegExp): string {
  const m = re.exec(text);
  if (!m) throw new Error(`nothing matching ${re} in:\n${text}`);
  return m[1]!;
}
/** Keeps the first `head` and last `tail` lines, with `…` between when some are left out. */
function elide(ls: string[], head: number, tail: number): string[] {
  return ls.length <= head + tail + 1 ? ls : [...ls.slice(0, head), "…", ...ls.slice(ls.length - tail)];
}
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// ── the runs the regions show ───────────────────────────────────────────────────────────────

const DEMO = ["train", "examples/mnist_mlp.net", "--data", "mnist", "--out", "generated/mnist_mlp.params.json"];
const EVAL_MLP = ["eval", "examples/mnist_mlp.net", "--params", "generated/mnist_mlp.params.json", "--data", "mnist"];
const SOFTMAX = ["train", "examples/mnist_softmax.net", "--data", "mnist"];
const CNN = ["train", "examples/mnist_cnn.net", "--data", "mnist"];
const XOR = ["train", "examples/xor.net", "--data", "xor", "--plot", "plots"];
const SIMPLE = ["train", "examples/simple.net"];
const SIMPLE_LR1 = ["train", "examples/simple.net", "--lr", "1.0", "--steps", "5"];

/** `npm run demo`: the command package.json's script runs, with npm's two header lines. */
function demo(): Run {
  return netcOnce(DEMO);
}
function evalMlp(json: boolean): Run {
  demo();
  return netcOnce(json ? [...EVAL_MLP, "--json"] : EVAL_MLP);
}
function xorPredict(): { args: string[]; run: Run } {
  netcOnce(XOR);
  const at = writeScratch("xor-inputs.json", JSON.stringify({ X: [[0, 0], [0, 1], [1, 0], [1, 1]] }) + "\n");
  const args = ["predict", "examples/xor.net", "--params", "xor.params.json", "--at", at];
  return { args, run: netcOnce(args) };
}

/** `$ netc ARGS` as the docs write a command. */
const shown = (args: readonly string[], prefix = "netc"): string => `$ ${prefix} ${args.join(" ")}`;

/** The demo's transcript lines, with npm's header as `npm run demo` prints it. */
function demoTranscript(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string; scripts: Record<string, string> };
  return ["$ npm run demo", "", `> ${pkg.name}@${pkg.version} demo`, `> ${pkg.scripts["demo"]}`, "", ...lines(demo().out)];
}

/** "91.65%" and "4.51 s" and so on out of a training run's summary line. */
function summaryOf(run: Run): { line: string; testAcc: string; trainSeconds: string } {
  const line = lineOf(run.out, /^trained /);
  return { line, testAcc: grab(line, /test accuracy ([\d.]+%)/), trainSeconds: grab(line, / in ([\d.]+ s):/) };
}

// ── the regions ─────────────────────────────────────────────────────────────────────────────

export const REGIONS: readonly Region[] = [
  {
    name: "readme-quick",
    file: "README.md",
    async render() {
      const grad = netcOnce(["grad", "examples/simple.net"]);
      const ws = lines(netcOnce(SIMPLE).out)
        .filter((l) => /^step /.test(l))
        .map((l) => Number(grab(l, / w (\S+)$/)));
      const series = [0.8, ...ws.slice(0, 4)].join(" → ");
      return fence(
        [
          shown(["grad", "examples/simple.net"], "npx netc"),
          ...lines(grad.out),
          `${shown(SIMPLE, "npx netc")}        # w: ${series} → … → ${ws.at(-1)} in ${ws.length} steps`,
          `${shown(["compile", "examples/mnist_mlp.net"], "npx netc")}   # writes generated/mnist_mlp.ts and prints its path`,
        ],
        "sh",
      );
    },
  },
  {
    name: "readme-demo",
    file: "README.md",
    async render() {
      const out = lines(demo().out);
      const epochs = out.filter((l) => /^epoch /.test(l));
      return fence([out[0]!, epochs[0]!, "…", epochs.at(-1)!, lineOf(demo().out, /^trained /), lineOf(demo().out, /^saved parameters/)]);
    },
  },
  {
    name: "readme-results",
    file: "README.md",
    async render() {
      const simple = lines(netcOnce(SIMPLE).out).filter((l) => /^step /.test(l)).map((l) => grab(l, / w (\S+)$/));
      const lr1 = lines(netcOnce(SIMPLE_LR1).out).filter((l) => /^step /.test(l)).map((l) => Number(grab(l, / w (\S+)$/)));
      const xor = netcOnce(XOR);
      const yhat = (JSON.parse(xorPredict().run.out) as { yhat: number[][] }).yhat.map((r) => r[0]!.toFixed(4));
      const mlp = summaryOf(demo());
      const rows = [
        "| model | command | result |",
        "|---|---|---|",
        `| seed 000 simple network | \`netc train examples/simple.net\` | w = 0.8 → ${simple.slice(0, 4).join(" → ")} … ${simple.at(-1)} after ${simple.length} steps; \`--lr 1 --steps 5\`: ${lr1.map((w) => Number(w.toPrecision(6))).join(", ")} |`,
        `| seed 003 XOR (2-3-1) | \`netc train examples/xor.net --data xor\` | 10,000 epochs at lr 0.1 (seed 0) in ${grab(xor.out, / in ([\d.]+ s):/)}: ŷ = ${yhat.join(", ")} |`,
        `| seed 000 MNIST MLP (784-15-10) | \`npm run demo\` | **${mlp.testAcc}** test accuracy after 10 epochs, ${mlp.trainSeconds} of training |`,
        softmaxRow(),
      ];
      return rows.join("\n");
    },
  },
  {
    name: "readme-check",
    file: "README.md",
    async render() {
      const worst: { example: string; rel: number }[] = [];
      for (const f of readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".net")).sort()) {
        // 3 is "not verified" (a derivative at a kink): its measured rows still count
        const out = netcOnce(["check", `examples/${f}`], [0, 3]).out;
        const rels = lines(out)
          .filter((l) => /\s(ok|FAIL|not verified)$/.test(l))
          .map((l) => Number(l.trim().split(/\s{2,}/).at(-2)))
          .filter((x) => Number.isFinite(x));
        if (rels.length > 0) worst.push({ example: f, rel: Math.max(...rels) });
      }
      worst.sort((a, b) => b.rel - a.rel);
      const e = (x: number) => x.toExponential(1);
      return `Every example's derivatives agree with float64 central differences (\`netc check\` on each of the ${worst.length} examples: worst relative error ${e(worst[0]!.rel)}, in ${worst[0]!.example}, down to ${e(worst.at(-1)!.rel)}, in ${worst.at(-1)!.example}).`;
    },
  },
  {
    // from the last `npm run bench -- --skip-scaling --json bench/results/latest.json` (run it on an idle machine first)
    name: "readme-bench",
    file: "README.md",
    async render() {
      const { renderBenchTable } = await import("../bench/lib/readme-table.ts");
      return renderBenchTable(JSON.parse(readFileSync(join(ROOT, "bench", "results", "latest.json"), "utf8")));
    },
  },
  {
    name: "readme-compile-time",
    file: "README.md",
    async render() {
      const { compile } = await import("../src/compile.ts");
      const source = readFileSync(join(ROOT, "examples", "mnist_mlp.net"), "utf8");
      const warm: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        await compile(source, { file: "examples/mnist_mlp.net" });
        if (i > 0) warm.push(performance.now() - t);
      }
      const whole = Array.from({ length: 5 }, () => netc(["compile", "examples/mnist_mlp.net", "-o", "generated"]).ms);
      return `\`netc compile\` of the MNIST MLP takes ${Math.round(median(warm))} ms in a warm process, ${Math.round(median(whole))} ms for the whole command`;
    },
  },
  {
    name: "training-data-errors",
    file: "docs/training.md",
    async render() {
      const model = writeScratch("m.net", "dim B = 4\ninput x: [B, 2]\ntarget y: [B, 10]\nparam W: [2, 10] = zeros\nloss L = cross_entropy(x @ W, y)\n");
      const csv = writeScratch("bad.csv", "x0,x1,y\n1,2,3\n4,oops,5\n");
      const json = writeScratch("data.json", JSON.stringify({ x: [[1, 2], [3, 4]], y: [3, 12] }) + "\n");
      return fence([
        netc(["train", model, "--data", csv], 1).err.trim(),
        netc(["train", model, "--data", json], 1).err.trim(),
        netc(["train", model, "--data", "mnist"], 1).err.trim(),
      ]);
    },
  },
  {
    name: "training-diverged",
    file: "docs/training.md",
    async render() {
      const r = netc(["train", "examples/simple.net", "--lr", "1", "--steps", "400", "--quiet"], 1);
      return fence([shown(["train", "examples/simple.net", "--lr", "1", "--steps", "400"]), ...lines(r.err)]);
    },
  },
  {
    name: "training-eval-example",
    file: "docs/training.md",
    async render() {
      return fence([shown(EVAL_MLP), ...lines(evalMlp(false).out)]);
    },
  },
  {
    name: "training-predict-example",
    file: "docs/training.md",
    async render() {
      const p = xorPredict();
      return fence([shown(p.args), ...lines(p.run.out)]);
    },
  },
  {
    name: "training-simple",
    file: "docs/training.md",
    async render() {
      const out = lines(netcOnce(SIMPLE).out);
      const steps = out.filter((l) => /^step /.test(l));
      const trained = out.findIndex((l) => /^trained /.test(l));
      return fence([
        shown(SIMPLE),
        out[0]!,
        ...elide(steps, 5, 6),
        out[trained]!,
        "…",
        lineOf(netcOnce(SIMPLE).out, /^saved parameters/),
        "",
        shown(SIMPLE_LR1),
        ...lines(netcOnce(SIMPLE_LR1).out).filter((l) => /^step /.test(l)),
      ]);
    },
  },
  {
    name: "training-xor",
    file: "docs/training.md",
    async render() {
      const out = lines(netcOnce(XOR).out);
      const epochs = out.filter((l) => /^epoch /.test(l));
      const p = xorPredict();
      return fence([
        shown(XOR),
        out[0]!,
        ...elide(epochs, 2, 1),
        lineOf(netcOnce(XOR).out, /^trained /),
        lineOf(netcOnce(XOR).out, /^wrote /),
        lineOf(netcOnce(XOR).out, /^saved parameters/),
        "",
        `${shown(p.args)}   # {"X": [[0,0],[0,1],[1,0],[1,1]]}`,
        ...lines(p.run.out),
      ]);
    },
  },
  {
    name: "training-mnist-summary",
    file: "docs/training.md",
    async render() {
      const s = summaryOf(demo());
      return `**${s.testAcc}** on the 2,000 held-out digits, ${s.trainSeconds} of training (${seconds(demo().ms)} for the whole command, with compiling and loading the digits)`;
    },
  },
  {
    name: "training-mnist",
    file: "docs/training.md",
    async render() {
      return fence([...demoTranscript(), "", shown(EVAL_MLP), ...lines(evalMlp(false).out), shown([...EVAL_MLP, "--json"]), ...lines(evalMlp(true).out)]);
    },
  },
  {
    name: "readme-cnn",
    file: "README.md",
    slow: true,
    async render() {
      const run = netcOnce(CNN);
      const s = summaryOf(run);
      const first = cnnFirstAbove();
      const reached = first === null ? "never 97.5%" : `${cnnEpochs()[first - 1]} after epoch ${first}`;
      return `\`netc train examples/mnist_cnn.net --data mnist\` reaches **${s.testAcc}** test accuracy on the 2,000 held-out digits after 10 epochs (${reached}), in ${s.trainSeconds} of training (${seconds(run.ms)} for the whole command, with compiling and loading the digits)`;
    },
  },
  {
    name: "training-cnn",
    file: "docs/training.md",
    slow: true,
    async render() {
      const run = netcOnce(CNN);
      const out = lines(run.out);
      return fence([shown(CNN), out[0]!, ...out.filter((l) => /^epoch /.test(l)), lineOf(run.out, /^trained /)]);
    },
  },
  {
    name: "training-softmax",
    file: "docs/training.md",
    slow: true,
    async render() {
      const run = netcOnce(SOFTMAX);
      const out = lines(run.out);
      const cut = (l: string) => l.replace(/ {2}\(\d[^)]*\)$/, "  …");
      const evalJson = netcOnce(["eval", "examples/mnist_softmax.net", "--params", "mnist_softmax.params.json", "--data", "mnist", "--json"]);
      return fence([
        shown(SOFTMAX),
        out[0]!,
        ...out.filter((l) => /^epoch /.test(l)).map(cut),
        lineOf(run.out, /^trained /),
        "…",
        lineOf(run.out, /^saved parameters/),
        "",
        shown(["eval", "examples/mnist_softmax.net", "--params", "mnist_softmax.params.json", "--data", "mnist", "--json"]),
        ...lines(evalJson.out),
      ]);
    },
  },
];

/** The CNN's test accuracy after each epoch, as printed ("97.70%"). */
const cnnEpochs = (): string[] => lines(netcOnce(CNN).out).filter((l) => /^epoch /.test(l)).map((l) => grab(l, /test acc ([\d.]+%)/));

/** The first epoch (1-based) whose test accuracy reaches 97.5%, as the issue asks, or null. */
function cnnFirstAbove(): number | null {
  const i = cnnEpochs().findIndex((a) => Number.parseFloat(a) >= 97.5);
  return i < 0 ? null : i + 1;
}

/** The MNIST softmax row of the README's table: from a run with --slow, else as it stands. */
function softmaxRow(): string {
  const label = "| 784-128-64-10 ReLU, cross-entropy |";
  if (slowRun) {
    const s = summaryOf(netcOnce(SOFTMAX));
    return `${label} \`netc train examples/mnist_softmax.net --data mnist\` | **${s.testAcc}** test accuracy after 10 epochs (sgd + momentum 0.9, exponential(0.8)), ${s.trainSeconds} of training |`;
  }
  const current = readFileSync(join(ROOT, "README.md"), "utf8").split("\n").find((l) => l.startsWith(label));
  if (!current) throw new Error("the README's results table has no mnist_softmax row to keep (run with --slow)");
  return current;
}
let slowRun = false;

// ── markers ─────────────────────────────────────────────────────────────────────────────────

export const openMarker = (name: string): string => `<!-- figures:${name} -->`;
export const closeMarker = (name: string): string => `<!-- /figures:${name} -->`;

/** Every region name opened in `text`, in order (a name twice appears twice). */
export function markersIn(text: string): { open: string[]; close: string[] } {
  return {
    open: [...text.matchAll(/<!-- figures:([\w-]+) -->/g)].map((m) => m[1]!),
    close: [...text.matchAll(/<!-- \/figures:([\w-]+) -->/g)].map((m) => m[1]!),
  };
}

/** `text` with region `name`'s content replaced. Block regions keep their markers on their own lines. */
export function replaceRegion(text: string, name: string, body: string): string {
  const open = openMarker(name);
  const close = closeMarker(name);
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < 0 || end < start || text.indexOf(open, start + 1) >= 0) {
    throw new Error(`region ${name}: expected one ${open} … ${close} pair`);
  }
  const inner = text.slice(start + open.length, end);
  const block = inner.startsWith("\n");
  return text.slice(0, start + open.length) + (block ? `\n${body}\n` : body) + text.slice(end);
}

/** The docs that may hold regions: README.md and docs/*.md. */
export function docFiles(): string[] {
  return ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--list")) {
    for (const r of REGIONS) console.log(`${r.name.padEnd(26)} ${r.file}${r.slow ? "  (slow: --slow)" : ""}`);
    return 0;
  }
  slowRun = argv.includes("--slow");
  const only = argv.includes("--only") ? new Set(argv[argv.indexOf("--only") + 1]?.split(",")) : null;
  const unknown = only ? [...only].filter((n) => !REGIONS.some((r) => r.name === n)) : [];
  if (unknown.length > 0) {
    console.error(`unknown region ${unknown.join(", ")} (see --list)`);
    return 2;
  }
  const texts = new Map<string, string>();
  const failed: string[] = [];
  for (const r of REGIONS) {
    if (only ? !only.has(r.name) : r.slow && !slowRun) {
      if (!only) console.log(`${r.name}: skipped (slow; run with --slow)`);
      continue;
    }
    const started = performance.now();
    try {
      const body = await r.render();
      const text = texts.get(r.file) ?? readFileSync(join(ROOT, r.file), "utf8");
      texts.set(r.file, replaceRegion(text, r.name, body));
      console.log(`${r.name}: ${seconds(performance.now() - started)}`);
    } catch (err) {
      failed.push(r.name);
      console.error(`${r.name}: FAILED, left as it was: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (const [file, text] of texts) {
    if (readFileSync(join(ROOT, file), "utf8") !== text) {
      writeFileSync(join(ROOT, file), text);
      console.log(`rewrote ${file}`);
    }
  }
  if (failed.length > 0) console.error(`${failed.length} region(s) failed: ${failed.join(", ")}`);
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
