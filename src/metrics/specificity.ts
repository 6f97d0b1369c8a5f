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
    whenToUse:
      'The recall of the negatives: of the truly negative items, the share left negative. Reported with recall (sensitivity) for diagnostic and screening tests, where the sensitivity/specificity pair is the standard summary.',
    caveats: [
      'With many negatives it stays near 1 even for a poor classifier: a few hundred false positives among a million negatives barely move it, while precision shows them.',
      'Predicting every item negative gives specificity 1: read it next to recall.',
    ],
    notes: [
      ...COUNTING_NOTES,
      'scikit-learn has no specificity; fixtures transcribe torchmetrics _specificity_reduce.',
    ],
  },
  fromState: scoreFromOptions('specificity'),
});
