// The house as DESIGN.md draws it, checked by test/structure/layers.test.ts (part of `npm test`) and
// by `npm run deps`. Lowest first:
//
//   diagnostics.ts, train-spec.ts, version.ts      errors, spans, the training spec: plain types
//   graph/                                         the node type, interning, shapes
//   ops/                                           one file per op, the registry
//   parse/  check/                                 the front end (check may use graph + ops)
//   ir/                                            builder, interpreter, printers, IR analyses
//   diff/  simplify/  codegen/                     passes over the IR; none imports another
//   compile.ts                                     the pipeline
//   gradcheck/, explain/, lsp/, playground/ …      tools on top of compile (+ ir printers)
//   commands/, cli.ts                              the only code that speaks of flags
//
//   runtime/ (load, feed, train loop, contract)  ←  data/ (sources)   — neither imports the compiler
//
// A rule allows what a folder may import; a folder added later (src/fmt, src/codegen/wasm) is
// covered by the rule of the folder it sits in, or by the general ones (no cycles; nothing below
// src/commands imports it). test/structure/layers.test.ts also rejects cycles between folders.
const BASE = "diagnostics\\.ts|train-spec\\.ts|version\\.ts";

/** Files under `from` may import only files under src/ that match `allowed`. */
const only = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: "error",
  from: { path: `^src/(${from})` },
  to: { path: "^src/", pathNot: `^src/(${allowed}|${BASE})` },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Modules in src/ form no import cycle (type-only imports count too).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "commands-on-top",
      comment: "Only the command layer (src/commands, src/cli.ts) imports src/commands: lower layers raise typed errors (src/diagnostics.ts) and never speak of flags.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(commands/|cli\\.ts$)" },
      to: { path: "^src/(commands/|cli\\.ts$)" },
    },
    only("base-at-bottom", "diagnostics, train-spec and version import nothing from src/.", BASE, "$^"),
    only("graph-below-ops", "The node type and shape helpers (src/graph) import nothing above them.", "graph/", "graph/"),
    only("ops-below-ir", "Op files see only the node type and each other; they build IR through the IRBuilder interface.", "ops/", "ops/|graph/"),
    only("parse-alone", "The parser imports only itself and diagnostics.", "parse/", "parse/"),
    only("check-front-end", "The checker sees the AST, the node type and the op registry; nothing of the IR passes, codegen or runtime.", "check/", "check/|parse/|graph/|ops/"),
    only("ir-below-passes", "src/ir (builder, interpreter, printers) sees graph, ops and the checked model's types; never a pass above it.", "ir/", "ir/|graph/|ops/|check/model\\.ts$"),
    only("diff-pass", "The differentiator sees the IR, ops and the checked model; no other pass.", "diff/", "diff/|ir/|graph/|ops/|check/model\\.ts$"),
    only("simplify-pass", "The simplifier sees the IR and ops; no other pass.", "simplify/", "simplify/|ir/|graph/|ops/"),
    only("codegen-pass", "Codegen sees the IR, ops and the generated-module contract (runtime/contract.ts); no other pass, never the front end.", "codegen/", "codegen/|ir/|graph/|ops/|check/model\\.ts$|runtime/contract\\.ts$|runtime/cache-dir\\.ts$"),
    only("runtime-below-compiler", "The runtime (loading, feeding, training loop) imports nothing from the compiler or the data sources: contract types only.", "runtime/", "runtime/"),
    only("data-below-compiler", "Data sources import only the runtime's contract and helpers.", "data/", "data/|runtime/"),
    {
      name: "tools-use-compile",
      comment: "explain, lsp and playground go through compile (src/compile.ts) and the ir printers: they read the derivatives src/diff recorded, never run a differentiator or code generator of their own (the one simplifier may tidy a formula).",
      severity: "error",
      from: { path: "^src/(explain|lsp|playground)/" },
      to: { path: "^src/(diff|codegen|gradcheck)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};
