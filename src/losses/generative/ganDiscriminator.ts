import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import type { CoefTwoTermPlan, NoneLoop } from './common.js';
import {
  bceAt,
  FAKE_LOGITS,
  prepareCoefTwoTerms,
  REAL_LOGITS,
  TWO_TERM_REDUCTION_NOTE,
  twoTermKernel,
} from './common.js';

/** Σ bce(x_i; a, b), writing c·bce′ into g when given (a TermLoop). */
function bceTerm(x: FloatArray, a: number, b: number, g: FloatArray | null, c: number): number {
  const n = x.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    if (g !== null) {
      for (let i = k; i < e; i++) {
        const r = bceAt(x[i], a, b);
        s += r.l;
        g[i] = r.g * c;
      }
    } else {
      for (let i = k; i < e; i++) s += bceAt(x[i], a, b).l;
    }
    acc.add(s);
  }
  return acc.value();
}

/** 'none': bce(real_i; ra, rb) + bce(fake_i; 0, 1) per unit i (the literal fake coefficients let V8 drop bceAt's zero-coefficient branch). */
const bceNone: NoneLoop = (plan, out, gr, gf, seed, scale) => {
  const { real, fake, ra, rb } = plan;
  const n = real.length;
  const acc = new CompensatedSum();
  for (let k = 0; k < n; k += SUM_BLOCK) {
    const e = Math.min(n, k + SUM_BLOCK);
    let s = 0;
    for (let i = k; i < e; i++) {
      const r = bceAt(real[i], ra, rb);
      const f = bceAt(fake[i], 0, 1);
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

/** The original (minimax) GAN discriminator loss on logits, with one-sided label smoothing. */
export const ganDiscriminator = defineLoss({
  meta: {
    id: 'ganDiscriminator',
    task: 'generative',
    title: 'GAN discriminator loss (sigmoid cross-entropy)',
    summary:
      'The original GAN discriminator: binary cross-entropy with logits, real samples labelled 1 − ε and generated samples 0.',
    formula:
      'L_D = \\operatorname{mean}\\,\\mathrm{BCE}\\big(D(x), 1 - \\varepsilon\\big) + \\operatorname{mean}\\,\\mathrm{BCE}\\big(D(G(z)), 0\\big),\\quad \\mathrm{BCE}(s, t) = -t\\log\\sigma(s) - (1-t)\\log(1 - \\sigma(s))',
    inputs: [REAL_LOGITS, FAKE_LOGITS],
    options: {
      labelSmoothing: {
        type: 'number',
        default: 0,
        min: 0,
        max: 1,
        doc: 'One-sided label smoothing ε (Salimans et al.): real samples get the target 1 − ε, generated samples keep 0.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Goodfellow et al. (2014), Generative Adversarial Nets',
        url: 'https://arxiv.org/abs/1406.2661',
      },
      {
        title:
          'Salimans et al. (2016), Improved Techniques for Training GANs (one-sided label smoothing)',
        url: 'https://arxiv.org/abs/1606.03498',
      },
      {
        title: 'PyTorch binary_cross_entropy_with_logits (each term)',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.functional.binary_cross_entropy_with_logits.html',
        implementation: 'torch.nn.functional.binary_cross_entropy_with_logits',
      },
    ],
    examples: [
      {
        title: 'Logits on two real and two generated samples',
        inputs: { real: [2, 0.5], fake: [-1, 0.3] },
      },
      {
        title: 'One-sided label smoothing 0.1',
        inputs: { real: [3, -0.5, 1], fake: [-2, 0.25, -0.75] },
        options: { labelSmoothing: 0.1 },
      },
    ],
    whenToUse:
      'The standard GAN discriminator (DCGAN and most conditional GANs): a real-vs-generated classifier trained with sigmoid cross-entropy on logits, paired with ganGenerator (non-saturating by default). One-sided label smoothing (ε ≈ 0.1) keeps the discriminator from becoming over-confident on real data, which otherwise starves the generator of gradient (Salimans et al.).',
    caveats: [
      'Smoothing is one-sided here (real target 1 − ε, as Salimans et al.); TF-GAN’s minimax/modified discriminator losses smooth towards ½ instead (target 1 − ε/2) and default to ε = 0.25. Smoothing the fake labels too is what Salimans et al. warn against.',
      'Pass logits, not probabilities: the loss is computed in the stable softplus form, so logits of ±700 are fine.',
      'When the discriminator wins (fake logits ≪ 0) the saturating generator loss has no gradient; use the non-saturating ganGenerator, or a least-squares or Wasserstein loss.',
    ],
    notes: [
      TWO_TERM_REDUCTION_NOTE,
      'At logits of ±∞ a term whose coefficient is 0 is dropped (BCE(+∞, 1) = 0), where torch’s formula gives 0·∞ = NaN.',
    ],
  },
  // BCE coefficients: the real term against target t = 1 − ε (a = t, b = ε), the fake term against 0.
  prepare: (inputs, options, id): CoefTwoTermPlan =>
    prepareCoefTwoTerms(
      id,
      inputs.real,
      inputs.fake,
      options.reduction,
      [1 - options.labelSmoothing, options.labelSmoothing],
      [0, 1],
    ),
  writesEveryGrad: true,
  kernel: twoTermKernel(bceNone, bceTerm),
});
