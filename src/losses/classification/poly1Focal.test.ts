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
import { poly1Focal } from './poly1Focal.js';
import { sigmoidFocal } from './sigmoidFocal.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('poly1Focal', () => {
  describe('golden values (PolyLoss poly1_focal_loss on torchvision sigmoid focal)', () => {
    goldenTests('poly1Focal');
  });

  describe('gradients', () => {
    it('matches central finite differences for several epsilon, alpha and gamma', () => {
      const input = tensorOf([2, 4], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 4], (i) => [0, 1, 0.3, 0.8][i % 4]);
      for (const [epsilon, alpha, gamma] of [
        [1, 0.25, 2],
        [-1, -1, 0],
        [2, 0.5, 0.5],
      ]) {
        for (const reduction of ['mean', 'none']) {
          checkGradFD('poly1Focal', { input, target }, { reduction, epsilon, alpha, gamma });
        }
      }
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 64;
      const input = tensorOf([n], (i) => (i % 2 === 0 ? 1 : -1) * Math.exp((i % 13) - 6));
      const target = tensorOf([n], (i) => [0, 1, 0.3, 1, 0][i % 5]);
      for (const options of [
        {},
        { epsilon: -1, gamma: 0.5 },
        { epsilon: 2, gamma: 0, alpha: -1 },
      ]) {
        const fast = poly1Focal.valueAndGrad(input, target, options);
        const general = poly1Focal.valueAndGrad(
          input,
          target,
          { ...options, reduction: 'none' },
          { upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] } },
        );
        expect(fast.grads.input.data).toEqual(general.grads.input.data);
      }
    });
  });

  describe('identities', () => {
    const x = [-4, -1.3, 0.4, 2, 20];
    const y = [0, 1, 0.3, 1, 0];
    it('equals sigmoidFocal when epsilon = 0, in value and gradient', () => {
      const a = poly1Focal.valueAndGrad(x, y, { epsilon: 0, reduction: 'none' });
      const b = sigmoidFocal.valueAndGrad(x, y, { reduction: 'none' });
      expectTensorClose(a.value as Tensor, b.value as Tensor);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('adds ε(1 − p_t)^(γ+1) without α weighting', () => {
      const fl = sigmoidFocal(x, y, { alpha: 0.9, gamma: 1, reduction: 'none' }) as Tensor;
      const poly = poly1Focal(x, y, {
        alpha: 0.9,
        gamma: 1,
        epsilon: 2,
        reduction: 'none',
      }) as Tensor;
      for (let i = 0; i < x.length; i++) {
        const p = sigmoid(x[i]);
        const pt = p * y[i] + (1 - p) * (1 - y[i]);
        expectClose(poly.data[i], fl.data[i] + 2 * Math.pow(1 - pt, 2), { rtol: 1e-9 });
      }
    });
  });

  describe('edge cases', () => {
    it('stays finite for logits ±700', () => {
      const { value, grads } = poly1Focal.valueAndGrad([700, -700, 700, -700], [0, 1, 1, 0]);
      expect(Number.isFinite(value)).toBe(true);
      for (const g of grads.input.data) expect(Number.isFinite(g)).toBe(true);
    });
    it('gives 0 for empty input and propagates NaN', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(poly1Focal(empty, empty)).toBe(0);
      expect(poly1Focal([NaN], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a non-finite epsilon (E_OPTION)', () => {
      expectLossError(() => poly1Focal([1], [1], { epsilon: Infinity }), 'E_OPTION', [
        'poly1Focal',
        "option 'epsilon'",
        'a finite number',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => poly1Focal([1, 2], [1]), 'E_SHAPE', ['poly1Focal', "'target'"]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('poly1Focal', { input: [true, 'a'], target: [1, 1] }),
        'E_TYPE',
        ["'input'"],
      );
    });
    it('rejects a missing input (E_INPUT)', () => {
      expectLossError(() => evaluate('poly1Focal', { target: [1] }), 'E_INPUT', ["'input'"]);
    });
  });
});
