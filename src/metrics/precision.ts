import { COUNTING_NOTES, defineCountingMetric, SCORE_OPTIONS } from './counting.js';
import { scoreFromState } from './scores.js';

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
    scoreFromState(state, 'precision', {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: 1,
      ignoreIndex: o.ignoreIndex,
    }),
});
