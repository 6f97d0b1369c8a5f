import { describe, expect, it } from 'vitest';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { alphaIou } from './alphaIou.js';
import { ciou } from './ciou.js';
import { diou } from './diou.js';
import { giou } from './giou.js';
import type { Box } from './testing.js';
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

/** Square boxes: v = 0, so the detached β of the ciou variant has no effect. */
const SQ_P: Box[] = [
  [1, 1, 3, 3],
  [0.1, 0.2, 0.9, 1],
];
const SQ_T: Box[] = [
  [0, 0, 2, 2],
  [0, 0, 1.2, 1.2],
];

describe('alphaIou', () => {
  describe('golden values (α-IoU transcribed in torch)', () => {
    goldenTests('alphaIou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('alphaIou', [
      { variant: 'iou' },
      { variant: 'giou' },
      { variant: 'diou' },
      { variant: 'diou', alpha: 1.5 },
    ]);
    it('matches finite differences for the ciou variant where v = 0', () => {
      for (const format of ['xyxy', 'cxcywh'])
        checkGradFD(
          'alphaIou',
          { input: boxes(SQ_P, format), target: boxes(SQ_T, format) },
          { variant: 'ciou', format },
        );
    });
  });

  describe('identities', () => {
    it('reduces to 1 − IoU, GIoU, DIoU and CIoU at alpha = 1 (same eps placement)', () => {
      const p = boxes(PRED);
      const t = boxes(TARGET);
      const none = { reduction: 'none' } as const;
      const pairs = [
        ['giou', giou(p, t, none).data],
        ['diou', diou(p, t, none).data],
        ['ciou', ciou(p, t, none).data],
      ] as const;
      for (const [variant, want] of pairs) {
        const got = alphaIou(p, t, { variant, alpha: 1, reduction: 'none' }).data;
        for (let i = 0; i < 4; i++) expectClose(got[i], want[i], { rtol: 1e-13, atol: 1e-15 });
      }
    });
    it('gives 1 − (1/9)³ and the α-GIoU 1.014253 of papers.md §6.8', () => {
      const p = [[1, 1, 4, 3]];
      const t = [[0, 0, 2, 2]];
      expectClose(alphaIou(p, t, { eps: 0 }) as number, 1 - 1 / 729, { rtol: 1e-15 });
      expectClose(alphaIou(p, t, { eps: 0, variant: 'giou' }) as number, 1 - 1 / 729 + 0.25 ** 3, {
        rtol: 1e-15,
      });
      // α-DIoU with the clean formula: (3.25/25)³. papers.md's [R] 1.001196 used per-axis powers,
      // which its own correction says commit 39d439e does not do.
      expectClose(alphaIou(p, t, { eps: 0, variant: 'diou' }) as number, 1 - 1 / 729 + 0.13 ** 3, {
        rtol: 1e-14,
      });
    });
    it('weights high-IoU boxes more than the plain IoU loss: the gradient ratio grows with IoU', () => {
      // |d(1 − IoU^α)/dIoU| = α·IoU^(α−1): relative to 1 − IoU it is larger for better boxes.
      const good = alphaIou.valueAndGrad([PRED[1]], [TARGET[1]]).grads.input.data;
      const goodPlain = alphaIou.valueAndGrad([PRED[1]], [TARGET[1]], { alpha: 1 }).grads.input
        .data;
      const poor = alphaIou.valueAndGrad([PRED[0]], [TARGET[0]]).grads.input.data;
      const poorPlain = alphaIou.valueAndGrad([PRED[0]], [TARGET[0]], { alpha: 1 }).grads.input
        .data;
      expect(Math.abs(good[0] / goodPlain[0])).toBeGreaterThan(Math.abs(poor[0] / poorPlain[0]));
    });
    formatInvarianceGroup('alphaIou', { variant: 'diou' });
  });

  describe('reductions', () => {
    reductionGroup('alphaIou', { variant: 'giou' });
  });

  describe('edge cases', () => {
    edgeGroup('alphaIou', { variant: 'diou' });
  });

  describe('errors', () => {
    errorGroup('alphaIou');
    it('rejects alpha = 0 and an unknown variant with E_OPTION', () => {
      expectLossError(() => alphaIou(boxes(PRED), boxes(TARGET), { alpha: 0 }), 'E_OPTION', [
        "option 'alpha'",
      ]);
      expectLossError(
        () => alphaIou(boxes(PRED), boxes(TARGET), { variant: 'eiou' as 'iou' }),
        'E_OPTION',
        ["option 'variant'", 'ciou'],
      );
    });
  });
});
