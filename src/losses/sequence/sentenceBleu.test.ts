import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { sentenceBleu } from './sentenceBleu.js';

const bleu = (h: number[], r: number[], o: Record<string, unknown> = {}): number =>
  evaluate('sentenceBleu', { hypothesis: h, reference: r }, o).value as number;

describe('sentenceBleu', () => {
  describe('golden values (sacreBLEU sentence_bleu transcribed; checked against sacreBLEU 2.6.0)', () => {
    goldenTests('sentenceBleu', { rtol: 1e-13 });
  });

  describe('identities', () => {
    it('is 100 for a hypothesis equal to its reference and 0 without any matching n-gram', () => {
      // exp(4·log(100)/4) is 100 up to rounding (sacreBLEU gives 100.00000000000004 as well)
      expectClose(bleu([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]), 100, { rtol: 1e-15 });
      expect(bleu([1, 2, 3], [4, 5, 6])).toBe(0);
      expect(bleu([1, 2, 3], [4, 5, 6], { smoothing: 'floor' })).toBe(0);
    });
    it('is the geometric mean of the clipped precisions times the brevity penalty', () => {
      // hyp 4 8 15 16 23 42 vs ref 4 8 15 16 99 42: unigrams 5/6, bigrams 3/5, trigrams 2/4,
      // 4-grams 1/3, equal lengths (BP = 1): 100·(5/6·3/5·2/4·1/3)^(1/4) = 100·(1/12)^(1/4)
      expectClose(bleu([4, 8, 15, 16, 23, 42], [4, 8, 15, 16, 99, 42]), 100 * (1 / 12) ** 0.25, {
        rtol: 1e-14,
      });
    });
    it("halves each successive zero precision with 'exp' smoothing", () => {
      // 1 9 2 8 3 vs 1 2 3 4 5: p1 = 3/5; p2, p3, p4 have no match: 100/(2·4), 100/(4·3), 100/(8·2)
      const want = Math.exp(
        (Math.log(60) + Math.log(12.5) + Math.log(100 / 12) + Math.log(6.25)) / 4,
      );
      expectClose(bleu([1, 9, 2, 8, 3], [1, 2, 3, 4, 5]), want, { rtol: 1e-14 });
      // 'floor' uses 0.1/total instead, 'none' gives 0
      const floor = Math.exp(
        (Math.log(60) + Math.log(10 / 4) + Math.log(10 / 3) + Math.log(10 / 2)) / 4,
      );
      expectClose(bleu([1, 9, 2, 8, 3], [1, 2, 3, 4, 5], { smoothing: 'floor' }), floor, {
        rtol: 1e-14,
      });
      expect(bleu([1, 9, 2, 8, 3], [1, 2, 3, 4, 5], { smoothing: 'none' })).toBe(0);
    });
    it('uses the effective order and the brevity penalty for a short hypothesis', () => {
      // 2 3 vs 1 2 3 4: p1 = 2/2, p2 = 1/1, no trigrams (effective order 2), BP = exp(1 − 4/2)
      expectClose(bleu([2, 3], [1, 2, 3, 4]), 100 * Math.exp(-1), { rtol: 1e-15 });
    });
    it("adds k to the counts of orders 2 and up with 'add-k'", () => {
      // 1 9 2 8 3: p1 = 3/5, p2 = (0+1)/(4+1), p3 = 1/4, p4 = 1/3
      const want =
        100 * Math.exp((Math.log(0.6) + Math.log(0.2) + Math.log(0.25) + Math.log(1 / 3)) / 4);
      expectClose(bleu([1, 9, 2, 8, 3], [1, 2, 3, 4, 5], { smoothing: 'add-k' }), want, {
        rtol: 1e-14,
      });
    });
    it('clips repeated hypothesis tokens to their count in the reference', () => {
      // 7 7 → one match of '7' allowed per reference occurrence: unigrams 1/2; bigram '7 7' 0/1
      // (exp: 100/(2·1)); effective order 2; BP 1 (lengths 2 and 2)
      expectClose(bleu([7, 7], [7, 3]), Math.exp((Math.log(50) + Math.log(50)) / 2), {
        rtol: 1e-14,
      });
    });
    it('is the same through the typed function', () => {
      expect(sentenceBleu([1, 2, 3, 9], [1, 2, 3, 4])).toBe(bleu([1, 2, 3, 9], [1, 2, 3, 4]));
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty hypothesis or an empty reference', () => {
      expect(bleu([], [1, 2])).toBe(0);
      expect(bleu([1, 2], [])).toBe(0);
    });
    it('accepts int64 token ids (BigInt64Array) and Int32Array', () => {
      const h = BigInt64Array.of(1n, 2n, 3n, 9n);
      expect(
        evaluate('sentenceBleu', { hypothesis: h, reference: Int32Array.of(1, 2, 3, 4) }).value,
      ).toBe(bleu([1, 2, 3, 9], [1, 2, 3, 4]));
    });
    it('returns no gradients', () => {
      expect(
        evaluate('sentenceBleu', { hypothesis: [1], reference: [1] }, {}, { grad: true }).grads,
      ).toEqual({});
    });
  });

  describe('errors', () => {
    it('rejects a hypothesis that is not 1-D (E_SHAPE)', () => {
      expectLossError(() => bleu([[1, 2]] as unknown as number[], [1, 2]), 'E_SHAPE', [
        'sentenceBleu',
        "'hypothesis'",
        '(L1)',
      ]);
    });
    it('rejects fractional token ids (E_TYPE)', () => {
      expectLossError(() => bleu([1.5, 2], [1, 2]), 'E_TYPE', ["'hypothesis'", '1.5']);
    });
    it('rejects maxOrder < 1, an unknown smoothing and a negative smoothValue (E_OPTION)', () => {
      expectLossError(() => bleu([1], [1], { maxOrder: 0 }), 'E_OPTION', ["'maxOrder'"]);
      expectLossError(() => bleu([1], [1], { smoothing: 'add-one' }), 'E_OPTION', [
        "'smoothing'",
        'add-one',
      ]);
      expectLossError(() => bleu([1], [1], { smoothing: 'floor', smoothValue: -1 }), 'E_OPTION', [
        "'smoothValue'",
      ]);
    });
  });
});
