import { COUNTING_NOTES, defineCountingMetric, SCORE_OPTIONS } from './counting.js';
import { scoreFromState } from './scores.js';

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
    examples: [
      {
        title: 'Binary scores cut at 0.5',
        inputs: { input: [0.9, 0.2, 0.7, 0.4, 0.8, 0.1], target: [1, 0, 0, 1, 1, 0] },
        options: { task: 'binary' },
      },
      {
        title: 'Three classes from class scores, macro average',
        inputs: {
          input: [
            [2.0, 0.5, 0.1],
            [0.2, 1.5, 0.3],
            [0.1, 0.4, 3.0],
            [1.0, 2.0, 0.0],
          ],
          target: [0, 1, 2, 0],
        },
        options: { task: 'multiclass', numClasses: 3, average: 'macro' },
      },
    ],
    notes: [
      ...COUNTING_NOTES,
      'scikit-learn has no specificity; fixtures transcribe torchmetrics _specificity_reduce.',
    ],
  },
  fromState: (state, o) =>
    scoreFromState(state, 'specificity', {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: 1,
      ignoreIndex: o.ignoreIndex,
    }),
});
