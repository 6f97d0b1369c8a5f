/**
 * The counting core of section 9: every counting metric (confusionMatrix, precision, recall, f1Score,
 * fbetaScore, accuracy, specificity, iouScore, diceScore) is a function of one confusion-count state.
 * The state holds exact integer counts (in a Float64Array, exact up to 2^53), so states of batches or
 * shards merge by addition in any order and give exactly the one-pass result.
 *
 * Layouts (rows = true class, columns = predicted, as scikit-learn and torchmetrics):
 * - binary: a 2×2 matrix [[tn, fp], [fn, tp]];
 * - multiclass: a C×C matrix when the metric needs it (confusionMatrix); otherwise the O(C) marginals
 *   [true count per class (C) | predicted count per class (C) | true positives per class (C)], which
 *   give every one-against-the-rest statistic (tp, fp = predicted − tp, fn = true − tp, tn) exactly;
 * - multilabel: C stacked 2×2 matrices, (C, 2, 2), as torchmetrics `multilabel_confusion_matrix`.
 */
import { describe, fail } from '../core/errors.js';
import type { DataArray, Tensor } from '../core/tensor.js';
import { formatShape, shapeEquals } from '../core/tensor.js';

export type ClassTask = 'binary' | 'multiclass' | 'multilabel';
export const CLASS_TASKS = ['binary', 'multiclass', 'multilabel'] as const;

/** The options that decide how an (input, target) batch is counted. */
export interface CountingConfig {
  task: ClassTask | null;
  numClasses: number | null;
  threshold: number;
  ignoreIndex: number | null;
  /** Multiclass counts as the full C×C matrix (true) or as O(C) marginals (false). */
  matrix: boolean;
}

/**
 * The most counters a confusion state may hold (2^25 float64 counters, 256 MiB): a C×C matrix up to
 * 5,792 classes, multiclass marginals (3·C) up to 11,184,810 classes. A larger request throws E_RANGE
 * before anything is allocated.
 */
export const MAX_CONFUSION_COUNTS = 2 ** 25;

/** Exact confusion counts of everything seen so far. */
export interface ConfusionState {
  readonly task: ClassTask;
  /** 2 for binary; classes for multiclass; labels for multilabel. */
  readonly numClasses: number;
  /** Multiclass layout: the C×C matrix (true) or the 3·C marginals (false). */
  readonly matrix: boolean;
  /** binary: 4 = [[tn, fp], [fn, tp]]; multiclass: C·C or 3·C; multilabel: C·4. Exact integers. */
  readonly counts: Float64Array;
  /** Number of predictions that were NaN (the value is NaN when this is not 0). */
  nan: number;
}

/** How the input of a batch is read. */
type InputMode = 'labels' | 'scores' | 'argmax';

interface Layout {
  task: ClassTask;
  numClasses: number;
  mode: InputMode;
  /** For 'argmax': the class axis of the input, and its stride. */
  classAxis: number;
}

function countsLength(task: ClassTask, numClasses: number, matrix: boolean): number {
  if (task === 'binary') return 4;
  if (task === 'multiclass') return matrix ? numClasses * numClasses : 3 * numClasses;
  return numClasses * 4;
}

/** A zero state; throws E_RANGE (before allocating) past MAX_CONFUSION_COUNTS counters. */
export function emptyState(
  id: string,
  task: ClassTask,
  numClasses: number,
  matrix: boolean,
): ConfusionState {
  const length = countsLength(task, numClasses, matrix);
  if (!(length <= MAX_CONFUSION_COUNTS)) {
    const most =
      task === 'multiclass' && matrix
        ? Math.floor(Math.sqrt(MAX_CONFUSION_COUNTS))
        : Math.floor(MAX_CONFUSION_COUNTS / (task === 'multiclass' ? 3 : 4));
    fail(
      'E_RANGE',
      id,
      "option 'numClasses'",
      `at most ${most} classes for task '${task}' (the counts are limited to ${MAX_CONFUSION_COUNTS} numbers)`,
      `numClasses=${numClasses}`,
    );
  }
  return { task, numClasses, matrix, counts: new Float64Array(length), nan: 0 };
}

