/** Catalog section 9: metrics and information theory. */
import { accuracy } from './accuracy.js';
import { confusionMatrix } from './confusionMatrix.js';
import { diceScore } from './diceScore.js';
import { distributionCrossEntropy } from './distributionCrossEntropy.js';
import { entropy } from './entropy.js';
import { klDivergence } from './klDivergence.js';
import { f1Score } from './f1Score.js';
import { fbetaScore } from './fbetaScore.js';
import { iouScore } from './iouScore.js';
import { ndcg } from './ndcg.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { specificity } from './specificity.js';

export {
  accuracy,
  confusionMatrix,
  diceScore,
  distributionCrossEntropy,
  entropy,
  f1Score,
  fbetaScore,
  iouScore,
  klDivergence,
  ndcg,
  precision,
  recall,
  specificity,
};
export { createAccumulator, COUNTING_METRIC_IDS } from './accumulators.js';
export type { CountingMetricId } from './accumulators.js';
export type { CountingAccumulator } from './counting.js';
export type { ConfusionState, ClassTask } from './confusion.js';

export const metricEntries = [
  confusionMatrix,
  precision,
  recall,
  f1Score,
  fbetaScore,
  accuracy,
  specificity,
  iouScore,
  diceScore,
  entropy,
  distributionCrossEntropy,
  klDivergence,
  ndcg,
] as const;
