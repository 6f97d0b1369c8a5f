import { describe, expect, it } from 'vitest';
import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
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
import { ntXent, ntXentKernel, prepareNtXent } from './ntXent.js';

describe('ntXent', () => {
  describe('golden values (SimCLR NT-Xent in torch, checked against GRACE)', () => {
    goldenTests('ntXent', { rtol: 1e-12, atol: 1e-14 });
  });

  const [z1, z2] = sinViews([4, 3], 0.9, 0.1, 0.6, 1.9);

  describe('gradients', () => {
    it('matches central finite differences', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const temperature of [0.5, 0.2])
          checkGradFD('ntXent', { z1, z2 }, { reduction, temperature });
    });
  });

  describe('identities', () => {
    it('is symmetric in its two views', () => {
      expectTensorClose(ntXent(z1, z2, none), ntXent(z2, z1, none), { rtol: 1e-13 });
    });
    it('is 0 for a single pair (the positive is the only other view)', () => {
      expect(ntXent([[1, 2]], [[-2, 0.5]])).toBe(0);
    });
    it('equals the mean of the two per-view cross-entropies written out for N = 2', () => {
      const a = [
        [1, 0],
        [0.6, 0.8],
      ];
      const b = [
        [0.8, 0.6],
        [0, 1],
      ];
      const views = [...a, ...b];
      const tau = 0.5;
      const cos = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1]; // unit vectors
      const ell = (i: number) => {
        const pos = (i + 2) % 4;
        let s = 0;
        for (let j = 0; j < 4; j++) if (j !== i) s += Math.exp(cos(views[i], views[j]) / tau);
        return Math.log(s) - cos(views[i], views[pos]) / tau;
      };
      const v = data(ntXent(a, b, none));
      expectClose(v[0], 0.5 * (ell(0) + ell(2)), { rtol: 1e-13 });
      expectClose(v[1], 0.5 * (ell(1) + ell(3)), { rtol: 1e-13 });
    });
    it('exceeds in-batch infoNce: it adds the intra-view negatives', () => {
      const sym = ntXent(z1, z2) as number;
      const oneWay =
        0.5 *
        ((infoNce(z1, z2, { temperature: 0.5 }) as number) +
          (infoNce(z2, z1, { temperature: 0.5 }) as number));
      expect(sym).toBeGreaterThan(oneWay);
    });
    it('exports its plan builder and kernel: an entry defined from them computes the same values', () => {
      const twin = defineLoss({
        meta: {
          ...ntXent.meta,
          id: 'ntXentTwin',
          options: { temperature: ntXent.meta.options.temperature },
          reductions: STANDARD_REDUCTIONS,
          defaultReduction: 'mean',
        },
        prepare: (inputs, options, id) =>
          prepareNtXent(id, inputs.z1, inputs.z2, options.temperature),
        kernel: ntXentKernel,
        writesEveryGrad: true,
      });
      const a = ntXent.valueAndGrad(z1, z2, none);
      const b = twin.valueAndGrad(z1, z2, none);
      expect(data(b.value)).toEqual(data(a.value));
      expect(Array.from(b.grads.z2.data)).toEqual(Array.from(a.grads.z2.data));
    });
  });

  describe('reductions', () => {
    it("'mean' is the mean (GRACE's mean=True) and 'sum' the sum of the per-pair values", () => {
      expectSumAndMeanOfNone((o) => ntXent(z1, z2, o), 4);
    });
  });

  describe('edge cases', () => {
    it('gives 0 with empty gradients for an empty batch', () => {
      const e = { data: new Float64Array(0), shape: [0, 3] };
      expect(ntXent(e, e)).toBe(0);
      expect(ntXent.valueAndGrad(e, e).grads.z1.shape).toEqual([0, 3]);
    });
    it('propagates NaN to every pair (each view is a negative of all others)', () => {
      const bad = { data: Float64Array.from(z1.data), shape: z1.shape };
      bad.data[4] = NaN;
      expect(data(ntXent(bad, z2, none)).every(Number.isNaN)).toBe(true);
    });
    it('keeps float32 under none', () => {
      const f = { data: Float32Array.from(z1.data), shape: z1.shape };
      const out = ntXent(f, z2, none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects views of different shapes (E_SHAPE) and 1-D views', () => {
      expectLossError(() => ntXent([[1, 2]], [[1, 2, 3]]), 'E_SHAPE', [
        'ntXent',
        "'z2'",
        'embeddings of equal size',
      ]);
      expectLossError(() => ntXent([1, 2], [1, 2]), 'E_SHAPE', ["'z1'", '(N, D)']);
    });
    it('rejects a negative temperature (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => ntXent([[1]], [[1]], { temperature: -1 }), 'E_OPTION', [
        "option 'temperature'",
      ]);
      expectLossError(() => evaluate('ntXent', { z1: [[1]], z2: 'z' }), 'E_TYPE', ["'z2'"]);
    });
  });
});
