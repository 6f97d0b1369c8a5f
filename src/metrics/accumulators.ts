/**
 * `createAccumulator(id, options)`: the streaming accumulator of any counting metric by id, the same
 * object as `<metric>.accumulator(options)`.
 */
import { closest, LossError } from '../core/errors.js';
import { accuracy } from './accuracy.js';
import { confusionMatrix } from './confusionMatrix.js';
import type { CountingAccumulator } from './counting.js';
import { diceScore } from './diceScore.js';
import { f1Score } from './f1Score.js';
import { fbetaScore } from './fbetaScore.js';
import { iouScore } from './iouScore.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { specificity } from './specificity.js';

const COUNTING = {
  confusionMatrix,
  precision,
  recall,
  f1Score,
  fbetaScore,
  accuracy,
  specificity,
  iouScore,
  diceScore,
} as const;

export type CountingMetricId = keyof typeof COUNTING;

/** Ids of the metrics that have an accumulator, in catalog order. */
export const COUNTING_METRIC_IDS = Object.keys(COUNTING) as CountingMetricId[];

/** A streaming accumulator for the counting metric `id` (options as the metric takes them). */
export function createAccumulator<K extends CountingMetricId>(
  id: K,
  options?: Parameters<(typeof COUNTING)[K]['accumulator']>[0],
): CountingAccumulator {
  const metric = (COUNTING as Record<string, (typeof COUNTING)[CountingMetricId] | undefined>)[id];
  if (metric === undefined) {
    const hint = closest(String(id), COUNTING_METRIC_IDS);
    throw new LossError(
      'E_UNKNOWN_LOSS',
      `Unknown counting metric '${String(id)}'.${hint ? ` Did you mean '${hint}'?` : ''} Accumulators exist for ${COUNTING_METRIC_IDS.join(', ')}.`,
      { argument: 'id', expected: COUNTING_METRIC_IDS.join(', '), received: String(id) },
    );
  }
  return (metric.accumulator as (o: unknown) => CountingAccumulator)(options);
}
