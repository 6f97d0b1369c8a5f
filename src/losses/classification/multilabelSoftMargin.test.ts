import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { bceWithLogits } from './bceWithLogits.js';
import { multilabelSoftMargin } from './multilabelSoftMargin.js';

describe('multilabelSoftMargin', () => {
  describe('golden values (torch.nn.functional.multilabel_soft_margin_loss)', () => {
    goldenTests('multilabelSoftMargin');
  });

  describe('gradients', () => {
    it('matches central finite differences with and without class weights', () => {
      const input = tensorOf([3, 4], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([3, 4], (i) => (i % 3 === 0 ? 1 : 0));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('multilabelSoftMargin', { input, target }, { reduction });
        checkGradFD(
          'multilabelSoftMargin',
          { input, target },
          { reduction, weight: [0.5, 2, 1, 0.1] },
        );
      }
    });
    it('computes the same gradient for a (C) weight of ones as without a weight, bit for bit', () => {
      // An absent weight is a row of C ones, so both take the same products.
      const input = tensorOf([3, 4], (i) => Math.cos(i) * 4);
      const target = tensorOf([3, 4], (i) => [1, 0, 0.4][i % 3]);
      const a = multilabelSoftMargin.valueAndGrad(input, target, { reduction: 'sum' });
      const b = multilabelSoftMargin.valueAndGrad(input, target, {
        reduction: 'sum',
        weight: [1, 1, 1, 1],
      });
      expect(a.value).toBe(b.value);
      expect(a.grads.input.data).toEqual(b.grads.input.data);
    });
    it('gives each element of a row the slope w_c·(σ(x) − y)/C times its row’s upstream', () => {
      // At x = 0: σ(0) − y = ±1/2; C = 2, upstream (2, −1) per row.
      const { grads } = multilabelSoftMargin.valueAndGrad(
        [
          [0, 0],
          [0, 0],
        ],
        [
          [1, 0],
          [0, 1],
        ],
        { reduction: 'none', weight: [3, 1] },
        { upstream: [2, -1] },
      );
      expect(Array.from(grads.input.data)).toEqual([
        (2 * 3 * -0.5) / 2,
        (2 * 1 * 0.5) / 2,
        (-1 * 3 * 0.5) / 2,
        (-1 * 1 * -0.5) / 2,
      ]);
    });
  });

  describe('identities', () => {
    it('has a mean equal to bceWithLogits’ mean without weights', () => {
      const x = [
        [1.2, -0.5, 0.3],
        [-1.0, 2.0, -0.7],
      ];
      const y = [
        [1, 0, 1],
        [0, 1, 0],
      ];
      expectClose(multilabelSoftMargin(x, y) as number, bceWithLogits(x, y) as number);
    });
  });

  describe('reductions and weights', () => {
    it("returns one loss per sample under 'none', and a scalar tensor for a (C) input", () => {
      const rows = multilabelSoftMargin([[0, 0, 0]], [[1, 0, 1]], { reduction: 'none' }) as Tensor;
      expect(rows.shape).toEqual([1]);
      expectClose(rows.data[0], Math.LN2);
      const one = multilabelSoftMargin([0, 0], [1, 0], { reduction: 'none' }) as Tensor;
      expect(one.shape).toEqual([]);
      expectClose(one.data[0], Math.LN2);
    });
    it('weights each class and still divides by C', () => {
      // (2·ln 2 + 0·ln 2) / 2 = ln 2.
      expectClose(multilabelSoftMargin([[0, 0]], [[1, 0]], { weight: [2, 0] }) as number, Math.LN2);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for zero classes', () => {
      expect(
        multilabelSoftMargin(
          { data: new Float64Array(0), shape: [0, 3] },
          { data: new Float64Array(0), shape: [0, 3] },
        ),
      ).toBe(0);
      const zeroC = { data: new Float64Array(0), shape: [2, 0] };
      const out = multilabelSoftMargin(zeroC, zeroC, { reduction: 'none' }) as Tensor;
      expect(Array.from(out.data)).toEqual([0, 0]);
    });
    it('stays finite for logits ±700 and propagates NaN', () => {
      expect(Number.isFinite(multilabelSoftMargin([[700, -700]], [[0, 1]]) as number)).toBe(true);
      expect(multilabelSoftMargin([[NaN, 1]], [[1, 1]])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a weight that is not (C) (E_SHAPE)', () => {
      expectLossError(
        () => multilabelSoftMargin([[1, 2, 3]], [[1, 0, 1]], { weight: [1, 2] }),
        'E_SHAPE',
        ['multilabelSoftMargin', "option 'weight'", 'C = 3', '[2]'],
      );
    });
    it('rejects a scalar input (E_SHAPE)', () => {
      expectLossError(() => multilabelSoftMargin(1, 1), 'E_SHAPE', [
        'multilabelSoftMargin',
        "'input'",
        '(N, C) or (C)',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => multilabelSoftMargin([[1, 2]], [[1, 0, 1]]), 'E_SHAPE', ["'target'"]);
    });
    it('rejects a number as weight (E_OPTION)', () => {
      expectLossError(
        () => multilabelSoftMargin([[1]], [[1]], { weight: 2 as never }),
        'E_OPTION',
        ["option 'weight'"],
      );
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('multilabelSoftMargin', { input: [['a']], target: [[1]] }),
        'E_TYPE',
        ["'input'"],
      );
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('multilabelSoftMargin', { input: [[1]] }), 'E_INPUT', [
        "'target'",
      ]);
    });
  });
});
