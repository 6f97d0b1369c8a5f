import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { checkHingeGradFD, expectHingePathsAlike } from '../../test-support/hinge.js';
import { hinge } from './hinge.js';
import { squaredHinge } from './squaredHinge.js';

describe('squaredHinge', () => {
  describe('golden values (torch transcription of Keras squared_hinge)', () => {
    goldenTests('squaredHinge');
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      checkHingeGradFD('squaredHinge');
    });
    it('has gradient 0 at exactly 1 − y·x = 0', () => {
      const { grads } = squaredHinge.valueAndGrad([1, -1], [1, -1]);
      expect(Array.from(grads.input.data, Math.abs)).toEqual([0, 0]);
    });
    it('computes the training path (mean, no upstream) and the general path bit for bit alike', () => {
      expectHingePathsAlike('squaredHinge');
    });
  });

  describe('identities', () => {
    it('is the elementwise square of hinge', () => {
      const x = [0.6, -0.2, 1.4, -3];
      const y = [1, 0, 0, 1];
      const h = hinge(x, y, { reduction: 'none' }) as Tensor;
      const s = squaredHinge(x, y, { reduction: 'none' }) as Tensor;
      for (let i = 0; i < x.length; i++) expectClose(s.data[i], h.data[i] * h.data[i]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input and propagates NaN to value and gradient', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(squaredHinge(empty, empty)).toBe(0);
      const { value, grads } = squaredHinge.valueAndGrad([NaN, 0.5], [1, 1], { reduction: 'none' });
      // Second element: h = 1 − 0.5 = 0.5, loss 0.25, slope −2·h = −1.
      expect(Array.from((value as Tensor).data)).toEqual([NaN, 0.25]);
      expect(Array.from(grads.input.data)).toEqual([NaN, -1]);
    });
    it('keeps float32 output dtype for float32 input under none', () => {
      const out = squaredHinge({ data: Float32Array.of(1.5, -2), shape: [2] }, [0, 1], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => squaredHinge([1, 2], [1]), 'E_SHAPE', ['squaredHinge', "'target'"]);
    });
    it('rejects an unknown reduction (E_OPTION)', () => {
      expectLossError(() => squaredHinge([1], [1], { reduction: 'avg' as never }), 'E_OPTION', [
        "option 'reduction'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('squaredHinge', { input: null as never, target: [1] }),
        'E_INPUT',
        ["'input'"],
      );
      expectLossError(() => evaluate('squaredHinge', { input: {}, target: [1] }), 'E_TYPE', [
        "'input'",
      ]);
    });
  });
});
