import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { vaeKl } from './vaeKl.js';

describe('vaeKl', () => {
  describe('golden values (torch: −0.5·sum(1 + logVar − mu² − exp(logVar)), mean over N)', () => {
    goldenTests('vaeKl', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const mu = tensorOf([3, 4], (i) => Math.sin(i) * 1.5);
      const logVar = tensorOf([3, 4], (i) => Math.cos(2 * i) * 2);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('vaeKl', { mu, logVar }, { reduction });
    });
    it('has the closed forms μ/N and ½(e^{logVar} − 1)/N', () => {
      const { grads } = vaeKl.valueAndGrad(
        [
          [1, -2],
          [0.5, 0],
        ],
        [
          [Math.log(3), 0],
          [0, Math.log(0.5)],
        ],
      );
      expect(Array.from(grads.mu.data)).toEqual([0.5, -1, 0.25, 0]);
      // ½(3 − 1)/2 = 0.5, 0, 0, ½(0.5 − 1)/2 = −0.125
      expectClose(grads.logVar.data[0], 0.5, { rtol: 1e-15 });
      expect(grads.logVar.data[1]).toBe(0);
      expectClose(grads.logVar.data[3], -0.125, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('is exactly 0 with zero gradient at the prior (mu = 0, logVar = 0)', () => {
      const z = tensorOf([3, 5], () => 0);
      const { value, grads } = vaeKl.valueAndGrad(z, z);
      expect(value).toBe(0);
      expect(grads.mu.data.every((g) => g === 0)).toBe(true);
      expect(grads.logVar.data.every((g) => g === 0)).toBe(true);
    });
    it('is ½Σμ² for unit variances and ½(1 − ln 2) for σ² = 2 at μ = 0', () => {
      expect(vaeKl([[1, 2]], [[0, 0]])).toBe(2.5);
      expectClose(vaeKl([[0]], [[Math.LN2]]), 0.5 * (1 - Math.LN2), { rtol: 1e-15 });
    });
    it('adds over latent dimensions: (N, D) equals the sum of its D single-column KLs', () => {
      const mu = tensorOf([2, 3], (i) => i * 0.5 - 1);
      const lv = tensorOf([2, 3], (i) => 1 - i * 0.3);
      let parts = 0;
      for (let d = 0; d < 3; d++) {
        const col = (t: Tensor<Float64Array>) => tensorOf([2, 1], (n) => t.data[n * 3 + d]);
        parts += vaeKl(col(mu), col(lv));
      }
      expectClose(vaeKl(mu, lv), parts, { rtol: 1e-14 });
    });
    it('is non-negative and even in μ', () => {
      const mu = tensorOf([4, 2], (i) => Math.sin(5 * i));
      const neg = tensorOf([4, 2], (i) => -mu.data[i]);
      const lv = tensorOf([4, 2], (i) => Math.cos(3 * i) * 3);
      const v = vaeKl(mu, lv, { reduction: 'none' });
      for (const x of v.data) expect(x).toBeGreaterThanOrEqual(0);
      expect(Array.from(vaeKl(neg, lv, { reduction: 'none' }).data)).toEqual(Array.from(v.data));
    });
  });

  describe('reductions', () => {
    it("returns one KL per sample under 'none', their sum under 'sum' and mean under 'mean'", () => {
      const mu = [
        [1, 2],
        [0, 2],
      ];
      const lv = [
        [0, 0],
        [0, 0],
      ];
      // ½(1 + 4) = 2.5, ½·4 = 2
      const out = vaeKl(mu, lv, { reduction: 'none' });
      expect(out.shape).toEqual([2]);
      expect(Array.from(out.data)).toEqual([2.5, 2]);
      expect(vaeKl(mu, lv, { reduction: 'sum' })).toBe(4.5);
      expect(vaeKl(mu, lv)).toBe(2.25);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for a latent of size 0', () => {
      const e = { data: new Float64Array(0), shape: [0, 4] };
      expect(vaeKl(e, e)).toBe(0);
      const z = { data: new Float64Array(0), shape: [3, 0] };
      expect(vaeKl(z, z)).toBe(0);
    });
    it('stays accurate for tiny log-variances (expm1 form)', () => {
      // ½(e^v − 1 − v) ≈ v²/4 for v = 1e-6
      expectClose(vaeKl([[0]], [[1e-6]]), 0.25e-12 + 1e-18 / 12, { rtol: 1e-9 });
    });
    it('is +∞ for an infinite or vanishing variance and propagates NaN', () => {
      expect(vaeKl([[0]], [[Infinity]])).toBe(Infinity);
      expect(vaeKl([[0]], [[-Infinity]])).toBe(Infinity);
      expect(vaeKl([[NaN]], [[0]])).toBeNaN();
      expect(vaeKl([[0]], [[NaN]])).toBeNaN();
    });
    it('keeps float32 dtype under none', () => {
      const t = { data: Float32Array.of(1, 2), shape: [1, 2] };
      const res = evaluate(
        'vaeKl',
        { mu: t, logVar: { data: Float32Array.of(0, 0), shape: [1, 2] } },
        {
          reduction: 'none',
        },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect((res.value as Tensor).data[0]).toBe(2.5);
    });
  });

  describe('errors', () => {
    it('rejects a rank-1 mu (E_SHAPE)', () => {
      expectLossError(() => vaeKl([0, 1], [0, 1]), 'E_SHAPE', ['vaeKl', "input 'mu'", '(N, D)']);
    });
    it('rejects a logVar of another shape (E_SHAPE)', () => {
      expectLossError(() => vaeKl([[0, 1]], [[0, 1, 2]]), 'E_SHAPE', [
        "input 'logVar'",
        "'mu' [1, 2]",
        'shape [1, 3]',
      ]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('vaeKl', { mu: 'x', logVar: [[0]] }), 'E_TYPE', ["'mu'"]);
    });
  });
});
