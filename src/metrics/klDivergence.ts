import { defineMetric } from '../core/define.js';
import {
  DISTRIBUTION_NOTES,
  DISTRIBUTION_OPTIONS,
  WEATHER_P,
  WEATHER_CODE_Q,
  TWO_ROWS_P,
  P_INPUT,
  Q_INPUT,
  reduceOverAxis,
  relEntr,
} from './information.js';

/** Kullback–Leibler divergence Σ p log(p/q) over an axis. */
export const klDivergence = defineMetric({
  meta: {
    id: 'klDivergence',
    task: 'metrics',
    title: 'Kullback–Leibler divergence',
    summary:
      'Relative entropy Σ p log(p/q): the extra code length of coding p for q; cross-entropy − entropy.',
    formula: 'D_{KL}(p \\,\\|\\, q) = \\sum_i p_i \\log_b \\frac{p_i}{q_i}',
    inputs: [P_INPUT, Q_INPUT],
    options: DISTRIBUTION_OPTIONS,
    references: [
      {
        title: 'Kullback & Leibler, On Information and Sufficiency (1951)',
        url: 'https://doi.org/10.1214/aoms/1177729694',
      },
      {
        title: 'SciPy special.rel_entr',
        url: 'https://docs.scipy.org/doc/scipy/reference/generated/scipy.special.rel_entr.html',
        implementation: 'scipy.special.rel_entr(p, q).sum(axis)',
      },
    ],
    examples: [
      {
        title: "Seed 004's weather code: 4.58 − 2.23 = 2.35 bits",
        inputs: { p: WEATHER_P, q: WEATHER_CODE_Q },
        options: { base: 2 },
      },
      {
        title: 'Two rows in nats',
        inputs: {
          p: TWO_ROWS_P,
          q: [
            [0.4, 0.4, 0.2],
            [0.6, 0.3, 0.1],
          ],
        },
      },
    ],
    whenToUse:
      "How far a model distribution q is from a true distribution p, in extra nats or bits per event (cross-entropy minus entropy: 2.35 bits for seed 004's weather code); 0 exactly when q = p. Use it to compare predicted and reference distributions, for example to monitor distillation or drift.",
    caveats: [
      'Asymmetric: KL(p‖q) and KL(q‖p) differ. q = 0 where p > 0 gives +Infinity, q > 0 where p = 0 costs nothing.',
      "Both arguments are probabilities, p (the reference) first; the klDiv loss instead takes the model's log-probabilities first, in torch's kl_div order.",
      'Not a distance (no symmetry, no triangle inequality); use a symmetrised measure such as Jensen–Shannon when the order of the arguments should not matter.',
    ],
    notes: [
      ...DISTRIBUTION_NOTES,
      'Not the klDiv loss (which takes log-probabilities as torch.nn.functional.kl_div): both arguments are probabilities, p first. Unlike torch kl_div, p = q = 0 gives 0, not NaN.',
    ],
  },
  compute: (inputs, o, id) => reduceOverAxis(id, inputs.p, inputs.q, o.axis, o.base, relEntr),
});
