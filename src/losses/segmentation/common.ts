/**
 * Shared machinery of catalog section 3 (segmentation): the three modes' layouts (binary,
 * multiclass, multilabel; any number of spatial dims), the option specs the entries share, and the
 * overlap kernel behind dice, jaccard, tversky and focalTversky: one pass over the pixels for the
 * per-class statistics (TP, FP, FN, target mass, summed per class over the batch or per image) and,
 * when gradients are wanted, one pass for the gradient, chained through sigmoid or softmax in closed
 * form.
 */
import { fail } from '../../core/errors.js';
import type { EnumOptionSpec, ResolvedTensorOption } from '../../core/options.js';
import { SUM_BLOCK } from '../../core/numerics.js';
import { checkClassWeight } from '../../core/reduce.js';
import { requireIndicesInRange } from '../../core/shapes.js';
import type { DataArray, FloatArray, Tensor } from '../../core/tensor.js';
import { asIndices, formatShape, numel, shapeEquals } from '../../core/tensor.js';
import { overlapGradFast, overlapStatsFast } from '../../wasm/overlap.js';

export const SEG_MODES = ['binary', 'multiclass', 'multilabel'] as const;
export type SegMode = (typeof SEG_MODES)[number];

// ---------------------------------------------------------------------------------------------------
// Option specs shared by the entries (the catalog's names and defaults)

export const MODE_OPTION = {
  type: 'enum',
  values: SEG_MODES,
  default: null,
  doc: "Required. 'binary': input (N, 1, d1, ...) or (N, d1, ...) with a 0/1 (or soft) mask of the same spatial shape; 'multiclass': input (N, C, d1, ...) with class indices (N, d1, ...); 'multilabel': input (N, C, d1, ...) with a mask of the same shape.",
} as const satisfies EnumOptionSpec<SegMode>;

export const FROM_LOGITS_OPTION = {
  type: 'boolean',
  default: true,
  doc: "Input holds logits: softmax over C in 'multiclass' mode, sigmoid otherwise (smp's log_softmax().exp() / logsigmoid().exp()). false: the input holds probabilities.",
} as const;

export const IGNORE_INDEX_OPTION = {
  type: 'number',
  default: null,
  integer: true,
  doc: 'Target value whose pixels are left out of every sum (their prediction and target are zeroed, as smp). null: none.',
} as const;

export const CLASSES_OPTION = {
  type: 'intList',
  default: null,
  doc: 'Class ids whose losses enter the class mean (after the per-class losses are computed, as smp). null: every class. Not allowed in binary mode.',
} as const;

export const CLASS_WEIGHTS_OPTION = {
  type: 'tensor',
  default: null,
  doc: 'Per-class weights (length C): the class mean becomes Σ w_c·l_c / Σ w_c over the selected classes (smp class_weights). Not allowed in binary mode.',
} as const;

export const LOG_LOSS_OPTION = {
  type: 'boolean',
  default: false,
  doc: 'Per-class loss −log(max(score, eps)) instead of 1 − score.',
} as const;

export const PER_IMAGE_OPTION = {
  type: 'boolean',
  default: false,
  doc: 'Score each (image, class) pair instead of each class over the whole batch; the loss is the mean over images of the class mean (a class absent from an image contributes 0 and counts).',
} as const;

// ---------------------------------------------------------------------------------------------------
// Layouts

/**
 * Where the pixels are. Input element (n, c, s) is x[(n·C + c)·S + s]; a binary or multilabel target
 * is read at the same index, a multiclass target (class indices) at n·S + s.
 */
export interface SegLayout {
  mode: SegMode;
  /** N. */
  batch: number;
  /** C (1 in binary mode). */
  numClasses: number;
  /** S: pixels per image (product of the spatial dims). */
  spatial: number;
  x: FloatArray;
  /** Binary / multilabel target values, as given (0/1 masks, soft masks or integers). */
  mask: DataArray | null;
  /** Multiclass target indices. */
  labels: Int32Array | null;
  ignore: number | null;
}

const SHAPES_HINT =
  'binary: input (N, 1, d1, ...) or (N, d1, ...) and target of the same spatial shape; multiclass: input (N, C, d1, ...) and class indices (N, d1, ...); multilabel: input and target (N, C, d1, ...)';

