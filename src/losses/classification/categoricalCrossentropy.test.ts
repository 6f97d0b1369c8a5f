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
import { PROBS_2X3 } from '../../test-support/fixtures.js';
import { goldenTests } from '../../test-support/golden.js';
import { categoricalCrossentropy as cce } from './categoricalCrossentropy.js';
import { crossEntropy } from './crossEntropy.js';

const P = PROBS_2X3;
const T = [
  [0, 1, 0],
  [0, 0, 1],
];

describe('categoricalCrossentropy', () => {
  describe('golden values (Keras CategoricalCrossentropy transcribed in torch)', () => {
    goldenTests('categoricalCrossentropy');
  });

  describe('gradients', () => {
    it('matches central finite differences through the renormalisation (probabilities inside the clip range)', () => {
      const input = tensorOf([2, 3, 2], (i) => 0.2 + 0.05 * i);
      const target = tensorOf([2, 3, 2], (i) => [0.1, 0.6, 0.3][i % 3]);
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD(
          'categoricalCrossentropy',
          { input, target },
          { reduction, axis: 1, labelSmoothing: 0.2 },
        );
        checkGradFD('categoricalCrossentropy', { input, target }, { reduction, fromLogits: true });
      }
    });
    it('gives a class clipped at 1e-7 zero gradient of its own (torch clamp), only the renormalisation term', () => {
      const { grads } = cce.valueAndGrad([[0, 0.5, 0.5]], [[1, 0, 0]], { reduction: 'sum' });
      // q = x/S with S = 1; class 0 is clipped so h = 0 everywhere and the gradient is 0.
      expect(Array.from(grads.input.data, Math.abs)).toEqual([0, 0, 0]);
    });
  });

  describe('identities', () => {
    it('equals crossEntropy with probability targets when fromLogits is true', () => {
      const x = [
        [2, 1, 0.1],
        [0.5, -1, 1.5],
      ];
      const a = cce.valueAndGrad(x, T, { fromLogits: true, labelSmoothing: 0.1 });
      const b = crossEntropy.valueAndGrad(x, T, { labelSmoothing: 0.1 });
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('is invariant to scaling the probabilities (they are renormalised)', () => {
      const scaled = P.map((r) => r.map((v) => 7 * v));
      expectClose(cce(scaled, T) as number, cce(P, T) as number);
    });
    it('gives −Σ y log p on normalised probabilities', () => {
      expectClose(cce(P, T) as number, -(Math.log(0.5) + Math.log(0.3)) / 2);
    });
  });

  describe('reductions', () => {
    it("drops the class axis under 'none', also for axis = 0", () => {
      const out = cce(P, T, { reduction: 'none', axis: 0 }) as Tensor;
      expect(out.shape).toEqual([3]);
      // columns: (0.2, 0.6)/0.8 against (0, 0); (0.5, 0.1)/0.6 against (1, 0); (0.3, 0.3)/0.6 against (0, 1)
      expectTensorClose(out, {
        data: Float64Array.of(0, -Math.log(0.5 / 0.6), Math.log(2)),
        shape: [3],
      });
    });
    it('gives sum = N · mean', () => {
      expectClose(cce(P, T, { reduction: 'sum' }) as number, 2 * (cce(P, T) as number));
    });
  });

  describe('edge cases', () => {
    it('clips a probability of exactly 0 to 1e-7, so the loss is finite: −log 1e-7', () => {
      expectClose(cce([[0, 1, 0]], [[1, 0, 0]]) as number, -Math.log(1e-7));
    });
    it('stays finite at logits ±700 with fromLogits', () => {
      expect(cce([[700, -700, 0]], [[0, 1, 0]], { fromLogits: true })).toBe(1400);
    });
    it('propagates NaN', () => {
      expect(cce([[NaN, 0.5, 0.5]], [[1, 0, 0]])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      const e = { data: new Float64Array(0), shape: [0, 3] };
      expect(evaluate('categoricalCrossentropy', { input: e, target: e }).value).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape with E_SHAPE', () => {
      expectLossError(() => cce(P, [[0, 1, 0]]), 'E_SHAPE', [
        'categoricalCrossentropy',
        "'target'",
        '[2, 3]',
        '[1, 3]',
      ]);
    });
    it('rejects an axis outside the input rank with E_OPTION', () => {
      expectLossError(() => cce(P, T, { axis: 2 }), 'E_OPTION', [
        "option 'axis'",
        '[-2, 1]',
        'axis=2',
      ]);
    });
    it('rejects a non-boolean fromLogits with E_OPTION', () => {
      expectLossError(() => cce(P, T, { fromLogits: 'yes' as never }), 'E_OPTION', [
        "'fromLogits'",
        'true or false',
      ]);
    });
    it('rejects a non-numeric input with E_TYPE', () => {
      expectLossError(
        () => evaluate('categoricalCrossentropy', { input: [['a']], target: [[1]] }),
        'E_TYPE',
        ["'input'"],
      );
    });
  });
});
