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

/**
 * relu(1 + s·x) and its derivative s·[1 + s·x > 0] (s = −1 for real, +1 for fake): torch's relu,
 * whose gradient at the hinge itself (and at NaN) is 0.
 */
function hingeAt(x: number, s: number): Elem {
  const m = 1 + s * x;
  return { l: Math.max(m, 0), g: m > 0 ? s : 0 };
}

/** Σ relu(1 + s·x_i), writing c·s·[1 + s·x_i > 0] into g when given (a TermLoop; the second coefficient is unused). */
function hingeTerm(
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
    if (g !== null) {
      for (let i = k; i < e; i++) {
        const r = hingeAt(x[i], sign);
        s += r.l;
        g[i] = r.g * c;
      }
    } else {
      for (let i = k; i < e; i++) s += hingeAt(x[i], sign).l;
    }
    acc.add(s);
  }
  return acc.value();
}

/** 'none': relu(1 − real_i) + relu(1 + fake_i) per unit i. */
const hingeNone: NoneLoop = (plan, out, gr, gf, seed, scale) => {
  const { real, fake } = plan;
  const n = real.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    for (let i = k; i < e; i++) {
      const r = hingeAt(real[i], -1);
      const f = hingeAt(fake[i], 1);
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

/** Hinge GAN discriminator loss (Lim & Ye 2017; Miyato et al. 2018). */
export const hingeGanDiscriminator = defineLoss({
  meta: {
    id: 'hingeGanDiscriminator',
    task: 'generative',
    title: 'Hinge GAN discriminator loss',
    summary:
      'Hinge GAN discriminator: a margin loss pushing real scores above 1 and generated scores below −1.',
    formula:
      'L_D = \\operatorname{mean}\\big(\\max(0, 1 - D(x))\\big) + \\operatorname{mean}\\big(\\max(0, 1 + D(G(z)))\\big)',
    inputs: [REAL_SCORES, FAKE_SCORES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      { title: 'Lim & Ye (2017), Geometric GAN', url: 'https://arxiv.org/abs/1705.02894' },
      {
        title: 'Miyato et al. (2018), Spectral Normalization for Generative Adversarial Networks',
        url: 'https://arxiv.org/abs/1802.05957',
      },
      {
        title: 'TF-GAN wasserstein_hinge_discriminator_loss (real_hinge = generated_hinge = 1)',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.wasserstein_hinge_discriminator_loss',
      },
    ],
    examples: [
      {
        title: 'Scores inside and outside the margins',
        inputs: { real: [1.5, 0.25], fake: [-2, 0.5] },
      },
      {
        title: 'Every score beyond its margin but one',
        inputs: { real: [0.5, 3, 2], fake: [-1.5, 0.3, -4] },
      },
    ],
    whenToUse:
      'The discriminator of SN-GAN, SAGAN and BigGAN-style image GANs: a support-vector margin loss on unbounded scores. Samples already beyond the margin (real above 1, generated below −1) stop contributing, so the discriminator spends its capacity near the boundary instead of driving confident scores to infinity; pair it with hingeGanGenerator and usually spectral normalisation.',
    caveats: [
      'At the margin exactly (real = 1 or fake = −1) the gradient is 0, as torch’s relu; a discriminator with all scores beyond the margins gets no gradient at all.',
      'Feed raw scores, not probabilities.',
    ],
    notes: [TWO_TERM_REDUCTION_NOTE],
  },
  // s = −1 for the real term, +1 for the fake term (hingeAt's second coefficient is unused).
  prepare: (inputs, options, id): CoefTwoTermPlan =>
    prepareCoefTwoTerms(id, inputs.real, inputs.fake, options.reduction, [-1, 0], [1, 0]),
  writesEveryGrad: true,
  kernel: twoTermKernel(hingeNone, hingeTerm),
});
