import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { lambdaLoss } from './lambdaLoss.js';
import { rankNet } from './rankNet.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('rankNet', () => {
  describe('golden values (allRank rankNet, transcribed in torch)', () => {
    goldenTests('rankNet', { rtol: 1e-12, atol: 1e-14 });
  });

  describe("allRank's published test value", () => {
    it('equals BCEWithLogits([0.3, 0.4], [1, 1]) for [0.5, 0.2, 0.1] against [1, 0, 0], padded or not', () => {
      const want = (softplus(-0.3) + softplus(-0.4)) / 2;
      expectClose(rankNet([[0.5, 0.2, 0.1]], [[1, 0, 0]]) as number, want, { rtol: 1e-15 });
      expectClose(rankNet([[0.5, 0.2, 0.1, 0.66]], [[1, 0, 0, -1]]) as number, want, {
        rtol: 1e-15,
      });
    });
  });

  describe('gradients', () => {
    const scores = tensorOf([3, 4], (i) => Math.sin(1.3 * i + 0.7));
    const relevance = {
      data: Float64Array.of(2, 0, 1, 3, 0, 1, 1, -1, 1, 2, -1, -1),
      shape: [3, 4],
    };
    it('matches central finite differences, with and without weightByDiff', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const weightByDiff of [false, true])
          checkGradFD('rankNet', { scores, relevance }, { reduction, weightByDiff });
    });
  });

  describe('identities', () => {
    it("equals lambdaLoss with the rankNet scheme and natural log under 'sum'", () => {
      const scores = [
        [0.3, -0.2, 0.8, 0.1],
        [1.1, 0.4, -0.5, 0],
      ];
      const relevance = [
        [1, 0, 2, 1],
        [0, 2, 1, -1],
      ];
      const a = rankNet.valueAndGrad(scores, relevance, { reduction: 'sum' });
      const b = lambdaLoss.valueAndGrad(scores, relevance, {
        scheme: 'rankNet',
        logBase: 'natural',
        reduction: 'sum',
      });
      expectClose(a.value, b.value, { rtol: 1e-14 });
      for (let i = 0; i < 8; i++)
        expectClose(a.grads.scores.data[i], b.grads.scores.data[i], { rtol: 1e-13, atol: 1e-16 });
    });
    it('weights each pair by its relevance difference with weightByDiff', () => {
      // pairs: (0 > 1) weight 3, (0 > 2) weight 2, (2 > 1) weight 1
      const s = [0.2, 0.5, -0.1];
      const want =
        3 * softplus(-(0.2 - 0.5)) + 2 * softplus(-(0.2 + 0.1)) + softplus(-(-0.1 - 0.5));
      expectClose(
        rankNet([s], [[3, 0, 1]], { weightByDiff: true, reduction: 'sum' }) as number,
        want,
        { rtol: 1e-14 },
      );
    });
  });

  describe('reductions', () => {
    it("divides by the number of pairs of the whole batch under 'mean'; 'none' gives per-slate sums", () => {
      const scores = [
        [0.5, 0.2, 0.1],
        [0.3, 0.9, 0],
      ];
      const relevance = [
        [1, 0, 0],
        [1, 0, -1],
      ];
      const v = data(rankNet(scores, relevance, none));
      expectClose(v[0], softplus(-0.3) + softplus(-0.4), { rtol: 1e-15 });
      expectClose(v[1], softplus(0.6), { rtol: 1e-15 });
      // 3 pairs in all
      expectClose(rankNet(scores, relevance) as number, (v[0] + v[1]) / 3, { rtol: 1e-15 });
      expectClose(rankNet(scores, relevance, { reduction: 'sum' }) as number, v[0] + v[1], {
        rtol: 1e-15,
      });
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient when no pair exists (ties only, padding, empty)', () => {
      const r = rankNet.valueAndGrad([[0.4, 0.2]], [[1, 1]]);
      expect(r.value).toBe(0);
      expect(Array.from(r.grads.scores.data)).toEqual([0, 0]);
      expect(rankNet([[1, 2]], [[-1, 3]])).toBe(0);
      expect(
        rankNet(
          { data: new Float64Array(0), shape: [0, 2] },
          { data: new Float64Array(0), shape: [0, 2] },
        ),
      ).toBe(0);
    });
    it('stays finite for huge score gaps and propagates NaN', () => {
      expect(rankNet([[1000, -1000]], [[1, 0]])).toBe(0);
      expect(rankNet([[-1000, 1000]], [[1, 0]])).toBe(2000);
      expect(rankNet([[NaN, 0]], [[1, 0]])).toBeNaN();
    });
    it('keeps float32 under none', () => {
      const out = rankNet({ data: Float32Array.of(0.5, 0.2), shape: [1, 2] }, [[1, 0]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects slates of different lengths (E_SHAPE)', () => {
      expectLossError(() => rankNet([[1, 2]], [[1]]), 'E_SHAPE', ['rankNet', "'relevance'"]);
    });
    it('rejects relevance −2 (E_RANGE)', () => {
      expectLossError(() => rankNet([[1, 2]], [[-2, 1]]), 'E_RANGE', ["'relevance'"]);
    });
    it('rejects a numeric weightByDiff (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('rankNet', { scores: [[1]], relevance: [[1]] }, { weightByDiff: 1 }),
        'E_OPTION',
        ["option 'weightByDiff'"],
      );
      expectLossError(() => evaluate('rankNet', { scores: [[1]], relevance: 'r' }), 'E_TYPE', [
        "'relevance'",
      ]);
    });
  });
});
