// What a reader sees: the Markdown of every example is math KaTeX renders with throwOnError (the
// subset GitHub's MathJax also renders: no unsupported macro passes), and the HTML page of every
// example opens in headless Chromium (Debian's, driven by playwright-core; nothing downloaded)
// with no KaTeX error element, no request leaving the page, and its math laid out.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import katex from "katex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { explainSource } from "../../src/explain/index.ts";
import { toMarkdown } from "../../src/explain/markdown.ts";
import { toHtml } from "../../src/explain/html.ts";
import { INTERNAL_CALL } from "../support/examples.ts";

const EXAMPLES = readdirSync("examples").filter((f) => f.endsWith(".net")).map((f) => `examples/${f}`);
const OUT = join(".netc-cache", "explain-screens");

/** Every $…$ and $$…$$ formula of a Markdown text. */
function formulas(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/\$\$\n?([\s\S]+?)\n?\$\$|\$([^$\n]+)\$/g)) out.push((m[1] ?? m[2])!);
  return out;
}

describe("the Markdown's math renders with KaTeX's throwOnError", () => {
  it.each(EXAMPLES)("%s", async (file) => {
    const md = toMarkdown(await explainSource(readFileSync(file, "utf8"), { file }));
    const math = formulas(md);
    expect(math.length).toBeGreaterThan(3);
    for (const tex of math) expect(() => katex.renderToString(tex, { throwOnError: true, strict: "error" }), tex).not.toThrow();
    // internal op names never reach the reader; `keepdims = true` is .net syntax (contract v2), so it
    // may appear in .net code spans (the user's own lines, the steps in .net), never in the math or the prose
    expect(md).not.toMatch(INTERNAL_CALL);
    // gradient ops print under their .net built-in names (maxpool2d_input), not the IR's (maxpool2d_grad)
    expect(md).not.toMatch(/\\_grad\b/);
    expect(md.replace(/`[^`\n]*`/g, "")).not.toMatch(/keepdims/);
    // a number next to a number or a fraction takes a dot: "1 \frac{1}{2N}" reads as a mixed number
    for (const tex of math) expect(tex, tex).not.toMatch(/\d(?: |\\,)+(?:\\frac|\d)/);
  });
});

describe("the HTML page opens offline in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => browser?.close());

  it.each(EXAMPLES)("%s", async (file) => {
    const html = toHtml(await explainSource(readFileSync(file, "utf8"), { file }));
    const path = join(OUT, file.replace(/^examples\//, "").replace(/\.net$/, ".html"));
    writeFileSync(path, html);
    const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
    const requests: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) requests.push(r.url());
    });
    await page.goto(`file://${join(process.cwd(), path)}`);
    expect(await page.locator(".katex-error").count()).toBe(0);
    expect(await page.locator(".katex-display").count()).toBeGreaterThan(0);
    // KaTeX's own font is in use (inlined, not fetched), and nothing was requested from outside
    expect(await page.evaluate(() => document.fonts.check("16px KaTeX_Main"))).toBe(true);
    expect(requests).toEqual([]);
    await page.screenshot({ path: path.replace(/\.html$/, ".png") });
    await page.close();
  });
});
