import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
  tensorOf,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from '../regression/mse.js';
import { lsganDiscriminator } from './lsganDiscriminator.js';
import { lsganGenerator } from './lsganGenerator.js';

const EMPTY = { data: new Float64Array(0), shape: [0] };

describe('lsganDiscriminator', () => {
  describe('golden values (Mao et al. in torch: 0.5·mse_loss per term)', () => {
    goldenTests('lsganDiscriminator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for batches of equal and of different sizes', () => {
      const real = tensorOf([2, 3], (i) => Math.sin(i + 1) * 1.5);
      const fake = tensorOf([2, 3], (i) => Math.cos(2 * i) - 0.2);
      for (const reduction of ['mean', 'sum', 'none'])
        for (const labels of [{}, { a: -1, b: 1 }, { a: 0.1, b: 0.9 }])
          checkGradFD('lsganDiscriminator', { real, fake }, { reduction, ...labels });
      const fake5 = tensorOf([5], (i) => i * 0.3 - 0.5);
      for (const reduction of ['mean', 'sum'])
        checkGradFD('lsganDiscriminator', { real, fake: fake5 }, { reduction });
    });
  });

  describe('identities', () => {
    it("equals ½·mse(real, b) + ½·mse(fake, a) under 'mean', in value and gradient", () => {
      const real = tensorOf([4], (i) => 0.3 * i - 0.4);
      const fake = tensorOf([3], (i) => -0.7 * i + 0.2);
      const b = tensorOf([4], () => 0.9);
      const a = tensorOf([3], () => -1);
      const d = lsganDiscriminator.valueAndGrad(real, fake, { a: -1, b: 0.9 });
      const mr = mse.valueAndGrad(real, b);
      const mf = mse.valueAndGrad(fake, a);
      expectClose(d.value, 0.5 * mr.value + 0.5 * mf.value, { rtol: 1e-15 });
      for (let i = 0; i < 4; i++) expectClose(d.grads.real.data[i], 0.5 * mr.grads.input.data[i]);
      for (let i = 0; i < 3; i++) expectClose(d.grads.fake.data[i], 0.5 * mf.grads.input.data[i]);
    });
    it('reduces to lsganGenerator with c = a when the real batch is empty', () => {
      const fake = tensorOf([5], (i) => Math.sin(3 * i));
      const d = lsganDiscriminator.valueAndGrad(EMPTY, fake, { a: 0.25 });
      const g = lsganGenerator.valueAndGrad(fake, { c: 0.25 });
      expect(d.value).toBe(g.value);
      expect(Array.from(d.grads.fake.data)).toEqual(Array.from(g.grads.fake.data));
    });
    it('is 0 with zero gradient for the perfect discriminator (real = b, fake = a)', () => {
      const { value, grads } = lsganDiscriminator.valueAndGrad([1, 1], [-1, -1, -1], {
        a: -1,
        b: 1,
      });
      expect(value).toBe(0);
      expect(Array.from(grads.real.data)).toEqual([0, 0]);
      expect(Array.from(grads.fake.data)).toEqual([0, 0, 0]);
    });
  });

  describe('reductions', () => {
    // real [1, 3] against b = 1: ½·0 + ½·2² = 2; fake [0.5] against a = 0: ½·0.25 = 0.125.
    it("divides each term by its own batch size under 'mean'", () => {
      // 2/2 + 0.125/1 = 1.125 (a pooled mean would give 2.125/3).
      expect(lsganDiscriminator([1, 3], [0.5])).toBe(1.125);
      const { grads } = lsganDiscriminator.valueAndGrad([1, 3], [0.5]);
      // d/dreal = (real − 1)/2, d/dfake = fake/1
      expect(Array.from(grads.real.data)).toEqual([0, 1]);
      expect(Array.from(grads.fake.data)).toEqual([0.5]);
    });
    it("adds the two sums under 'sum'", () => {
      expect(lsganDiscriminator([1, 3], [0.5], { reduction: 'sum' })).toBe(2.125);
    });
    it("returns the elementwise sum of the terms under 'none'", () => {
      // [½·0 + ½·0.25, ½·4 + ½·1] = [0.125, 2.5]
      const out = lsganDiscriminator([1, 3], [0.5, -1], { reduction: 'none' });
      expect(Array.from(out.data)).toEqual([0.125, 2.5]);
      expect(out.shape).toEqual([2]);
    });
    it("keeps the shape of the inputs under 'none' and weights the gradient by the upstream", () => {
      const real = { data: Float64Array.of(0, 2, 1, 1), shape: [2, 2] };
      const fake = { data: Float64Array.of(0, 1, -2, 0), shape: [2, 2] };
      const upstream = { data: Float64Array.of(1, 2, -1, 0.5), shape: [2, 2] };
      const res = evaluate(
        'lsganDiscriminator',
        { real, fake },
        { reduction: 'none' },
        {
          grad: true,
          upstream,
        },
      );
      expect((res.value as Tensor).shape).toEqual([2, 2]);
      // u·(real − 1) and u·fake
      expect(Array.from(res.grads!.real.data)).toEqual([-1, 2, -0, 0]);
      expect(Array.from(res.grads!.fake.data)).toEqual([0, 2, 2, 0]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 and empty gradients for two empty batches', () => {
      for (const reduction of ['mean', 'sum'] as const) {
        const { value, grads } = lsganDiscriminator.valueAndGrad(EMPTY, EMPTY, { reduction });
        expect(value).toBe(0);
        expect(grads.real.data.length).toBe(0);
        expect(grads.fake.data.length).toBe(0);
      }
    });
    it('scores one-element batches', () => {
      // ½(3 − 1)² + ½(−1 − 0)² = 2.5
      expect(lsganDiscriminator([3], [-1])).toBe(2.5);
    });
    it('propagates NaN and gives Infinity for infinite scores', () => {
      expect(lsganDiscriminator([NaN, 1], [0, 0])).toBeNaN();
      expect(lsganDiscriminator([1], [Infinity])).toBe(Infinity);
      expect(lsganDiscriminator([-Infinity], [0])).toBe(Infinity);
    });
    it('keeps float32 outputs and gradients for float32 inputs', () => {
      const real = { data: Float32Array.of(0.1, 0.7), shape: [2] };
      const fake = { data: Float32Array.of(0.3, -0.2), shape: [2] };
      const res = evaluate(
        'lsganDiscriminator',
        { real, fake },
        { reduction: 'none' },
        { grad: true },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect(res.grads!.real.data).toBeInstanceOf(Float32Array);
      expectTensorClose(
        res.value as Tensor,
        { data: Float64Array.of(0.5 * 0.81 + 0.5 * 0.09, 0.5 * 0.09 + 0.5 * 0.04), shape: [2] },
        { rtol: 1e-6 },
      );
    });
  });

  describe('errors', () => {
    it("rejects real and fake of different shapes under 'none' (E_SHAPE)", () => {
      expectLossError(
        () => lsganDiscriminator([1, 2, 3], [1, 2], { reduction: 'none' }),
        'E_SHAPE',
        ['lsganDiscriminator', "input 'fake'", "'real' [3]", 'shape [2]', "'mean' or 'sum'"],
      );
    });
    it('rejects a non-finite label (E_OPTION)', () => {
      expectLossError(() => lsganDiscriminator([1], [0], { b: Infinity }), 'E_OPTION', [
        "option 'b'",
        'finite',
      ]);
    });
    it('rejects a non-numeric score (E_TYPE)', () => {
      expectLossError(() => evaluate('lsganDiscriminator', { real: ['x'], fake: [0] }), 'E_TYPE', [
        "'real'",
      ]);
    });
  });
});
