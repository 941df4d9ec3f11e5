// The explanation as one self-contained HTML page: the Markdown (./markdown.ts) rendered by
// markdown-it, its math rendered at build time by KaTeX (renderToString, through
// markdown-it-texmath), KaTeX's CSS and fonts inlined (woff2 as data: URLs). Opens offline; no CDN.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import katex from "katex";
import MarkdownIt from "markdown-it";
import texmath from "markdown-it-texmath";
import type { Explanation } from "./model.ts";
import { toMarkdown } from "./markdown.ts";

const PAGE_CSS = `
body { margin: 0; background: #fdfdfc; color: #1d1d1f; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 54rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #ddd; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #e3e3e3; }
h3 { font-size: 1.1rem; margin-top: 2rem; color: #234; }
code { font: .88em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: #f0f0ee; padding: .1em .3em; border-radius: 3px; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: .3rem 0; }
.katex { font-size: 1.08em; }
li { margin: .25rem 0; }
`;

/** KaTeX's stylesheet with its woff2 fonts inlined and the other formats dropped. */
function katexCss(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve("katex/dist/katex.min.css"));
  const css = readFileSync(join(dir, "katex.min.css"), "utf8");
  return css.replace(/src:url\(fonts\/([\w-]+)\.woff2\) format\("woff2"\)(,url\([^)]*\) format\("[a-z]+"\))*/g, (_, font: string) => {
    const data = readFileSync(join(dir, "fonts", `${font}.woff2`)).toString("base64");
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The Markdown of an explanation as HTML (math rendered; a formula KaTeX rejects shows as an error element). */
export function markdownToHtml(markdown: string): string {
  const md = new MarkdownIt({ html: false, linkify: false }).use(texmath, { engine: katex, delimiters: "dollars", katexOptions: { throwOnError: false, strict: "ignore" } });
  return md.render(markdown);
}

export function toHtml(e: Explanation): string {
  const body = markdownToHtml(toMarkdown(e));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>netc explain: ${escapeHtml(e.model)}</title>
<style>${katexCss()}${PAGE_CSS}</style>
</head>
<body>
<main>
${body}</main>
</body>
</html>
`;
}