/** The required `mode` option: E_OPTION when it is missing. */
export function requireMode(id: string, mode: SegMode | null): SegMode {
  if (mode === null) {
    fail(
      'E_OPTION',
      id,
      "option 'mode'",
      "given: one of 'binary', 'multiclass', 'multilabel' (it has no default, as smp)",
      'mode=null',
    );
  }
  return mode;
}

/** Binary target shapes: the input's shape, or the input's without (or with) a singleton dim 1. */
function binaryTargetFits(inputShape: readonly number[], targetShape: readonly number[]): boolean {
  if (shapeEquals(inputShape, targetShape)) return true;
  const drop1 = (s: readonly number[]): number[] => [s[0], ...s.slice(2)];
  if (inputShape.length >= 2 && inputShape[1] === 1 && shapeEquals(drop1(inputShape), targetShape))
    return true;
  return (
    targetShape.length >= 2 && targetShape[1] === 1 && shapeEquals(drop1(targetShape), inputShape)
  );
}

function shapeFail(
  id: string,
  mode: SegMode,
  expected: string,
  target: Tensor,
  input: Tensor,
): never {
  const hint =
    mode === 'multiclass' && shapeEquals(target.shape, input.shape)
      ? "A target shaped like the input is a per-class mask: use mode 'multilabel' (or pass class indices)."
      : mode !== 'multiclass' && target.shape.length === input.shape.length - 1
        ? "A target without the class axis holds class indices: use mode 'multiclass'."
        : `Shapes by mode: ${SHAPES_HINT}.`;
  return fail(
    'E_SHAPE',
    id,
    "input 'target'",
    expected,
    `shape ${formatShape(target.shape)} for input ${formatShape(input.shape)}`,
    hint,
  );
}

/**
 * Validates input and target for a mode and returns the layout. E_SHAPE for a target shape that
 * fits no mode / does not match the input; E_TYPE for non-integer multiclass indices; E_RANGE for
 * indices outside [0, C) that are not the ignore index.
 */
export function segLayout(
  id: string,
  mode: SegMode,
  input: Tensor<FloatArray>,
  target: Tensor,
  ignore: number | null,
): SegLayout {
  const rank = input.shape.length;
  const minRank = mode === 'binary' ? 1 : 2;
  if (rank < minRank) {
    fail(
      'E_SHAPE',
      id,
      "input 'input'",
      mode === 'binary'
        ? 'a tensor of shape (N, 1, d1, ...) or (N, d1, ...) (rank >= 1)'
        : `a tensor of shape (N, C, d1, ...) in ${mode} mode (rank >= 2)`,
      `shape ${formatShape(input.shape)}`,
    );
  }
  const batch = input.shape[0];
  if (mode === 'binary') {
    if (!binaryTargetFits(input.shape, target.shape)) {
      shapeFail(id, mode, "a mask of the input's spatial shape in binary mode", target, input);
    }
    return {
      mode,
      batch,
      numClasses: 1,
      spatial: batch === 0 ? numel(input.shape.slice(1)) : input.data.length / batch,
      x: input.data,
      mask: target.data,
      labels: null,
      ignore,
    };
  }
  const numClasses = input.shape[1];
  const spatialShape = input.shape.slice(2);
  const spatial = numel(spatialShape);
  if (numClasses === 0 && batch * spatial > 0) {
    fail(
      'E_SHAPE',
      id,
      "input 'input'",
      'at least one class along dim 1',
      `shape ${formatShape(input.shape)}`,
    );
  }
  if (mode === 'multilabel') {
    if (!shapeEquals(target.shape, input.shape)) {
      shapeFail(
        id,
        mode,
        `a mask of the input's shape ${formatShape(input.shape)} in multilabel mode`,
        target,
        input,
      );
    }
    return {
      mode,
      batch,
      numClasses,
      spatial,
      x: input.data,
      mask: target.data,
      labels: null,
      ignore,
    };
  }
  const want = [batch, ...spatialShape];
  if (!shapeEquals(target.shape, want)) {
    shapeFail(
      id,
      mode,
      `class indices of shape ${formatShape(want)} (the input shape without dim 1) in multiclass mode`,
      target,
      input,
    );
  }
  const labels = asIndices(target, id, 'target');
  requireIndicesInRange(id, 'target', labels, numClasses, ignore);
  return { mode, batch, numClasses, spatial, x: input.data, mask: null, labels, ignore };
}

