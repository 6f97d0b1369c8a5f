import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
  tensorOf,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { bceWithLogits } from './bceWithLogits.js';
import { sigmoidFocal } from './sigmoidFocal.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('sigmoidFocal', () => {
  describe('golden values (torchvision.ops.sigmoid_focal_loss)', () => {
    goldenTests('sigmoidFocal');
  });

  describe('gradients', () => {
    it('matches central finite differences for several alpha and gamma, soft targets included', () => {
      const input = tensorOf([2, 4], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 4], (i) => [0, 1, 0.3, 0.8][i % 4]);
      for (const [alpha, gamma] of [
        [0.25, 2],
        [-1, 0],
        [0.6, 0.5],
        [1, 3.5],
      ]) {
        for (const reduction of ['mean', 'none']) {
          checkGradFD('sigmoidFocal', { input, target }, { reduction, alpha, gamma });
        }
      }
    });
    it('stays finite where p_t = 1 and 0 < gamma < 1 (torchvision: 0·∞ = NaN)', () => {
      // At x = 40, y = 1 torch rounds σ(40) to 1, so its 1 − p_t is 0; here 1 − p_t = σ(−40) keeps
      // its value. At x = ±800, σ(∓800) underflows to 0 and the γ term takes its limit 0.
      const { value, grads } = sigmoidFocal.valueAndGrad([40, 800, -800], [1, 1, 0], {
        gamma: 0.5,
      });
      expect(Number.isFinite(value)).toBe(true);
      for (const g of grads.input.data) expect(Math.abs(g)).toBeLessThan(1e-20);
      expect(Array.from(grads.input.data.slice(1), Math.abs)).toEqual([0, 0]);
    });
    it('gives a saturated correct logit exactly 0 at the default gamma = 2, and e^−120-sized values at x = 40', () => {
      // x = ±800 on the target's side: σ(∓800) underflows to 0, so 1 − p_t = 0, CE = log1p(0) = 0.
      const sat = sigmoidFocal.valueAndGrad([800, -800], [1, 0], { reduction: 'sum' });
      expect(sat.value).toBe(0);
      expect(Array.from(sat.grads.input.data, Math.abs)).toEqual([0, 0]);
      // x = 40, y = 1: q = σ(−40), CE = log1p(e^−40), loss α·CE·q², and the derivative
      // α·[−q·q² + 2·CE·q·(p·q)·(1 − 2)] with p = σ(40) (the m^(γ−1)·p·q form with m = q).
      const e = Math.exp(-40);
      const p = 1 / (1 + e);
      const q = e * p;
      const ce = Math.log1p(e);
      const { value, grads } = sigmoidFocal.valueAndGrad([40], [1], { reduction: 'sum' });
      expectClose(value, 0.25 * ce * q * q, { rtol: 1e-14, atol: 0 });
      expectClose(grads.input.data[0], 0.25 * (-q * q * q - 2 * ce * q * p * q), {
        rtol: 1e-14,
        atol: 0,
      });
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike for any gamma', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 64;
      const input = tensorOf([n], (i) => (i % 2 === 0 ? 1 : -1) * Math.exp((i % 13) - 6));
      const target = tensorOf([n], (i) => [0, 1, 0.3, 1, 0][i % 5]);
      for (const options of [
        {},
        { gamma: 0.5, alpha: -1 },
        { gamma: 0 },
        { gamma: 3.5, alpha: 0.9 },
      ]) {
        const fast = sigmoidFocal.valueAndGrad(input, target, options);
        const general = sigmoidFocal.valueAndGrad(
          input,
          target,
          { ...options, reduction: 'none' },
          { upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] } },
        );
        expect(fast.grads.input.data).toEqual(general.grads.input.data);
      }
    });
  });

  describe('identities (torchvision test_focal_loss)', () => {
    const x = [-4, -1.3, -1e-8, 0.4, 2, 20];
    const y = [0, 1, 0.3, 1, 0, 1];
    it('equals bceWithLogits in value and gradient for gamma = 0 and alpha < 0', () => {
      const a = sigmoidFocal.valueAndGrad(x, y, { gamma: 0, alpha: -1, reduction: 'none' });
      const b = bceWithLogits.valueAndGrad(x, y, { reduction: 'none' });
      expectTensorClose(a.value as Tensor, b.value as Tensor);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('has focal / CE = (1 − p_t)^γ · α_t for alpha in {−1, 0, 0.58, 1} and gamma in {0, 2}', () => {
      const ce = bceWithLogits(x, y, { reduction: 'none' }) as Tensor;
      for (const alpha of [-1, 0, 0.58, 1]) {
        for (const gamma of [0, 2]) {
          const fl = sigmoidFocal(x, y, { alpha, gamma, reduction: 'none' }) as Tensor;
          for (let i = 0; i < x.length; i++) {
            const p = sigmoid(x[i]);
            const pt = p * y[i] + (1 - p) * (1 - y[i]);
            const at = alpha >= 0 ? alpha * y[i] + (1 - alpha) * (1 - y[i]) : 1;
            expectClose(fl.data[i], ce.data[i] * Math.pow(1 - pt, gamma) * at, { rtol: 1e-9 });
            expect(fl.data[i]).toBeLessThanOrEqual(ce.data[i]);
          }
        }
      }
    });
    it('reproduces the paper’s values x = 2: 0.00045089 for t = 1 and 1.23755863 for t = 0', () => {
      // papers.md §2, derived from torchvision's code.
      const out = sigmoidFocal([2, 2], [1, 0], { reduction: 'none' }) as Tensor;
      expect(out.data[0]).toBeCloseTo(0.00045089, 8);
      expect(out.data[1]).toBeCloseTo(1.23755863, 8);
    });
    it('gives sum = n · mean', () => {
      expectClose(
        sigmoidFocal(x, y, { reduction: 'sum' }) as number,
        x.length * (sigmoidFocal(x, y) as number),
      );
    });
  });

  describe('edge cases', () => {
    it('stays finite for logits ±700 against hard and soft targets', () => {
      const { value, grads } = sigmoidFocal.valueAndGrad([700, -700, 700, -700], [0, 1, 0.5, 0.5]);
      expect(Number.isFinite(value)).toBe(true);
      for (const g of grads.input.data) expect(Number.isFinite(g)).toBe(true);
    });
    it('gives 0 for empty input and propagates NaN', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(sigmoidFocal(empty, empty)).toBe(0);
      expect(sigmoidFocal([NaN, 1], [0, 1])).toBeNaN();
    });
    it('keeps float32 output dtype for float32 input under none', () => {
      const out = sigmoidFocal({ data: Float32Array.of(1.5, -2), shape: [2] }, [0, 1], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a negative gamma (E_OPTION)', () => {
      expectLossError(() => sigmoidFocal([1], [1], { gamma: -1 }), 'E_OPTION', [
        'sigmoidFocal',
        "option 'gamma'",
        '>= 0',
        'gamma=-1',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => sigmoidFocal([1, 2], [[1, 0]]), 'E_SHAPE', [
        'sigmoidFocal',
        "'target'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('sigmoidFocal', { input: 'x', target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('sigmoidFocal', { input: [1] }), 'E_INPUT', ["'target'"]);
    });
  });
});
