/**
 * Shared pieces of the softmax / multiclass family: the class-axis layout of (N, C, d1, ...) or (C)
 * inputs (and of Keras' (..., C) inputs along any axis), index-target validation, and the input and
 * option specs several entries repeat.
 */
import { fail } from '../../core/errors.js';
import { KERAS_EPSILON } from '../../core/numerics.js';
import { requireIndicesInRange, requireRank, requireSameShape } from '../../core/shapes.js';
import type { Tensor } from '../../core/tensor.js';
import { asIndices, formatShape, normalizeAxis, numel, shapeEquals } from '../../core/tensor.js';

/**
 * Where the classes of an input live. Position k = o·inner + s (o < outer, s < inner) has its C
 * class values at x[o·C·inner + s + c·inner], c < C.
 */
export interface ClassLayout {
  /** Product of the dims before the class axis (N; 1 for an unbatched (C) input). */
  outer: number;
  /** C, the size of the class axis. */
  numClasses: number;
  /** Product of the dims after the class axis (d1·d2·…; 1 without spatial dims). */
  inner: number;
  /** Number of positions: outer·inner. */
  size: number;
  /** The input shape without the class axis: the 'none' output shape and the index-target shape. */
  outShape: number[];
}

/** Layout of an input whose classes lie along `axis` (already normalised to [0, rank)). */
export function axisLayout(shape: readonly number[], axis: number): ClassLayout {
  const outer = numel(shape.slice(0, axis));
  const inner = numel(shape.slice(axis + 1));
  const numClasses = shape[axis];
  return {
    outer,
    numClasses,
    inner,
    size: outer * inner,
    outShape: [...shape.slice(0, axis), ...shape.slice(axis + 1)],
  };
}

/**
 * torch's layout: (N, C, d1, ...) with classes on dim 1, or an unbatched (C). Throws E_SHAPE for a
 * scalar input and for C = 0 with positions to classify.
 */
export function torchClassLayout(id: string, input: Tensor, name = 'input'): ClassLayout {
  const rank = input.shape.length;
  if (rank === 0) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      'a tensor of shape (N, C, d1, ...) or (C) (rank >= 1)',
      `a scalar (shape ${formatShape(input.shape)})`,
    );
  }
  const layout = axisLayout(input.shape, rank === 1 ? 0 : 1);
  requireSomeClasses(id, name, input.shape, layout);
  return layout;
}

/**
 * Keras' layout: (..., C) with classes along `axis` (negative counts from the end). Throws E_SHAPE
 * for a scalar input (`expected` names the shape wanted), for a `sameShapeAs` tensor of another
 * shape (checked before the axis) and for C = 0 with positions to classify.
 */
export function kerasClassLayout(
  id: string,
  input: Tensor,
  axis: number,
  sameShapeAs: Tensor | null,
  expected = '(..., C)',
): ClassLayout {
  if (input.shape.length === 0) {
    fail('E_SHAPE', id, "input 'input'", `a tensor of shape ${expected} (rank >= 1)`, 'a scalar');
  }
  if (sameShapeAs !== null) {
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: sameShapeAs });
  }
  const layout = axisLayout(input.shape, normalizeAxis(axis, input.shape.length, id));
  requireSomeClasses(id, 'input', input.shape, layout);
  return layout;
}

/** The layout of the margin losses' (N, C) or (C) class scores: E_SHAPE for any other rank. */
export function marginClassLayout(id: string, input: Tensor): ClassLayout {
  requireRank(id, 'input', input, [1, 2], '(N, C) or (C)');
  return torchClassLayout(id, input);
}

/** C must be at least 1 whenever there is something to classify. */
export function requireSomeClasses(
  id: string,
  name: string,
  shape: readonly number[],
  layout: ClassLayout,
): void {
  if (layout.numClasses === 0 && layout.size > 0) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      'at least one class along the class axis',
      `shape ${formatShape(shape)}`,
    );
  }
}

/**
 * Validates an index target against a layout: shape = layout.outShape (E_SHAPE), integer values
 * (E_TYPE) in [0, C) or equal to `ignore` (E_RANGE). Returns the indices.
 */
export function indexTarget(
  id: string,
  target: Tensor,
  layout: ClassLayout,
  ignore: number | null,
  inputShape: readonly number[],
  name = 'target',
): Int32Array {
  if (!shapeEquals(target.shape, layout.outShape)) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      `class indices of shape ${formatShape(layout.outShape)} (the input shape ${formatShape(inputShape)} without the class axis)`,
      `shape ${formatShape(target.shape)}`,
    );
  }
  const idx = asIndices(target, id, name);
  requireIndicesInRange(id, name, idx, layout.numClasses, ignore);
  return idx;
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

