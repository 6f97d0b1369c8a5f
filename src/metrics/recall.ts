import { COUNTING_NOTES, defineCountingMetric, SCORE_OPTIONS } from './counting.js';
import { scoreFromState } from './scores.js';

/** Recall (sensitivity), torchmetrics `torchmetrics.functional.recall` semantics (catalog section 9). */
export const recall = defineCountingMetric({
  meta: {
    id: 'recall',
    task: 'metrics',
    title: 'Recall (sensitivity)',
    summary: 'Share of true positives that are predicted positive, per class and averaged.',
    formula: '\\mathrm{recall} = \\frac{TP}{TP + FN}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Recall (sensitivity)',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/recall.html',
        implementation: 'torchmetrics.functional.recall',
      },
      {
        title: 'scikit-learn recall_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.recall_score.html',
        implementation: 'sklearn.metrics.recall_score',
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
    notes: [...COUNTING_NOTES],
  },
  fromState: (state, o) =>
    scoreFromState(state, 'recall', {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: 1,
      ignoreIndex: o.ignoreIndex,
    }),
});
