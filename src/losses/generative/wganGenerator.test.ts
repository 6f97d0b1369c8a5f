import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { wganGenerator } from './wganGenerator.js';

describe('wganGenerator', () => {
  describe('golden values (torch: −fake.mean())', () => {
    goldenTests('wganGenerator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const fake = tensorOf([2, 2], (i) => i - 1.5);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('wganGenerator', { fake }, { reduction });
    });
    it('is the constant −1/N under mean, −1 under sum and −upstream under none', () => {
      expect(Array.from(wganGenerator.valueAndGrad([3, -1, 2, 8]).grads.fake.data)).toEqual([
        -0.25, -0.25, -0.25, -0.25,
      ]);
      expect(
        Array.from(wganGenerator.valueAndGrad([3, -1], { reduction: 'sum' }).grads.fake.data),
      ).toEqual([-1, -1]);
      const res = evaluate(
        'wganGenerator',
        { fake: [3, -1] },
        { reduction: 'none' },
        { grad: true, upstream: [2, -0.5] },
      );
      expect(Array.from(res.grads!.fake.data)).toEqual([-2, 0.5]);
    });
  });

  describe('identities', () => {
    it('is the negated mean score: −(3 − 1 + 2 + 8)/4 = −3', () => {
      expect(wganGenerator([3, -1, 2, 8])).toBe(-3);
    });
    it("sums to N·mean under 'sum'", () => {
      const fake = tensorOf([7], (i) => Math.sin(i));
      expect(wganGenerator(fake, { reduction: 'sum' })).toBeCloseTo(7 * wganGenerator(fake), 14);
    });
  });

  describe('reductions', () => {
    it("returns −fake elementwise under 'none', keeping the shape", () => {
      const out = wganGenerator([[1, -2]], { reduction: 'none' });
      expect(out.shape).toEqual([1, 2]);
      expect(Array.from(out.data)).toEqual([-1, 2]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and −x for one score', () => {
      expect(wganGenerator({ data: new Float64Array(0), shape: [0] })).toBe(0);
      expect(wganGenerator(2.5)).toBe(-2.5);
    });
    it('propagates NaN and infinities', () => {
      expect(wganGenerator([NaN, 1])).toBeNaN();
      expect(wganGenerator([Infinity, 1])).toBe(-Infinity);
    });
    it('keeps float32 dtype', () => {
      const res = evaluate('wganGenerator', { fake: Float32Array.of(0.5) }, { reduction: 'none' });
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects an unknown option (E_OPTION) and a string input (E_TYPE)', () => {
      expectLossError(() => wganGenerator([1], { lambda: 1 } as never), 'E_OPTION', ["'lambda'"]);
      expectLossError(() => evaluate('wganGenerator', { fake: 'x' }), 'E_TYPE', ["'fake'"]);
    });
  });
});
