import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { multiclassCase } from '../../test-support/segmentation.js';
import { diceCrossEntropy } from './diceCrossEntropy.js';

describe('diceCrossEntropy', () => {
  describe('golden values (smp DiceLoss + torch cross_entropy)', () => {
    goldenTests('diceCrossEntropy');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      checkGradFD('diceCrossEntropy', multiclassCase(101, 2, 3, [2, 2]), {});
      const c = multiclassCase(102, 2, 3, [3]);
      c.target.data[4] = -1;
      checkGradFD('diceCrossEntropy', c, {
        ignoreIndex: -1,
        weight: [1, 2, 0.5],
        classWeights: [2, 1, 1],
        lambdaDice: 0.7,
        lambdaCe: 1.3,
      });
    });
  });

  describe('identities', () => {
    it('equals lambdaDice · dice + lambdaCe · crossEntropy in value and gradient', () => {
      const c = multiclassCase(103, 2, 4, [3]);
      c.target.data[0] = 9;
      const o = { ignoreIndex: 9, smooth: 0.5, classWeights: [1, 2, 3, 4] };
      const both = evaluate(
        'diceCrossEntropy',
        c,
        { ...o, weight: [0.5, 1, 1, 2], lambdaDice: 0.25, lambdaCe: 3 },
        { grad: true },
      );
      const d = evaluate('dice', c, { ...o, mode: 'multiclass' }, { grad: true });
      const ce = evaluate(
        'crossEntropy',
        c,
        { ignoreIndex: 9, weight: [0.5, 1, 1, 2] },
        { grad: true },
      );
      expectClose(both.value as number, 0.25 * (d.value as number) + 3 * (ce.value as number), {
        rtol: 1e-14,
      });
      const want = d.grads!.input.data.map((g, i) => 0.25 * g + 3 * ce.grads!.input.data[i]);
      expectTensorClose(both.grads!.input, { data: want, shape: c.input.shape }, { rtol: 1e-12 });
    });
    it('reduces to crossEntropy with lambdaDice = 0 and to dice with lambdaCe = 0', () => {
      const c = multiclassCase(104, 2, 3, [4]);
      expectClose(
        diceCrossEntropy(c.input, c.target, { lambdaDice: 0 }),
        evaluate('crossEntropy', c).value as number,
        { rtol: 1e-15 },
      );
      expectClose(
        diceCrossEntropy(c.input, c.target, { lambdaCe: 0 }),
        evaluate('dice', c, { mode: 'multiclass' }).value as number,
        { rtol: 1e-15 },
      );
    });
  });

  describe('weights', () => {
    it('gives uniform cross-entropy weights the unweighted mean', () => {
      const c = multiclassCase(105, 2, 3, [4]);
      expectClose(
        diceCrossEntropy(c.input, c.target, { weight: [2, 2, 2] }),
        diceCrossEntropy(c.input, c.target),
        { rtol: 1e-14 },
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 with zero gradient when every pixel is ignored (torch: NaN from the CE mean)', () => {
      const r = evaluate(
        'diceCrossEntropy',
        {
          input: [
            [
              [0.5, -1],
              [0.2, 0.1],
            ],
          ],
          target: [[7, 7]],
        },
        { ignoreIndex: 7 },
        { grad: true },
      );
      expect(r.value).toBe(0);
      expect(Array.from(r.grads!.input.data)).toEqual([0, 0, 0, 0]);
    });
    it('gives 0 for an empty batch, propagates NaN and keeps float32 gradients', () => {
      expect(
        diceCrossEntropy(
          { data: new Float64Array(0), shape: [0, 2, 2] },
          { data: new Int32Array(0), shape: [0, 2] },
        ),
      ).toBe(0);
      expect(
        diceCrossEntropy(
          [
            [
              [NaN, 1],
              [0, 0],
            ],
          ],
          [[0, 1]],
        ),
      ).toBeNaN();
      const r = diceCrossEntropy.valueAndGrad(
        { data: Float32Array.of(0.5, -1, 0.2, 0.1), shape: [1, 2, 2] },
        [[0, 1]],
      );
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a weight of the wrong length (E_SHAPE) and a negative lambda (E_OPTION)', () => {
      const c = multiclassCase(106, 1, 3, [2]);
      expectLossError(() => evaluate('diceCrossEntropy', c, { weight: [1, 2] }), 'E_SHAPE', [
        'diceCrossEntropy',
        "'weight'",
      ]);
      expectLossError(() => evaluate('diceCrossEntropy', c, { lambdaCe: -1 }), 'E_OPTION', [
        "option 'lambdaCe'",
      ]);
    });
    it('rejects a mask target (E_SHAPE) and indices out of range (E_RANGE)', () => {
      const c = multiclassCase(107, 1, 3, [2]);
      expectLossError(
        () => evaluate('diceCrossEntropy', { input: c.input, target: c.input }),
        'E_SHAPE',
        ["'target'"],
      );
      expectLossError(() => diceCrossEntropy(c.input, [[0, 3]]), 'E_RANGE', ['[0, 2]']);
    });
  });
});
