import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { hingeGanGenerator } from './hingeGanGenerator.js';

describe('hingeGanGenerator', () => {
  describe('golden values (torch: −fake.mean())', () => {
    goldenTests('hingeGanGenerator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const fake = tensorOf([3, 2], (i) => Math.cos(i) * 2);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('hingeGanGenerator', { fake }, { reduction });
    });
  });

  describe('identities', () => {
    it('equals wganGenerator in value and gradient under every reduction', () => {
      const fake = tensorOf([2, 3], (i) => Math.sin(2 * i) - 0.1);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const h = evaluate('hingeGanGenerator', { fake }, { reduction }, { grad: true });
        const w = evaluate('wganGenerator', { fake }, { reduction }, { grad: true });
        expect(h.value).toEqual(w.value);
        expect(Array.from(h.grads!.fake.data)).toEqual(Array.from(w.grads!.fake.data));
      }
    });
  });

  describe('reductions', () => {
    it("gives −mean, −sum and −fake under 'mean', 'sum' and 'none'", () => {
      expect(hingeGanGenerator([1, 2, 6])).toBe(-3);
      expect(hingeGanGenerator([1, 2, 6], { reduction: 'sum' })).toBe(-9);
      expect(Array.from(hingeGanGenerator([1, -2], { reduction: 'none' }).data)).toEqual([-1, 2]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and propagates NaN', () => {
      expect(hingeGanGenerator({ data: new Float64Array(0), shape: [0] })).toBe(0);
      expect(hingeGanGenerator([NaN])).toBeNaN();
      expect(hingeGanGenerator([-Infinity])).toBe(Infinity);
    });
    it('keeps float32 dtype', () => {
      const res = evaluate(
        'hingeGanGenerator',
        { fake: Float32Array.of(1) },
        { reduction: 'none' },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a string input (E_TYPE) and a missing one (E_INPUT)', () => {
      expectLossError(() => evaluate('hingeGanGenerator', { fake: 'x' }), 'E_TYPE', ["'fake'"]);
      expectLossError(() => evaluate('hingeGanGenerator', {}), 'E_INPUT', ["'fake'"]);
    });
  });
});