/** Task and class count from the options alone (no data seen), or null when they need data. */
export function layoutFromOptions(
  cfg: CountingConfig,
): { task: ClassTask; numClasses: number } | null {
  const task =
    cfg.task ?? (cfg.numClasses !== null && cfg.numClasses > 2 ? 'multiclass' : 'binary');
  if (task === 'binary') return { task, numClasses: 2 };
  return cfg.numClasses === null ? null : { task, numClasses: cfg.numClasses };
}

function resolveLayout(id: string, cfg: CountingConfig, input: Tensor, target: Tensor): Layout {
  const ri = input.shape.length;
  const rt = target.shape.length;
  if (ri === rt + 1) {
    // Scores (N, C, ...) with class-index target (N, ...): argmax over C (multiclass only).
    const classAxis = rt === 0 ? 0 : 1;
    const rest = input.shape.filter((_, i) => i !== classAxis);
    if (!shapeEquals(rest, target.shape)) {
      fail(
        'E_SHAPE',
        id,
        "input 'target'",
        `shape ${formatShape(rest)} (the input ${formatShape(input.shape)} without its class axis ${classAxis})`,
        `shape ${formatShape(target.shape)}`,
      );
    }
    if (cfg.task !== null && cfg.task !== 'multiclass') {
      fail(
        'E_SHAPE',
        id,
        "input 'input'",
        `the shape of 'target' ${formatShape(target.shape)} for task '${cfg.task}' (only multiclass takes a class axis)`,
        `shape ${formatShape(input.shape)}`,
      );
    }
    const c = input.shape[classAxis];
    if (cfg.numClasses !== null && cfg.numClasses !== c) {
      fail(
        'E_SHAPE',
        id,
        "input 'input'",
        `a class axis of size numClasses=${cfg.numClasses} (axis ${classAxis})`,
        `shape ${formatShape(input.shape)}`,
      );
    }
    return { task: 'multiclass', numClasses: c, mode: 'argmax', classAxis };
  }
  if (!shapeEquals(input.shape, target.shape)) {
    fail(
      'E_SHAPE',
      id,
      "input 'target'",
      `the shape of 'input' ${formatShape(input.shape)}, or that shape without the class axis`,
      `shape ${formatShape(target.shape)}`,
    );
  }
  const isLabels = input.data instanceof Int32Array;
  const task =
    cfg.task ?? (cfg.numClasses !== null && cfg.numClasses > 2 ? 'multiclass' : 'binary');
  if (task === 'binary') {
    if (cfg.numClasses !== null && cfg.numClasses !== 2) {
      fail(
        'E_OPTION',
        id,
        "option 'numClasses'",
        "null or 2 for task 'binary'",
        `numClasses=${cfg.numClasses}`,
        "Pass task: 'multiclass' for more classes.",
      );
    }
    return { task, numClasses: 2, mode: isLabels ? 'labels' : 'scores', classAxis: -1 };
  }
  if (task === 'multiclass') {
    if (cfg.numClasses === null) {
      fail(
        'E_OPTION',
        id,
        "option 'numClasses'",
        'the number of classes (an integer) when the multiclass input holds labels',
        'numClasses=null',
      );
    }
    return { task, numClasses: cfg.numClasses, mode: 'labels', classAxis: -1 };
  }
  if (ri < 2) {
    fail(
      'E_SHAPE',
      id,
      "input 'input'",
      "a tensor of shape (N, C, ...) for task 'multilabel' (rank >= 2)",
      `shape ${formatShape(input.shape)}`,
    );
  }
  const labels = input.shape[1];
  if (cfg.numClasses !== null && cfg.numClasses !== labels) {
    fail(
      'E_SHAPE',
      id,
      "input 'input'",
      `a label axis (axis 1) of size numClasses=${cfg.numClasses}`,
      `shape ${formatShape(input.shape)}`,
    );
  }
  return { task, numClasses: labels, mode: isLabels ? 'labels' : 'scores', classAxis: 1 };
}

