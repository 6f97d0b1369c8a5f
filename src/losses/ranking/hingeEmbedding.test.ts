import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { hingeEmbedding } from './hingeEmbedding.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('hingeEmbedding', () => {
  describe('golden values (torch.nn.functional.hinge_embedding_loss)', () => {
    goldenTests('hingeEmbedding', { rtol: 1e-12, atol: 1e-14 });
  });

  describe('gradients', () => {
    it('matches central finite differences away from the hinge', () => {
      const input = tensorOf([3, 2], (i) => 0.3 + 0.37 * i);
      const target = tensorOf([3, 2], (i) => (i % 3 === 0 ? 1 : -1));
      for (const reduction of ['mean', 'sum', 'none'])
        for (const margin of [1, 2.2])
          checkGradFD('hingeEmbedding', { input, target }, { reduction, margin });
    });
    it('has slope 1 for similar pairs, −1 inside the margin and 0 beyond it, −1 at exactly the margin', () => {
      const { grads } = hingeEmbedding.valueAndGrad([0.5, 0.5, 3, 1], [1, -1, -1, -1], {
        reduction: 'sum',
      });
      expect(Array.from(grads.input.data)).toEqual([1, -1, 0, -1]);
    });
  });

  describe('identities', () => {
    it('is x for y = 1 and max(0, margin − x) for y = −1', () => {
      expect(data(hingeEmbedding([0.25, 0.25, 4], [1, -1, -1], { margin: 2, ...none }))).toEqual([
        0.25, 1.75, 0,
      ]);
    });
    it('shifts the dissimilar term one for one with the margin', () => {
      const x = [0.1, 0.2];
      const y = [-1, -1];
      expectClose(
        (hingeEmbedding(x, y, { margin: 3 }) as number) -
          (hingeEmbedding(x, y, { margin: 2 }) as number),
        1,
      );
    });
  });

  describe('reductions', () => {
    it("averages over all elements under 'mean' and sums under 'sum'", () => {
      // 0.5 + (1 − 0.25) + 0 + 2 = 3.25
      const args = [
        [0.5, 0.25, 1.5, 2],
        [-1, -1, -1, 1],
      ] as const;
      expectClose(hingeEmbedding(...args, { reduction: 'sum' }) as number, 3.25);
      expectClose(hingeEmbedding(...args) as number, 3.25 / 4);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const e = { data: new Float64Array(0), shape: [0] };
      expect(hingeEmbedding(e, e)).toBe(0);
    });
    it('propagates NaN inputs and NaN labels, and +∞ distances of similar pairs', () => {
      const v = data(hingeEmbedding([NaN, 0.5, Infinity, Infinity], [1, NaN, 1, -1], none));
      expect(v[0]).toBeNaN();
      expect(v[1]).toBeNaN();
      expect(v.slice(2)).toEqual([Infinity, 0]);
    });
    it('keeps float32 under none', () => {
      const out = hingeEmbedding({ data: Float32Array.of(0.5), shape: [1] }, [1], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => hingeEmbedding([1, 2], [1]), 'E_SHAPE', ['hingeEmbedding', "'target'"]);
    });
    it('rejects 0/1 labels (E_RANGE)', () => {
      expectLossError(() => hingeEmbedding([1, 2], [1, 0]), 'E_RANGE', [
        "'target'",
        '1 or -1',
        '0 at flat position 1',
      ]);
    });
    it('rejects a string margin (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('hingeEmbedding', { input: [1], target: [1] }, { margin: '1' }),
        'E_OPTION',
        ["option 'margin'"],
      );
      expectLossError(() => evaluate('hingeEmbedding', { input: 'x', target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
  });
});
