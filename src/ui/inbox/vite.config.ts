import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The agent inbox (React, built by `npm run build` into dist/ui/inbox and served at `/`).
 * JSX goes through esbuild's automatic runtime: no React plugin needed for a production build.
 */
export default defineConfig({
  root: here,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../../../dist/ui/inbox', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/widget': 'http://127.0.0.1:3000', '/widget.js': 'http://127.0.0.1:3000' } },
});
