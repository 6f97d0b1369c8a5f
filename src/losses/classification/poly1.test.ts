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
import { LOGITS_2X3 } from '../../test-support/fixtures.js';
import { goldenTests } from '../../test-support/golden.js';
import { crossEntropy } from './crossEntropy.js';
import { poly1 } from './poly1.js';

const X = LOGITS_2X3;
const Y = [0, 1];

describe('poly1', () => {
  describe('golden values (PolyLoss appendix transcribed in torch)', () => {
    goldenTests('poly1');
  });

  describe('gradients', () => {
    it('matches central finite differences with and without label smoothing', () => {
      const input = tensorOf([2, 4, 2], (i) => Math.cos(1.1 * i) * 2);
      const target = { data: Int32Array.of(0, 3, 2, 1), shape: [2, 2] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('poly1', { input, target }, { reduction });
        checkGradFD('poly1', { input, target }, { reduction, epsilon: -0.5, labelSmoothing: 0.2 });
      }
    });
  });

  describe('identities', () => {
    it("reproduces the paper's sanity values for logits (2, 1, 0.1), label 0", () => {
      // papers.md §3: ε = 1 → 0.758029, ε = 2 → 1.099028, ε = −1 → 0.076031 (6 decimals)
      const x = [[2, 1, 0.1]];
      expectClose(poly1(x, [0]) as number, 0.758029, { rtol: 1e-6 });
      expectClose(poly1(x, [0], { epsilon: 2 }) as number, 1.099028, { rtol: 1e-6 });
      expectClose(poly1(x, [0], { epsilon: -1 }) as number, 0.076031, { rtol: 1e-5 });
    });
    it('equals crossEntropy (with the same smoothing) for ε = 0, in value and gradient', () => {
      const a = poly1.valueAndGrad(X, Y, { epsilon: 0, labelSmoothing: 0.1 });
      const b = crossEntropy.valueAndGrad(X, Y, { labelSmoothing: 0.1 });
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('adds ε·[(1 − α)(1 − p_t) + α(C − 1)/C] to the smoothed cross-entropy', () => {
      const p = poly1(X, Y, { epsilon: 2, labelSmoothing: 0.3, reduction: 'none' }) as Tensor;
      const ce = crossEntropy(X, Y, { labelSmoothing: 0.3, reduction: 'none' }) as Tensor;
      const plain = crossEntropy(X, Y, { reduction: 'none' }) as Tensor;
      for (let n = 0; n < 2; n++) {
        const pt = Math.exp(-plain.data[n]);
        expectClose(p.data[n], ce.data[n] + 2 * (0.7 * (1 - pt) + (0.3 * 2) / 3));
      }
    });
  });

  describe('reductions', () => {
    it('averages over the N·d1 positions under mean', () => {
      expectClose(poly1(X, Y) as number, (poly1(X, Y, { reduction: 'sum' }) as number) / 2);
    });
  });

  describe('edge cases', () => {
    it('stays finite at logits ±700', () => {
      const { value, grads } = poly1.valueAndGrad([[700, -700]], [1]);
      // CE = 1400, 1 − p_t = 1; gradient (p − onehot) + ε·p_t·(p − onehot) with p_t = 0
      expect(value).toBe(1401);
      expect(Array.from(grads.input.data)).toEqual([1, -1]);
    });
    it('propagates NaN', () => {
      expect(poly1([[NaN, 0]], [0])).toBeNaN();
    });
    it('gives 0 for an empty batch', () => {
      expect(
        evaluate('poly1', {
          input: { data: new Float64Array(0), shape: [0, 3] },
          target: { data: new Int32Array(0), shape: [0] },
        }).value,
      ).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a class index out of range with E_RANGE (there is no ignore index)', () => {
      expectLossError(() => poly1(X, [0, -100]), 'E_RANGE', [
        'poly1',
        "'target'",
        '-100 at flat position 1',
      ]);
    });
    it('rejects a non-integer target with E_TYPE', () => {
      expectLossError(() => poly1(X, [0, 0.5]), 'E_TYPE', ["'target'", '0.5']);
    });
    it('rejects a target of the wrong shape with E_SHAPE', () => {
      expectLossError(() => poly1(X, [0, 1, 2]), 'E_SHAPE', ["'target'", '[2]', '[3]']);
    });
    it('rejects a non-finite epsilon with E_OPTION', () => {
      expectLossError(() => poly1(X, Y, { epsilon: Infinity }), 'E_OPTION', [
        "'epsilon'",
        'epsilon=Infinity',
      ]);
    });
  });
});
