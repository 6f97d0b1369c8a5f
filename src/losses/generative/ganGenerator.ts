import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ScoresPlan } from './common.js';
import { bceAt, GENERATOR_LOGITS, prepareScores } from './common.js';

interface GanGPlan extends ScoresPlan {
  /** Coefficients of a·softplus(−x) + b·softplus(x): (1, 0) non-saturating, (0, −1) saturating. */
  a: number;
  b: number;
}

/** The GAN generator loss on logits: non-saturating BCE(fake, 1) or saturating −BCE(fake, 0). */
export const ganGenerator = defineLoss({
  meta: {
    id: 'ganGenerator',
    task: 'generative',
    title: 'GAN generator loss (non-saturating or saturating)',
    summary:
      'The original GAN generator on discriminator logits: −log σ(D(G(z))) (non-saturating, default) or log(1 − σ(D(G(z)))) (saturating minimax).',
    formula:
      'L_G = \\begin{cases} \\operatorname{mean}\\big(-\\log\\sigma(D(G(z)))\\big) = \\operatorname{mean}\\,\\mathrm{BCE}(D(G(z)), 1) & \\text{non-saturating} \\\\ \\operatorname{mean}\\,\\log\\big(1 - \\sigma(D(G(z)))\\big) = -\\operatorname{mean}\\,\\mathrm{BCE}(D(G(z)), 0) & \\text{saturating} \\end{cases}',
    inputs: [GENERATOR_LOGITS],
    options: {
      saturating: {
        type: 'boolean',
        default: false,
        doc: 'Use the minimax (saturating) loss log(1 − σ(D(G(z)))) instead of the non-saturating −log σ(D(G(z))).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Goodfellow et al. (2014), Generative Adversarial Nets',
        url: 'https://arxiv.org/abs/1406.2661',
      },
      {
        title: 'PyTorch binary_cross_entropy_with_logits',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.functional.binary_cross_entropy_with_logits.html',
        implementation: 'torch.nn.functional.binary_cross_entropy_with_logits',
      },
      {
        title: 'TF-GAN modified_generator_loss / minimax_generator_loss',
        url: 'https://github.com/tensorflow/gan/blob/master/tensorflow_gan/python/losses/losses_impl.py',
        implementation: 'tensorflow_gan.losses.modified_generator_loss',
      },
    ],
    examples: [
      { title: 'Non-saturating loss on three logits', inputs: { fake: [-2, 0.5, 1.5] } },
      {
        title: 'Saturating (minimax) loss',
        inputs: { fake: [-2, 0.5, 1.5] },
        options: { saturating: true },
      },
    ],
    whenToUse:
      'The generator of a standard (sigmoid cross-entropy) GAN, paired with ganDiscriminator. Keep the default non-saturating form: early in training the discriminator rejects generated samples confidently, and there the saturating minimax loss log(1 − σ) is flat while −log σ still has gradient −1 per sample (Goodfellow et al.). The saturating form is for reproducing the minimax game exactly.',
    caveats: [
      'The saturating loss is negative and has almost no gradient when D(G(z)) ≪ 0, exactly when the generator most needs it.',
      'TF-GAN’s minimax_generator_loss carries an extra constant term (it reuses the discriminator loss with ones as real logits); values differ by that constant, gradients agree.',
      'Pass logits, not probabilities.',
    ],
    notes: [
      'Non-saturating: ganGenerator(fake) = bceWithLogits(fake, 1) in value and gradient; saturating: −bceWithLogits(fake, 0).',
    ],
  },
  prepare: (inputs, options): GanGPlan => ({
    ...prepareScores(inputs.fake),
    a: options.saturating ? 0 : 1,
    b: options.saturating ? -1 : 0,
  }),
  writesEveryGrad: true,
  kernel(plan: GanGPlan, out, grads, seed, scale) {
    const { x, a, b, size: n } = plan;
    const g = grads === null ? null : grads.fake;
    const acc = new CompensatedSum();
    for (let k = 0; k < n; k += SUM_BLOCK) {
      const e = Math.min(n, k + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        for (let i = k; i < e; i++) {
          const r = bceAt(x[i], a, b);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = k; i < e; i++) {
          const r = bceAt(x[i], a, b);
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
