// docs/explain.md shows the tutorials' derivations as `netc explain` prints them (XOR, seed 003;
// the 5-2-4-3-3-1 network, seed 002; both chain-rule exercises, seed 004). Each section between
// `<!-- netc explain FILE -->` and `<!-- end -->` must equal the command's output (headings one
// level down); NETC_UPDATE_GOLDEN=1 rewrites them. The lines of the generated module the steps
// cite are compared as "line N": a change to code generation moves them without making the
// derivations stale (regenerate now and then to refresh them).
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explainSource } from "../../src/explain/index.ts";
import { toMarkdown } from "../../src/explain/markdown.ts";

const DOC = "docs/explain.md";
const SECTION = /<!-- netc explain (\S+) -->\n[\s\S]*?<!-- end -->/g;

async function section(file: string): Promise<string> {
  const md = toMarkdown(await explainSource(readFileSync(file, "utf8"), { file }));
  return `<!-- netc explain ${file} -->\n${md.replace(/^#/gm, "##")}<!-- end -->`;
}

describe("docs/explain.md", () => {
  it("holds the tutorials' derivations exactly as netc explain prints them", async () => {
    const text = readFileSync(DOC, "utf8");
    const files = [...text.matchAll(SECTION)].map((m) => m[1]!);
    expect(files).toEqual(["examples/xor.net", "examples/net_5_2_4_3_3_1.net", "examples/chain_rule_1.net", "examples/chain_rule_2.net"]);
    const fresh = new Map<string, string>();
    for (const f of files) fresh.set(f, await section(f));
    const expected = text.replace(SECTION, (_, f: string) => fresh.get(f)!);
    if (process.env.NETC_UPDATE_GOLDEN === "1" && expected !== text) writeFileSync(DOC, expected);
    else {
      const cited = (t: string) => t.replace(/computed at line \d+ of the generated module/g, "computed at line N of the generated module");
      expect(cited(text), "docs/explain.md is stale: NETC_UPDATE_GOLDEN=1 npx vitest run test/explain/docs.test.ts").toBe(cited(expected));
    }
  });
});