function label(id: string, name: string, data: DataArray, i: number): number {
  const v = data[i];
  if (!Number.isInteger(v)) {
    fail(
      'E_TYPE',
      id,
      `input '${name}'`,
      'integer class labels (an Int32Array or integer-valued numbers)',
      `${describe(v)} at flat position ${i}`,
    );
  }
  return v;
}

function rangeFail(
  id: string,
  name: string,
  v: number,
  i: number,
  k: number,
  ignore: number | null,
  hint?: string,
): never {
  return fail(
    'E_RANGE',
    id,
    `input '${name}'`,
    `${k === 2 ? 'labels 0 or 1' : `class indices in [0, ${k - 1}]`}${ignore === null ? '' : ` or the ignore index ${ignore}`}`,
    `${v} at flat position ${i}`,
    hint,
  );
}

const BINARY_HINT = "Pass numClasses (or task: 'multiclass') for more than two classes.";

/**
 * Counts one batch into `state`. Validates everything first, so a bad batch leaves the state as it
 * was. Returns the state (created from the batch's layout when `state` is null).
 */
export function countBatch(
  id: string,
  cfg: CountingConfig,
  state: ConfusionState | null,
  input: Tensor,
  target: Tensor,
): ConfusionState {
  const layout = resolveLayout(id, cfg, input, target);
  if (state !== null && (state.task !== layout.task || state.numClasses !== layout.numClasses)) {
    fail(
      'E_SHAPE',
      id,
      "input 'input'",
      `a batch of the accumulator's layout (task '${state.task}', ${state.numClasses} classes)`,
      `a batch read as task '${layout.task}' with ${layout.numClasses} classes (shape ${formatShape(input.shape)})`,
    );
  }
  const { task, numClasses: k, mode } = layout;
  const ignore = cfg.ignoreIndex;
  const x = input.data;
  const t = target.data;
  const targetK = task === 'multiclass' ? k : 2;
  // Validation pass (no counting yet).
  for (let i = 0; i < t.length; i++) {
    const v = label(id, 'target', t, i);
    if ((v < 0 || v >= targetK) && v !== ignore) {
      rangeFail(id, 'target', v, i, targetK, ignore, task === 'binary' ? BINARY_HINT : undefined);
    }
  }
  if (mode === 'labels') {
    for (let i = 0; i < x.length; i++) {
      const v = label(id, 'input', x, i);
      if (v < 0 || v >= targetK)
        rangeFail(id, 'input', v, i, targetK, null, task === 'binary' ? BINARY_HINT : undefined);
    }
  }
  const out = state ?? emptyState(id, task, k, cfg.matrix);
  const m = out.counts;
  const matrix = out.matrix;
  const thr = cfg.threshold;
  if (mode === 'argmax') {
    const shape = input.shape;
    const axis = layout.classAxis;
    let inner = 1;
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
    const outer = t.length / Math.max(inner, 1);
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const ti = o * inner + s;
        const y = t[ti];
        if (y === ignore) continue;
        const base = o * k * inner + s;
        let best = -1;
        let bestV = -Infinity;
        let isNan = false;
        for (let c = 0; c < k; c++) {
          const v = x[base + c * inner];
          if (v !== v) {
            isNan = true;
            break;
          }
          if (best < 0 || v > bestV) {
            best = c;
            bestV = v;
          }
        }
        if (isNan) {
          out.nan++;
          continue;
        }
        countPair(m, k, matrix, y, best);
      }
    }
    return out;
  }
  if (task === 'multiclass') {
    for (let i = 0; i < t.length; i++) {
      const y = t[i];
      if (y === ignore) continue;
      countPair(m, k, matrix, y, x[i]);
    }
    return out;
  }
  // binary and multilabel: 2×2 blocks, per label for multilabel.
  let inner = 1;
  if (task === 'multilabel') for (let d = 2; d < input.shape.length; d++) inner *= input.shape[d];
  for (let i = 0; i < t.length; i++) {
    const y = t[i];
    if (y === ignore) continue;
    let p: number;
    if (mode === 'labels') p = x[i];
    else {
      const v = x[i];
      if (v !== v) {
        out.nan++;
        continue;
      }
      p = v > thr ? 1 : 0;
    }
    const block = task === 'binary' ? 0 : Math.floor(i / inner) % k;
    m[block * 4 + y * 2 + p] += 1;
  }
  return out;
}