/**
 * Per-class aggregation weights for the selected classes: mult[c] = w_c · (how often c is listed),
 * and their total. E_OPTION for classes / classWeights in binary mode or a class id outside [0, C);
 * E_SHAPE for class weights that are not of length C.
 */
export function classAggregation(
  id: string,
  layout: SegLayout,
  classes: Int32Array | null,
  classWeights: ResolvedTensorOption | null,
): { mult: Float64Array; total: number } {
  const C = layout.numClasses;
  if (layout.mode === 'binary') {
    if (classes !== null) {
      fail(
        'E_OPTION',
        id,
        "option 'classes'",
        'null in binary mode (smp)',
        `classes=[${Array.from(classes).join(', ')}]`,
      );
    }
    if (classWeights !== null) {
      fail(
        'E_OPTION',
        id,
        "option 'classWeights'",
        'null in binary mode (smp)',
        'a class weight tensor',
      );
    }
  }
  const w = classWeights === null ? null : checkClassWeight(classWeights, C, id, 'classWeights');
  const mult = new Float64Array(C);
  let total = 0;
  if (classes === null) {
    for (let c = 0; c < C; c++) {
      const wc = w === null ? 1 : w[c];
      mult[c] = wc;
      total += wc;
    }
  } else {
    for (const c of classes) {
      if (c < 0 || c >= C) {
        fail(
          'E_OPTION',
          id,
          "option 'classes'",
          `class ids in [0, ${C - 1}]`,
          `classes=[${Array.from(classes).join(', ')}]`,
        );
      }
      const wc = w === null ? 1 : w[c];
      mult[c] += wc;
      total += wc;
    }
  }
  return { mult, total };
}

// ---------------------------------------------------------------------------------------------------
// Per-class statistics

/** Offsets of the four statistics of one (group, class) in the stats arrays. */
export const TP = 0;
export const FP = 1;
export const FN = 2;
export const TSUM = 3;
export const NSTATS = 4;

/** Scratch for `accumulateStats`: compensated sums per (group, class) and a block buffer. */
export interface StatsScratch {
  /** groups·C·4 sums: TP = Σ p·t, FP = Σ p·(1 − t), FN = Σ (1 − p)·t, T = Σ t. */
  stats: Float64Array;
  /** Neumaier compensations of `stats`. */
  comp: Float64Array;
  /** C·4 plain sums of the current block of pixels. */
  block: Float64Array;
  /** Softmax numerators of one pixel (length C). */
  row: Float64Array;
  /** N·C·S softmax probabilities (multiclass from logits), kept for the gradient pass. */
  probs: Float64Array | null;
}

export function statsScratch(layout: SegLayout, groups: number, fromLogits: boolean): StatsScratch {
  const C = layout.numClasses;
  return {
    stats: new Float64Array(groups * C * NSTATS),
    comp: new Float64Array(groups * C * NSTATS),
    block: new Float64Array(C * NSTATS),
    row: new Float64Array(Math.max(C, 1)),
    probs: layout.mode === 'multiclass' && fromLogits ? new Float64Array(layout.x.length) : null,
  };
}

/** Adds the block sums into the compensated stats of group g (Neumaier), and clears the block. */
function foldBlock(sc: StatsScratch, g: number, C: number): void {
  const base = g * C * NSTATS;
  const n = C * NSTATS;
  const { stats, comp, block } = sc;
  for (let k = 0; k < n; k++) {
    const v = block[k];
    const s = stats[base + k];
    const t = s + v;
    comp[base + k] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    stats[base + k] = t;
    block[k] = 0;
  }
}

/** σ(x) as 1/(1 + e^−x) or e^x/(1 + e^x), the branch chosen by sign (one exp). */
function sig(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const r = 1 / (1 + e);
  return x >= 0 ? r : e * r;
}

