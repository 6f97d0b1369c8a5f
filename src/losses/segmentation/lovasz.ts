/**
 * The Lovász extension of the Jaccard loss (Berman, Rannen Triki, Blaschko, CVPR 2018; official
 * `lovasz_grad` of bermanmaxim/LovaszSoftmax pytorch/lovasz_losses.py): errors sorted in descending
 * order (stable, so ties keep pixel order), the Jaccard loss of each prefix, and its increments as
 * the weights of the sorted errors. The loss is piecewise linear in the errors; the gradient written
 * here is its exact gradient at the current sort order (the increments themselves).
 */
import { argsortStable } from '../../core/layout.js';
import { SUM_BLOCK } from '../../core/numerics.js';

/** Sort scratch sized for the largest pixel set of one group. */
export interface LovaszScratch {
  err: Float64Array;
  fg: Float64Array;
  order: Int32Array;
  merge: Int32Array;
  /** d(loss)/d(error) per local pixel. */
  dErr: Float64Array;
}

export function lovaszScratch(n: number): LovaszScratch {
  return {
    err: new Float64Array(n),
    fg: new Float64Array(n),
    order: new Int32Array(n),
    merge: new Int32Array(n),
    dErr: new Float64Array(n),
  };
}

/**
 * Σ_k f(e_π(k))·Δ_k over the n errors in sc.err with ground truth sc.fg (0/1), π the stable
 * descending order, Δ_k = J_k − J_{k−1} with J_k = 1 − (G − Σ_{j≤k} g_π(j)) / (G + Σ_{j≤k} (1 − g_π(j)))
 * and G = Σ g. f is relu (hinge; torch's relu passes no gradient at 0) or the identity. When
 * `grad` is true, sc.dErr[i] receives d(loss)/d(err[i]).
 */
export function lovaszExtension(
  sc: LovaszScratch,
  n: number,
  relu: boolean,
  grad: boolean,
): number {
  const { err, fg, order, merge, dErr } = sc;
  if (n === 0) return 0;
  argsortStable(err, 0, 1, n, true, order, merge);
  let gts = 0;
  for (let i = 0; i < n; i++) gts += fg[i];
  let cumFg = 0;
  let cumBg = 0;
  let prevJ = 0;
  let total = 0;
  let comp = 0;
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let s = 0;
    for (let k = b; k < e; k++) {
      const i = order[k];
      const g = fg[i];
      cumFg += g;
      cumBg += 1 - g;
      const jac = 1 - (gts - cumFg) / (gts + cumBg);
      const delta = k === 0 ? jac : jac - prevJ;
      prevJ = jac;
      const ev = err[i];
      const fv = relu ? Math.max(ev, 0) : ev;
      s += fv * delta;
      if (grad) dErr[i] = relu ? (ev > 0 ? delta : 0) : delta;
    }
    const t = total + s;
    comp += Math.abs(total) >= Math.abs(s) ? total - t + s : s - t + total;
    total = t;
  }
  return Number.isFinite(total) ? total + comp : total;
}
