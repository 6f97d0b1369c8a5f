import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { ndcg } from './ndcg.js';

describe('ndcg', () => {
  describe('golden values (scikit-learn ndcg_score; stable-sort ties transcribed)', () => {
    goldenTests('ndcg');
  });

  it('matches a hand computation', () => {
    // ranking by score: items 1 (rel 0), 3 (rel 1), 2 (rel 2); gains 2^r − 1 = 0, 1, 3
    // DCG@3 = 0/log2 2 + 1/log2 3 + 3/log2 4; ideal order 3 (7), 2 (3), 1 (1)
    const dcg = 1 / Math.log2(3) + 3 / 2;
    const idcg = 7 + 3 / Math.log2(3) + 1 / 2;
    expectClose(ndcg([0.1, 0.9, 0.4, 0.7, 0.3], [3, 0, 2, 1, 0], { k: 3 }) as number, dcg / idcg);
  });

  it('is 1 for a perfect ranking and 0 without relevant items', () => {
    expect(ndcg([3, 2, 1], [2, 1, 0])).toBe(1);
    expect(ndcg([3, 2, 1], [0, 0, 0])).toBe(0);
  });

  it('keeps the original order of tied scores', () => {
    // both items tie: item 0 (rel 0) ranks first, so DCG = 1/log2 3 and IDCG = 1
    expectClose(ndcg([1, 1], [0, 1], { gain: 'linear' }) as number, 1 / Math.log2(3));
  });

  it('removes padded items and averages over queries', () => {
    const one = ndcg([0.3, 0.8], [2, 1]) as number;
    expectClose(
      ndcg(
        [
          [0.3, 0.8, 0.9],
          [1, 2, 3],
        ],
        [
          [2, 1, -1],
          [0, 0, 1],
        ],
      ) as number,
      (one + 1) / 2,
    );
  });

  it('propagates a NaN score', () => {
    expect(ndcg([NaN, 1], [1, 0])).toBeNaN();
  });

  it('rejects k = 0 (E_OPTION) and a relevance below −1 (E_RANGE)', () => {
    expectLossError(() => ndcg([1, 2], [1, 0], { k: 0 }), 'E_OPTION', ["'k'"]);
    expectLossError(() => ndcg([1, 2], [-3, 0]), 'E_RANGE', ["'relevance'", '-3']);
  });

  it('stays finite for relevances whose exp2 gain overflows (relevance 1024)', () => {
    // Regression (issue 12): 2^1024 overflowed to Infinity and the value was NaN. Ranked by score the
    // relevances are (0, 3, 1024) against the ideal (1024, 3, 0); gains relative to 2^1024 are
    // (0, ~2^-1021, ~1), so DCG/IDCG = (1/log2(4) + ε)/(1 + ε) = 0.5 in float64.
    expect(ndcg([0.1, 0.9, 0.3], [1024, 0, 3])).toBe(0.5);
  });

  it('rescales exp2 gains past 512 without changing the value (relevance 513 in float64)', () => {
    const g = (r: number): number => 2 ** r - 1;
    const dcg = g(0) + g(3) / Math.log2(3) + g(513) / 2;
    const idcg = g(513) + g(3) / Math.log2(3) + g(0) / 2;
    expectClose(ndcg([0.1, 0.9, 0.3], [513, 0, 3]) as number, dcg / idcg, { rtol: 1e-14 });
  });

  it('stays finite for linear gains whose sum overflows (relevances 1e308)', () => {
    // Ranked (1e308, 0, 1e308) against the ideal (1e308, 1e308, 0): (1 + 1/2) / (1 + 1/log2(3)).
    expectClose(
      ndcg([0.9, 0.1, 0.5], [1e308, 1e308, 0], { gain: 'linear' }) as number,
      1.5 / (1 + 1 / Math.log2(3)),
      { rtol: 1e-14 },
    );
  });
});
