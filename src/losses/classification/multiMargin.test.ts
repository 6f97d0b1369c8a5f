import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { multiMargin } from './multiMargin.js';

const X = [[0.1, 0.2, 0.4, 0.8]];

describe('multiMargin', () => {
  describe('golden values (torch.nn.functional.multi_margin_loss)', () => {
    goldenTests('multiMargin');
  });

  describe('gradients', () => {
    it('matches central finite differences away from the kinks, for p = 1 and 2 with weights', () => {
      const input = tensorOf([3, 4], (i) => Math.sin(2.1 * i) * 1.3);
      const target = { data: Int32Array.of(0, 3, 1), shape: [3] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('multiMargin', { input, target }, { reduction });
        checkGradFD(
          'multiMargin',
          { input, target },
          { reduction, p: 2, margin: 0.7, weight: [1, 0.5, 2, 1.5] },
        );
      }
    });
    it('gives 0 gradient at exactly margin − x_y + x_i = 0 (torch tests z > 0)', () => {
      // scores (0, 1, 0.5), target 1: z = 0 for class 0, 0.5 for class 2
      const { grads } = multiMargin.valueAndGrad([[0, 1, 0.5]], [1], { reduction: 'sum' });
      expect(Array.from(grads.input.data)).toEqual([0, -1 / 3, 1 / 3]);
    });
  });

  describe('identities', () => {
    it("reproduces torch's documentation example, 0.325", () => {
      // (1 − 0.8 + 0.1) + (1 − 0.8 + 0.2) + (1 − 0.8 + 0.4) = 1.3, ÷ C = 4
      expectClose(multiMargin(X, [3]) as number, 0.325);
    });
    it('squares each hinge for p = 2', () => {
      expectClose(multiMargin(X, [3], { p: 2 }) as number, (0.09 + 0.16 + 0.36) / 4);
    });
    it('weights by the target class only', () => {
      expectClose(multiMargin(X, [3], { weight: [9, 9, 9, 2] }) as number, 0.65);
    });
  });

  describe('reductions', () => {
    it("gives one value per sample under 'none' and () for an unbatched input", () => {
      const out = multiMargin([X[0], X[0]], [3, 3], { reduction: 'none' }) as Tensor;
      expect(out.shape).toEqual([2]);
      expect((multiMargin(X[0], 3, { reduction: 'none' }) as Tensor).shape).toEqual([]);
    });
  });

  describe('edge cases', () => {
    it('overwrites a caller buffer full of NaN, with 0 for classes outside the margin', () => {
      // sample 0: z = 0.3, 0.4, 0.6 all active (±1/C each); sample 1: z = 1 − 3 + 0 = −2 for all
      const into = { input: new Float64Array(8).fill(NaN) };
      const { grads } = multiMargin.valueAndGrad(
        [X[0], [3, 0, 0, 0]],
        [3, 0],
        { reduction: 'sum' },
        { into },
      );
      expect(grads.input.data).toBe(into.input);
      expect(Array.from(into.input)).toEqual([0.25, 0.25, 0.25, -0.75, 0, 0, 0, 0]);
    });
    it('propagates NaN', () => {
      expect(multiMargin([[NaN, 0]], [1])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      expect(
        evaluate('multiMargin', {
          input: { data: new Float64Array(0), shape: [0, 3] },
          target: { data: new Int32Array(0), shape: [0] },
        }).value,
      ).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects p other than 1 or 2 with E_OPTION', () => {
      expectLossError(() => multiMargin(X, [3], { p: 3 }), 'E_OPTION', [
        'multiMargin',
        "'p'",
        '<= 2',
        'p=3',
      ]);
    });
    it('rejects a class index out of range with E_RANGE', () => {
      expectLossError(() => multiMargin(X, [4]), 'E_RANGE', ["'target'", '4 at flat position 0']);
    });
    it('rejects a non-integer target with E_TYPE', () => {
      expectLossError(() => multiMargin(X, [1.5]), 'E_TYPE', ["'target'", '1.5']);
    });
    it('rejects a rank-3 input and a weight of the wrong length with E_SHAPE', () => {
      expectLossError(() => multiMargin([[[1, 2]]], [[0]]), 'E_SHAPE', ["'input'", 'rank 1 or 2']);
      expectLossError(() => multiMargin(X, [3], { weight: [1, 2] }), 'E_SHAPE', [
        "option 'weight'",
        'C = 4',
      ]);
    });
  });
});
