import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import {
  binaryCase,
  multiclassCase,
  multilabelCase,
  tumourMasks,
} from '../../test-support/segmentation.js';
import { dice } from './dice.js';
import { jaccard } from './jaccard.js';

describe('jaccard', () => {
  describe('golden values (smp JaccardLoss transcribed in torch)', () => {
    goldenTests('jaccard');
  });

  describe('gradients', () => {
    it('matches central finite differences in every mode', () => {
      checkGradFD('jaccard', binaryCase(31, 2, [3, 2]), { mode: 'binary', smooth: 0.5 });
      const mc = multiclassCase(32, 2, 3, [2, 2]);
      mc.target.data[1] = -1;
      checkGradFD('jaccard', mc, { mode: 'multiclass', ignoreIndex: -1, perImage: true });
      checkGradFD('jaccard', multilabelCase(33, 2, 3, [3]), {
        mode: 'multilabel',
        logLoss: true,
        classWeights: [1, 0.5, 2],
      });
    });
    it('has the exact gradient −t/(Σp + Σt − TP) + TP·(1 − t)/U² for probabilities', () => {
      // p = (0.6, 0.3), t = (1, 0): TP = 0.6, U = 0.9 + 1 − 0.6 = 1.3, loss = 1 − TP/U
      const r = evaluate(
        'jaccard',
        { input: [[0.6, 0.3]], target: [[1, 0]] },
        { mode: 'binary', fromLogits: false },
        { grad: true },
      );
      expectClose(r.value as number, 1 - 0.6 / 1.3, { rtol: 1e-15 });
      expectClose(r.grads!.input.data[0], -(1 / 1.3), { rtol: 1e-14 });
      expectClose(r.grads!.input.data[1], 0.6 / (1.3 * 1.3), { rtol: 1e-14 });
    });
  });

  describe('identities', () => {
    it('equals tversky with alpha = beta = 1, in value and gradient', () => {
      const c = multiclassCase(34, 2, 4, [3]);
      for (const smooth of [0, 1]) {
        const a = evaluate('jaccard', c, { mode: 'multiclass', smooth }, { grad: true });
        const b = evaluate(
          'tversky',
          c,
          { mode: 'multiclass', smooth, alpha: 1, beta: 1 },
          { grad: true },
        );
        expectClose(a.value as number, b.value as number, { rtol: 1e-14 });
        expectTensorClose(a.grads!.input, b.grads!.input, { rtol: 1e-12, atol: 1e-14 });
      }
    });
    it('relates to dice on hard masks as J = D / (2 − D) (seed 002: IoU 20/35)', () => {
      const { input, target } = tumourMasks();
      const j = 1 - jaccard(input, target, { mode: 'binary', fromLogits: false });
      const d = 1 - dice(input, target, { mode: 'binary', fromLogits: false });
      expectClose(j, 20 / 35, { rtol: 1e-15 });
      expectClose(j, d / (2 - d), { rtol: 1e-14 });
    });
  });

  describe('class weights and selection', () => {
    it('gives uniform weights the unweighted mean and counts absent classes as 0', () => {
      const c = multilabelCase(35, 2, 3, [4]);
      for (let i = 0; i < 4; i++) {
        c.target.data[2 * 4 + i] = 0;
        c.target.data[5 * 4 + i] = 0;
      }
      const all = jaccard(c.input, c.target, { mode: 'multilabel' });
      expectClose(
        jaccard(c.input, c.target, { mode: 'multilabel', classWeights: [3, 3, 3] }),
        all,
        {
          rtol: 1e-15,
        },
      );
      const two = jaccard(c.input, c.target, { mode: 'multilabel', classes: [0, 1] });
      expectClose(all, (2 / 3) * two, { rtol: 1e-14 });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for a perfect prediction', () => {
      expect(
        jaccard(
          { data: new Float64Array(0), shape: [0, 1, 3] },
          { data: new Float64Array(0), shape: [0, 3] },
          {
            mode: 'binary',
          },
        ),
      ).toBe(0);
      expect(jaccard([[1, 0]], [[1, 0]], { mode: 'binary', fromLogits: false })).toBe(0);
    });
    it('propagates NaN and keeps float32 gradients for float32 input', () => {
      expect(jaccard([[NaN, 0]], [[1, 0]], { mode: 'binary' })).toBeNaN();
      const r = jaccard.valueAndGrad({ data: Float32Array.of(0.5, -1), shape: [1, 2] }, [[1, 0]], {
        mode: 'binary',
      });
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('requires the mode (E_OPTION) and a target that fits it (E_SHAPE)', () => {
      expectLossError(() => jaccard([[1]], [[1]]), 'E_OPTION', ['jaccard', "option 'mode'"]);
      expectLossError(() => jaccard([[[1, 2]]], [[[1, 0]]], { mode: 'multiclass' }), 'E_SHAPE', [
        'jaccard',
        "mode 'multilabel'",
      ]);
    });
    it('rejects indices out of range (E_RANGE)', () => {
      expectLossError(() => jaccard([[[1], [2]]], [[2]], { mode: 'multiclass' }), 'E_RANGE', [
        'jaccard',
        '[0, 1]',
      ]);
    });
  });
});
