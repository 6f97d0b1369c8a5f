import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { cdiou } from './cdiou.js';
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

describe('cdiou', () => {
  describe('golden values (the catalog definition in torch)', () => {
    goldenTests('cdiou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('cdiou', [{}, { lambda: 0.3 }]);
    it('gives no gradient through a corner distance that is 0', () => {
      // pred (0,0,2,1) vs gt (0,0,2,2): corners 1 and 2 coincide; only corners 3, 4 pull y2.
      const g = cdiou.valueAndGrad([[0, 0, 2, 1]], [[0, 0, 2, 2]], { eps: 0 }).grads.input.data;
      for (const x of g) expect(Number.isFinite(x)).toBe(true);
    });
  });

  describe('identities', () => {
    it('gives 1 − 1/9 + (2√2 + 2√5)/20 on the pair of papers.md §6.8', () => {
      expectClose(
        cdiou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        1 - 1 / 9 + (2 * Math.SQRT2 + 2 * Math.sqrt(5)) / 20,
        {
          rtol: 1e-15,
        },
      );
    });
    it('is the IoU loss at lambda = 0', () => {
      const a = cdiou(boxes(PRED), boxes(TARGET), { lambda: 0, eps: 0, reduction: 'none' }).data;
      const b = iouLoss(boxes(PRED), boxes(TARGET), { eps: 0, reduction: 'none' }).data;
      expect(Array.from(a)).toEqual(Array.from(b));
    });
    it('is scale invariant (eps = 0)', () => {
      const k = 4;
      const s = (rows: number[][]) => rows.map((b) => b.map((v) => v * k));
      const a = cdiou(boxes(PRED), boxes(TARGET), { eps: 0, reduction: 'none' }).data;
      const b = cdiou(s(PRED), s(TARGET), { eps: 0, reduction: 'none' }).data;
      for (let i = 0; i < 4; i++) expectClose(b[i], a[i], { rtol: 1e-13 });
    });
    formatInvarianceGroup('cdiou');
  });

  describe('reductions', () => {
    reductionGroup('cdiou');
  });

  describe('edge cases', () => {
    edgeGroup('cdiou');
  });

  describe('errors', () => {
    errorGroup('cdiou');
    it('rejects a negative lambda with E_OPTION', () => {
      expectLossError(() => cdiou(boxes(PRED), boxes(TARGET), { lambda: -1 }), 'E_OPTION', [
        "option 'lambda'",
      ]);
    });
  });
});
