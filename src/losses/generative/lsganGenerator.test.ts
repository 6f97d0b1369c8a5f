import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { mse } from '../regression/mse.js';
import { lsganGenerator } from './lsganGenerator.js';

describe('lsganGenerator', () => {
  describe('golden values (Mao et al. in torch: 0.5·mse_loss(fake, c))', () => {
    goldenTests('lsganGenerator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for both codings', () => {
      const fake = tensorOf([2, 3], (i) => Math.sin(i + 0.5) * 2);
      for (const reduction of ['mean', 'sum', 'none'])
        for (const c of [1, 0, 0.7]) checkGradFD('lsganGenerator', { fake }, { reduction, c });
    });
  });

  describe('identities', () => {
    it('equals ½·mse(fake, c) in value and gradient', () => {
      const fake = tensorOf([6], (i) => 0.4 * i - 1);
      const c = tensorOf([6], () => 0.8);
      const g = lsganGenerator.valueAndGrad(fake, { c: 0.8 });
      const m = mse.valueAndGrad(fake, c);
      expect(g.value).toBe(0.5 * m.value);
      for (let i = 0; i < 6; i++) expectClose(g.grads.fake.data[i], 0.5 * m.grads.input.data[i]);
    });
    it('is 0 with zero gradient when every score equals c', () => {
      const { value, grads } = lsganGenerator.valueAndGrad([0, 0], { c: 0 });
      expect(value).toBe(0);
      expect(Array.from(grads.fake.data)).toEqual([0, 0]);
    });
  });

  describe('reductions', () => {
    it("gives ½(x − c)² per element under 'none', their sum under 'sum' and their mean under 'mean'", () => {
      // c = 1: ½·(−1)² = 0.5, ½·1² = 0.5, ½·2² = 2
      expect(Array.from(lsganGenerator([0, 2, 3], { reduction: 'none' }).data)).toEqual([
        0.5, 0.5, 2,
      ]);
      expect(lsganGenerator([0, 2, 3], { reduction: 'sum' })).toBe(3);
      expect(lsganGenerator([0, 2, 3])).toBe(1);
      // mean gradient (x − c)/N
      expect(Array.from(lsganGenerator.valueAndGrad([0, 2, 3]).grads.fake.data)).toEqual([
        -1 / 3,
        1 / 3,
        2 / 3,
      ]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(lsganGenerator(empty)).toBe(0);
      expect(lsganGenerator.valueAndGrad(empty).grads.fake.data.length).toBe(0);
    });
    it('accepts a single score', () => {
      expect(lsganGenerator(3)).toBe(2);
    });
    it('propagates NaN and gives Infinity at infinite scores', () => {
      const { value, grads } = lsganGenerator.valueAndGrad([NaN, Infinity], { reduction: 'none' });
      expect((value as Tensor).data[0]).toBeNaN();
      expect((value as Tensor).data[1]).toBe(Infinity);
      expect(grads.fake.data[0]).toBeNaN();
      expect(grads.fake.data[1]).toBe(Infinity);
    });
    it('keeps float32 dtype', () => {
      const res = evaluate('lsganGenerator', { fake: Float32Array.of(0.5) }, { reduction: 'none' });
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect((res.value as Tensor).data[0]).toBe(0.125);
    });
  });

  describe('errors', () => {
    it('rejects a non-finite c (E_OPTION)', () => {
      expectLossError(() => lsganGenerator([1], { c: NaN }), 'E_OPTION', [
        'lsganGenerator',
        "option 'c'",
      ]);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('lsganGenerator', { fake: 'x' }), 'E_TYPE', ["'fake'"]);
    });
  });
});
