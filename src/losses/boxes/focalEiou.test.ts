import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { eiou } from './eiou.js';
import { focalEiou } from './focalEiou.js';
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

/** IoU = I/(U + 1e-7) of two xyxy boxes, written out. */
function iouOf(p: Box, t: Box): number {
  const iw = Math.max(0, Math.min(p[2], t[2]) - Math.max(p[0], t[0]));
  const ih = Math.max(0, Math.min(p[3], t[3]) - Math.max(p[1], t[1]));
  const inter = iw * ih;
  const union = (p[2] - p[0]) * (p[3] - p[1]) + (t[2] - t[0]) * (t[3] - t[1]) - inter;
  return inter / (union + 1e-7);
}

describe('focalEiou', () => {
  describe('golden values (Focal-EIoU transcribed in torch, IoU^γ detached)', () => {
    goldenTests('focalEiou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    // With γ > 0 the weight is detached by definition, so finite differences apply at γ = 0 only.
    fdGroup('focalEiou', [{ gamma: 0 }]);
    it('is IoU^γ times the EIoU gradient, the weight held constant', () => {
      for (const gamma of [0.5, 2]) {
        const f = focalEiou.valueAndGrad(boxes(PRED), boxes(TARGET), { gamma, reduction: 'none' });
        const e = eiou.valueAndGrad(boxes(PRED), boxes(TARGET), { reduction: 'none' });
        for (let r = 0; r < PRED.length; r++) {
          const w = Math.pow(iouOf(PRED[r], TARGET[r]), gamma);
          expectClose(f.value.data[r], w * e.value.data[r], { rtol: 1e-14, atol: 1e-300 });
          for (let c = 0; c < 4; c++)
            expectClose(f.grads.input.data[4 * r + c], w * e.grads.input.data[4 * r + c], {
              rtol: 1e-12,
              atol: 1e-300,
            });
        }
      }
    });
  });

  describe('identities', () => {
    it('equals eiou at gamma = 0', () => {
      const a = focalEiou(boxes(PRED), boxes(TARGET), { gamma: 0, reduction: 'none' }).data;
      const b = eiou(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      expect(Array.from(a)).toEqual(Array.from(b));
    });
    it('gives 0.360463 on the pair of papers.md §6.8: (1/9)^½ · 1.081389', () => {
      expectClose(
        focalEiou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        Math.sqrt(1 / 9) * (1 - 1 / 9 + 3.25 / 25 + 1 / 16),
        {
          rtol: 1e-15,
        },
      );
    });
    it('gives 0 and no gradient for disjoint boxes (IoU^γ = 0)', () => {
      const { value, grads } = focalEiou.valueAndGrad([PRED[2]], [TARGET[2]]);
      expect(value).toBe(0);
      expect(Array.from(grads.input.data).every((g) => g === 0)).toBe(true);
    });
    formatInvarianceGroup('focalEiou');
  });

  describe('reductions', () => {
    reductionGroup('focalEiou');
  });

  describe('edge cases', () => {
    edgeGroup('focalEiou');
  });

  describe('errors', () => {
    errorGroup('focalEiou');
    it('rejects a negative gamma with E_OPTION', () => {
      expectLossError(() => focalEiou(boxes(PRED), boxes(TARGET), { gamma: -1 }), 'E_OPTION', [
        "option 'gamma'",
        '-1',
      ]);
    });
  });
});
