import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import type { CoefTwoTermPlan, NoneLoop } from './common.js';
import {
  FAKE_SCORES,
  prepareCoefTwoTerms,
  REAL_SCORES,
  TWO_TERM_REDUCTION_NOTE,
  twoTermKernel,
} from './common.js';

/**
 * Σ sign·x_i (sign = −1 for real, +1 for fake), writing the constant derivative sign·c into g when
 * given (a TermLoop; the second coefficient is unused). Negation is exact and the compensated sum is
 * odd in its inputs, so the real term is −Σ real_i bit for bit and the kernel's sum of the two
 * reduced terms is mean(fake) − mean(real).
 */
function linearTerm(
  x: FloatArray,
  sign: number,
  _b: number,
  g: FloatArray | null,
  c: number,
): number {
  const n = x.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    for (let i = k; i < e; i++) s += sign * x[i];
    if (g !== null) g.fill(sign * c, k, e);
    acc.add(s);
  }
  return acc.value();
}

/** 'none': fake_i − real_i per unit i. */
const linearNone: NoneLoop = (plan, out, gr, gf, seed, scale) => {
  const { real, fake } = plan;
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
};

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
  prepare: (inputs, options, id): CoefTwoTermPlan =>
    // sign −1 for the real term, +1 for the fake term
    prepareCoefTwoTerms(id, inputs.real, inputs.fake, options.reduction, [-1, 0], [1, 0]),
  writesEveryGrad: true,
  kernel: twoTermKernel(linearNone, linearTerm),
});
