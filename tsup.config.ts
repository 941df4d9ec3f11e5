// The package build (`npm run build`, run by `prepack`): dist/index.js (ES module), dist/index.cjs
// (CommonJS) and their .d.ts / .d.cts for the library, the same for dist/prettier-plugin.* (the
// formatter of .net files as a prettier plugin: `"plugins": ["netc/prettier-plugin"]`); dist/cli.js
// for the command, split at the dynamic imports so each command loads only its own code.
// Dependencies stay imports (they are the package's own dependencies); grammar/ ships beside
// dist/ and is read at run time.
import { defineConfig } from "tsup";

const common = { platform: "node", target: "node20", outDir: "dist", sourcemap: false, shims: true } as const;

export default defineConfig([
  { ...common, entry: { index: "src/index.ts", "prettier-plugin": "src/fmt/plugin.ts" }, format: ["esm", "cjs"], dts: true, splitting: false },
  { ...common, entry: { cli: "src/cli.ts" }, format: ["esm"], splitting: true },
]);
