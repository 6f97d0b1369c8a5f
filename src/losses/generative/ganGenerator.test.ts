import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { decodeTensor, goldenTests, loadGolden } from '../../test-support/golden.js';
import { ganGenerator } from './ganGenerator.js';

describe('ganGenerator', () => {
  describe('golden values (torch binary_cross_entropy_with_logits)', () => {
    goldenTests('ganGenerator', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences for both forms', () => {
      const fake = tensorOf([2, 3], (i) => Math.sin(i + 1) * 4);
      for (const reduction of ['mean', 'sum', 'none'])
        for (const saturating of [false, true])
          checkGradFD('ganGenerator', { fake }, { reduction, saturating });
    });
    it('keeps a gradient near −1 where the saturating form has almost none (D(G(z)) ≪ 0)', () => {
      // d/dx softplus(−x) = −σ(−x) ≈ −1 and d/dx (−softplus(x)) = −σ(x) = −σ(−20) ≈ −2.06e-9 at x = −20
      const ns = ganGenerator.valueAndGrad([-20], { reduction: 'sum' }).grads.fake.data[0];
      const sat = ganGenerator.valueAndGrad([-20], { reduction: 'sum', saturating: true }).grads
        .fake.data[0];
      expectClose(ns, -1 / (1 + Math.exp(-20)), { rtol: 1e-15 });
      expectClose(sat, -Math.exp(-20) / (1 + Math.exp(-20)), { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('matches bceWithLogits(fake, 1) (non-saturating) and −bceWithLogits(fake, 0) (saturating) on its torch fixture', () => {
      // The 'none' cases of test/fixtures/golden/bceWithLogits.json hold torch's per-element values and
      // gradients; every element with target 1 (or 0) is a one-element ganGenerator (or −saturating).
      const file = loadGolden('bceWithLogits');
      let checked = 0;
      for (const name of [
        'reduction=none',
        'logits ±1e-8, ±20, ±40, ±700 against targets 0, 1, 0.3 (none)',
      ]) {
        const c = file.cases.find((k) => k.name === name)!;
        const x = decodeTensor(c.inputs.input).data;
        const y = decodeTensor(c.inputs.target).data;
        const v = decodeTensor(c.value as Parameters<typeof decodeTensor>[0]).data;
        const gx = decodeTensor(c.grads!.input).data;
        for (let i = 0; i < x.length; i++) {
          if (y[i] !== 0 && y[i] !== 1) continue;
          const saturating = y[i] === 0;
          const sign = saturating ? -1 : 1;
          const r = ganGenerator.valueAndGrad([x[i]], { reduction: 'sum', saturating });
          expectClose(sign * r.value, v[i], { rtol: 1e-12 });
          expectClose(sign * r.grads.fake.data[0], gx[i], { rtol: 1e-12 });
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(20);
    });
    it('saturating is mean log(1 − σ(fake)) computed directly', () => {
      const fake = tensorOf([7], (i) => 5 * Math.cos(i));
      let direct = 0;
      for (const x of fake.data) direct += Math.log(1 - 1 / (1 + Math.exp(-x)));
      expectClose(ganGenerator(fake, { saturating: true }), direct / 7, { rtol: 1e-12 });
    });
    it('non-saturating at x is minus saturating at −x, in value and gradient', () => {
      // softplus(−x) = −(−softplus(−x))
      const x = tensorOf([5], (i) => 2 * i - 4.5);
      const neg = tensorOf([5], (i) => -x.data[i]);
      const a = ganGenerator.valueAndGrad(x, { reduction: 'none' });
      const b = ganGenerator.valueAndGrad(neg, { reduction: 'none', saturating: true });
      for (let i = 0; i < 5; i++) {
        expect((a.value as Tensor).data[i]).toBe(-(b.value as Tensor).data[i]);
        expect(a.grads.fake.data[i]).toBe(b.grads.fake.data[i]);
      }
    });
  });

  describe('reductions', () => {
    it("costs ln 2 per logit 0 under 'mean', N·ln 2 under 'sum', and −ln 2 saturating", () => {
      expectClose(ganGenerator([0, 0, 0]), Math.LN2, { rtol: 1e-15 });
      expectClose(ganGenerator([0, 0, 0], { reduction: 'sum' }), 3 * Math.LN2, { rtol: 1e-15 });
      expectClose(ganGenerator([0, 0], { saturating: true }), -Math.LN2, { rtol: 1e-15 });
      expect(Array.from(ganGenerator.valueAndGrad([0, 0]).grads.fake.data)).toEqual([-0.25, -0.25]);
    });
  });

  describe('edge cases', () => {
    it('stays finite at ±700 and is exact at ±∞ (0 or ∞, never NaN)', () => {
      const out = ganGenerator([700, -700, Infinity, -Infinity], { reduction: 'none' });
      expect(Array.from(out.data)).toEqual([Math.exp(-700), 700, 0, Infinity]);
      const sat = ganGenerator([Infinity, -Infinity], { reduction: 'none', saturating: true });
      expect(Array.from(sat.data)).toEqual([-Infinity, 0]);
    });
    it('propagates NaN and gives 0 for an empty batch', () => {
      expect(ganGenerator([NaN])).toBeNaN();
      expect(ganGenerator({ data: new Float64Array(0), shape: [0] })).toBe(0);
    });
    it('keeps float32 dtype', () => {
      const res = evaluate('ganGenerator', { fake: Float32Array.of(0) }, { reduction: 'none' });
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects a non-boolean saturating (E_OPTION)', () => {
      expectLossError(() => ganGenerator([0], { saturating: 1 } as never), 'E_OPTION', [
        'ganGenerator',
        "option 'saturating'",
      ]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('ganGenerator', { fake: 'x' }), 'E_TYPE', ["'fake'"]);
    });
  });
});
