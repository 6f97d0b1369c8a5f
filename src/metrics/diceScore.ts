import { COUNTING_NOTES, defineCountingMetric, SCORE_OPTIONS } from './counting.js';
import { scoreFromState } from './scores.js';

/** Dice coefficient for masks and labels (catalog section 9). */
export const diceScore = defineCountingMetric({
  meta: {
    id: 'diceScore',
    task: 'metrics',
    title: 'Dice coefficient',
    summary:
      'Dice coefficient of predicted and true masks, 2TP / (2TP + FP + FN), per class and averaged; equals F1.',
    formula: '\\mathrm{Dice} = \\frac{2\\,TP}{2\\,TP + FP + FN} = \\frac{2|X \\cap Y|}{|X| + |Y|}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics F1Score (Dice = F1)',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/f1_score.html',
        implementation: 'torchmetrics.functional.f1_score',
      },
      {
        title: 'scikit-learn f1_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html',
        implementation: 'sklearn.metrics.f1_score',
      },
    ],
    examples: [
      {
        title: 'A 2×3 binary mask against its ground truth',
        inputs: {
          input: [
            [0.9, 0.8, 0.1],
            [0.3, 0.7, 0.2],
          ],
          target: [
            [1, 1, 0],
            [1, 0, 0],
          ],
        },
        options: { task: 'binary' },
      },
      {
        title: 'A 3-class label map with an ignored void label 255',
        inputs: {
          input: [
            [0, 1, 1],
            [2, 2, 0],
          ],
          target: [
            [0, 1, 255],
            [2, 1, 0],
          ],
        },
        options: { task: 'multiclass', numClasses: 3, average: 'macro', ignoreIndex: 255 },
      },
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: (state, o) =>
    scoreFromState(state, 'dice', {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: 1,
      ignoreIndex: o.ignoreIndex,
    }),
});
