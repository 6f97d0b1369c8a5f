import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from './mse.js';
import { rmse } from './rmse.js';

describe('rmse', () => {
  describe('golden values (torch.sqrt(mse_loss + eps))', () => {
    goldenTests('rmse');
  });

  describe('gradients', () => {
    it('matches central finite differences, with and without eps', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      checkGradFD('rmse', { input, target });
      checkGradFD('rmse', { input, target }, { eps: 0.25 });
      checkGradFD('rmse', { input, target }, {}, { upstream: -1.5 });
    });
    it('returns a zero gradient when the value is 0 (torch.sqrt would give NaN)', () => {
      const { value, grads } = rmse.valueAndGrad([1, -2, 3], [1, -2, 3]);
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([0, 0, 0]);
    });
    it('overwrites every element of a reused gradient buffer at a perfect prediction', () => {
      const into = { input: new Float64Array(3).fill(NaN) };
      const { grads } = rmse.valueAndGrad([1, -2, 3], [1, -2, 3], {}, { into });
      expect(grads.input.data).toBe(into.input);
      expect(Array.from(grads.input.data)).toEqual([0, 0, 0]);
    });
    it('keeps the gradient d_i/(n·rmse) when the residuals are rescaled', () => {
      // rmse([3e200, 4e200], 0) = 5e200/√2, so the gradient is d_i/(2·5e200/√2) = (0.3√2, 0.4√2).
      const { grads } = rmse.valueAndGrad([3e200, 4e200], [0, 0]);
      expectClose(grads.input.data[0], 0.3 * Math.SQRT2);
      expectClose(grads.input.data[1], 0.4 * Math.SQRT2);
    });
    it('returns the finite slope 0 at a perfect prediction when eps > 0', () => {
      // d/dx_i sqrt(mean(d²) + eps) = d_i / (n·r) = 0 for d = 0, with r = sqrt(eps) = 0.5.
      const { value, grads } = rmse.valueAndGrad([1, 2], [1, 2], { eps: 0.25 });
      expect(value).toBe(0.5);
      expect(Array.from(grads.input.data)).toEqual([0, 0]);
    });
  });

  describe('identities', () => {
    it('squares to mse when eps = 0', () => {
      const x = tensorOf([3, 4], (i) => Math.sin(3 * i) * 2);
      const y = tensorOf([3, 4], (i) => Math.cos(i));
      expectClose((rmse(x, y) as number) ** 2, mse(x, y) as number);
    });
    it('squares to mse + eps', () => {
      const x = [0.5, -1.25, 3];
      const y = [1, 1, 1];
      expectClose((rmse(x, y, { eps: 0.3 }) as number) ** 2, (mse(x, y) as number) + 0.3);
    });
    it('has the gradient of mse divided by 2·rmse (chain rule)', () => {
      const x = [0.5, -1.25, 3];
      const y = [1, 1, 1];
      const r = rmse(x, y) as number;
      const gr = rmse.valueAndGrad(x, y).grads.input.data;
      const gm = mse.valueAndGrad(x, y).grads.input.data;
      for (let i = 0; i < 3; i++) expectClose(gr[i], gm[i] / (2 * r));
    });
    it('is invariant to the shape of the inputs', () => {
      const flat = rmse([1, 2, 3, 4], [0, 0, 0, 0]);
      expect(
        rmse(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [0, 0],
            [0, 0],
          ],
        ),
      ).toBe(flat);
    });
  });

  describe('reductions', () => {
    it('is a scalar without a reduction option', () => {
      expect(rmse.meta.reductions).toEqual([]);
      expectLossError(
        () => evaluate('rmse', { input: [1], target: [0] }, { reduction: 'none' }),
        'E_OPTION',
        ["'reduction'"],
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input by default and sqrt(eps) with eps (the mean of nothing is 0)', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(rmse(empty, empty)).toBe(0);
      expect(rmse(empty, empty, { eps: 0.25 })).toBe(0.5);
      expect(rmse.valueAndGrad(empty, empty).grads.input.data.length).toBe(0);
    });
    it('stays finite for residuals whose squares overflow or underflow', () => {
      // sqrt(((3e200)² + (4e200)²)/2) = 5e200/√2; sqrt(((3e-200)² + (4e-200)²)/2) = 5e-200/√2.
      expectClose(rmse([3e200, 4e200], [0, 0]) as number, 5e200 / Math.SQRT2);
      expectClose(rmse([3e-200, 4e-200], [0, 0]) as number, 5e-200 / Math.SQRT2);
    });
    it('propagates NaN and Infinity', () => {
      expect(rmse([NaN, 1], [0, 1])).toBeNaN();
      expect(rmse([Infinity, 1], [0, 1])).toBe(Infinity);
    });
    it('agrees for float32 input', () => {
      const x = { data: Float32Array.of(1.5, 2), shape: [2] };
      expectClose(rmse(x, [0, 0]) as number, Math.sqrt((2.25 + 4) / 2));
      expect(rmse.valueAndGrad(x, [0, 0]).grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a negative eps (E_OPTION)', () => {
      expectLossError(() => rmse([1], [0], { eps: -1e-3 }), 'E_OPTION', [
        'rmse',
        "option 'eps'",
        '>= 0',
        'eps=-0.001',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => rmse([1, 2], [1, 2, 3]), 'E_SHAPE', ['rmse', "'target'", '[3]']);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('rmse', { input: 'x', target: [1] }), 'E_TYPE', ["'input'"]);
    });
    it('rejects an unknown input (E_INPUT)', () => {
      expectLossError(() => evaluate('rmse', { input: [1], target: [1], var: [1] }), 'E_INPUT', [
        "'var'",
      ]);
    });
  });
});
