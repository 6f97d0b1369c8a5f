import { describe, it } from 'vitest';
import { expectClose } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { diou } from './diou.js';
import { eiou } from './eiou.js';
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

describe('eiou', () => {
  describe('golden values (Efficient-IoU transcribed in torch)', () => {
    goldenTests('eiou', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    fdGroup('eiou', [{}, { eps: 1e-3 }]);
  });

  describe('identities', () => {
    it('exceeds DIoU by exactly (w − w_g)²/(C_w² + eps) + (h − h_g)²/(C_h² + eps)', () => {
      const e = eiou(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      const d = diou(boxes(PRED), boxes(TARGET), { reduction: 'none' }).data;
      for (let i = 0; i < PRED.length; i++) {
        const [x1, y1, x2, y2] = PRED[i];
        const [u1, v1, u2, v2] = TARGET[i];
        const cw = Math.max(x2, u2) - Math.min(x1, u1);
        const ch = Math.max(y2, v2) - Math.min(y1, v1);
        const extra =
          (x2 - x1 - (u2 - u1)) ** 2 / (cw * cw + 1e-7) +
          (y2 - y1 - (v2 - v1)) ** 2 / (ch * ch + 1e-7);
        expectClose(e[i] - d[i], extra, { rtol: 1e-12, atol: 1e-15 });
      }
    });
    it('gives 1.081389 on the pair of papers.md §6.8 (1 − 1/9 + 3.25/25 + 1/16 + 0)', () => {
      expectClose(
        eiou([[1, 1, 4, 3]], [[0, 0, 2, 2]], { eps: 0 }) as number,
        1 - 1 / 9 + 3.25 / 25 + 1 / 16,
        {
          rtol: 1e-15,
        },
      );
    });
    formatInvarianceGroup('eiou');
  });

  describe('reductions', () => {
    reductionGroup('eiou');
  });

  describe('edge cases', () => {
    edgeGroup('eiou');
    it('gives a finite value and gradient for a zero-width prediction', () => {
      expectFiniteValueAndGrad('eiou');
    });
  });

  describe('errors', () => {
    errorGroup('eiou');
  });
});
