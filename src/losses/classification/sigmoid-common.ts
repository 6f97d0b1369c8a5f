/**
 * The arithmetic and plans the sigmoid / binary family shares: weights broadcast (or kept scalar) for
 * the elementwise plans, label smoothing, probability checks, and the per-element functions the
 * kernels call (softplusPairAt for every BCE on logits, focalAt for the focal pair). Specs and
 * examples live in sigmoid-specs.ts.
 *
 * Every per-element function here reads e = exp(−|x|) once and log1p(e) once: softplus(±x) =
 * max(±x, 0) + log1p(e), σ(|x|) = 1/(1 + e), σ(−|x|) = e·σ(|x|). max(±x, 0) is written (|x| ± x)/2,
 * which is exact, and σ(x), σ(−x) are picked from σ(±|x|) with the 0/1 number h = Number(x ≥ 0)
 * (a compare-and-set, not a jump): random-sign logits cost no branch mispredictions.
 */
import { describe, fail } from '../../core/errors.js';
import type { ResolvedTensorOption } from '../../core/options.js';
import { broadcastTo } from '../../core/reduce.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';

/**
 * A tensor option broadcast to the input's shape: `data` per element, or null when the option is
 * absent or holds a single value, in which case every element has weight `value` (1 when absent). A
 * single value is never expanded to N copies, and neither is an absent option.
 */
export interface BroadcastWeight {
  data: Float64Array | null;
  value: number;
}

/** `opt` broadcast to `shape` with NumPy rules (E_SHAPE when it does not broadcast). */
export function broadcastWeight(
  id: string,
  opt: ResolvedTensorOption | null,
  shape: number[],
  arg: string,
): BroadcastWeight {
  if (opt === null) return { data: null, value: 1 };
  // One value of rank ≤ the input's broadcasts to any shape: keep it as a number.
  if (opt.data.length === 1 && opt.shape.length <= shape.length)
    return { data: null, value: opt.data[0] };
  return { data: broadcastTo(opt.data, opt.shape, shape, id, arg), value: 1 };
}

/** Elementwise (input, target) plan of bce and bceWithLogits. */
export interface WeightedPairPlan extends PairPlan<null> {
  /** Per-element weight w (torch `weight`). */
  w: BroadcastWeight;
  /** Label smoothing: the target used is y·keep + shift. */
  keep: number;
  shift: number;
}

/**
 * Same-shape check, then the `weight` option (broadcast, or kept scalar) and the label smoothing
 * constants of bce and bceWithLogits.
 */
export function prepareWeightedPair(
  id: string,
  inputs: { input: Tensor<FloatArray>; target: Tensor<FloatArray> },
  options: { weight: ResolvedTensorOption | null; labelSmoothing: number },
): WeightedPairPlan {
  const { input, target } = inputs;
  return {
    ...preparePair(id, input, target, null),
    w: broadcastWeight(id, options.weight, input.shape, 'weight'),
    keep: 1 - options.labelSmoothing,
    shift: options.labelSmoothing / 2,
  };
}

/** Throws E_RANGE at the first (non-NaN) probability outside [0, 1]. */
export function requireProbabilities(id: string, name: string, p: FloatArray): void {
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
 * a·softplus(−x) + b·softplus(x) from |x| and lg = log1p(exp(−|x|)). For ±∞ a term whose
 * coefficient is exactly 0 is skipped, so a saturated logit on the target's side costs 0 (not 0·∞ =
 * NaN); NaN propagates.
 */
function softplusPairLoss(x: number, ax: number, lg: number, a: number, b: number): number {
  if (ax < Infinity) return a * (0.5 * (ax - x) + lg) + b * (0.5 * (ax + x) + lg);
  if (x !== x) return NaN;
  if (x > 0) return b === 0 ? 0 : b * x;
  return a === 0 ? 0 : -a * x;
}

/**
 * −(a·log σ(x) + b·log σ(−x)) = a·softplus(−x) + b·softplus(x) and its derivative b·σ(x) − a·σ(−x),
 * with σ(−x) computed directly (not as 1 − σ(x)), from one exp and one log1p. With a = w₊·y and
 * b = w₋·(1 − y) this is every binary cross-entropy on logits of the family: bceWithLogits (a = p_w·y,
 * b = 1 − y), weightedBce, multilabelSoftMargin and, with (a, b) = (0, 1), softMargin's softplus.
 */
