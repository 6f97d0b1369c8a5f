import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { multilabelMargin } from './multilabelMargin.js';

const X = [[0.1, 0.2, 0.4, 0.8]];

describe('multilabelMargin', () => {
  describe('golden values (torch.nn.functional.multilabel_margin_loss)', () => {
    goldenTests('multilabelMargin');
  });

  describe('gradients', () => {
    it('matches central finite differences away from the kinks', () => {
      const input = tensorOf([3, 4], (i) => Math.sin(1.7 * i) * 1.4);
      const target = { data: Int32Array.of(3, 0, -1, 1, 2, -1, 0, 0, 0, 1, 2, 3), shape: [3, 4] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('multilabelMargin', { input, target }, { reduction });
      }
    });
    it('gives 0 gradient at exactly 1 − (x_j − x_i) = 0 (torch tests z > 0)', () => {
      // scores (0, 1, 0), target {1}: z = 0 for classes 0 and 2
      const { value, grads } = multilabelMargin.valueAndGrad([[0, 1, 0]], [[1, -1, 0]], {
        reduction: 'sum',
      });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data, Math.abs)).toEqual([0, 0, 0]);
    });
  });

  describe('identities', () => {
    it("reproduces torch's documentation example, 0.85", () => {
      // targets {3, 0}, others {1, 2}: [(1−(0.8−0.2)) + (1−(0.8−0.4)) + (1−(0.1−0.2)) + (1−(0.1−0.4))]/4
      expectClose(multilabelMargin(X, [[3, 0, -1, 1]]) as number, 0.85);
    });
    it('gives 0 for a sample without targets (a leading −1)', () => {
      expect(multilabelMargin(X, [[-1, 3, 0, 1]])).toBe(0);
    });
    it('counts a repeated target index twice, as torch', () => {
      expectClose(multilabelMargin([[0, 1, 0.5]], [[1, 1, -1]]) as number, (2 * 0.5) / 3);
    });
    it('counts a repeated target index twice in the gradient too', () => {
      // target 1 (twice) against others {0, 2}: z = 0 for class 0 (inactive), 0.5 for class 2,
      // so class 2 gets +1/C twice and class 1 gets −1/C twice
      const { grads } = multilabelMargin.valueAndGrad([[0, 1, 0.5]], [[1, 1, -1]], {
        reduction: 'sum',
      });
      expect(Array.from(grads.input.data)).toEqual([0, -2 / 3, 2 / 3]);
    });
  });

  describe('reductions', () => {
    it("gives one value per sample under 'none' and () for an unbatched input", () => {
      const out = multilabelMargin(
        [X[0], X[0]],
        [
          [3, -1, 0, 0],
          [0, -1, 0, 0],
        ],
        { reduction: 'none' },
      ) as Tensor;
      expect(out.shape).toEqual([2]);
      expect(
        (multilabelMargin(X[0], [3, -1, 0, 0], { reduction: 'none' }) as Tensor).shape,
      ).toEqual([]);
    });
  });

  describe('edge cases', () => {
    it('overwrites a caller buffer full of NaN, with 0 for a sample whose margins all hold', () => {
      // sample 1: target {0} scores 5, others 0: z = 1 − 5 = −4, no active pair
      const into = { input: new Float64Array(6).fill(NaN) };
      const { grads } = multilabelMargin.valueAndGrad(
        [
          [0, 1, 0.5],
          [5, 0, 0],
        ],
        [
          [1, 1, -1],
          [0, -1, 0],
        ],
        { reduction: 'sum' },
        { into },
      );
      expect(grads.input.data).toBe(into.input);
      expect(Array.from(into.input)).toEqual([0, -2 / 3, 2 / 3, 0, 0, 0]);
    });
    it('propagates NaN', () => {
      expect(multilabelMargin([[NaN, 0]], [[1, -1]])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      expect(
        evaluate('multilabelMargin', {
          input: { data: new Float64Array(0), shape: [0, 3] },
          target: { data: new Int32Array(0), shape: [0, 3] },
        }).value,
      ).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects an index outside [−1, C) anywhere in the row with E_RANGE (as torch)', () => {
      expectLossError(() => multilabelMargin(X, [[3, -1, 9, 0]]), 'E_RANGE', [
        'multilabelMargin',
        "'target'",
        'padding -1',
        '9 at flat position 2',
      ]);
      expectLossError(() => multilabelMargin(X, [[-2, -1, 0, 0]]), 'E_RANGE', ['-2']);
    });
    it('rejects a non-integer target with E_TYPE', () => {
      expectLossError(() => multilabelMargin(X, [[0.5, -1, 0, 0]]), 'E_TYPE', ["'target'", '0.5']);
    });
    it('rejects a target of another shape with E_SHAPE', () => {
      expectLossError(() => multilabelMargin(X, [3]), 'E_SHAPE', ["'target'", '[1, 4]', '[1]']);
    });
  });
});
