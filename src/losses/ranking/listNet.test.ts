import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { listNet } from './listNet.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);
const softmax = (x: number[]) => {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / z);
};

describe('listNet', () => {
  describe('golden values (allRank listNet, transcribed in torch)', () => {
    goldenTests('listNet', { rtol: 1e-12, atol: 1e-14 });
  });

  describe("allRank's published test value", () => {
    it('gives −Σ softmax(t)·ln softmax(p) = 0.6350377 for [0.5, 0.2] against [1, 0] with eps 0', () => {
      const q = softmax([1, 0]);
      const p = softmax([0.5, 0.2]);
      const want = -(q[0] * Math.log(p[0]) + q[1] * Math.log(p[1]));
      expectClose(listNet([[0.5, 0.2]], [[1, 0]], { eps: 0 }) as number, want, { rtol: 1e-15 });
      expectClose(want, 0.6350377, { rtol: 2e-7 });
    });
    it('gives the same value with a padded item appended, even with eps 0 (allRank gives NaN there)', () => {
      // allRank: softmax puts 0 on the padded item and 0·log(0 + eps) is NaN when eps = 0.
      expect(listNet([[0.5, 0.2, 1.0]], [[1, 0, -1]], { eps: 0 })).toBe(
        listNet([[0.5, 0.2]], [[1, 0]], { eps: 0 }),
      );
    });
  });

  describe('gradients', () => {
    const scores = tensorOf([3, 4], (i) => Math.sin(1.7 * i));
    const relevance = {
      data: Float64Array.of(2, 0, 1, 3, 0, 0, 1, -1, 1, 2, -1, -1),
      shape: [3, 4],
    };
    it('matches central finite differences, padded slates included', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const eps of [1e-10, 0.1])
          checkGradFD('listNet', { scores, relevance }, { reduction, eps });
    });
    it('is exactly softmax(scores) − softmax(relevance) with eps = 0', () => {
      const { grads } = listNet.valueAndGrad([[0.3, -0.4, 1.1]], [[1, 2, 0]], {
        eps: 0,
        reduction: 'sum',
      });
      const p = softmax([0.3, -0.4, 1.1]);
      const q = softmax([1, 2, 0]);
      for (let i = 0; i < 3; i++)
        expectClose(grads.scores.data[i], p[i] - q[i], { rtol: 1e-13, atol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('ignores padded items: appending them changes neither the value nor the other gradients', () => {
      const a = listNet.valueAndGrad([[0.5, 0.3, 0.5]], [[0.5, 0.3, 0.5]]);
      const b = listNet.valueAndGrad([[0.5, 0.3, 0.5, 1.0, -7]], [[0.5, 0.3, 0.5, -1, -1]]);
      expect(b.value).toBe(a.value);
      expect(Array.from(b.grads.scores.data)).toEqual([...Array.from(a.grads.scores.data), 0, 0]);
    });
    it('is invariant to adding a constant to the scores of a slate', () => {
      expectClose(
        listNet([[0.1, 0.9, -0.5]], [[0, 2, 1]]) as number,
        listNet([[10.1, 10.9, 9.5]], [[0, 2, 1]]) as number,
        {
          rtol: 1e-13,
        },
      );
    });
    it('is minimal (the entropy of the target) when softmax(scores) = softmax(relevance) and eps = 0', () => {
      const q = softmax([2, 0, 1]);
      const entropy = -q.reduce((s, v) => s + v * Math.log(v), 0);
      expectClose(listNet([[2, 0, 1]], [[2, 0, 1]], { eps: 0 }) as number, entropy, {
        rtol: 1e-14,
      });
    });
  });

  describe('reductions', () => {
    it("averages over slates under 'mean' (an all-padded slate counts as 0)", () => {
      const scores = [
        [0.5, 0.2],
        [0.3, 0.1],
      ];
      const relevance = [
        [1, 0],
        [-1, -1],
      ];
      const v = data(listNet(scores, relevance, none));
      expect(v[1]).toBe(0);
      expectClose(listNet(scores, relevance) as number, v[0] / 2, { rtol: 1e-15 });
      expectClose(listNet(scores, relevance, { reduction: 'sum' }) as number, v[0], {
        rtol: 1e-15,
      });
    });
  });

  describe('edge cases', () => {
    it('gives 0 and zero gradient for no slates, empty slates and fully padded slates', () => {
      expect(
        listNet(
          { data: new Float64Array(0), shape: [0, 3] },
          { data: new Float64Array(0), shape: [0, 3] },
        ),
      ).toBe(0);
      expect(
        listNet(
          { data: new Float64Array(0), shape: [2, 0] },
          { data: new Float64Array(0), shape: [2, 0] },
        ),
      ).toBe(0);
      const r = listNet.valueAndGrad([[1, 2]], [[-1, -1]]);
      expect(r.value).toBe(0);
      expect(Array.from(r.grads.scores.data)).toEqual([0, 0]);
    });
    it('propagates a NaN score of a valid item, but not of a padded one', () => {
      expect(listNet([[NaN, 1]], [[1, 0]])).toBeNaN();
      expect(Number.isFinite(listNet([[0.2, NaN]], [[1, -1]]))).toBe(true);
    });
    it('keeps float32 under none', () => {
      const out = listNet({ data: Float32Array.of(0.5, 0.2), shape: [1, 2] }, [[1, 0]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects relevance of another slate length (E_SHAPE) and 1-D scores', () => {
      expectLossError(() => listNet([[1, 2, 3]], [[1, 0]]), 'E_SHAPE', [
        'listNet',
        "'relevance'",
        '[1, 3]',
        '[1, 2]',
      ]);
      expectLossError(() => listNet([1, 2], [1, 0]), 'E_SHAPE', ["'scores'", '(B, L)']);
    });
    it('rejects negative relevance other than the padding -1 (E_RANGE)', () => {
      expectLossError(() => listNet([[1, 2]], [[1, -2]]), 'E_RANGE', [
        "'relevance'",
        'or -1 for a padded item',
        '-2 at flat position 1',
      ]);
    });
    it('rejects a negative eps (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => listNet([[1]], [[1]], { eps: -1 }), 'E_OPTION', ["option 'eps'"]);
      expectLossError(() => evaluate('listNet', { scores: 's', relevance: [[1]] }), 'E_TYPE', [
        "'scores'",
      ]);
    });
  });
});
