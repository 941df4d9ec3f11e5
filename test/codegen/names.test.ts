// The name allocator and comment escaping: nothing from a model file — names, file names, source
// text echoed in comments — can end a comment, start a statement or collide with an identifier.
import { describe, expect, it } from "vitest";
import { NameAllocator, RESERVED, identifierShape } from "../../src/codegen/names.ts";
import { commentText, numberLiteral, stringLiteral } from "../../src/codegen/literals.ts";
import { compile, compileToText } from "../../src/compile.ts";

describe("name allocator", () => {
  it("suffixes reserved words, globals, prototype members and names already taken", () => {
    const a = new NameAllocator(["i", "sigmoid"]);
    expect(a.fresh("function")).toBe("function_1");
    expect(a.fresh("constructor")).toBe("constructor_1");
    expect(a.fresh("__proto__")).toBe("__proto___1");
    expect(a.fresh("Math")).toBe("Math_1");
    expect(a.fresh("i")).toBe("i_1");
    expect(a.fresh("sigmoid")).toBe("sigmoid_1");
    expect(a.fresh("h")).toBe("h");
    expect(a.fresh("h")).toBe("h_1");
    expect(a.fresh("h_1")).toBe("h_1_1");
    for (const w of ["delete", "this", "toString", "Float64Array", "NaN", "undefined", "eval", "arguments"]) expect(RESERVED.has(w)).toBe(true);
  });

  it("shapes any text into an identifier", () => {
    expect(identifierShape("a-b c")).toBe("a_b_c");
    expect(identifierShape("1x")).toBe("_1x");
    expect(identifierShape("")).toBe("_");
    expect(identifierShape("*/ alert(1) /*")).toMatch(/^[A-Za-z_$][\w$]*$/);
  });
});

describe("comments and literals", () => {
  it("comment text never ends the comment or the line", () => {
    const evil = "x */ ; process.exit(1) /* \n process.exit(2) \r\n \u2028 \u2029 end";
    const c = commentText(evil);
    expect(c).not.toMatch(/\*\//);
    expect(c).not.toMatch(/[\n\r\u2028\u2029]/);
  });

  it("numbers and strings are exact and safe", () => {
    expect(numberLiteral(-2)).toBe("(-2)");
    expect(numberLiteral(-0)).toBe("(-0)");
    expect(numberLiteral(NaN)).toBe("NaN");
    expect(numberLiteral(0.1)).toBe("0.1");
    expect(eval(numberLiteral(1 / 3))).toBe(1 / 3);
    expect(stringLiteral('a"\n\u2028')).toBe('"a\\"\\n\\u2028"');
  });

  it("a file name with a newline and */ still gives a module that loads and runs", async () => {
    const file = "evil*/\nprocess.exit(3)\n/*.net";
    const src = "input x\nf = x^2 # a comment with */ in it\ngrad f wrt x\n";
    const { text } = await compileToText(src, { file });
    expect(text).not.toMatch(/^process\.exit/m);
    const { module } = await compile(src, { file });
    expect(module.meta.file).toBe(file);
    expect(module.gradient([], [Float64Array.of(3)]).grads[0]).toBe(6);
  });
});

describe("unicode names", () => {
  it("keep their letters and stay valid identifiers", () => {
    expect(identifierShape("α")).toBe("α");
    expect(identifierShape("δ2")).toBe("δ2");
    expect(identifierShape("9α")).toBe("_9α");
    expect(identifierShape("a\u200db")).toBe("a_b");
    for (const raw of ["α", "δ2", "ℓ", "x·y", "𝑥"]) expect(() => new Function(`const ${identifierShape(raw)} = 1;`)).not.toThrow();
  });
});
