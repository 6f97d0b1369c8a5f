import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { policyGradient } from './policyGradient.js';

const logProbs = [
  [-0.7, -1.2, -0.3],
  [-2.1, -0.4, -5.0],
];
const rewards = [0.8, 0.3];
const baseline = [0.5, 0.6];
const mask = [
  [1, 1, 1],
  [1, 1, 0],
];

describe('policyGradient', () => {
  describe('golden values (SCST loss in torch)', () => {
    goldenTests('policyGradient', { rtol: 1e-13 });
  });

  describe('gradients', () => {
    it('matches central finite differences for every reduction', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        checkGradFD(
          'policyGradient',
          {
            logProbs: toT(logProbs),
            rewards: toT(rewards),
            baseline: toT(baseline),
            mask: toT(mask),
          },
          { reduction },
        );
    });
    it('is −(r − b)·mask/N: the advantage is a constant', () => {
      const { grads } = policyGradient.valueAndGrad(logProbs, rewards, baseline, mask);
      // advantages 0.3 and −0.3 (0.8 − 0.5 and 0.3 − 0.6), N = 2
      const a0 = -(0.8 - 0.5) / 2;
      const a1 = -(0.3 - 0.6) / 2;
      expect(Array.from(grads.logProbs.data)).toEqual([a0, a0, a0, a1, a1, 0]);
    });
  });

  describe('identities', () => {
    it('depends on reward and baseline only through the advantage r − b', () => {
      const a = policyGradient(logProbs, rewards, baseline, mask, { reduction: 'none' });
      const b = policyGradient(logProbs, [0.8 - 0.5, 0.3 - 0.6], undefined, mask, {
        reduction: 'none',
      });
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    });
    it('equals the loss with masked log-probabilities replaced by 0 and no mask', () => {
      const zeroed = [
        [-0.7, -1.2, -0.3],
        [-2.1, -0.4, 0],
      ];
      expect(policyGradient(logProbs, rewards, baseline, mask)).toBe(
        policyGradient(zeroed, rewards, baseline, undefined),
      );
    });
    it('gives −(r − b)·Σ log p per sequence', () => {
      const v = policyGradient(logProbs, rewards, baseline, mask, { reduction: 'none' });
      expectClose(v.data[0], -(0.8 - 0.5) * (-0.7 - 1.2 - 0.3), { rtol: 1e-15 });
      expectClose(v.data[1], -(0.3 - 0.6) * (-2.1 - 0.4), { rtol: 1e-15 });
    });
  });

  describe('reductions', () => {
    it("averages over sequences under 'mean' and adds under 'sum'", () => {
      const none = policyGradient(logProbs, rewards, baseline, mask, { reduction: 'none' });
      const sum = policyGradient(logProbs, rewards, baseline, mask, { reduction: 'sum' });
      expect(none.shape).toEqual([2]);
      expectClose(sum, none.data[0] + none.data[1], { rtol: 1e-15 });
      expectClose(policyGradient(logProbs, rewards, baseline, mask), sum / 2, { rtol: 1e-15 });
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and for sequences of length 0', () => {
      expect(
        policyGradient(
          { data: new Float64Array(0), shape: [0, 3] },
          { data: new Float64Array(0), shape: [0] },
          undefined,
          undefined,
        ),
      ).toBe(0);
      const r = policyGradient.valueAndGrad(
        { data: new Float64Array(0), shape: [2, 0] },
        [1, 2],
        undefined,
        undefined,
      );
      expect(r.value).toBe(0);
      expect(r.grads.logProbs.data.length).toBe(0);
    });
    it('gives −(r − b)·log p for a single one-token sequence', () => {
      const r = policyGradient.valueAndGrad([[-0.5]], [2], [0.5], undefined);
      // −(2 − 0.5)·(−0.5) = 0.75; gradient −(2 − 0.5) = −1.5 (N = 1)
      expect(r.value).toBe(0.75);
      expect(Array.from(r.grads.logProbs.data)).toEqual([-1.5]);
    });
    it('skips a −Infinity log-probability under the mask and propagates one outside it', () => {
      const lp = [[-1, -Infinity]];
      expect(policyGradient(lp, [1], undefined, [[1, 0]])).toBe(1);
      expect(policyGradient(lp, [1], undefined, undefined)).toBe(Infinity);
      expect(policyGradient([[-1, NaN]], [1], undefined, undefined)).toBeNaN();
    });
    it('accepts a boolean mask', () => {
      expect(
        policyGradient(logProbs, rewards, baseline, [
          [true, true, true],
          [true, true, false],
        ]),
      ).toBe(policyGradient(logProbs, rewards, baseline, mask));
    });
    it('keeps float32 under none', () => {
      const out = policyGradient(
        { data: Float32Array.of(-1, -2), shape: [1, 2] },
        [1],
        undefined,
        undefined,
        { reduction: 'none' },
      );
      expect(out.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('rejects logProbs that are not (N, T) (E_SHAPE)', () => {
      expectLossError(() => policyGradient([-1, -2], [1, 1], undefined, undefined), 'E_SHAPE', [
        'policyGradient',
        "'logProbs'",
        '(N, T)',
      ]);
    });
    it('rejects rewards, baseline or mask of the wrong shape (E_SHAPE)', () => {
      expectLossError(() => policyGradient(logProbs, [1], undefined, undefined), 'E_SHAPE', [
        "'rewards'",
        '[2]',
        '[1]',
      ]);
      expectLossError(() => policyGradient(logProbs, rewards, [1, 2, 3], undefined), 'E_SHAPE', [
        "'baseline'",
      ]);
      expectLossError(() => policyGradient(logProbs, rewards, baseline, [[1, 1]]), 'E_SHAPE', [
        "'mask'",
        '[2, 3]',
      ]);
    });
    it('rejects a mask value other than 0 or 1 (E_RANGE)', () => {
      expectLossError(
        () =>
          policyGradient(logProbs, rewards, baseline, [
            [1, 0.5, 1],
            [1, 1, 1],
          ]),
        'E_RANGE',
        ["'mask'", '0/1', '0.5 at flat position 1'],
      );
    });
    it('rejects a non-numeric reward (E_TYPE)', () => {
      expectLossError(() => evaluate('policyGradient', { logProbs, rewards: 'high' }), 'E_TYPE', [
        "'rewards'",
      ]);
    });
    it('rejects options it does not have (E_OPTION)', () => {
      expectLossError(
        () => evaluate('policyGradient', { logProbs, rewards }, { gamma: 0.9 }),
        'E_OPTION',
        ["'gamma'"],
      );
    });
  });
});

function toT(a: number[] | number[][]): { data: Float64Array; shape: number[] } {
  if (Array.isArray(a[0])) {
    const rows = a as number[][];
    return { data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0].length] };
  }
  return { data: Float64Array.from(a as number[]), shape: [a.length] };
}
