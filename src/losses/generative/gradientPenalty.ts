import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum, neumaierResult, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireMinRank } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';

interface PenaltyPlan extends Plan {
  g: FloatArray;
  /** Elements per sample (the product of the dimensions after the first). */
  m: number;
  lambda: number;
  target: number;
}

/** Σ_k x[base + k]², k < m: plain within blocks of SUM_BLOCK, Neumaier across blocks. */
function sumSquares(x: FloatArray, base: number, m: number): number {
  let s = 0;
  let c = 0;
  for (let b = 0; b < m; b += SUM_BLOCK) {
    const e = Math.min(m, b + SUM_BLOCK);
    let p = 0;
    for (let i = base + b; i < base + e; i++) p += x[i] * x[i];
    const t = s + p;
    c += Math.abs(s) >= Math.abs(p) ? s - t + p : p - t + s;
    s = t;
  }
  return neumaierResult(s, c);
}

/** WGAN-GP gradient penalty (Gulrajani et al. 2017) on given per-sample critic gradients. */
export const gradientPenalty = defineLoss({
  meta: {
    id: 'gradientPenalty',
    task: 'generative',
    title: 'Gradient penalty (WGAN-GP)',
    summary:
      'λ·mean((‖g‖₂ − target)²) over the per-sample gradients g of the critic at interpolated samples: a soft 1-Lipschitz constraint.',
    formula:
      'L = \\lambda\\,\\operatorname{mean}_n\\big(\\lVert g_n \\rVert_2 - \\tau\\big)^2,\\quad g_n = \\nabla_{\\hat x} D(\\hat x_n),\\ \\hat x_n = \\epsilon_n x_n + (1 - \\epsilon_n)\\tilde x_n',
    inputs: [
      {
        name: 'gradients',
        role: 'values',
        shape: '(N, ...)',
        differentiable: true,
        kind: 'float',
        doc: 'Gradients of the critic’s output with respect to its input at N interpolated samples (computed by your autodiff with create_graph); sample n is gradients[n], of any shape.',
      },
    ],
    options: {
      lambda: {
        type: 'number',
        default: 10,
        min: 0,
        doc: 'Penalty weight λ (10 in Gulrajani et al.).',
      },
      target: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Target gradient norm τ (1 for WGAN-GP; 0 gives a zero-centred penalty λ·mean ‖g‖²).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Gulrajani et al. (2017), Improved Training of Wasserstein GANs',
        url: 'https://arxiv.org/abs/1704.00028',
      },
      {
        title: 'TF-GAN wasserstein_gradient_penalty',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.wasserstein_gradient_penalty',
      },
    ],
    examples: [
      {
        title: 'Three samples of 2-D critic gradients',
        inputs: {
          gradients: [
            [0.6, 0.8],
            [1.5, -0.5],
            [0.1, 0.2],
          ],
        },
      },
      {
        title: 'Zero-centred penalty (target 0, λ = 1)',
        inputs: { gradients: [[[0.3, -0.4]], [[1.2, 0.5]]] },
        options: { lambda: 1, target: 0 },
      },
    ],
    whenToUse:
      'With wganCritic (WGAN-GP): instead of clipping the critic’s weights, penalise the norm of its input gradient at random interpolates between real and generated samples towards 1, which enforces the 1-Lipschitz constraint softly and trains more stably, without the capacity loss and exploding/vanishing gradients of weight clipping (Gulrajani et al.). target = 0 gives the zero-centred variant.',
    caveats: [
      'The input is the gradient itself: compute it with your framework’s autodiff (create_graph / a gradient tape) so the penalty’s gradient can flow back into the critic’s weights; this entry differentiates with respect to those gradients.',
      'The norm is √Σg² without an epsilon (torch.linalg.vector_norm); its derivative at g = 0 is taken as 0, as torch’s. TF-GAN adds ε = 1e-10 under the root and penalises (‖g‖/τ − 1)², which equals (‖g‖ − τ)² only for τ = 1.',
      'Gulrajani et al. advise against batch normalisation in the critic (the penalty is per sample); use layer normalisation or none.',
    ],
    notes: [
      "'mean' divides by N (the number of samples), 'none' returns the N per-sample penalties.",
      'd/dg_n = 2λ(‖g_n‖ − τ)·g_n/‖g_n‖, and 0 for a zero row.',
    ],
  },
  prepare: (inputs, options, id): PenaltyPlan => {
    const t = inputs.gradients;
    requireMinRank(id, 'gradients', t, 1, '(N, ...)');
    const n = t.shape[0];
    return {
      size: n,
      outShape: [n],
      g: t.data,
      m: n === 0 ? 0 : t.data.length / n,
      lambda: options.lambda,
      target: options.target,
    };
  },
  writesEveryGrad: true,
  kernel(plan: PenaltyPlan, out, grads, seed, scale) {
    const { g: x, m, lambda, target, size: n } = plan;
    const gx = grads === null ? null : grads.gradients;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let r = b; r < e; r++) {
        const base = r * m;
        const norm = Math.sqrt(sumSquares(x, base, m));
        const d = norm - target;
        const l = lambda * d * d;
        s += l;
        if (out !== null) out[r] = l;
        if (gx !== null) {
          // 2λ(‖g‖ − τ)/‖g‖ per element of the row; 0 at ‖g‖ = 0 (torch's norm subgradient).
          // A NaN norm fails the test and propagates.
          const c = seed === null ? scale : seed[r] * scale;
          const k = norm === 0 ? 0 : ((2 * lambda * d) / norm) * c;
          for (let i = base; i < base + m; i++) gx[i] = x[i] * k;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
