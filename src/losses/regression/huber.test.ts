import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { huber } from './huber.js';
import { mse } from './mse.js';
import { smoothL1 } from './smoothL1.js';

describe('huber', () => {
  describe('golden values (torch.nn.functional.huber_loss)', () => {
    goldenTests('huber');
  });

  describe('gradients', () => {
    it('matches central finite differences on both branches', () => {
      // Residuals (2·sin − cos) stay away from ±delta for these deltas.
      const input = tensorOf([2, 3], (i) => Math.sin(i + 1) * 2);
      const target = tensorOf([2, 3], (i) => Math.cos(i));
      for (const reduction of ['mean', 'sum', 'none']) {
        for (const delta of [1, 0.3, 5])
          checkGradFD('huber', { input, target }, { reduction, delta });
      }
    });
    it('is continuous at |d| = delta: value ½δ² and gradient ±δ (torch takes the linear branch)', () => {
      const { value, grads } = huber.valueAndGrad([0.5, -0.5], [0, 0], {
        delta: 0.5,
        reduction: 'none',
      });
      expect(Array.from((value as { data: Float64Array }).data)).toEqual([0.125, 0.125]);
      expect(Array.from(grads.input.data)).toEqual([0.5, -0.5]);
    });
  });

  describe('identities', () => {
    it('equals delta · smoothL1(beta = delta) in value and gradient', () => {
      const x = tensorOf([8], (i) => (i - 3.7) * 0.6);
      const y = tensorOf([8], () => 0.1);
      for (const delta of [0.25, 1, 3]) {
        const h = huber.valueAndGrad(x, y, { delta, reduction: 'sum' });
        const s = smoothL1.valueAndGrad(x, y, { beta: delta, reduction: 'sum' });
        expectClose(h.value as number, delta * (s.value as number));
        for (let i = 0; i < 8; i++)
          expectClose(h.grads.input.data[i], delta * s.grads.input.data[i]);
      }
    });
    it('equals half of mse when every residual is below delta', () => {
      const x = [0.5, -0.25, 0.75];
      const y = [0, 0, 0];
      expectClose(huber(x, y) as number, 0.5 * (mse(x, y) as number));
    });
    it('grows linearly beyond delta: delta · (|d| − delta/2)', () => {
      expect(huber([10], [0], { delta: 2 })).toBe(2 * (10 - 1));
    });
  });

  describe('reductions', () => {
    it("sums the 'none' values under 'sum' and averages them under 'mean'", () => {
      const x = [3, -0.5, 0.2, -4];
      const y = [0, 0, 0, 0];
      // 0.5·d² below 1, |d| − 0.5 above: 2.5 + 0.125 + 0.02 + 3.5 = 6.145
      expectClose(huber(x, y, { reduction: 'sum' }) as number, 6.145);
      expectClose(huber(x, y) as number, 6.145 / 4);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for empty input', () => {
      const empty = { data: new Float64Array(0), shape: [0] };
      expect(huber(empty, empty)).toBe(0);
      expect(huber.valueAndGrad(empty, empty).grads.input.data.length).toBe(0);
    });
    it('stays finite with gradient ±delta for huge residuals, and propagates NaN', () => {
      const { value, grads } = huber.valueAndGrad([1e300, -1e300, NaN], [0, 0, 0], {
        reduction: 'none',
      });
      const v = (value as { data: Float64Array }).data;
      expect(v[0]).toBe(1e300);
      expect(v[2]).toBeNaN();
      expect(Array.from(grads.input.data.slice(0, 2))).toEqual([1, -1]);
      expect(grads.input.data[2]).toBeNaN();
    });
    it('keeps float32 dtype under none', () => {
      const out = huber({ data: Float32Array.of(1.5, 2), shape: [2] }, [0, 0], {
        reduction: 'none',
      });
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects delta = 0 and negative delta (E_OPTION), as torch', () => {
      expectLossError(() => huber([1], [0], { delta: 0 }), 'E_OPTION', [
        'huber',
        "option 'delta'",
        '> 0',
        'delta=0',
      ]);
      expectLossError(() => huber([1], [0], { delta: -1 }), 'E_OPTION', ['delta=-1']);
    });
    it('rejects an infinite delta (E_OPTION)', () => {
      expectLossError(() => huber([1], [0], { delta: Infinity }), 'E_OPTION', ['delta=Infinity']);
    });
    it('rejects a target of another shape (E_SHAPE)', () => {
      expectLossError(() => huber([1, 2], [1]), 'E_SHAPE', ['huber', "'target'", '[1]']);
    });
    it('rejects a non-numeric input (E_TYPE)', () => {
      expectLossError(() => evaluate('huber', { input: [true, 'x'], target: [1, 2] }), 'E_TYPE', [
        "'input'",
      ]);
    });
  });
});
