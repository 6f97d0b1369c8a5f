import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { categoricalHinge } from './categoricalHinge.js';

const T = [
  [0, 1, 0],
  [0, 0, 1],
];

describe('categoricalHinge', () => {
  describe('golden values (Keras CategoricalHinge transcribed in torch)', () => {
    goldenTests('categoricalHinge');
  });

  describe('gradients', () => {
    it('matches central finite differences away from the kink and from ties', () => {
      const input = tensorOf([2, 3], (i) => [0.3, 1.2, -0.5, 2.0, 0.1, 0.4][i]);
      const target = tensorOf([2, 3], (i) => T[Math.floor(i / 3)][i % 3]);
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('categoricalHinge', { input, target }, { reduction });
      }
    });
    it('passes half the slope at exactly 1 + max − true = 0 (torch.maximum tie)', () => {
      // scores (0.5, 1.5, 0.2), true class 1: 1 + 0.5 − 1.5 = 0
      const { value, grads } = categoricalHinge.valueAndGrad([[0.5, 1.5, 0.2]], [[0, 1, 0]], {
        reduction: 'sum',
      });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([0.5, -0.5, 0]);
    });
    it('splits the max gradient evenly among tied classes (torch.amax)', () => {
      // (1 − y)·x = (0.7, 0.7, 0): classes 0 and 1 tie; gradient ½, ½ and −1 for the true class
      const { grads } = categoricalHinge.valueAndGrad([[0.7, 0.7, 1.0]], [[0, 0, 1]], {
        reduction: 'sum',
      });
      expect(Array.from(grads.input.data)).toEqual([0.5, 0.5, -1]);
    });
  });

  describe('identities', () => {
    it('counts the true-class slot (value 0) in the max, so negative other scores give 1 − x_true', () => {
      expectClose(categoricalHinge([[-2, 0.25, -1]], [[0, 1, 0]]) as number, 0.75);
    });
    it('is 0 once the true score beats every other by the margin', () => {
      expect(categoricalHinge([[0, 2.5, 1.5]], [[0, 1, 0]])).toBe(0);
    });
  });

  describe('reductions', () => {
    it("gives one value per sample under 'none' and their mean under 'mean'", () => {
      const x = [
        [0.3, 1.2, -0.5],
        [2.0, 0.1, 0.4],
      ];
      const out = categoricalHinge(x, T, { reduction: 'none' }) as Tensor;
      expect(out.shape).toEqual([2]);
      // row 1: max(0.3, 0, −0.5) = 0.3 → 1 + 0.3 − 1.2; row 2: max(2, 0.1, 0) = 2 → 1 + 2 − 0.4
      expectClose(out.data[0], 0.1);
      expectClose(out.data[1], 2.6);
      expectClose(categoricalHinge(x, T) as number, 1.35);
    });
  });

  describe('edge cases', () => {
    it('overwrites a caller buffer full of NaN, with 0 for a sample beyond the margin', () => {
      // sample 0: 1 + 1.5 − 3 < 0, no gradient; sample 1: 1 + 0.3 − 1.2 > 0, max at class 0
      const into = { input: new Float64Array(6).fill(NaN) };
      const { grads } = categoricalHinge.valueAndGrad(
        [
          [0, 3, 1.5],
          [0.3, 1.2, -0.5],
        ],
        [
          [0, 1, 0],
          [0, 1, 0],
        ],
        { reduction: 'sum' },
        { into },
      );
      expect(grads.input.data).toBe(into.input);
      expect(Array.from(into.input)).toEqual([0, 0, 0, 1, -1, 0]);
    });
    it('propagates NaN', () => {
      expect(categoricalHinge([[NaN, 1]], [[0, 1]])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      const e = { data: new Float64Array(0), shape: [0, 3] };
      expect(evaluate('categoricalHinge', { input: e, target: e }).value).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape with E_SHAPE', () => {
      expectLossError(() => categoricalHinge([[1, 2]], [[1, 0, 0]]), 'E_SHAPE', [
        'categoricalHinge',
        "'target'",
        '[1, 2]',
        '[1, 3]',
      ]);
    });
    it('rejects a non-numeric input with E_TYPE', () => {
      expectLossError(
        () => evaluate('categoricalHinge', { input: [[true, 'x']], target: [[1, 0]] }),
        'E_TYPE',
        ["'input'"],
      );
    });
    it('rejects an unknown option with E_OPTION', () => {
      expectLossError(
        () => categoricalHinge([[1, 2]], [[1, 0]], { margin: 2 } as never),
        'E_OPTION',
        ["'margin'"],
      );
    });
  });
});
