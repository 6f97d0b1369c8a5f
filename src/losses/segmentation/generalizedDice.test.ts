import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { multiclassCase } from '../../test-support/segmentation.js';
import { generalizedDice } from './generalizedDice.js';

describe('generalizedDice', () => {
  describe('golden values (MONAI GeneralizedDiceLoss transcribed in torch)', () => {
    goldenTests('generalizedDice');
  });

  describe('gradients', () => {
    it('matches central finite differences for every weight type and reduction', () => {
      for (const weightType of ['square', 'simple', 'uniform']) {
        for (const reduction of ['mean', 'sum', 'none']) {
          checkGradFD('generalizedDice', multiclassCase(61, 2, 3, [2, 2]), {
            weightType,
            reduction,
          });
        }
      }
      const probs = multiclassCase(62, 2, 3, [3]);
      probs.input.data.forEach((v, i) => (probs.input.data[i] = 0.2 + 0.6 / (1 + Math.exp(-v))));
      checkGradFD('generalizedDice', probs, { fromLogits: false, smooth: 0.1 });
    });
  });

  describe('identities', () => {
    it("with 'uniform' weights equals the pooled dice 1 − (2ΣTP + s)/(Σp + Σt + s) of one-hot probabilities", () => {
      // hard probabilities: p = one-hot of (0, 1, 1, 0), t = (0, 1, 0, 0): ΣTP = 3, Σp + Σt = 8
      const input = [
        [
          [1, 0, 0, 1],
          [0, 1, 1, 0],
        ],
      ];
      const v = generalizedDice(input, [[0, 1, 0, 0]], {
        fromLogits: false,
        weightType: 'uniform',
        smooth: 0,
      });
      expectClose(v, 1 - 6 / 8, { rtol: 1e-15 });
    });
    it("replaces an absent class's infinite weight by the largest finite weight of the sample", () => {
      // C = 3, t = (0, 0, 0, 1): T = (3, 1, 0) → w = (1/9, 1, ∞ → 1); p one-hot of (0, 0, 2, 1)
      // TP = (2, 1, 0), P + T = (5, 2, 1): loss = 1 − 2(2/9 + 1)/(5/9 + 2 + 1)
      const input = [
        [
          [1, 1, 0, 0],
          [0, 0, 0, 1],
          [0, 0, 1, 0],
        ],
      ];
      const v = generalizedDice(input, [[0, 0, 0, 1]], { fromLogits: false, smooth: 0 });
      expectClose(v, 1 - (2 * (2 / 9 + 1)) / (5 / 9 + 3), { rtol: 1e-15 });
    });
  });

  describe('reductions', () => {
    it("sums the per-sample 'none' losses under 'sum' and averages them under 'mean'", () => {
      const c = multiclassCase(63, 3, 3, [4]);
      const none = generalizedDice(c.input, c.target, { reduction: 'none' });
      expect(none.shape).toEqual([3]);
      const [a, b, d] = Array.from(none.data);
      expectClose(generalizedDice(c.input, c.target, { reduction: 'sum' }), a + b + d, {
        rtol: 1e-15,
      });
      expectClose(generalizedDice(c.input, c.target), (a + b + d) / 3, { rtol: 1e-15 });
    });
    it('scores each sample on its own (batch = False)', () => {
      const c = multiclassCase(64, 2, 3, [4]);
      const none = generalizedDice(c.input, c.target, { reduction: 'none' });
      const first = generalizedDice(
        { data: c.input.data.slice(0, 12), shape: [1, 3, 4] },
        { data: c.target.data.slice(0, 4), shape: [1, 4] },
      );
      expect(none.data[0]).toBe(first);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and propagates NaN', () => {
      expect(
        generalizedDice(
          { data: new Float64Array(0), shape: [0, 2, 3] },
          { data: new Int32Array(0), shape: [0, 3] },
        ),
      ).toBe(0);
      expect(generalizedDice([[[NaN, 0]]], [[0, 0]])).toBeNaN();
    });
    it('keeps float32 for the per-sample output of float32 input', () => {
      const out = generalizedDice(
        { data: Float32Array.of(0.5, -0.5, 1, 0), shape: [1, 2, 2] },
        [[0, 1]],
        {
          reduction: 'none',
        },
      );
      expect(out.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects an unknown weightType (E_OPTION) with a hint', () => {
      expectLossError(
        () => generalizedDice([[[1]]], [[0]], { weightType: 'squared' as 'square' }),
        'E_OPTION',
        ["option 'weightType'", "Did you mean 'square'?"],
      );
    });
    it('rejects a target shaped like the input (E_SHAPE) and indices out of range (E_RANGE)', () => {
      expectLossError(
        () => evaluate('generalizedDice', { input: [[[1, 2]]], target: [[[1, 0]]] }),
        'E_SHAPE',
        ["'target'"],
      );
      expectLossError(() => generalizedDice([[[1, 2]]], [[0, 1]]), 'E_RANGE', ['[0, 0]']);
    });
    it('rejects non-integer indices (E_TYPE)', () => {
      expectLossError(() => generalizedDice([[[1, 2]]], [[0, 0.5]]), 'E_TYPE', ['integer']);
    });
  });
});
