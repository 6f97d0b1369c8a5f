import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ScoresPlan } from './common.js';
import { GENERATOR_SCORES, prepareScores } from './common.js';
import { negatedScoresKernel } from './wganGenerator.js';

/** Hinge GAN generator loss (Lim & Ye 2017; Miyato et al. 2018): −mean(fake). */
export const hingeGanGenerator = defineLoss({
  meta: {
    id: 'hingeGanGenerator',
    task: 'generative',
    title: 'Hinge GAN generator loss',
    summary:
      'Generator loss of the hinge GAN: raises the discriminator’s mean score on generated samples.',
    formula: 'L_G = -\\operatorname{mean}\\big(D(G(z))\\big)',
    inputs: [GENERATOR_SCORES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      { title: 'Lim & Ye (2017), Geometric GAN', url: 'https://arxiv.org/abs/1705.02894' },
      {
        title: 'Miyato et al. (2018), Spectral Normalization for Generative Adversarial Networks',
        url: 'https://arxiv.org/abs/1802.05957',
      },
      {
        title: 'TF-GAN wasserstein_hinge_generator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.wasserstein_hinge_generator_loss',
      },
    ],
    examples: [{ title: 'Scores on three generated samples', inputs: { fake: [0.5, -1.25, 2] } }],
    whenToUse:
      'The generator side of the hinge GAN (with hingeGanDiscriminator), the loss pair of SN-GAN, SAGAN and BigGAN: the generator raises the discriminator’s score on its samples without a hinge, so its gradient never vanishes, while the discriminator’s hinge stops it from pushing confidently separated samples further.',
    caveats: [
      'The same function as wganGenerator; what makes it a hinge GAN is the discriminator loss it is paired with.',
      'Usually paired with spectral normalisation in the discriminator; without a Lipschitz control the scores can drift.',
    ],
    notes: ['hingeGanGenerator = wganGenerator (TF-GAN defines one as the other).'],
  },
  prepare: (inputs): ScoresPlan => prepareScores(inputs.fake),
  writesEveryGrad: true,
  kernel: negatedScoresKernel,
});
