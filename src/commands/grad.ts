// `netc grad FILE`: prints every requested derivative as a simplified symbolic expression in the
// model's own names, with its shape (`where` lines name shared subexpressions). With `--at
// VALUES.json` it evaluates the compiled code instead (src/commands/grad-at.ts); with `--emit ir`
// it prints the IR before and after simplification; `--json` prints the expressions as JSON.
import { frontEnd, toIR, type Target } from "../compile.ts";
import { derivativeText } from "../ir/expr.ts";
import { printDerivatives, printIRStages } from "../ir/print.ts";
import { spellNet } from "../explain/net.ts";
import { printWarnings, readModelFile } from "./common.ts";
import type { Dtype } from "../runtime/contract.ts";
import { UsageError } from "../diagnostics.ts";

export interface GradCommandOptions {
  at?: string;
  params?: string;
  json?: boolean;
  emit?: "ir";
  dtype: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

export async function gradCommand(file: string, opts: GradCommandOptions): Promise<void> {
  if (opts.params !== undefined && opts.at === undefined) throw new UsageError("--params needs --at VALUES.json (the inputs to evaluate at)");
  if (opts.at !== undefined) {
    // The evaluating form lives with code generation.
    const { gradAtCommand } = await import("./grad-at.ts");
    return gradAtCommand(file, { ...opts, at: opts.at });
  }
  const source = readModelFile(file);
  const { model, warnings } = frontEnd(source, { file, dims: opts.dim });
  printWarnings(warnings, file, source);
  const stages = toIR(model);
  if (opts.emit === "ir") {
    process.stdout.write(printIRStages(stages, "ir"));
    return;
  }
  const { ir } = stages;
  if (opts.json) {
    const taken = new Set<string>([...ir.leaves.keys(), ...ir.bindings.keys(), ...model.bindings.map((b) => b.name)]);
    const grads: Record<string, unknown> = Object.create(null);
    for (const g of ir.grads) {
      const t = derivativeText(g.node, ir.names, taken, undefined, spellNet);
      grads[g.key] = { of: g.of, wrt: g.wrt, shape: [...g.node.shape], expr: t.expr, where: t.where };
    }
    process.stdout.write(JSON.stringify({ grads }, null, 2) + "\n");
    return;
  }
  if (ir.grads.length === 0) {
    process.stderr.write(`netc: ${file} asks for no derivatives: add a 'grad f wrt x' statement or a 'loss'\n`);
    return;
  }
  process.stdout.write(printDerivatives(ir, spellNet));
}
