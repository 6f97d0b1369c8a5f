/**
 * The hand-written guide (docs/guide/choosing-a-loss.md): it links every catalog entry and only
 * real ones, has a section for every task family of the registry, its TypeScript examples run with
 * every `// → x` claim holding, and its console examples print what the CLI prints.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../cli/main.js';
import { list } from '../registry.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const guide = readFileSync(resolve(root, 'docs/guide/choosing-a-loss.md'), 'utf8');
const catalogIds = (
  JSON.parse(readFileSync(resolve(root, 'test/fixtures/catalog.json'), 'utf8')) as {
    sections: { ids: string[] }[];
  }
).sections.flatMap((s) => s.ids);
const linked = [...guide.matchAll(/\[`([A-Za-z0-9]+)`\]\(\.\.\/generated\/([A-Za-z0-9]+)\.md\)/g)];

/** The heading that covers each task family. */
const SECTION_OF: Record<string, string> = {
  regression: '## Regression',
  classification: '## Classification',
  segmentation: '## Segmentation',
  boxes: '## Bounding boxes',
  ranking: '## Ranking',
  generative: '## GANs',
  sequence: '## Sequences',
  graph: '## Graphs',
  metrics: '## Measuring',
};

const CLAIM = /^(\s*)(.+?);\s*\/\/ → (-?\d+(?:\.\d+)?(?:e-?\d+)?)(…?)/;

function instrument(code: string): string {
  const src = code.replace(/from 'losskit'/g, `from '${resolve(root, 'src/index.ts')}'`);
  const lines = src.split('\n').map((line) => {
    const m = CLAIM.exec(line);
    if (!m) return line;
    const [, indent, expr, num, ellipsis] = m;
    return `${indent}__claims.push([${JSON.stringify(expr)}, (${expr}) as unknown, ${JSON.stringify(num)}, ${ellipsis ? 'true' : 'false'}]);`;
  });
  return `const __claims: [string, unknown, string, boolean][] = [];\n${lines.join('\n')}\nexport { __claims };\n`;
}

/** Splits a console command line: words, and '...' single-quoted words. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('the guide to choosing a loss', () => {
  it('links the reference page of every catalog entry', () => {
    const ids = new Set(linked.map((m) => m[1]));
    for (const id of catalogIds) expect(ids.has(id), id).toBe(true);
  });

  it('links only catalog entries, each to its own page', () => {
    for (const [, id, page] of linked) {
      expect(catalogIds, id).toContain(id);
      expect(page).toBe(id);
    }
  });

  it('has a section for every task family in the registry', () => {
    for (const task of new Set(list().map((m) => m.task))) {
      expect(guide, task).toContain(SECTION_OF[task]);
    }
  });

  it('mentions the problems people search for', () => {
    for (const word of [
      'imbalance',
      'outlier',
      'small foreground',
      'bounding box',
      'tiny objects',
    ]) {
      expect(guide.toLowerCase()).toContain(word);
    }
  });

  const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has worked examples with stated results', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) expect(b).toMatch(/\/\/ → /);
  });

  blocks.forEach((code, i) => {
    it(`runs worked example ${i + 1} and its stated results hold`, async () => {
      const dir = resolve(root, 'node_modules/.cache/guide-test');
      mkdirSync(dir, { recursive: true });
      const file = resolve(dir, `block-${i + 1}.ts`);
      writeFileSync(file, instrument(code));
      const mod = (await import(pathToFileURL(file).href)) as {
        __claims: [string, unknown, string, boolean][];
      };
      expect(mod.__claims.length).toBeGreaterThan(0);
      for (const [expr, value, num, truncated] of mod.__claims) {
        expect(typeof value, expr).toBe('number');
        if (truncated)
          expect(String(value).startsWith(num), `${expr} → ${String(value)}`).toBe(true);
        else expect(value, expr).toBe(Number(num));
      }
    });
  });

  const consoles = [...guide.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]);

  consoles.forEach((block, i) => {
    it(`prints console example ${i + 1} as shown`, () => {
      const [command, ...expected] = block.split('\n');
      expect(command.startsWith('$ losskit ')).toBe(true);
      let out = '';
      let err = '';
      const code = run(words(command.slice('$ losskit '.length)), {
        out: (s) => (out += s),
        err: (s) => (err += s),
      });
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(out).toBe(expected.join('\n'));
    });
  });
});
