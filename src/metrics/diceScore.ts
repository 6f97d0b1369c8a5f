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
    whenToUse:
      'Overlap of predicted and true masks, 2|X ∩ Y| / (|X| + |Y|): the usual score of medical image segmentation (V-Net), equal to F1 computed on pixels and more lenient than IoU on the same masks.',
    caveats: [
      'Like IoU it is dominated by errors on small structures, which weigh far more than the same errors on large ones.',
      'A class absent from both prediction and target has Dice 0/0: zeroDivision (0 by default) decides it, so decide how empty cases should count before averaging.',
      'It scores thresholded labels and has no gradient: train with the dice loss, its soft counterpart.',
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('dice'),
});
