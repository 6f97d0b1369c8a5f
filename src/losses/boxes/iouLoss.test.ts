import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { iouLoss } from './iouLoss.js';
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

/** Only overlapping pairs (IoU = 0 is flat, and the log mode would sit on the eps clamp). */
const P = [PRED[0], PRED[1], PRED[3]];
const T = [TARGET[0], TARGET[1], TARGET[3]];

describe('iouLoss', () => {
  describe('golden values (mmdet iou_loss transcribed in torch)', () => {
    goldenTests('iouLoss', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('iouLoss', [{ mode: 'linear' }, { mode: 'log' }, { mode: 'square' }], P, T);
    it('has no gradient for disjoint boxes (IoU clamped at eps is flat)', () => {
      const { grads } = iouLoss.valueAndGrad([[0, 0, 1, 1]], [[2, 2, 3, 3]], { mode: 'log' });
      expect(Array.from(grads.input.data)).toEqual([0, 0, 0, 0]);
    });
    it('passes the intersection gradient at exactly touching edges (mmdet clamp(min = 0))', () => {
      // pred (1,0,2,1) touches target (0,0,1,1) at x = 1: iw = min(2,1) − max(1,0) = 0, ih = 1,
      // I = 0, U = 2. torch's clamp(min = 0) passes the gradient at 0, so dI/dx1 = −ih = −1 and
      // d(1 − I/U)/dx1 = −(dI/dx1)/U = ½ (torchvision's losses, which mask I, give 0 here).
      const { grads } = iouLoss.valueAndGrad([[1, 0, 2, 1]], [[0, 0, 1, 1]], { eps: 0 });
      expectClose(grads.input.data[0], 0.5, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('relates its modes: log = −ln(1 − linear), square = 1 − (1 − linear)²', () => {
      const lin = iouLoss(boxes(P), boxes(T), { reduction: 'none' }).data;
      const log = iouLoss(boxes(P), boxes(T), { reduction: 'none', mode: 'log' }).data;
      const sq = iouLoss(boxes(P), boxes(T), { reduction: 'none', mode: 'square' }).data;
      for (let i = 0; i < 3; i++) {
        expectClose(log[i], -Math.log(1 - lin[i]), { rtol: 1e-14 });
        expectClose(sq[i], 1 - (1 - lin[i]) ** 2, { rtol: 1e-14 });
      }
    });
    it('gives 1 − 1/9 and ln 9 on the pair of papers.md §6.8', () => {
      expectClose(iouLoss([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number, 8 / 9, {
        rtol: 1e-15,
      });
      expectClose(
        iouLoss([[1, 1, 4, 3]], [[0, 0, 2, 2]], { mode: 'log', eps: 0 }) as number,
        Math.log(9),
        { rtol: 1e-15 },
      );
    });
    it('clamps the IoU at eps, so disjoint boxes give −ln eps in log mode', () => {
      expectClose(
        iouLoss([[0, 0, 1, 1]], [[2, 2, 3, 3]], { mode: 'log' }) as number,
        -Math.log(1e-7),
      );
    });
    formatInvarianceGroup('iouLoss', { mode: 'log' });
  });

  describe('reductions', () => {
    reductionGroup('iouLoss');
  });

  describe('edge cases', () => {
    edgeGroup('iouLoss');
    it('gives 1 for two zero-area boxes (the union is max(0, eps), the IoU clamped at eps)', () => {
      expectClose(iouLoss([[1, 1, 1, 1]], [[1, 1, 1, 1]]) as number, 1 - 1e-7);
    });
  });

  describe('errors', () => {
    errorGroup('iouLoss');
    it("rejects an unknown mode with E_OPTION listing 'linear', 'log' and 'square'", () => {
      expectLossError(
        () => iouLoss(boxes(PRED), boxes(TARGET), { mode: 'exp' as 'log' }),
        'E_OPTION',
        ["option 'mode'", 'linear', 'square'],
      );
    });
  });
});
