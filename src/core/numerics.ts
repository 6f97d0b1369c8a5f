import type { FloatArray } from './tensor.js';

/**
 * Stable numerical primitives. Every kernel builds on these instead of writing exp/log by hand.
 * Named constants carry the reference libraries' epsilons.
 */

/** torch `binary_cross_entropy` clamps each log term at −100. */
export const TORCH_BCE_LOG_CLAMP = -100;
/**
 * torch's BCE backward divides by max(p(1−p), EPSILON) with EPSILON = 1e-12 stored as a float32
 * constant, i.e. 9.999999960041972e-13 (measured on torch 1.13: the gradient at p = 0, y = 1 is
 * −1.000000003995803e12).
 */
export const TORCH_BCE_GRAD_EPS = Math.fround(1e-12);
/** Keras `backend.epsilon()`. */
export const KERAS_EPSILON = 1e-7;
export const LN2 = Math.LN2;
export const LOG_2PI = Math.log(2 * Math.PI);

/** log(1 + exp(x)) without overflow or loss of precision (thresholds as stdlib `log1pexp`). */
export function softplus(x: number): number {
  if (x <= -37) return Math.exp(x);
  if (x <= 18) return Math.log1p(Math.exp(x));
  if (x <= 33.3) return x + Math.exp(-x);
  return x; // NaN falls through the comparisons to here and propagates
}

/** log σ(x) = −softplus(−x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** σ(x), stable for both signs. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 − exp(−a)) for a > 0 (Mächler's log1mexp). */
export function log1mexp(a: number): number {
  return a <= LN2 ? Math.log(-Math.expm1(-a)) : Math.log1p(-Math.exp(-a));
}

/**
 * log(cosh(x)), finite for any finite x and accurate to a few ulps relative everywhere:
 * log1p(2·sinh²(x/2)) for |x| < 1 (cosh x − 1 = 2 sinh²(x/2) without cancellation), else
 * |x| + log1p(exp(−2|x|)) − log 2.
 */
export function logCosh(x: number): number {
  const a = Math.abs(x);
  if (a < 1) {
    const s = Math.sinh(a / 2);
    return Math.log1p(2 * s * s);
  }
  return a + Math.log1p(Math.exp(-2 * a)) - LN2;
}

/** max of x[base + k·stride], k < n. NaN is skipped here (it propagates through the exp sum). */
export function maxAlong(x: FloatArray, base: number, stride: number, n: number): number {
  let m = -Infinity;
  for (let k = 0, i = base; k < n; k++, i += stride) if (x[i] > m) m = x[i];
  return m;
}

/**
 * log Σ exp(x[base + k·stride] − m), k < n. With m from `maxAlong`, the log-softmax of class c is
 * (x_c − m) − this, in torch's `log_softmax` order (exact for the class holding the max).
 */
export function logSumExpShifted(
  x: FloatArray,
  base: number,
  stride: number,
  n: number,
  m: number,
): number {
  let s = 0;
  for (let k = 0, i = base; k < n; k++, i += stride) s += Math.exp(x[i] - m);
  return Math.log(s);
}

/**
 * log Σ exp(x[base + k·stride]), k < n, shifted by the max: the one logSumExp of losskit. NaN
 * propagates; all −∞ (or n = 0) gives −∞; a +∞ (without NaN) gives +∞, as torch.logsumexp.
 */
export function logSumExp(x: FloatArray, base: number, stride: number, n: number): number {
  const m = maxAlong(x, base, stride, n);
  if (m === Infinity || m === -Infinity) {
    for (let k = 0, i = base; k < n; k++, i += stride) if (x[i] !== x[i]) return NaN;
    return m;
  }
  return m + logSumExpShifted(x, base, stride, n, m);
}

/**
 * Softmax numerators into a float64 scratch row: e[k] = exp(x[base + k·stride] − m) for k < n;
 * returns Σ e[k] in logSumExpShifted's order, so Math.log of the result is exactly
 * logSumExpShifted(x, base, stride, n, m) and p_k = e[k] / Σ needs no second exp. The scratch is
 * float64 whatever the input's dtype, so nothing is rounded to float32 before the final store.
 */
export function expShiftedInto(
  x: FloatArray,
  e: Float64Array,
  base: number,
  stride: number,
  n: number,
  m: number,
): number {
  let s = 0;
  for (let k = 0, i = base; k < n; k++, i += stride) {
    const v = Math.exp(x[i] - m);
    e[k] = v;
    s += v;
  }
  return s;
}

/**
 * Block size of the kernels' summation: each block of SUM_BLOCK unit losses is summed plainly in a
 * register, and the block sums are added with Neumaier's compensated step (`CompensatedSum.add`,
 * once per block, so its cost vanishes). Error bound for a sum S of n terms l_i: the plain block
 * sums err by at most (SUM_BLOCK − 1)·u·Σ|l_i| in total (u = 2^−53), the compensated sum of the
 * blocks adds at most 2u·|S| + O(n·u²/SUM_BLOCK)·Σ|l_i|, so
 * |computed − S| ≤ (SUM_BLOCK + 1)·u·Σ|l_i| ≈ 2.9e-14·Σ|l_i|, independent of n (a plain running
 * sum's bound grows as n·u·Σ|l_i|: 1.1e-9 relative at n = 10^7). For non-negative losses Σ|l_i| = S.
 */
export const SUM_BLOCK = 256;

/**
 * Neumaier's compensated sum. Allocate one per reduction, `add` in the loop, read `value()`.
 *
 * In the hottest fused kernels V8 does not always keep this object in registers (measured: about 3 ns
 * per add against about 0.3 ns for locals). There, keep the two locals `s` and `c` and write the same
 * step inline — `const t = s + v; c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s; s = t;` —
 * and return `neumaierResult(s, c)`.
 * Non-finite partial sums are returned as they are (the compensation would turn ∞ into NaN).
 */
export class CompensatedSum {
  private s = 0;
  private c = 0;

  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }

  value(): number {
    return Number.isFinite(this.s) ? this.s + this.c : this.s;
  }
}

/** The final value of an inline Neumaier sum (see CompensatedSum): s + c, or s when s is not finite. */
export function neumaierResult(s: number, c: number): number {
  return Number.isFinite(s) ? s + c : s;
}

/** Neumaier-compensated sum of a whole array (accurate to about 2u·Σ|x_i|; not exactly rounded). */
export function neumaierSum(x: ArrayLike<number>): number {
  const acc = new CompensatedSum();
  for (let i = 0; i < x.length; i++) acc.add(x[i]);
  return acc.value();
}

/** x·log(y) with the convention 0·log(anything) = 0 (as torch `xlogy`). */
export function xlogy(x: number, y: number): number {
  if (x === 0 && y === y) return 0;
  return x * Math.log(y);
}
