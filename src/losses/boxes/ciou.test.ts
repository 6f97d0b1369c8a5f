import { describe, expect, it } from 'vitest';
import { checkGradFD, expectClose } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { ciou } from './ciou.js';
import { diou } from './diou.js';
import type { Box } from './testing.js';
import { boxes, edgeGroup, errorGroup, formatInvarianceGroup, reductionGroup } from './testing.js';

/** Square predictions and targets: v = 0 there, so α·v has no gradient at all. */
const SQUARE_PRED: Box[] = [
  [1, 1, 3, 3],
  [0.1, 0.2, 0.9, 1],
  [-2, -1, 1, 2],
];
const SQUARE_TARGET: Box[] = [
  [0, 0, 2, 2],
  [0, 0, 1.2, 1.2],
  [3, 3, 4, 4],
];

describe('ciou', () => {
  describe('golden values (torchvision.ops.complete_box_iou_loss 0.14)', () => {
    goldenTests('ciou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches finite differences where v = 0 (square boxes) in every format', () => {
      for (const format of ['xyxy', 'xywh', 'cxcywh'])
        for (const reduction of ['mean', 'none'])
          checkGradFD(
            'ciou',
            { input: boxes(SQUARE_PRED, format), target: boxes(SQUARE_TARGET, format) },
            { format, reduction },
          );
    });
    it('holds α constant: the gradient is that of DIoU + α·v with α frozen at its value', () => {
      // pred (1,1,4,3) vs gt (0,0,2,2): with α fixed, d(α v)/dw = α·(8/π²)·a·(−h/(w²+h²)) where
      // a = atan(1) − atan(3/2); the full derivative would add v·dα/dw (torch drops it: no_grad).
      const p = [[1, 1, 4, 3]];
      const t = [[0, 0, 2, 2]];
      const c = ciou.valueAndGrad(p, t).grads.input.data;
      const d = diou.valueAndGrad(p, t).grads.input.data;
      const a = Math.atan(1) - Math.atan(1.5);
      const v = (4 / Math.PI ** 2) * a * a;
      const iou = 1 / (9 + 1e-7);
      const alpha = v / (1 - iou + v + 1e-7);
      const dvdw = (8 / Math.PI ** 2) * a * (-2 / (9 + 4));
      const dvdh = (8 / Math.PI ** 2) * a * (3 / (9 + 4));
      // x2 = x1 + w: d/dx2 = d/dw, d/dx1 = −d/dw
      expectClose(c[2] - d[2], alpha * dvdw, { rtol: 1e-12 });
      expectClose(c[0] - d[0], -alpha * dvdw, { rtol: 1e-12 });
      expectClose(c[3] - d[3], alpha * dvdh, { rtol: 1e-12 });
    });
  });

  describe('identities', () => {
    it('equals DIoU for square boxes (v = 0), value and gradient', () => {
      const a = ciou.valueAndGrad(boxes(SQUARE_PRED), boxes(SQUARE_TARGET));
      const b = diou.valueAndGrad(boxes(SQUARE_PRED), boxes(SQUARE_TARGET));
      expect(a.value).toBe(b.value);
      expect(Array.from(a.grads.input.data)).toEqual(Array.from(b.grads.input.data));
    });
    it('adds α·v = 0.000276 to DIoU on the pair of papers.md §6.8 (v 0.015792, α 0.017456)', () => {
      const p = [[1, 1, 4, 3]];
      const t = [[0, 0, 2, 2]];
      const extra = (ciou(p, t) as number) - (diou(p, t) as number);
      expectClose(extra, 0.015792 * 0.017456, { rtol: 1e-3 });
      expectClose(ciou(p, t) as number, 1.019165, { rtol: 1e-6 });
    });
    formatInvarianceGroup('ciou');
  });

  describe('reductions', () => {
    reductionGroup('ciou');
  });

  describe('edge cases', () => {
    edgeGroup('ciou');
    it('gives a finite value but NaN gradients for a zero-height prediction, as torchvision (w/h has no eps)', () => {
      // atan(2/0) = π/2 is finite; its gradient goes through (1/(1 + ∞))/0 = 0/0.
      const { value, grads } = ciou.valueAndGrad([[0, 1, 2, 1]], [[0, 0, 2, 2]]);
      expect(Number.isFinite(value)).toBe(true);
      expect(grads.input.data[0]).toBeNaN();
      expect(ciou([[1, 1, 1, 1]], [[0, 0, 2, 2]])).toBeNaN();
    });
  });

  describe('errors', () => {
    errorGroup('ciou');
  });
});
