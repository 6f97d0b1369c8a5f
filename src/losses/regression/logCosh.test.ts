import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { logCosh } from './logCosh.js';

function noneValues(x: number[], y: number[]): Float64Array {
  return (logCosh(x, y, { reduction: 'none' }) as { data: Float64Array }).data;
}

describe('logCosh', () => {
  describe('golden values (Keras LogCosh element values)', () => {
    goldenTests('logCosh');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 4);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('logCosh', { input, target }, { reduction });
      }
    });
    it('is tanh of the residual, ±1 for huge and infinite residuals', () => {
      const { grads } = logCosh.valueAndGrad([0.5, 1e300, -Infinity], [0, 0, 0], {
        reduction: 'sum',
      });
      expect(Array.from(grads.input.data)).toEqual([Math.tanh(0.5), 1, -1]);
    });
  });

  describe('identities', () => {
    // log cosh d = log(1 + u) with u = cosh d − 1 = d²/2 + d⁴/24 + d⁶/720 + …, and
    // log(1 + u) = u − u²/2 + u³/3 − …, so log cosh d = d²/2 − d⁴/12 + d⁶/45 − 17d⁸/2520 + …
    // For large |d|: cosh d = e^{|d|}(1 + e^{−2|d|})/2, so log cosh d = |d| − log 2 + log1p(e^{−2|d|}),
    // and the last term is below e^{−2|d|}.
    it('is ½d² − d⁴/12 + d⁶/45 for small residuals (Taylor series)', () => {
      for (const d of [1e-2, -3e-2, 0.05]) {
        const want = (d * d) / 2 - d ** 4 / 12 + d ** 6 / 45 - (17 * d ** 8) / 2520;
        expectClose(noneValues([d], [0])[0], want, { rtol: 1e-10, atol: 0 });
      }
    });
    it('is close to ½d² for small residuals', () => {
      const d = 1e-3;
      expectClose(noneValues([d], [0])[0], (d * d) / 2, { rtol: 1e-6 });
    });
    it('is |d| − log 2 for large residuals (the correction e^{−2|d|} is below one ulp)', () => {
      for (const d of [30, -45.5, 700, -1e6, 1e300]) {
        expectClose(noneValues([d], [0])[0], Math.abs(d) - Math.LN2, { rtol: 1e-15 });
      }
    });
    it('is symmetric in the residual', () => {
      expect(noneValues([2.5, -2.5], [0, 0])).toEqual(
        Float64Array.of(...noneValues([-2.5, 2.5], [0, 0])),
      );
    });
  });

  describe('reductions', () => {
    it("averages over all elements under 'mean' (Keras would average the last axis first)", () => {
      const x = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      const y = [
        [0, 0, 0],
        [0, 0, 0],
      ];
      const none = noneValues([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0]);
      let s = 0;
      for (const v of none) s += v;
      expectClose(logCosh(x, y) as number, s / 6);
      expectClose(logCosh(x, y, { reduction: 'sum' }) as number, s);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(logCosh(empty, empty)).toBe(0);
    });
    it('gives +Infinity for infinite residuals of either sign (Keras gives NaN at −∞)', () => {
      expect(Array.from(noneValues([Infinity, -Infinity], [0, 0]))).toEqual([Infinity, Infinity]);
    });
    it('propagates NaN', () => {
      expect(logCosh([NaN], [0])).toBeNaN();
    });
    it('gives 0 with gradient 0 for a perfect prediction', () => {
      const { value, grads } = logCosh.valueAndGrad([1.5], [1.5]);
      expect(value).toBe(0);
      expect(grads.input.data[0]).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => logCosh([1, 2], [1, 2, 3]), 'E_SHAPE', ['logCosh', "'target'"]);
    });
    it('rejects an unknown option (E_OPTION)', () => {
      expectLossError(() => logCosh([1], [1], { delta: 1 } as never), 'E_OPTION', [
        'logCosh',
        "'delta'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('logCosh', { input: [null], target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
  });
});
