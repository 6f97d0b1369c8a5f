import { defineMetric } from '../core/define.js';
import { xlogy } from '../core/numerics.js';
import {
  DISTRIBUTION_NOTES,
  DISTRIBUTION_OPTIONS,
  WEATHER_P,
  TWO_ROWS_P,
  P_INPUT,
  reduceOverAxis,
} from './information.js';

/** Shannon entropy −Σ p log p over an axis. */
export const entropy = defineMetric({
  meta: {
    id: 'entropy',
    task: 'metrics',
    title: 'Entropy',
    summary:
      'Shannon entropy of a distribution, −Σ p log p, in nats or in any base (2 gives bits).',
    formula: 'H(p) = -\\sum_i p_i \\log_b p_i',
    inputs: [P_INPUT],
    options: DISTRIBUTION_OPTIONS,
    references: [
      {
        title: 'Shannon, A Mathematical Theory of Communication (1948)',
        url: 'https://doi.org/10.1002/j.1538-7305.1948.tb01338.x',
      },
      {
        title: 'SciPy special.entr',
        url: 'https://docs.scipy.org/doc/scipy/reference/generated/scipy.special.entr.html',
        implementation:
          'scipy.special.entr summed over the axis (torch.distributions.Categorical.entropy for normalised p)',
      },
    ],
    examples: [
      {
        title: "Seed 004's weather distribution in bits (2.23)",
        inputs: { p: WEATHER_P },
        options: { base: 2 },
      },
      {
        title: 'Two distributions in nats',
        inputs: {
          p: TWO_ROWS_P,
        },
      },
    ],
    notes: [...DISTRIBUTION_NOTES],
  },
  compute: (inputs, o, id) =>
    reduceOverAxis(id, inputs.p, null, o.axis, o.base, (p) => -xlogy(p, p)),
});
