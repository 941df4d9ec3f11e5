// What `netc fmt` prints, on small models written badly on purpose: comments in every kind of place,
// long expressions, parentheses, alignment; and the command itself (--check, --write, errors).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatNet } from "../../src/fmt/index.ts";
import { netcChild, netcHere, scratch } from "../contract/helpers.ts";

const lines = (...ls: string[]) => ls.join("\n") + "\n";

describe("netc fmt layout", () => {
  it("keeps every comment where it was, trailing comments aligned in a column", async () => {
    const source = lines(
      "# header comment",
      "",
      "",
      "model m    # the model's name",
      "dim B = 4",
      "dim Hidden=16 # hidden units",
      "input x: [B, 3]   # features",
      "target y:[B,2]",
      "param W: [3, 2] = xavier;param b: [2]   # sits inside the statement",
      "  = zeros   # bias",
      "# before h",
      "",
      "h = relu(x @ W +   # product",
      "    b)      # activations",
      "            # go on here",
      "out = softmax(h,  # logits",
      "  1)",
      "loss L = cross_entropy(",
      "  # an own-line comment inside a call",
      "  h, y)",
      "train { optimizer = sgd(lr = 0.1) # rate",
      "  epochs = 3",
      "",
      "  # trailing entry comment",
      "}  # after train",
      "# end of file",
    );
    expect(await formatNet(source, "c.net")).toBe(
      lines(
        "# header comment",
        "",
        "model m  # the model's name",
        "dim B      = 4",
        "dim Hidden = 16   # hidden units",
        "input  x: [B, 3]  # features",
        "target y: [B, 2]",
        "param  W: [3, 2] = xavier",
        "# sits inside the statement",
        "param  b: [2]    = zeros  # bias",
        "# before h",
        "",
        "h   = relu(",
        "  x @ W + # product",
        "    b",
        ")  # activations",
        "   # go on here",
        "out = softmax(",
        "  h, # logits",
        "  1",
        ")",
        "loss L = cross_entropy(",
        "  # an own-line comment inside a call",
        "  h,",
        "  y",
        ")",
        "train {",
        "  optimizer = sgd(lr = 0.1)  # rate",
        "  epochs = 3",
        "",
        "  # trailing entry comment",
        "}  # after train",
        "# end of file",
      ),
    );
  });

  it("breaks long expressions after their operators, and long calls between arguments", async () => {
    const source = lines(
      "input x: [4]",
      "param w1: [4] = zeros",
      "param w2: [4] = zeros",
      "loss L = sum(w1 * x) * 0.5 + mean(w2 * x * x) / 3 - sum(softplus(w1 @ w2 - x * 2 + logsumexp(x, 0))) + 1",
      "output long_name_for_an_output = sigmoid(w1 * x + w2 * x * x - w1 * w2 * x * x * x + w1 * w2 * w1 * x)",
    );
    const out = await formatNet(source, "long.net");
    expect(out).toBe(
      lines(
        "input x:  [4]",
        "param w1: [4] = zeros",
        "param w2: [4] = zeros",
        "loss L = sum(w1 * x) * 0.5 +",
        "  mean(w2 * x * x) / 3 -",
        "  sum(softplus(w1 @ w2 - x * 2 + logsumexp(x, 0))) +",
        "  1",
        "output long_name_for_an_output = sigmoid(",
        "  w1 * x + w2 * x * x - w1 * w2 * x * x * x + w1 * w2 * w1 * x",
        ")",
      ),
    );
    for (const line of out.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(await formatNet(source, "long.net", { printWidth: 200 })).toContain("loss L = sum(w1 * x) * 0.5 + mean(w2 * x * x) / 3 - sum(");
  });

  it("keeps exactly the parentheses the meaning needs, and canonical spacing", async () => {
    const source = "input a\ninput b\ninput c\nf=((a+b))+c-(a-(b-c))*(-a)^2+2^-a^b-(-a)^-(b+c)+a/(b*c)+(a/b)*c; g = - -a\ngrad f wrt a\n";
    expect(await formatNet(source, "p.net", { printWidth: 120 })).toBe(
      lines("input a", "input b", "input c", "f = a + b + c - (a - (b - c)) * (-a)^2 + 2^-a^b - (-a)^-(b + c) + a / (b * c) + a / b * c", "g = --a", "grad f wrt a"),
    );
  });

  it("aligns Unicode names by their display width (wide characters take two columns)", async () => {
    const source = "input  x: [2]\nparam σ:[2]=zeros\nparam 重み: [2] = zeros  # wide\nŷ = σ*x+重み # pred\nloss L = sum(ŷ^2)\n";
    expect(await formatNet(source, "u.net")).toBe(
      lines("input x:    [2]", "param σ:    [2] = zeros", "param 重み: [2] = zeros  # wide", "ŷ = σ * x + 重み         # pred", "loss L = sum(ŷ^2)"),
    );
  });

  it("works inside prettier itself: a *.net file picks the netc parser from the plugin", async () => {
    const prettier = await import("prettier");
    const { default: plugin } = await import("../../src/fmt/plugin.ts");
    const info = await prettier.getFileInfo("models/m.net", { plugins: [plugin] });
    expect(info.inferredParser).toBe("netc");
    const source = "input  x\nf=x*x   # square\ngrad f wrt x\n";
    expect(await prettier.format(source, { filepath: "models/m.net", plugins: [plugin] })).toBe("input x\nf = x * x  # square\ngrad f wrt x\n");
    expect(await prettier.check("input x\nf = x * x\n", { parser: "netc", plugins: [plugin] })).toBe(true);
  });

  it("an empty train block, a file of comments only, an empty file, CRLF and lone-CR line ends", async () => {
    expect(await formatNet("param w = 1\nloss L = w^2\ntrain {\n\n}\n", "t.net")).toBe("param w = 1\nloss L = w^2\ntrain {}\n");
    expect(await formatNet("# only\n\n\n# comments", "c.net")).toBe("# only\n\n# comments\n");
    expect(await formatNet("", "e.net")).toBe("");
    expect(await formatNet("input x\r\nf = x*x # c\r\ngrad f wrt x", "crlf.net")).toBe("input x\nf = x * x  # c\ngrad f wrt x\n");
    expect(await formatNet("input x\rf = x*x # c\rgrad f wrt x\r", "cr.net")).toBe("input x\nf = x * x  # c\ngrad f wrt x\n");
  });

  it("indexing: canonical spacing, and one item per line when a comment ends a line inside the brackets", async () => {
    expect(await formatNet("input x: [3, 4]\ny = ( x+1 ) [ -1 , 1 : ] [0]\n", "i.net")).toBe(lines("input x: [3, 4]", "y = (x + 1)[-1, 1:][0]"));
    const source = "input x: [3, 4]\ny = x[1, # the row\n  :2] + pad(x, [0, 1], [1, 0])[0:3, 1:]\n";
    const out = await formatNet(source, "c.net");
    expect(out).toBe(lines("input x: [3, 4]", "y = x[", "  1, # the row", "  :2", "] +", "  pad(x, [0, 1], [1, 0])[0:3, 1:]"));
    expect(await formatNet(out, "c.net")).toBe(out);
  });

  it("a keyword argument named like a statement keyword never starts a line", async () => {
    const source = `input x: [2, 3]\nloss L = sum(sum(x * 1.000000000001 + x * 2.000000000002 + x * 3.00000000003, dim = 1), dim = 0)\n`;
    const out = await formatNet(source, "k.net");
    expect(out).not.toMatch(/^\s*dim =/m);
  });
});

describe("the netc fmt command", () => {
  const tmp = scratch("fmt");
  const ugly = "input  x\nf=x*x   # square\ngrad f wrt x\n";
  const pretty = "input x\nf = x * x  # square\ngrad f wrt x\n";

  it("prints the formatted text", async () => {
    const r = await netcHere("fmt", tmp.file("print.net", ugly));
    expect(r).toMatchObject({ code: 0, stdout: pretty, stderr: "" });
  });

  it("--check lists the unformatted files and exits 1; 0 when all are formatted", async () => {
    const bad = tmp.file("bad.net", ugly);
    const good = tmp.file("good.net", pretty);
    const r = await netcHere("fmt", "--check", bad, good);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${bad}\n`);
    expect(r.stderr).toContain("1 of 2 files not formatted");
    expect(await netcHere("fmt", "--check", good)).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(bad, "utf8")).toBe(ugly); // --check writes nothing
  });

  it("--write rewrites the files that change, and lists them", async () => {
    const bad = tmp.file("w-bad.net", ugly);
    const good = tmp.file("w-good.net", pretty);
    const r = await netcHere("fmt", "--write", bad, good);
    expect(r).toMatchObject({ code: 0, stdout: `${bad}\n` });
    expect(readFileSync(bad, "utf8")).toBe(pretty);
    expect(readFileSync(good, "utf8")).toBe(pretty);
  });

  it("reports a syntax error as FILE:LINE:COL, goes on with the other files, exits 1", async () => {
    const broken = tmp.file("broken.net", "input x\nf = (x +\n");
    const good = tmp.file("e-good.net", ugly);
    const r = await netcHere("fmt", "--write", broken, good);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:9: error: expected an expression`));
    expect(readFileSync(good, "utf8")).toBe(pretty);
    expect((await netcHere("fmt", tmp.dir + "/missing.net")).code).toBe(2);
  });

  it("as a user runs it: the examples are formatted, and formatting keeps `--emit ir`", async () => {
    const check = await netcChild(["fmt", "--check", "examples/xor.net", "examples/mnist_mlp.net"]);
    expect(check).toMatchObject({ code: 0, stdout: "" });
    const source = "input  a = 2\ntarget d=1\nparam  w = 0.8\nf=a*w\nloss C=(f-d)^2\ntrain{optimizer=sgd(lr=0.1)  steps=25}\n";
    const before = tmp.file("ir-before.net", source);
    const after = tmp.file("ir-after.net", source);
    expect((await netcChild(["fmt", "--write", after])).code).toBe(0);
    expect(readFileSync(after, "utf8")).toBe(readFileSync("examples/simple.net", "utf8").replace(/^(#.*\n)*/, ""));
    const irBefore = await netcChild(["compile", before, "--emit", "ir"]);
    const irAfter = await netcChild(["compile", after, "--emit", "ir"]);
    expect(irBefore.code).toBe(0);
    expect(irAfter.stdout).toBe(irBefore.stdout);
  });
});
