/**
 * The package as it ships, from both module systems: the ESM and CommonJS builds are compiled into a
 * temporary node_modules/losskit (with this package.json and its exports map), and real `node`
 * processes `require('losskit')`, `require('losskit/tfjs')` and import them, computing a loss with
 * the core and through the adapter on the tfjs cpu backend.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, unknown>>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
};

const PROBE_CJS = `
const lk = require('losskit');
const { evaluateTf, kerasLoss } = require('losskit/tfjs');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
tf.setBackend('cpu').then(() => {
  const v = evaluateTf('mse', { input: tf.tensor([1, 2]), target: tf.tensor([0, 0]) });
  const k = kerasLoss('huber', { delta: 0.5 })(tf.tensor([0, 0]), tf.tensor([2, 0.25]));
  let code = '';
  try { lk.evaluate('mse', { input: tf.tensor([1]), target: [0] }); } catch (e) { code = e.code + ' ' + e.message; }
  console.log(JSON.stringify({ n: lk.list().length, core: lk.mse([1, 2], [0, 0]), tf: v.dataSync()[0], keras: k.dataSync()[0], code }));
});
`;

const PROBE_ESM = `
import * as lk from 'losskit';
import { evaluateTf } from 'losskit/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend('cpu');
const v = evaluateTf('mse', { input: tf.tensor([1, 2]), target: tf.tensor([0, 0]) });
console.log(JSON.stringify({ n: lk.list().length, core: lk.mse([1, 2], [0, 0]), tf: v.dataSync()[0] }));
`;

function tsc(config: string, outDir: string): void {
  execFileSync(
    process.execPath,
    [
      resolve(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      resolve(root, config),
      '--outDir',
      outDir,
    ],
    { cwd: root, stdio: 'pipe' },
  );
}

describe('the built package', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'losskit-package-'));
    const home = join(dir, 'node_modules/losskit');
    mkdirSync(home, { recursive: true });
    copyFileSync(resolve(root, 'package.json'), join(home, 'package.json'));
    tsc('tsconfig.build.json', join(home, 'dist'));
    tsc('tsconfig.cjs.json', join(home, 'dist/cjs'));
    execFileSync(process.execPath, [resolve(root, 'tools/cjs-marker.mjs'), join(home, 'dist/cjs')]);
    symlinkSync(resolve(root, 'node_modules/@tensorflow'), join(dir, 'node_modules/@tensorflow'));
  }, 180_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('declares tfjs-core as an optional peer dependency and no runtime dependency', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies?.['@tensorflow/tfjs-core']).toMatch(/^\^4\./);
    expect(pkg.peerDependenciesMeta?.['@tensorflow/tfjs-core']?.optional).toBe(true);
  });

  it('exports the root and ./tfjs with require conditions before import', () => {
    for (const key of ['.', './tfjs']) {
      const e = pkg.exports[key];
      expect(Object.keys(e)[0]).toBe('require');
      expect((e.require as Record<string, string>).default).toMatch(/^\.\/dist\/cjs\//);
      expect(e.import).toMatch(/^\.\/dist\/(tfjs\/)?index\.js$/);
    }
  });

  it('works with require() from CommonJS, the core and the adapter', () => {
    const out = execFileSync(process.execPath, ['-e', PROBE_CJS], { cwd: dir, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(r.n).toBeGreaterThan(20);
    expect(r.core).toBe(2.5); // (1² + 2²)/2
    expect(r.tf).toBe(2.5);
    // huber(δ = 0.5) of residuals 2 and 0.25: (0.5·(2 − 0.25) + 0.5·0.25²)/2 = (0.875 + 0.03125)/2
    expect(r.keras).toBeCloseTo(0.453125, 6);
    expect(r.code).toMatch(/^E_TYPE .*losskit\/tfjs/);
  });

  it('works with import from ES modules', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE_ESM], {
      cwd: dir,
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(r.core).toBe(2.5);
    expect(r.tf).toBe(2.5);
  });

  it('keeps tfjs out of the core: no file under src/core or src/losses imports it', () => {
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const files = [...walk(resolve(root, 'src/core')), ...walk(resolve(root, 'src/losses'))];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/from\s+['"]@tensorflow\//);
    }
  });
});
