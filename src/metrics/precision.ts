import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** Precision, torchmetrics `torchmetrics.functional.precision` semantics (catalog section 9). */
export const precision = defineCountingMetric({
  meta: {
    id: 'precision',
    task: 'metrics',
    title: 'Precision',
    summary: 'Share of predicted positives that are true positives, per class and averaged.',
    formula: '\\mathrm{precision} = \\frac{TP}{TP + FP}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Precision',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/precision.html',
        implementation: 'torchmetrics.functional.precision',
      },
      {
        title: 'scikit-learn precision_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html',
        implementation: 'sklearn.metrics.precision_score',
      },
    ],
    examples: SCORE_EXAMPLES,
    whenToUse:
      'When false positives are what cost: of the items flagged positive, the share that really are (spam filters, alerts a person must check, retrieval results shown to a user). Report it with recall, since either alone is easy to game.',
    caveats: [
      'Flagging only the single most certain item gives perfect precision with almost no recall: read it next to recall, or use f1Score or fbetaScore.',
      'It depends on the cut (score > threshold, 0.5 by default): sweep the threshold rather than trusting one value. Scores are compared as given, never passed through a sigmoid, so pass probabilities, not logits.',
      "A class that is never predicted has precision 0/0: zeroDivision decides its value (0 by default), and 'macro' drops multiclass classes with no tp, fp or fn at all.",
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('precision'),
});
