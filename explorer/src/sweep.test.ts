/**
 * The explorer's plots for every registry entry: the sweep the entry page draws evaluates at every
 * point, varies, and (for losses) its analytic gradient agrees with the finite-difference overlay,
 * except where the reference implementation detaches a term on purpose.
 */
import { describe, expect, it } from 'vitest';
import { list } from '../../src/index.js';
import { mainInput, rangeFor, sweep } from './sweep.js';

/** Entries whose gradient is not the derivative of the value, by design of the reference. */
const DETACHED: Record<string, string> = {
  ciou: "torchvision's complete_box_iou_loss computes the aspect-ratio weight α under no_grad",
  completeBoxIou: 'the same α as ciou, computed under no_grad',
  wiou: 'the distance denominator and the focusing factor are detached in the reference',
};

/** Sweeps that are flat by nature on the entry's first example. */
const FLAT: Record<string, string> = {
  confusionMatrix: "the example's predictions are labels, so the threshold changes nothing",
};

describe('the explorer sweep', () => {
  it('covers the whole registry', () => {
    expect(list().length).toBeGreaterThanOrEqual(100);
  });

  for (const meta of list()) {
    it(`${meta.id}: evaluates at every point of its plot and the curve varies`, () => {
      const s = sweep(meta, {});
      expect(s.error).toBeNull();
      expect(s.values.every(Number.isFinite)).toBe(true);
      const distinct = new Set(s.values.map((v) => v.toPrecision(10))).size;
      if (Object.hasOwn(FLAT, meta.id)) expect(distinct).toBe(1);
      else expect(distinct).toBeGreaterThanOrEqual(2);
    });

    if (meta.kind === 'loss') {
      it(`${meta.id}: the analytic gradient ${Object.hasOwn(DETACHED, meta.id) ? 'differs from' : 'matches'} the finite-difference overlay`, () => {
        const s = sweep(meta, {});
        expect(s.grads).not.toBeNull();
        expect(s.fd!.xs.length).toBeGreaterThanOrEqual(10);
        const mismatches = s.fd!.xs.filter((x, i) => {
          const analytic = s.grads![s.xs.indexOf(x)];
          const fd = s.fd!.grads[i];
          return !(Math.abs(analytic - fd) <= 1e-4 * Math.max(1, Math.abs(fd)));
        });
        if (Object.hasOwn(DETACHED, meta.id)) expect(mismatches.length).toBeGreaterThan(0);
        else expect(mismatches).toEqual([]);
      });
    }
  }

  it('sweeps probabilities inside (0, 1) and log-probabilities below 0', () => {
    expect(rangeFor('probabilities', 0.3, [0.3])).toEqual([0.005, 0.995]);
    const [lo, hi] = rangeFor('logProbabilities', -1, [-1]);
    expect(lo).toBe(-5);
    expect(hi).toBeLessThan(0);
  });

  it('sweeps a metric with a threshold over the threshold, with no gradient', () => {
    const f1 = list().find((m) => m.id === 'f1Score')!;
    const s = sweep(f1, {});
    expect(s.xLabel).toBe('threshold');
    expect(s.grads).toBeNull();
    expect(s.xs[0]).toBeCloseTo(0.01, 12);
  });

  it('sweeps the first differentiable input of a loss', () => {
    const huber = list().find((m) => m.id === 'huber')!;
    expect(mainInput(huber).name).toBe('input');
    expect(sweep(huber, { delta: 0.5 }).xLabel).toMatch(/^input\[0\]/);
  });
});
