import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from './mse.js';
import { msle } from './msle.js';

describe('msle', () => {
  describe('golden values (Keras MeanSquaredLogarithmicError element values)', () => {
    goldenTests('msle');
  });

  describe('gradients', () => {
    it('matches central finite differences for positive predictions', () => {
      const input = tensorOf([2, 3], (i) => 0.5 + Math.abs(Math.sin(i + 1)) * 3);
      const target = tensorOf([2, 3], (i) => (i % 2 === 0 ? 0 : Math.cos(i) ** 2));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('msle', { input, target }, { reduction });
      }
    });
    it('is 0 where the prediction is clamped and flows at the clamp boundary 1e-7 exactly', () => {
      // At x = 1e-7 the gradient is 2(log1p(1e-7) − log1p(1))/(1 + 1e-7) (TF's Maximum passes it at x >= y).
      const { grads } = msle.valueAndGrad([-2, 5e-8, 1e-7], [1, 1, 1], { reduction: 'sum' });
      expect(grads.input.data[0]).toBe(0);
      expect(grads.input.data[1]).toBe(0);
      expectClose(grads.input.data[2], (2 * (Math.log1p(1e-7) - Math.log1p(1))) / (1 + 1e-7));
    });
    it('gives a NaN prediction the gradient 0, as torch.clamp and TF Maximum', () => {
      // torch: clamp(NaN, min=1e-7) passes the gradient only where x >= 1e-7, which NaN is not.
      const { value, grads } = msle.valueAndGrad([NaN, 2], [1, 1], { reduction: 'sum' });
      expect(value).toBeNaN();
      expect(grads.input.data[0]).toBe(0);
      expectClose(grads.input.data[1], (2 * (Math.log1p(2) - Math.log1p(1))) / 3);
    });
  });

  describe('identities', () => {
    it('is mse of log1p of the values when both are positive', () => {
      const x = [0.5, 2, 7.25];
      const y = [1, 3, 0.1];
      expectClose(msle(x, y) as number, mse(x.map(Math.log1p), y.map(Math.log1p)) as number);
    });
    it('treats every value below 1e-7 as 1e-7 (negative values included)', () => {
      expect(msle([-5, 0, 1e-8], [2, 2, 2], { reduction: 'none' })).toEqual(
        msle([1e-7, 1e-7, 1e-7], [2, 2, 2], { reduction: 'none' }),
      );
    });
    it('gives 0 when prediction and target are both clamped', () => {
      expect(msle([-3], [-1])).toBe(0);
    });
  });

  describe('reductions', () => {
    it("sums the 'none' values under 'sum'", () => {
      const x = [0.5, 2];
      const y = [1, 3];
      const want = (Math.log1p(0.5) - Math.log1p(1)) ** 2 + (Math.log1p(2) - Math.log1p(3)) ** 2;
      expectClose(msle(x, y, { reduction: 'sum' }) as number, want);
      expectClose(msle(x, y) as number, want / 2);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(msle(empty, empty)).toBe(0);
    });
    it('propagates NaN and Infinity', () => {
      expect(msle([NaN], [1])).toBeNaN();
      expect(msle([Infinity], [1])).toBe(Infinity);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => msle([1, 2], [[1, 2]]), 'E_SHAPE', ['msle', "'target'"]);
    });
    it('rejects a non-numeric target (E_TYPE)', () => {
      expectLossError(() => evaluate('msle', { input: [1], target: 'y' }), 'E_TYPE', ["'target'"]);
    });
  });
});
