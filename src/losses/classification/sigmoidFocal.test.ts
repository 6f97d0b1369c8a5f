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
