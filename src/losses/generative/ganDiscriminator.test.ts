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
import { ganDiscriminator } from './ganDiscriminator.js';
import { ganGenerator } from './ganGenerator.js';

const EMPTY = { data: new Float64Array(0), shape: [0] };
const LN2 = Math.LN2;

describe('ganDiscriminator', () => {
  describe('golden values (torch binary_cross_entropy_with_logits per term)', () => {
    goldenTests('ganDiscriminator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences with and without one-sided smoothing', () => {
      const real = tensorOf([2, 3], (i) => Math.sin(i + 1) * 4);
      const fake = tensorOf([2, 3], (i) => Math.cos(i) * 3 - 1);
      for (const reduction of ['mean', 'sum', 'none'])
        for (const labelSmoothing of [0, 0.1, 1])
          checkGradFD('ganDiscriminator', { real, fake }, { reduction, labelSmoothing });
      checkGradFD('ganDiscriminator', { real, fake: tensorOf([4], (i) => i - 2) }, {});
    });
    it('has the closed-form gradients σ(real) − (1 − ε) and σ(fake) at logit 0', () => {
      const { grads } = ganDiscriminator.valueAndGrad([0], [0], { labelSmoothing: 0.1 });
      expectClose(grads.real.data[0], 0.5 - 0.9, { rtol: 1e-15 });
      expect(grads.fake.data[0]).toBe(0.5);
    });
  });

  describe('identities', () => {
    it('costs ln 2 per term at logit 0 whatever the smoothing', () => {
      // BCE(0, t) = −t·ln ½ − (1 − t)·ln ½ = ln 2
      for (const labelSmoothing of [0, 0.1, 0.5])
        expectClose(ganDiscriminator([0, 0], [0], { labelSmoothing }), 2 * LN2, { rtol: 1e-15 });
    });
    it('reduces to the non-saturating ganGenerator on the real batch when the fake batch is empty', () => {
      const x = tensorOf([5], (i) => 3 * Math.sin(i) + 0.5);
      const d = ganDiscriminator.valueAndGrad(x, EMPTY);
      const g = ganGenerator.valueAndGrad(x);
      expect(d.value).toBe(g.value);
      expect(Array.from(d.grads.real.data)).toEqual(Array.from(g.grads.fake.data));
    });
    it('reduces to minus the saturating ganGenerator when the real batch is empty', () => {
      const x = tensorOf([5], (i) => 3 * Math.cos(i) - 0.5);
      const d = ganDiscriminator.valueAndGrad(EMPTY, x);
      const g = ganGenerator.valueAndGrad(x, { saturating: true });
      expect(d.value).toBe(-g.value);
      for (let i = 0; i < 5; i++) expect(d.grads.fake.data[i]).toBe(-g.grads.fake.data[i]);
    });
    it('with smoothing ε is (1 − ε)·BCE(real, 1) + ε·BCE(real, 0) on the real term', () => {
      const real = [1.5, -0.75, 3];
      const plain = ganDiscriminator(real, EMPTY, { reduction: 'sum' });
      // BCE(x, 0) − BCE(x, 1) = softplus(x) − softplus(−x) = x, so the ε-part adds ε·Σx = 0.1·3.75
      const smoothed = ganDiscriminator(real, EMPTY, { reduction: 'sum', labelSmoothing: 0.1 });
      expectClose(smoothed, plain + 0.1 * 3.75, { rtol: 1e-15 });
    });
  });

  describe('reductions', () => {
    it("divides each term by its own batch size under 'mean'", () => {
      // real [0, 0] → 2 ln 2 / 2, fake [0] → ln 2 / 1
      expectClose(ganDiscriminator([0, 0], [0]), 2 * LN2, { rtol: 1e-15 });
      expectClose(ganDiscriminator([0, 0], [0], { reduction: 'sum' }), 3 * LN2, { rtol: 1e-15 });
      const { grads } = ganDiscriminator.valueAndGrad([0, 0], [0]);
      expect(Array.from(grads.real.data)).toEqual([-0.25, -0.25]);
      expect(Array.from(grads.fake.data)).toEqual([0.5]);
    });
    it("returns the elementwise sum of the two BCE terms under 'none'", () => {
      const out = ganDiscriminator([0, 700], [0, -700], { reduction: 'none' });
      // [ln 2 + ln 2, softplus(−700) + softplus(−700)] = [2 ln 2, 2·e^−700]
      expectTensorClose(
        out,
        { data: Float64Array.of(2 * LN2, 2 * Math.exp(-700)), shape: [2] },
        {
          rtol: 1e-15,
        },
      );
    });
  });

  describe('edge cases', () => {
    it('stays finite at logits ±700 with gradients ±1 on the wrong side', () => {
      const { value, grads } = ganDiscriminator.valueAndGrad([-700], [700], { reduction: 'sum' });
      expect(value).toBe(1400);
      expect(Array.from(grads.real.data)).toEqual([-1]);
      expect(Array.from(grads.fake.data)).toEqual([1]);
    });
    it('gives 0 (not NaN) for infinite logits on the right side, ∞ on the wrong side', () => {
      const right = ganDiscriminator.valueAndGrad([Infinity], [-Infinity], { reduction: 'sum' });
      expect(right.value).toBe(0);
      expect(Array.from(right.grads.real.data)).toEqual([0]);
      expect(Array.from(right.grads.fake.data)).toEqual([0]);
      expect(ganDiscriminator([-Infinity], [0])).toBe(Infinity);
      // With smoothing the target 1 − ε makes an infinite real logit infinitely wrong too.
      expect(ganDiscriminator([Infinity], [0], { labelSmoothing: 0.1 })).toBe(Infinity);
    });
    it('propagates NaN to value and gradient', () => {
      const { value, grads } = ganDiscriminator.valueAndGrad([NaN], [0]);
      expect(value).toBeNaN();
      expect(grads.real.data[0]).toBeNaN();
    });
    it('gives 0 for two empty batches', () => {
      expect(ganDiscriminator(EMPTY, EMPTY)).toBe(0);
    });
    it('keeps float32 dtype under none', () => {
      const res = evaluate(
        'ganDiscriminator',
        { real: Float32Array.of(0), fake: Float32Array.of(0) },
        { reduction: 'none' },
        { grad: true },
      );
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
      expect((res.value as Tensor).data[0]).toBe(Math.fround(2 * LN2));
      expect(res.grads!.fake.data[0]).toBe(0.5);
    });
  });

  describe('errors', () => {
    it('rejects labelSmoothing outside [0, 1] (E_OPTION)', () => {
      expectLossError(() => ganDiscriminator([0], [0], { labelSmoothing: 1.5 }), 'E_OPTION', [
        'ganDiscriminator',
        "option 'labelSmoothing'",
        '<= 1',
      ]);
      expectLossError(() => ganDiscriminator([0], [0], { labelSmoothing: -0.1 }), 'E_OPTION', [
        '>= 0',
      ]);
    });
    it("rejects different shapes under 'none' (E_SHAPE)", () => {
      expectLossError(() => ganDiscriminator([0, 1], [0], { reduction: 'none' }), 'E_SHAPE', [
        "input 'fake'",
      ]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('ganDiscriminator', { real: 'x', fake: [0] }), 'E_TYPE', [
        "'real'",
      ]);
    });
  });
});
