import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { boxConvert } from './boxConvert.js';

const FORMATS = ['xyxy', 'xywh', 'cxcywh'] as const;
const X = { data: Float64Array.of(0.5, -1, 2.5, 1.25, -2, 0.3, 1.2, 0.8), shape: [2, 4] };

describe('boxConvert', () => {
  describe('golden values (torchvision.ops.box_convert)', () => {
    goldenTests('boxConvert', { rtol: 1e-14 });
  });

  describe('gradients', () => {
    it('matches finite differences for all nine format pairs', () => {
      for (const from of FORMATS)
        for (const to of FORMATS) checkGradFD('boxConvert', { input: X }, { from, to });
    });
    it('has the identity Jacobian when the formats agree', () => {
      const up = { data: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), shape: [2, 4] };
      const g = boxConvert.valueAndGrad(X, { from: 'xywh', to: 'xywh' }, { upstream: up }).grads
        .input;
      expect(Array.from(g.data)).toEqual(Array.from(up.data));
    });
  });

  describe('identities', () => {
    it('round-trips every format through every other (to rounding)', () => {
      for (const a of FORMATS)
        for (const b of FORMATS) {
          const there = boxConvert(X, { from: a, to: b, reduction: 'none' });
          const back = boxConvert(there, { from: b, to: a, reduction: 'none' });
          for (let i = 0; i < 8; i++)
            expect(Math.abs(back.data[i] - X.data[i])).toBeLessThan(1e-15);
        }
    });
    it('maps centre (2, 2) size (2, 1) to corners (1, 1.5, 3, 2.5)', () => {
      expect(
        Array.from(
          boxConvert([[2, 2, 2, 1]], { from: 'cxcywh', to: 'xyxy', reduction: 'none' }).data,
        ),
      ).toEqual([1, 1.5, 3, 2.5]);
    });
  });

  describe('reductions', () => {
    it("returns the converted (N, 4) boxes under the only reduction, 'none'", () => {
      const r = evaluate('boxConvert', { input: X }, { from: 'xyxy', to: 'xywh' }).value as Tensor;
      expect(r.shape).toEqual([2, 4]);
    });
  });

  describe('edge cases', () => {
    it('converts an empty batch to an empty batch', () => {
      const r = boxConvert(
        { data: new Float64Array(0), shape: [0, 4] },
        { from: 'xyxy', to: 'cxcywh', reduction: 'none' },
      );
      expect(r.shape).toEqual([0, 4]);
    });
    it('keeps float32 dtype and propagates NaN', () => {
      const r = boxConvert(
        { data: Float32Array.of(NaN, 0, 1, 1), shape: [1, 4] },
        { from: 'xywh', to: 'xyxy', reduction: 'none' },
      );
      expect(r.data).toBeInstanceOf(Float32Array);
      expect(r.data[0]).toBeNaN();
      expect(r.data[2]).toBeNaN();
    });
  });

  describe('errors', () => {
    it("requires both 'from' and 'to' (E_OPTION)", () => {
      expectLossError(() => evaluate('boxConvert', { input: X }, { to: 'xyxy' }), 'E_OPTION', [
        "option 'from'",
        'required',
      ]);
      expectLossError(() => evaluate('boxConvert', { input: X }, { from: 'xyxy' }), 'E_OPTION', [
        "option 'to'",
      ]);
    });
    it('rejects an unknown format (E_OPTION) and a non-(N, 4) input (E_SHAPE)', () => {
      expectLossError(
        () => evaluate('boxConvert', { input: X }, { from: 'xyxy', to: 'yxyx' }),
        'E_OPTION',
        ["'to'"],
      );
      expectLossError(
        () => evaluate('boxConvert', { input: [1, 2, 3, 4] }, { from: 'xyxy', to: 'xywh' }),
        'E_SHAPE',
        ['(N, 4)'],
      );
    });
    it('rejects non-numeric boxes with E_TYPE', () => {
      expectLossError(
        () => evaluate('boxConvert', { input: [['a', 1, 2, 3]] }, { from: 'xyxy', to: 'xywh' }),
        'E_TYPE',
      );
    });
  });
});
