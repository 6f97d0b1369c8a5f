import { describe, expect, it } from 'vitest';
import { evaluate } from '../registry.js';
import { expectClose, expectLossError, seededRandom } from '../test-support/check.js';
import { goldenTests } from '../test-support/golden.js';
import { distributionCrossEntropy } from './distributionCrossEntropy.js';
import { entropy } from './entropy.js';
import { klDivergence } from './klDivergence.js';

/** Seed 004: 35% sunny, 35% partly sunny, 10%, 10%, 4%, 4%, 1% and 1% thunderstorm. */
const WEATHER = [0.35, 0.35, 0.1, 0.1, 0.04, 0.04, 0.01, 0.01];
/** Code lengths 5, 5, 4, 4, 3, 3, 2, 2 bits imply q = 2^−length (the catalog's reading). */
const CODE = [5, 5, 4, 4, 3, 3, 2, 2].map((l) => 2 ** -l);

describe('entropy', () => {
  describe('golden values (scipy.special.entr)', () => {
    goldenTests('entropy');
  });

  describe("seed 004's worked examples", () => {
    it('gives 2.23 bits for the weather distribution', () => {
      expect((entropy(WEATHER, { base: 2 }) as number).toFixed(2)).toBe('2.23');
    });
    it('gives 4.58 bits of cross-entropy for the code: Σ p·length', () => {
      const ce = distributionCrossEntropy(WEATHER, CODE, { base: 2 }) as number;
      // 2·(0.35·5 + 0.1·4 + 0.04·3 + 0.01·2) = 4.58 exactly in decimal
      expectClose(ce, 4.58);
    });
    it('gives KL = cross-entropy − entropy = 4.58 − 2.23 = 2.35 bits', () => {
      const kl = klDivergence(WEATHER, CODE, { base: 2 }) as number;
      expect(kl.toFixed(2)).toBe('2.35');
    });
    it('gives −ln 0.3 = 1.204 nats for the cat predicted at 0.3 (the article prints 1.203)', () => {
      const v = distributionCrossEntropy([1, 0, 0], [0.3, 0.45, 0.25]) as number;
      expectClose(v, -Math.log(0.3));
      expect(v.toFixed(3)).toBe('1.204');
    });
    it('gives 0.301 for the cat predicted at 0.5 in base 10 (−log10 0.5; 0.693 in nats)', () => {
      expect(
        (distributionCrossEntropy([1, 0, 0], [0.5, 0.3, 0.2], { base: 10 }) as number).toFixed(3),
      ).toBe('0.301');
      expectClose(distributionCrossEntropy([1, 0, 0], [0.5, 0.3, 0.2]) as number, Math.LN2);
    });
  });

  describe('identities', () => {
    it('satisfies cross-entropy = entropy + KL in every base and along any axis', () => {
      const r = seededRandom(4);
      const p = { data: Float64Array.from({ length: 24 }, () => r()), shape: [2, 3, 4] };
      const q = { data: Float64Array.from({ length: 24 }, () => r() + 0.01), shape: [2, 3, 4] };
      for (const base of [Math.E, 2, 10]) {
        for (const axis of [0, 1, -1]) {
          const o = { base, axis };
          const h = evaluate('entropy', { p }, o).value as { data: Float64Array };
          const ce = evaluate('distributionCrossEntropy', { p, q }, o).value as {
            data: Float64Array;
          };
          const kl = evaluate('klDivergence', { p, q }, o).value as { data: Float64Array };
          for (let i = 0; i < h.data.length; i++) expectClose(ce.data[i], h.data[i] + kl.data[i]);
        }
      }
    });
    it('gives log_b C for the uniform distribution and 0 for a point mass', () => {
      expectClose(entropy([0.25, 0.25, 0.25, 0.25], { base: 2 }) as number, 2);
      expect(entropy([0, 1, 0])).toBe(0);
    });
    it('gives KL(p‖p) = 0', () => {
      expect(klDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
    });
  });

  describe('edge cases', () => {
    it('removes the axis: (N, C) gives N values', () => {
      expect(
        entropy([
          [1, 0],
          [0, 1],
        ]),
      ).toEqual({ data: new Float64Array(2), shape: [2] });
    });
    it('propagates NaN and gives NaN for a negative probability', () => {
      expect(entropy([NaN, 0.5])).toBeNaN();
      expect(entropy([-0.1, 1.1])).toBeNaN();
    });
    it('computes float32 input in float64', () => {
      expectClose(entropy(Float32Array.of(0.5, 0.5), { base: 2 }) as number, 1);
    });
  });

  describe('errors', () => {
    it('rejects base 1 and a non-positive base (E_OPTION)', () => {
      expectLossError(() => entropy([0.5, 0.5], { base: 1 }), 'E_OPTION', [
        "'base'",
        'other than 1',
      ]);
      expectLossError(() => entropy([0.5, 0.5], { base: 0 }), 'E_OPTION', ["'base'"]);
    });
    it('rejects an axis out of range (E_OPTION) and a scalar (E_SHAPE)', () => {
      expectLossError(() => entropy([0.5, 0.5], { axis: 2 }), 'E_OPTION', ["'axis'"]);
      expectLossError(() => entropy(0.5), 'E_SHAPE', ["'p'"]);
    });
    it('rejects q of another shape (E_SHAPE)', () => {
      expectLossError(() => klDivergence([0.5, 0.5], [1]), 'E_SHAPE', ["'q'"]);
    });
  });
});
