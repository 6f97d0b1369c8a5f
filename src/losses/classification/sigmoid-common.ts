/**
 * Shared pieces of the sigmoid / binary classification family: input specs, the elementwise plan with
 * broadcast weights, label smoothing, the fused per-element BCE-with-logits and focal kernels.
 */
import type { Example } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import type { ResolvedTensorOption } from '../../core/options.js';
import { broadcastTo } from '../../core/reduce.js';
import { sigmoid, softplus } from '../../core/numerics.js';
import type { F64Tensor } from '../../core/tensor.js';
import type { PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';

export const LOGITS_INPUT = {
  name: 'input',
  role: 'logits',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Logits (pre-sigmoid scores), any shape.',
} as const;

export const PROBABILITIES_INPUT = {
  name: 'input',
  role: 'probabilities',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Probabilities in [0, 1], any shape.',
} as const;

export const BINARY_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Binary targets 0/1 (soft targets in [0, 1] allowed), same shape as input.',
} as const;

export const SIGNED_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Labels ±1, same shape as input.',
} as const;

export const LABEL_SMOOTHING_OPTION = {
  type: 'number',
  default: 0,
  min: 0,
  max: 1,
  doc: 'Binary label smoothing ε: each target becomes y(1−ε) + ε/2 (Keras BinaryCrossentropy).',
} as const;

/** Elementwise (input, target) plan with per-element weights broadcast to the input's shape. */
export interface WeightedPairPlan<O> extends PairPlan<O> {
  /** Per-element weight, or null for 1. */
  w: Float64Array | null;
  /** Label smoothing: y ← y·keep + shift. */
  keep: number;
  shift: number;
}

/**
 * Same-shape check, then optional weight broadcast (NumPy rules) and label smoothing constants, from
 * the `weight` and `labelSmoothing` options of bce and bceWithLogits.
 */
export function prepareWeightedPair(
  id: string,
  inputs: { input: F64Tensor; target: F64Tensor },
  options: { weight: ResolvedTensorOption | null; labelSmoothing: number },
): WeightedPairPlan<null> {
  const { input, target } = inputs;
  const base = preparePair(id, input, target, null);
  return {
    ...base,
    w: broadcastOption(id, options.weight, input.shape, 'weight'),
    keep: 1 - options.labelSmoothing,
    shift: options.labelSmoothing / 2,
  };
}

/** A tensor option broadcast to `shape` (NumPy rules), or null when absent. */
export function broadcastOption(
  id: string,
  opt: ResolvedTensorOption | null,
  shape: number[],
  arg: string,
): Float64Array | null {
  if (opt === null) return null;
  return broadcastTo(opt.data, opt.shape, shape, id, arg);
}

/** True when every value is exactly 0 or 1 (vacuously true when empty), as Keras' hinge label rule. */
export function isAllZeroOne(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return false;
  return true;
}

/** Throws E_RANGE at the first (non-NaN) probability outside [0, 1]. */
export function requireProbabilities(id: string, name: string, p: Float64Array): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v < 0 || v > 1) {
      fail(
        'E_RANGE',
        id,
        `input '${name}'`,
        'probabilities in [0, 1] (pass logits to bceWithLogits instead)',
        `${describe(v)} at flat position ${i}`,
      );
    }
  }
}

/**
 * a·softplus(−x) + b·softplus(x), skipping a term whose coefficient is exactly 0 (so a logit of ±∞
 * against a hard target gives 0, not 0·∞ = NaN). With a = w₊·y and b = w₋·(1−y) this is
 * −(w₊·y·log σ(x) + w₋·(1−y)·log σ(−x)).
 */
export function weightedSoftplusPair(x: number, a: number, b: number): number {
  let l = 0;
  if (a !== 0) l += a * softplus(-x);
  if (b !== 0) l += b * softplus(x);
  return l;
}

