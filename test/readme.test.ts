/**
 * The README's TypeScript examples run as written (with `from 'losskit'` pointing at the sources),
 * and every line of the form `expr; // → <number>` really evaluates to that number ('…' marks a
 * truncated decimal that the value must start with).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
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

describe('the README', () => {
  it('has TypeScript examples', () => {
    expect(blocks.length).toBeGreaterThan(1);
  });

  blocks.forEach((code, i) => {
    it(`runs example block ${i + 1} and its stated results hold`, async () => {
      const dir = resolve(root, 'node_modules/.cache/readme-test');
      mkdirSync(dir, { recursive: true });
      const file = resolve(dir, `block-${i + 1}.ts`);
      writeFileSync(file, instrument(code));
      const mod = (await import(pathToFileURL(file).href)) as {
        __claims: [string, unknown, string, boolean][];
      };
      for (const [expr, value, num, truncated] of mod.__claims) {
        expect(typeof value, expr).toBe('number');
        if (truncated)
          expect(String(value).startsWith(num), `${expr} → ${String(value)}`).toBe(true);
        else expect(value, expr).toBe(Number(num));
      }
    });
  });
});
