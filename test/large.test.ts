/**
 * 50,000,000-element float32 inputs on a representative subset (elementwise mse and bceWithLogits,
 * crossEntropy on a (500000, 100) logit matrix, dice on (12500000, 1, 2, 2) probabilities, the
 * accuracy metric on 50M labels). Each case runs in its own child process (tools/stress.mjs
 * --child, on the TypeScript sources through tsx) so that its peak resident memory is its own; the
 * full walk over every entry is `npm run stress` (results in docs/reliability.md).
 *
 * The bound, per call: the rise of the peak resident memory during evaluate() stays within the
 * outputs + one float64 buffer of the main input's size (8 bytes per element) + 96 MiB of slack, so
 * the inputs are never copied more than once (two float64 copies of a 50M float32 input would be
 * 800 MB, more than the 400 MB allowed); and the rise is at least the gradient's size, which shows
 * the measurement sees the allocations it bounds.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ELEMENTS = 50_000_000;
const SLACK = 96 * 2 ** 20;

interface Report {
  case: string;
  id: string;
  shapes: Record<string, number[]>;
  mainElements: number;
  inputBytes: number;
  outputBytes: number;
  seconds: number;
  peakGrowth: number;
  bound: number;
  finite: boolean | null;
}

function runCase(name: string): Report {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(root, 'tools/stress.mjs'), '--child', name],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LOSSKIT_ENTRY: join(root, 'src/index.ts') },
      timeout: 150_000,
    },
  );
  expect(r.status, `${name}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Report;
}

const MiB = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

describe('50,000,000-element float32 inputs', () => {
  // Losses: the gradient of the main input is float32, 4 bytes per element.
  const losses: [string, number[]][] = [
    ['mse', [ELEMENTS + 1]],
    ['bceWithLogits', [ELEMENTS + 1]],
    ['crossEntropy:NC', [500_000, 100]],
    ['dice', [12_500_000, 1, 2, 2]],
  ];
  for (const [name, shape] of losses) {
    it(`${name} on ${shape.join(' × ')} stays within outputs + one input-sized float64 buffer`, () => {
      const r = runCase(name);
      const main = Object.values(r.shapes)[0];
      expect(main).toEqual(shape);
      expect(r.mainElements).toBe(shape.reduce((a, b) => a * b, 1));
      expect(r.finite).toBe(true);
      // Every float input arrives as float32, so the gradients are float32: 4 bytes per element.
      expect(r.outputBytes).toBeGreaterThanOrEqual(4 * r.mainElements);
      expect(r.bound).toBe(r.outputBytes + 8 * r.mainElements + SLACK);
      expect(r.peakGrowth, `peak +${MiB(r.peakGrowth)}, bound ${MiB(r.bound)}`).toBeLessThanOrEqual(
        r.bound,
      );
      expect(r.peakGrowth).toBeGreaterThanOrEqual(0.9 * 4 * r.mainElements);
    }, 180_000);
  }

  it('accuracy on 50M labels keeps O(C) state: its peak memory barely moves', () => {
    const r = runCase('accuracy');
    // The example has 6 labels; 8,333,333 copies of them are 49,999,998 labels.
    expect(r.mainElements).toBe(49_999_998);
    expect(r.outputBytes).toBe(0);
    expect(r.finite).toBe(true);
    // No gradient, no copy: within the slack alone.
    expect(r.peakGrowth, `peak +${MiB(r.peakGrowth)}`).toBeLessThanOrEqual(SLACK);
  }, 180_000);
});
