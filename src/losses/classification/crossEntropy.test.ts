import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
  tensorOf,
} from '../../test-support/check.js';
import { LOGITS_3X3 } from '../../test-support/fixtures.js';
import { goldenTests } from '../../test-support/golden.js';
import { crossEntropy } from './crossEntropy.js';
import { nll } from './nll.js';

/** Row-wise log-softmax of a (N, C) nested array, for identities. */
function logSoftmaxRows(x: number[][]): number[][] {
  return x.map((row) => {
    const m = Math.max(...row);
    const ls = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    return row.map((v) => v - m - ls);
  });
}

const X = [...LOGITS_3X3, [-1.0, 0.0, 1.0]];

/** Spatial logits (N = 2, C = 3, 2 × 2) with float32-representable values, and their index targets. */
const XS = tensorOf([2, 3, 2, 2], (i) => Math.fround(Math.sin(1.3 * i) * 2));
const YS = { data: Int32Array.of(0, 2, -100, 1, 1, 0, 2, -100), shape: [2, 2, 2] };

function asFloat32(t: Tensor): Tensor {
  return { data: Float32Array.from(t.data), shape: t.shape };
}
const Y = [0, 2, 1, 1];

describe('crossEntropy', () => {
  describe('golden values (torch.nn.functional.cross_entropy)', () => {
    goldenTests('crossEntropy');
  });

  describe('gradients', () => {
    it('matches central finite differences for index targets with weights, smoothing and ignored pixels', () => {
      const input = tensorOf([2, 3, 2, 2], (i) => Math.sin(1.3 * i) * 2);
      const target = { data: Int32Array.of(0, 2, -100, 1, 1, 0, 2, -100), shape: [2, 2, 2] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('crossEntropy', { input, target }, { reduction });
        checkGradFD(
          'crossEntropy',
          { input, target },
          { reduction, weight: [0.5, 2, 1.25], labelSmoothing: 0.2 },
        );
      }
    });
    it('matches central finite differences for probability targets with weights and smoothing', () => {
      const input = tensorOf([3, 4], (i) => Math.cos(0.7 * i) * 3);
      const target = tensorOf([3, 4], (i) => [0.1, 0.2, 0.3, 0.4][i % 4]);
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD(
          'crossEntropy',
          { input, target },
          { reduction, weight: [1, 0.5, 2, 3], labelSmoothing: 0.1 },
        );
      }
    });
  });

  describe('identities', () => {
    it('equals nll of the log-softmax', () => {
      const a = crossEntropy.valueAndGrad(X, Y, { weight: [1, 2, 0.5] });
      const b = nll(logSoftmaxRows(X), Y, { weight: [1, 2, 0.5] }) as number;
      expectClose(a.value as number, b);
    });
    it('gives a one-hot probability target the value and gradient of its index target', () => {
      const onehot = Y.map((t) => [0, 1, 2].map((c) => (c === t ? 1 : 0)));
      const a = crossEntropy.valueAndGrad(X, Y);
      const b = crossEntropy.valueAndGrad(X, onehot);
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('has a gradient of softmax − target whose rows sum to 0', () => {
      const { grads } = crossEntropy.valueAndGrad(X, Y, { reduction: 'sum', labelSmoothing: 0.3 });
      for (let n = 0; n < 4; n++) {
        const row = grads.input.data.slice(3 * n, 3 * n + 3);
        expect(Math.abs(row[0] + row[1] + row[2])).toBeLessThan(1e-15);
      }
    });
    it('gives uniform weights the unweighted mean (the weighted mean divides by Σ w[y])', () => {
      expectClose(
        crossEntropy(X, Y, { weight: [2, 2, 2] }) as number,
        crossEntropy(X, Y) as number,
      );
    });
    it('gives log C for equal logits, whatever the target and smoothing', () => {
      expectClose(
        crossEntropy([[0, 0, 0, 0]], [2], { labelSmoothing: 0.4 }) as number,
        Math.log(4),
      );
    });
  });

  describe('reductions and weights', () => {
    it('divides the weighted sum by Σ w[y] over non-ignored targets under mean', () => {
      const w = [1, 2, 0.5];
      const y = [0, -100, 1, 2];
      const sum = crossEntropy(X, y, { weight: w, reduction: 'sum' }) as number;
      // Σ w[y] over non-ignored = w0 + w1 + w2 = 3.5
      expectClose(crossEntropy(X, y, { weight: w }) as number, sum / 3.5);
    });
    it('gives 0 and zero gradient under mean when every target is ignored (torch gives NaN)', () => {
      const { value, grads } = crossEntropy.valueAndGrad(X, [-100, -100, -100, -100], {
        labelSmoothing: 0.1,
      });
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
    it('gives 0 and zero gradient when the targets carry zero total weight', () => {
      const { value, grads } = crossEntropy.valueAndGrad(X, [1, 1, 1, 1], { weight: [1, 0, 1] });
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
    it("writes 0 at ignored positions under 'none' and keeps the (N, d1) shape", () => {
      const out = crossEntropy(
        [
          [
            [1, 2],
            [0, -1],
          ],
        ],
        [[-100, 0]],
        { reduction: 'none' },
      ) as Tensor;
      expect(out.shape).toEqual([1, 2]);
      expect(out.data[0]).toBe(0);
      // position 1: logits (2, −1), class 0 → log(1 + e^{−3})
      expectClose(out.data[1], Math.log1p(Math.exp(-3)));
    });
    it('divides by N·d1… under mean for probability targets, whatever the weights', () => {
      const p = [
        [0.2, 0.3, 0.5],
        [1, 0, 0],
        [0, 0.5, 0.5],
        [0.3, 0.3, 0.4],
      ];
      const w = { weight: [3, 1, 0.5] };
      expectClose(
        crossEntropy(X, p, w) as number,
        (crossEntropy(X, p, { ...w, reduction: 'sum' }) as number) / 4,
      );
    });
  });

  describe('edge cases', () => {
    it('stays finite at logits ±700', () => {
      const { value, grads } = crossEntropy.valueAndGrad([[700, -700, 0]], [1]);
      expect(value).toBe(1400);
      // softmax = (1, e^{−1400} = 0, e^{−700}); gradient softmax − one-hot(1)
      expectTensorClose(grads.input, {
        data: Float64Array.of(1, -1, Math.exp(-700)),
        shape: [1, 3],
      });
    });
    it('propagates NaN and gives NaN for an infinite logit', () => {
      expect(crossEntropy([[NaN, 0]], [0])).toBeNaN();
      expect(crossEntropy([[Infinity, 0]], [0])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      const empty = { data: new Float64Array(0), shape: [0, 3] };
      const res = evaluate(
        'crossEntropy',
        { input: empty, target: { data: new Int32Array(0), shape: [0] } },
        {},
        { grad: true },
      );
      expect(res.value).toBe(0);
      expect(res.grads!.input.shape).toEqual([0, 3]);
    });
    it('gives on float32 spatial logits exactly the float64 result rounded once, with weights and smoothing', () => {
      // The softmax numerators live in a float64 scratch row, never in the float32 gradient buffer.
      const probs = tensorOf([2, 3, 2, 2], (i) => Math.fround([0.25, 0.5, 0.125, 0.75][i % 4]));
      const cases: [Tensor, Record<string, unknown>][] = [
        [YS, { reduction: 'none' }],
        [YS, { reduction: 'mean', weight: [0.5, 2, 1.25], labelSmoothing: 0.2 }],
        [probs, { reduction: 'sum', weight: [0.5, 2, 1.25], labelSmoothing: 0.1 }],
      ];
      for (const [target, opts] of cases) {
        const a = evaluate('crossEntropy', { input: XS, target }, opts, { grad: true });
        const b = evaluate('crossEntropy', { input: asFloat32(XS), target }, opts, { grad: true });
        if (typeof a.value === 'number') expect(b.value).toBe(a.value);
        else
          expect(Array.from((b.value as Tensor).data)).toEqual(
            Array.from(a.value.data, Math.fround),
          );
        expect(b.grads!.input.data).toBeInstanceOf(Float32Array);
        expect(Array.from(b.grads!.input.data)).toEqual(
          Array.from(a.grads!.input.data, Math.fround),
        );
      }
    });
    it('overwrites every element of a caller buffer full of NaN, ignored positions with 0', () => {
      const into = { input: new Float32Array(24).fill(NaN) };
      const plain = evaluate('crossEntropy', { input: XS, target: YS }, {}, { grad: true });
      const res = evaluate(
        'crossEntropy',
        { input: asFloat32(XS), target: YS },
        {},
        { grad: true, into },
      );
      expect(res.grads!.input.data).toBe(into.input);
      expect(Array.from(into.input)).toEqual(Array.from(plain.grads!.input.data, Math.fround));
      // position (n = 0, d = (1, 0)) is ignored: its three class entries are 0
      expect([into.input[2], into.input[6], into.input[10]]).toEqual([0, 0, 0]);
    });
    it('takes Int32Array or float-valued integer targets alike, and keeps float32 under none', () => {
      const x32 = { data: Float32Array.of(1, 2, 3, 0, 0, 1), shape: [2, 3] };
      const a = crossEntropy(
        x32,
        { data: Int32Array.of(2, 0), shape: [2] },
        { reduction: 'none' },
      ) as Tensor;
      const b = crossEntropy(x32, [2, 0], { reduction: 'none' }) as Tensor;
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    });
  });

  describe('errors', () => {
    it('rejects a class index out of range with E_RANGE', () => {
      expectLossError(() => crossEntropy(X, [0, 3, 1, 1]), 'E_RANGE', [
        'crossEntropy',
        "'target'",
        '[0, 2]',
        '3 at flat position 1',
      ]);
      expectLossError(() => crossEntropy(X, [0, -1, 1, 1]), 'E_RANGE', ['ignore index -100', '-1']);
    });
    it('rejects a non-integer class index with E_TYPE', () => {
      expectLossError(() => crossEntropy(X, [0, 1.5, 1, 1]), 'E_TYPE', [
        'crossEntropy',
        "'target'",
        '1.5',
      ]);
    });
    it('rejects a target shape that is neither indices nor probabilities with E_SHAPE', () => {
      expectLossError(() => crossEntropy(X, [0, 1]), 'E_SHAPE', [
        'crossEntropy',
        "'target'",
        '[4]',
        '[2]',
      ]);
      expectLossError(() => crossEntropy(5, 0), 'E_SHAPE', ["'input'", 'scalar']);
    });
    it('rejects a weight of the wrong length with E_SHAPE', () => {
      expectLossError(() => crossEntropy(X, Y, { weight: [1, 2] }), 'E_SHAPE', [
        "option 'weight'",
        'C = 3',
        '[2]',
      ]);
    });
    it('rejects a non-negative ignoreIndex with probability targets with E_OPTION', () => {
      const p = X.map(() => [0.2, 0.3, 0.5]);
      expectLossError(() => crossEntropy(X, p, { ignoreIndex: 0 }), 'E_OPTION', [
        "option 'ignoreIndex'",
        'ignoreIndex=0',
      ]);
    });
    it('rejects labelSmoothing outside [0, 1] with E_OPTION', () => {
      expectLossError(() => crossEntropy(X, Y, { labelSmoothing: 1.5 }), 'E_OPTION', [
        "'labelSmoothing'",
        '<= 1',
        'labelSmoothing=1.5',
      ]);
    });
    it('rejects a missing target with E_INPUT', () => {
      expectLossError(() => evaluate('crossEntropy', { input: X }), 'E_INPUT', ["'target'"]);
    });
  });
});
