import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { LAMBDA_SCHEMES, lambdaLoss } from './lambdaLoss.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('lambdaLoss', () => {
  describe('golden values (allRank lambdaLoss, transcribed in torch)', () => {
    goldenTests('lambdaLoss', { rtol: 1e-12, atol: 1e-14 });
  });

  describe("allRank's published test values (float32 there: agreement to 1e-7 relative)", () => {
    const plain = { s: [[0.5, 0.3, 0.5]], y: [[0.5, 0.3, 0.5]] };
    const padded = { s: [[0.5, 0.3, 0.5, 1.0]], y: [[0.5, 0.3, 0.5, -1]] };
    const cases = [
      { opts: { scheme: 'ndcgLoss1' }, want: 2.9272110462 },
      { opts: { scheme: 'ndcgLoss2PP' }, want: 1.1244146823 },
      { opts: { scheme: 'rankNet', logBase: 'natural' }, want: 1.1962778568 },
    ] as const;
    for (const { opts, want } of cases) {
      it(`gives ${want} with ${JSON.stringify(opts)}, with or without a padded item`, () => {
        const v = lambdaLoss(plain.s, plain.y, opts) as number;
        expectClose(v, want, { rtol: 1e-7 });
        expect(lambdaLoss(padded.s, padded.y, opts)).toBe(v);
      });
    }
  });

  describe('gradients', () => {
    const scores = tensorOf([3, 5], (i) => Math.sin(1.7 * i + 0.3));
    const relevance = {
      data: Float64Array.of(2, 0, 1, 3, 0, 1, 0, 2, 1, -1, 0, 2, 1, -1, -1),
      shape: [3, 5],
    };
    it('matches central finite differences for every scheme, both log bases and truncation', () => {
      for (const scheme of LAMBDA_SCHEMES)
        for (const logBase of ['binary', 'natural'])
          for (const k of [null, 2])
            checkGradFD(
              'lambdaLoss',
              { scores, relevance },
              { scheme, logBase, k, reduction: 'none' },
            );
    });
    it('matches central finite differences under each reduction with sigma and mu', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('lambdaLoss', { scores, relevance }, { reduction, sigma: 2, mu: 3 });
    });
    it('gives no gradient to a pair clamped at eps, and log2(1/eps) as its loss (allRank)', () => {
      // σ(−30) < 1e-10: the pair (item 0 above item 1) is clamped.
      const { value, grads } = lambdaLoss.valueAndGrad([[-30, 0]], [[1, 0]], { scheme: 'rankNet' });
      expectClose(value, -Math.log2(1e-10), { rtol: 1e-15 });
      expect(Array.from(grads.scores.data)).toEqual([0, 0]);
    });
  });

  describe('identities', () => {
    const s = [[0.3, -0.4, 0.9, 0.1, 0.6]];
    const y = [[1, 0, 2, 3, 1]];
    it('is linear in the weights: ndcgLoss2PP = mu·ndcgLoss2 + lambdaRank', () => {
      const pp = lambdaLoss(s, y, { scheme: 'ndcgLoss2PP', mu: 7 }) as number;
      const two = lambdaLoss(s, y, { scheme: 'ndcgLoss2' }) as number;
      const lr = lambdaLoss(s, y, { scheme: 'lambdaRank' }) as number;
      expectClose(pp, 7 * two + lr, { rtol: 1e-13 });
    });
    it('in binary log is the natural-log value divided by ln 2', () => {
      for (const scheme of LAMBDA_SCHEMES) {
        const b = lambdaLoss(s, y, { scheme }) as number;
        const n = lambdaLoss(s, y, { scheme, logBase: 'natural' }) as number;
        expectClose(b, n / Math.LN2, { rtol: 1e-13 });
      }
    });
    it('with k at least the slate length equals no truncation, and k = 1 leaves no pair', () => {
      expect(lambdaLoss(s, y, { k: 5 })).toBe(lambdaLoss(s, y));
      expect(lambdaLoss(s, y, { k: 50 })).toBe(lambdaLoss(s, y));
      expect(lambdaLoss(s, y, { k: 1 })).toBe(0);
    });
    it('with the rankNet scheme is Σ log2(1 + e^(−(s_i − s_j))) over pairs y_i > y_j', () => {
      const sc = [0.2, 0.7, -0.1];
      const rel = [2, 0, 1];
      const sp = (x: number) => Math.log1p(Math.exp(-x)) / Math.LN2;
      const want = sp(0.2 - 0.7) + sp(0.2 + 0.1) + sp(-0.1 - 0.7);
      expectClose(lambdaLoss([sc], [rel], { scheme: 'rankNet' }) as number, want, { rtol: 1e-14 });
    });
    it('sorts tied predictions stably: the earlier item takes the higher position', () => {
      // Items 0 and 1 tie on score; item 0 is placed first, so it holds position 1 and its gain
      // is discounted by log2(2): swapping their relevance changes the ndcgLoss1 weights.
      const a = lambdaLoss([[0.5, 0.5, 0]], [[2, 0, 1]], { scheme: 'ndcgLoss1' }) as number;
      const b = lambdaLoss([[0.5, 0.5, 0]], [[0, 2, 1]], { scheme: 'ndcgLoss1' }) as number;
      expect(a).not.toBe(b);
      expect(lambdaLoss([[0.5, 0.5, 0]], [[2, 0, 1]], { scheme: 'ndcgLoss1' })).toBe(a);
    });
  });

  describe('reductions', () => {
    it("defaults to 'sum' over pairs and slates; 'mean' divides by the number of slates", () => {
      const scores = [
        [0.5, 0.2, 0.1],
        [0.3, 0.9, 0],
      ];
      const relevance = [
        [1, 0, 0],
        [1, 0, -1],
      ];
      const v = data(lambdaLoss(scores, relevance, none));
      expectClose(lambdaLoss(scores, relevance) as number, v[0] + v[1], { rtol: 1e-15 });
      expectClose(
        lambdaLoss(scores, relevance, { reduction: 'mean' }) as number,
        (v[0] + v[1]) / 2,
        {
          rtol: 1e-15,
        },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 and zero gradient for fully padded, single-item and empty slates', () => {
      const r = lambdaLoss.valueAndGrad([[1, 2]], [[-1, -1]]);
      expect(r.value).toBe(0);
      expect(Array.from(r.grads.scores.data)).toEqual([0, 0]);
      expect(lambdaLoss([[3]], [[2]])).toBe(0);
      expect(
        lambdaLoss(
          { data: new Float64Array(0), shape: [0, 4] },
          { data: new Float64Array(0), shape: [0, 4] },
        ),
      ).toBe(0);
    });
    it('gives padded items no gradient whatever their score', () => {
      const { grads } = lambdaLoss.valueAndGrad([[0.1, 5, 0.4]], [[0, -1, 1]]);
      expect(grads.scores.data[1]).toBe(0);
    });
    it('propagates NaN scores of valid items', () => {
      expect(lambdaLoss([[NaN, 0.2, 0]], [[1, 0, 2]], { scheme: 'rankNet' })).toBeNaN();
    });
    it('keeps float32 under none', () => {
      const out = lambdaLoss({ data: Float32Array.of(0.5, 0.2), shape: [1, 2] }, [[1, 0]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects slates of different lengths (E_SHAPE)', () => {
      expectLossError(() => lambdaLoss([[1, 2, 3]], [[1, 0]]), 'E_SHAPE', [
        'lambdaLoss',
        "'relevance'",
      ]);
    });
    it('rejects relevance −2 (E_RANGE)', () => {
      expectLossError(() => lambdaLoss([[1, 2]], [[-2, 1]]), 'E_RANGE', ["'relevance'"]);
    });
    it('rejects an unknown scheme with a hint, k = 0 and a fractional k (E_OPTION)', () => {
      expectLossError(
        () => lambdaLoss([[1]], [[1]], { scheme: 'ndcgloss2pp' as 'ndcgLoss2PP' }),
        'E_OPTION',
        ["option 'scheme'", "Did you mean 'ndcgLoss2PP'?"],
      );
      expectLossError(() => lambdaLoss([[1]], [[1]], { k: 0 }), 'E_OPTION', ["option 'k'"]);
      expectLossError(() => lambdaLoss([[1]], [[1]], { k: 1.5 }), 'E_OPTION', [
        "option 'k'",
        'an integer',
      ]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('lambdaLoss', { scores: 's', relevance: [[1]] }), 'E_TYPE', [
        "'scores'",
      ]);
    });
  });
});