export function softplusPairAt(x: number, a: number, b: number): Elem {
  const ax = Math.abs(x);
  const e = Math.exp(-ax); // NaN propagates through e
  const lg = Math.log1p(e);
  const big = 1 / (1 + e); // σ(|x|)
  const small = e * big; // σ(−|x|)
  const h = Number(x >= 0); // 1 or 0 without a branch; exact selects below since h·v + 0·w = v
  const k = 1 - h;
  return {
    l: softplusPairLoss(x, ax, lg, a, b),
    g: b * (h * big + k * small) - a * (h * small + k * big),
  };
}

/**
 * α_t = α·y + (1 − α)(1 − y) of torchvision's sigmoid focal loss, or 1 when α < 0, written as
 * aY·y + a0 with per-call constants (aY, a0) = (2α − 1, 1 − α), or (0, 1) when α < 0 (exactly 1).
 */
export function focalAlpha(alpha: number): { aY: number; a0: number } {
  return alpha >= 0 ? { aY: 2 * alpha - 1, a0: 1 - alpha } : { aY: 0, a0: 1 };
}

/**
 * One element of α_t·CE·(1−p_t)^γ + ε·(1−p_t)^(γ+1) and its derivative: the torchvision sigmoid
 * focal loss plus the PolyLoss poly-1 focal term (ε = 0 for plain focal), with α_t = aY·y + a0 (see
 * focalAlpha). CE is softplusPairAt's loss with (a, b) = (y, 1 − y), and 1 − p_t is m = p(1−y) + q·y
 * with q = σ(−x) computed directly, so it keeps its precision when p_t is close to 1. The derivative,
 * with dm/dx = p·q·(1−2y), is
 *   α_t·[(p − y)·m^γ + γ·CE·m^(γ−1)·p·q·(1−2y)] + ε(γ+1)·m^γ·p·q·(1−2y).
 * m^(γ−1)·p·q is written m^γ·(p·q/m) with p·q/m ≤ 1, so γ < 1 never forms ∞·0; p·q is 0 wherever m
 * is (p_t = 1 exactly), so dividing by max(m, MIN_VALUE) gives the γ term its limit 0 there without a
 * branch (torchvision's autograd gives NaN when 0 < γ < 1), and at γ = 0 the term is 0 (torch's pow
 * backward with exponent 0). γ = 2, the default, takes m·m (bit for bit pow(m, 2)) and m·p·q, with
 * neither pow nor division; the tests on γ are the same for every element, so they predict perfectly.
 * (Kept under V8's 460-byte inlining limit: a focalAt that is not inlined allocates its result.)
 */
export function focalAt(
  x: number,
  y: number,
  aY: number,
  a0: number,
  gamma: number,
  epsilon: number,
): Elem {
  const ax = Math.abs(x);
  const e = Math.exp(-ax);
  const big = 1 / (1 + e);
  const small = e * big;
  const h = Number(x >= 0);
  const p = h * big + (1 - h) * small; // σ(x)
  const q = h * small + (1 - h) * big; // σ(−x)
  const u = 1 - y;
  const m = p * u + q * y;
  const ce = softplusPairLoss(x, ax, Math.log1p(e), y, u);
  const pq = p * q;
  const mg = gamma === 2 ? m * m : Math.pow(m, gamma); // m^γ
  const mgpq = gamma === 2 ? m * pq : mg * (pq / Math.max(m, Number.MIN_VALUE)); // m^(γ−1)·p·q
  const s = 1 - 2 * y;
  const at = aY * y + a0;
  return {
    l: at * ce * mg + epsilon * mg * m,
    g:
      at * ((p * u - q * y) * mg + (gamma === 0 ? 0 : gamma * ce * mgpq * s)) +
      epsilon * (gamma + 1) * mg * pq * s,
  };
}

/**
 * Plan of hinge / squaredHinge: the label used is t = scale·y + shift, (2, −1) when the whole target
 * is 0/1 (Keras' label rule), else (1, 0).
 */
export type HingePlan = PairPlan<{ scale: number; shift: number }>;

/** True when every value is exactly 0 or 1 (vacuously true when empty), as Keras' hinge label rule. */
export function isAllZeroOne(y: FloatArray): boolean {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return false;
  return true;
}

export function prepareHinge(
  id: string,
  input: Tensor<FloatArray>,
  target: Tensor<FloatArray>,
): HingePlan {
  const convert = isAllZeroOne(target.data);
  return preparePair(id, input, target, convert ? { scale: 2, shift: -1 } : { scale: 1, shift: 0 });
}
