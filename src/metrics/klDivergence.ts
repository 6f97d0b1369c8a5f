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
    notes: [
      ...DISTRIBUTION_NOTES,
      'Not the klDiv loss (which takes log-probabilities as torch.nn.functional.kl_div): both arguments are probabilities, p first. Unlike torch kl_div, p = q = 0 gives 0, not NaN.',
    ],
  },
  compute: (inputs, o, id) => reduceOverAxis(id, inputs.p, inputs.q, o.axis, o.base, relEntr),
});
