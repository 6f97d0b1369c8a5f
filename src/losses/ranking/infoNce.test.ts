import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';
import {
  expectSumAndMeanOfNone,
  NONE as none,
  sinViews,
  valuesOf as data,
} from '../../test-support/embeddings.js';
import { goldenTests } from '../../test-support/golden.js';
import { infoNce } from './infoNce.js';

describe('infoNce', () => {
  describe('golden values (F.cross_entropy over normalised similarities / temperature)', () => {
    goldenTests('infoNce', { rtol: 1e-12, atol: 1e-14 });
  });

  const [query, key] = sinViews([5, 3], 1.1, 0.3, 0.5, 2.3);

  describe('gradients', () => {
    it('matches central finite differences with and without normalisation', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const normalize of [true, false])
          checkGradFD('infoNce', { query, key }, { reduction, normalize, temperature: 0.4 });
    });
  });

  describe('identities', () => {
    it('without normalisation depends on the logits only: (q/τ, k, τ = 1) gives the same loss', () => {
      const tau = 0.3;
      const scaled = { data: query.data.map((v) => v / tau), shape: query.shape };
      expectTensorClose(
        infoNce(query, key, { temperature: tau, normalize: false, ...none }),
        infoNce(scaled, key, { temperature: 1, normalize: false, ...none }),
        { rtol: 1e-13 },
      );
    });
    it('with normalisation ignores the norms of the rows', () => {
      const big = {
        data: query.data.map((v, i) => v * (1 + Math.floor(i / 3))),
        shape: query.shape,
      };
      expectTensorClose(infoNce(big, key, none), infoNce(query, key, none), { rtol: 1e-12 });
    });
    it('is log N for identical similarities (all keys equal) and 0 for a single pair', () => {
      const q = [
        [1, 0],
        [0, 1],
        [1, 1],
      ];
      const k = [
        [2, 2],
        [2, 2],
        [2, 2],
      ];
      // every logit of a row is the same: −log(1/3)
      expect(data(infoNce(q, k, none)).every((v) => Math.abs(v - Math.log(3)) < 1e-14)).toBe(true);
      expect(infoNce([[1, 2]], [[-3, 1]])).toBe(0);
    });
    it('permuting the pairs permutes the per-query losses', () => {
      const perm = [3, 0, 4, 1, 2];
      const pick = (t: { data: Float64Array }) => ({
        data: Float64Array.from(perm.flatMap((r) => Array.from(t.data.subarray(3 * r, 3 * r + 3)))),
        shape: [5, 3],
      });
      const a = data(infoNce(query, key, none));
      const b = data(infoNce(pick(query), pick(key), none));
      perm.forEach((r, i) => expectClose(b[i], a[r], { rtol: 1e-12 }));
    });
  });

  describe('reductions', () => {
    it("'mean' is the mean and 'sum' the sum of the per-query values", () => {
      expectSumAndMeanOfNone((o) => infoNce(query, key, o), 5);
    });
  });

  describe('edge cases', () => {
    it('gives 0 with empty gradients for an empty batch', () => {
      const e = { data: new Float64Array(0), shape: [0, 4] };
      const r = infoNce.valueAndGrad(e, e);
      expect(r.value).toBe(0);
      expect(r.grads.query.shape).toEqual([0, 4]);
    });
    it('propagates NaN to the rows it touches', () => {
      const q = { data: Float64Array.from(query.data), shape: query.shape };
      q.data[0] = NaN;
      const v = data(infoNce(q, key, none));
      expect(v[0]).toBeNaN();
      // every other query sees key 0 only through the (finite) key matrix
      expect(v.slice(1).every(Number.isFinite)).toBe(true);
    });
    it('computes a batch of 300 in float32 as float64 on the same values, rounded once', () => {
      const f32 = {
        data: Float32Array.from({ length: 300 * 8 }, (_, i) => Math.sin(i)),
        shape: [300, 8],
      };
      const k32 = {
        data: Float32Array.from({ length: 300 * 8 }, (_, i) => Math.cos(0.7 * i)),
        shape: [300, 8],
      };
      const f64 = { data: Float64Array.from(f32.data), shape: f32.shape };
      const k64 = { data: Float64Array.from(k32.data), shape: k32.shape };
      const a = infoNce.valueAndGrad(f32, k32, { temperature: 0.1, ...none });
      const b = infoNce.valueAndGrad(f64, k64, { temperature: 0.1, ...none });
      expect(Array.from(a.value.data)).toEqual(Array.from(b.value.data, Math.fround));
      expect(Array.from(a.grads.key.data)).toEqual(Array.from(b.grads.key.data, Math.fround));
    });
  });

  describe('errors', () => {
    it('rejects query and key of different shapes (E_SHAPE)', () => {
      expectLossError(() => infoNce([[1, 2]], [[1, 2, 3]]), 'E_SHAPE', [
        'infoNce',
        "'key'",
        'embeddings of equal size',
      ]);
      expectLossError(
        () =>
          infoNce(
            [[1, 2]],
            [
              [1, 2],
              [3, 4],
            ],
          ),
        'E_SHAPE',
        ["'key'", '[2, 2]'],
      );
    });
    it('rejects 1-D embeddings (E_SHAPE)', () => {
      expectLossError(() => infoNce([1, 2], [1, 2]), 'E_SHAPE', ["'query'", '(N, D) (rank 2)']);
    });
    it('rejects a temperature of 0 (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => infoNce([[1]], [[1]], { temperature: 0 }), 'E_OPTION', [
        "option 'temperature'",
        '> 0',
      ]);
      expectLossError(() => evaluate('infoNce', { query: 'q', key: [[1]] }), 'E_TYPE', ["'query'"]);
    });
  });
});
