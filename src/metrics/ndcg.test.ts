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
});
