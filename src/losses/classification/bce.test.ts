import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { bce } from './bce.js';
import { bceWithLogits } from './bceWithLogits.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('bce', () => {
  describe('golden values (torch.nn.functional.binary_cross_entropy)', () => {
    goldenTests('bce');
  });

  describe('gradients', () => {
    it('matches central finite differences with weights and label smoothing', () => {
      const input = tensorOf([2, 3], (i) => 0.1 + 0.13 * i);
      const target = tensorOf([2, 3], (i) => (i % 2 === 0 ? 1 : 0.25));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('bce', { input, target }, { reduction });
        checkGradFD('bce', { input, target }, { reduction, weight: [0.5, 2, 1.5] });
        checkGradFD('bce', { input, target }, { reduction, labelSmoothing: 0.3 });
      }
    });
    it('keeps torch’s clamped gradient ∓1/float32(1e-12) at probabilities 0 and 1', () => {
      // torch 1.13: (p − y)/max(p(1 − p), EPSILON) with EPSILON = float32(1e-12) = 9.99999996e-13.
      const { grads } = bce.valueAndGrad([0, 1], [1, 0], { reduction: 'sum' });
      const inv = 1 / Math.fround(1e-12);
      expect(Array.from(grads.input.data)).toEqual([-inv, inv]);
    });
  });

  describe('identities', () => {
    it('equals bceWithLogits at p = σ(x)', () => {
      const x = [-3, -0.5, 0.2, 2.5];
      const y = [0, 1, 0.3, 1];
      expectClose(bce(x.map(sigmoid), y) as number, bceWithLogits(x, y) as number);
    });
    it('gives sum = n · mean, also with weights (mean is mean(w·ℓ), not divided by Σw)', () => {
      const p = [0.2, 0.7, 0.9];
      const y = [0, 1, 0];
      const w = [3, 0.5, 2];
      const sum = bce(p, y, { reduction: 'sum', weight: w }) as number;
      expectClose(sum, 3 * (bce(p, y, { weight: w }) as number));
    });
    it('gives uniform weights of 1 the unweighted value', () => {
      const p = [0.2, 0.7, 0.9];
      const y = [0, 1, 0];
      expect(bce(p, y, { weight: [1, 1, 1] })).toBe(bce(p, y));
    });
    it('smooths labels toward one half: ε = 1 gives ln 2 at p = 0.5 for any label', () => {
      // y ← y(1 − 1) + 1/2 = 1/2 and −½ log ½ − ½ log ½ = ln 2.
      expectClose(bce([0.5, 0.5], [0, 1], { labelSmoothing: 1 }) as number, Math.LN2);
    });
  });

  describe('reductions and weights', () => {
    it('broadcasts a (C) weight over the rows and keeps the shape under none', () => {
      const out = bce(
        [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        [
          [1, 1],
          [0, 0],
        ],
        { weight: [2, 0], reduction: 'none' },
      ) as Tensor;
      expect(out.shape).toEqual([2, 2]);
      expectClose(out.data[0], 2 * Math.LN2);
      expect(out.data[1]).toBe(0);
      expectClose(out.data[2], 2 * Math.LN2);
    });
    it('gives a single-value weight the result of the same weight as a full tensor, bit for bit', () => {
      // The number stays a number (no N copies); the products are the same either way.
      const p = [0.2, 0.7, 0.9];
      const y = [0, 1, 0.5];
      for (const reduction of ['sum', 'none'] as const) {
        const a = bce.valueAndGrad(p, y, { weight: 1.5, reduction });
        const b = bce.valueAndGrad(p, y, { weight: [1.5, 1.5, 1.5], reduction });
        expect(a.value).toEqual(b.value);
        expect(a.grads.input.data).toEqual(b.grads.input.data);
      }
    });
    it('gives 0 and zero gradient when every weight is 0', () => {
      const { value, grads } = bce.valueAndGrad([0.3, 0.6], [1, 0], { weight: 0 });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data, Math.abs)).toEqual([0, 0]);
    });
  });

  describe('edge cases', () => {
    it('costs exactly 100 for a probability of 0 or 1 on the wrong side', () => {
      expect(bce([0, 1], [1, 0], { reduction: 'sum' })).toBe(200);
    });
    it('costs 0 for a confident correct probability', () => {
      expect(bce([1, 0], [1, 0])).toBe(0);
    });
    it('gives 0 for empty input and propagates NaN', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(bce(empty, empty)).toBe(0);
      expect(bce([NaN, 0.5], [1, 1])).toBeNaN();
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 48;
      const input = tensorOf([n], (i) => [0, 1, 1e-12, 0.5, 0.93, 0.07][i % 6]);
      const target = tensorOf([n], (i) => [0, 1, 0.25, 1][i % 4]);
      const fast = bce.valueAndGrad(input, target, { labelSmoothing: 0.2 });
      const general = bce.valueAndGrad(
        input,
        target,
        { labelSmoothing: 0.2, reduction: 'none' },
        { upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] } },
      );
      expect(fast.grads.input.data).toEqual(general.grads.input.data);
    });
    it('keeps float32 output dtype for float32 input under none', () => {
      const out = bce({ data: Float32Array.of(0.25, 0.5), shape: [2] }, [0, 1], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a probability outside [0, 1] (E_RANGE)', () => {
      expectLossError(() => bce([0.5, 1.5], [1, 0]), 'E_RANGE', [
        'bce',
        "'input'",
        'probabilities in [0, 1]',
        '1.5 at flat position 1',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => bce([0.5, 0.5], [1, 0, 1]), 'E_SHAPE', ['bce', "'target'", '[3]']);
    });
    it('rejects a weight that does not broadcast (E_SHAPE)', () => {
      expectLossError(() => bce([0.5, 0.5], [1, 0], { weight: [1, 2, 3] }), 'E_SHAPE', [
        'bce',
        "'weight'",
        'broadcasts to [2]',
        '[3]',
      ]);
    });
    it('rejects label smoothing above 1 (E_OPTION)', () => {
      expectLossError(() => bce([0.5], [1], { labelSmoothing: 1.5 }), 'E_OPTION', [
        "option 'labelSmoothing'",
        '<= 1',
        'labelSmoothing=1.5',
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('bce', { input: ['a'], target: [1] }), 'E_TYPE', ["'input'"]);
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('bce', { input: [0.5] }), 'E_INPUT', ["'target'"]);
    });
  });
});
