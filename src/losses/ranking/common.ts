/**
 * Shared layouts and checks of the ranking / metric-learning family: embedding rows (N, D) or (D),
 * ±1 and 0/1 labels, slates (B, L) with allRank's padding, F.normalize with its backward, and the
 * blocked softmax-over-similarities kernel that infoNce and ntXent (and graphContrastive) share.
 * Family-local on purpose: nothing in core/ is changed.
 */
import type { Plan } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';

/**
 * Three pairs of 3-dimensional views used by the examples of infoNce (query, key), ntXent (z1, z2)
 * and graphContrastive (with a fourth pair): row i of `a` and row i of `b` are positives.
 */
export const CONTRASTIVE_EXAMPLE_VIEWS = {
  a: [
    [0.9, 0.1, -0.3],
    [-0.2, 0.8, 0.4],
    [0.3, -0.5, 0.9],
  ],
  b: [
    [1, 0.2, -0.1],
    [0.1, 0.7, 0.6],
    [0.2, -0.3, 1],
  ],
} as const;

/** The per-unit coefficient c_k of the kernel contract. */
export function coefAt(seed: FloatArray | null, scale: number, k: number): number {
  return seed === null ? scale : seed[k] * scale;
}

/** Rows of embeddings: n rows of d features; a rank-1 input is one row whose 'none' output is []. */
export interface RowsLayout {
  n: number;
  d: number;
  outShape: number[];
}

/** Every named tensor must have the shape of the first one, of rank 1 (D) or 2 (N, D). */
export function embeddingRows(
  id: string,
  tensors: readonly (readonly [string, Tensor])[],
  ranks: readonly number[] = [1, 2],
): RowsLayout {
  const [name0, t0] = tensors[0];
  const shape = t0.shape;
  if (!ranks.includes(shape.length)) {
    fail(
      'E_SHAPE',
      id,
      `input '${name0}'`,
      ranks.length === 1 ? 'a tensor of shape (N, D) (rank 2)' : 'a tensor of shape (N, D) or (D)',
      `shape ${formatShape(shape)} (rank ${shape.length})`,
    );
  }
  for (let k = 1; k < tensors.length; k++) {
    const [name, t] = tensors[k];
    if (!shapeEquals(t.shape, shape)) {
      fail(
        'E_SHAPE',
        id,
        `input '${name}'`,
        `the same shape as '${name0}' ${formatShape(shape)} (embeddings of equal size)`,
        `shape ${formatShape(t.shape)}`,
      );
    }
  }
  return shape.length === 2
    ? { n: shape[0], d: shape[1], outShape: [shape[0]] }
    : { n: 1, d: shape[0], outShape: [] };
}

/** A per-row target must have the 'none' output's shape: (N) for (N, D) rows, [] for one (D) row. */
export function requireRowTarget(id: string, name: string, target: Tensor, rows: RowsLayout): void {
  if (!shapeEquals(target.shape, rows.outShape)) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      `one label per row, shape ${formatShape(rows.outShape)}`,
      `shape ${formatShape(target.shape)}`,
    );
  }
}

/** Labels must be +1 or −1 (NaN is data and propagates). */
export function requirePlusMinusOne(id: string, name: string, y: FloatArray): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 1 && v !== -1 && v === v) {
      fail(
        'E_RANGE',
        id,
        `input '${name}'`,
        'labels 1 or -1',
        `${describe(v)} at flat position ${i}`,
      );
    }
  }
}

