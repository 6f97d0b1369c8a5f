import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { poissonNll } from './poissonNll.js';

function values(r: unknown): Float64Array {
  return (r as { data: Float64Array }).data;
}

describe('poissonNll', () => {
  describe('golden values (torch.nn.functional.poisson_nll_loss)', () => {
    goldenTests('poissonNll');
  });

  describe('gradients', () => {
    it('matches central finite differences for log-rates and rates, with and without full', () => {
      const logRates = tensorOf([2, 3], (i) => Math.sin(i + 1) * 2);
      const rates = tensorOf([2, 3], (i) => 0.2 + Math.abs(Math.sin(i + 1)) * 3);
      const target = tensorOf([2, 3], (i) => i % 4);
      for (const reduction of ['mean', 'sum', 'none']) {
        for (const full of [false, true]) {
          checkGradFD('poissonNll', { input: logRates, target }, { reduction, full });
          checkGradFD('poissonNll', { input: rates, target }, { reduction, full, logInput: false });
        }
      }
    });
    it('vanishes at the maximum-likelihood rate: x = log y, or x = y − eps without logInput', () => {
      const { grads } = poissonNll.valueAndGrad([Math.log(4), 2.5 - 1e-8], [4, 2.5], {
        reduction: 'none',
      });
      expect(Math.abs(grads.input.data[0])).toBeLessThan(1e-14);
      const g = poissonNll.valueAndGrad([2.5 - 1e-8], [2.5], { logInput: false }).grads.input;
      expect(Math.abs(g.data[0])).toBeLessThan(1e-15);
    });
  });

  describe('identities', () => {
    it('gives the same value for a log-rate x and the rate e^x with eps = 0', () => {
      const x = [0.5, -1.25, 2];
      const y = [1, 0, 3];
      expectClose(
        poissonNll(x, y) as number,
        poissonNll(x.map(Math.exp), y, { logInput: false, eps: 0 }) as number,
      );
    });
    it("adds Stirling's y·log y − y + ½·log(2πy) only where y > 1, without changing the gradient", () => {
      const x = [0.3, 0.3, 0.3, 0.3];
      const y = [0, 1, 1.5, 10];
      const plain = poissonNll.valueAndGrad(x, y, { reduction: 'none' });
      const full = poissonNll.valueAndGrad(x, y, { reduction: 'none', full: true });
      const stirling = (t: number) => t * Math.log(t) - t + 0.5 * Math.log(2 * Math.PI * t);
      const a = values(plain.value);
      const b = values(full.value);
      expect(b[0]).toBe(a[0]);
      expect(b[1]).toBe(a[1]);
      expectClose(b[2] - a[2], stirling(1.5));
      expectClose(b[3] - a[3], stirling(10));
      expect(Array.from(full.grads.input.data)).toEqual(Array.from(plain.grads.input.data));
    });
    it('is e^x − y·x with the default options', () => {
      expectClose(poissonNll([0.7], [3], { reduction: 'sum' }) as number, Math.exp(0.7) - 2.1);
    });
  });

  describe('reductions', () => {
    it("averages over all elements under 'mean'", () => {
      const x = [
        [0.1, 0.2],
        [0.3, 0.4],
      ];
      const y = [
        [1, 2],
        [3, 4],
      ];
      expectClose(
        poissonNll(x, y) as number,
        (poissonNll(x, y, { reduction: 'sum' }) as number) / 4,
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(poissonNll(empty, empty)).toBe(0);
    });
    it('overflows to Infinity where e^x does, as torch', () => {
      expect(poissonNll([710], [1])).toBe(Infinity);
    });
    it('gives NaN for a negative rate without logInput (the log of a negative number), as torch', () => {
      expect(poissonNll([-2], [1], { logInput: false })).toBeNaN();
    });
    it('propagates NaN', () => {
      expect(poissonNll([NaN], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a negative eps (E_OPTION)', () => {
      expectLossError(() => poissonNll([1], [1], { eps: -1 }), 'E_OPTION', [
        'poissonNll',
        "option 'eps'",
        'eps=-1',
      ]);
    });
    it('rejects a non-boolean logInput (E_OPTION)', () => {
      expectLossError(() => poissonNll([1], [1], { logInput: 'yes' as never }), 'E_OPTION', [
        "option 'logInput'",
        'true or false',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => poissonNll([1, 2], [1]), 'E_SHAPE', ['poissonNll', "'target'"]);
    });
    it('rejects a non-numeric target (E_TYPE)', () => {
      expectLossError(() => evaluate('poissonNll', { input: [1], target: ['3'] }), 'E_TYPE', [
        "'target'",
      ]);
    });
  });
});
