import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { minimumRisk } from './minimumRisk.js';

const lp = tensorOf([2, 4], (i) => -3 - 2 * Math.abs(Math.sin(i + 0.5)) * (i + 1));
const costs = tensorOf([2, 4], (i) => 0.5 + 0.4 * Math.cos(2 * i));

describe('minimumRisk', () => {
  describe('golden values (Shen et al. 2016 in torch)', () => {
    goldenTests('minimumRisk', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for every reduction and several alphas', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const alpha of [5e-3, 0.4, 2])
          checkGradFD('minimumRisk', { sequenceLogProbs: lp, costs }, { reduction, alpha });
    });
    it('is α·Q·(Δ − E_Q[Δ]), so each row of the gradient sums to 0', () => {
      const { grads } = minimumRisk.valueAndGrad(lp, costs, { alpha: 0.7, reduction: 'sum' });
      for (let n = 0; n < 2; n++) {
        let s = 0;
        for (let k = 0; k < 4; k++) s += grads.sequenceLogProbs.data[n * 4 + k];
        expect(Math.abs(s)).toBeLessThan(1e-15);
      }
    });
  });

  describe('identities', () => {
    it('equals the expected cost under softmax(α·log p) written out', () => {
      const alpha = 0.3;
      const v = minimumRisk(lp, costs, { alpha, reduction: 'none' });
      for (let n = 0; n < 2; n++) {
        let z = 0;
        let zc = 0;
        for (let k = 0; k < 4; k++) {
          const e = Math.exp(alpha * lp.data[n * 4 + k]);
          z += e;
          zc += e * costs.data[n * 4 + k];
        }
        expectClose(v.data[n], zc / z, { rtol: 1e-14 });
      }
    });
    it('does not change when a constant is added to a row of log-probabilities', () => {
      const shifted = { data: lp.data.map((x, i) => (i < 4 ? x - 7 : x)), shape: lp.shape };
      expectClose(
        minimumRisk(shifted, costs, { alpha: 0.5 }),
        minimumRisk(lp, costs, { alpha: 0.5 }),
        { rtol: 1e-14 },
      );
    });
    it('gives the shared cost with zero gradient when every candidate costs the same', () => {
      const same = tensorOf([2, 4], () => 0.25);
      const { value, grads } = minimumRisk.valueAndGrad(lp, same, { alpha: 1 });
      expectClose(value, 0.25, { rtol: 1e-15 });
      for (const g of grads.sequenceLogProbs.data) expect(Math.abs(g)).toBeLessThan(1e-17);
    });
    it('approaches the cost of the most probable candidate as alpha grows', () => {
      // row 0: the largest log p is at k = 0 (the first, least negative entry)
      let best = 0;
      for (let k = 1; k < 4; k++) if (lp.data[k] > lp.data[best]) best = k;
      const v = minimumRisk(lp, costs, { alpha: 1e4, reduction: 'none' });
      expectClose(v.data[0], costs.data[best], { rtol: 1e-12 });
    });
  });

  describe('reductions', () => {
    it("averages over sources under 'mean' and adds under 'sum'", () => {
      const none = minimumRisk(lp, costs, { reduction: 'none' });
      expect(none.shape).toEqual([2]);
      expectClose(minimumRisk(lp, costs, { reduction: 'sum' }), none.data[0] + none.data[1], {
        rtol: 1e-15,
      });
      expectClose(minimumRisk(lp, costs), (none.data[0] + none.data[1]) / 2, { rtol: 1e-15 });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for K = 0 candidates', () => {
      expect(
        minimumRisk(
          { data: new Float64Array(0), shape: [0, 3] },
          { data: new Float64Array(0), shape: [0, 3] },
        ),
      ).toBe(0);
      expect(
        minimumRisk(
          { data: new Float64Array(0), shape: [2, 0] },
          { data: new Float64Array(0), shape: [2, 0] },
        ),
      ).toBe(0);
    });
    it('gives an impossible candidate (log p = −Infinity) weight 0 and zero gradient', () => {
      const { value, grads } = minimumRisk.valueAndGrad([[-1, -Infinity]], [[0.2, 0.9]], {
        alpha: 1,
      });
      expect(value).toBe(0.2);
      expect(grads.sequenceLogProbs.data[1]).toBe(0);
    });
    it('propagates NaN', () => {
      expect(minimumRisk([[-1, NaN]], [[0.2, 0.9]])).toBeNaN();
    });
    it('keeps float32 under none', () => {
      const out = minimumRisk({ data: Float32Array.of(-1, -2), shape: [1, 2] }, [[0.5, 0.1]], {
        reduction: 'none',
      });
      expect(out.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects costs of another shape (E_SHAPE)', () => {
      expectLossError(() => minimumRisk(lp, [[1, 2, 3, 4]]), 'E_SHAPE', [
        'minimumRisk',
        "'costs'",
        '[2, 4]',
        '[1, 4]',
      ]);
    });
    it('rejects log-probabilities that are not (N, K) (E_SHAPE)', () => {
      expectLossError(() => minimumRisk([-1, -2], [0, 1]), 'E_SHAPE', [
        "'sequenceLogProbs'",
        '(N, K)',
      ]);
    });
    it('rejects alpha <= 0 (E_OPTION)', () => {
      expectLossError(() => minimumRisk(lp, costs, { alpha: 0 }), 'E_OPTION', ["'alpha'", '> 0']);
    });
    it('rejects a non-numeric cost (E_TYPE)', () => {
      expectLossError(
        () => evaluate('minimumRisk', { sequenceLogProbs: lp, costs: [[true, 'x']] }),
        'E_TYPE',
        ["'costs'"],
      );
    });
  });
});
