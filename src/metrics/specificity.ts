import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** Specificity, torchmetrics `torchmetrics.functional.specificity` semantics (catalog section 9). */
export const specificity = defineCountingMetric({
  meta: {
    id: 'specificity',
    task: 'metrics',
    title: 'Specificity',
    summary: 'Share of true negatives that are predicted negative, per class and averaged.',
    formula: '\\mathrm{specificity} = \\frac{TN}{TN + FP}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Specificity',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/specificity.html',
        implementation: 'torchmetrics.functional.specificity',
      },
    ],
    examples: SCORE_EXAMPLES,
    notes: [
      ...COUNTING_NOTES,
      'scikit-learn has no specificity; fixtures transcribe torchmetrics _specificity_reduce.',
    ],
  },
  fromState: scoreFromOptions('specificity'),
});
