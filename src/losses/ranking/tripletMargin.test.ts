import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { tripletMargin } from './tripletMargin.js';

const none = { reduction: 'none' } as const;
const data = (v: unknown): number[] => Array.from((v as { data: Float64Array }).data);

describe('tripletMargin', () => {
  describe('golden values (torch.nn.functional.triplet_margin_loss)', () => {
    goldenTests('tripletMargin', { rtol: 1e-12, atol: 1e-14 });
  });

  describe('gradients', () => {
    const anchor = tensorOf([3, 4], (i) => Math.sin(i + 0.5));
    const positive = tensorOf([3, 4], (i) => Math.sin(i + 0.5) + 0.3 * Math.cos(3 * i));
    const negative = tensorOf([3, 4], (i) => Math.cos(1.7 * i));
    it('matches central finite differences for p = 1, 2, 3, with and without swap', () => {
      for (const reduction of ['mean', 'sum', 'none'])
        for (const p of [1, 2, 3])
          for (const swap of [false, true])
            checkGradFD(
              'tripletMargin',
              { anchor, positive, negative },
              { reduction, p, swap, margin: 1.5 },
            );
    });
    it('keeps the full slope at a hinge argument of exactly 0 (torch clamp_min)', () => {
      // eps 0: d(a, p) = 1, d(a, n) = 2, margin 1 → argument 0; ∂/∂a = (a − p)/1 − (a − n)/2
      const { value, grads } = tripletMargin.valueAndGrad([[0, 0]], [[1, 0]], [[0, 2]], {
        eps: 0,
        reduction: 'sum',
      });
      expect(value).toBe(0);
      expect(Array.from(grads.anchor.data)).toEqual([-1, 1]);
    });
    it('gives zero gradient to triplets that already satisfy the margin', () => {
      const { grads } = tripletMargin.valueAndGrad([[0, 0]], [[0.1, 0]], [[5, 5]], {
        reduction: 'sum',
      });
      expect(Array.from(grads.negative.data)).toEqual([0, 0]);
    });
  });

  describe('identities', () => {
    it('adds eps to the difference: d(x, x) = eps·D^(1/p)', () => {
      // a = p = n: loss = margin + d(a,p) − d(a,n) = margin exactly (equal distances cancel)
      expectClose(
        tripletMargin([[1, 2, 3]], [[1, 2, 3]], [[1, 2, 3]], { margin: 0.7 }) as number,
        0.7,
      );
      // p = a, n far: margin + eps·√3 − ‖a − n + eps‖ with a − n = (−3, 0, 0)
      const eps = 1e-6;
      const want = 4 + eps * Math.sqrt(3) - Math.sqrt((-3 + eps) ** 2 + 2 * eps * eps);
      expectClose(
        tripletMargin([[0, 0, 0]], [[0, 0, 0]], [[3, 0, 0]], { margin: 4 }) as number,
        want,
        { rtol: 1e-13 },
      );
    });
    it('with swap is never below the loss without swap (the negative distance can only shrink)', () => {
      const a = [
        [0.3, 0.1],
        [1, -1],
      ];
      const p = [
        [0.9, 0.4],
        [0.2, -0.5],
      ];
      const n = [
        [1.1, 0.5],
        [0.4, 0.6],
      ];
      const plain = data(tripletMargin(a, p, n, none));
      const swapped = data(tripletMargin(a, p, n, { ...none, swap: true }));
      for (let i = 0; i < 2; i++) expect(swapped[i]).toBeGreaterThanOrEqual(plain[i]);
      // the first triplet's positive is closer to the negative than its anchor: swap raises it
      expect(swapped[0]).toBeGreaterThan(plain[0]);
    });
  });

  describe('reductions', () => {
    it("averages over triplets under 'mean' and sums under 'sum'", () => {
      const a = [
        [0, 0],
        [0, 0],
      ];
      const p = [
        [3, 4],
        [0, 1],
      ];
      const n = [
        [0, 1],
        [0, 2],
      ];
      // eps 0: max(0, 1 + 5 − 1) = 5 and max(0, 1 + 1 − 2) = 0
      expectClose(tripletMargin(a, p, n, { eps: 0, reduction: 'sum' }) as number, 5);
      expectClose(tripletMargin(a, p, n, { eps: 0 }) as number, 2.5);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for an empty batch and a 0-d output for 1-D inputs', () => {
      const e = { data: new Float64Array(0), shape: [0, 4] };
      expect(tripletMargin(e, e, e)).toBe(0);
      expect((tripletMargin([1, 0], [0, 1], [1, 1], none) as { shape: number[] }).shape).toEqual(
        [],
      );
    });
    it('propagates NaN and gives +∞ for an infinitely distant positive', () => {
      expect(tripletMargin([[NaN, 0]], [[0, 0]], [[1, 1]])).toBeNaN();
      expect(tripletMargin([[0, 0]], [[Infinity, 0]], [[1, 1]])).toBe(Infinity);
    });
    it('keeps float32 under none', () => {
      const f = { data: Float32Array.of(0.5, 1), shape: [1, 2] };
      const out = tripletMargin(f, [[0, 0]], [[1, 1]], none);
      expect(typeof out === 'object' && out.data instanceof Float32Array).toBe(true);
    });
  });

  describe('errors', () => {
    it('rejects embeddings of different sizes (E_SHAPE)', () => {
      expectLossError(() => tripletMargin([[1, 2]], [[1, 2]], [[1, 2, 3]]), 'E_SHAPE', [
        'tripletMargin',
        "'negative'",
        '[1, 2]',
        '[1, 3]',
      ]);
    });
    it('rejects p < 1 and a negative eps (E_OPTION)', () => {
      expectLossError(() => tripletMargin([[1]], [[1]], [[1]], { p: 0.5 }), 'E_OPTION', [
        "option 'p'",
        '>= 1',
      ]);
      expectLossError(() => tripletMargin([[1]], [[1]], [[1]], { eps: -1 }), 'E_OPTION', [
        "option 'eps'",
      ]);
    });
    it('rejects a string input (E_TYPE)', () => {
      expectLossError(
        () => evaluate('tripletMargin', { anchor: 'a', positive: [[1]], negative: [[1]] }),
        'E_TYPE',
        ["'anchor'"],
      );
    });
  });
});
