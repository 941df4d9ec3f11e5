// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and the hottest
// source lines. Run: npx tsx bench/experiments/cpuprof-summary.ts FILE.cpuprofile [TOP]
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  positionTicks?: { line: number; ticks: number }[];
}
const prof = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const top = Number(process.argv[3] ?? 15);
const total = prof.nodes.reduce((s, n) => s + n.hitCount, 0);
const byFn = new Map<string, number>();
const byLine = new Map<string, number>();
for (const n of prof.nodes) {
  const file = n.callFrame.url.split("/").slice(-2).join("/");
  const fn = `${n.callFrame.functionName || "(anon)"} ${file}:${n.callFrame.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + n.hitCount);
  for (const t of n.positionTicks ?? []) {
    const key = `${file}:${t.line}`;
    byLine.set(key, (byLine.get(key) ?? 0) + t.ticks);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(title);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show(`self time by function (${total} samples)`, byFn);
show("hottest lines", byLine);
