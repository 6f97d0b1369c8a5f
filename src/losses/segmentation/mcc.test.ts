import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { binaryCase, tumourMasks } from '../../test-support/segmentation.js';
import { mcc } from './mcc.js';

const probsOf = (seed: number, n: number, spatial: number[]) => {
  const c = binaryCase(seed, n, spatial);
  c.input.data.forEach((v, i) => (c.input.data[i] = 1 / (1 + Math.exp(-v))));
  return c;
};

describe('mcc', () => {
  describe('golden values (smp MCCLoss transcribed in torch)', () => {
    goldenTests('mcc');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      checkGradFD('mcc', probsOf(71, 2, [3, 2]), {});
      checkGradFD('mcc', probsOf(72, 3, [4]), { eps: 0.5 });
    });
  });

  describe('identities', () => {
    it("gives 1 − MCC of seed 002's tumour counts on hard masks (eps → 0)", () => {
      // TP 20, FP 5, FN 10, TN 65: MCC = (20·65 − 5·10) / sqrt(25·30·70·75)
      const { input, target } = tumourMasks();
      const want = (20 * 65 - 5 * 10) / Math.sqrt(25 * 30 * 70 * 75);
      expectClose(mcc(input, target, { eps: 0 }), 1 - want, { rtol: 1e-15 });
    });
    it('is symmetric under swapping foreground and background', () => {
      const c = probsOf(73, 2, [5]);
      const flip = (d: ArrayLike<number>) => Float64Array.from(d, (v) => 1 - v);
      const a = mcc(c.input, c.target);
      const b = mcc(
        { data: flip(c.input.data), shape: c.input.shape },
        { data: flip(c.target.data), shape: c.target.shape },
      );
      expectClose(a, b, { rtol: 1e-13 });
    });
  });

  describe('aggregation', () => {
    it('sums the counts over the whole batch: one batch of two images equals their concatenation', () => {
      const c = probsOf(74, 2, [3]);
      const flat = mcc(
        { data: c.input.data, shape: [1, 1, 6] },
        { data: c.target.data, shape: [1, 6] },
      );
      expectClose(mcc(c.input, c.target), flat, { rtol: 1e-15 });
    });
  });

  describe('edge cases', () => {
    it('gives about 2 for an inverted hard prediction and about 0 for a perfect one', () => {
      expectClose(mcc([[1, 0, 1, 0]], [[0, 1, 0, 1]], { eps: 0 }), 2, { rtol: 1e-15 });
      expectClose(mcc([[1, 0, 1, 0]], [[1, 0, 1, 0]], { eps: 0 }), 0, { atol: 1e-15 });
    });
    it('is finite on a single-class batch thanks to eps, and propagates NaN', () => {
      expect(Number.isFinite(mcc([[0.2, 0.3]], [[0, 0]]))).toBe(true);
      expect(mcc([[NaN, 0.3]], [[1, 0]])).toBeNaN();
    });
    it('gives float32 gradients for float32 input', () => {
      const r = mcc.valueAndGrad({ data: Float32Array.of(0.2, 0.7), shape: [1, 2] }, [[0, 1]]);
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a target that does not match the input (E_SHAPE) and a negative eps (E_OPTION)', () => {
      expectLossError(() => mcc([[0.5, 0.5]], [[1, 0, 1]]), 'E_SHAPE', ['mcc', "'target'"]);
      expectLossError(() => mcc([[0.5]], [[1]], { eps: -1 }), 'E_OPTION', ["option 'eps'"]);
    });
    it('has no mode or fromLogits option (E_OPTION)', () => {
      expectLossError(
        () => evaluate('mcc', { input: [[0.5]], target: [[1]] }, { mode: 'binary' }),
        'E_OPTION',
        ["'mode'"],
      );
    });
  });
});
