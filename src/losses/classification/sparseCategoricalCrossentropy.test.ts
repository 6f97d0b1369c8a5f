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
import { LOGITS_3X3, PROBS_3X3 } from '../../test-support/fixtures.js';
import { goldenTests } from '../../test-support/golden.js';
import { categoricalCrossentropy } from './categoricalCrossentropy.js';
import { crossEntropy } from './crossEntropy.js';
import { sparseCategoricalCrossentropy as scce } from './sparseCategoricalCrossentropy.js';

const P = PROBS_3X3;
const X = LOGITS_3X3;

describe('sparseCategoricalCrossentropy', () => {
  describe('golden values (Keras SparseCategoricalCrossentropy transcribed in torch)', () => {
    goldenTests('sparseCategoricalCrossentropy');
  });

  describe('gradients', () => {
    it('matches central finite differences for probabilities and logits, with an ignored class', () => {
      const input = tensorOf([2, 3, 2], (i) => 0.15 + 0.06 * i);
      const target = { data: Int32Array.of(0, 2, 9, 1), shape: [2, 2] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD(
          'sparseCategoricalCrossentropy',
          { input, target },
          { reduction, axis: 1, ignoreClass: 9 },
        );
        checkGradFD(
          'sparseCategoricalCrossentropy',
          { input, target },
          { reduction, axis: 1, ignoreClass: 9, fromLogits: true },
        );
      }
    });
  });

  describe('identities', () => {
    it('equals categoricalCrossentropy with one-hot targets', () => {
      const onehot = [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ];
      const a = scce.valueAndGrad(P, [1, 0, 2]);
      const b = categoricalCrossentropy.valueAndGrad(P, onehot);
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('equals crossEntropy with index targets when fromLogits is true', () => {
      const a = scce.valueAndGrad(X, [0, 2, 1], { fromLogits: true });
      const b = crossEntropy.valueAndGrad(X, [0, 2, 1]);
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
  });

  describe('reductions and ignored positions', () => {
    it('leaves ignored positions out of the mean and writes 0 for them under none', () => {
      const none = scce(X, [0, -1, 1], {
        fromLogits: true,
        ignoreClass: -1,
        reduction: 'none',
      }) as Tensor;
      expect(none.data[1]).toBe(0);
      expectClose(
        scce(X, [0, -1, 1], { fromLogits: true, ignoreClass: -1 }) as number,
        (none.data[0] + none.data[2]) / 2,
      );
    });
    it('gives 0 with zero gradient when every position is ignored', () => {
      const { value, grads } = scce.valueAndGrad(P, [5, 5, 5], { ignoreClass: 5 });
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
    it('squeezes a trailing target dim of 1, as Keras', () => {
      expect(scce(P, [[1], [0], [2]])).toBe(scce(P, [1, 0, 2]));
    });
  });

  describe('edge cases', () => {
    it('clips a target probability of exactly 0 to 1e-7', () => {
      expectClose(scce([[0, 1]], [0]) as number, -Math.log(1e-7));
    });
    it('stays finite at logits ±700', () => {
      expect(scce([[700, -700]], [1], { fromLogits: true })).toBe(1400);
    });
    it('propagates NaN', () => {
      expect(scce([[NaN, 1]], [1])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects an index out of range with E_RANGE', () => {
      expectLossError(() => scce(P, [0, 3, 1]), 'E_RANGE', [
        'sparseCategoricalCrossentropy',
        "'target'",
        '3 at flat position 1',
      ]);
    });
    it('rejects a non-integer index with E_TYPE', () => {
      expectLossError(() => scce(P, [0, 1.25, 1]), 'E_TYPE', ["'target'", '1.25']);
    });
    it('rejects a target that is not the input shape without the axis with E_SHAPE', () => {
      expectLossError(() => scce(P, [0, 1]), 'E_SHAPE', ["'target'", '[3]', '[2]']);
    });
    it('rejects a non-integer ignoreClass with E_OPTION', () => {
      expectLossError(() => scce(P, [0, 1, 2], { ignoreClass: 0.5 }), 'E_OPTION', [
        "'ignoreClass'",
        'ignoreClass=0.5',
      ]);
    });
    it('rejects a missing input with E_INPUT', () => {
      expectLossError(() => evaluate('sparseCategoricalCrossentropy', { target: [0] }), 'E_INPUT', [
        "'input'",
      ]);
    });
  });
});
