import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { diou } from './diou.js';
import { giou } from './giou.js';
import { iouLoss } from './iouLoss.js';
import {
  boxes,
  edgeGroup,
  errorGroup,
  expectFiniteValueAndGrad,
  fdGroup,
  formatInvarianceGroup,
  PRED,
  reductionGroup,
  TARGET,
} from './testing.js';

describe('diou', () => {
  describe('golden values (torchvision.ops.distance_box_iou_loss)', () => {
    goldenTests('diou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('diou', [{}, { eps: 1e-3 }]);
    it('moves a prediction that encloses its target straight towards it (GIoU gives no pull there)', () => {
      // pred (0,0,4,4) encloses target (2.5,2.5,3.5,3.5): the GIoU penalty is 0 and its gradient
      // only shrinks the box; DIoU's centre term adds −∂ρ²/∂x pointing at the target centre.
      const p = [[0, 0, 4, 4]];
      const t = [[2.5, 2.5, 3.5, 3.5]];
      const d = diou.valueAndGrad(p, t, { reduction: 'sum' }).grads.input.data;
      const g = giou.valueAndGrad(p, t, { reduction: 'sum' }).grads.input.data;
      // translation direction: d/dx1 + d/dx2 (moving both edges right lowers the loss)
      expect(d[0] + d[2]).toBeLessThan(0);
      expectClose(g[0] + g[2], 0, { atol: 1e-12 });
    });
  });

  describe('identities', () => {
    it('equals the IoU loss when the centres coincide', () => {
      const p = [[0.5, 0.25, 1.5, 1.75]];
      const t = [[0, 0, 2, 2]];
      expect(diou(p, t, { eps: 0 })).toBe(iouLoss(p, t, { eps: 0 }));
    });
    it('adds exactly ρ²/c² to the IoU loss (hand-computed pair of papers.md §6.8)', () => {
      // pred (1,1,4,3), gt (0,0,2,2): IoU = 1/9, ρ² = 1.5² + 1² = 3.25, c² = 4² + 3² = 25.
      expectClose(
        diou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        1 - 1 / 9 + 3.25 / 25,
      );
    });
    it("reproduces torchvision's test values 0, 0.8125, 1.1923 and 1.25", () => {
      const b1 = [-1, -1, 1, 1];
      const v = diou([b1, b1, b1, b1], [b1, [0, 0, 1, 1], [0, 1, 1, 2], [1, 1, 2, 2]], {
        reduction: 'none',
      }).data;
      expectClose(v[0], 0, { atol: 1e-7 });
      expectClose(v[1], 0.8125, { rtol: 1e-6 });
      expectClose(v[2], 1.1923, { rtol: 1e-4 });
      expectClose(v[3], 1.25, { rtol: 1e-6 });
    });
    it('is invariant to scaling every coordinate (eps = 0), its gradient scaling by 1/k', () => {
      const k = 7.5;
      const scaled = PRED.map((b) => b.map((v) => v * k) as [number, number, number, number]);
      const st = TARGET.map((b) => b.map((v) => v * k) as [number, number, number, number]);
      const a = diou.valueAndGrad(boxes(PRED), boxes(TARGET), { eps: 0 });
      const b = diou.valueAndGrad(boxes(scaled), boxes(st), { eps: 0 });
      expectClose(b.value, a.value, { rtol: 1e-13 });
      for (let i = 0; i < 16; i++)
        expectClose(b.grads.input.data[i] * k, a.grads.input.data[i], { rtol: 1e-12, atol: 1e-14 });
    });
    formatInvarianceGroup('diou');
  });

  describe('reductions', () => {
    reductionGroup('diou');
  });

  describe('edge cases', () => {
    edgeGroup('diou');
    it('gives a finite loss and gradient for a zero-width prediction and for two points', () => {
      expectFiniteValueAndGrad(
        'diou',
        [
          [1, 0, 1, 2],
          [0.5, 0.5, 0.5, 0.5],
        ],
        [
          [0, 0, 2, 2],
          [0.5, 0.5, 0.5, 0.5],
        ],
      );
    });
  });

  describe('errors', () => {
    errorGroup('diou');
  });
});
