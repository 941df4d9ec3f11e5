// Error positions around the characters and line endings that are easy to miscount: invisible or
// control characters at the start of a line, a leading byte-order mark, and `\r\n` / lone `\r`
// line endings. Each error must carry the exact LINE:COL of the offending place.
import { describe, expect, it } from "vitest";
import { formatDiagnostic, lineCol, NetcError } from "../../src/diagnostics.ts";
import { frontEnd } from "../../src/index.ts";
import { LineIndex } from "../../src/parse/lines.ts";
import { parse } from "../../src/parse/index.ts";
import { errorLines, errorsOf } from "./helpers.ts";

interface Case {
  scenario: string;
  source: string;
  /** `LINE:COL: MESSAGE` of every error, exactly. */
  errors: string[];
}

const cases: Case[] = [
  // A character that is no part of the language, at the start of a line: reported where it is.
  { scenario: "U+200B at the start of a line", source: "input x\n\u200bf = x\n", errors: ["2:1: unexpected character U+200B"] },
  { scenario: "NUL at the start of a line", source: "input x\n\u0000f = x\n", errors: ["2:1: unexpected character U+0000"] },
  { scenario: "U+200B indented at the start of a line", source: "input x\n  \u200bf = x\n", errors: ["2:3: unexpected character U+200B"] },
  { scenario: "U+00A0 at the start of a line", source: "input x\n\u00a0f = x\n", errors: ["2:1: unexpected character U+00A0"] },
  { scenario: "U+200B in the middle of a line", source: "input x\nf = x\u200b\n", errors: ["2:6: unexpected character U+200B"] },
  { scenario: "NUL after a comment line", source: "input x\n# note\n\u0000\n", errors: ["3:1: unexpected character U+0000"] },
  { scenario: "'$' at the start of a line", source: "input x\n$ y = x\n", errors: ["2:1: unexpected '$': expected the start of a statement"] },
  { scenario: "U+200B at the start of a CR-only line", source: "input x\r\u200bf = x\r", errors: ["2:1: unexpected character U+200B"] },
  { scenario: "U+200B at the start of a CRLF line", source: "input x\r\n\u200bf = x\r\n", errors: ["2:1: unexpected character U+200B"] },

  // A leading byte-order mark: columns count from the first real character.
  { scenario: "BOM, error on line 1", source: "\ufeffinput x $\n", errors: ["1:9: unexpected '$': expected the start of a statement"] },
  { scenario: "BOM, error at line 1 column 1", source: "\ufeff$\n", errors: ["1:1: unexpected '$': expected the start of a statement"] },
  { scenario: "BOM, error on line 2", source: "\ufeffinput x\ny = x $ 2\n", errors: ["2:7: unexpected '$': expected an operator or the start of a statement"] },
  { scenario: "BOM, checker error on line 1", source: "\ufeffinput x\ny = qqqq\n", errors: ["2:5: unknown name 'qqqq'"] },
  { scenario: "BOM, unclosed bracket named by its position", source: "\ufeffinput x: [3, 4\n", errors: ["1:15: expected ']' to close the '[' at 1:10, found end of file"] },

  // `\r\n` and lone `\r` line endings.
  { scenario: "CRLF, error on line 3", source: "input x\r\nloss L = x^2\r\ny = x $ 2\r\n", errors: ["3:7: unexpected '$': expected an operator or the start of a statement"] },
  { scenario: "CR-only, error on line 3", source: "input x\rloss L = x^2\ry = x $ 2\r", errors: ["3:7: unexpected '$': expected an operator or the start of a statement"] },
  { scenario: "CR-only, statement cut off at a line end", source: "input x\ry = x +\rz = 1\r", errors: ["2:8: expected an expression, found end of line"] },
  { scenario: "CR-only, unclosed parenthesis", source: "input x\ry = sigmoid(x * 2\rloss L = y", errors: ["2:18: expected ')' to close the '(' at 2:12, found end of line"] },
  { scenario: "CR-only, checker error on line 2", source: "input x\ry = qqqq\r", errors: ["2:5: unknown name 'qqqq'"] },
  { scenario: "CR-only, a comment ends at the CR", source: "input x # note\ry = qqqq # note\r", errors: ["2:5: unknown name 'qqqq'"] },
  { scenario: "mixed endings, error on line 4", source: "input x\r\ny = x\rz = y\nw = x $ 2", errors: ["4:7: unexpected '$': expected an operator or the start of a statement"] },
];

describe("error positions", () => {
  for (const c of cases) {
    it(c.scenario, () => {
      expect(errorLines(c.source)).toEqual(c.errors);
    });
  }
});

const MODEL = ["# a small model", "model tiny", "input x: [4]", "param w: [4] = 1 # weights", "y = sum(x * w)", "loss L = (y - 1)^2", "train {", "  steps = 3", "}", ""];

