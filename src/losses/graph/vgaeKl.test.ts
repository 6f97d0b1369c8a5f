import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { vaeKl } from '../generative/vaeKl.js';
import { vgaeKl } from './vgaeKl.js';

describe('vgaeKl', () => {
  describe('golden values (PyG VGAE.kl_loss transcribed in torch)', () => {
    goldenTests('vgaeKl', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences below the clamp', () => {
      const mu = tensorOf([4, 3], (i) => Math.sin(i) * 1.2);
      const logStd = tensorOf([4, 3], (i) => Math.cos(3 * i) * 0.8);
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD('vgaeKl', { mu, logStd }, { reduction });
    });
    it('passes no gradient to logStd above 10 and the full one at 10 (torch’s clamp)', () => {
      const { grads } = vgaeKl.valueAndGrad([[0, 0]], [[10, 10.5]], { reduction: 'sum' });
      expectClose(grads.logStd.data[0], Math.expm1(20), { rtol: 1e-15 });
      expect(grads.logStd.data[1]).toBe(0);
    });
  });

  describe('identities', () => {
    it('equals vaeKl with logVar = 2·logStd, in value and gradient (chain factor 2)', () => {
      const mu = tensorOf([3, 4], (i) => Math.cos(i) - 0.3);
      const logStd = tensorOf([3, 4], (i) => Math.sin(2 * i) * 1.5);
      const logVar = tensorOf([3, 4], (i) => 2 * logStd.data[i]);
      const g = vgaeKl.valueAndGrad(mu, logStd);
      const v = vaeKl.valueAndGrad(mu, logVar);
      expectClose(g.value, v.value, { rtol: 1e-14 });
      for (let i = 0; i < 12; i++) {
        expectClose(g.grads.mu.data[i], v.grads.mu.data[i], { rtol: 1e-15 });
        expectClose(g.grads.logStd.data[i], 2 * v.grads.logVar.data[i], { rtol: 1e-14 });
      }
    });
    it('is 0 at the prior and caps log σ at 10', () => {
      expect(vgaeKl([[0, 0]], [[0, 0]])).toBe(0);
      expect(vgaeKl([[0]], [[50]])).toBe(vgaeKl([[0]], [[10]]));
    });
  });

  describe('reductions', () => {
    it("gives one KL per node under 'none', their sum and their mean", () => {
      // ½Σμ² at log σ = 0: 2.5 and 0.5
      const mu = [
        [1, 2],
        [1, 0],
      ];
      const ls = [
        [0, 0],
        [0, 0],
      ];
      const out = vgaeKl(mu, ls, { reduction: 'none' });
      expect(out.shape).toEqual([2]);
      expect(Array.from(out.data)).toEqual([2.5, 0.5]);
      expect(vgaeKl(mu, ls, { reduction: 'sum' })).toBe(3);
      expect(vgaeKl(mu, ls)).toBe(1.5);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for no nodes, +∞ for log σ = −∞, and propagates NaN (zero logStd gradient there, as torch)', () => {
      const e = { data: new Float64Array(0), shape: [0, 2] };
      expect(vgaeKl(e, e)).toBe(0);
      expect(vgaeKl([[0]], [[-Infinity]])).toBe(Infinity);
      const { value, grads } = vgaeKl.valueAndGrad([[0]], [[NaN]]);
      expect(value).toBeNaN();
      expect(grads.logStd.data[0]).toBe(0);
    });
    it('keeps float32 dtype under none', () => {
      const t = { data: Float32Array.of(1, 2), shape: [1, 2] };
      const z = { data: Float32Array.of(0, 0), shape: [1, 2] };
      const res = evaluate('vgaeKl', { mu: t, logStd: z }, { reduction: 'none' });
      expect((res.value as Tensor).data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects mu that is not (N, D) and a logStd of another shape (E_SHAPE)', () => {
      expectLossError(() => vgaeKl([0, 1], [0, 1]), 'E_SHAPE', ['vgaeKl', "input 'mu'", '(N, D)']);
      expectLossError(() => vgaeKl([[0, 1]], [[0]]), 'E_SHAPE', ["input 'logStd'"]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(() => evaluate('vgaeKl', { mu: 'x', logStd: [[0]] }), 'E_TYPE', ["'mu'"]);
    });
  });
});
