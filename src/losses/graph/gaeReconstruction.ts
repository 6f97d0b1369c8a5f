import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { reduceSum, unitScale } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import type { Elem } from '../elementwise.js';
import { edgeCount, embeddingRows, NODE_EMBEDDINGS } from './common.js';

/** PyG's EPS in torch_geometric/nn/models/autoencoder.py. */
export const PYG_EPS = 1e-15;

interface GaeReconPlan extends Plan {
  z: FloatArray;
  d: number;
  pos: Int32Array;
  neg: Int32Array;
  numPos: number;
  numNeg: number;
  eps: number;
  /** Float64 gradient accumulator (N·D): edges scatter into it, the kernel then stores it once. */
  acc: Float64Array;
}

/**
 * −log(σ(u) + ε) and its derivative −σ(u)σ(−u)/(σ(u) + ε), from one e = exp(−|u|). For u ≥ 0,
 * σ(u) + ε = 1 + (ε − σ(−u)) goes through log1p, so values near 0 keep their digits (PyG's literal
 * log(σ + EPS) and log(1 − σ + EPS) round there); for u < 0 σ(u) ≤ ½ and the log is direct. With
 * ε = 0 it is softplus(−u) with derivative −σ(−u), finite for every finite u. The positive-edge term
 * is f(v), the negative-edge term f(−v), v = z_i·z_j.
 */
export function negLogSigmoidEpsAt(u: number, eps: number): Elem {
  const e = Math.exp(-Math.abs(u));
  const hi = 1 / (1 + e);
  const lo = e * hi;
  const pos = u >= 0;
  const sp = pos ? hi : lo;
  const sn = pos ? lo : hi;
  if (eps === 0) return { l: Math.max(-u, 0) + Math.log1p(e), g: -sn };
  const l = pos ? -Math.log1p(eps - sn) : -Math.log(sp + eps);
  return { l, g: (-sp * sn) / (sp + eps) };
}

function dot(z: FloatArray, i: number, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += z[i * d + k] * z[j * d + k];
  return s;
}

/**
 * Σ over edges of f(sign·z_i·z_j); with acc, adds c·sign·f′ times z_j to row i and z_i to row j.
 */
function edgeTerm(
  p: GaeReconPlan,
  edges: Int32Array,
  count: number,
  sign: number,
  acc: Float64Array | null,
  c: number,
): number {
  const { z, d, eps } = p;
  const total = new CompensatedSum();
  for (let b = 0; b < count; b += SUM_BLOCK) {
    const end = Math.min(count, b + SUM_BLOCK);
    let s = 0;
    for (let k = b; k < end; k++) {
      const i = edges[k];
      const j = edges[count + k];
      const r = negLogSigmoidEpsAt(sign * dot(z, i, j, d), eps);
      s += r.l;
      if (acc !== null) {
        const w = sign * r.g * c;
        for (let q = 0; q < d; q++) {
          acc[i * d + q] += w * z[j * d + q];
          acc[j * d + q] += w * z[i * d + q];
        }
      }
    }
    total.add(s);
  }
  return total.value();
}