/**
 * Pass 1: the per-(group, class) statistics, group = image when `perImage`, else one group. Ignored
 * pixels (target = ignore) are left out. With `keepProbs` the softmax probabilities are stored in
 * sc.probs for the gradient pass.
 */
export function accumulateStats(
  L: SegLayout,
  fromLogits: boolean,
  perImage: boolean,
  sc: StatsScratch,
  keepProbs: boolean,
): void {
  const { batch: N, numClasses: C, spatial: S, x } = L;
  const ig = L.ignore;
  const { block, row } = sc;
  sc.stats.fill(0);
  sc.comp.fill(0);
  block.fill(0);
  if (L.mode !== 'multiclass') {
    const t = L.mask!;
    const fast = overlapStatsFast(x, t, N * C, S, fromLogits, ig, (j, tp, fp, fn, ts) => {
      const c = j % C;
      foldOne(sc, ((perImage ? (j - c) / C : 0) * C + c) * NSTATS, tp, fp, fn, ts);
    });
    if (fast) return;
    const hasIgnore = ig !== null;
    const igv = ig ?? 0;
    for (let n = 0; n < N; n++) {
      const g = perImage ? n : 0;
      for (let c = 0; c < C; c++) {
        const base = (n * C + c) * S;
        const o = (g * C + c) * NSTATS;
        for (let b = 0; b < S; b += SUM_BLOCK) {
          const e = Math.min(S, b + SUM_BLOCK);
          let tp = 0;
          let fp = 0;
          let fn = 0;
          let ts = 0;
          for (let s = b; s < e; s++) {
            const i = base + s;
            const tv = t[i];
            const valid = !(hasIgnore && tv === igv);
            const p = valid ? (fromLogits ? sig(x[i]) : x[i]) : 0;
            const tt = valid ? tv : 0;
            tp += p * tt;
            fp += p * (1 - tt);
            fn += (1 - p) * tt;
            ts += tt;
          }
          foldOne(sc, o, tp, fp, fn, ts);
        }
      }
    }
    return;
  }
  const y = L.labels!;
  const probs = keepProbs ? sc.probs : null;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    const g = perImage ? n : 0;
    const xb = n * CS;
    for (let b = 0; b < S; b += SUM_BLOCK) {
      const e = Math.min(S, b + SUM_BLOCK);
      for (let s = b; s < e; s++) {
        const label = y[n * S + s];
        if (label === ig) continue;
        let sum = 1;
        if (fromLogits) {
          let m = -Infinity;
          for (let c = 0, i = xb + s; c < C; c++, i += S) if (x[i] > m) m = x[i];
          sum = 0;
          for (let c = 0, i = xb + s; c < C; c++, i += S) {
            const v = Math.exp(x[i] - m);
            row[c] = v;
            sum += v;
          }
        }
        for (let c = 0, i = xb + s; c < C; c++, i += S) {
          const p = fromLogits ? row[c] / sum : x[i];
          if (probs !== null) probs[i] = p;
          const k = c * NSTATS;
          if (c === label) {
            block[k + TP] += p;
            block[k + FN] += 1 - p;
            block[k + TSUM] += 1;
          } else {
            block[k + FP] += p;
          }
        }
      }
      foldBlock(sc, g, C);
    }
  }
}

/** Adds four block sums into stats[o..o+3] (Neumaier). */
function foldOne(sc: StatsScratch, o: number, a: number, b: number, c: number, d: number): void {
  const { stats, comp } = sc;
  neumaierInto(stats, comp, o + TP, a);
  neumaierInto(stats, comp, o + FP, b);
  neumaierInto(stats, comp, o + FN, c);
  neumaierInto(stats, comp, o + TSUM, d);
}

function neumaierInto(s: Float64Array, c: Float64Array, k: number, v: number): void {
  const a = s[k];
  const t = a + v;
  c[k] += Math.abs(a) >= Math.abs(v) ? a - t + v : v - t + a;
  s[k] = t;
}

/** The compensated value of statistic k (TP, FP, FN, TSUM) of (group g, class c). */
export function statOf(sc: StatsScratch, C: number, g: number, c: number, k: number): number {
  const o = (g * C + c) * NSTATS + k;
  const s = sc.stats[o];
  return Number.isFinite(s) ? s + sc.comp[o] : s;
}

