/**
 * Package-level promises: zero runtime dependencies, and a core that runs in browsers (nothing
 * reachable from the package entry imports a Node built-in or a third-party module).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g),
    ].map((m) => m[1]);
    seen.set(file, specs);
    for (const s of specs) {
      if (s.startsWith('.')) stack.push(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

describe('the losskit package', () => {
  it('declares no runtime dependencies', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.sideEffects).toBe(false);
  });

  it('exposes an ESM entry with type declarations and the losskit bin', () => {
    const exp = (pkg.exports as Record<string, Record<string, string>>)['.'];
    expect(exp.types).toBe('./dist/index.d.ts');
    expect(exp.import).toBe('./dist/index.js');
    expect(pkg.type).toBe('module');
    expect((pkg.bin as Record<string, string>).losskit).toBe('./dist/cli/main.js');
  });

  it('imports nothing but its own modules from the package entry (browser-safe, dependency-free)', () => {
    const graph = reachable(resolve(root, 'src/index.ts'));
    expect(graph.size).toBeGreaterThan(5);
    for (const [file, specs] of graph) {
      for (const s of specs) {
        expect(s.startsWith('.'), `${file.slice(root.length + 1)} imports '${s}'`).toBe(true);
      }
      // Relative to the package root, so a checkout under a directory named 'cli' is no match.
      const rel = file.slice(root.length);
      expect(rel.includes('/cli/') || rel.includes('/demo/') || rel.includes('/docs/'), rel).toBe(
        false,
      );
    }
  });
});