/** Graph autoencoder reconstruction loss on sampled edges, PyG `GAE.recon_loss`. */
export const gaeReconstruction = defineLoss({
  meta: {
    id: 'gaeReconstruction',
    task: 'graph',
    title: 'GAE reconstruction loss (edge sampling)',
    summary:
      'Binary cross-entropy of the inner-product decoder σ(z_i·z_j) on positive edges (label 1) and sampled negative edges (label 0), each averaged separately.',
    formula:
      'L = -\\frac{1}{|E^+|}\\sum_{(i,j)\\in E^+}\\log\\big(\\sigma(z_i^\\top z_j) + \\varepsilon\\big) - \\frac{1}{|E^-|}\\sum_{(i,j)\\in E^-}\\log\\big(1 - \\sigma(z_i^\\top z_j) + \\varepsilon\\big)',
    inputs: [
      NODE_EMBEDDINGS,
      {
        name: 'posEdges',
        role: 'edgeIndex',
        shape: '(2, E)',
        differentiable: false,
        kind: 'index',
        doc: 'Positive (observed) edges as an edge index: row 0 source node ids, row 1 target node ids.',
      },
      {
        name: 'negEdges',
        role: 'edgeIndex',
        shape: "(2, E')",
        differentiable: false,
        kind: 'index',
        doc: 'Negative (non-)edges in the same layout, e.g. from the seeded negativeSampling(posEdges, N) helper.',
      },
    ],
    options: {
      eps: {
        type: 'number',
        default: PYG_EPS,
        min: 0,
        doc: 'ε inside both logs (PyG’s EPS = 1e-15); it caps each edge’s loss at −log ε ≈ 34.5. 0 gives the exact BCE with logits.',
      },
    },
    reductions: ['mean'],
    references: [
      {
        title: 'Kipf & Welling (2016), Variational Graph Auto-Encoders',
        url: 'https://arxiv.org/abs/1611.07308',
      },
      {
        title: 'PyG GAE.recon_loss (torch_geometric/nn/models/autoencoder.py)',
        url: 'https://github.com/pyg-team/pytorch_geometric/blob/master/torch_geometric/nn/models/autoencoder.py',
        implementation: 'torch_geometric.nn.models.GAE.recon_loss',
      },
    ],
    examples: [
      {
        title: 'Four nodes, three positive and two negative edges',
        inputs: {
          embeddings: [
            [0.5, -0.2],
            [0.4, 0.1],
            [-0.3, 0.8],
            [0.2, 0.6],
          ],
          posEdges: [
            [0, 1, 2],
            [1, 2, 3],
          ],
          negEdges: [
            [0, 3],
            [2, 1],
          ],
        },
      },
    ],
    whenToUse:
      'Training a graph autoencoder (GAE/VGAE, Kipf & Welling) or any link-prediction model with an inner-product decoder on a large sparse graph: it scores only the observed edges and a sample of non-edges, so a step costs O((|E⁺| + |E⁻|)·D) instead of the O(N²·D) of the dense reconstruction (gaeDense). The seed’s “reconstruction-loss GNN”.',
    caveats: [
      'The negatives decide what the model learns: resample them every step (negativeSampling with a new seed) and draw about as many as there are positive edges, as PyG does.',
      'The positive and negative terms are averaged separately and added, so their balance does not depend on how many negatives you draw.',
      'ε = 1e-15 inside the logs bounds the loss per edge by about 34.5 and flattens its gradient for very confident mistakes; set eps = 0 for the exact (unbounded) BCE with logits.',
    ],
    notes: [
      "Reduction 'mean' only, as PyG: Σ pos-term / |E⁺| + Σ neg-term / |E⁻|; an empty edge set contributes 0 (PyG’s mean of nothing is NaN).",
      'Self-loops and repeated edges count like any edge (a self-loop scores z_i·z_i, with gradient 2·z_i per unit of loss slope).',
      'Values are computed stably (log1p near σ = 1), so very confident edges keep their digits where PyG’s literal log(1 − σ + EPS) rounds.',
    ],
  },
  prepare: (inputs, options, id): GaeReconPlan => {
    const z = inputs.embeddings;
    const { n, d } = embeddingRows(id, 'embeddings', z);
    const numPos = edgeCount(id, 'posEdges', inputs.posEdges, n);
    const numNeg = edgeCount(id, 'negEdges', inputs.negEdges, n);
    return {
      size: numPos + numNeg,
      outShape: [],
      divisors: { mean: 1 },
      z: z.data,
      d,
      pos: inputs.posEdges.data,
      neg: inputs.negEdges.data,
      numPos,
      numNeg,
      eps: options.eps,
      acc: new Float64Array(n * d),
    };
  },
  writesEveryGrad: true,
  kernel(plan: GaeReconPlan, _out, grads, _seed, scale) {
    const acc = grads === null ? null : plan.acc;
    if (acc !== null) acc.fill(0);
    const sp = edgeTerm(plan, plan.pos, plan.numPos, 1, acc, unitScale(plan.numPos, scale));
    const sn = edgeTerm(plan, plan.neg, plan.numNeg, -1, acc, unitScale(plan.numNeg, scale));
    if (grads !== null && acc !== null) {
      const g = grads.embeddings;
      for (let k = 0; k < acc.length; k++) g[k] = acc[k];
    }
    return reduceSum(sp, plan.numPos) + reduceSum(sn, plan.numNeg);
  },
});
