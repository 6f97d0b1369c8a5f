import { describe, expect, it } from 'vitest';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { iouLoss } from './iouLoss.js';
import type { Box } from './testing.js';
import {
  boxes,
  edgeGroup,
  errorGroup,
  formatInvarianceGroup,
  PRED,
  reductionGroup,
  TARGET,
} from './testing.js';
import { wiou, WiouRunningMean } from './wiou.js';

/** Predictions inside their targets: the detached W_g² + H_g² is then locally constant. */
const INSIDE_P: Box[] = [
  [0.4, 0.3, 1.5, 1.6],
  [0.1, 0.2, 0.9, 0.7],
];
const INSIDE_T: Box[] = [
  [0, 0, 2, 2],
  [0, 0, 1, 1],
];

/** v3's focusing coefficient r(β) = β/(δ·α^(β−δ)). */
const r = (beta: number, alpha = 1.9, delta = 3) => beta / (delta * Math.pow(alpha, beta - delta));

describe('wiou', () => {
  describe('golden values (Instinct323/wiou iou.py transcribed in torch)', () => {
    goldenTests('wiou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches finite differences for v1 where the detached denominator is constant', () => {
      for (const format of ['xyxy', 'xywh', 'cxcywh'])
        for (const reduction of ['mean', 'none'])
          checkGradFD(
            'wiou',
            { input: boxes(INSIDE_P, format), target: boxes(INSIDE_T, format) },
            { version: 'v1', format, reduction },
          );
    });
    it('scales the v1 gradient by the detached focusing factor in v2 and v3', () => {
      const p = boxes(PRED);
      const t = boxes(TARGET);
      const v1 = wiou.valueAndGrad(p, t, { version: 'v1', reduction: 'none' });
      const liou = iouLoss(p, t, { eps: 0, reduction: 'none' }).data;
      for (const version of ['v2', 'v3'] as const) {
        const v = wiou.valueAndGrad(p, t, { version, iouMean: 0.7, reduction: 'none' });
        for (let k = 0; k < 4; k++) {
          const beta = liou[k] / 0.7;
          const f = version === 'v2' ? Math.sqrt(beta) : r(beta);
          expectClose(v.value.data[k], f * v1.value.data[k], { rtol: 1e-13 });
          for (let c = 0; c < 4; c++)
            expectClose(v.grads.input.data[4 * k + c], f * v1.grads.input.data[4 * k + c], {
              rtol: 1e-12,
              atol: 1e-15,
            });
        }
      }
    });
  });

  describe('identities', () => {
    it('gives R = 1.138828 and L = 1.012292 (v1) on the pair of papers.md §6.8', () => {
      // ρ² = 3.25, W_g² + H_g² = 25: R = e^{0.13}, L_IoU = 8/9
      expectClose(
        wiou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { version: 'v1' }) as number,
        Math.exp(0.13) * (8 / 9),
        { rtol: 1e-15 },
      );
      expectClose(Math.exp(0.13), 1.138828, { rtol: 1e-6 });
    });
    it('has the focusing coefficient of papers.md §6.3: r(δ) = 1, r(1) = 1.20333, largest at β = 1/ln α', () => {
      const p = [[1, 1, 4, 3]];
      const t = [[0, 0, 2, 2]];
      const v1 = wiou(p, t, { version: 'v1' }) as number;
      const liou = 8 / 9;
      expectClose(wiou(p, t, { iouMean: liou / 3 }) as number, v1, { rtol: 1e-14 });
      expectClose((wiou(p, t, { iouMean: liou }) as number) / v1, 1.20333, { rtol: 3e-6 });
      const peak = (wiou(p, t, { iouMean: liou * Math.log(1.9) }) as number) / v1;
      // 1.31042 is printed to 5 decimals
      expectClose(peak, 1.31042, { rtol: 5e-6 });
      for (const b of [1.3, 1.8])
        expect((wiou(p, t, { iouMean: liou / b }) as number) / v1).toBeLessThan(peak);
    });
    it('is the IoU loss for concentric boxes in v1 (R = 1)', () => {
      const p = [[0.5, 0.25, 1.5, 1.75]];
      const t = [[0, 0, 2, 2]];
      expect(wiou(p, t, { version: 'v1' })).toBe(iouLoss(p, t, { eps: 0 }));
    });
    formatInvarianceGroup('wiou');
  });

  describe('the running mean helper', () => {
    it('uses the reference momentum 1 − 0.05^(1/(n·t)) with n·t = 890·34 and starts at 1', () => {
      const m = new WiouRunningMean();
      expectClose(m.momentum, 1 - Math.pow(0.05, 1 / (890 * 34)), { rtol: 1e-15 });
      expect(m.value).toBe(1);
    });
    it('folds in batch means as mean ← (1 − m)·mean + m·batch', () => {
      const m = new WiouRunningMean({ momentum: 0.1 });
      expectClose(m.update([0.2, 0.4]), 0.9 * 1 + 0.1 * 0.3, { rtol: 1e-15 });
      expectClose(m.update(0.5), (0.9 * 1 + 0.1 * 0.3) * 0.9 + 0.05, { rtol: 1e-15 });
      expect(m.update([])).toBe(m.value);
    });
    it('rejects a momentum outside (0, 1] with E_OPTION', () => {
      expectLossError(() => new WiouRunningMean({ momentum: 0 }), 'E_OPTION', ["'momentum'"]);
    });
  });

  describe('reductions', () => {
    reductionGroup('wiou');
  });

  describe('edge cases', () => {
    edgeGroup('wiou');
    it('gives NaN for two zero-area boxes (no eps, as the reference)', () => {
      expect(wiou([[1, 1, 1, 1]], [[1, 1, 1, 1]], { version: 'v1' })).toBeNaN();
    });
  });

  describe('errors', () => {
    errorGroup('wiou');
    it('rejects iouMean = 0 and an unknown version with E_OPTION', () => {
      expectLossError(() => wiou(boxes(PRED), boxes(TARGET), { iouMean: 0 }), 'E_OPTION', [
        "option 'iouMean'",
      ]);
      expectLossError(
        () => wiou(boxes(PRED), boxes(TARGET), { version: 'v4' as 'v1' }),
        'E_OPTION',
        ["option 'version'"],
      );
    });
  });
});
