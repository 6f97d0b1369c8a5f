import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { wganCritic } from './wganCritic.js';
import { wganGenerator } from './wganGenerator.js';

const EMPTY = { data: new Float64Array(0), shape: [0] };

describe('wganCritic', () => {
  describe('golden values (torch: fake.mean() − real.mean())', () => {
    goldenTests('wganCritic', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for equal and different batch sizes', () => {
      const real = tensorOf([3, 2], (i) => Math.sin(i) * 3);
      const fake = tensorOf([3, 2], (i) => Math.cos(i) * 2);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('wganCritic', { real, fake }, { reduction });
      checkGradFD('wganCritic', { real, fake: tensorOf([4], (i) => i) }, { reduction: 'mean' });
    });
    it('has the constant gradients −1/N_real and +1/N_fake under mean', () => {
      const { grads } = wganCritic.valueAndGrad([5, -3, 2, 0], [1, 7]);
      expect(Array.from(grads.real.data)).toEqual([-0.25, -0.25, -0.25, -0.25]);
      expect(Array.from(grads.fake.data)).toEqual([0.5, 0.5]);
    });
  });

  describe('identities', () => {
    it('is wganGenerator on the fake batch minus the mean real score', () => {
      const real = [0.5, 1.5, -1];
      const fake = [2, -0.25];
      // mean(real) = 1/3
      expect(wganCritic(real, fake)).toBeCloseTo(-(wganGenerator(fake) as number) - 1 / 3, 15);
    });
    it('is 0 when the critic cannot tell the batches apart (equal means)', () => {
      expect(wganCritic([1, 3], [2, 2, 2])).toBe(0);
    });
  });

  describe('reductions', () => {
    it("divides each batch by its own size under 'mean' and subtracts the sums under 'sum'", () => {
      // mean(fake) − mean(real) = 4 − 2; Σfake − Σreal = 8 − 6
      expect(wganCritic([1, 2, 3], [3, 5])).toBe(2);
      expect(wganCritic([1, 2, 3], [3, 5], { reduction: 'sum' })).toBe(2);
    });
    it("returns fake − real elementwise under 'none'", () => {
      const out = wganCritic([1, 2, 3], [3, 5, -1], { reduction: 'none' });
      expect(Array.from(out.data)).toEqual([2, 3, -4]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for two empty batches and −mean(real) for an empty fake batch', () => {
      expect(wganCritic(EMPTY, EMPTY)).toBe(0);
      expect(wganCritic([1, 2], EMPTY)).toBe(-1.5);
    });
    it('propagates NaN and infinite scores', () => {
      expect(wganCritic([NaN], [0])).toBeNaN();
      expect(wganCritic([0], [Infinity])).toBe(Infinity);
      expect(wganCritic([Infinity], [Infinity])).toBeNaN();
    });
    it('keeps float32 dtype under none', () => {
      const res = evaluate(
        'wganCritic',
        { real: Float32Array.of(1.5), fake: Float32Array.of(0.25) },
        { reduction: 'none' },
        { grad: true },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect(Array.from((res.value as Tensor).data)).toEqual([-1.25]);
      expect(Array.from(res.grads!.real.data)).toEqual([-1]);
    });
  });

  describe('errors', () => {
    it("rejects different shapes under 'none' (E_SHAPE)", () => {
      expectLossError(() => wganCritic([[1, 2]], [1, 2], { reduction: 'none' }), 'E_SHAPE', [
        'wganCritic',
        "'real' [1, 2]",
        'shape [2]',
      ]);
    });
    it('rejects a missing fake batch (E_INPUT)', () => {
      expectLossError(() => evaluate('wganCritic', { real: [1] }), 'E_INPUT', ["'fake'"]);
    });
  });
});
