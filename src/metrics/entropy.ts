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
    whenToUse:
      "The uncertainty of a distribution, the average information per event: in nats (base e) or bits (base 2), as seed 004's weather example (2.23 bits for its eight weather states). Use it to measure how confident a predicted distribution is, or as the lower bound of the average code length.",
    caveats: [
      'p is used as given and must already be a distribution along axis (non-negative, summing to 1): nothing is normalised or clipped, so logits or raw counts give meaningless values.',
      'The unit follows base: nats and bits differ by the factor ln 2.',
      'Its maximum, log C for the uniform distribution, grows with the number of classes C: compare entropies over the same number of classes only.',
    ],
    notes: [...DISTRIBUTION_NOTES],
  },
  compute: (inputs, o, id) =>
    reduceOverAxis(id, inputs.p, null, o.axis, o.base, (p) => -xlogy(p, p)),
});
