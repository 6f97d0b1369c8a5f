import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import type { FloatArray } from '../../core/tensor.js';
import { formatShape } from '../../core/tensor.js';
import { bceAt } from '../generative/common.js';
import { embeddingRows, NODE_EMBEDDINGS } from './common.js';

interface GaeDensePlan extends Plan {
  z: FloatArray;
  adj: FloatArray;
  n: number;
  d: number;
  posWeight: number;
  /** norm / N²: the factor of Σ_ij ℓ_ij. */
  factor: number;
  /** Float64 gradient accumulator (N·D), stored into the gradient buffer once at the end. */
  acc: Float64Array;
}

/** Checks that the adjacency is (N, N), 0/1, symmetric, with a zero diagonal; returns ΣA. */
function checkAdjacency(id: string, a: { data: FloatArray; shape: number[] }, n: number): number {
  if (a.shape.length !== 2 || a.shape[0] !== n || a.shape[1] !== n) {
    fail(
      'E_SHAPE',
      id,
      "input 'adjacency'",
      `an (N, N) = (${n}, ${n}) matrix (N = rows of embeddings)`,
      `shape ${formatShape(a.shape)}`,
    );
  }
  const x = a.data;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = x[i * n + j];
      if (v !== 0 && v !== 1) {
        fail(
          'E_RANGE',
          id,
          "input 'adjacency'",
          'entries 0 or 1',
          `${describe(v)} at [${i}, ${j}]`,
        );
      }
      if (i === j && v !== 0) {
        fail(
          'E_RANGE',
          id,
          "input 'adjacency'",
          'a zero diagonal (the loss adds the self-loops I to the labels itself)',
          `${describe(v)} at [${i}, ${i}]`,
        );
      }
      if (j > i && v !== x[j * n + i]) {
        fail(
          'E_INPUT',
          id,
          "input 'adjacency'",
          'a symmetric matrix (an undirected graph, each edge in both directions)',
          `A[${i}, ${j}] = ${describe(v)} but A[${j}, ${i}] = ${describe(x[j * n + i])}`,
        );
      }
      edges += v;
    }
  }
  if (n > 0 && edges === 0) {
    fail(
      'E_RANGE',
      id,
      "input 'adjacency'",
      'a graph with at least one edge (pos_weight = (N² − ΣA)/ΣA)',
      'no edges (ΣA = 0)',
    );
  }
  return edges;
}

