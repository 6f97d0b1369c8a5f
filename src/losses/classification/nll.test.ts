import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { nll } from './nll.js';

const LP = [
  [-0.4, -1.4, -2.3],
  [-1.2, -0.7, -1.5],
  [-2.0, -1.0, -0.5],
];

describe('nll', () => {
  describe('golden values (torch.nn.functional.nll_loss)', () => {
    goldenTests('nll');
  });

  describe('gradients', () => {
    it('matches central finite differences with weights and an ignored pixel', () => {
      const input = tensorOf([2, 3, 3], (i) => -0.1 - 0.2 * i);
      const target = { data: Int32Array.of(0, 2, -100, 1, 1, 0), shape: [2, 3] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('nll', { input, target }, { reduction, weight: [0.5, 2, 1.25] });
      }
    });
    it('puts −w[y]/Σw at the target entries and 0 elsewhere', () => {
      const { grads } = nll.valueAndGrad(LP, [2, 0, 2], { weight: [1, 1, 2] });
      // Σ w[y] = 2 + 1 + 2 = 5
      expect(Array.from(grads.input.data)).toEqual([0, 0, -0.4, -0.2, 0, 0, 0, 0, -0.4]);
    });
  });

  describe('identities', () => {
    it('is minus the mean log-probability of the targets without weights', () => {
      expectClose(nll(LP, [0, 1, 2]) as number, (0.4 + 0.7 + 0.5) / 3);
    });
    it('gives uniform weights the unweighted mean', () => {
      expectClose(
        nll(LP, [0, 1, 2], { weight: [3, 3, 3] }) as number,
        nll(LP, [0, 1, 2]) as number,
      );
    });
  });

  describe('reductions and weights', () => {
    it('divides by Σ w[y] over non-ignored targets under mean', () => {
      // (−0.5·−2.3 + 2·−0.5... ) written out: targets 2 (w 2) and 0 (w 0.5), sample 1 ignored
      const v = nll(LP, [2, -100, 0], { weight: [0.5, 1, 2] }) as number;
      expectClose(v, (2 * 2.3 + 0.5 * 2.0) / 2.5);
    });
    it('gives 0 with zero gradient when every target is ignored', () => {
      const { value, grads } = nll.valueAndGrad(LP, [-100, -100, -100]);
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
    it("writes 0 at ignored positions under 'none'", () => {
      const out = nll(LP, [7, 1, 7], { ignoreIndex: 7, reduction: 'none' }) as Tensor;
      expect(Array.from(out.data)).toEqual([0, 0.7, 0]);
    });
  });

  describe('edge cases', () => {
    it('accepts an unbatched (C) input with a scalar target', () => {
      expect(nll([-0.1, -2.5], 1)).toBe(2.5);
    });
    it('propagates NaN and infinite log-probabilities', () => {
      expect(nll([[NaN, -1]], [0])).toBeNaN();
      expect(nll([[-Infinity, -1]], [0])).toBe(Infinity);
    });
    it('gives 0 for an empty batch', () => {
      expect(
        evaluate('nll', {
          input: { data: new Float64Array(0), shape: [0, 2] },
          target: { data: new Int32Array(0), shape: [0] },
        }).value,
      ).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a class index out of range with E_RANGE', () => {
      expectLossError(() => nll(LP, [0, 1, 3]), 'E_RANGE', [
        'nll',
        "'target'",
        '3 at flat position 2',
      ]);
    });
    it('rejects a non-integer target with E_TYPE', () => {
      expectLossError(() => nll(LP, [0, 0.5, 1]), 'E_TYPE', ['nll', "'target'", '0.5']);
    });
    it('rejects a target of the wrong shape and a weight of the wrong length with E_SHAPE', () => {
      expectLossError(() => nll(LP, [[0, 1, 2]]), 'E_SHAPE', ["'target'", '[3]', '[1, 3]']);
      expectLossError(() => nll(LP, [0, 1, 2], { weight: [1] }), 'E_SHAPE', ["option 'weight'"]);
    });
    it('rejects a non-integer ignoreIndex with E_OPTION', () => {
      expectLossError(() => nll(LP, [0, 1, 2], { ignoreIndex: 0.5 }), 'E_OPTION', [
        "'ignoreIndex'",
        'ignoreIndex=0.5',
      ]);
    });
  });
});
