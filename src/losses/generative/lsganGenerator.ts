import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ScoresPlan } from './common.js';
import { GENERATOR_SCORES, prepareScores } from './common.js';
import { lsganAt } from './lsganDiscriminator.js';

interface LsganGPlan extends ScoresPlan {
  c: number;
}

/** Least-squares GAN generator loss (Mao et al. 2017). */
export const lsganGenerator = defineLoss({
  meta: {
    id: 'lsganGenerator',
    task: 'generative',
    title: 'LSGAN generator loss',
    summary:
      'Least-squares GAN generator: pulls the discriminator’s scores on generated samples to c.',
    formula: 'L_G = \\tfrac12\\,\\operatorname{mean}\\big((D(G(z)) - c)^2\\big)',
    inputs: [GENERATOR_SCORES],
    options: {
      c: {
        type: 'number',
        default: 1,
        doc: 'The score the generator wants the discriminator to give generated samples (1 in the 0-1 coding, 0 in the χ² coding).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Mao et al. (2017), Least Squares Generative Adversarial Networks',
        url: 'https://arxiv.org/abs/1611.04076',
      },
      {
        title: 'TF-GAN least_squares_generator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.least_squares_generator_loss',
      },
    ],
    examples: [
      { title: 'Scores on three generated samples', inputs: { fake: [0.2, -0.3, 0.6] } },
      {
        title: 'χ² coding (c = 0)',
        inputs: { fake: [-0.8, -0.2] },
        options: { c: 0 },
      },
    ],
    whenToUse:
      'The generator side of a least-squares GAN (pair it with lsganDiscriminator). Its gradient grows with the distance of D(G(z)) from c, so samples far from the real data keep being pulled towards it even when the discriminator already rejects them confidently, where the saturating GAN loss gives almost no gradient (Mao et al.).',
    caveats: [
      'c must match the discriminator’s coding: c = 1 with (a, b) = (0, 1), c = 0 with (a, b) = (−1, 1).',
      'The ½ follows Mao et al. and TF-GAN; nn.MSELoss-based generator losses (and the seed’s formula) are twice this value and gradient.',
    ],
    notes: ['lsganGenerator(fake, { c }) = lsganDiscriminator’s fake term with label c.'],
  },
  prepare: (inputs, options): LsganGPlan => ({ ...prepareScores(inputs.fake), c: options.c }),
  writesEveryGrad: true,
  kernel(plan: LsganGPlan, out, grads, seed, scale) {
    const { x, c, size: n } = plan;
    const g = grads === null ? null : grads.fake;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        for (let i = b; i < e; i++) {
          const r = lsganAt(x[i], c);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = lsganAt(x[i], c);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