/** max of x[base + k·stride], k < n (NaN is skipped here and propagates through the exp sum). */
export function maxAlong(x: Float64Array, base: number, stride: number, n: number): number {
  let m = -Infinity;
  for (let k = 0, i = base; k < n; k++, i += stride) if (x[i] > m) m = x[i];
  return m;
}

/**
 * log Σ exp(x[base + k·stride] − m). With m from `maxAlong`, the log-softmax of class c is
 * (x_c − m) − this, in torch's `log_softmax` order (exact for the class holding the max).
 */
export function logSumExpShifted(
  x: Float64Array,
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
 * The fused kernels' softmax numerators: writes e_c = exp(x[i] − m) into g[i] for i = base + c·stride,
 * c < n, and returns Σ e_c, summed in logSumExpShifted's order, so Math.log of the result is exactly
 * logSumExpShifted(x, base, stride, n, m) and p_c = e_c / Σ e_c needs no second exp.
 */
export function expShiftedInto(
  x: Float64Array,
  g: Float64Array,
  base: number,
  stride: number,
  n: number,
  m: number,
): number {
  let s = 0;
  for (let k = 0, i = base; k < n; k++, i += stride) {
    const e = Math.exp(x[i] - m);
    g[i] = e;
    s += e;
  }
  return s;
}

/** A per-class vector option of length C (E_SHAPE otherwise). */
export function classVector(
  id: string,
  option: { data: Float64Array; shape: number[] },
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
  weight: { data: Float64Array; shape: number[] } | null,
  numClasses: number,
): Float64Array | null {
  return weight === null
    ? null
    : classVector(id, weight, numClasses, 'weight', 'one weight per class');
}

/** Keras clips renormalised probabilities to [ε, 1 − ε] with ε = backend.epsilon(). */
export const KERAS_CLIP_LOW = KERAS_EPSILON;
export const KERAS_CLIP_HIGH = 1 - KERAS_EPSILON;

export const LOGITS_NC = {
  name: 'input',
  role: 'logits',
  shape: '(N, C, d1, ...) or (C)',
  differentiable: true,
  kind: 'float',
  doc: 'Unnormalised class scores; classes on dim 1 (dim 0 when unbatched).',
} as const;

/** The input of multiMargin and multilabelMargin. */
export const SCORES_NC = {
  name: 'input',
  role: 'values',
  shape: '(N, C) or (C)',
  differentiable: true,
  kind: 'float',
  doc: 'Class scores.',
} as const;

export const INDEX_TARGET_N = {
  name: 'target',
  role: 'classIndices',
  shape: '(N, d1, ...) or ()',
  differentiable: false,
  kind: 'index',
  doc: 'Integer class indices in [0, C), the input shape without the class dim.',
} as const;

export const LABEL_SMOOTHING = {
  type: 'number',
  default: 0,
  min: 0,
  max: 1,
  doc: 'ε in [0, 1]: the target becomes (1 − ε)·target + ε/C.',
} as const;

export const IGNORE_INDEX = {
  type: 'number',
  default: -100,
  integer: true,
  doc: 'Target value whose positions contribute 0 and are left out of the mean.',
} as const;

export const CLASS_WEIGHT = {
  type: 'tensor',
  default: null,
  doc: 'Per-class weight, a 1-D tensor of length C (null: every class 1).',
} as const;

/** The input of Keras' categorical cross-entropies. */
export const KERAS_PROBABILITIES_INPUT = {
  name: 'input',
  role: 'probabilities',
  shape: '(..., C)',
  differentiable: true,
  kind: 'float',
  doc: 'Class probabilities (or logits with fromLogits: true), classes along `axis`.',
} as const;

export const FROM_LOGITS = {
  type: 'boolean',
  default: false,
  doc: 'Treat the input as logits (log-softmax) instead of probabilities.',
} as const;

export const CLASS_AXIS = {
  type: 'number',
  default: -1,
  integer: true,
  doc: 'The class axis (negative counts from the end).',
} as const;

/** Example inputs of the softmax entries: logits of two and three samples, and probabilities. */
export const EXAMPLE_LOGITS_2 = [
  [2.0, 1.0, 0.1],
  [0.5, -1.0, 1.5],
];
export const EXAMPLE_LOGITS_3 = [...EXAMPLE_LOGITS_2, [0.3, 0.2, -0.4]];
export const EXAMPLE_PROBABILITIES = [
  [0.05, 0.95, 0],
  [0.1, 0.8, 0.1],
];
