// The gradient check as text: one row per derivative (the worst relative error over its probes),
// then the verdict, and on failure the worst probe and the binding and line where it goes wrong.
import type { AdjointCheck, Location } from "./blame.ts";
import { unmeasured, type GradCheckResult, type GradRow } from "./run.ts";

const shapeText = (s: readonly number[]): string => `[${s.join(", ")}]`;
const num = (x: number): string => (Number.isFinite(x) ? (x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(6))) : x.toExponential(3)) : String(x));
const small = (x: number): string => (x < 0.1 ? x.toExponential() : String(x));
const rel = (x: number): string => (x === 0 ? "0" : Number.isFinite(x) ? x.toExponential(1) : String(x));

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => "  " + r.map((cell, c) => (c >= 3 && c <= 5 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd()).join("\n");
}

function status(r: GradRow): string {
  if (!r.ok) return "FAIL";
  return unmeasured(r) ? "not verified" : "ok";
}

function adjointText(of: string, c: AdjointCheck): string {
  if (!c.worst) return `d${of}/d${c.name}`;
  const at = c.worst.where ? ` at ${c.worst.where}` : "";
  return `d${of}/d${c.name}${at}: derived ${num(c.worst.analytic)}, finite differences ${num(c.worst.numeric)} (rel. error ${rel(c.worst.rel)})`;
}

export function locationText(loc: Location, file: string): string {
  switch (loc.kind) {
    case "binding": {
      const goodRel = loc.good.worst ? ` (rel. error ${rel(loc.good.worst.rel)})` : "";
      return [
        `${file}:${loc.line}: the derivative first disagrees in the chain rule through \`${loc.text}\`:`,
        `  d${loc.of}/d${loc.binding} agrees with finite differences${goodRel}, but`,
        ...loc.bad.map((b) => `  ${adjointText(loc.of, b)}`),
      ].join("\n");
    }
    case "codegen":
      return `every adjoint on the way to ${loc.of} agrees with finite differences in the IR: the generated code is what disagrees`;
    case "unknown":
      return `could not locate the disagreement: ${loc.reason}`;
  }
}

/** How the caller says "try other values" (the command layer names its flags; the default names none). */
export interface ReportWords {
  otherValues?: string;
}

export function formatReport(result: GradCheckResult, title: string, file: string, words: ReportWords = {}): string {
  const otherValues = words.otherValues ?? "check at other values";
  const t = result.tolerance;
  const lines = [
    `${title} (${result.dtype})`,
    `derived (a) against float64 central differences (n, h = ${small(t.h)}, smaller where that does not fit the point); passes when |a − n| / max(|a|, |n|, ${small(t.floor)}·max(1, |f|)) < ${small(t.tol)}`,
  ];
  if (result.rows.length === 0) {
    // a loss asks for derivatives with respect to the params only, so a loss without params defines none
    lines.push("nothing to check: the model defines no derivatives (no `grad` statement, and no loss with params)");
    return lines.join("\n") + "\n";
  }
  const header = ["name", "of", "shape", "probes", "skipped", "worst rel. error", "status"];
  const body = result.rows.map((r) => [r.wrt, r.of, shapeText(r.shape), String(r.probes), String(r.skipped), r.worst ? rel(r.worst.rel) : "-", status(r)]);
  lines.push(table([header, ...body]));
  for (const n of result.notes) lines.push(`note: ${n}`);
  const skipped = result.rows.reduce((s, r) => s + r.skipped, 0);
  if (skipped > 0) lines.push(`skipped ${skipped} probe${skipped === 1 ? "" : "s"} whose ±h step crosses a kink of relu, abs, max or min at every step size tried`);
  const failed = result.rows.filter((r) => !r.ok);
  const unverified = result.rows.filter(unmeasured);
  if (failed.length === 0 && unverified.length > 0) {
    for (const r of unverified) {
      lines.push(`not verified: d${r.of}/d${r.wrt}: every probe crosses a kink at every step size tried (the derivative there is a convention: relu'(0) = 0); ${otherValues}`);
    }
  } else if (failed.length === 0) {
    const n = result.rows.length;
    lines.push(n === 1 ? "ok: the derivative agrees with finite differences" : `ok: all ${n} derivatives agree with finite differences`);
  } else {
    for (const r of failed) {
      const w = r.worst!;
      const at = w.where ? ` at ${w.where}` : "";
      lines.push(`FAIL d${r.of}/d${r.wrt}${at}: derived ${num(w.analytic)}, finite differences ${num(w.numeric)} (rel. error ${rel(w.rel)} > ${small(t.tol)})`);
    }
    if (result.location) lines.push(locationText(result.location, file));
  }
  return lines.join("\n") + "\n";
}
