/**
 * The only reduction and weighting code in losskit. Kernels produce per-unit losses (elements, samples
 * or slates) and their compensated sum; this module turns that sum into the reduced value, and the
 * reduction into the scale that seeds the backward kernels. Weight broadcasting lives here too.
 */
import { describe, fail } from './errors.js';
import { formatShape, numel, stridesOf } from './tensor.js';

export type Reduction = 'mean' | 'sum' | 'none' | 'batchmean' | 'tokenMean' | 'sentenceMean';

/** The reductions of an elementwise or per-sample loss. */
export const STANDARD_REDUCTIONS = ['mean', 'sum', 'none'] as const satisfies readonly Reduction[];

/**
 * What a dividing reduction divides the sum by. 'sum' divides by 1; the others use the loss's
 * divisor when it declares one, else the number of units (an unweighted mean).
 */
export function divisorFor(
  reduction: Reduction,
  size: number,
  divisors: Partial<Record<Reduction, number>> | undefined,
): number {
  if (reduction === 'sum' || reduction === 'none') return 1;
  return divisors?.[reduction] ?? size;
}

/**
 * sum / divisor, except that a divisor of 0 (empty input, everything ignored, zero total weight)
 * gives 0 instead of NaN: the library-wide rule.
 */
export function reduceSum(sum: number, divisor: number): number {
  return divisor === 0 ? 0 : sum / divisor;
}

/** d(reduced)/d(unit loss): the same for every unit under a dividing or summing reduction. */
export function unitScale(divisor: number, upstream: number): number {
  return divisor === 0 ? 0 : upstream / divisor;
}

/**
 * Broadcasts `data` of shape `from` to shape `to` with NumPy rules (trailing alignment, size-1 dims
 * stretch). Returns `data` itself when the shapes already agree. Throws E_SHAPE otherwise.
 */
export function broadcastTo(
  data: Float64Array,
  from: readonly number[],
  to: readonly number[],
  loss: string,
  arg: string,
): Float64Array {
  const n = numel(to);
  if (data.length === n && from.length === to.length && from.every((d, i) => d === to[i]))
    return data;
  if (from.length > to.length) broadcastFail(from, to, loss, arg);
  const offset = to.length - from.length;
  const srcStrides = stridesOf(from);
  const eff = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) {
    const d = from[i];
    const t = to[i + offset];
    if (d === t) eff[i + offset] = srcStrides[i];
    else if (d === 1) eff[i + offset] = 0;
    else broadcastFail(from, to, loss, arg);
  }
  const out = new Float64Array(n);
  if (n === 0) return out;
  const rank = to.length;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    out[k] = data[src];
    for (let ax = rank - 1; ax >= 0; ax--) {
      idx[ax]++;
      src += eff[ax];
      if (idx[ax] < to[ax]) break;
      src -= eff[ax] * to[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

function broadcastFail(
  from: readonly number[],
  to: readonly number[],
  loss: string,
  arg: string,
): never {
  return fail(
    'E_SHAPE',
    loss,
    `'${arg}'`,
    `a shape that broadcasts to ${formatShape(to)}`,
    `shape ${formatShape(from)}`,
  );
}

/** Checks a per-class weight vector: shape (C) exactly. */
export function checkClassWeight(
  w: { data: Float64Array; shape: number[] },
  numClasses: number,
  loss: string,
  arg = 'weight',
): Float64Array {
  if (w.shape.length !== 1 || w.shape[0] !== numClasses) {
    fail(
      'E_SHAPE',
      loss,
      `option '${arg}'`,
      `a 1-D tensor of length C = ${numClasses} (one weight per class)`,
      `shape ${formatShape(w.shape)}${w.shape.length === 0 ? ` (${describe(w.data[0])})` : ''}`,
    );
  }
  return w.data;
}
