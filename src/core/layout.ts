/**
 * Layouts the kernels iterate over, so no family invents its own: the class axis and spatial
 * positions of (N, C, d1, ...) tensors (and Keras' (..., C) along any axis), box rows (N, 4) in the
 * three coordinate formats with their chain rule back from xyxy, sequence layouts (T, N, C) or
 * (N, T, C), and a stable argsort over typed arrays.
 */
import { fail } from './errors.js';
import { requireIndicesInRange, requireRank, requireSameShape } from './shapes.js';
import type { DataArray, FloatArray, Tensor } from './tensor.js';
import { asIndices, formatShape, normalizeAxis, numel, shapeEquals } from './tensor.js';

// ---------------------------------------------------------------------------------------------------
// Class axis and spatial positions

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

// ---------------------------------------------------------------------------------------------------
// Boxes

/** The box coordinate formats of torchvision `box_convert`. */
export const BOX_FORMATS = ['xyxy', 'xywh', 'cxcywh'] as const;
export type BoxFormat = (typeof BOX_FORMATS)[number];

/** Validates a box tensor of shape (N, 4) (E_SHAPE otherwise) and returns N. */
export function boxRows(id: string, name: string, t: Tensor): number {
  if (t.shape.length !== 2 || t.shape[1] !== 4) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      'boxes of shape (N, 4)',
      `shape ${formatShape(t.shape)}`,
    );
  }
  return t.shape[0];
}

/**
 * Writes box `row` of `data` (in `format`) as corners x1, y1, x2, y2 into out[o..o+3]. Exact for
 * xyxy; xywh adds, cxcywh subtracts and adds half sizes (torchvision's `box_convert` arithmetic).
 */
export function boxToXyxy(
  data: DataArray,
  row: number,
  format: BoxFormat,
  out: Float64Array,
  o = 0,
): void {
  const k = row * 4;
  const a = data[k];
  const b = data[k + 1];
  const c = data[k + 2];
  const d = data[k + 3];
  if (format === 'xyxy') {
    out[o] = a;
    out[o + 1] = b;
    out[o + 2] = c;
    out[o + 3] = d;
  } else if (format === 'xywh') {
    out[o] = a;
    out[o + 1] = b;
    out[o + 2] = a + c;
    out[o + 3] = b + d;
  } else {
    out[o] = a - 0.5 * c;
    out[o + 1] = b - 0.5 * d;
    out[o + 2] = a + 0.5 * c;
    out[o + 3] = b + 0.5 * d;
  }
}

/**
 * Chain rule from a gradient with respect to corners (g1..g4 = d/dx1, d/dy1, d/dx2, d/dy2) to the
 * coordinates of `format`, added (times `c`) into grad[row·4 .. row·4+3].
 */
export function addBoxGrad(
  grad: FloatArray,
  row: number,
  format: BoxFormat,
  g1: number,
  g2: number,
  g3: number,
  g4: number,
): void {
  const k = row * 4;
  if (format === 'xyxy') {
    grad[k] += g1;
    grad[k + 1] += g2;
    grad[k + 2] += g3;
    grad[k + 3] += g4;
  } else if (format === 'xywh') {
    // x2 = x + w, y2 = y + h
    grad[k] += g1 + g3;
    grad[k + 1] += g2 + g4;
    grad[k + 2] += g3;
    grad[k + 3] += g4;
  } else {
    // x1 = cx − w/2, x2 = cx + w/2
    grad[k] += g1 + g3;
    grad[k + 1] += g2 + g4;
    grad[k + 2] += 0.5 * (g3 - g1);
    grad[k + 3] += 0.5 * (g4 - g2);
  }
}

// ---------------------------------------------------------------------------------------------------
// Sequences

/** Where step t of sequence n of a (T, N, C) or (N, T, C) tensor starts: t·tStride + n·nStride. */
export interface SequenceLayout {
  steps: number;
  batch: number;
  /** Size of the last (feature / class / vocabulary) axis. */
  features: number;
  tStride: number;
  nStride: number;
}

/**
 * Layout of a rank-3 sequence tensor, time-major (T, N, C) as torch's `ctc_loss` or batch-first
 * (N, T, C) as pytorch-crf and seq2seq logits. E_SHAPE for another rank.
 */
export function sequenceLayout(
  id: string,
  name: string,
  t: Tensor,
  batchFirst: boolean,
): SequenceLayout {
  requireRank(id, name, t, [3], batchFirst ? '(N, T, C)' : '(T, N, C)');
  const [a, b, features] = t.shape;
  return batchFirst
    ? { steps: b, batch: a, features, tStride: features, nStride: b * features }
    : { steps: a, batch: b, features, tStride: b * features, nStride: features };
}

// ---------------------------------------------------------------------------------------------------
// Sorting

/**
 * Stable argsort of v[base + k·stride], k < n, into order[0..n): ties keep their original order;
 * NaN sorts as larger than +∞ (as torch.sort). A merge sort on indices (`scratch` of length ≥ n is
 * used as the merge buffer; pass one to avoid an allocation), O(n log n), deterministic.
 */
export function argsortStable(
  v: ArrayLike<number>,
  base: number,
  stride: number,
  n: number,
  descending: boolean,
  order: Int32Array,
  scratch: Int32Array = new Int32Array(n),
): Int32Array {
  for (let k = 0; k < n; k++) order[k] = k;
  // before(a, b): item a must come strictly before item b (equal keys never do: stability).
  const before = (a: number, b: number): boolean => {
    const ka = v[base + a * stride];
    const kb = v[base + b * stride];
    const na = ka !== ka;
    const nb = kb !== kb;
    if (na || nb) return descending ? na && !nb : nb && !na;
    return descending ? ka > kb : ka < kb;
  };
  let src = order;
  let dst = scratch;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) dst[o++] = before(src[j], src[i]) ? src[j++] : src[i++];
      while (i < mid) dst[o++] = src[i++];
      while (j < hi) dst[o++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== order) order.set(src.subarray(0, n));
  return order;
}
