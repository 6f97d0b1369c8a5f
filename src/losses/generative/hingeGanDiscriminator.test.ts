import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { hingeGanDiscriminator } from './hingeGanDiscriminator.js';

const EMPTY = { data: new Float64Array(0), shape: [0] };

describe('hingeGanDiscriminator', () => {
  describe('golden values (torch: relu(1 − real).mean() + relu(1 + fake).mean())', () => {
    goldenTests('hingeGanDiscriminator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences away from the hinges', () => {
      // Scores 0.37·i − 1.6 and 1.3 − 0.45·i never come within 0.05 of ±1.
      const real = tensorOf([2, 4], (i) => 0.37 * i - 1.6);
      const fake = tensorOf([2, 4], (i) => 1.3 - 0.45 * i);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('hingeGanDiscriminator', { real, fake }, { reduction });
      checkGradFD('hingeGanDiscriminator', { real, fake: tensorOf([3], (i) => i - 0.5) }, {});
    });
    it('passes no gradient at the hinge itself (real = 1, fake = −1), as torch’s relu', () => {
      const { value, grads } = hingeGanDiscriminator.valueAndGrad([1, 0.5], [-1, -0.5], {
        reduction: 'sum',
      });
      expect(value).toBe(1);
      expect(Array.from(grads.real.data)).toEqual([0, -1]);
      expect(Array.from(grads.fake.data)).toEqual([0, 1]);
    });
  });

  describe('identities', () => {
    it('is 0 with zero gradient once every score is beyond its margin', () => {
      const { value, grads } = hingeGanDiscriminator.valueAndGrad([1.5, 3], [-2, -1.25]);
      expect(value).toBe(0);
      expect(Array.from(grads.real.data)).toEqual([0, 0]);
      expect(Array.from(grads.fake.data)).toEqual([0, 0]);
    });
    it('is affine inside the margins: 2 + mean(fake) − mean(real)', () => {
      const real = [0.25, -0.5, 0.75];
      const fake = [0.5, -0.25];
      // (0.75 + 1.5 + 0.25)/3 + (1.5 + 0.75)/2 = 5/6 + 9/8
      expect(hingeGanDiscriminator(real, fake)).toBeCloseTo(5 / 6 + 9 / 8, 15);
    });
  });

  describe('reductions', () => {
    it("divides each term by its own batch size under 'mean'", () => {
      // real [0, 2]: relu(1) + relu(−1) = 1 over 2; fake [0]: relu(1) = 1 over 1
      expect(hingeGanDiscriminator([0, 2], [0])).toBe(1.5);
      expect(hingeGanDiscriminator([0, 2], [0], { reduction: 'sum' })).toBe(2);
    });
    it("returns the elementwise sum of the hinges under 'none'", () => {
      // [relu(1) + relu(1), relu(−1) + relu(3)] = [2, 3]
      const out = hingeGanDiscriminator([0, 2], [0, 2], { reduction: 'none' });
      expect(Array.from(out.data)).toEqual([2, 3]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for two empty batches', () => {
      expect(hingeGanDiscriminator(EMPTY, EMPTY)).toBe(0);
    });
    it('propagates NaN (with torch’s zero gradient there) and costs ∞ for ∞ on the wrong side', () => {
      const { value, grads } = hingeGanDiscriminator.valueAndGrad([NaN], [0], {
        reduction: 'none',
      });
      expect((value as Tensor).data[0]).toBeNaN();
      expect(Array.from(grads.real.data)).toEqual([0]);
      expect(hingeGanDiscriminator([-Infinity], [-5])).toBe(Infinity);
      expect(hingeGanDiscriminator([Infinity], [-Infinity])).toBe(0);
    });
    it('keeps float32 dtype under none', () => {
      const res = evaluate(
        'hingeGanDiscriminator',
        { real: Float32Array.of(0.5), fake: Float32Array.of(0.25) },
        { reduction: 'none' },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect((res.value as Tensor).data[0]).toBe(1.75);
    });
  });

  describe('errors', () => {
    it("rejects different shapes under 'none' (E_SHAPE)", () => {
      expectLossError(
        () => hingeGanDiscriminator([1, 2], [[1, 2]], { reduction: 'none' }),
        'E_SHAPE',
        ['hingeGanDiscriminator', "input 'fake'", 'shape [1, 2]'],
      );
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('hingeGanDiscriminator', { real: [1], fake: 'x' }), 'E_TYPE', [
        "'fake'",
      ]);
    });
  });
});
