import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireRank, requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';

/** PyG's MAX_LOGSTD: VGAE clamps log σ at 10 before the KL. */
export const PYG_MAX_LOGSTD = 10;

interface VgaeKlPlan extends Plan {
  mu: FloatArray;
  ls: FloatArray;
  d: number;
}

/** VGAE's KL term, PyG `VGAE.kl_loss`. */
export const vgaeKl = defineLoss({
  meta: {
    id: 'vgaeKl',
    task: 'graph',
    title: 'VGAE KL divergence',
    summary:
      'KL(N(μ, σ²) ‖ N(0, I)) per node from μ and log σ (clamped at 10), summed over latent dimensions and averaged over nodes, as PyG’s VGAE.kl_loss.',
    formula:
      '\\ell_n = -\\tfrac12\\sum_d\\big(1 + 2s_{nd} - \\mu_{nd}^2 - e^{2s_{nd}}\\big),\\ s = \\min(\\log\\sigma, 10),\\quad L = \\operatorname{mean}_n \\ell_n',
    inputs: [
      {
        name: 'mu',
        role: 'values',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Posterior means μ of the N node embeddings.',
      },
      {
        name: 'logStd',
        role: 'values',
        shape: '(N, D) same as mu',
        differentiable: true,
        kind: 'float',
        doc: 'Posterior log standard deviations log σ (not log-variances), the same shape as mu.',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Kipf & Welling (2016), Variational Graph Auto-Encoders',
        url: 'https://arxiv.org/abs/1611.07308',
      },
      {
        title: 'PyG VGAE.kl_loss (torch_geometric/nn/models/autoencoder.py)',
        url: 'https://github.com/pyg-team/pytorch_geometric/blob/master/torch_geometric/nn/models/autoencoder.py',
        implementation: 'torch_geometric.nn.models.VGAE.kl_loss',
      },
    ],
    examples: [
      {
        title: 'Three nodes with 2-D latents',
        inputs: {
          mu: [
            [0.5, -0.2],
            [0.1, 0.3],
            [-0.4, 0.0],
          ],
          logStd: [
            [-0.1, 0.2],
            [0.0, -0.5],
            [0.3, 0.1],
          ],
        },
      },
    ],
    whenToUse:
      'The regulariser of a variational graph autoencoder (VGAE): added to gaeReconstruction or gaeDense, it pulls each node’s posterior towards N(0, I) so the embedding space stays smooth. Use it when the encoder outputs log σ (PyG’s convention); vaeKl is the same divergence for encoders that output log σ².',
    caveats: [
      'PyG weights it 1 per node on the mean; tkipf/gae divides it by N once more (kl = (0.5/N)·mean …), which makes the KL much weaker: multiply by 1/N to reproduce the reference code.',
      'log σ above 10 is clamped (PyG’s MAX_LOGSTD) and receives no gradient there.',
    ],
    notes: [
      "'mean' over nodes (PyG), 'sum' over nodes, 'none' per node (N).",
      'vgaeKl(mu, logStd) = vaeKl(mu, 2·logStd) for logStd ≤ 10; the gradient with respect to logStd is e^{2s} − 1.',
    ],
  },
  prepare: (inputs, _options, id): VgaeKlPlan => {
    const { mu, logStd } = inputs;
    requireRank(id, 'mu', mu, [2], '(N, D)');
    requireSameShape(id, { name: 'mu', tensor: mu }, { name: 'logStd', tensor: logStd });
    const n = mu.shape[0];
    return { size: n, outShape: [n], mu: mu.data, ls: logStd.data, d: mu.shape[1] };
  },
  writesEveryGrad: true,
  kernel(plan: VgaeKlPlan, out, grads, seed, scale) {
    const { mu, ls, d, size: n } = plan;
    const gm = grads === null ? null : grads.mu;
    const gs = grads === null ? null : grads.logStd;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let sum = 0;
      for (let r = b; r < e; r++) {
        const c = seed === null ? scale : seed[r] * scale;
        let row = 0;
        for (let i = r * d; i < (r + 1) * d; i++) {
          const m = mu[i];
          // torch's clamp(max=10): the value uses min(s, 10); the gradient passes only where s ≤ 10
          // (not above, and not at NaN, as torch's clamp mask).
          const s = Math.min(ls[i], PYG_MAX_LOGSTD);
          const em1 = Math.expm1(2 * s);
          // e^{2s} − 1 − 2s via expm1: exact 0 at s = 0, +∞ at s = −∞
          row += m * m + (em1 - 2 * s);
          if (gm !== null && gs !== null) {
            gm[i] = m * c;
            gs[i] = ls[i] <= PYG_MAX_LOGSTD ? em1 * c : 0;
          }
        }
        const l = 0.5 * row;
        sum += l;
        if (out !== null) out[r] = l;
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
