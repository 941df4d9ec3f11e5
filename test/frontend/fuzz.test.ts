// Property: any input — random text, token soup, or a mutated example — yields either a checked
// model or a NetcError, never another exception, and quickly.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { parse } from "../../src/parse/index.ts";
import { check } from "../../src/check/index.ts";
import { NetcError } from "../../src/diagnostics.ts";

const MAX_MS = 1000;
const OUTCOMES = ["ok", "error"];

/** Runs the front end; returns "ok" or "error", throws anything else. Fails when slow. */
function frontEnd(source: string): "ok" | "error" {
  const t0 = performance.now();
  let result: "ok" | "error";
  try {
    check(parse(source, "fuzz.net"));
    result = "ok";
  } catch (err) {
    if (!(err instanceof NetcError)) throw err;
    // Every diagnostic points inside the file.
    for (const d of err.diagnostics) {
      if (d.span.line < 1 || d.span.col < 1 || d.span.start > source.length) throw new Error(`bad span ${JSON.stringify(d.span)}`);
    }
    void err.message; // formatting must not throw either
    result = "error";
  }
  const ms = performance.now() - t0;
  if (ms > MAX_MS) throw new Error(`took ${ms.toFixed(0)} ms`);
  return result;
}

const examples = readdirSync("examples")
  .filter((f) => f.endsWith(".net"))
  .map((f) => readFileSync(`examples/${f}`, "utf8"));

const TOKENS = [
  "input", "target", "param", "dim", "def", "output", "loss", "grad", "wrt", "train", "model",
  "x", "y", "W", "b", "B", "f", "sum", "mean", "sigmoid", "softmax", "relu", "exp", "max", "mse", "cross_entropy", "transpose",
  "xavier", "zeros", "normal", "sgd", "adam", "lr", "epochs", "steps", "seed", "shuffle", "true", "constructor", "__proto__",
  "0", "1", "2", "-1", "0.5", "1e-3", "784", "1.2.3",
  "=", "+", "-", "*", "/", "^", "@", "(", ")", "[", "]", "{", "}", ",", ":", ";", "#", "\n", " ",
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(" "));

/** An example with a few random edits: deletions, insertions, duplications of a slice. */
const mutation = fc
  .tuple(
    fc.constantFrom(...examples),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }))), { minLength: 1, maxLength: 4 }),
  )
  .map(([src, edits]) => {
    let s = src;
    for (const [pos, len, insert] of edits) {
      const at = pos % (s.length + 1);
      s = s.slice(0, at) + insert + s.slice(at + len);
    }
    return s;
  });

describe("fuzzing the front end", () => {
  it("random strings: a model or a NetcError", () => {
    fc.assert(
      // (A boolean property rather than `expect` inside: vitest's expect costs more than a parse.)
      fc.property(fc.oneof({ arbitrary: fc.string({ maxLength: 80 }), weight: 3 }, { arbitrary: fc.string({ unit: "binary", maxLength: 80 }), weight: 1 }), (s) =>
        OUTCOMES.includes(frontEnd(s)),
      ),
      { numRuns: 1000 },
    );
  });

  it("token soup: a model or a NetcError", () => {
    fc.assert(
      fc.property(tokenSoup, (s) => OUTCOMES.includes(frontEnd(s))),
      { numRuns: 1000 },
    );
  });

  it("mutated examples: a model or a NetcError", () => {
    let ok = 0;
    fc.assert(
      fc.property(mutation, (s) => {
        if (frontEnd(s) === "ok") ok++;
      }),
      { numRuns: 400 },
    );
    // Some mutations (inside comments, say) leave a valid model: the property saw both outcomes.
    expect(ok).toBeGreaterThan(0);
  });

  it("pathological inputs: deep nesting, long lines, many errors", () => {
    expect(frontEnd("y = " + "(".repeat(5000))).toBe("error");
    expect(frontEnd("input x\ny = " + "(".repeat(150) + "x" + ")".repeat(150))).toBe("ok");
    expect(frontEnd("input x\ny = " + "-".repeat(200) + "x")).toBe("ok");
    expect(frontEnd("input x\ny = x" + "^x".repeat(200))).toBe("ok");
    expect(frontEnd("input x\ny = " + "-".repeat(20000) + "x")).toBe("error");
    expect(frontEnd("input x\ny = x" + "^x".repeat(20000))).toBe("error");
    expect(frontEnd("input x\ny = x" + " + x".repeat(1000))).toBe("ok");
    expect(frontEnd("x = @\n".repeat(2000))).toBe("error");
    expect(frontEnd("\u0000".repeat(10000))).toBe("error");
    expect(frontEnd("input x\n" + "y = x\n".repeat(500))).toBe("error");
  });
});
