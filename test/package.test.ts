/**
 * Package-level promises: zero runtime dependencies (so `npm audit --omit=dev` has nothing to audit
 * and no runtime dependency can run an install script), a committed lock file in step with
 * package.json, and a core that runs in browsers (nothing reachable from the package entry imports
 * a Node built-in or a third-party module).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

  it('has no optional or bundled dependencies and no install scripts of its own', () => {
    for (const key of ['optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
      expect(pkg[key], key).toBeUndefined();
    }
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(Object.hasOwn(scripts, hook), `scripts.${hook}`).toBe(false);
    }
  });

  it('commits a lock file in step with package.json', () => {
    const lockPath = resolve(root, 'package-lock.json');
    expect(existsSync(lockPath)).toBe(true);
    if (existsSync(resolve(root, '.git'))) {
      // Throws (failing the test) when git does not track the file.
      execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], {
        cwd: root,
        stdio: 'pipe',
      });
    }
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as {
      lockfileVersion: number;
      packages: Record<string, Record<string, unknown>>;
    };
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const top = lock.packages[''];
    expect(top.dependencies ?? {}).toEqual({});
    expect(top.devDependencies).toEqual(pkg.devDependencies);
    expect(top.peerDependencies).toEqual(pkg.peerDependencies);
  });

  it('installs nothing at run time: every locked package is a development dependency', () => {
    // With no runtime dependency, a user's install of losskit pulls in no package of this lock,
    // so none of their install scripts (esbuild's, core-js's) runs for a user.
    const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
    };
    const runtime = Object.entries(lock.packages).filter(
      ([path, p]) => path !== '' && p.dev !== true,
    );
    expect(runtime.map(([path]) => path)).toEqual([]);
    // The optional peer (@tensorflow/tfjs-core, for losskit/tfjs) has no install script either.
    for (const name of Object.keys((pkg.peerDependencies ?? {}) as Record<string, string>)) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, name).toBeDefined();
      expect(entry.hasInstallScript ?? false, name).toBe(false);
    }
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
