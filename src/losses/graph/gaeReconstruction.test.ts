import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { ganDiscriminator } from '../generative/ganDiscriminator.js';
import { gaeReconstruction } from './gaeReconstruction.js';
import { MAX_NEGATIVE_SAMPLES, negativeSampling } from './negativeSampling.js';

const Z = [
  [0.5, -0.2],
  [0.4, 0.1],
  [-0.3, 0.8],
  [0.2, 0.6],
];
const POS = [
  [0, 1, 2],
  [1, 2, 3],
];
const NEG = [
  [0, 3],
  [2, 1],
];
const NO_EDGES = { data: new Int32Array(0), shape: [2, 0] };

/** Decoder logits z_i·z_j of an edge list (for the derivations below). */
function logits(z: number[][], e: number[][]): number[] {
  return e[0].map((i, k) => z[i][0] * z[e[1][k]][0] + z[i][1] * z[e[1][k]][1]);
}

describe('gaeReconstruction', () => {
  describe('golden values (PyG GAE.recon_loss transcribed in torch)', () => {
    goldenTests('gaeReconstruction', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences with and without eps', () => {
      const embeddings = tensorOf([5, 3], (i) => Math.sin(i + 1));
      const posEdges = { data: Int32Array.of(0, 1, 2, 3, 4, 1, 2, 3, 4, 0), shape: [2, 5] };
      const negEdges = { data: Int32Array.of(0, 2, 4, 3, 0, 1), shape: [2, 3] };
      for (const eps of [1e-15, 0, 0.01])
        checkGradFD('gaeReconstruction', { embeddings, posEdges, negEdges }, { eps });
    });
    it('gives a self-loop the gradient 2·z_i times the slope', () => {
      // v = |z_0|² = 1, loss −log σ(1) with eps 0, slope −σ(−1): gradient −2σ(−1)·z_0
      const { grads } = gaeReconstruction.valueAndGrad([[0.6, 0.8]], [[0], [0]], NO_EDGES, {
        eps: 0,
      });
      const s = 1 / (1 + Math.exp(1));
      expectClose(grads.embeddings.data[0], -2 * s * 0.6, { rtol: 1e-15 });
      expectClose(grads.embeddings.data[1], -2 * s * 0.8, { rtol: 1e-15 });
    });
  });

  describe('identities', () => {
    it('with eps = 0 equals ganDiscriminator on the decoder logits (BCE with logits, each mean)', () => {
      // −mean log σ(v⁺) − mean log(1 − σ(v⁻)) = mean BCE(v⁺, 1) + mean BCE(v⁻, 0)
      const g = gaeReconstruction(Z, POS, NEG, { eps: 0 });
      expectClose(g, ganDiscriminator(logits(Z, POS), logits(Z, NEG)), { rtol: 1e-14 });
    });
    it('differs from the exact BCE by at most eps/σ per edge (PyG’s EPS = 1e-15)', () => {
      const exact = gaeReconstruction(Z, POS, NEG, { eps: 0 });
      const pyg = gaeReconstruction(Z, POS, NEG);
      expect(Math.abs(pyg - exact)).toBeLessThan(1e-14);
      expect(pyg).toBeLessThan(exact);
    });
    it('caps the loss of a hopeless edge at −log(eps)', () => {
      // v = −700 on a positive edge: −log(σ(−700) + 1e-15) = −log(1e-15 + 1e-304)
      const z = [[Math.sqrt(700)], [-Math.sqrt(700)]];
      const v = gaeReconstruction(z, [[0], [1]], NO_EDGES);
      expectClose(v, -Math.log(1e-15), { rtol: 1e-15 });
      expect(gaeReconstruction(z, [[0], [1]], NO_EDGES, { eps: 0 })).toBe(700);
    });
  });

  describe('reductions', () => {
    it('averages positive and negative edges separately and adds the means', () => {
      // one positive edge with v = 0 (ln 2) and two negative edges with v = 0 (ln 2 each)
      const z = [
        [1, 0],
        [0, 1],
        [0, 0],
      ];
      const v = gaeReconstruction(
        z,
        [[0], [1]],
        [
          [0, 1],
          [2, 2],
        ],
        { eps: 0 },
      );
      expectClose(v, 2 * Math.LN2, { rtol: 1e-15 });
      const up = evaluate(
        'gaeReconstruction',
        {
          embeddings: z,
          posEdges: [[0], [1]],
          negEdges: [
            [0, 1],
            [2, 2],
          ],
        },
        { eps: 0 },
        { grad: true, upstream: 3 },
      );
      const base = gaeReconstruction.valueAndGrad(
        z,
        [[0], [1]],
        [
          [0, 1],
          [2, 2],
        ],
        { eps: 0 },
      );
      for (let i = 0; i < 6; i++)
        expectClose(up.grads!.embeddings.data[i], 3 * base.grads.embeddings.data[i]);
    });
    it("offers 'mean' only", () => {
      expectLossError(
        () => gaeReconstruction(Z, POS, NEG, { reduction: 'sum' } as never),
        'E_OPTION',
        ["option 'reduction'"],
      );
    });
  });

  describe('edge cases', () => {
    it('gives 0 (not PyG’s NaN) for empty edge sets, with zero gradient', () => {
      const { value, grads } = gaeReconstruction.valueAndGrad(Z, NO_EDGES, NO_EDGES);
      expect(value).toBe(0);
      expect(grads.embeddings.data.every((g) => g === 0)).toBe(true);
    });
    it('takes its negatives from the seeded negativeSampling helper', () => {
      const neg = negativeSampling(POS, 4, { seed: 7 });
      const a = gaeReconstruction(Z, POS, neg);
      expect(gaeReconstruction(Z, POS, negativeSampling(POS, 4, { seed: 7 }))).toBe(a);
      expect(Number.isFinite(a)).toBe(true);
    });
    it('refuses more than 2^22 negative samples per call with E_RANGE before allocating', () => {
      // 100,000 nodes have 100,000 · 99,999 ≈ 1e10 non-edges, so the request itself decides.
      const none = { data: new Int32Array(0), shape: [2, 0] };
      expectLossError(
        () => negativeSampling(none, 100_000, { numNegSamples: MAX_NEGATIVE_SAMPLES + 1 }),
        'E_RANGE',
        [`at most ${MAX_NEGATIVE_SAMPLES} negative edges`, `${MAX_NEGATIVE_SAMPLES + 1}`],
      );
      // 3,000 nodes without edges: 3,000 · 2,999 = 8,997,000 non-edges, all of them requested.
      expectLossError(() => negativeSampling(none, 3000, { numNegSamples: 10 ** 9 }), 'E_RANGE', [
        '8997000 (numNegSamples = 1000000000, 8997000 non-edges)',
      ]);
      expect(negativeSampling(none, 3000, { numNegSamples: 5 }).shape).toEqual([2, 5]);
    });
    it('propagates NaN embeddings', () => {
      expect(
        gaeReconstruction(
          [
            [NaN, 0],
            [1, 1],
          ],
          [[0], [1]],
          NO_EDGES,
        ),
      ).toBeNaN();
    });
    it('computes float32 embeddings in float64 and returns float32 gradients', () => {
      const z = { data: Float32Array.of(0.5, -0.2, 0.4, 0.1), shape: [2, 2] };
      const res = evaluate(
        'gaeReconstruction',
        { embeddings: z, posEdges: [[0], [1]], negEdges: [[1], [0]] },
        {},
        {
          grad: true,
        },
      );
      expect(res.grads!.embeddings.data).toBeInstanceOf(Float32Array);
      expect(typeof res.value).toBe('number');
    });
  });

  describe('errors', () => {
    it('rejects an edge index that is not (2, E) (E_SHAPE)', () => {
      expectLossError(() => gaeReconstruction(Z, [[0, 1, 2]], NEG), 'E_SHAPE', [
        'gaeReconstruction',
        "input 'posEdges'",
        '(2, E)',
        'shape [1, 3]',
      ]);
    });
    it('rejects a node id outside [0, N) (E_RANGE)', () => {
      expectLossError(() => gaeReconstruction(Z, POS, [[0], [4]]), 'E_RANGE', [
        "input 'negEdges'",
        '[0, 3]',
        '4 at [1, 0]',
      ]);
    });
    it('rejects embeddings that are not (N, D) (E_SHAPE)', () => {
      expectLossError(() => gaeReconstruction([1, 2, 3], POS, NEG), 'E_SHAPE', [
        "input 'embeddings'",
        '(N, D)',
      ]);
    });
    it('rejects non-integer node ids (E_TYPE) and a negative eps (E_OPTION)', () => {
      expectLossError(() => gaeReconstruction(Z, [[0.5], [1]], NEG), 'E_TYPE', ["'posEdges'"]);
      expectLossError(() => gaeReconstruction(Z, POS, NEG, { eps: -1 }), 'E_OPTION', [
        "option 'eps'",
      ]);
    });
  });
});