// ---------------------------------------------------------------------------------------------------
// Gradient pass

/**
 * Pass 2: with per-(group, class) coefficients such that d(loss)/dp = A + t·B at a pixel of target
 * t (the chain rule through TP, FP, FN: A = ∂/∂FP, B = ∂/∂TP − ∂/∂FP − ∂/∂FN, scale included),
 * writes d(loss)/d(input) for every element: through sigmoid (p·(1 − p), with 1 − p = σ(−x)),
 * softmax (p_c·(g_c − Σ_k p_k·g_k)) or directly for probabilities. Ignored pixels get 0.
 */
export function writeOverlapGrad(
  L: SegLayout,
  fromLogits: boolean,
  perImage: boolean,
  sc: StatsScratch,
  A: Float64Array,
  B: Float64Array,
  gx: FloatArray,
): void {
  const { batch: N, numClasses: C, spatial: S, x } = L;
  const ig = L.ignore;
  if (L.mode !== 'multiclass') {
    const t = L.mask!;
    const coef = (j: number): [number, number] => {
      const c = j % C;
      const k = (perImage ? (j - c) / C : 0) * C + c;
      return [A[k], B[k]];
    };
    if (overlapGradFast(x, t, N * C, S, fromLogits, ig, coef, gx)) return;
    const hasIgnore = ig !== null;
    const igv = ig ?? 0;
    for (let n = 0; n < N; n++) {
      const g = perImage ? n : 0;
      for (let c = 0; c < C; c++) {
        const a = A[g * C + c];
        const bb = B[g * C + c];
        const base = (n * C + c) * S;
        if (fromLogits) {
          for (let s = 0; s < S; s++) {
            const i = base + s;
            const tv = t[i];
            const xv = x[i];
            const e = Math.exp(-Math.abs(xv));
            const r = 1 / (1 + e);
            // p·(1 − p) = σ(x)·σ(−x) = e/(1 + e)² for either sign of x
            const d = e * r * r;
            const gv = (a + tv * bb) * d;
            gx[i] = hasIgnore && tv === igv ? 0 : gv;
          }
        } else {
          for (let s = 0; s < S; s++) {
            const i = base + s;
            const tv = t[i];
            gx[i] = hasIgnore && tv === igv ? 0 : a + tv * bb;
          }
        }
      }
    }
    return;
  }
  const y = L.labels!;
  const probs = sc.probs;
  const row = sc.row;
  const CS = C * S;
  for (let n = 0; n < N; n++) {
    const g = perImage ? n : 0;
    const gb = g * C;
    const xb = n * CS;
    for (let s = 0; s < S; s++) {
      const label = y[n * S + s];
      if (label === ig) {
        for (let c = 0, i = xb + s; c < C; c++, i += S) gx[i] = 0;
        continue;
      }
      if (probs === null) {
        for (let c = 0, i = xb + s; c < C; c++, i += S)
          gx[i] = c === label ? A[gb + c] + B[gb + c] : A[gb + c];
        continue;
      }
      let dot = 0;
      for (let c = 0, i = xb + s; c < C; c++, i += S) {
        const gc = c === label ? A[gb + c] + B[gb + c] : A[gb + c];
        row[c] = gc;
        dot += probs[i] * gc;
      }
      for (let c = 0, i = xb + s; c < C; c++, i += S) gx[i] = probs[i] * (row[c] - dot);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Input specs

export const SEG_INPUT = {
  name: 'input',
  role: 'logits',
  shape: '(N, C, d1, ...) or, binary, (N, 1, d1, ...) / (N, d1, ...)',
  differentiable: true,
  kind: 'float',
  doc: 'Logits (fromLogits = true: softmax over dim 1 in multiclass mode, sigmoid otherwise) or probabilities.',
} as const;

export const SEG_TARGET = {
  name: 'target',
  role: 'targets',
  shape:
    'binary: the spatial shape of input; multiclass: (N, d1, ...); multilabel: (N, C, d1, ...)',
  differentiable: false,
  kind: 'raw',
  doc: 'Binary / multilabel: 0/1 masks (soft masks allowed, integers or floats); multiclass: class indices in [0, C) or the ignore index.',
} as const;
