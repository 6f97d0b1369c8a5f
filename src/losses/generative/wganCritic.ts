import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { reduceSum, STANDARD_REDUCTIONS, unitScale } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import type { TwoTermPlan } from './common.js';
import { FAKE_SCORES, prepareTwoTerms, REAL_SCORES, TWO_TERM_REDUCTION_NOTE } from './common.js';

/** Σ x_i, writing the constant derivative c into g when given. */
function linearTerm(x: FloatArray, g: FloatArray | null, c: number): number {
  const n = x.length;
  const acc = new CompensatedSum();
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let s = 0;
    for (let i = b; i < e; i++) s += x[i];
    if (g !== null) g.fill(c, b, e);
    acc.add(s);
  }
  return acc.value();
}

/** Wasserstein GAN critic loss (Arjovsky et al. 2017): mean(fake) − mean(real). */
export const wganCritic = defineLoss({
  meta: {
    id: 'wganCritic',
    task: 'generative',
    title: 'WGAN critic loss',
    summary:
      'Wasserstein GAN critic: the negated estimate mean(D(x)) − mean(D(G(z))) of the Wasserstein-1 distance.',
    formula: 'L_D = \\operatorname{mean}\\big(D(G(z))\\big) - \\operatorname{mean}\\big(D(x)\\big)',
    inputs: [REAL_SCORES, FAKE_SCORES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Arjovsky, Chintala & Bottou (2017), Wasserstein GAN',
        url: 'https://arxiv.org/abs/1701.07875',
      },
      {
        title: 'TF-GAN wasserstein_discriminator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.wasserstein_discriminator_loss',
      },
    ],
    examples: [
      {
        title: 'Critic scores on two real and two generated samples',
        inputs: { real: [1.5, 0.5], fake: [-0.5, 0.25] },
      },
      {
        title: 'A 2 × 2 patch of critic scores per batch',
        inputs: {
          real: [
            [2, 1],
            [0.5, -0.25],
          ],
          fake: [
            [-1, 0.75],
            [0, -2],
          ],
        },
      },
    ],
    whenToUse:
      'Training a GAN where the original loss is unstable or collapses: the critic estimates the Wasserstein-1 (earth mover’s) distance, which stays informative when the real and generated distributions do not overlap, so the critic can be trained to optimality and its loss tracks sample quality (Arjovsky et al.; the seed: “a more stable GAN training”). Pair it with wganGenerator, and keep the critic 1-Lipschitz with gradientPenalty (WGAN-GP) or weight clipping.',
    caveats: [
      'Without a Lipschitz constraint (gradientPenalty, weight clipping, spectral normalisation) the critic’s scores grow without bound and the loss goes to −∞.',
      'The scores are unbounded critic outputs: no sigmoid, and no batch normalisation in the critic when a gradient penalty is used (Gulrajani et al.).',
      'Only differences of the loss are meaningful; its sign is that of a minimised loss (TF-GAN’s convention), the paper maximises the opposite.',
    ],
    notes: [TWO_TERM_REDUCTION_NOTE],
  },
  prepare: (inputs, options, id): TwoTermPlan =>
    prepareTwoTerms(id, inputs.real, inputs.fake, options.reduction),
  writesEveryGrad: true,
  kernel(plan: TwoTermPlan, out, grads, seed, scale) {
    const { real, fake } = plan;
    const gr = grads === null ? null : grads.real;
    const gf = grads === null ? null : grads.fake;
    if (out !== null) {
      // 'none': unit i is fake[i] − real[i].
      const n = real.length;
      const acc = new CompensatedSum();
      for (let k = 0; k < n; k += SUM_BLOCK) {
        const e = Math.min(n, k + SUM_BLOCK);
        let s = 0;
        for (let i = k; i < e; i++) {
          const l = fake[i] - real[i];
          s += l;
          out[i] = l;
          if (gr !== null && gf !== null) {
            const c = seed === null ? scale : seed[i] * scale;
            gr[i] = -c;
            gf[i] = c;
          }
        }
        acc.add(s);
      }
      return acc.value();
    }
    const sr = linearTerm(real, gr, -unitScale(plan.realDivisor, scale));
    const sf = linearTerm(fake, gf, unitScale(plan.fakeDivisor, scale));
    return reduceSum(sf, plan.fakeDivisor) - reduceSum(sr, plan.realDivisor);
  },
});
