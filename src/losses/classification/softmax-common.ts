/**
 * Computation helpers of the softmax / multiclass family: where a position's classes start, the
 * 'mean' divisor of index targets, per-class vector options, Keras' probability clip. The input and
 * option specs live in softmax-specs.ts; layouts and softmax numerics in core/layout.ts and
 * core/numerics.ts.
 */
import type { ClassLayout } from '../../core/layout.js';
import { fail } from '../../core/errors.js';
import { KERAS_EPSILON } from '../../core/numerics.js';
import type { ResolvedTensorOption } from '../../core/options.js';
import type { FloatArray } from '../../core/tensor.js';
import { formatShape } from '../../core/tensor.js';

/**
 * Flat index of class 0 of position k = o·inner + s in a ClassLayout: o·C·inner + s, i.e.
 * k + o·(C − 1)·inner. Its class c sits at that index + c·inner.
 */
export function positionBase(k: number, layout: ClassLayout): number {
  const inner = layout.inner;
  return k + Math.floor(k / inner) * (layout.numClasses - 1) * inner;
}

/** Sets the C gradient entries of one position to 0 (for kernels that write every gradient element). */
export function zeroRow(g: FloatArray, base: number, stride: number, n: number): void {
  for (let c = 0, i = base; c < n; c++, i += stride) g[i] = 0;
}

/**
 * Σ over the positions whose target is not `ignore` of the target's class weight (1 each without
 * weights, giving their count): the 'mean' divisor of the index-target entries.
 */
export function targetWeightSum(
  y: Int32Array,
  w: Float64Array | null,
  ignore: number | null,
): number {
  let total = 0;
  for (let k = 0; k < y.length; k++) {
    const t = y[k];
    if (t !== ignore) total += w === null ? 1 : w[t];
  }
  return total;
}

/** A per-class vector option of length C (E_SHAPE otherwise). */
export function classVector(
  id: string,
  option: ResolvedTensorOption,
  numClasses: number,
  name: string,
  what: string,
): Float64Array {
  if (option.shape.length !== 1 || option.shape[0] !== numClasses) {
    fail(
      'E_SHAPE',
      id,
      `option '${name}'`,
      `a 1-D tensor of length C = ${numClasses} (${what})`,
      `shape ${formatShape(option.shape)}`,
    );
  }
  return option.data;
}

/** The `weight` option (CLASS_WEIGHT) as a length-C vector, or null when not given. */
export function classWeight(
  id: string,
  weight: ResolvedTensorOption | null,
  numClasses: number,
): Float64Array | null {
  return weight === null
    ? null
    : classVector(id, weight, numClasses, 'weight', 'one weight per class');
}

/** Σ_c w_c, or C without weights. */
export function weightTotal(w: Float64Array | null, numClasses: number): number {
  if (w === null) return numClasses;
  let total = 0;
  for (let c = 0; c < numClasses; c++) total += w[c];
  return total;
}

/** Keras clips renormalised probabilities to [ε, 1 − ε] with ε = backend.epsilon(). */
export const KERAS_CLIP_LOW = KERAS_EPSILON;
export const KERAS_CLIP_HIGH = 1 - KERAS_EPSILON;

/** clip(q, ε, 1 − ε) without a branch; NaN stays NaN (Math.max/min propagate it). */
export function kerasClip(q: number): number {
  return Math.min(Math.max(q, KERAS_CLIP_LOW), KERAS_CLIP_HIGH);
}

/**
 * d clip(q)/dq as torch's clamp: 1 inside [ε, 1 − ε] (bounds included), 0 outside and for NaN.
 */
export function kerasClipSlope(q: number): number {
  return q >= KERAS_CLIP_LOW && q <= KERAS_CLIP_HIGH ? 1 : 0;
}