describe('negativeSampling', () => {
  const pos = { data: Int32Array.of(0, 1, 2, 1, 2, 0), shape: [2, 3] };
  const pairs = (t: Tensor<Int32Array>): string[] => {
    const k = t.shape[1];
    return Array.from({ length: k }, (_, c) => `${t.data[c]}-${t.data[k + c]}`);
  };

  it('draws as many distinct non-edges as there are positive edges by default', () => {
    const neg = negativeSampling(pos, 5);
    expect(neg.shape).toEqual([2, 3]);
    const p = pairs(neg);
    expect(new Set(p).size).toBe(3);
    for (const x of p) {
      const [i, j] = x.split('-').map(Number);
      expect(i).not.toBe(j);
      expect(['0-1', '1-2', '2-0']).not.toContain(x);
    }
  });
  it('is deterministic in its seed and changes with it', () => {
    const a = negativeSampling(pos, 50, { numNegSamples: 20, seed: 3 });
    const b = negativeSampling(pos, 50, { numNegSamples: 20, seed: 3 });
    const c = negativeSampling(pos, 50, { numNegSamples: 20, seed: 4 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });
  it('returns every non-edge, once, when asked for more than exist', () => {
    // 3 nodes: 6 off-diagonal pairs, 3 of them positive
    const neg = negativeSampling(pos, 3, { numNegSamples: 10 });
    expect(pairs(neg).sort()).toEqual(['0-2', '1-0', '2-1']);
  });
  it('samples uniformly: each of the 17 non-edges of 5 nodes is drawn about equally often', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 2000; seed++)
      for (const x of pairs(negativeSampling(pos, 5, { numNegSamples: 2, seed })))
        counts.set(x, (counts.get(x) ?? 0) + 1);
    expect(counts.size).toBe(17);
    // 4000 draws over 17 pairs: 235.3 expected each; ±5 standard deviations ≈ ±75
    for (const v of counts.values()) expect(Math.abs(v - 4000 / 17)).toBeLessThan(75);
  });
  it('gives an empty index for graphs without room for negatives', () => {
    expect(negativeSampling({ data: new Int32Array(0), shape: [2, 0] }, 1).shape).toEqual([2, 0]);
  });
  it('rejects bad arguments with LossError', () => {
    expectLossError(() => negativeSampling(pos, 2), 'E_RANGE', ['negativeSampling', "'posEdges'"]);
    expectLossError(() => negativeSampling(pos, 2.5), 'E_OPTION', ["option 'numNodes'"]);
    expectLossError(() => negativeSampling(pos, 5, { seed: 0.5 }), 'E_OPTION', ["option 'seed'"]);
    expectLossError(() => negativeSampling(pos, 5, { count: 1 } as never), 'E_OPTION', [
      "option 'count'",
    ]);
  });
});
