import { defineLoss } from '../../core/define.js';
import type { FloatArray } from '../../core/tensor.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ScoresPlan } from './common.js';
import { GENERATOR_SCORES, prepareScores } from './common.js';

/**
 * The kernel of −mean(fake) (wganGenerator and hingeGanGenerator): unit i is −x_i with derivative −1,
 * so the gradient is −c_i.
 */
export function negatedScoresKernel(
  plan: ScoresPlan,
  out: FloatArray | null,
  grads: { fake: FloatArray } | null,
  seed: FloatArray | null,
  scale: number,
): number {
  const { x, size: n } = plan;
  const g = grads === null ? null : grads.fake;
  const acc = new CompensatedSum();
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let s = 0;
    if (out === null && seed === null) {
      for (let i = b; i < e; i++) s -= x[i];
      if (g !== null) g.fill(-scale, b, e);
    } else {
      for (let i = b; i < e; i++) {
        const l = -x[i];
        s += l;
        if (out !== null) out[i] = l;
        if (g !== null) g[i] = -(seed === null ? scale : seed[i] * scale);
      }
    }
    acc.add(s);
  }
  return acc.value();
}

/** Wasserstein GAN generator loss (Arjovsky et al. 2017): −mean(fake). */
export const wganGenerator = defineLoss({
  meta: {
    id: 'wganGenerator',
    task: 'generative',
    title: 'WGAN generator loss',
    summary: 'Wasserstein GAN generator: raises the critic’s mean score on generated samples.',
    formula: 'L_G = -\\operatorname{mean}\\big(D(G(z))\\big)',
    inputs: [GENERATOR_SCORES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Arjovsky, Chintala & Bottou (2017), Wasserstein GAN',
        url: 'https://arxiv.org/abs/1701.07875',
      },
      {
        title: 'TF-GAN wasserstein_generator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.wasserstein_generator_loss',
      },
    ],
    examples: [
      { title: 'Critic scores on three generated samples', inputs: { fake: [0.5, -1.25, 2] } },
    ],
    whenToUse:
      'The generator side of a Wasserstein GAN (WGAN, WGAN-GP), paired with wganCritic: the generator moves its samples up the critic’s score, i.e. down the estimated Wasserstein distance, whose gradient does not vanish when the discriminator wins (Arjovsky et al.; the seed’s L_G = −E[D(G(z))]).',
    caveats: [
      'Its value is not a distance on its own (it shifts with any constant added to the critic); watch wganCritic’s value instead to follow training.',
      'Only meaningful with a Lipschitz-constrained critic (gradientPenalty or weight clipping).',
    ],
    notes: ['The gradient is the constant −1/N per element under mean (−1 under sum).'],
  },
  prepare: (inputs): ScoresPlan => prepareScores(inputs.fake),
  writesEveryGrad: true,
  kernel: negatedScoresKernel,
});
