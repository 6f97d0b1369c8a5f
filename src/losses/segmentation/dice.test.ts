import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
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
import { tversky } from './tversky.js';

const grad = (id: string, c: { input: Tensor; target: Tensor }, o: Record<string, unknown>) =>
  evaluate(id, { input: c.input, target: c.target }, o, { grad: true });

describe('dice', () => {
  describe('golden values (smp DiceLoss transcribed in torch)', () => {
    goldenTests('dice');
  });

  describe('gradients', () => {
    it('matches central finite differences in every mode and option combination', () => {
      checkGradFD('dice', binaryCase(1, 2, [3, 2]), { mode: 'binary' });
      checkGradFD('dice', binaryCase(2, 3, [4]), { mode: 'binary', perImage: true, smooth: 1 });
      const mc = multiclassCase(3, 2, 3, [2, 2]);
      mc.target.data[0] = 9;
      checkGradFD('dice', mc, { mode: 'multiclass', ignoreIndex: 9, classWeights: [1, 2, 0.5] });
      checkGradFD('dice', multiclassCase(4, 2, 4, [2, 1, 2]), {
        mode: 'multiclass',
        perImage: true,
      });
      checkGradFD('dice', multilabelCase(5, 2, 3, [3]), { mode: 'multilabel', logLoss: true });
      const probs = multilabelCase(6, 1, 2, [4]);
      probs.input.data.forEach((v, i) => (probs.input.data[i] = 1 / (1 + Math.exp(-v))));
      checkGradFD('dice', probs, { mode: 'multilabel', fromLogits: false, classes: [1] });
    });

    it('passes no gradient through the denominator below the eps clamp, and the full one at it', () => {
      // fromLogits false, p = (0.5, 0), t = (1, 0): Σp + Σt = 1.5.
      const c = { input: [[0.5, 0]], target: [[1, 0]] };
      // eps = 2 clamps: loss = 1 − 2·TP/2 = 1 − TP, d/dp = −t
      const clamped = evaluate(
        'dice',
        c,
        { mode: 'binary', fromLogits: false, eps: 2 },
        { grad: true },
      );
      expect(clamped.value).toBe(0.5);
      // (+ 0 folds −0 into 0)
      expect(Array.from(clamped.grads!.input.data, (g) => g + 0)).toEqual([-1, 0]);
      // eps = 1.5 = the denominator: torch's clamp_min passes the gradient at equality:
      // d/dp_i = −(2t_i/D − 2TP/D²) = −(4/3 − 4/9), +4/9
      const at = evaluate(
        'dice',
        c,
        { mode: 'binary', fromLogits: false, eps: 1.5 },
        { grad: true },
      );
      expectClose(at.grads!.input.data[0], -8 / 9, { rtol: 1e-15 });
      expectClose(at.grads!.input.data[1], 4 / 9, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it("equals 1 − F1 on hard masks (seed 002's tumour example: TP 20, FP 5, FN 10, TN 65)", () => {
      const { input, target } = tumourMasks();
      const loss = dice(input, target, { mode: 'binary', fromLogits: false });
      const f1 = evaluate(
        'f1Score',
        { input, target: { data: target.data, shape: [1, 1, 10, 10] } },
        {
          task: 'binary',
        },
      ).value as number;
      // 2·20 / (2·20 + 5 + 10) = 40/55 = 0.7273
      expectClose(f1, 40 / 55, { rtol: 1e-15 });
      expectClose(loss, 1 - f1, { rtol: 1e-15 });
      expectClose(loss, 15 / 55, { rtol: 1e-15 });
    });

    it('equals tversky with alpha = beta = 0.5 when smooth = 0, in value and gradient', () => {
      for (const [c, mode] of [
        [binaryCase(7, 2, [3, 3]), 'binary'],
        [multiclassCase(8, 2, 3, [4]), 'multiclass'],
        [multilabelCase(9, 2, 2, [3]), 'multilabel'],
      ] as const) {
        const a = grad('dice', c, { mode, perImage: true });
        const b = grad('tversky', c, { mode, perImage: true, alpha: 0.5, beta: 0.5 });
        expectClose(a.value as number, b.value as number, { rtol: 1e-14 });
        expectTensorClose(a.grads!.input, b.grads!.input, { rtol: 1e-12, atol: 1e-14 });
      }
      expect(tversky.meta.options.alpha.default).toBe(0.5);
    });

    it('counts a class absent from the batch as 0 in the class mean', () => {
      // class 2 never appears in the target: the 3-class mean is 2/3 of the mean over classes 0, 1
      const c = multiclassCase(10, 2, 3, [3]);
      for (let i = 0; i < c.target.data.length; i++) c.target.data[i] = c.target.data[i] % 2;
      const all = dice(c.input, c.target, { mode: 'multiclass' });
      const present = dice(c.input, c.target, { mode: 'multiclass', classes: [0, 1] });
      expectClose(all, (2 / 3) * present, { rtol: 1e-14 });
    });

    it('gives −log(1 − loss) with logLoss for one class', () => {
      const c = binaryCase(11, 2, [5]);
      const plain = dice(c.input, c.target, { mode: 'binary' });
      const log = dice(c.input, c.target, { mode: 'binary', logLoss: true });
      expectClose(log, -Math.log(1 - plain), { rtol: 1e-13 });
    });

    it('scores one image the same per image and over the batch', () => {
      const c = multiclassCase(12, 1, 3, [2, 3]);
      expectClose(
        dice(c.input, c.target, { mode: 'multiclass', perImage: true }),
        dice(c.input, c.target, { mode: 'multiclass' }),
        { rtol: 1e-15 },
      );
    });

    it('handles any number of spatial dims: a 3-D volume equals its flattening', () => {
      const c = multiclassCase(13, 2, 3, [2, 2, 3]);
      const flat = {
        input: { data: c.input.data, shape: [2, 3, 12] },
        target: { data: c.target.data, shape: [2, 12] },
      };
      const a = grad('dice', c, { mode: 'multiclass' });
      const b = grad('dice', flat, { mode: 'multiclass' });
      expect(a.value).toBe(b.value);
      expect(Array.from(a.grads!.input.data)).toEqual(Array.from(b.grads!.input.data));
    });
  });

  describe('class weights and selection (the aggregation; dice is scalar)', () => {
    it('gives uniform class weights the unweighted mean', () => {
      const c = multilabelCase(14, 2, 3, [4]);
      expectClose(
        dice(c.input, c.target, { mode: 'multilabel', classWeights: [2.5, 2.5, 2.5] }),
        dice(c.input, c.target, { mode: 'multilabel' }),
        { rtol: 1e-15 },
      );
    });
    it('gives weights (0, 1, 0) the loss of class 1 alone, like classes [1]', () => {
      const c = multiclassCase(15, 2, 3, [4]);
      expectClose(
        dice(c.input, c.target, { mode: 'multiclass', classWeights: [0, 1, 0] }),
        dice(c.input, c.target, { mode: 'multiclass', classes: [1] }),
        { rtol: 1e-15 },
      );
    });
    it('weights listed classes by their weight: Σ w_c·l_c / Σ w_c', () => {
      const c = multiclassCase(16, 2, 3, [4]);
      const l = [0, 1, 2].map((k) => dice(c.input, c.target, { mode: 'multiclass', classes: [k] }));
      const w = [0.5, 3, 1];
      expectClose(
        dice(c.input, c.target, { mode: 'multiclass', classes: [0, 2], classWeights: w }),
        (w[0] * l[0] + w[2] * l[2]) / (w[0] + w[2]),
        { rtol: 1e-14 },
      );
    });
    it('gives 0 with zero gradient for class weights summing to 0 and for an empty classes list', () => {
      const c = multiclassCase(17, 1, 2, [3]);
      for (const o of [{ classWeights: [0, 0] }, { classes: [] }]) {
        const r = grad('dice', c, { mode: 'multiclass', ...o });
        expect(r.value).toBe(0);
        expect(r.grads!.input.data.every((g) => g === 0)).toBe(true);
      }
    });
  });

  describe('edge cases', () => {
    it('gives 0 and an empty gradient for an empty batch', () => {
      const r = evaluate(
        'dice',
        {
          input: { data: new Float64Array(0), shape: [0, 3, 2] },
          target: { data: new Int32Array(0), shape: [0, 2] },
        },
        { mode: 'multiclass' },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(r.grads!.input.data.length).toBe(0);
    });
    it('scores a single pixel: logit 0 against target 1 gives 1 − 2·0.5/1.5 = 1/3', () => {
      expectClose(dice([[0]], [[1]], { mode: 'binary' }), 1 / 3, { rtol: 1e-15 });
    });
    it('gives 0 with zero gradient when every pixel is ignored', () => {
      const r = evaluate(
        'dice',
        { input: [[0.3, -1]], target: [[255, 255]] },
        { mode: 'binary', ignoreIndex: 255 },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0]);
    });
    it('propagates NaN from a counted pixel but not from an ignored one', () => {
      expect(dice([[NaN, 1]], [[1, 0]], { mode: 'binary' })).toBeNaN();
      const r = evaluate(
        'dice',
        { input: [[NaN, 1]], target: [[-1, 1]] },
        { mode: 'binary', ignoreIndex: -1 },
        { grad: true },
      );
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.grads!.input.data[0]).toBe(0);
    });
    it('saturates at infinite logits: +Infinity on the foreground is a perfect prediction', () => {
      const r = evaluate(
        'dice',
        { input: [[Infinity, -Infinity]], target: [[1, 0]] },
        { mode: 'binary' },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data, (g) => g + 0)).toEqual([0, 0]);
    });
    it('returns float32 gradients for float32 input, equal to the float64 ones rounded', () => {
      const c = multiclassCase(18, 2, 3, [3]);
      const f32 = { data: Float32Array.from(c.input.data), shape: c.input.shape };
      const a = evaluate(
        'dice',
        { input: f32, target: c.target },
        { mode: 'multiclass' },
        { grad: true },
      );
      const b = evaluate(
        'dice',
        { input: { data: Float64Array.from(f32.data), shape: f32.shape }, target: c.target },
        { mode: 'multiclass' },
        { grad: true },
      );
      expect(a.grads!.input.data).toBeInstanceOf(Float32Array);
      expect(a.value).toBe(b.value);
      expect(Array.from(a.grads!.input.data)).toEqual(
        Array.from(b.grads!.input.data).map(Math.fround),
      );
    });
  });

  describe('errors', () => {
    const mc = multiclassCase(19, 1, 3, [2]);
    it('requires the mode option (E_OPTION) and rejects an unknown one with a hint', () => {
      expectLossError(() => dice(mc.input, mc.target), 'E_OPTION', [
        'dice',
        "option 'mode'",
        'mode=null',
      ]);
      expectLossError(() => evaluate('dice', mc, { mode: 'multiclas' }), 'E_OPTION', [
        "option 'mode'",
        "Did you mean 'multiclass'?",
      ]);
    });
    it('rejects classes and classWeights in binary mode, and class ids outside [0, C) (E_OPTION)', () => {
      const b = binaryCase(20, 1, [2]);
      expectLossError(() => evaluate('dice', b, { mode: 'binary', classes: [0] }), 'E_OPTION', [
        "option 'classes'",
        'binary',
      ]);
      expectLossError(
        () => evaluate('dice', b, { mode: 'binary', classWeights: [1] }),
        'E_OPTION',
        ["option 'classWeights'"],
      );
      expectLossError(
        () => evaluate('dice', mc, { mode: 'multiclass', classes: [3] }),
        'E_OPTION',
        ['[0, 2]', 'classes=[3]'],
      );
    });
    it('rejects a target shape that fits no mode, with a hint at the right mode (E_SHAPE)', () => {
      expectLossError(
        () => evaluate('dice', { input: mc.input, target: mc.input }, { mode: 'multiclass' }),
        'E_SHAPE',
        ["input 'target'", '[1, 2]', "mode 'multilabel'"],
      );
      expectLossError(
        () => evaluate('dice', { input: mc.input, target: mc.target }, { mode: 'multilabel' }),
        'E_SHAPE',
        ["input 'target'", "mode 'multiclass'"],
      );
      expectLossError(
        () => evaluate('dice', { input: [[1, 2, 3]], target: [[1, 0]] }, { mode: 'binary' }),
        'E_SHAPE',
        ['binary'],
      );
      expectLossError(
        () => evaluate('dice', { input: [1, 2], target: [1, 0] }, { mode: 'multilabel' }),
        'E_SHAPE',
        ['rank >= 2'],
      );
    });
    it('rejects class weights that are not of length C (E_SHAPE)', () => {
      expectLossError(
        () => evaluate('dice', mc, { mode: 'multiclass', classWeights: [1, 2] }),
        'E_SHAPE',
        ["option 'classWeights'", 'C = 3'],
      );
    });
    it('rejects target indices out of range for C (E_RANGE) and non-integer indices (E_TYPE)', () => {
      expectLossError(
        () => evaluate('dice', { input: mc.input, target: [[0, 3]] }, { mode: 'multiclass' }),
        'E_RANGE',
        ['[0, 2]', '3 at flat position 1'],
      );
      expectLossError(
        () => evaluate('dice', { input: mc.input, target: [[0, 1.5]] }, { mode: 'multiclass' }),
        'E_TYPE',
        ['integer class indices'],
      );
    });
    it('rejects a negative smooth (E_OPTION)', () => {
      expectLossError(() => evaluate('dice', mc, { mode: 'multiclass', smooth: -1 }), 'E_OPTION', [
        "option 'smooth'",
        '>= 0',
      ]);
    });
  });
});
