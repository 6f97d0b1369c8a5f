import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { bceWithLogits } from './bceWithLogits.js';
import { softMargin } from './softMargin.js';

describe('softMargin', () => {
  describe('golden values (torch.nn.functional.soft_margin_loss)', () => {
    goldenTests('softMargin');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 3);
      const target = tensorOf([2, 3], (i) => (i % 2 === 0 ? 1 : -1));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('softMargin', { input, target }, { reduction });
      }
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      // The mean's gradient takes the branch-free loop; 'none' with an upstream of 1/n the general one.
      const n = 40;
      const input = tensorOf([n], (i) => Math.sin(i + 0.5) * 3);
      const target = tensorOf([n], (i) => (i % 3 === 0 ? 1 : -1));
      const fast = softMargin.valueAndGrad(input, target);
      const general = softMargin.valueAndGrad(
        input,
        target,
        { reduction: 'none' },
        { upstream: { data: new Float64Array(n).fill(1 / n), shape: [n] } },
      );
      expect(fast.grads.input.data).toEqual(general.grads.input.data);
    });
  });

  describe('identities', () => {
    it('equals bceWithLogits with the ±1 labels mapped to 1/0', () => {
      const x = [0.3, -2, 1.7, 0.4];
      const y = [1, -1, 1, -1];
      expectClose(
        softMargin(x, y) as number,
        bceWithLogits(
          x,
          y.map((v) => (v + 1) / 2),
        ) as number,
      );
    });
    it('equals log 2 at a score of 0', () => {
      expectClose(softMargin([0, 0], [1, -1]) as number, Math.LN2);
    });
  });

  describe('edge cases', () => {
    it('stays finite where torch overflows (y·x = −800)', () => {
      const { value, grads } = softMargin.valueAndGrad([-800, 800], [1, -1], { reduction: 'none' });
      expect(Array.from((value as Tensor).data)).toEqual([800, 800]);
      expect(Array.from(grads.input.data)).toEqual([-1, 1]);
    });
    it('costs 0 with slope 0 for an infinite score on the label’s side and ∞ on the other', () => {
      // z = −y·x: softplus(−∞) = 0 with σ(−∞) = 0; softplus(∞) = ∞ with slope −y·σ(∞) = −y.
      const { value, grads } = softMargin.valueAndGrad([Infinity, Infinity], [1, -1], {
        reduction: 'none',
      });
      expect(Array.from((value as Tensor).data)).toEqual([0, Infinity]);
      expect(Array.from(grads.input.data, (g) => g + 0)).toEqual([0, 1]);
    });
    it('gives 0 for empty input and propagates NaN', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(softMargin(empty, empty)).toBe(0);
      expect(softMargin([NaN], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => softMargin([1, 2], [1]), 'E_SHAPE', ['softMargin', "'target'"]);
    });
    it('rejects an unknown option (E_OPTION)', () => {
      expectLossError(() => softMargin([1], [1], { margin: 1 } as never), 'E_OPTION', [
        "option 'margin'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('softMargin', { input: ['a'], target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('softMargin', { input: [1] }), 'E_INPUT', ["'target'"]);
    });
  });
});
