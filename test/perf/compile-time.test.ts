// The shortcuts that keep compile and start-up time down must not change any result: the prebuilt
// grammar recipe is current and parses like the grammar text, prettier's babel-ts parser formats
// emitted code exactly as its typescript parser does, the cached CLI build behaves like the
// sources run through tsx, and interning still shares equal nodes. Timings are printed, not
// asserted (beyond generous bounds), since they depend on the machine.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { examples } from "../support/examples.ts";
import { compileToText } from "../../src/compile.ts";
import { formatCached, formatTypeScript } from "../../src/codegen/format.ts";
import { grammarFromText, netGrammar, recipeIsCurrent } from "../../src/parse/grammar.ts";
import { parse } from "../../src/parse/index.ts";
import { Graph } from "../../src/graph/node.ts";

describe("grammar recipe", () => {
  it("grammar/net.recipe.json is current (else run: node scripts/grammar-recipe.mjs)", () => {
    expect(recipeIsCurrent()).toBe(true);
  });

  it("the grammar built from the recipe matches like the one compiled from the text", () => {
    const fromText = grammarFromText();
    const fromRecipe = netGrammar();
    const recipe = (g: object) => (g as { toRecipe(): string }).toRecipe();
    expect(recipe(fromRecipe)).toBe(recipe(fromText));
    for (const ex of examples()) {
      for (const line of ex.source.split("\n")) {
        const a = fromText.match(line, "Program");
        const b = fromRecipe.match(line, "Program");
        expect(b.succeeded(), line).toBe(a.succeeded());
        if (a.failed()) expect((b as unknown as { message: string }).message).toBe((a as unknown as { message: string }).message);
      }
      expect(() => parse(ex.source, ex.file)).not.toThrow();
    }
  });
});

describe("formatting", () => {
  it("babel-ts and typescript parsers give the same text on every example (and f32 for the MNIST MLP)", async () => {
    for (const ex of examples()) {
      for (const dtype of ex.name === "mnist_mlp" ? (["f64", "f32"] as const) : (["f64"] as const)) {
        const raw = (await compileToText(ex.source, { file: ex.file, dtype, format: false })).text;
        expect(await formatTypeScript(raw, "babel-ts"), `${ex.name} ${dtype}`).toBe(await formatTypeScript(raw, "typescript"));
      }
    }
  });

  it("the on-disk cache of formatted modules returns what prettier returns", async () => {
    const raw = (await compileToText(`# cache probe ${process.pid} ${Date.now()}\n${readFileSync("examples/simple.net", "utf8")}`, { format: false })).text;
    const fresh = await formatTypeScript(raw);
    expect(await formatCached(raw)).toBe(fresh); // a miss: formats and stores
    expect(await formatCached(raw)).toBe(fresh); // a hit
  });
});

describe("interning", () => {
  it("equal nodes are one object; attribute order, -0 and shapes are part of the key", () => {
    const g = new Graph();
    const x = g.make("input", [], { name: "x" }, [2, 3]);
    const zero = g.make("const", [], { value: 0 }, []);
    expect(g.make("const", [], { value: -0 }, [])).not.toBe(zero);
    expect(g.make("const", [], { value: 0 }, [])).toBe(zero);
    const e1 = g.make("expand", [zero], { shape: [2, 3], dims: [] }, [2, 3]);
    expect(g.make("expand", [zero], { dims: [], shape: [2, 3] }, [2, 3])).toBe(e1);
    expect(g.make("expand", [zero], { shape: [6] }, [6])).not.toBe(e1);
    expect(g.make("sum", [x], { axis: null }, [])).toBe(g.make("sum", [x], { axis: null, keepdims: undefined }, []));
    expect(g.make("sum", [x], { axis: 0 }, [3])).not.toBe(g.make("sum", [x], { axis: null }, []));
    expect(g.make("add", [x, e1], {}, [2, 3])).not.toBe(g.make("add", [e1, x], {}, [2, 3]));
    // the node keeps its own copies of the caller's arrays
    const args = [x, e1];
    const shape = [2, 3];
    const n = g.make("mul", args, {}, shape);
    args.pop();
    shape.push(1);
    expect(n.args).toHaveLength(2);
    expect(n.shape).toEqual([2, 3]);
  });
});

describe("the netc command", () => {
  const run = (args: string[], env: Record<string, string> = {}): { out: string; ms: number } => {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, ["bin/netc.js", ...args], { encoding: "utf8", env: { ...process.env, ...env } });
    return { out, ms: performance.now() - t0 };
  };

  it("the cached build and tsx give the same output; timings printed", () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-perf-"));
    try {
      for (const args of [["--help"], ["compile", "examples/mnist_mlp.net", "--emit", "ast"], ["compile", "examples/xor.net", "--emit", "ts"]]) {
        const built = run(args);
        const again = run(args);
        const tsx = run(args, { NETC_TSX: "1" });
        expect(built.out).toBe(tsx.out);
        console.log(`netc ${args.join(" ")}: ${again.ms.toFixed(0)} ms (cached build), ${tsx.ms.toFixed(0)} ms (tsx)`);
      }
      const compiled = run(["compile", "examples/mnist_mlp.net", "-o", dir]);
      expect(compiled.out.trim()).toBe(join(dir, "mnist_mlp.ts"));
      expect(readFileSync(join(dir, "mnist_mlp.ts"), "utf8")).toBe(run(["compile", "examples/mnist_mlp.net", "--emit", "ts"], { NETC_TSX: "1" }).out);
      console.log(`netc compile examples/mnist_mlp.net: ${compiled.ms.toFixed(0)} ms`);
      expect(compiled.ms).toBeLessThan(30_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