/** Counts one multiclass (true y, predicted p) pair into the matrix or the marginals. */
function countPair(m: Float64Array, k: number, matrix: boolean, y: number, p: number): void {
  if (matrix) {
    m[y * k + p] += 1;
    return;
  }
  m[y] += 1;
  m[k + p] += 1;
  if (y === p) m[2 * k + y] += 1;
}

/**
 * Adds `src`'s counts into `dst` (same task and class count, checked by the caller). A multiclass
 * matrix folds into marginals; marginals cannot become a matrix (returns false, nothing added).
 */
export function addCounts(dst: ConfusionState, src: ConfusionState): boolean {
  const a = dst.counts;
  const b = src.counts;
  if (dst.task === 'multiclass' && dst.matrix !== src.matrix) {
    if (dst.matrix) return false;
    const k = dst.numClasses;
    for (let y = 0; y < k; y++) {
      for (let p = 0; p < k; p++) {
        const v = b[y * k + p];
        a[y] += v;
        a[k + p] += v;
        if (y === p) a[2 * k + y] += v;
      }
    }
  } else {
    for (let i = 0; i < a.length; i++) a[i] += b[i];
  }
  dst.nan += src.nan;
  return true;
}

/** Per-class true/false positives/negatives derived from the counts. */
export interface ClassStats {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  tn: Float64Array;
}

/**
 * Per-class statistics. Binary gives one "class" (the positive label); multiclass gives C (one
 * against the rest, as torchmetrics); multilabel gives one per label.
 */
export function classStats(state: ConfusionState): ClassStats {
  const m = state.counts;
  if (state.task !== 'multiclass') {
    const n = state.task === 'binary' ? 1 : state.numClasses;
    const s = {
      tp: new Float64Array(n),
      fp: new Float64Array(n),
      fn: new Float64Array(n),
      tn: new Float64Array(n),
    };
    for (let c = 0; c < n; c++) {
      s.tn[c] = m[c * 4];
      s.fp[c] = m[c * 4 + 1];
      s.fn[c] = m[c * 4 + 2];
      s.tp[c] = m[c * 4 + 3];
    }
    return s;
  }
  const k = state.numClasses;
  const s = {
    tp: new Float64Array(k),
    fp: new Float64Array(k),
    fn: new Float64Array(k),
    tn: new Float64Array(k),
  };
  if (!state.matrix) {
    let n = 0;
    for (let c = 0; c < k; c++) n += m[c];
    for (let c = 0; c < k; c++) {
      const row = m[c];
      const col = m[k + c];
      const tp = m[2 * k + c];
      s.tp[c] = tp;
      s.fp[c] = col - tp;
      s.fn[c] = row - tp;
      s.tn[c] = n - row - col + tp;
    }
    return s;
  }
  let total = 0;
  for (let i = 0; i < m.length; i++) total += m[i];
  for (let c = 0; c < k; c++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += m[c * k + j];
      col += m[j * k + c];
    }
    const tp = m[c * k + c];
    s.tp[c] = tp;
    s.fp[c] = col - tp;
    s.fn[c] = row - tp;
    s.tn[c] = total - row - col + tp;
  }
  return s;
}
