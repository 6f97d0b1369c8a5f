import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from './mse.js';

describe('mse', () => {
  describe('golden values (torch.nn.functional.mse_loss)', () => {
    goldenTests('mse');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('mse', { input, target }, { reduction });
      }
    });
  });

  describe('identities', () => {
    it('returns 0 with zero gradient for a perfect prediction', () => {
      const { value, grads } = mse.valueAndGrad([1, -2, 3], [1, -2, 3]);
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([0, 0, 0]);
    });
    it('gives sum = n · mean', () => {
      const x = [0.5, -1.25, 3, 7];
      const y = [1, 1, 1, 1];
      expectClose(mse(x, y, { reduction: 'sum' }) as number, 4 * (mse(x, y) as number));
    });
    it('is symmetric in its two arguments', () => {
      expect(mse([1, 5], [2, -1])).toBe(mse([2, -1], [1, 5]));
    });
  });

  describe('reductions', () => {
    it("keeps the input's shape under 'none'", () => {
      const out = mse(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [0, 0],
          [0, 0],
        ],
        { reduction: 'none' },
      );
      expect(out).toEqual({ data: Float64Array.from([1, 4, 9, 16]), shape: [2, 2] });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input under mean and sum, and an empty tensor under none', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(mse(empty, empty)).toBe(0);
      expect(mse(empty, empty, { reduction: 'sum' })).toBe(0);
      expect(mse.valueAndGrad(empty, empty).grads.input.data.length).toBe(0);
      expect(mse(empty, empty, { reduction: 'none' })).toEqual({
        data: new Float64Array(0),
        shape: [0],
      });
    });
    it('propagates NaN and Infinity', () => {
      expect(mse([NaN, 1], [0, 1])).toBeNaN();
      expect(mse([Infinity, 1], [0, 1])).toBe(Infinity);
    });
    it('keeps float32 output dtype for float32 input under none', () => {
      const out = mse({ data: Float32Array.of(1.5, 2), shape: [2] }, [0, 0], { reduction: 'none' });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => mse([1, 2], [1, 2, 3]), 'E_SHAPE', ['mse', "'target'", '[2]', '[3]']);
    });
    it('rejects an unknown reduction (E_OPTION)', () => {
      expectLossError(() => mse([1], [1], { reduction: 'avg' as never }), 'E_OPTION', [
        "option 'reduction'",
        "'mean'",
        'reduction="avg"',
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('mse', { input: ['a'], target: [1] }), 'E_TYPE', ["'input'"]);
    });
  });
});
