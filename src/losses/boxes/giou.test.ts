import { describe, expect, it } from 'vitest';
import { expectClose } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
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

describe('giou', () => {
  describe('golden values (torchvision.ops.generalized_box_iou_loss)', () => {
    goldenTests('giou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('giou', [{}, { eps: 1e-3 }]);
    it('gives half the slope to each box where their edges coincide (torch max/min ties)', () => {
      // pred (0,0,1,1) vs target (0,0.5,1,2), eps = 0: x1 and x2 tie. iw = 1, ih = 0.5, I = 0.5,
      // Ap = 1, U = 2, cw = 1, ch = 2, C = 2; L = 1 − I/U + (C − U)/C.
      // d/dx1: d iw = −½ (tie) → dI = −¼; dAp = −1 → dU = dAp − dI = −¾; d cw = −½ (tie) → dC = −1.
      // dL = −(dI·U − I·dU)/U² + (dC − dU)/C − (C − U)·dC/C² = −(−0.5 + 0.375)/4 − 0.125 = −0.09375.
      // d/dx2 mirrors it: dI = ¼, dU = ¾, dC = 1 → −(0.5 − 0.375)/4 + 0.125 = 0.09375.
      const { grads } = giou.valueAndGrad([[0, 0, 1, 1]], [[0, 0.5, 1, 2]], {
        eps: 0,
        reduction: 'sum',
      });
      expectClose(grads.input.data[0], -0.09375, { rtol: 1e-15 });
      expectClose(grads.input.data[2], 0.09375, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('equals the IoU loss when one box contains the other (the union fills the enclosing box)', () => {
      const nested = [PRED[1], PRED[3]];
      const targets = [TARGET[1], TARGET[3]];
      const g = giou(boxes(nested), boxes(targets), { eps: 0, reduction: 'none' });
      const l = iouLoss(boxes(nested), boxes(targets), { eps: 0, reduction: 'none' });
      expect(Array.from(g.data)).toEqual(Array.from(l.data));
    });
    it("reproduces torchvision's test values 0, 0.75, 1.0 and 1.5", () => {
      const b1 = [-1, -1, 1, 1];
      const b2 = [0, 0, 1, 1];
      const b3 = [0, 1, 1, 2];
      const b4 = [1, 1, 2, 2];
      const v = giou([b1, b1, b2, b2], [b1, b2, b3, b4], { reduction: 'none' }).data;
      expectClose(v[0], 0, { atol: 1e-7 });
      expectClose(v[1], 0.75, { rtol: 1e-6 });
      expectClose(v[2], 1.0, { rtol: 1e-6 });
      expectClose(v[3], 1.5, { rtol: 1e-6 });
    });
    it('stays in [0, 2) and exceeds the IoU loss for disjoint boxes', () => {
      const v = giou(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      const l = iouLoss(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      for (const x of v) expect(x >= 0 && x < 2).toBe(true);
      expect(v[2]).toBeGreaterThan(l[2]);
    });
    formatInvarianceGroup('giou');
  });

  describe('reductions', () => {
    reductionGroup('giou');
  });

  describe('edge cases', () => {
    edgeGroup('giou');
    it('gives a finite loss and gradient for a zero-width prediction (eps guards U and C)', () => {
      expectFiniteValueAndGrad('giou');
    });
  });

  describe('errors', () => {
    errorGroup('giou');
  });
});
