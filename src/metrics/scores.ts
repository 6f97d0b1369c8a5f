/**
 * From confusion counts to a score: the per-class ratios and the averaging rules of catalog section 9,
 * which follow torchmetrics' functional classification API (`_safe_divide`,
 * `_adjust_weights_safe_divide` in src/torchmetrics/utilities/compute.py, and `_jaccard_index_reduce`
 * for the ignored class).
 */
import type { MetricValue } from '../core/define.js';
import type { ClassStats, ConfusionState } from './confusion.js';
import { classStats } from './confusion.js';

export type Average = 'micro' | 'macro' | 'weighted' | 'none';
export const AVERAGES = ['micro', 'macro', 'weighted', 'none'] as const;

export type StatKind =
  'precision' | 'recall' | 'fbeta' | 'accuracy' | 'specificity' | 'iou' | 'dice';

export interface ScoreOptions {
  average: Average | null;
  zeroDivision: number;
  beta: number;
  ignoreIndex: number | null;
}

/** num / den, or `zeroDivision` when den is 0 (torchmetrics `_safe_divide`). */
function safeRatio(num: number, den: number, zeroDivision: number): number {
  return den === 0 ? zeroDivision : num / den;
}

function ratio(
  kind: StatKind,
  task: ConfusionState['task'],
  tp: number,
  fp: number,
  fn: number,
  tn: number,
  o: ScoreOptions,
): number {
  switch (kind) {
    case 'precision':
      return safeRatio(tp, tp + fp, o.zeroDivision);
    case 'recall':
      return safeRatio(tp, tp + fn, o.zeroDivision);
    case 'fbeta': {
      // (1+β²)TP / ((1+β²)TP + β²FN + FP) divided through by 1+β²: the weights β²/(1+β²) and
      // 1/(1+β²) stay in [0, 1] whatever β (β² may overflow to Infinity or underflow to 0).
      const b2 = o.beta * o.beta;
      const wFn = 1 / (1 + 1 / b2);
      const wFp = 1 / (1 + b2);
      if (tp + fp + fn === 0) return o.zeroDivision;
      const den = tp + wFn * fn + wFp * fp;
      return den === 0 ? 0 : tp / den;
    }
    case 'dice':
      return safeRatio(2 * tp, 2 * tp + fp + fn, o.zeroDivision);
    case 'iou':
      return safeRatio(tp, tp + fp + fn, o.zeroDivision);
    case 'specificity':
      return safeRatio(tn, tn + fp, o.zeroDivision);
    case 'accuracy':
      // torchmetrics `_accuracy_reduce`: per-class recall for multiclass, (tp+tn)/all otherwise.
      return task === 'multiclass'
        ? safeRatio(tp, tp + fn, o.zeroDivision)
        : safeRatio(tp + tn, tp + tn + fp + fn, o.zeroDivision);
  }
}

function nanValue(state: ConfusionState, average: Average | null): MetricValue {
  if (state.task !== 'binary' && (average === 'none' || average === null)) {
    return { data: new Float64Array(state.numClasses).fill(NaN), shape: [state.numClasses] };
  }
  return NaN;
}

/** Whether class c is the in-range ignored class of a multiclass task (excluded from averages). */
function isIgnoredClass(state: ConfusionState, c: number, ignoreIndex: number | null): boolean {
  return state.task === 'multiclass' && ignoreIndex === c;
}

/**
 * The score of `kind` under the average of `o`. Binary ignores `average` and scores the positive
 * label (torchmetrics' binary_* functions); 'none' gives a per-class Float64Array tensor.
 */
