import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from '../regression/mse.js';
import { gradientPenalty } from './gradientPenalty.js';

describe('gradientPenalty', () => {
  describe('golden values (WGAN-GP in torch: λ·(vector_norm(g) − target)², autograd)', () => {
    goldenTests('gradientPenalty', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for several λ and targets', () => {
      const gradients = tensorOf([3, 2, 2], (i) => Math.sin(i + 1) * 0.8);
      for (const reduction of ['mean', 'sum', 'none'])
        for (const opts of [{}, { lambda: 2, target: 0.5 }, { target: 0 }])
          checkGradFD('gradientPenalty', { gradients }, { reduction, ...opts });
    });
    it('has the closed form 2λ(‖g‖ − τ)·g/‖g‖/N', () => {
      // rows [0.6, 0.8] (norm 1) and [3, 4] (norm 5): 2·10·(5 − 1)/5/2 = 8 times [3, 4]
      const { value, grads } = gradientPenalty.valueAndGrad([
        [0.6, 0.8],
        [3, 4],
      ]);
      expect(value).toBe(80); // (0 + 10·4²)/2
      expectClose(grads.gradients.data[0], 0, { atol: 1e-15 });
      expectClose(grads.gradients.data[1], 0, { atol: 1e-15 });
      expect(Array.from(grads.gradients.data.slice(2))).toEqual([24, 32]);
    });
    it('gives a zero gradient for a zero row (torch’s norm subgradient) and the penalty λ·τ²', () => {
      const { value, grads } = gradientPenalty.valueAndGrad([[0, 0, 0]], { target: 1.5 });
      expect(value).toBe(22.5);
      expect(Array.from(grads.gradients.data)).toEqual([0, 0, 0]);
    });
  });

  describe('identities', () => {
    it('is 0 with zero gradient when every sample has unit gradient norm', () => {
      const { value, grads } = gradientPenalty.valueAndGrad([
        [1, 0],
        [0, -1],
        [0.6, -0.8],
      ]);
      expectClose(value, 0, { atol: 1e-14 });
      for (const g of grads.gradients.data) expectClose(g, 0, { atol: 1e-14 });
    });
    it('with target 0 is λ·D·mse(g, 0): the zero-centred penalty λ·mean‖g‖²', () => {
      const g = tensorOf([4, 3], (i) => Math.cos(i) * 1.3);
      const zeros = tensorOf([4, 3], () => 0);
      const p = gradientPenalty.valueAndGrad(g, { target: 0, lambda: 2 });
      const m = mse.valueAndGrad(g, zeros);
      expectClose(p.value, 2 * 3 * m.value, { rtol: 1e-14 });
      for (let i = 0; i < 12; i++)
        expectClose(p.grads.gradients.data[i], 2 * 3 * m.grads.input.data[i], { rtol: 1e-13 });
    });
    it('scales as τ²: penalty(g, τ) = τ²·penalty(g/τ, 1), the relation to TF-GAN’s (‖g‖/τ − 1)²', () => {
      const g = tensorOf([3, 4], (i) => Math.sin(3 * i));
      const half = tensorOf([3, 4], (i) => g.data[i] / 2);
      expectClose(gradientPenalty(g, { target: 2 }), 4 * gradientPenalty(half), { rtol: 1e-14 });
    });
    it('is linear in λ', () => {
      const g = tensorOf([2, 3], (i) => i * 0.4 - 1);
      expectClose(gradientPenalty(g, { lambda: 1 }) * 10, gradientPenalty(g), { rtol: 1e-15 });
      expect(gradientPenalty(g, { lambda: 0 })).toBe(0);
    });
  });

  describe('reductions', () => {
    it("returns one penalty per sample under 'none', their sum under 'sum'", () => {
      const g = [
        [0.6, 0.8],
        [3, 4],
        [0, 2],
      ];
      // λ(‖g‖ − 1)²: 0, 160, 10
      const out = gradientPenalty(g, { reduction: 'none' });
      expect(out.shape).toEqual([3]);
      expectClose(out.data[0], 0, { atol: 1e-14 });
      expect(Array.from(out.data.slice(1))).toEqual([160, 10]);
      expectClose(gradientPenalty(g, { reduction: 'sum' }), 170, { rtol: 1e-15 });
      expectClose(gradientPenalty(g), 170 / 3, { rtol: 1e-15 });
    });
    it('treats every axis after the first as one sample: (N, C, H, W) gradients', () => {
      // sample 0 has norm √(4·0.25) = 1, sample 1 norm √(4·1) = 2
      const g = { data: Float64Array.of(0.5, 0.5, 0.5, 0.5, 1, -1, 1, -1), shape: [2, 1, 2, 2] };
      expect(Array.from(gradientPenalty(g, { reduction: 'none' }).data)).toEqual([0, 10]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for no samples and λ·τ² for samples of no elements', () => {
      expect(gradientPenalty({ data: new Float64Array(0), shape: [0, 3] })).toBe(0);
      expect(gradientPenalty({ data: new Float64Array(0), shape: [2, 0] })).toBe(10);
    });
    it('takes (N) gradients as one number per sample: λ(|g| − τ)²', () => {
      // (0.5 − 1)², (2 − 1)² → 10·(0.25 + 1)/2
      expect(gradientPenalty([0.5, -2])).toBe(6.25);
    });
    it('propagates NaN, and gives ∞ with a NaN gradient for an infinite gradient (as torch)', () => {
      expect(gradientPenalty([[NaN, 1]])).toBeNaN();
      const { value, grads } = gradientPenalty.valueAndGrad([[Infinity, 0]]);
      expect(value).toBe(Infinity);
      expect(grads.gradients.data[0]).toBeNaN();
    });
    it('keeps float32 dtype under none', () => {
      const res = evaluate(
        'gradientPenalty',
        { gradients: { data: Float32Array.of(3, 4), shape: [1, 2] } },
        { reduction: 'none' },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect((res.value as Tensor).data[0]).toBe(160);
    });
  });

  describe('errors', () => {
    it('rejects a rank-0 input (E_SHAPE)', () => {
      expectLossError(() => gradientPenalty(1), 'E_SHAPE', [
        'gradientPenalty',
        "input 'gradients'",
        '(N, ...)',
      ]);
    });
    it('rejects a negative lambda or target (E_OPTION)', () => {
      expectLossError(() => gradientPenalty([1], { lambda: -1 }), 'E_OPTION', [
        "option 'lambda'",
        '>= 0',
      ]);
      expectLossError(() => gradientPenalty([1], { target: -1 }), 'E_OPTION', ["option 'target'"]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('gradientPenalty', { gradients: 'x' }), 'E_TYPE', [
        "'gradients'",
      ]);
    });
  });
});
