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
import { weightedBce } from './weightedBce.js';

describe('weightedBce', () => {
  describe('golden values (torch transcription of HED class-balanced cross-entropy)', () => {
    goldenTests('weightedBce');
  });

  describe('gradients', () => {
    it('matches central finite differences, the balanced weights being constants', () => {
      const input = tensorOf([2, 4], (i) => Math.cos(i + 0.5) * 2.5);
      const target = tensorOf([2, 4], (i) => (i % 3 === 0 ? 1 : 0));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('weightedBce', { input, target }, { reduction, posWeight: 2, negWeight: 0.3 });
        checkGradFD('weightedBce', { input, target }, { reduction, balanced: true });
      }
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 64;
      const input = tensorOf([n], (i) => (i % 2 === 0 ? 1 : -1) * Math.exp((i % 13) - 6));
      const target = tensorOf([n], (i) => [0, 1, 0.3, 1, 0][i % 5]);
      for (const options of [{ posWeight: 3, negWeight: 0.5 }, { balanced: true }]) {
        const fast = weightedBce.valueAndGrad(input, target, options);
        const general = weightedBce.valueAndGrad(
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
    it('equals bceWithLogits with unit weights, and with posWeight when negWeight is 1', () => {
      const x = [1.2, -0.4, 0.3, -2.0];
      const y = [1, 0, 0.5, 1];
      expectClose(weightedBce(x, y) as number, bceWithLogits(x, y) as number);
      expectClose(
        weightedBce(x, y, { posWeight: 3 }) as number,
        bceWithLogits(x, y, { posWeight: 3 }) as number,
      );
    });
    it('scales bceWithLogits by negWeight when it equals posWeight', () => {
      const x = [1.2, -0.4, 0.3];
      const y = [1, 0, 0];
      expectClose(
        weightedBce(x, y, { posWeight: 0.7, negWeight: 0.7 }) as number,
        0.7 * (bceWithLogits(x, y) as number),
      );
    });
    it('uses w₊ = N₋/N and w₋ = N₊/N when balanced', () => {
      // target has N₊ = 1 of N = 4: w₊ = 3/4, w₋ = 1/4.
      const x = [0.9, -0.1, 1.6, -2.2];
      const y = [1, 0, 0, 0];
      const got = weightedBce(x, y, { balanced: true, reduction: 'none' }) as Tensor;
      const want = weightedBce(x, y, { posWeight: 0.75, negWeight: 0.25, reduction: 'none' });
      expectTensorClose(got, want as Tensor);
    });
    it('ignores posWeight and negWeight when balanced', () => {
      const x = [0.9, -0.1, 1.6];
      const y = [1, 0, 0];
      expect(weightedBce(x, y, { balanced: true, posWeight: 9, negWeight: 4 })).toBe(
        weightedBce(x, y, { balanced: true }),
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input, balanced or not', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(weightedBce(empty, empty)).toBe(0);
      expect(weightedBce(empty, empty, { balanced: true })).toBe(0);
    });
    it('costs 0 with slope 0 for an infinite logit whose term has weight 0', () => {
      // x = −∞ against y = 1 costs w₊·∞ with slope −w₊: with w₊ = 0 both are 0, not 0·∞ = NaN.
      const { value, grads } = weightedBce.valueAndGrad([-Infinity, Infinity], [1, 0], {
        posWeight: 0,
        negWeight: 0,
        reduction: 'sum',
      });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data, Math.abs)).toEqual([0, 0]);
    });
    it('stays finite for logits ±700 and propagates NaN', () => {
      // Each element is softplus(−700) = e^−700 ≈ 9.86e−305.
      expectClose(weightedBce([700, -700], [1, 0]) as number, Math.exp(-700));
      expect(weightedBce([NaN], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a negative posWeight (E_OPTION)', () => {
      expectLossError(() => weightedBce([1], [1], { posWeight: -1 }), 'E_OPTION', [
        'weightedBce',
        "option 'posWeight'",
        '>= 0',
        'posWeight=-1',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => weightedBce([1, 2], [1]), 'E_SHAPE', ['weightedBce', "'target'"]);
    });
    it('rejects a non-numeric target (E_TYPE)', () => {
      expectLossError(() => evaluate('weightedBce', { input: [1], target: ['x'] }), 'E_TYPE', [
        "'target'",
      ]);
    });
    it('rejects a missing input (E_INPUT)', () => {
      expectLossError(() => evaluate('weightedBce', { target: [1] }), 'E_INPUT', ["'input'"]);
    });
  });
});
