import { defineMetric } from '../core/define.js';
import { xlogy } from '../core/numerics.js';
import {
  DISTRIBUTION_NOTES,
  DISTRIBUTION_OPTIONS,
  WEATHER_P,
  WEATHER_CODE_Q,
  P_INPUT,
  Q_INPUT,
  reduceOverAxis,
} from './information.js';

/** Cross-entropy of two distributions −Σ p log q over an axis. */
export const distributionCrossEntropy = defineMetric({
  meta: {
    id: 'distributionCrossEntropy',
    task: 'metrics',
    title: 'Cross-entropy of two distributions',
    summary:
      'Average code length −Σ p log q of events from p coded for q; equals entropy(p) + KL(p‖q).',
    formula: 'H(p, q) = -\\sum_i p_i \\log_b q_i',
    inputs: [P_INPUT, Q_INPUT],
    options: DISTRIBUTION_OPTIONS,
    references: [
      {
        title: 'Cover & Thomas, Elements of Information Theory, 2nd ed. (2006), §2.3 and §5.4',
        url: 'https://doi.org/10.1002/047174882X',
      },
      {
        title: 'PyTorch xlogy',
        url: 'https://pytorch.org/docs/stable/special.html#torch.special.xlogy',
        implementation: '-torch.special.xlogy(p, q).sum(axis)',
      },
    ],
    examples: [
      {
        title: "Seed 004's weather code with lengths 5,5,4,4,3,3,2,2 (4.58 bits)",
        inputs: { p: WEATHER_P, q: WEATHER_CODE_Q },
        options: { base: 2 },
      },
      {
        title: "Seed 004's cat/dog/pig prediction for a cat (1.204 nats)",
        inputs: { p: [1, 0, 0], q: [0.3, 0.45, 0.25] },
      },
    ],
    whenToUse:
      "The average code length when events from p are coded with a code built for q, entropy(p) + KL(p‖q): seed 004's weather code spends 4.58 bits per day where 2.23 would do. Use it to evaluate a predicted distribution q against a known true distribution p, both given as probabilities.",
    caveats: [
      'Not the crossEntropy loss: no logits, no class indices, no reduction and no gradient; train with crossEntropy or categoricalCrossentropy.',
      'A class with p > 0 and q = 0 gives +Infinity: smooth or clip q first when it can contain zeros.',
      'Its minimum over q is entropy(p), not 0: use klDivergence for a value that is 0 exactly when q = p.',
    ],
    notes: [
      ...DISTRIBUTION_NOTES,
      "Not the crossEntropy loss: p and q are probabilities (no logits, no class indices), and the value is per distribution, without reduction. Seed 004's second cat/dog/pig value 0.301 is −log10(0.5) (base 10); its first, 1.203, is −ln(0.3) = 1.2040 (the article mixes bases).",
    ],
  },
  compute: (inputs, o, id) =>
    reduceOverAxis(id, inputs.p, inputs.q, o.axis, o.base, (p, q) => -xlogy(p, q)),
});
