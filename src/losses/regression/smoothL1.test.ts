import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { l1 } from './l1.js';
import { smoothL1 } from './smoothL1.js';

describe('smoothL1', () => {
  describe('golden values (torch.nn.functional.smooth_l1_loss)', () => {
    goldenTests('smoothL1');
  });

  describe('gradients', () => {
    it('matches central finite differences on both branches', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 2);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      for (const reduction of ['mean', 'sum', 'none']) {
        for (const beta of [1, 0.3, 5, 0])
          checkGradFD('smoothL1', { input, target }, { reduction, beta });
      }
    });
    it('is continuous at |d| = beta: value β/2 and gradient ±1', () => {
      const { value, grads } = smoothL1.valueAndGrad([0.5, -0.5], [0, 0], {
        beta: 0.5,
        reduction: 'none',
      });
      expect(Array.from((value as { data: Float64Array }).data)).toEqual([0.25, 0.25]);
      expect(Array.from(grads.input.data)).toEqual([1, -1]);
    });
    it("returns torch's gradient −1 at a zero residual when beta = 0 (its `d <= −beta` branch)", () => {
      const { value, grads } = smoothL1.valueAndGrad([2, 3], [2, 3], { beta: 0, reduction: 'sum' });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([-1, -1]);
    });
    it('gives ±1 on either side of 0 when beta = 0, down to the smallest subnormal residual', () => {
      // torch's backward: d <= −β → −1 (so −0 and 0 take it), d >= β → +1, otherwise d/β (NaN/0).
      const { grads } = smoothL1.valueAndGrad(
        [5e-324, -5e-324, -0, 1.7e308, -Infinity, NaN],
        [0, 0, 0, 0, 0, 0],
        { beta: 0, reduction: 'sum' },
      );
      expect(Array.from(grads.input.data)).toEqual([1, -1, -1, 1, -1, NaN]);
    });
    it('returns gradient 0 at a zero residual when beta > 0', () => {
      const { grads } = smoothL1.valueAndGrad([2], [2], { reduction: 'sum' });
      expect(grads.input.data[0]).toBe(0);
    });
  });

  describe('identities', () => {
    it('equals l1 exactly when beta = 0', () => {
      const x = tensorOf([8], (i) => (i - 3.7) * 0.6);
      const y = tensorOf([8], () => 0.1);
      expect(smoothL1(x, y, { beta: 0 })).toBe(l1(x, y));
    });
    it('tends to l1 as beta → 0: |d| − beta/2 once every |d| ≥ beta', () => {
      const x = [0.5, -1.25, 3, 1e-6];
      const y = [0, 0, 0, 0];
      const beta = 1e-9;
      // Every |d| ≥ beta, so each element is |d| − β/2 and the mean is l1 − β/2.
      expectClose(smoothL1(x, y, { beta }) as number, (l1(x, y) as number) - beta / 2);
    });
    it("keeps torch's |d| − β/2 bit for bit beyond beta and ½d²/β up to rounding inside", () => {
      // torch's kernel: z < β ? 0.5·z·z/β : z − 0.5·β, here with β = 0.3 (not a power of two).
      // Inside, losskit computes (½z)·(z/β): both forms round twice, so they differ by at most 4u.
      const beta = 0.3;
      const d = [2, -0.7, 0.3, 0.1, -0.29, 0.05];
      const torchForm = d.map((v) => {
        const z = Math.abs(v);
        return z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      });
      const out = smoothL1(d, [0, 0, 0, 0, 0, 0], { beta, reduction: 'none' });
      const got = Array.from((out as { data: Float64Array }).data);
      expect(got.slice(0, 3)).toEqual(torchForm.slice(0, 3));
      for (let i = 3; i < 6; i++) expectClose(got[i], torchForm[i], { rtol: 4.5e-16, atol: 0 });
    });
    it('is quadratic d²/(2β) inside the zone', () => {
      expectClose(smoothL1([0.3], [0], { beta: 2 }) as number, 0.09 / 4);
    });
  });

  describe('reductions', () => {
    it("sums the 'none' values under 'sum' and averages them under 'mean'", () => {
      const x = [3, -0.5, 0.2, -4];
      const y = [0, 0, 0, 0];
      // 0.5·d² below 1, |d| − 0.5 above: 2.5 + 0.125 + 0.02 + 3.5 = 6.145
      expectClose(smoothL1(x, y, { reduction: 'sum' }) as number, 6.145);
      expectClose(smoothL1(x, y) as number, 6.145 / 4);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(smoothL1(empty, empty)).toBe(0);
      expect(smoothL1(empty, empty, { reduction: 'none' })).toEqual(empty);
    });
    it('stays finite for huge residuals and propagates NaN', () => {
      expect(smoothL1([1e300, -1e300], [0, 0], { reduction: 'sum' })).toBe(2e300);
      expect(smoothL1([NaN], [0])).toBeNaN();
    });
    it('keeps float32 dtype under none', () => {
      const out = smoothL1({ data: Float32Array.of(1.5, 2), shape: [2] }, [0, 0], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a negative beta (E_OPTION), as torch', () => {
      expectLossError(() => smoothL1([1], [0], { beta: -1 }), 'E_OPTION', [
        'smoothL1',
        "option 'beta'",
        '>= 0',
        'beta=-1',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => smoothL1([[1, 2]], [[1], [2]]), 'E_SHAPE', ['smoothL1', "'target'"]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('smoothL1', { input: { data: 'x', shape: [1] }, target: [1] }),
        'E_TYPE',
        ["'input'"],
      );
    });
  });
});
