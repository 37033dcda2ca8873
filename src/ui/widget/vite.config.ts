import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The chat widget (TypeScript, built by `npm run build` into dist/ui/widget): one self-contained
 * classic script, no dependencies, served at GET /widget.js; `public/demo.html` is copied next to
 * it and served at GET /demo.
 */
export default defineConfig({
  root: here,
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/ui/widget', import.meta.url)),
    emptyOutDir: true,
    // Served alone at /widget.js: a map reference would only 404 on customers' sites.
    sourcemap: false,
    lib: { entry: 'src/widget.ts', formats: ['iife'], name: 'SwitchboardWidget', fileName: () => 'widget.js' },
  },
});
