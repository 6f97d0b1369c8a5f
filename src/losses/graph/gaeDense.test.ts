import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import { checkGradFD, expectClose, expectLossError, tensorOf } from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { gaeDense } from './gaeDense.js';
import { gaeReconstruction } from './gaeReconstruction.js';

const PATH = [
  [0, 1, 0],
  [1, 0, 1],
  [0, 1, 0],
];

describe('gaeDense', () => {
  describe('golden values (tkipf/gae OptimizerAE transcribed in torch)', () => {
    goldenTests('gaeDense', { rtol: 1e-12 });
  });

  describe('gradients', () => {
    it('matches central finite differences', () => {
      const embeddings = tensorOf([5, 3], (i) => Math.sin(i + 2) * 0.9);
      const adjacency = {
        data: Float64Array.of(
          0,
          1,
          0,
          0,
          1,
          1,
          0,
          1,
          0,
          0,
          0,
          1,
          0,
          1,
          1,
          0,
          0,
          1,
          0,
          0,
          1,
          0,
          1,
          0,
          0,
        ),
        shape: [5, 5],
      };
      checkGradFD('gaeDense', { embeddings, adjacency });
    });
  });

  describe('identities', () => {
    it('is norm·(w₊·(ΣA + N) + (N² − ΣA − N))·ln 2 / N² at Z = 0, with zero gradient', () => {
      // path on 3 nodes: ΣA = 4, w₊ = 5/4, norm = 9/10; 7 labels 1, 2 labels 0 → 0.1·(8.75 + 2)·ln 2
      const { value, grads } = gaeDense.valueAndGrad(
        tensorOf([3, 2], () => 0),
        PATH,
      );
      expectClose(value, 1.075 * Math.LN2, { rtol: 1e-15 });
      expect(grads.embeddings.data.every((g) => g === 0)).toBe(true);
    });
    it('equals the edge loss over all N² pairs, weighted by norm·w₊·|P|/N² and norm·|N|/N²', () => {
      // labels 1 on A + I (|P| = 7 pairs), 0 elsewhere (|N| = 2 pairs); gaeReconstruction averages each set
      const z = [
        [0.3, -0.1],
        [0.2, 0.4],
        [-0.5, 0.3],
      ];
      const p = [
        [0, 0, 1, 1, 1, 2, 2],
        [0, 1, 0, 1, 2, 1, 2],
      ];
      const q = [
        [0, 2],
        [2, 0],
      ];
      const none = { data: new Int32Array(0), shape: [2, 0] };
      const wp = (0.9 / 9) * 1.25 * 7;
      const wn = (0.9 / 9) * 2;
      const dense = gaeDense.valueAndGrad(z, PATH);
      const pos = gaeReconstruction.valueAndGrad(z, p, none, { eps: 0 });
      const neg = gaeReconstruction.valueAndGrad(z, none, q, { eps: 0 });
      expectClose(dense.value, wp * pos.value + wn * neg.value, { rtol: 1e-14 });
      for (let i = 0; i < 6; i++) {
        const want = wp * pos.grads.embeddings.data[i] + wn * neg.grads.embeddings.data[i];
        expectClose(dense.grads.embeddings.data[i], want, { rtol: 1e-13, atol: 1e-15 });
      }
    });
    it('uses w₊ = 1/(N − 1) and norm = N/2 on a complete graph', () => {
      // K3 at Z = 0: all 9 labels are 1 → (3/2)/9 · (1/2) · 9 · ln 2 = 0.75 ln 2
      const k3 = [
        [0, 1, 1],
        [1, 0, 1],
        [1, 1, 0],
      ];
      expectClose(
        gaeDense(
          tensorOf([3, 1], () => 0),
          k3,
        ),
        0.75 * Math.LN2,
        { rtol: 1e-15 },
      );
    });
  });

  describe('reductions', () => {
    it("offers 'mean' only and scales its gradient by a number upstream", () => {
      const z = tensorOf([3, 2], (i) => i * 0.3 - 0.4);
      const base = gaeDense.valueAndGrad(z, PATH);
      const up = evaluate(
        'gaeDense',
        { embeddings: z, adjacency: PATH },
        {},
        { grad: true, upstream: -2 },
      );
      for (let i = 0; i < 6; i++)
        expectClose(up.grads!.embeddings.data[i], -2 * base.grads.embeddings.data[i]);
      expectLossError(() => gaeDense(z, PATH, { reduction: 'none' } as never), 'E_OPTION', [
        "option 'reduction'",
      ]);
    });
  });

  describe('edge cases', () => {
    it('gives 0 for a graph of no nodes', () => {
      expect(
        gaeDense(
          { data: new Float64Array(0), shape: [0, 2] },
          { data: new Float64Array(0), shape: [0, 0] },
        ),
      ).toBe(0);
    });
    it('propagates NaN embeddings and keeps float32 gradients', () => {
      expect(gaeDense([[NaN], [1], [0]], PATH)).toBeNaN();
      const z = { data: Float32Array.of(0.1, 0.2, 0.3), shape: [3, 1] };
      const res = evaluate('gaeDense', { embeddings: z, adjacency: PATH }, {}, { grad: true });
      expect(res.grads!.embeddings.data).toBeInstanceOf(Float32Array);
    });
    it('accepts boolean adjacency entries', () => {
      const b = PATH.map((r) => r.map((v) => v === 1));
      const z = [[0.1], [0.2], [0.3]];
      expect(gaeDense(z, b)).toBe(gaeDense(z, PATH));
    });
  });

  describe('errors', () => {
    const z = [[0.1], [0.2], [0.3]];
    it('rejects an adjacency of the wrong size (E_SHAPE)', () => {
      expectLossError(
        () =>
          gaeDense(z, [
            [0, 1],
            [1, 0],
          ]),
        'E_SHAPE',
        ["input 'adjacency'", '(3, 3)', 'shape [2, 2]'],
      );
    });
    it('rejects entries other than 0/1 and self-loops in A (E_RANGE)', () => {
      expectLossError(
        () =>
          gaeDense(z, [
            [0, 0.5, 0],
            [0.5, 0, 1],
            [0, 1, 0],
          ]),
        'E_RANGE',
        ['entries 0 or 1', '0.5 at [0, 1]'],
      );
      expectLossError(
        () =>
          gaeDense(z, [
            [1, 1, 0],
            [1, 0, 1],
            [0, 1, 0],
          ]),
        'E_RANGE',
        ['zero diagonal', 'at [0, 0]'],
      );
    });
    it('rejects an asymmetric adjacency (E_INPUT)', () => {
      expectLossError(
        () =>
          gaeDense(z, [
            [0, 1, 0],
            [0, 0, 1],
            [0, 1, 0],
          ]),
        'E_INPUT',
        ['symmetric', 'A[0, 1] = 1 but A[1, 0] = 0'],
      );
    });
    it('rejects a graph without edges, whose pos_weight is undefined (E_RANGE)', () => {
      expectLossError(
        () =>
          gaeDense(z, [
            [0, 0, 0],
            [0, 0, 0],
            [0, 0, 0],
          ]),
        'E_RANGE',
        ['at least one edge'],
      );
    });
  });
});