/** Dense graph autoencoder reconstruction loss of Kipf & Welling's reference code (tkipf/gae). */
export const gaeDense = defineLoss({
  meta: {
    id: 'gaeDense',
    task: 'graph',
    title: 'GAE reconstruction loss (dense, tkipf/gae)',
    summary:
      'Weighted BCE with logits ZZᵀ against the adjacency plus self-loops over all N² node pairs, with the pos_weight and norm of the reference code.',
    formula:
      'L = \\frac{\\text{norm}}{N^2}\\sum_{i,j}\\Big(w_+\\,y_{ij}\\,\\mathrm{softplus}(-x_{ij}) + (1 - y_{ij})\\,\\mathrm{softplus}(x_{ij})\\Big),\\ x = ZZ^\\top,\\ y = A + I,\\ w_+ = \\frac{N^2 - \\sum A}{\\sum A},\\ \\text{norm} = \\frac{N^2}{2(N^2 - \\sum A)}',
    inputs: [
      NODE_EMBEDDINGS,
      {
        name: 'adjacency',
        role: 'adjacency',
        shape: '(N, N)',
        differentiable: false,
        kind: 'float',
        doc: 'Training adjacency A: symmetric, entries 0/1, zero diagonal (self-loops are added to the labels by the loss).',
      },
    ],
    options: {},
    reductions: ['mean'],
    references: [
      {
        title: 'Kipf & Welling (2016), Variational Graph Auto-Encoders',
        url: 'https://arxiv.org/abs/1611.07308',
      },
      {
        title: 'tkipf/gae (gae/optimizer.py, gae/train.py)',
        url: 'https://github.com/tkipf/gae',
        implementation:
          'norm * reduce_mean(weighted_cross_entropy_with_logits(ZZᵀ, A + I, pos_weight))',
      },
    ],
    examples: [
      {
        title: 'A path 0–1–2 on three nodes',
        inputs: {
          embeddings: [
            [0.3, -0.1],
            [0.2, 0.4],
            [-0.5, 0.3],
          ],
          adjacency: [
            [0, 1, 0],
            [1, 0, 1],
            [0, 1, 0],
          ],
        },
      },
    ],
    whenToUse:
      'Reproducing Kipf & Welling’s GAE/VGAE on a small or medium graph (Cora, Citeseer): the full-matrix reconstruction of every node pair, with the positive class re-weighted by pos_weight so the few edges are not drowned by the N² non-edges. For large graphs use gaeReconstruction with sampled negatives.',
    caveats: [
      'Time grows as N²·D: every unordered pair is decoded once (no N × N matrix is stored, but the adjacency input itself is N²); beyond a few thousand nodes use gaeReconstruction with sampled negatives.',
      'The labels include self-loops (A + I) while pos_weight and norm count ΣA without them, exactly as the reference code; ΣA counts each undirected edge twice.',
      'Pass the training adjacency only (held-out edges removed), as in the reference’s mask_test_edges.',
    ],
    notes: [
      "Reduction 'mean' only: the reference's norm · mean over the N² pairs.",
      'The reference computes in float32 (TensorFlow); losskit computes in float64.',
    ],
  },
  prepare: (inputs, _options, id): GaeDensePlan => {
    const z = inputs.embeddings;
    const { n, d } = embeddingRows(id, 'embeddings', z);
    const edges = checkAdjacency(id, inputs.adjacency, n);
    const nn = n * n;
    const posWeight = n === 0 ? 0 : (nn - edges) / edges;
    const norm = n === 0 ? 0 : nn / (2 * (nn - edges));
    return {
      size: nn,
      outShape: [],
      divisors: { mean: 1 },
      z: z.data,
      adj: inputs.adjacency.data,
      n,
      d,
      posWeight,
      factor: n === 0 ? 0 : norm / nn,
      acc: new Float64Array(n * d),
    };
  },
  writesEveryGrad: true,
  kernel(plan: GaeDensePlan, _out, grads, _seed, scale) {
    const { z, adj, n, d, posWeight, factor, acc } = plan;
    const g = grads === null ? null : grads.embeddings;
    // x = ZZᵀ and y = A + I are symmetric, so only the pairs j ≥ i are decoded: an off-diagonal pair
    // counts twice in the sum, and dL/dz_p = 2·factor·Σ_j ℓ′(x_pj)·z_j collects ℓ′(x_ij) into row i
    // (times z_j) and row j (times z_i).
    if (g !== null) acc.fill(0);
    const total = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      const zi = i * d;
      for (let b = i; b < n; b += SUM_BLOCK) {
        const e = Math.min(n, b + SUM_BLOCK);
        let s = 0;
        for (let j = b; j < e; j++) {
          const zj = j * d;
          let x = 0;
          for (let k = 0; k < d; k++) x += z[zi + k] * z[zj + k];
          // y = 1 (an edge or the diagonal): w₊·softplus(−x); y = 0: softplus(x)
          const r = j === i || adj[i * n + j] === 1 ? bceAt(x, posWeight, 0) : bceAt(x, 0, 1);
          if (j === i) {
            s += r.l;
            if (g !== null) for (let k = 0; k < d; k++) acc[zi + k] += r.g * z[zi + k];
          } else {
            s += 2 * r.l;
            if (g !== null) {
              for (let k = 0; k < d; k++) {
                acc[zi + k] += r.g * z[zj + k];
                acc[zj + k] += r.g * z[zi + k];
              }
            }
          }
        }
        total.add(s);
      }
    }
    if (g !== null) {
      const c = 2 * factor * scale;
      for (let k = 0; k < acc.length; k++) g[k] = acc[k] * c;
    }
    return factor * total.value();
  },
});