/** Labels must be 1 (similar) or 0 (dissimilar) (NaN is data and propagates). */
export function requireZeroOne(id: string, name: string, y: FloatArray): void {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (v !== 1 && v !== 0 && v === v) {
      fail(
        'E_RANGE',
        id,
        `input '${name}'`,
        'labels 1 (similar) or 0 (dissimilar)',
        `${describe(v)} at flat position ${i}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Pairs of embeddings (contrastive, cosineEmbedding)

/** The first embedding of each pair. */
export const PAIR_INPUT1 = {
  name: 'input1',
  role: 'embeddings',
  shape: '(N, D) or (D)',
  differentiable: true,
  kind: 'float',
  doc: 'First embedding of each pair.',
} as const;

/** The second embedding of each pair. */
export const PAIR_INPUT2 = {
  name: 'input2',
  role: 'embeddings',
  shape: 'same as input1',
  differentiable: true,
  kind: 'float',
  doc: 'Second embedding of each pair.',
} as const;

/** The plan of a pair loss: n pairs of d-dimensional rows, one label per pair, a margin. */
export interface PairPlan extends Plan {
  x1: FloatArray;
  x2: FloatArray;
  y: FloatArray;
  n: number;
  d: number;
  margin: number;
}

/**
 * Validates input1 and input2 (the same shape, (N, D) or (D)) and one label per row, checks the
 * labels with `checkLabels` (requireZeroOne or requirePlusMinusOne), and builds the pair plan.
 */
export function preparePairs(
  id: string,
  input1: Tensor<FloatArray>,
  input2: Tensor<FloatArray>,
  target: Tensor<FloatArray>,
  margin: number,
  checkLabels: (id: string, name: string, y: FloatArray) => void,
): PairPlan {
  const rows = embeddingRows(id, [
    ['input1', input1],
    ['input2', input2],
  ]);
  requireRowTarget(id, 'target', target, rows);
  checkLabels(id, 'target', target.data);
  return {
    size: rows.n,
    outShape: rows.outShape,
    x1: input1.data,
    x2: input2.data,
    y: target.data,
    n: rows.n,
    d: rows.d,
    margin,
  };
}

// ---------------------------------------------------------------------------------------------------
// Slates

/** allRank's `PADDED_Y_VALUE`: an item whose relevance is −1 is padding. */
export const PADDED_RELEVANCE = -1;
/** allRank's `DEFAULT_EPS`. */
export const ALLRANK_EPS = 1e-10;

export interface SlateLayout {
  /** Number of slates. */
  b: number;
  /** Items per slate (padded length). */
  l: number;
  scores: FloatArray;
  relevance: FloatArray;
}

/**
 * scores and relevance of shape (B, L); relevance ≥ 0, or exactly −1 for a padded item (another
 * negative value is almost always a data bug, so it is rejected rather than used as a gain).
 */
export function slateLayout(
  id: string,
  scores: Tensor<FloatArray>,
  relevance: Tensor<FloatArray>,
): SlateLayout {
  if (scores.shape.length !== 2) {
    fail(
      'E_SHAPE',
      id,
      "input 'scores'",
      'a tensor of shape (B, L): B slates of L items',
      `shape ${formatShape(scores.shape)} (rank ${scores.shape.length})`,
    );
  }
  if (!shapeEquals(relevance.shape, scores.shape)) {
    fail(
      'E_SHAPE',
      id,
      "input 'relevance'",
      `the same shape as 'scores' ${formatShape(scores.shape)} (one relevance per item; pad with -1)`,
      `shape ${formatShape(relevance.shape)}`,
    );
  }
  const r = relevance.data;
  for (let i = 0; i < r.length; i++) {
    const v = r[i];
    if (v < 0 && v !== PADDED_RELEVANCE) {
      fail(
        'E_RANGE',
        id,
        "input 'relevance'",
        'relevance >= 0, or -1 for a padded item',
        `${describe(v)} at flat position ${i}`,
      );
    }
  }
  return { b: scores.shape[0], l: scores.shape[1], scores: scores.data, relevance: r };
}

/** The part of a slate loss's plan every slate loss has: one unit per slate, its scores and relevance. */
export interface SlatePlan extends Plan {
  b: number;
  l: number;
  s: FloatArray;
  r: FloatArray;
}

/** slateLayout as a plan: B units of shape [B], scores as `s` and relevance as `r`. */
export function slatePlan(
  id: string,
  scores: Tensor<FloatArray>,
  relevance: Tensor<FloatArray>,
): SlatePlan {
  const { b, l, scores: s, relevance: r } = slateLayout(id, scores, relevance);
  return { size: b, outShape: [b], b, l, s, r };
}

/**
 * log2(1 + position) for positions 1..n, in float64 (allRank computes these discounts in float32
 * via `pos_idxs.float()`; losskit does not round them).
 */
export function discounts(n: number): Float64Array {
  const d = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) d[i] = Math.log2(2 + i);
  return d;
}

// ---------------------------------------------------------------------------------------------------
// L2 normalisation (torch F.normalize: x / max(‖x‖₂, eps))

/** torch `F.normalize`'s default eps. */
export const NORMALIZE_EPS = 1e-12;

/**
 * Writes the rows of x (n × d, row-major) into dst as float64, L2-normalised with F.normalize's
 * clamp when `normalize`, else copied; norms[i] receives ‖x_i‖₂.
 */
export function normalizeRowsInto(
  x: FloatArray,
  dst: Float64Array,
  norms: Float64Array,
  n: number,
  d: number,
  normalize: boolean,
): void {
  for (let i = 0, o = 0; i < n; i++, o += d) {
    if (!normalize) {
      for (let k = 0; k < d; k++) dst[o + k] = x[o + k];
      continue;
    }
    let ss = 0;
    for (let k = 0; k < d; k++) ss += x[o + k] * x[o + k];
    const nrm = Math.sqrt(ss);
    norms[i] = nrm;
    const den = Math.max(nrm, NORMALIZE_EPS);
    for (let k = 0; k < d; k++) dst[o + k] = x[o + k] / den;
  }
}

/**
 * Gradient through F.normalize, row by row: with ρ = max(‖x‖, eps) and ŷ = x/ρ,
 * dx = (dŷ − ŷ·(ŷ·dŷ))/ρ when ‖x‖ ≥ eps (torch's clamp_min passes the gradient at equality), and
 * dŷ/eps below. Without normalisation the gradient is dŷ itself. Writes every element of `out`.
 */
export function normalizeBackwardInto(
  gyHat: Float64Array,
  yHat: Float64Array,
  norms: Float64Array,
  out: FloatArray,
  base: number,
  n: number,
  d: number,
  normalize: boolean,
): void {
  for (let i = 0, o = 0; i < n; i++, o += d) {
    if (!normalize) {
      for (let k = 0; k < d; k++) out[base + o + k] = gyHat[o + k];
      continue;
    }
    const nrm = norms[i];
    if (nrm >= NORMALIZE_EPS) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += yHat[o + k] * gyHat[o + k];
      for (let k = 0; k < d; k++) out[base + o + k] = (gyHat[o + k] - yHat[o + k] * dot) / nrm;
    } else {
      for (let k = 0; k < d; k++) out[base + o + k] = gyHat[o + k] / NORMALIZE_EPS;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Blocked cross-entropy over similarity rows (infoNce, ntXent)

/** Rows of the similarity matrix computed together (their scratch is ROW_BLOCK × columns). */
export const ROW_BLOCK = 32;

/**
 * For rows i < rows of A and all columns j < cols of B (both row-major with d features, float64),
 * the logits z_ij = A_i·B_j / τ except the excluded column j = i when `excludeSelf`; row i's loss
 * is logsumexp_j z_ij − z_{i,pos(i)} with pos(i) = (i + posShift) mod cols. Each z_ij is computed
 * once, in blocks of ROW_BLOCK rows, and reused for the gradient. When gA is not null, row i's
 * gradient weight w_i (the coefficient of its loss) gives dz_ij = w_i (p_ij − [j = pos(i)]) / τ,
 * accumulated into gA_i += dz_ij B_j and gB_j += dz_ij A_i (gA and gB may be the same buffer when
 * A and B are). Row losses are written into rowLoss.
 */
export function similarityCrossEntropy(
  a: Float64Array,
  bm: Float64Array,
  rows: number,
  cols: number,
  d: number,
  invTau: number,
  posShift: number,
  excludeSelf: boolean,
  scratch: Float64Array,
  rowLoss: Float64Array,
  rowWeight: Float64Array | null,
  gA: Float64Array | null,
  gB: Float64Array | null,
): void {
  for (let i0 = 0; i0 < rows; i0 += ROW_BLOCK) {
    const i1 = Math.min(rows, i0 + ROW_BLOCK);
    // The similarity block: column j outer so B_j is read once per block of rows, four rows at a
    // time sharing each load of B_j (register blocking).
    for (let j = 0; j < cols; j++) {
      const bj = j * d;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        const a0 = i * d;
        const a1 = a0 + d;
        const a2 = a1 + d;
        const a3 = a2 + d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let k = 0; k < d; k++) {
          const v = bm[bj + k];
          s0 += a[a0 + k] * v;
          s1 += a[a1 + k] * v;
          s2 += a[a2 + k] * v;
          s3 += a[a3 + k] * v;
        }
        const r = (i - i0) * cols + j;
        scratch[r] = s0 * invTau;
        scratch[r + cols] = s1 * invTau;
        scratch[r + 2 * cols] = s2 * invTau;
        scratch[r + 3 * cols] = s3 * invTau;
      }
      for (; i < i1; i++) {
        const ai = i * d;
        let s = 0;
        for (let k = 0; k < d; k++) s += a[ai + k] * bm[bj + k];
        scratch[(i - i0) * cols + j] = s * invTau;
      }
    }
    for (let i = i0; i < i1; i++) {
      const r = (i - i0) * cols;
      const pos = (i + posShift) % cols;
      let m = -Infinity;
      for (let j = 0; j < cols; j++) {
        if (excludeSelf && j === i) continue;
        if (scratch[r + j] > m) m = scratch[r + j];
      }
      const zPos = scratch[r + pos];
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = excludeSelf && j === i ? 0 : Math.exp(scratch[r + j] - m);
        scratch[r + j] = e;
        sum += e;
      }
      rowLoss[i] = m + Math.log(sum) - zPos;
      if (gA !== null) {
        const w = rowWeight![i] * invTau;
        const f = w / sum;
        for (let j = 0; j < cols; j++) scratch[r + j] *= f;
        scratch[r + pos] -= w;
      }
    }
    if (gA === null || gB === null) continue;
    // gA_i += dz_ij B_j and gB_j += Σ_i dz_ij A_i, four rows at a time (one update of gB_j per four
    // rows). When gA and gB alias, a row equal to j has dz_jj = 0 and each statement re-reads memory.
    for (let j = 0; j < cols; j++) {
      const bj = j * d;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        const r = (i - i0) * cols + j;
        const g0 = scratch[r];
        const g1 = scratch[r + cols];
        const g2 = scratch[r + 2 * cols];
        const g3 = scratch[r + 3 * cols];
        const a0 = i * d;
        const a1 = a0 + d;
        const a2 = a1 + d;
        const a3 = a2 + d;
        for (let k = 0; k < d; k++) {
          const v = bm[bj + k];
          gA[a0 + k] += g0 * v;
          gA[a1 + k] += g1 * v;
          gA[a2 + k] += g2 * v;
          gA[a3 + k] += g3 * v;
          gB[bj + k] += g0 * a[a0 + k] + g1 * a[a1 + k] + g2 * a[a2 + k] + g3 * a[a3 + k];
        }
      }
      for (; i < i1; i++) {
        const g = scratch[(i - i0) * cols + j];
        const ai = i * d;
        for (let k = 0; k < d; k++) {
          gA[ai + k] += g * bm[bj + k];
          gB[bj + k] += g * a[ai + k];
        }
      }
    }
  }
}

/** The `scores` input of the listwise and pairwise slate losses. */
export const SLATE_SCORES = {
  name: 'scores',
  role: 'scores',
  shape: '(B, L)',
  differentiable: true,
  kind: 'float',
  doc: 'Predicted scores of B slates of L items (padded items are ignored whatever their score).',
} as const;

/** The `relevance` input of the slate losses (allRank's y_true). */
export const SLATE_RELEVANCE = {
  name: 'relevance',
  role: 'relevance',
  shape: '(B, L) same as scores',
  differentiable: false,
  kind: 'float',
  doc: 'Graded relevance >= 0 of each item; -1 marks a padded item (allRank PADDED_Y_VALUE).',
} as const;

/** Shared metadata text of the slate losses' reductions. */
export const SLATE_REDUCTION_NOTE =
  "'none' gives one value per slate, 'mean' averages over the B slates (allRank's mean), 'sum' sums them; a slate without a valid item contributes 0 and counts in the mean.";
