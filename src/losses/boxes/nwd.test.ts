import { describe, expect, it } from 'vitest';
import { expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { nwd } from './nwd.js';
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

describe('nwd', () => {
  describe('golden values (jwwangchn/NWD wasserstein_loss transcribed in torch)', () => {
    goldenTests('nwd', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('nwd', [{}, { constant: 2 }]);
  });

  describe('identities', () => {
    it('gives W₂² = 3.5, NWD 0.864021 and loss 0.135979 on the pair of papers.md §6.8', () => {
      expectClose(
        nwd([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        1 - Math.exp(-Math.sqrt(3.5) / 12.8),
        { rtol: 1e-15 },
      );
      expectClose(1 - Math.exp(-Math.sqrt(3.5) / 12.8), 0.135979, { rtol: 2e-6 });
    });
    it('gives 1 − exp(−√eps/C) ≈ 2.47e-5 for identical boxes, not 0 (eps inside the root)', () => {
      const b = [[3, 4, 7, 9]];
      expectClose(nwd(b, b) as number, 1 - Math.exp(-Math.sqrt(1e-7) / 12.8), { rtol: 1e-9 });
    });
    it('depends only on the centre offset and the size difference (translating both boxes changes nothing)', () => {
      const a = nwd(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      const s = (rows: number[][]) => rows.map((b) => [b[0] + 5, b[1] - 3, b[2] + 5, b[3] - 3]);
      const b = nwd(s(PRED), s(TARGET), { reduction: 'none' }).data;
      for (let i = 0; i < 4; i++) expectClose(b[i], a[i], { rtol: 1e-12 });
    });
    it('still has a gradient for disjoint tiny boxes (where IoU losses are flat)', () => {
      const g = nwd.valueAndGrad([[0, 0, 2, 2]], [[5, 0, 7, 2]]).grads.input.data;
      expect(g[0] + g[2]).toBeLessThan(0);
    });
    formatInvarianceGroup('nwd');
  });

  describe('reductions', () => {
    reductionGroup('nwd');
  });

  describe('edge cases', () => {
    edgeGroup('nwd', {}, false);
  });

  describe('errors', () => {
    errorGroup('nwd');
    it('rejects constant = 0 with E_OPTION', () => {
      expectLossError(() => nwd(boxes(PRED), boxes(TARGET), { constant: 0 }), 'E_OPTION', [
        "option 'constant'",
      ]);
    });
  });
});
