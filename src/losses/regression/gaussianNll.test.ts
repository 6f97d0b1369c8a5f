import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { gaussianNll } from './gaussianNll.js';
import { mse } from './mse.js';

describe('gaussianNll', () => {
  describe('golden values (torch.nn.functional.gaussian_nll_loss)', () => {
    goldenTests('gaussianNll');
  });

  describe('gradients', () => {
    it('matches central finite differences for input and var, for every var shape', () => {
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 2);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      const vars = [
        tensorOf([2, 3], (i) => 0.3 + i * 0.2),
        tensorOf([2], (i) => 0.5 + i),
        tensorOf([2, 1], (i) => 0.5 + i),
      ];
      for (const v of vars) {
        for (const reduction of ['mean', 'sum', 'none']) {
          checkGradFD('gaussianNll', { input, target, var: v }, { reduction, full: true });
        }
      }
    });
    it("gives a clamped variance the formula's slope at eps, not 0 (torch's in-place clamp)", () => {
      // v = max(1e-9, eps = 1e-6) = 1e-6, d = 0.1: ∂ℓ/∂v = ½(1/v − d²/v²) = ½(1e6 − 1e10);
      // ∂ℓ/∂x = d/v = 1e5.
      const { value, grads } = gaussianNll.valueAndGrad([0.1], [0], [1e-9], { reduction: 'sum' });
      expectClose(value as number, 0.5 * (Math.log(1e-6) + 0.01 / 1e-6));
      expectClose(grads.var.data[0], 0.5 * (1e6 - 1e10));
      expectClose(grads.input.data[0], 1e5);
    });
  });

  describe('identities', () => {
    it('is half of mse with unit variances, plus ½·log(2π) with full', () => {
      const x = [0.5, -1.25, 3];
      const y = [1, 1, 1];
      const ones = [1, 1, 1];
      expectClose(gaussianNll(x, y, ones) as number, 0.5 * (mse(x, y) as number));
      expectClose(
        gaussianNll(x, y, ones, { full: true }) as number,
        0.5 * (mse(x, y) as number) + 0.5 * Math.log(2 * Math.PI),
      );
    });
    it('gives a shared variance the same value as its explicit broadcast, and the summed gradient', () => {
      const x = [
        [0.5, -1, 2],
        [1, 1.5, -0.5],
      ];
      const y = [
        [0, 0, 1],
        [0.5, 0, 0],
      ];
      const shared = gaussianNll.valueAndGrad(x, y, [0.7, 2], { reduction: 'sum' });
      const full = gaussianNll.valueAndGrad(
        x,
        y,
        [
          [0.7, 0.7, 0.7],
          [2, 2, 2],
        ],
        { reduction: 'sum' },
      );
      expectClose(shared.value as number, full.value as number);
      const gv = full.grads.var.data;
      expectClose(shared.grads.var.data[0], gv[0] + gv[1] + gv[2]);
      expectClose(shared.grads.var.data[1], gv[3] + gv[4] + gv[5]);
      expect(shared.grads.var.shape).toEqual([2]);
      expect(Array.from(shared.grads.input.data)).toEqual(Array.from(full.grads.input.data));
    });
    it('gives rows that cross summation blocks the values and summed gradients of their broadcast', () => {
      // 3 rows of 300 elements: the blocks of 256 cut rows 0, 1 and 2. Each element's terms are the
      // same as with the explicit broadcast, and the block sums are too, so value and input
      // gradient agree exactly; a shared variance's gradient is its row's terms summed in order.
      const shape = [3, 300];
      const input = tensorOf(shape, (i) => Math.sin(i) * 2);
      const target = tensorOf(shape, (i) => Math.cos(0.3 * i));
      const shared = tensorOf([3], (i) => 0.5 + i);
      const broadcast = tensorOf(shape, (i) => 0.5 + Math.floor(i / 300));
      for (const reduction of ['sum', 'mean'] as const) {
        const a = gaussianNll.valueAndGrad(input, target, shared, { reduction });
        const b = gaussianNll.valueAndGrad(input, target, broadcast, { reduction });
        expect(a.value).toBe(b.value);
        expect(Array.from(a.grads.input.data)).toEqual(Array.from(b.grads.input.data));
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let k = 0; k < 300; k++) s += b.grads.var.data[j * 300 + k];
          expect(a.grads.var.data[j]).toBe(s);
        }
      }
      // The general loop (an upstream tensor under 'none') gives the training loop's gradients.
      const ones = { data: new Float64Array(900).fill(1), shape };
      const none = gaussianNll.valueAndGrad(
        input,
        target,
        shared,
        { reduction: 'none' },
        {
          upstream: ones,
        },
      );
      const sum = gaussianNll.valueAndGrad(input, target, shared, { reduction: 'sum' });
      expect(Array.from(none.grads.input.data)).toEqual(Array.from(sum.grads.input.data));
      expect(Array.from(none.grads.var.data)).toEqual(Array.from(sum.grads.var.data));
    });
    it('treats a var of shape (N, 1) like one of shape (N)', () => {
      const x = [
        [0.5, -1],
        [1, 1.5],
      ];
      const y = [
        [0, 0],
        [0.5, 0],
      ];
      expect(gaussianNll(x, y, [[0.7], [2]])).toBe(gaussianNll(x, y, [0.7, 2]));
    });
  });

  describe('reductions', () => {
    it("divides by the number of elements of input under 'mean', even with a shared variance", () => {
      const x = [
        [0.5, -1, 2],
        [1, 1.5, -0.5],
      ];
      const y = [
        [0, 0, 1],
        [0.5, 0, 0],
      ];
      const sum = gaussianNll(x, y, [0.7, 2], { reduction: 'sum' }) as number;
      expectClose(gaussianNll(x, y, [0.7, 2]) as number, sum / 6);
    });
    it("keeps input's shape under 'none', except a rank-0 input with var [1] gives [1] as torch", () => {
      const out = gaussianNll([[1, 2]], [[0, 0]], [[1]], { reduction: 'none' });
      expect((out as { shape: number[] }).shape).toEqual([1, 2]);
      const scalar = gaussianNll(2, 1, [0.5], { reduction: 'none' });
      expect((scalar as { shape: number[] }).shape).toEqual([1]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0, 3] };
      const noVar = { data: new Float64Array(0), shape: [0] };
      expect(gaussianNll(empty, empty, noVar)).toBe(0);
      expect(gaussianNll.valueAndGrad(empty, empty, noVar).grads.var.shape).toEqual([0]);
    });
    it('accepts a zero variance (clamped to eps) and propagates a NaN variance', () => {
      expect(Number.isFinite(gaussianNll([1], [0], [0]) as number)).toBe(true);
      expect(gaussianNll([1], [0], [NaN])).toBeNaN();
    });
    it('follows the dtype of var for its gradient', () => {
      const { grads } = gaussianNll.valueAndGrad([1, 2], [0, 0], {
        data: Float32Array.of(0.5, 1),
        shape: [2],
      });
      expect(grads.var.data).toBeInstanceOf(Float32Array);
      expect(grads.input.data).toBeInstanceOf(Float64Array);
    });
  });

  describe('errors', () => {
    it('rejects a negative variance (E_RANGE), as torch', () => {
      expectLossError(() => gaussianNll([1, 2], [0, 0], [1, -0.5]), 'E_RANGE', [
        'gaussianNll',
        "input 'var'",
        'non-negative',
        '-0.5 at flat position 1',
      ]);
    });
    it('rejects a var of another shape (E_SHAPE)', () => {
      expectLossError(() => gaussianNll([[1, 2, 3]], [[0, 0, 0]], [1, 1, 1]), 'E_SHAPE', [
        'gaussianNll',
        "input 'var'",
        '[1, 3]',
        '[1]',
        'shape [3]',
      ]);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => gaussianNll([1, 2], [0], [1, 1]), 'E_SHAPE', ["'target'"]);
    });
    it('rejects a negative eps (E_OPTION)', () => {
      expectLossError(() => gaussianNll([1], [0], [1], { eps: -1e-6 }), 'E_OPTION', [
        "option 'eps'",
        'eps=-0.000001',
      ]);
    });
    it('rejects a missing var (E_INPUT)', () => {
      expectLossError(() => evaluate('gaussianNll', { input: [1], target: [0] }), 'E_INPUT', [
        'gaussianNll',
        "'var'",
      ]);
    });
    it('rejects a non-numeric var (E_TYPE)', () => {
      expectLossError(
        () => evaluate('gaussianNll', { input: [1], target: [0], var: 'wide' }),
        'E_TYPE',
        ["'var'"],
      );
    });
  });
});
