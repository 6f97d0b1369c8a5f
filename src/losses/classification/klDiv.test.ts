import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { klDiv } from './klDiv.js';

const LQ = [
  [Math.log(0.25), Math.log(0.5), Math.log(0.25)],
  [Math.log(0.5), Math.log(0.25), Math.log(0.25)],
];
const P = [
  [0.5, 0.5, 0],
  [0.25, 0.25, 0.5],
];

describe('klDiv', () => {
  describe('golden values (torch.nn.functional.kl_div)', () => {
    goldenTests('klDiv');
  });

  describe('gradients', () => {
    it('matches central finite differences under every reduction, with and without logTarget', () => {
      const input = tensorOf([2, 3], (i) => -0.3 - 0.4 * i);
      const target = tensorOf([2, 3], (i) => [0.2, 0, 0.8][i % 3]);
      for (const reduction of ['mean', 'sum', 'none', 'batchmean']) {
        checkGradFD('klDiv', { input, target }, { reduction });
        checkGradFD(
          'klDiv',
          { input, target: tensorOf([2, 3], (i) => -1 - i / 4) },
          { reduction, logTarget: true },
        );
      }
    });
  });

  describe('identities', () => {
    it("gives the mathematical KL(p ‖ q) per sample under 'batchmean'", () => {
      // KL row 1 = ½ log(½/¼) + ½ log(½/½) = ½ log 2; row 2 = ¼ log(½) + ¼ log 1 + ½ log 2 = ¼ log 2
      expectClose(
        klDiv(LQ, P, { reduction: 'batchmean' }) as number,
        (0.5 * Math.LN2 + 0.25 * Math.LN2) / 2,
      );
    });
    it('gives the same value for a log-probability target with logTarget (targets > 0)', () => {
      const p = [
        [0.5, 0.3, 0.2],
        [0.25, 0.25, 0.5],
      ];
      const logP = p.map((r) => r.map(Math.log));
      expectClose(
        klDiv(LQ, logP, { logTarget: true, reduction: 'sum' }) as number,
        klDiv(LQ, p, { reduction: 'sum' }) as number,
      );
    });
    it('is 0 when the distributions agree', () => {
      expectClose(
        klDiv(
          LQ,
          LQ.map((r) => r.map(Math.exp)),
          { reduction: 'sum' },
        ) as number,
        0,
      );
    });
  });

  describe('reductions', () => {
    it("divides by the element count under 'mean' and by the batch size under 'batchmean'", () => {
      const sum = klDiv(LQ, P, { reduction: 'sum' }) as number;
      expectClose(klDiv(LQ, P) as number, sum / 6);
      expectClose(klDiv(LQ, P, { reduction: 'batchmean' }) as number, sum / 2);
    });
    it("keeps the input shape under 'none' with 0 where the target is 0", () => {
      const out = klDiv(LQ, P, { reduction: 'none' }) as Tensor;
      expect(out.shape).toEqual([2, 3]);
      expect(out.data[2]).toBe(0);
    });
  });

  describe('edge cases', () => {
    it('gives 0 at a zero target even for input −700 (xlogy)', () => {
      expect(klDiv([-700], [0], { reduction: 'sum' })).toBe(0);
    });
    it('propagates NaN', () => {
      expect(klDiv([NaN], [0.5])).toBeNaN();
    });
    it("gives 0 for an empty batch under 'batchmean'", () => {
      const e = { data: new Float64Array(0), shape: [0, 3] };
      expect(evaluate('klDiv', { input: e, target: e }, { reduction: 'batchmean' }).value).toBe(0);
    });
  });

  describe('errors', () => {
    it('rejects a target of another shape with E_SHAPE', () => {
      expectLossError(() => klDiv(LQ, [[0.5, 0.5]]), 'E_SHAPE', [
        'klDiv',
        "'target'",
        '[2, 3]',
        '[1, 2]',
      ]);
    });
    it("rejects an unknown reduction with E_OPTION listing 'batchmean'", () => {
      expectLossError(() => klDiv(LQ, P, { reduction: 'batchMean' as never }), 'E_OPTION', [
        "'batchmean'",
        "Did you mean 'batchmean'?",
      ]);
    });
    it('rejects a string target with E_TYPE', () => {
      expectLossError(() => evaluate('klDiv', { input: [1], target: 'p' }), 'E_TYPE', ["'target'"]);
    });
  });
});
