/**
 * A Vite plugin serving the explorer's build-time documents, read from the repository when the app is
 * built (so the explorer never holds a copy of their numbers or text):
 *
 * - `virtual:diou`: the DIoU simulation written by `npm run repro:diou` (docs/diou-simulation/
 *   diou-paper.json and diou-exact.json: the per-step error curves of both gradient modes) and its
 *   README rendered to HTML. A missing file leaves its mode out.
 * - `virtual:benchmarks`: docs/benchmarks.md if it exists, else bench/RESULTS.md (`npm run bench`),
 *   rendered to HTML, with the path it came from; both missing gives `source: null`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked } from 'marked';
import type { Plugin } from 'vite';

export interface DiouMode {
  mode: string;
  file: string;
  points: number;
  cases: number;
  steps: number;
  curves: Record<string, number[]>;
}

/** Relative links of a rendered document become plain text (the explorer has no page for them). */
function unlinkRelative(html: string): string {
  return html.replace(
    /<a href="(?!https?:)[^"]*">([\s\S]*?)<\/a>/g,
    '<span class="doc-link">$1</span>',
  );
}

function render(markdown: string): string {
  return unlinkRelative(marked.parse(markdown, { async: false }));
}

export function loadDiou(root: string): { modes: DiouMode[]; readme: string } {
  const dir = resolve(root, 'docs/diou-simulation');
  const modes: DiouMode[] = [];
  for (const mode of ['paper', 'exact']) {
    const file = resolve(dir, `diou-${mode}.json`);
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      meta: {
        mode: string;
        points: number;
        cases: number;
        steps: number;
        curves: Record<string, number[]>;
      };
    };
    const { meta } = json;
    modes.push({
      mode: meta.mode,
      file: `docs/diou-simulation/diou-${mode}.json`,
      points: meta.points,
      cases: meta.cases,
      steps: meta.steps,
      curves: meta.curves,
    });
  }
  const readmeFile = resolve(dir, 'README.md');
  const readme = existsSync(readmeFile)
    ? render(readFileSync(readmeFile, 'utf8').replace(/^# .*\n/, ''))
    : '';
  return { modes, readme };
}

export function loadBenchmarks(root: string): { source: string | null; html: string } {
  for (const source of ['docs/benchmarks.md', 'bench/RESULTS.md']) {
    const file = resolve(root, source);
    if (existsSync(file)) return { source, html: render(readFileSync(file, 'utf8')) };
  }
  return { source: null, html: '' };
}

export function docsPlugin(root: string): Plugin {
  const modules: Record<string, () => string> = {
    'virtual:diou': () => {
      const d = loadDiou(root);
      return `export const modes = ${JSON.stringify(d.modes)};\nexport const readme = ${JSON.stringify(d.readme)};\n`;
    },
    'virtual:benchmarks': () => {
      const b = loadBenchmarks(root);
      return `export const source = ${JSON.stringify(b.source)};\nexport const html = ${JSON.stringify(b.html)};\n`;
    },
  };
  return {
    name: 'losskit-docs',
    resolveId: (id) => (Object.hasOwn(modules, id) ? `\0${id}` : null),
    load(id) {
      if (!id.startsWith('\0')) return null;
      const name = id.slice(1);
      if (!Object.hasOwn(modules, name)) return null;
      for (const f of [
        'docs/diou-simulation/diou-paper.json',
        'docs/diou-simulation/diou-exact.json',
        'docs/diou-simulation/README.md',
        'docs/benchmarks.md',
        'bench/RESULTS.md',
      ])
        if (existsSync(resolve(root, f))) this.addWatchFile(resolve(root, f));
      return modules[name]();
    },
  };
}
