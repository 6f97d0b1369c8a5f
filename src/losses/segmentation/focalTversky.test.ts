import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { binaryCase, multiclassCase, multilabelCase } from '../../test-support/segmentation.js';
import { focalTversky } from './focalTversky.js';

describe('focalTversky', () => {
  describe('golden values (Abraham & Khan focal_tversky per class, transcribed in torch)', () => {
    goldenTests('focalTversky');
  });

  describe('gradients', () => {
    it('matches central finite differences in every mode', () => {
      checkGradFD('focalTversky', binaryCase(51, 2, [3, 2]), { mode: 'binary' });
      const mc = multiclassCase(52, 2, 3, [4]);
      mc.target.data[0] = 5;
      checkGradFD('focalTversky', mc, { mode: 'multiclass', ignoreIndex: 5, gamma: 1.5 });
      checkGradFD('focalTversky', multilabelCase(53, 2, 2, [3]), {
        mode: 'multilabel',
        smooth: 0.1,
        classes: [1],
      });
    });
  });

  describe('identities', () => {
    it("reproduces papers.md's values: TI 0.7329843, loss 0.3714519", () => {
      // TP 1.8, FN 1.2, FP 0.6: TI = 2.8 / (2.8 + 0.7·1.2 + 0.3·0.6) = 2.8 / 3.82
      const v = focalTversky([[0.9, 0.6, 0.2, 0.4, 0.3]], [[1, 1, 0, 0, 1]], {
        mode: 'binary',
        fromLogits: false,
      });
      expectClose(v, (1 - 2.8 / 3.82) ** 0.75, { rtol: 1e-15 });
      expectClose(v, 0.3714519, { rtol: 1e-6 });
    });
    it('equals tversky with the same alpha, beta and smooth when gamma = 1', () => {
      const c = multiclassCase(54, 2, 4, [3]);
      const o = { mode: 'multiclass', alpha: 0.3, beta: 0.7, smooth: 1 };
      const a = evaluate('focalTversky', c, { ...o, gamma: 1 }, { grad: true });
      const b = evaluate('tversky', c, o, { grad: true });
      expectClose(a.value as number, b.value as number, { rtol: 1e-14 });
      expectTensorClose(a.grads!.input, b.grads!.input, { rtol: 1e-12, atol: 1e-14 });
    });
    it('applies gamma per class: the mean of (1 − TI_c)^γ, not the power of the mean', () => {
      const c = multiclassCase(55, 2, 3, [4]);
      const per = [0, 1, 2].map(
        (k) => focalTversky(c.input, c.target, { mode: 'multiclass', classes: [k], gamma: 1 }) ** 2,
      );
      expectClose(
        focalTversky(c.input, c.target, { mode: 'multiclass', gamma: 2 }),
        (per[0] + per[1] + per[2]) / 3,
        { rtol: 1e-14 },
      );
    });
  });

  describe('class selection', () => {
    it('counts an absent class as 0 in the mean', () => {
      const c = multilabelCase(56, 2, 2, [3]);
      for (const i of [3, 4, 5, 9, 10, 11]) c.target.data[i] = 0; // label 1 empty in both images
      expectClose(
        focalTversky(c.input, c.target, { mode: 'multilabel' }),
        focalTversky(c.input, c.target, { mode: 'multilabel', classes: [0] }) / 2,
        { rtol: 1e-14 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 with a zero (not NaN) gradient when every class is absent', () => {
      const r = evaluate(
        'focalTversky',
        { input: [[0.5, 0]], target: [[0, 0]] },
        { mode: 'binary', fromLogits: false },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0]);
    });
    it('gives 0 for an empty batch and propagates NaN', () => {
      expect(
        focalTversky(
          { data: new Float64Array(0), shape: [0, 2, 2] },
          { data: new Int32Array(0), shape: [0, 2] },
          { mode: 'multiclass' },
        ),
      ).toBe(0);
      expect(focalTversky([[NaN, 0]], [[1, 0]], { mode: 'binary' })).toBeNaN();
    });
  });

  describe('errors', () => {
    it('has no classWeights, perImage or eps options (E_OPTION)', () => {
      for (const key of ['classWeights', 'perImage', 'eps']) {
        expectLossError(
          () =>
            evaluate('focalTversky', { input: [[1]], target: [[1]] }, { mode: 'binary', [key]: 1 }),
          'E_OPTION',
          [`'${key}'`],
        );
      }
    });
    it('requires the mode (E_OPTION) and fitting shapes (E_SHAPE)', () => {
      expectLossError(() => focalTversky([[1]], [[1]]), 'E_OPTION', ["option 'mode'"]);
      expectLossError(
        () => focalTversky([[[1, 2]]], [[1, 0, 1]], { mode: 'multiclass' }),
        'E_SHAPE',
        ["'target'"],
      );
    });
  });
});
