/**
 * Shared pieces of the softmax / multiclass family: the class-axis layout of (N, C, d1, ...) or (C)
 * inputs (and of Keras' (..., C) inputs along any axis), index-target validation, and the input and
 * option specs several entries repeat.
 */
import { fail } from '../../core/errors.js';
import { requireIndicesInRange } from '../../core/shapes.js';
import type { Tensor } from '../../core/tensor.js';
import { asIndices, formatShape, numel, shapeEquals } from '../../core/tensor.js';

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

export const LOGITS_NC = {
  name: 'input',
  role: 'logits',
  shape: '(N, C, d1, ...) or (C)',
  differentiable: true,
  kind: 'float',
  doc: 'Unnormalised class scores; classes on dim 1 (dim 0 when unbatched).',
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
