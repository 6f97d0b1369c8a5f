import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { approxNdcg } from './approxNdcg.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('approxNdcg', () => {
  describe('golden values (allRank approxNDCGLoss, transcribed in torch)', () => {
    goldenTests('approxNdcg', { rtol: 1e-12, atol: 1e-14 });
  });

  describe("allRank's published test value", () => {
    it('gives −0.8499219417 for [0.5, 0.3, 0.5] against [0.5, 0.3, 0.5], with or without a padded item', () => {
      // allRank's test runs in float32 (discounts included): agreement to 1e-7 relative.
      const plain = approxNdcg([[0.5, 0.3, 0.5]], [[0.5, 0.3, 0.5]]) as number;
      expectClose(plain, -0.8499219417, { rtol: 1e-7 });
      expect(approxNdcg([[0.5, 0.3, 0.5, 1.0]], [[0.5, 0.3, 0.5, -1]])).toBe(plain);
    });
  });

  describe('gradients', () => {
    const scores = tensorOf([3, 4], (i) => Math.sin(1.9 * i + 0.2));
    const relevance = {
      data: Float64Array.of(2, 0, 1, 3, 0, 1, 0, -1, 1, 2, -1, -1),
      shape: [3, 4],
    };
    it('matches central finite differences, padded slates included', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const alpha of [1, 4])
          checkGradFD('approxNdcg', { scores, relevance }, { reduction, alpha });
    });
    it('gives padded items no gradient', () => {
      const { grads } = approxNdcg.valueAndGrad([[0.5, 2, 0.3]], [[1, -1, 0]]);
      expect(grads.scores.data[1]).toBe(0);
    });
  });

  describe('identities', () => {
    it('approaches −1 (the true NDCG of a perfect ranking) as alpha grows with well separated scores', () => {
      const v = approxNdcg([[3, 2, 1, 0]], [[3, 2, 1, 0]], { alpha: 50 }) as number;
      // Each sigmoid term is floored at eps = 1e-10, so π̂ exceeds the true rank by up to 3e-10.
      expectClose(v, -1, { rtol: 1e-9 });
      expect(v).toBeGreaterThan(-1);
    });
    it('equals minus Σ G_i / log2(1 + π̂_i) written out for two items', () => {
      const s = [0.4, -0.2];
      const y = [1, 2];
      const maxDcg = 3 / 1 + 1 / Math.log2(3);
      const sig = (x: number) => 1 / (1 + Math.exp(-x));
      const pi0 = 1 + sig(-(s[0] - s[1]));
      const pi1 = 1 + sig(-(s[1] - s[0]));
      const want = -(1 / maxDcg / Math.log2(1 + pi0) + 3 / maxDcg / Math.log2(1 + pi1));
      expectClose(approxNdcg([s], [y]) as number, want, { rtol: 1e-14 });
    });
    it('does not depend on the order of the items (only their scores and relevance)', () => {
      const a = approxNdcg([[0.1, 0.7, -0.3]], [[1, 0, 2]]) as number;
      expectClose(approxNdcg([[-0.3, 0.1, 0.7]], [[2, 1, 0]]) as number, a, { rtol: 1e-14 });
    });
  });

  describe('reductions', () => {
    it("averages over slates under 'mean' (an all-irrelevant slate counts as 0)", () => {
      const scores = [
        [0.5, 0.2],
        [0.3, 0.1],
      ];
      const relevance = [
        [1, 0],
        [0, 0],
      ];
      const v = data(approxNdcg(scores, relevance, none));
      expect(v[1] + 0).toBe(0);
      expectClose(approxNdcg(scores, relevance) as number, v[0] / 2, { rtol: 1e-15 });
      expectClose(approxNdcg(scores, relevance, { reduction: 'sum' }) as number, v[0], {
        rtol: 1e-15,
      });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for fully padded slates and an empty batch', () => {
      expect(approxNdcg([[1, 2]], [[-1, -1]]) as number).toBeCloseTo(0, 15);
      expect(
        approxNdcg(
          { data: new Float64Array(0), shape: [0, 2] },
          { data: new Float64Array(0), shape: [0, 2] },
        ),
      ).toBe(0);
    });
    it('gives −1 for a single relevant item', () => {
      expectClose(approxNdcg([[0.3]], [[2]]) as number, -1, { rtol: 1e-15 });
    });
    it('propagates NaN scores', () => {
      expect(approxNdcg([[NaN, 1]], [[1, 0]])).toBeNaN();
    });
    it('keeps float32 under none', () => {
      const out = approxNdcg({ data: Float32Array.of(0.5, 0.2), shape: [1, 2] }, [[1, 0]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects slates of different lengths (E_SHAPE)', () => {
      expectLossError(
        () =>
          approxNdcg(
            [[1, 2]],
            [
              [1, 0],
              [1, 1],
            ],
          ),
        'E_SHAPE',
        ['approxNdcg', "'relevance'"],
      );
    });
    it('rejects relevance −3 (E_RANGE)', () => {
      expectLossError(() => approxNdcg([[1, 2]], [[-3, 1]]), 'E_RANGE', ["'relevance'", '-3']);
    });
    it('rejects alpha = 0 (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => approxNdcg([[1]], [[1]], { alpha: 0 }), 'E_OPTION', [
        "option 'alpha'",
        '> 0',
      ]);
      expectLossError(() => evaluate('approxNdcg', { scores: 's', relevance: [[1]] }), 'E_TYPE', [
        "'scores'",
      ]);
    });
  });
});
