import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { binaryCase, multiclassCase, multilabelCase } from '../../test-support/segmentation.js';
import { tversky } from './tversky.js';

describe('tversky', () => {
  describe('golden values (smp TverskyLoss transcribed in torch)', () => {
    goldenTests('tversky');
  });

  describe('gradients', () => {
    it('matches central finite differences with asymmetric weights and gamma', () => {
      checkGradFD('tversky', binaryCase(41, 2, [3, 2]), { mode: 'binary', alpha: 0.3, beta: 0.7 });
      checkGradFD('tversky', multiclassCase(42, 2, 3, [4]), {
        mode: 'multiclass',
        alpha: 0.7,
        beta: 0.3,
        gamma: 0.75,
        perImage: true,
      });
      checkGradFD('tversky', multilabelCase(43, 2, 2, [3]), {
        mode: 'multilabel',
        gamma: 2,
        logLoss: true,
        classWeights: [2, 1],
      });
    });
  });

  describe('identities', () => {
    it("matches papers.md's hand-derived Salehi value: T(0.3 FP, 0.7 FN) = 0.6382979", () => {
      // g = (1,1,0,0,1), p = (.9,.6,.2,.4,.3): TP 1.8, FN 1.2, FP 0.6, T = 1.8 / (1.8 + 0.18 + 0.84)
      const v = tversky([[0.9, 0.6, 0.2, 0.4, 0.3]], [[1, 1, 0, 0, 1]], {
        mode: 'binary',
        fromLogits: false,
        alpha: 0.3,
        beta: 0.7,
      });
      expectClose(1 - v, 1.8 / 2.82, { rtol: 1e-15 });
      expectClose(1 - v, 0.6382979, { rtol: 1e-7 });
    });
    it('raises the class mean (not each class) to gamma', () => {
      const c = multiclassCase(44, 2, 3, [4]);
      const plain = tversky(c.input, c.target, { mode: 'multiclass', alpha: 0.4, beta: 0.6 });
      const g = tversky(c.input, c.target, {
        mode: 'multiclass',
        alpha: 0.4,
        beta: 0.6,
        gamma: 1.5,
      });
      expectClose(g, plain ** 1.5, { rtol: 1e-14 });
    });
    it('weights false negatives by beta: with no false positives the loss is β·FN/(TP + β·FN)', () => {
      // p = (0.5, 0), t = (1, 0): TP 0.5, FP 0, FN 0.5
      for (const beta of [0.2, 0.9]) {
        const v = tversky([[0.5, 0]], [[1, 0]], { mode: 'binary', fromLogits: false, beta });
        expectClose(v, (beta * 0.5) / (0.5 + beta * 0.5), { rtol: 1e-15 });
      }
    });
  });

  describe('class weights and selection', () => {
    it('gives uniform weights the unweighted mean before gamma', () => {
      const c = multilabelCase(45, 2, 3, [4]);
      expectClose(
        tversky(c.input, c.target, { mode: 'multilabel', gamma: 2, classWeights: [4, 4, 4] }),
        tversky(c.input, c.target, { mode: 'multilabel', gamma: 2 }),
        { rtol: 1e-15 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient when every class is absent, also for gamma < 1 (torch: NaN)', () => {
      const r = evaluate(
        'tversky',
        { input: [[0.3, -2]], target: [[0, 0]] },
        { mode: 'binary', gamma: 0.5 },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0]);
    });
    it('propagates NaN', () => {
      expect(tversky([[NaN, 0]], [[1, 0]], { mode: 'binary' })).toBeNaN();
    });
  });

  describe('errors', () => {
    it('rejects gamma = 0 and negative alpha or beta (E_OPTION)', () => {
      expectLossError(() => tversky([[1]], [[1]], { mode: 'binary', gamma: 0 }), 'E_OPTION', [
        "option 'gamma'",
        '> 0',
      ]);
      expectLossError(() => tversky([[1]], [[1]], { mode: 'binary', alpha: -0.1 }), 'E_OPTION', [
        "option 'alpha'",
      ]);
      expectLossError(() => tversky([[1]], [[1]], { mode: 'binary', beta: -1 }), 'E_OPTION', [
        "option 'beta'",
      ]);
    });
    it('requires the mode (E_OPTION) and a fitting target (E_SHAPE)', () => {
      expectLossError(() => tversky([[1]], [[1]]), 'E_OPTION', ["option 'mode'"]);
      expectLossError(() => tversky([[1, 2]], [[1]], { mode: 'binary' }), 'E_SHAPE', ["'target'"]);
    });
  });
});
