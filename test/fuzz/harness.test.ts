/** The fuzz harness itself: its checks detect what they are meant to detect. */
import { describe, expect, it } from 'vitest';
import { list } from '../../src/index.js';
import type { Probe } from './harness.js';
import { entryCases, runProbe, sameValue } from './harness.js';

const mse = list().find((e) => e.id === 'mse');
if (mse === undefined) throw new Error('mse is not registered');

function probe(inputs: Record<string, unknown>, options: unknown): Probe {
  return { entry: mse!, exampleIndex: 0, inputs, options, grad: true, label: 'self-test' };
}

describe('the fuzz harness', () => {
  it('passes a valid call and a call that throws a LossError', () => {
    expect(runProbe(probe({ input: [1, 2], target: [0, 1] }, {}))).toBeNull();
    expect(runProbe(probe({ input: [1, 2], target: [0] }, {}))).toBeNull();
  });

  it('reports an exception that is not a LossError', () => {
    // The harness's own snapshot reads the getter once; the library's read throws.
    let reads = 0;
    const options = {
      get reduction(): string {
        reads++;
        if (reads > 1) throw new TypeError('boom');
        return 'mean';
      },
    };
    expect(runProbe(probe({ input: [1], target: [0] }, options))).toMatch(/^threw TypeError: boom/);
  });

  it('compares values bit for bit: −0 differs from 0, NaN equals NaN, dtypes differ', () => {
    expect(sameValue([NaN, 1], [NaN, 1])).toBe(true);
    expect(sameValue([-0], [0])).toBe(false);
    expect(sameValue(new Float32Array([1]), new Float64Array([1]))).toBe(false);
    expect(sameValue(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(sameValue({ data: new Float64Array([1]) }, { data: new Float64Array([1]) })).toBe(true);
  });

  it('walks every registry entry that has examples', () => {
    const ids = new Set(entryCases().map((c) => c.entry.id));
    expect(ids.size).toBe(list().filter((e) => e.examples.length > 0).length);
    expect(ids.size).toBeGreaterThanOrEqual(101);
  });
});
