import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { iouLoss } from './iouLoss.js';
import { siou } from './siou.js';
import {
  boxes,
  edgeGroup,
  errorGroup,
  fdGroup,
  formatInvarianceGroup,
  PRED,
  reductionGroup,
  TARGET,
} from './testing.js';

describe('siou', () => {
  describe('golden values (mmyolo SIoU transcribed in torch, no final clamp)', () => {
    goldenTests('siou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('siou', [{}, { theta: 2 }, { eps: 1e-3 }]);
  });

  describe('identities', () => {
    it('gives Λ 0.923077, Δ 0.253309, Ω 0.006457 and L 1.018772 on the pair of papers.md §6.8', () => {
      // pred (1,1,4,3), gt (0,0,2,2): σ = (−1.5, −1), sin α = 1/√3.25 (the smaller side), Λ = sin 2α
      // = 2·1.5·1/3.25 = 0.923077; ρ_x = (1.5/4)², ρ_y = (1/3)², Δ = Σ 1 − e^{−(2−Λ)ρ};
      // Ω = (1 − e^{−1/3})⁴ + 0 (equal heights); L = 1 − 1/9 + (Δ + Ω)/2.
      const lam = 3 / 3.25;
      const delta = 2 - Math.exp(-(2 - lam) * (1.5 / 4) ** 2) - Math.exp(-(2 - lam) * (1 / 3) ** 2);
      const omega = (1 - Math.exp(-1 / 3)) ** 4;
      expectClose(lam, 0.923077, { rtol: 1e-6 });
      expectClose(delta, 0.253309, { rtol: 2e-6 });
      expectClose(omega, 0.006457, { rtol: 1e-4 });
      expectClose(
        siou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        1 - 1 / 9 + (delta + omega) / 2,
        {
          rtol: 1e-14,
        },
      );
    });
    it('uses the paper sign: its distance cost is ≥ 0, so SIoU ≥ 1 − IoU (not mmdet/YOLOv6 2 − e^{γρ} with γ = 2 − Λ)', () => {
      const s = siou(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      const l = iouLoss(boxes(PRED), boxes(TARGET), { reduction: 'none', eps: 1e-7 }).data;
      for (let i = 0; i < 4; i++) expect(s[i]).toBeGreaterThanOrEqual(l[i] - 1e-6);
    });
    it('is symmetric under swapping the x and y axes of both boxes (the angle cost picks the smaller angle)', () => {
      const swap = (rows: number[][]) => rows.map((b) => [b[1], b[0], b[3], b[2]]);
      // eps = 0: mmyolo adds eps to the heights only, which would break the symmetry by O(eps)
      const a = siou(boxes(PRED), boxes(TARGET), { reduction: 'none', eps: 0 }).data;
      const b = siou(swap(PRED), swap(TARGET), { reduction: 'none', eps: 0 }).data;
      for (let i = 0; i < 4; i++) expectClose(b[i], a[i], { rtol: 1e-13 });
    });
    formatInvarianceGroup('siou');
  });

  describe('reductions', () => {
    reductionGroup('siou');
  });

  describe('edge cases', () => {
    edgeGroup('siou', {}, false);
    it('gives NaN for concentric boxes, as mmyolo (σ has no eps)', () => {
      const b = [[0, 0, 2, 2]];
      expect(siou(b, b)).toBeNaN();
      expect(siou([[0.5, 0.5, 1.5, 1.5]], b)).toBeNaN();
    });
    it('is finite with a finite gradient for centres on a common axis (sin α = 0 or 1)', () => {
      const { value, grads } = siou.valueAndGrad(
        [
          [2, 0, 3, 1],
          [0, 3, 1, 4],
        ],
        [
          [0, 0, 1, 1],
          [0, 0, 1, 1],
        ],
      );
      expect(Number.isFinite(value)).toBe(true);
      for (const g of grads.input.data) expect(Number.isFinite(g)).toBe(true);
    });
  });

  describe('errors', () => {
    errorGroup('siou');
    it('rejects theta = 0 with E_OPTION', () => {
      expectLossError(() => siou(boxes(PRED), boxes(TARGET), { theta: 0 }), 'E_OPTION', [
        "option 'theta'",
      ]);
    });
  });
});
