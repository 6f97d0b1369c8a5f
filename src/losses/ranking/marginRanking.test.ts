import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { marginRanking } from './marginRanking.js';

const none = { reduction: 'none' } as const;

describe('marginRanking', () => {
  describe('golden values (torch.nn.functional.margin_ranking_loss)', () => {
    goldenTests('marginRanking', { rtol: 1e-12, atol: 1e-14 });
  });

  describe('gradients', () => {
    it('matches central finite differences away from the hinge', () => {
      const input1 = tensorOf([2, 3], (i) => Math.sin(i + 1));
      const input2 = tensorOf([2, 3], (i) => Math.cos(2 * i));
      const target = tensorOf([2, 3], (i) => (i % 2 === 0 ? 1 : -1));
      for (const reduction of ['mean', 'sum', 'none'])
        for (const margin of [0, 0.7])
          checkGradFD('marginRanking', { input1, input2, target }, { reduction, margin });
    });
    it('keeps the full slope at a hinge argument of exactly 0 and is 0 beyond it', () => {
      // −1·(1.5 − 1) + 0.5 = 0 (kink), −1·(3 − 1) + 0.5 < 0 (inactive).
      const { grads } = marginRanking.valueAndGrad([1.5, 3], [1, 1], [1, 1], {
        margin: 0.5,
        reduction: 'sum',
      });
      expect(Array.from(grads.input1.data)).toEqual([-1, 0]);
      expect(Array.from(grads.input2.data)).toEqual([1, 0]);
    });
  });

  describe('identities', () => {
    it('is symmetric: swapping the inputs and negating the target gives the same loss', () => {
      const a = [0.3, -1.2, 2];
      const b = [0.9, 0.1, -0.5];
      const y = [1, -1, 1];
      expectClose(
        marginRanking(a, b, y, { margin: 0.4 }) as number,
        marginRanking(
          b,
          a,
          y.map((v) => -v),
          { margin: 0.4 },
        ) as number,
      );
    });
    it('equals max(0, margin − y·(x1 − x2)) elementwise', () => {
      const out = marginRanking([2, 0], [1, 0.5], [1, 1], { margin: 1.5, ...none });
      // 1.5 − 1 = 0.5 and 1.5 + 0.5 = 2
      expect(Array.from((out as { data: Float64Array }).data)).toEqual([0.5, 2]);
    });
  });

  describe('reductions', () => {
    it("averages the 'none' values under 'mean' and sums them under 'sum'", () => {
      const args = [
        [0.1, 0.2, 0.3, 0.4],
        [0.4, 0.1, 0.2, 0.3],
        [1, 1, -1, -1],
      ] as const;
      // margin 0.5: 0.8, 0.4, 0.6, 0.6 → sum 2.4
      expectClose(marginRanking(...args, { margin: 0.5, reduction: 'sum' }) as number, 2.4);
      expectClose(marginRanking(...args, { margin: 0.5 }) as number, 0.6);
    });
  });

  describe('edge cases', () => {
    it('gives 0 with empty gradients for empty input', () => {
      const e = { data: new Float64Array(0), shape: [0] };
      expect(marginRanking(e, e, e)).toBe(0);
      expect(marginRanking.valueAndGrad(e, e, e).grads.input1.data.length).toBe(0);
    });
    it('propagates NaN scores and NaN targets to the value', () => {
      const out = marginRanking([NaN, 1], [0, 0], [1, NaN], none) as { data: Float64Array };
      expect(out.data[0]).toBeNaN();
      expect(out.data[1]).toBeNaN();
    });
    it('grows without bound for infinite scores in the wrong order', () => {
      expect(marginRanking([-Infinity], [0], [1])).toBe(Infinity);
      expect(marginRanking([Infinity], [0], [1])).toBe(0);
    });
    it('accepts a 0-d scalar pair and keeps float32 under none', () => {
      expect(marginRanking(0.2, 0.5, 1, { margin: 0.1 })).toBeCloseTo(0.4, 15);
      const out = marginRanking({ data: Float32Array.of(1, 2), shape: [2] }, [0, 3], [1, 1], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects inputs of different shapes (E_SHAPE)', () => {
      expectLossError(() => marginRanking([1, 2], [1], [1, 1]), 'E_SHAPE', [
        'marginRanking',
        "'input2'",
        '[1]',
      ]);
      expectLossError(() => marginRanking([1, 2], [1, 2], [1]), 'E_SHAPE', ["'target'"]);
    });
    it('rejects a target outside ±1 (E_RANGE)', () => {
      expectLossError(() => marginRanking([1], [0], [0]), 'E_RANGE', [
        'marginRanking',
        "'target'",
        '1 or -1',
        '0 at flat position 0',
      ]);
    });
    it('rejects a non-numeric margin (E_OPTION)', () => {
      expectLossError(
        () =>
          evaluate(
            'marginRanking',
            { input1: [1], input2: [0], target: [1] },
            { margin: Infinity },
          ),
        'E_OPTION',
        ["option 'margin'"],
      );
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('marginRanking', { input1: ['a'], input2: [0], target: [1] }),
        'E_TYPE',
        ["'input1'"],
      );
    });
  });
});