export function scoreFromState(
  state: ConfusionState,
  kind: StatKind,
  o: ScoreOptions,
): MetricValue {
  if (state.nan > 0) return nanValue(state, o.average);
  const s: ClassStats = classStats(state);
  const task = state.task;
  if (task === 'binary') return ratio(kind, task, s.tp[0], s.fp[0], s.fn[0], s.tn[0], o);
  const n = s.tp.length;
  const average = o.average ?? 'none';
  if (average === 'micro') {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let c = 0; c < n; c++) {
      if (isIgnoredClass(state, c, o.ignoreIndex)) continue;
      tp += s.tp[c];
      fp += s.fp[c];
      fn += s.fn[c];
      tn += s.tn[c];
    }
    return ratio(kind, task, tp, fp, fn, tn, o);
  }
  const per = new Float64Array(n);
  for (let c = 0; c < n; c++) per[c] = ratio(kind, task, s.tp[c], s.fp[c], s.fn[c], s.tn[c], o);
  if (average === 'none') return { data: per, shape: [n] };
  // torchmetrics `_adjust_weights_safe_divide`: weighted uses the support tp + fn; macro gives each
  // class weight 1 except (multiclass) classes with tp + fp + fn = 0; Σw = 0 gives 0.
  const w = new Float64Array(n);
  let wSum = 0;
  for (let c = 0; c < n; c++) {
    let wc: number;
    if (isIgnoredClass(state, c, o.ignoreIndex)) wc = 0;
    else if (average === 'weighted') wc = s.tp[c] + s.fn[c];
    else wc = task === 'multiclass' && s.tp[c] + s.fp[c] + s.fn[c] === 0 ? 0 : 1;
    w[c] = wc;
    wSum += wc;
  }
  if (wSum === 0) return 0;
  let acc = 0;
  for (let c = 0; c < n; c++) if (w[c] !== 0) acc += (w[c] * per[c]) / wSum;
  return acc;
}

/** The options a counting score reads; `beta` only where the entry has it (fbetaScore). */
interface ScoreOptionValues {
  average: Average | null;
  zeroDivision: number;
  ignoreIndex: number | null;
  beta?: number;
}

/**
 * The `fromState` of a counting score entry: the score of `kind` under the entry's resolved
 * options, with beta = 1 for the entries without a beta option.
 */
export function scoreFromOptions(
  kind: StatKind,
): (state: ConfusionState, o: ScoreOptionValues) => MetricValue {
  return (state, o) =>
    scoreFromState(state, kind, {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: o.beta ?? 1,
      ignoreIndex: o.ignoreIndex,
    });
}

export type Normalize = 'true' | 'pred' | 'all' | 'none';

/**
 * The confusion matrix as a float tensor: (2, 2) binary, (C, C) multiclass, (C, 2, 2) multilabel.
 * Normalisation divides rows ('true'), columns ('pred') or everything ('all'); 0/0 gives 0, as
 * torchmetrics `_confusion_matrix_reduce` and scikit-learn `confusion_matrix`.
 */
export function confusionFromState(
  state: ConfusionState,
  normalize: Normalize | null,
): { data: Float64Array; shape: number[] } {
  const k = state.task === 'multiclass' ? state.numClasses : 2;
  const blocks = state.task === 'multilabel' ? state.numClasses : 1;
  const shape = state.task === 'multilabel' ? [blocks, 2, 2] : [k, k];
  const out = Float64Array.from(state.counts);
  if (state.nan > 0) return { data: out.fill(NaN), shape };
  if (normalize === null || normalize === 'none') return { data: out, shape };
  for (let b = 0; b < blocks; b++) {
    const off = b * k * k;
    if (normalize === 'all') {
      let total = 0;
      for (let i = 0; i < k * k; i++) total += out[off + i];
      for (let i = 0; i < k * k; i++) out[off + i] = total === 0 ? 0 : out[off + i] / total;
      continue;
    }
    for (let a = 0; a < k; a++) {
      let sum = 0;
      for (let j = 0; j < k; j++)
        sum += normalize === 'true' ? out[off + a * k + j] : out[off + j * k + a];
      for (let j = 0; j < k; j++) {
        const idx = normalize === 'true' ? off + a * k + j : off + j * k + a;
        out[idx] = sum === 0 ? 0 : out[idx] / sum;
      }
    }
  }
  return { data: out, shape };
}
