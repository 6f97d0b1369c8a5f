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
import { softmaxFocal } from './softmaxFocal.js';

const X = LOGITS_3X3;
const Y = [0, 2, 1];

describe('softmaxFocal', () => {
  describe('golden values (per-sample softmax focal loss transcribed in torch)', () => {
    goldenTests('softmaxFocal');
  });

  describe('gradients', () => {
    it('matches central finite differences for several γ, α forms and an ignored pixel', () => {
      const input = tensorOf([2, 3, 2], (i) => Math.sin(0.9 * i) * 2);
      const target = { data: Int32Array.of(0, 2, -100, 1), shape: [2, 2] };
      for (const reduction of ['mean', 'sum', 'none']) {
        checkGradFD('softmaxFocal', { input, target }, { reduction });
        checkGradFD('softmaxFocal', { input, target }, { reduction, gamma: 0.5, alpha: 0.25 });
        checkGradFD(
          'softmaxFocal',
          { input, target },
          { reduction, gamma: 3, alpha: [0.2, 0.5, 0.3] },
        );
      }
    });
  });

  describe('identities', () => {
    it('equals crossEntropy for γ = 0 and α = null, in value and gradient', () => {
      const a = softmaxFocal.valueAndGrad(X, [0, -100, 1], { gamma: 0 });
      const b = crossEntropy.valueAndGrad(X, [0, -100, 1]);
      expectClose(a.value as number, b.value as number);
      expectTensorClose(a.grads.input, b.grads.input);
    });
    it('scales each sample by (1 − p_t)^γ relative to cross-entropy', () => {
      const f = softmaxFocal(X, Y, { reduction: 'none' }) as Tensor;
      const ce = crossEntropy(X, Y, { reduction: 'none' }) as Tensor;
      for (let n = 0; n < 3; n++) {
        const pt = Math.exp(-ce.data[n]);
        expectClose(f.data[n], (1 - pt) ** 2 * ce.data[n]);
      }
    });
    it('gives ~100× less than cross-entropy at p_t = 0.9 with γ = 2 (Lin et al.)', () => {
      // logits (log 9, 0) give p_t = 0.9: FL = 0.01 · ln(1/0.9) = 0.0010536 (papers.md §2)
      expectClose(softmaxFocal([[Math.log(9), 0]], [0]) as number, 0.01 * -Math.log(0.9));
    });
  });

  describe('reductions and α', () => {
    it('divides by the number of non-ignored samples, not by Σα', () => {
      const sum = softmaxFocal(X, [0, -100, 1], {
        alpha: [0.1, 0.2, 0.7],
        reduction: 'sum',
      }) as number;
      expectClose(softmaxFocal(X, [0, -100, 1], { alpha: [0.1, 0.2, 0.7] }) as number, sum / 2);
    });
    it('multiplies every sample by a scalar α', () => {
      expectClose(
        softmaxFocal(X, Y, { alpha: 0.25 }) as number,
        0.25 * (softmaxFocal(X, Y) as number),
      );
    });
    it('gives 0 with zero gradient when every target is ignored', () => {
      const { value, grads } = softmaxFocal.valueAndGrad(X, [-100, -100, -100]);
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
  });

  describe('edge cases', () => {
    it('gives 0 and a zero gradient for a certain prediction (logits ±700)', () => {
      const { value, grads } = softmaxFocal.valueAndGrad([[700, -700]], [0], { gamma: 0.5 });
      expect(value).toBe(0);
      expect(grads.input.data.every((g) => g === 0)).toBe(true);
    });
    it('stays finite for a hopeless prediction at logits ±700', () => {
      const { value, grads } = softmaxFocal.valueAndGrad([[700, -700]], [1]);
      expect(value).toBe(1400);
      expect(Array.from(grads.input.data)).toEqual([1, -1]);
    });
    it('propagates NaN', () => {
      expect(softmaxFocal([[NaN, 0]], [0])).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects a class index out of range with E_RANGE', () => {
      expectLossError(() => softmaxFocal(X, [0, 5, 1]), 'E_RANGE', [
        'softmaxFocal',
        "'target'",
        '5 at flat position 1',
      ]);
    });
    it('rejects a non-integer target with E_TYPE', () => {
      expectLossError(() => softmaxFocal(X, [0, 0.5, 1]), 'E_TYPE', ["'target'", '0.5']);
    });
    it('rejects an α of the wrong length with E_SHAPE', () => {
      expectLossError(() => softmaxFocal(X, Y, { alpha: [0.5, 0.5] }), 'E_SHAPE', [
        "option 'alpha'",
        'C = 3',
        '[2]',
      ]);
    });
    it('rejects a negative γ with E_OPTION', () => {
      expectLossError(() => softmaxFocal(X, Y, { gamma: -1 }), 'E_OPTION', [
        "'gamma'",
        '>= 0',
        'gamma=-1',
      ]);
    });
    it('rejects a missing target with E_INPUT', () => {
      expectLossError(() => evaluate('softmaxFocal', { input: X }), 'E_INPUT', ["'target'"]);
    });
  });
});
