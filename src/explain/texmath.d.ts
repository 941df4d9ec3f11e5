// markdown-it-texmath ships no types: the plugin, as src/explain/html.ts uses it.
declare module "markdown-it-texmath" {
  import type MarkdownIt from "markdown-it";
  const texmath: MarkdownIt.PluginWithOptions<{ engine: unknown; delimiters?: string | string[]; katexOptions?: Record<string, unknown> }>;
  export default texmath;
}
