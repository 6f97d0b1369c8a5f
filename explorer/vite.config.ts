import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { docsPlugin } from './docs-plugin.js';
import { guidePlugin } from './guide-plugin.js';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [guidePlugin(resolve(here, '..')), docsPlugin(resolve(here, '..'))],
  worker: { format: 'es' },
  build: { outDir: resolve(here, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
