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
import { diceFocal } from './diceFocal.js';

describe('diceFocal', () => {
  describe('golden values (smp DiceLoss + torchvision sigmoid_focal_loss / softmax focal)', () => {
    goldenTests('diceFocal');
  });

  describe('gradients', () => {
    it('matches central finite differences in every mode', () => {
      checkGradFD('diceFocal', binaryCase(111, 2, [3, 2]), { mode: 'binary' });
      const b = binaryCase(112, 2, [4]);
      b.target.data[3] = 255;
      checkGradFD('diceFocal', b, { mode: 'binary', ignoreIndex: 255, alpha: 0.25, gamma: 0.5 });
      checkGradFD('diceFocal', multilabelCase(113, 2, 2, [3]), { mode: 'multilabel', gamma: 3 });
      const m = multiclassCase(114, 2, 3, [2, 2]);
      m.target.data[0] = -1;
      checkGradFD('diceFocal', m, { mode: 'multiclass', ignoreIndex: -1, alpha: [0.3, 0.3, 0.4] });
    });
  });

  describe('identities', () => {
    it('equals lambdaDice · dice + lambdaFocal · softmaxFocal in multiclass mode, value and gradient', () => {
      const c = multiclassCase(115, 2, 4, [3]);
      c.target.data[2] = 9;
      const both = evaluate(
        'diceFocal',
        c,
        { mode: 'multiclass', ignoreIndex: 9, gamma: 1.5, lambdaDice: 0.4, lambdaFocal: 2.5 },
        { grad: true },
      );
      const d = evaluate('dice', c, { mode: 'multiclass', ignoreIndex: 9 }, { grad: true });
      const f = evaluate('softmaxFocal', c, { ignoreIndex: 9, gamma: 1.5 }, { grad: true });
      expectClose(both.value as number, 0.4 * (d.value as number) + 2.5 * (f.value as number), {
        rtol: 1e-14,
      });
      const want = d.grads!.input.data.map((g, i) => 0.4 * g + 2.5 * f.grads!.input.data[i]);
      expectTensorClose(both.grads!.input, { data: want, shape: c.input.shape }, { rtol: 1e-12 });
    });
    it('equals lambdaDice · dice + lambdaFocal · sigmoidFocal in multilabel mode, value and gradient', () => {
      const c = multilabelCase(119, 2, 3, [4]);
      for (const [alpha, sfAlpha] of [
        [null, -1],
        [0.3, 0.3],
      ] as const) {
        const both = evaluate(
          'diceFocal',
          c,
          { mode: 'multilabel', alpha, gamma: 1.5, lambdaDice: 0.6, lambdaFocal: 1.4 },
          { grad: true },
        );
        const d = evaluate('dice', c, { mode: 'multilabel' }, { grad: true });
        const f = evaluate('sigmoidFocal', c, { alpha: sfAlpha, gamma: 1.5 }, { grad: true });
        expectClose(both.value as number, 0.6 * (d.value as number) + 1.4 * (f.value as number), {
          rtol: 1e-14,
        });
        const want = d.grads!.input.data.map((g, i) => 0.6 * g + 1.4 * f.grads!.input.data[i]);
        expectTensorClose(both.grads!.input, { data: want, shape: c.input.shape }, { rtol: 1e-12 });
      }
    });
    it('takes the sigmoid focal mean over the non-ignored elements only', () => {
      // binary: elements 1 and 3 ignored; the focal term is sigmoidFocal on elements 0 and 2
      const input = [[0.8, -3, -0.4, 5]];
      const r = evaluate(
        'diceFocal',
        { input, target: [[1, 255, 0, 255]] },
        { mode: 'binary', ignoreIndex: 255, lambdaDice: 0 },
        { grad: true },
      );
      const f = evaluate(
        'sigmoidFocal',
        { input: [0.8, -0.4], target: [1, 0] },
        { alpha: -1 },
        { grad: true },
      );
      expectClose(r.value as number, f.value as number, { rtol: 1e-15 });
      const g = r.grads!.input.data;
      expect([g[1], g[3]]).toEqual([0, 0]);
      expectClose(g[0], f.grads!.input.data[0], { rtol: 1e-15 });
      expectClose(g[2], f.grads!.input.data[1], { rtol: 1e-15 });
    });
    it('adds the torchvision focal term in binary mode: logit 0 on target 1 gives log 2 · (1/2)^γ', () => {
      // p = 1/2, CE = log 2, 1 − p_t = 1/2; dℓ/dx = (p − t)m^γ + CE·γ·m^(γ−1)·p(1 − p)(1 − 2t)
      for (const gamma of [0, 1, 2]) {
        const r = evaluate(
          'diceFocal',
          { input: [[0]], target: [[1]] },
          { mode: 'binary', gamma, lambdaDice: 0 },
          { grad: true },
        );
        expectClose(r.value as number, Math.LN2 * 0.5 ** gamma, { rtol: 1e-15 });
        const g =
          -0.5 * 0.5 ** gamma - (gamma === 0 ? 0 : Math.LN2 * gamma * 0.5 ** (gamma - 1) * 0.25);
        expectClose(r.grads!.input.data[0], g, { rtol: 1e-15 });
      }
    });
    it('reduces to dice with lambdaFocal = 0', () => {
      const c = multilabelCase(116, 2, 3, [3]);
      expectClose(
        diceFocal(c.input, c.target, { mode: 'multilabel', lambdaFocal: 0 }),
        evaluate('dice', c, { mode: 'multilabel' }).value as number,
        { rtol: 1e-15 },
      );
    });
  });

  describe('weights', () => {
    it('weights positives by alpha and negatives by 1 − alpha in binary mode', () => {
      // one positive and one negative pixel at logit 0: each unweighted focal term is log 2 / 4
      const base = { mode: 'binary', lambdaDice: 0 } as const;
      const none = diceFocal([[0, 0]], [[1, 0]], base);
      const a = diceFocal([[0, 0]], [[1, 0]], { ...base, alpha: 0.2 });
      expectClose(none, Math.LN2 / 4, { rtol: 1e-15 });
      expectClose(a, ((0.2 + 0.8) * Math.LN2) / 4 / 2, { rtol: 1e-15 });
    });
    it('averages the focal term over the non-ignored elements only', () => {
      const base = { mode: 'binary', lambdaDice: 0, ignoreIndex: 255 } as const;
      expectClose(diceFocal([[0, 5]], [[1, 255]], base), Math.LN2 / 4, { rtol: 1e-15 });
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient when every pixel is ignored', () => {
      const r = evaluate(
        'diceFocal',
        { input: [[0.5, -1]], target: [[255, 255]] },
        { mode: 'binary', ignoreIndex: 255 },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0]);
    });
    it('gives 0 for an empty batch, propagates NaN and keeps float32 gradients', () => {
      expect(
        diceFocal(
          { data: new Float64Array(0), shape: [0, 1, 2] },
          { data: new Float64Array(0), shape: [0, 2] },
          {
            mode: 'binary',
          },
        ),
      ).toBe(0);
      expect(diceFocal([[NaN, 1]], [[1, 0]], { mode: 'binary' })).toBeNaN();
      const r = diceFocal.valueAndGrad(
        { data: Float32Array.of(0.5, -1), shape: [1, 2] },
        [[1, 0]],
        {
          mode: 'binary',
        },
      );
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
    it('stays finite for large logits: 1 − p_t does not round to 0', () => {
      const r = evaluate(
        'diceFocal',
        { input: [[40, -40]], target: [[1, 0]] },
        { mode: 'binary', gamma: 0.5 },
        { grad: true },
      );
      expect(Number.isFinite(r.value)).toBe(true);
      for (const g of r.grads!.input.data) expect(Number.isFinite(g)).toBe(true);
    });
  });

  describe('errors', () => {
    it('requires the mode (E_OPTION)', () => {
      expectLossError(() => diceFocal([[1]], [[1]]), 'E_OPTION', ['diceFocal', "option 'mode'"]);
    });
    it('rejects a per-class alpha or an alpha outside [0, 1] in binary mode (E_OPTION)', () => {
      expectLossError(() => diceFocal([[1]], [[1]], { mode: 'binary', alpha: [0.5] }), 'E_OPTION', [
        "option 'alpha'",
        'binary',
      ]);
      expectLossError(() => diceFocal([[1]], [[1]], { mode: 'binary', alpha: 2 }), 'E_OPTION', [
        'alpha=2',
      ]);
    });
    it('rejects a per-class alpha of the wrong length in multiclass mode (E_SHAPE)', () => {
      const c = multiclassCase(117, 1, 3, [2]);
      expectLossError(
        () => evaluate('diceFocal', c, { mode: 'multiclass', alpha: [1, 2] }),
        'E_SHAPE',
        ["'alpha'"],
      );
    });
    it('rejects a target that fits no mode (E_SHAPE) and out-of-range indices (E_RANGE)', () => {
      const c = multiclassCase(118, 1, 3, [2]);
      expectLossError(
        () => evaluate('diceFocal', { input: c.input, target: c.input }, { mode: 'multiclass' }),
        'E_SHAPE',
        ["mode 'multilabel'"],
      );
      expectLossError(() => diceFocal(c.input, [[0, 5]], { mode: 'multiclass' }), 'E_RANGE', [
        '[0, 2]',
      ]);
    });
  });
});
