import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { checkHingeGradFD, expectHingePathsAlike } from '../../test-support/hinge.js';
import { hinge } from './hinge.js';

describe('hinge', () => {
  describe('golden values (torch transcription of Keras hinge)', () => {
    goldenTests('hinge');
  });

  describe('gradients', () => {
    it('matches central finite differences away from the kink', () => {
      checkHingeGradFD('hinge');
    });
    it('takes the full slope −y at exactly 1 − y·x = 0 (torch clamp_min)', () => {
      const { value, grads } = hinge.valueAndGrad([1, -1], [1, -1], { reduction: 'sum' });
      expect(value).toBe(0);
      expect(Array.from(grads.input.data)).toEqual([-1, 1]);
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      expectHingePathsAlike('hinge');
    });
  });

  describe('identities', () => {
    it('gives 0/1 labels the same loss as the matching ±1 labels', () => {
      const x = [0.6, -0.2, 1.4, -3];
      expect(hinge(x, [1, 0, 0, 1])).toBe(hinge(x, [1, -1, -1, 1]));
    });
    it('converts nothing when the labels mix 0 with −1 (a 0 label then costs 1)', () => {
      const out = hinge([5, 5, 5], [0, -1, 1], { reduction: 'none' }) as Tensor;
      expect(Array.from(out.data)).toEqual([1, 6, 0]);
    });
    it('gives sum = n · mean', () => {
      const x = [0.6, -0.2, 1.4, -3];
      const y = [1, -1, -1, 1];
      expectClose(hinge(x, y, { reduction: 'sum' }) as number, 4 * (hinge(x, y) as number));
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input and propagates NaN', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(hinge(empty, empty)).toBe(0);
      expect(hinge([NaN, 1], [1, 1])).toBeNaN();
    });
    it('is linear for large scores', () => {
      expect(hinge([-700], [1])).toBe(701);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => hinge([1, 2], [1]), 'E_SHAPE', ['hinge', "'target'", '[1]']);
    });
    it('rejects any option but reduction (E_OPTION)', () => {
      expectLossError(() => hinge([1], [1], { margin: 2 } as never), 'E_OPTION', [
        "option 'margin'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('hinge', { input: [[1], ['a']], target: [[1], [1]] }),
        'E_TYPE',
        ["'input'"],
      );
    });
    it('rejects a missing target (E_INPUT)', () => {
      expectLossError(() => evaluate('hinge', { input: [1] }), 'E_INPUT', ["'target'"]);
    });
  });
});
