import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mape } from './mape.js';

describe('mape', () => {
  describe('golden values (Keras MeanAbsolutePercentageError element values)', () => {
    goldenTests('mape');
  });

  describe('gradients', () => {
    it('matches central finite differences away from x = y', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => Math.cos(i) + 2);
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('mape', { input, target }, { reduction });
      }
    });
    it('is 0 at a perfect prediction and ±100/max(|y|, 1e-7) elsewhere', () => {
      const { grads } = mape.valueAndGrad([2, 3, -1, 1], [2, 4, -4, 0], { reduction: 'sum' });
      expect(Array.from(grads.input.data)).toEqual([0, -25, 25, 1e9]);
    });
    it('gives a NaN prediction gradient 0 and a NaN target gradient NaN, as torch', () => {
      // torch: sgn(NaN) = 0 for a NaN prediction; a NaN target makes the slope 100/max(|y|, ε) NaN.
      const { grads } = mape.valueAndGrad([NaN, 2, 3], [1, NaN, 4], { reduction: 'sum' });
      expect(Math.abs(grads.input.data[0])).toBe(0);
      expect(grads.input.data[1]).toBeNaN();
      expect(grads.input.data[2]).toBe(-25);
    });
  });

  describe('identities', () => {
    it('is 100·|y − x|/|y| for targets away from 0', () => {
      expectClose(mape([110, -45], [100, -50], { reduction: 'sum' }) as number, 10 + 10);
    });
    it('is scale invariant: scaling both arguments leaves it unchanged', () => {
      const x = [1.5, -2, 3];
      const y = [1, -2.5, 4];
      expectClose(
        mape(
          x.map((v) => v * 8),
          y.map((v) => v * 8),
        ) as number,
        mape(x, y) as number,
      );
    });
  });

  describe('reductions', () => {
    it("averages the 'none' values under 'mean'", () => {
      // none: 100·|1 − 2|/1 = 100 and 100·|3 − 4|/3 = 100/3
      const none = mape([2, 4], [1, 3], { reduction: 'none' }) as { data: Float64Array };
      expectClose(none.data[0], 100);
      expectClose(none.data[1], 100 / 3);
      // mean: (100·|2 − 1|/2 + 100·|4 − 3|/4)/2 = (50 + 25)/2
      expectClose(mape([1, 3], [2, 4]) as number, 37.5);
    });
  });

  describe('edge cases', () => {
    it('floors |target| at 1e-7: a zero target gives 1e9 · |x|', () => {
      expect(mape([2], [0])).toBe(2e9);
    });
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(mape(empty, empty)).toBe(0);
    });
    it('propagates NaN and Infinity', () => {
      expect(mape([NaN], [1])).toBeNaN();
      expect(mape([Infinity], [1])).toBe(Infinity);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => mape([1, 2], [1]), 'E_SHAPE', ['mape', "'target'"]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('mape', { input: {}, target: [1] }), 'E_TYPE', ["'input'"]);
    });
  });
});