/** d/dx of weightedSoftplusPair: b·σ(x) − a·σ(−x) (σ(−x) computed directly, not as 1 − σ(x)). */
export function weightedSoftplusPairGrad(x: number, a: number, b: number): number {
  let g = 0;
  if (b !== 0) g += b * sigmoid(x);
  if (a !== 0) g -= a * sigmoid(-x);
  return g;
}

/**
 * weightedSoftplusPair(x, a, b) and, into g[i], c·weightedSoftplusPairGrad(x, a, b), from one
 * e = exp(−|x|) and one log1p(e): softplus(±x) = max(±x, 0) + log1p(e), σ(x) = 1/(1+e) for x ≥ 0 and
 * e/(1+e) below (bit for bit numerics' sigmoid), σ(−x) the other one. Zero coefficients are skipped
 * as in weightedSoftplusPair. Returns the loss.
 */
export function weightedSoftplusPairFused(
  x: number,
  a: number,
  b: number,
  c: number,
  g: Float64Array,
  i: number,
): number {
  const e = Math.exp(-Math.abs(x)); // NaN propagates through e
  const lg = Math.log1p(e);
  const big = 1 / (1 + e); // σ(|x|)
  const small = e / (1 + e); // σ(−|x|)
  // Finite x: one sign branch and no test of the coefficients (a random 0/1 target would make
  // those branches unpredictable); the same products as the guarded form below, so the same bits.
  if (x >= 0 && x < Infinity) {
    g[i] = c * (b * big - a * small);
    return a * lg + b * (x + lg);
  }
  if (x < 0 && x > -Infinity) {
    g[i] = c * (b * small - a * big);
    return a * (lg - x) + b * lg;
  }
  // ±Infinity and NaN: skip zero coefficients so that 0·∞ does not turn a saturated logit on the
  // target's side into NaN.
  let l = 0;
  if (a !== 0) l += a * (x < 0 ? lg - x : lg);
  if (b !== 0) l += b * (x > 0 ? x + lg : lg);
  let d = 0;
  if (b !== 0) d += b * (x >= 0 ? big : small);
  if (a !== 0) d -= a * (x > 0 ? small : big);
  g[i] = c * d;
  return l;
}

/** α_t of torchvision's sigmoid focal loss: α·y + (1−α)(1−y), or 1 when α < 0. */
export function alphaT(alpha: number, y: number): number {
  return alpha >= 0 ? alpha * y + (1 - alpha) * (1 - y) : 1;
}

/**
 * One element of α_t·CE·(1−p_t)^γ + ε·(1−p_t)^(γ+1), the torchvision sigmoid focal loss plus the
 * PolyLoss poly-1 focal term (ε = 0 for plain focal). 1 − p_t is computed as p(1−y) + (1−p)·y with
 * 1 − p = σ(−x), so it keeps its precision when p_t is close to 1.
 */
export function focalElement(
  x: number,
  y: number,
  alpha: number,
  gamma: number,
  epsilon: number,
): number {
  const p = sigmoid(x);
  const q = sigmoid(-x);
  const m = p * (1 - y) + q * y;
  const ce = weightedSoftplusPair(x, y, 1 - y);
  let l = alphaT(alpha, y) * ce * Math.pow(m, gamma);
  if (epsilon !== 0) l += epsilon * Math.pow(m, gamma + 1);
  return l;
}

/**
 * d/dx of focalElement, fused: with m = 1 − p_t and dm/dx = p(1−p)(1−2y),
 *   α_t·[(p − y)·m^γ + γ·CE·m^γ·(p(1−p)/m)·(1−2y)] + ε(γ+1)·m^γ·p(1−p)(1−2y).
 * m^(γ−1) is written m^γ·(p(1−p)/m) with p(1−p)/m ≤ 1, so γ < 1 never forms ∞·0; at m = 0 (p_t = 1
 * exactly) the γ term is its limit 0 (torchvision's autograd gives NaN there when 0 < γ < 1), and at
 * γ = 0 it is 0 (torch's pow backward with exponent 0).
 */
