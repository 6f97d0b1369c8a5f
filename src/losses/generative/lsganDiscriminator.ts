import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import type { Elem } from '../elementwise.js';
import type { CoefTwoTermPlan, NoneLoop } from './common.js';
import {
  FAKE_SCORES,
  prepareCoefTwoTerms,
  REAL_SCORES,
  TWO_TERM_REDUCTION_NOTE,
  twoTermKernel,
} from './common.js';

/** ½(x − label)² and its derivative x − label (Mao et al.'s ½, as TF-GAN's `/ 2.0`). */
export function lsganAt(x: number, label: number): Elem {
  const d = x - label;
  return { l: 0.5 * d * d, g: d };
}

/** Σ ½(x_i − label)², writing c·(x_i − label) into g when given (a TermLoop; the second coefficient is unused). */
function lsganTerm(
  x: FloatArray,
  label: number,
  _b: number,
  g: FloatArray | null,
  c: number,
): number {
  const n = x.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    if (g !== null) {
      for (let i = k; i < e; i++) {
        const r = lsganAt(x[i], label);
        s += r.l;
        g[i] = r.g * c;
      }
    } else {
      for (let i = k; i < e; i++) s += lsganAt(x[i], label).l;
    }
    acc.add(s);
  }
  return acc.value();
}

/** 'none': ½(real_i − b)² + ½(fake_i − a)² per unit i. */
const lsganNone: NoneLoop = (plan, out, gr, gf, seed, scale) => {
  const { real, fake, ra, fa } = plan;
  const n = real.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    for (let i = k; i < e; i++) {
      const r = lsganAt(real[i], ra);
      const f = lsganAt(fake[i], fa);
      const l = r.l + f.l;
      s += l;
      out[i] = l;
      if (gr !== null && gf !== null) {
        const c = seed === null ? scale : seed[i] * scale;
        gr[i] = r.g * c;
        gf[i] = f.g * c;
      }
    }
    acc.add(s);
  }
  return acc.value();
};

/** Least-squares GAN discriminator loss (Mao et al. 2017). */
export const lsganDiscriminator = defineLoss({
  meta: {
    id: 'lsganDiscriminator',
    task: 'generative',
    title: 'LSGAN discriminator loss',
    summary:
      'Least-squares GAN discriminator: pulls its scores on real samples to b and on generated samples to a.',
    formula:
      'L_D = \\tfrac12\\,\\operatorname{mean}\\big((D(x) - b)^2\\big) + \\tfrac12\\,\\operatorname{mean}\\big((D(G(z)) - a)^2\\big)',
    inputs: [REAL_SCORES, FAKE_SCORES],
    options: {
      a: {
        type: 'number',
        default: 0,
        doc: 'Label the discriminator assigns to generated samples (0 in the 0-1 coding, −1 in the χ² coding).',
      },
      b: {
        type: 'number',
        default: 1,
        doc: 'Label the discriminator assigns to real samples (1 in both codings).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Mao et al. (2017), Least Squares Generative Adversarial Networks',
        url: 'https://arxiv.org/abs/1611.04076',
      },
      {
        title: 'TF-GAN least_squares_discriminator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.least_squares_discriminator_loss',
      },
    ],
    examples: [
      {
        title: 'Scores on two real and two generated samples',
        inputs: { real: [0.9, 0.4], fake: [0.2, -0.3] },
      },
      {
        title: 'χ² coding (a = −1, b = 1)',
        inputs: { real: [0.7, 1.2, 0.3], fake: [-0.4, 0.1, -1.3] },
        options: { a: -1, b: 1 },
      },
    ],
    whenToUse:
      'Training a GAN whose discriminator outputs unbounded scores, when the sigmoid cross-entropy GAN loss stalls: the least-squares loss keeps penalising generated samples that are classified correctly but lie far from the decision boundary, so the generator keeps receiving gradient where the sigmoid loss saturates (Mao et al.). Use it with lsganGenerator; the seed lists it as the least-squares variant of the GAN losses.',
    caveats: [
      'The labels are a contract between the two players: with the 0-1 coding (a, b, c) = (0, 1, 1) pass c = 1 to lsganGenerator, with the χ² coding (−1, 1, 0) pass c = 0 (Mao et al.: b − c = 1 and b − a = 2 minimise the Pearson χ² divergence).',
      'The ½ follows Mao et al. and TF-GAN; implementations built on nn.MSELoss (and the seed’s formula) omit it on the generator side, which doubles the generator’s loss and gradient.',
      'Feed raw scores, not sigmoid probabilities: the loss assumes an unbounded output layer.',
    ],
    notes: [TWO_TERM_REDUCTION_NOTE],
  },
  // The real term pulls D(x) to b, the fake term pulls D(G(z)) to a (lsganAt's second coefficient is unused).
  prepare: (inputs, options, id): CoefTwoTermPlan =>
    prepareCoefTwoTerms(
      id,
      inputs.real,
      inputs.fake,
      options.reduction,
      [options.b, 0],
      [options.a, 0],
    ),
  writesEveryGrad: true,
  kernel: twoTermKernel(lsganNone, lsganTerm),
});
