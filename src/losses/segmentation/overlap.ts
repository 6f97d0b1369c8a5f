/**
 * The overlap losses' plan and kernel body (dice, jaccard, tversky, focalTversky): per-class
 * statistics from `accumulateStats`, a per-class loss with its partial derivatives, smp's
 * aggregation (absent classes contribute 0 and count, optional class selection and weights, the
 * mean over images when `perImage`), and the gradient pass.
 */
import type { Plan } from '../../core/define.js';
import type { ResolvedTensorOption } from '../../core/options.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import type { SegLayout, SegMode, StatsScratch } from './common.js';
import {
  accumulateStats,
  classAggregation,
  FN,
  FP,
  requireMode,
  segLayout,
  statOf,
  statsScratch,
  TP,
  TSUM,
  writeOverlapGrad,
} from './common.js';

/**
 * The per-class score S = (k·TP + smooth) / max(k·TP + a·FP + b·FN + smooth, eps):
 * dice k = 2, a = b = 1 (the denominator is Σp + Σt); jaccard k = a = b = 1 (Σp + Σt − TP);
 * tversky k = 1, a = α, b = β. The per-class loss is 1 − S, or −log(max(S, eps)) with logLoss.
 * `focal` switches to Abraham & Khan's (1 − TI)^γ per class, no eps clamp (focalTversky).
 */
export interface OverlapForm {
  k: number;
  a: number;
  b: number;
  smooth: number;
  eps: number;
  logLoss: boolean;
  /** Exponent of the aggregated loss (tversky's gamma; 1 for dice and jaccard). */
  outerGamma: number;
  /** Exponent of each class's 1 − TI (focalTversky), or null. */
  focalGamma: number | null;
}

export interface OverlapPlan extends Plan {
  L: SegLayout;
  fromLogits: boolean;
  perImage: boolean;
  groups: number;
  sc: StatsScratch;
  /** w_c times the multiplicity of c among the selected classes (0 for unselected classes). */
  mult: Float64Array;
  /** Σ of `mult`. */
  total: number;
  form: OverlapForm;
  /** Gradient coefficients per (group, class): d/dp = A + t·B. */
  A: Float64Array;
  B: Float64Array;
}

export interface OverlapOptions {
  mode: SegMode | null;
  fromLogits: boolean;
  ignoreIndex: number | null;
  /** The intList option (no keywords here, so never a string in practice). */
  classes: Int32Array | string | null;
  classWeights: ResolvedTensorOption | null;
  perImage: boolean;
}

export function prepareOverlap(
  id: string,
  input: Tensor<FloatArray>,
  target: Tensor,
  o: OverlapOptions,
  form: OverlapForm,
): OverlapPlan {
  const mode = requireMode(id, o.mode);
  const L = segLayout(id, mode, input, target, o.ignoreIndex);
  const { mult, total } = classAggregation(
    id,
    L,
    typeof o.classes === 'string' ? null : o.classes,
    o.classWeights,
  );
  const groups = o.perImage ? L.batch : 1;
  const gc = groups * L.numClasses;
  return {
    size: 1,
    outShape: [],
    L,
    fromLogits: o.fromLogits,
    perImage: o.perImage,
    groups,
    sc: statsScratch(L, groups, o.fromLogits),
    mult,
    total,
    form,
    A: new Float64Array(gc),
    B: new Float64Array(gc),
  };
}

/** Per-class loss and its partials with respect to TP, FP, FN, written into r[0..3]. */
function classLoss(f: OverlapForm, tp: number, fp: number, fn: number, r: Float64Array): void {
  const num = f.k * tp + f.smooth;
  const den = f.k * tp + f.a * fp + f.b * fn + f.smooth;
  if (f.focalGamma !== null) {
    // TI = num / den, l = (1 − TI)^γ (Abraham & Khan's code form, no clamp)
    const ti = num / den;
    const g = f.focalGamma;
    const om = 1 - ti;
    r[0] = om ** g;
    const dl = -g * om ** (g - 1);
    const inv = 1 / den;
    const q = num * inv * inv;
    r[1] = dl * (f.k * inv - q * f.k);
    r[2] = dl * (-q * f.a);
    r[3] = dl * (-q * f.b);
    return;
  }
  // torch clamp_min passes the gradient where den >= eps
  const dc = Math.max(den, f.eps);
  const live = den >= f.eps ? 1 : 0;
  const s = num / dc;
  let dl: number;
  if (f.logLoss) {
    const sc = Math.max(s, f.eps);
    r[0] = -Math.log(sc);
    dl = s >= f.eps ? -1 / sc : 0;
  } else {
    r[0] = 1 - s;
    dl = -1;
  }
  const q = ((num / dc) * live) / dc;
  r[1] = dl * (f.k / dc - q * f.k);
  r[2] = dl * (-q * f.a);
  r[3] = dl * (-q * f.b);
}

/** The overlap kernel: value, and the gradient into gx when given (every element written). */
export function overlapKernel(plan: OverlapPlan, gx: FloatArray | null, scale: number): number {
  const { L, sc, mult, total, groups: G, form, A, B } = plan;
  const C = L.numClasses;
  accumulateStats(L, plan.fromLogits, plan.perImage, sc, gx !== null);
  const r = new Float64Array(4);
  const div = total * G;
  let sum = 0;
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      if (mult[c] === 0) continue;
      classLoss(form, statOf(sc, C, g, c, TP), statOf(sc, C, g, c, FP), statOf(sc, C, g, c, FN), r);
      const present = statOf(sc, C, g, c, TSUM) > 0 ? 1 : 0;
      sum += mult[c] * (r[0] * present);
    }
  }
  const mean = div === 0 ? 0 : sum / div;
  const gamma = form.outerGamma;
  const value = gamma === 1 ? mean : mean ** gamma;
  if (gx === null) return value;
  const outer = div === 0 ? 0 : (gamma === 1 ? 1 : gamma * mean ** (gamma - 1)) * (scale / div);
  for (let g = 0; g < G; g++) {
    for (let c = 0; c < C; c++) {
      const j = g * C + c;
      const present = statOf(sc, C, g, c, TSUM) > 0;
      if (mult[c] === 0 || !present || outer === 0) {
        A[j] = 0;
        B[j] = 0;
        continue;
      }
      classLoss(form, statOf(sc, C, g, c, TP), statOf(sc, C, g, c, FP), statOf(sc, C, g, c, FN), r);
      const w = outer * mult[c];
      const cTp = w * r[1];
      const cFp = w * r[2];
      const cFn = w * r[3];
      A[j] = cFp;
      B[j] = cTp - cFp - cFn;
    }
  }
  writeOverlapGrad(L, plan.fromLogits, plan.perImage, sc, A, B, gx);
  return value;
}
