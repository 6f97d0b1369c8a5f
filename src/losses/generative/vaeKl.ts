import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireMinRank, requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';

interface VaeKlPlan extends Plan {
  mu: FloatArray;
  lv: FloatArray;
  /** Latent elements per sample. */
  d: number;
}

/**
 * Above this log-variance e^{lv} − 1 − lv rounds to e^{lv} − 1 (e^{709} ≈ 8e307 has an ulp far above
 * 709), so returning expm1(lv) there changes no finite value and gives +∞ (not ∞ − ∞) at lv = +∞.
 */
const LOGVAR_DOMINATES = 709;

/** Gaussian-posterior KL divergence of a VAE against the standard-normal prior. */
export const vaeKl = defineLoss({
  meta: {
    id: 'vaeKl',
    task: 'generative',
    title: 'VAE KL divergence',
    summary:
      'KL(N(μ, e^{logVar}) ‖ N(0, I)) of a diagonal Gaussian encoder, summed over latent dimensions and averaged over the batch.',
    formula:
      '\\ell_n = -\\tfrac12 \\sum_d \\big(1 + \\log\\sigma^2_{nd} - \\mu_{nd}^2 - \\sigma^2_{nd}\\big),\\quad L = \\operatorname{mean}_n \\ell_n',
    inputs: [
      {
        name: 'mu',
        role: 'values',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Posterior means μ from the encoder, one row per sample (further axes after the first are summed like D).',
      },
      {
        name: 'logVar',
        role: 'values',
        shape: '(N, D) same as mu',
        differentiable: true,
        kind: 'float',
        doc: 'Posterior log-variances log σ², the same shape as mu.',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Kingma & Welling (2014), Auto-Encoding Variational Bayes (appendix B)',
        url: 'https://arxiv.org/abs/1312.6114',
      },
      {
        title: 'PyTorch examples, vae/main.py loss_function (KLD term)',
        url: 'https://github.com/pytorch/examples/blob/main/vae/main.py',
        implementation: '-0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)',
      },
    ],
    examples: [
      {
        title: 'Two samples with a 3-D latent',
        inputs: {
          mu: [
            [0.5, -0.2, 0.1],
            [1.0, 0.3, -0.7],
          ],
          logVar: [
            [-0.3, 0.2, 0.0],
            [0.5, -1.0, 0.1],
          ],
        },
      },
    ],
    whenToUse:
      'The regulariser of a variational autoencoder with a diagonal Gaussian encoder: added to the reconstruction loss it gives the negative ELBO, pulling each posterior towards the N(0, I) prior so the latent space is smooth and can be sampled (Kingma & Welling). Scale it by β > 1 for a β-VAE (more disentangled, blurrier) or anneal it from 0 to fight posterior collapse.',
    caveats: [
      'It is the closed form for a Gaussian posterior and a standard-normal prior only; other priors or posteriors need a Monte-Carlo estimate.',
      "'mean' averages over samples but sums over latent dimensions, as the ELBO does; pair it with a reconstruction loss reduced the same way (summed over pixels, averaged over the batch), or the KL is over- or under-weighted.",
      'The encoder must output log σ² (not σ or log σ): vgaeKl takes log σ instead.',
    ],
    notes: [
      "'none' returns the N per-sample KL values; 'sum' sums them.",
      'Computed as ½Σ(μ² + (e^{lv} − 1 − lv)) with expm1, exact 0 at μ = 0, logVar = 0; +∞ when a logVar is ±∞. Gradients: μ for mu and ½(e^{lv} − 1) for logVar.',
    ],
  },
  prepare: (inputs, _options, id): VaeKlPlan => {
    const { mu, logVar } = inputs;
    requireMinRank(id, 'mu', mu, 2, '(N, D)');
    requireSameShape(id, { name: 'mu', tensor: mu }, { name: 'logVar', tensor: logVar });
    const n = mu.shape[0];
    return {
      size: n,
      outShape: [n],
      mu: mu.data,
      lv: logVar.data,
      d: n === 0 ? 0 : mu.data.length / n,
    };
  },
  writesEveryGrad: true,
  kernel(plan: VaeKlPlan, out, grads, seed, scale) {
    const { mu, lv, d, size: n } = plan;
    const gm = grads === null ? null : grads.mu;
    const gl = grads === null ? null : grads.logVar;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let r = b; r < e; r++) {
        const base = r * d;
        const c = seed === null ? scale : seed[r] * scale;
        let row = 0;
        for (let i = base; i < base + d; i++) {
          const m = mu[i];
          const v = lv[i];
          const em1 = Math.expm1(v);
          row += m * m + (v > LOGVAR_DOMINATES ? em1 : em1 - v);
          if (gm !== null && gl !== null) {
            gm[i] = m * c;
            gl[i] = 0.5 * em1 * c;
          }
        }
        const l = 0.5 * row;
        s += l;
        if (out !== null) out[r] = l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
