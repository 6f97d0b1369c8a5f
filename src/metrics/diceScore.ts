import { COUNTING_NOTES, defineCountingMetric, MASK_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

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
    examples: MASK_EXAMPLES,
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('dice'),
});
