import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { listMle } from './listMle.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('listMle', () => {
  describe('golden values (allRank listMLE without the shuffle, transcribed in torch)', () => {
    goldenTests('listMle', { rtol: 1e-12, atol: 1e-14 });
  });

  describe("allRank's published test value", () => {
    it('gives ln(1 + e^(−0.2)) = 0.5981389284 for [0.5, 0.3] + padded against [1, 0, −1]', () => {
      const v = listMle([[0.5, 0.3, 0.5]], [[1, 0, -1]]) as number;
      // Order (item 0, item 1), t = s − max = (0, −0.2): ln(1 + e^(−0.2) + eps) + ln(e^(−0.2) + eps) + 0.2
      const e = Math.exp(-0.2);
      expectClose(v, Math.log(1 + e + 1e-10) + Math.log(e + 1e-10) + 0.2, { rtol: 1e-15 });
      expectClose(v, 0.5981389284133911, { rtol: 2e-7 });
    });
  });

  describe('gradients', () => {
    const scores = tensorOf([3, 5], (i) => Math.sin(1.3 * i + 0.4));
    const relevance = {
      data: Float64Array.of(2, 0, 1, 3, 0, 1, 1, 0, 2, -1, 0, 2, 1, -1, -1),
      shape: [3, 5],
    };
    it('matches central finite differences, padded slates included', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const eps of [1e-10, 0.3])
          checkGradFD('listMle', { scores, relevance }, { reduction, eps });
    });
    it('is exactly shift-invariant even with eps > 0 (the max is subtracted first), so its gradient sums to 0', () => {
      // Without the max item's share of the gradient the sum would be −Σ eps/(C_k + eps) ≈ −0.79 here.
      const s = [0.2, 0.9, -0.1];
      const r = listMle.valueAndGrad([s], [[1, 0, 2]], { eps: 0.5, reduction: 'sum' });
      const g = r.grads.scores.data;
      expect(Math.abs(g[0] + g[1] + g[2])).toBeLessThan(1e-15);
      expectClose(listMle([s.map((v) => v + 3)], [[1, 0, 2]], { eps: 0.5 }) as number, r.value, {
        rtol: 1e-15,
      });
    });
  });

  describe('identities', () => {
    it('breaks relevance ties by the original order, deterministically', () => {
      // Items 0 and 1 tie on relevance: the order taken is (0, 1), so the loss is that of relevance [1, 0].
      const tied = listMle([[0.3, 1.2]], [[1, 1]]) as number;
      expect(tied).toBe(listMle([[0.3, 1.2]], [[1, 0]]));
      expect(listMle([[0.3, 1.2]], [[1, 1]])).toBe(tied);
      expect(tied).not.toBe(listMle([[0.3, 1.2]], [[0, 1]]));
    });
    it('equals the Plackett-Luce negative log-likelihood of the relevance order (eps = 0)', () => {
      const s = [0.4, -0.3, 1.1];
      // order by relevance [2, 0, 1] → items 2, 0, 1
      const e = s.map(Math.exp);
      const want = -Math.log(e[2] / (e[0] + e[1] + e[2])) - Math.log(e[0] / (e[0] + e[1]));
      expectClose(listMle([s], [[1, 0, 2]], { eps: 0 }) as number, want, { rtol: 1e-14 });
    });
    it('ignores padded items in value and gradient', () => {
      const a = listMle.valueAndGrad([[0.5, 0.3]], [[1, 0]]);
      const b = listMle.valueAndGrad([[9, 0.5, 0.3]], [[-1, 1, 0]]);
      expect(b.value).toBe(a.value);
      expect(Array.from(b.grads.scores.data)).toEqual([0, ...Array.from(a.grads.scores.data)]);
    });
  });

  describe('reductions', () => {
    it("averages over slates under 'mean' and sums under 'sum'", () => {
      const scores = [
        [0.5, 0.3],
        [0.1, 0.7],
      ];
      const relevance = [
        [1, 0],
        [2, 1],
      ];
      const v = data(listMle(scores, relevance, none));
      expectClose(listMle(scores, relevance) as number, (v[0] + v[1]) / 2, { rtol: 1e-15 });
      expectClose(listMle(scores, relevance, { reduction: 'sum' }) as number, v[0] + v[1], {
        rtol: 1e-15,
      });
    });
  });

  describe('edge cases', () => {
    it('gives 0 and zero gradient for fully padded slates and empty batches', () => {
      const r = listMle.valueAndGrad([[1, 2]], [[-1, -1]]);
      expect(r.value).toBe(0);
      expect(Array.from(r.grads.scores.data)).toEqual([0, 0]);
      expect(
        listMle(
          { data: new Float64Array(0), shape: [0, 2] },
          { data: new Float64Array(0), shape: [0, 2] },
        ),
      ).toBe(0);
    });
    it('gives ln(1 + eps) for a single valid item', () => {
      expectClose(listMle([[3.5]], [[2]]) as number, Math.log1p(1e-10), { rtol: 1e-6 });
    });
    it('propagates NaN scores of valid items', () => {
      expect(listMle([[NaN, 1]], [[1, 0]])).toBeNaN();
    });
    it('keeps float32 under none', () => {
      const out = listMle({ data: Float32Array.of(0.5, 0.2), shape: [1, 2] }, [[1, 0]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects slates of different lengths (E_SHAPE)', () => {
      expectLossError(() => listMle([[1, 2]], [[1, 0, 1]]), 'E_SHAPE', ['listMle', "'relevance'"]);
    });
    it('rejects relevance −0.5 (E_RANGE)', () => {
      expectLossError(() => listMle([[1, 2]], [[-0.5, 1]]), 'E_RANGE', ["'relevance'", '-0.5']);
    });
    it('rejects a string eps (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('listMle', { scores: [[1]], relevance: [[1]] }, { eps: 'x' }),
        'E_OPTION',
        ["option 'eps'"],
      );
      expectLossError(() => evaluate('listMle', { scores: [[1]], relevance: 'r' }), 'E_TYPE', [
        "'relevance'",
      ]);
    });
  });
});