describe("line endings", () => {
  for (const [name, eol] of [["LF", "\n"], ["CRLF", "\r\n"], ["CR-only", "\r"]] as const) {
    it(`a ${name} file checks without errors`, () => {
      expect(errorsOf(MODEL.join(eol))).toEqual([]);
      expect(() => frontEnd(MODEL.join(eol))).not.toThrow();
    });
    it(`a ${name} file reports a later error at its line`, () => {
      const lines = [...MODEL];
      lines.splice(5, 0, "z = y + oops");
      expect(errorLines(lines.join(eol))).toEqual(["6:9: unknown name 'oops'"]);
    });
    it(`a ${name} file gives statements the same positions as LF`, () => {
      const spans = (src: string) => parse(src, "t.net").statements.map((s) => `${s.span.line}:${s.span.col}`);
      expect(spans(MODEL.join(eol))).toEqual(spans(MODEL.join("\n")));
    });
  }
});

describe("byte-order mark through the library", () => {
  it("parse() reads a file with a leading BOM", () => {
    const source = `\ufeff${MODEL.join("\n")}`;
    const program = parse(source, "t.net");
    const first = program.statements[0]!;
    expect(`${first.span.line}:${first.span.col}`).toBe("2:1");
    expect(() => frontEnd(source)).not.toThrow();
  });
  it("spans still index the original string", () => {
    const source = "\ufeffinput x $\n";
    const [d] = errorsOf(source);
    expect(source.slice(d!.span.start, d!.span.start + 1)).toBe("$");
    expect(d!.span.col).toBe(9);
  });
  it("the first statement of a BOM file is at 1:1", () => {
    const program = parse("\ufeffinput x\nloss L = x^2\n", "t.net");
    expect(program.statements.map((s) => `${s.span.line}:${s.span.col}`)).toEqual(["1:1", "2:1"]);
  });
  it("frontEnd reports an error after a BOM at the right column", () => {
    try {
      frontEnd("\ufeffinput x $\n");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NetcError);
      expect((err as NetcError).message).toBe("model.net:1:9: error: unexpected '$': expected the start of a statement\ninput x $\n        ^");
    }
  });
});

describe("lineCol and formatDiagnostic", () => {
  it("count \\r\\n as one break and a lone \\r as one break", () => {
    expect(lineCol("a\r\nb", 3)).toEqual({ line: 2, col: 1 });
    expect(lineCol("a\r\nb", 1)).toEqual({ line: 1, col: 2 });
    expect(lineCol("a\rb", 2)).toEqual({ line: 2, col: 1 });
    expect(lineCol("a\r\rb", 3)).toEqual({ line: 3, col: 1 });
    expect(lineCol("a\n\rb", 3)).toEqual({ line: 3, col: 1 });
    expect(lineCol("a\nb", 2)).toEqual({ line: 2, col: 1 });
  });
  it("skip a leading BOM in line 1's columns", () => {
    expect(lineCol("\ufeffab", 0)).toEqual({ line: 1, col: 1 });
    expect(lineCol("\ufeffab", 1)).toEqual({ line: 1, col: 1 });
    expect(lineCol("\ufeffab", 2)).toEqual({ line: 1, col: 2 });
    expect(lineCol("\ufeffa\nb", 3)).toEqual({ line: 2, col: 1 });
  });
  it("LineIndex agrees with lineCol at every offset", () => {
    for (const source of ["a\r\nbc\rd\n\r\nef\r", "\ufeffx\ry\r\n", "", "\r", "\n\r", "abc"]) {
      const index = new LineIndex(source);
      for (let o = 0; o <= source.length; o++) expect(index.lineCol(o), `${JSON.stringify(source)} @${o}`).toEqual(lineCol(source, o));
    }
  });
  it("echo the right line of a CR-only file", () => {
    const source = "input x\ry = x $ 2\rz = 1";
    const text = formatDiagnostic({ severity: "error", message: "m", span: { start: 14, end: 14, line: 2, col: 7 } }, "f.net", source);
    expect(text).toBe("f.net:2:7: error: m\ny = x $ 2\n      ^");
  });
  it("echo the right line of a CRLF file", () => {
    const source = "input x\r\ny = x $ 2\r\n";
    const text = formatDiagnostic({ severity: "error", message: "m", span: { start: 15, end: 15, line: 2, col: 7 } }, "f.net", source);
    expect(text).toBe("f.net:2:7: error: m\ny = x $ 2\n      ^");
  });
  it("show an invisible character as '?' so the caret sits under it", () => {
    try {
      parse("input x\n\u200bf = x\n", "f.net");
      expect.unreachable();
    } catch (err) {
      expect((err as NetcError).message).toBe("f.net:2:1: error: unexpected character U+200B\n?f = x\n^");
    }
  });
});