export function focalElementGrad(
  x: number,
  y: number,
  alpha: number,
  gamma: number,
  epsilon: number,
): number {
  const p = sigmoid(x);
  const q = sigmoid(-x);
  const m = p * (1 - y) + q * y;
  const mg = Math.pow(m, gamma);
  const pq = p * q;
  const dPy = p * (1 - y) - q * y; // p − y without the rounding of p near 1
  let inner = dPy * mg;
  if (gamma !== 0 && m !== 0) {
    const ce = weightedSoftplusPair(x, y, 1 - y);
    inner += gamma * ce * mg * (pq / m) * (1 - 2 * y);
  }
  let g = alphaT(alpha, y) * inner;
  if (epsilon !== 0) g += epsilon * (gamma + 1) * mg * pq * (1 - 2 * y);
  return g;
}

/**
 * focalElement and, into g[i], c·focalElementGrad, in one evaluation: p and q = σ(∓x) from one
 * e = exp(−|x|) (bit for bit numerics' sigmoid), CE from the same e and one log1p (as
 * weightedSoftplusPairFused), and m^γ once. Returns the loss.
 */
export function focalElementFused(
  x: number,
  y: number,
  alpha: number,
  gamma: number,
  epsilon: number,
  c: number,
  g: Float64Array,
  i: number,
): number {
  const e = Math.exp(-Math.abs(x));
  const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
  const q = x > 0 ? e / (1 + e) : 1 / (1 + e);
  const m = p * (1 - y) + q * y;
  const lg = Math.log1p(e);
  const b = 1 - y;
  let ce = 0;
  if (y !== 0) ce += y * (x < 0 ? lg - x : lg);
  if (b !== 0) ce += b * (x > 0 ? x + lg : lg);
  const at = alphaT(alpha, y);
  const mg = Math.pow(m, gamma);
  let l = at * ce * mg;
  if (epsilon !== 0) l += epsilon * Math.pow(m, gamma + 1);
  const pq = p * q;
  let inner = (p * (1 - y) - q * y) * mg;
  if (gamma !== 0 && m !== 0) inner += gamma * ce * mg * (pq / m) * (1 - 2 * y);
  let d = at * inner;
  if (epsilon !== 0) d += epsilon * (gamma + 1) * mg * pq * (1 - 2 * y);
  g[i] = c * d;
  return l;
}

export const FOCAL_ALPHA_OPTION = {
  type: 'number',
  default: 0.25,
  doc: 'Weight α of the positive class (1 − α for the negative); a negative value disables the weighting.',
} as const;

export const FOCAL_GAMMA_OPTION = {
  type: 'number',
  default: 2,
  min: 0,
  doc: 'Focusing exponent γ of the modulating factor (1 − p_t)^γ.',
} as const;

/** Plan of hinge / squaredHinge: `convert` when the whole target is 0/1 (Keras label rule). */
export type HingePlan = PairPlan<{ convert: boolean }>;

export function prepareHinge(id: string, input: F64Tensor, target: F64Tensor): HingePlan {
  return preparePair(id, input, target, { convert: isAllZeroOne(target.data) });
}

export const HINGE_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Labels ±1, or 0/1 (converted to ±1 when every label is 0 or 1), same shape as input.',
} as const;

/** The examples of hinge and squaredHinge. */
export const HINGE_EXAMPLES: readonly Example[] = [
  {
    title: 'Scores against ±1 labels',
    inputs: { input: [0.3, -2.0, 1.7, 0.4], target: [1, -1, 1, -1] },
  },
  {
    title: 'Scores against 0/1 labels (converted to ±1)',
    inputs: { input: [0.6, -0.2, 1.4], target: [1, 0, 0] },
  },
];

/** The metadata notes hinge and squaredHinge share. */
export const HINGE_NOTES = [
  'Keras averages over the last axis first; here every element is one unit, which only matters for sum and none.',
  '0/1 labels are converted to ±1 only when the whole target tensor is 0/1 (Keras convert_binary_labels_to_hinge).',
];
