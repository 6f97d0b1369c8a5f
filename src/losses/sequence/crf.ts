import { defineLoss } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import { sequenceLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { requireIndicesInRange } from '../../core/shapes.js';
import type { DataArray, FloatArray, Tensor, TensorLike } from '../../core/tensor.js';
import { asFloat, formatShape, toTensor } from '../../core/tensor.js';
import { requireShape } from './common.js';

interface CrfPlan {
  size: number;
  outShape: number[];
  divisors: { tokenMean: number };
  em: FloatArray;
  tags: Int32Array;
  trans: FloatArray;
  start: FloatArray;
  end: FloatArray;
  steps: number;
  numTags: number;
  /** Number of unmasked steps of each sequence (the mask is a prefix). */
  lengths: Int32Array;
  /** transitions transposed (transT[j·K + k] = transitions[k][j]): the forward pass reads it by rows. */
  transT: Float64Array;
  /** Column maxima of the transitions and expColT[j·K + k] = exp(A[k][j] − colMax[j]) (forward). */
  colMax: Float64Array;
  expColT: Float64Array;
  /** Row maxima of the transitions and expRow[k·K + j] = exp(A[k][j] − rowMax[k]) (backward). */
  rowMax: Float64Array;
  expRow: Float64Array;
  /** Scratch rows: exp(log α_{i−1} − max) and exp(E_i + log β_i − max). */
  p: Float64Array;
  q: Float64Array;
  /** Scratch: log α and log β (maxLen × K), one row of exponentials, and the shared gradients. */
  alpha: Float64Array;
  beta: Float64Array;
  row: Float64Array;
  gTrans: Float64Array;
  gStart: Float64Array;
  gEnd: Float64Array;
}

const NEG_INF = -Infinity;

/**
 * Validates the shared CRF inputs (emissions (N, T, K), transitions (K, K), start and end (K), a
 * 0/1 prefix mask with the first step on) and returns the length of each sequence.
 */
function crfShapes(
  id: string,
  emissions: Tensor,
  mask: Tensor | undefined,
  transitions: Tensor,
  start: Tensor,
  end: Tensor,
): { N: number; T: number; K: number; lengths: Int32Array } {
  const layout = sequenceLayout(id, 'emissions', emissions, true);
  const { batch: N, steps: T, features: K } = layout;
  if (K === 0 && N * T > 0) {
    fail(
      'E_SHAPE',
      id,
      "input 'emissions'",
      'at least one tag (K >= 1)',
      `shape ${formatShape(emissions.shape)}`,
    );
  }
  requireShape(id, 'transitions', transitions, [K, K], 'tag-to-tag scores (K, K)');
  requireShape(id, 'startTransitions', start, [K], 'start scores (K)');
  requireShape(id, 'endTransitions', end, [K], 'end scores (K)');
  const lengths = new Int32Array(N);
  if (mask === undefined) {
    lengths.fill(T);
    return { N, T, K, lengths };
  }
  requireShape(id, 'mask', mask, [N, T], 'a mask like the tags');
  const m = mask.data;
  for (let n = 0; n < N; n++) {
    let len = 0;
    for (let t = 0; t < T; t++) {
      const v = m[n * T + t];
      if (v !== 0 && v !== 1) {
        fail(
          'E_RANGE',
          id,
          "input 'mask'",
          'a mask of 0/1 values (or booleans)',
          `${describe(v)} at sequence ${n}, step ${t}`,
        );
      }
      if (v === 1) {
        if (len !== t) {
          fail(
            'E_RANGE',
            id,
            "input 'mask'",
            'a left-aligned mask (every sequence a prefix of ones followed by zeros)',
            `a 1 after a 0 at sequence ${n}, step ${t}`,
          );
        }
        len++;
      }
    }
    if (T > 0 && len === 0) {
      fail(
        'E_RANGE',
        id,
        "input 'mask'",
        'the first timestep of every sequence on (mask[:, 0] = 1, as pytorch-crf)',
        `mask[${n}, 0] = 0`,
      );
    }
    lengths[n] = len;
  }
  return { N, T, K, lengths };
}

/** log Σ_k exp(a[ab + k] + b[bb + k]), k < K; −∞ when every term is −∞. */
function lsePair(a: Float64Array, ab: number, b: ArrayLike<number>, bb: number, K: number): number {
  let m = NEG_INF;
  for (let k = 0; k < K; k++) m = Math.max(m, a[ab + k] + b[bb + k]);
  if (m === NEG_INF) return NEG_INF;
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp(a[ab + k] + b[bb + k] - m);
  return m + Math.log(s);
}

/**
 * Sums of positive terms below this are recomputed in log space: above it the largest term is a
 * normal number and every underflowed term is below 1e-55 of it, so the factorised sum is exact to
 * rounding.
 */
const TINY = 1e-250;

/**
 * One forward step, log α_i(j) = log Σ_k exp(log α_{i−1}(k) + A[k][j]) + E_i(j), factorised as
 * max α + colMax_j + log Σ_k exp(log α_{i−1}(k) − max α)·exp(A[k][j] − colMax_j): K exponentials and
 * K² multiply-adds instead of K² exponentials. Falls back to the log-space sum when the factorised
 * sum underflows.
 */
function forwardStep(plan: CrfPlan, a: Float64Array, prev: number, ei: number): void {
  const { numTags: K, em, colMax, expColT, transT, p } = plan;
  const cur = prev + K;
  let m = NEG_INF;
  for (let k = 0; k < K; k++) m = Math.max(m, a[prev + k]);
  if (m === NEG_INF) {
    for (let j = 0; j < K; j++) a[cur + j] = NEG_INF;
    return;
  }
  for (let k = 0; k < K; k++) p[k] = Math.exp(a[prev + k] - m);
  for (let j = 0; j < K; j++) {
    if (colMax[j] === NEG_INF) {
      a[cur + j] = NEG_INF;
      continue;
    }
    const base = j * K;
    let s = 0;
    for (let k = 0; k < K; k++) s += p[k] * expColT[base + k];
    a[cur + j] =
      (s > TINY ? m + colMax[j] + Math.log(s) : lsePair(a, prev, transT, base, K)) + em[ei + j];
  }
}

/**
 * One backward step from log β_i (row `cur`) to log β_{i−1}, accumulating c·ξ_i(k, j), the pairwise
 * marginals, into the transition gradient. With v_j = E_i(j) + log β_i(j):
 * log β_{i−1}(k) = max v + rowMax_k + log Σ_j exp(A[k][j] − rowMax_k)·exp(v_j − max v), and
 * ξ_i(k, j) = exp(log α_{i−1}(k) + rowMax_k + max v − log Z)·exp(A[k][j] − rowMax_k)·exp(v_j − max v).
 */
function backwardStep(plan: CrfPlan, cur: number, ei: number, logZ: number, c: number): void {
  const { numTags: K, em, trans, rowMax, expRow, q, row, gTrans, alpha: a, beta: b } = plan;
  const prev = cur - K;
  let m = NEG_INF;
  for (let j = 0; j < K; j++) m = Math.max(m, em[ei + j] + b[cur + j]);
  if (m === NEG_INF) {
    for (let k = 0; k < K; k++) b[prev + k] = NEG_INF;
    return;
  }
  for (let j = 0; j < K; j++) q[j] = Math.exp(em[ei + j] + b[cur + j] - m);
  for (let k = 0; k < K; k++) {
    const tk = k * K;
    if (rowMax[k] === NEG_INF) {
      b[prev + k] = NEG_INF;
      continue;
    }
    let s = 0;
    for (let j = 0; j < K; j++) s += expRow[tk + j] * q[j];
    if (s > TINY) {
      b[prev + k] = m + rowMax[k] + Math.log(s);
      const f = c * Math.exp(a[prev + k] + rowMax[k] + m - logZ);
      for (let j = 0; j < K; j++) gTrans[tk + j] += f * expRow[tk + j] * q[j];
      continue;
    }
    // Log-space fallback for this row.
    let mk = NEG_INF;
    for (let j = 0; j < K; j++) mk = Math.max(mk, trans[tk + j] + em[ei + j] + b[cur + j]);
    if (mk === NEG_INF) {
      b[prev + k] = NEG_INF;
      continue;
    }
    let sk = 0;
    for (let j = 0; j < K; j++) {
      const u = Math.exp(trans[tk + j] + em[ei + j] + b[cur + j] - mk);
      row[j] = u;
      sk += u;
    }
    b[prev + k] = mk + Math.log(sk);
    const f = c * Math.exp(a[prev + k] + mk - logZ);
    for (let j = 0; j < K; j++) gTrans[tk + j] += f * row[j];
  }
}

/** Linear-chain CRF negative log-likelihood, −pytorch-crf `CRF.forward` (batch_first). */
export const crf = defineLoss({
  meta: {
    id: 'crf',
    task: 'sequence',
    title: 'Linear-chain CRF negative log-likelihood',
    summary:
      'Negative log-likelihood of gold tag sequences under a linear-chain conditional random field with emission, transition, start and end scores; the partition function by the forward algorithm, gradients from forward–backward marginals.',
    formula:
      "\\ell_n = \\log \\sum_{y'} e^{s(y')} - s(y_n),\\quad s(y) = a_{y_1} + \\sum_{i=1}^{L} E_{i,y_i} + \\sum_{i=2}^{L} A_{y_{i-1},y_i} + b_{y_L}",
    inputs: [
      {
        name: 'emissions',
        role: 'scores',
        shape: '(N, T, K)',
        differentiable: true,
        kind: 'float',
        doc: 'Emission score of each of K tags at each step (batch first), e.g. a BiLSTM or transformer head.',
      },
      {
        name: 'tags',
        role: 'classIndices',
        shape: '(N, T)',
        differentiable: false,
        kind: 'index',
        doc: 'Gold tag ids in [0, K); entries under mask 0 are ignored but must still be valid ids.',
      },
      {
        name: 'mask',
        role: 'mask',
        shape: '(N, T)',
        differentiable: false,
        kind: 'float',
        optional: true,
        doc: 'Left-aligned 0/1 (or boolean) mask of valid steps with mask[:, 0] = 1; default all 1.',
      },
      {
        name: 'transitions',
        role: 'scores',
        shape: '(K, K)',
        differentiable: true,
        kind: 'float',
        doc: 'transitions[i][j]: score of moving from tag i to tag j.',
      },
      {
        name: 'startTransitions',
        role: 'scores',
        shape: '(K)',
        differentiable: true,
        kind: 'float',
        doc: 'Score of starting a sequence with each tag.',
      },
      {
        name: 'endTransitions',
        role: 'scores',
        shape: '(K)',
        differentiable: true,
        kind: 'float',
        doc: 'Score of ending a sequence (at its last unmasked step) with each tag.',
      },
    ],
    options: {},
    reductions: ['mean', 'sum', 'tokenMean', 'none'],
    defaultReduction: 'mean',
    references: [
      {
        title:
          'Lafferty, McCallum, Pereira (2001), Conditional Random Fields: Probabilistic Models for Segmenting and Labeling Sequence Data',
        url: 'https://repository.upenn.edu/cis_papers/159/',
      },
      {
        title: 'Lample et al. (2016), Neural Architectures for Named Entity Recognition',
        url: 'https://arxiv.org/abs/1603.01360',
      },
      {
        title: 'pytorch-crf (kmkurn/pytorch-crf, torchcrf/__init__.py)',
        url: 'https://github.com/kmkurn/pytorch-crf',
        implementation:
          "−CRF(num_tags, batch_first=True).forward(emissions, tags, mask, reduction) with reduction 'token_mean' as tokenMean",
      },
    ],
    examples: [
      {
        title: 'Two tagged sentences over 3 tags, the second padded',
        inputs: {
          emissions: [
            [
              [0.5, -0.2, 0.1],
              [0.3, 0.8, -0.4],
              [-0.1, 0.2, 0.6],
            ],
            [
              [0.9, 0.1, -0.3],
              [-0.5, 0.4, 0.2],
              [0.0, 0.0, 0.0],
            ],
          ],
          tags: [
            [0, 1, 2],
            [0, 1, 0],
          ],
          mask: [
            [1, 1, 1],
            [1, 1, 0],
          ],
          transitions: [
            [0.2, -0.1, 0.05],
            [0.1, 0.3, -0.2],
            [-0.15, 0.0, 0.25],
          ],
          startTransitions: [0.1, -0.05, 0.0],
          endTransitions: [-0.1, 0.05, 0.2],
        },
      },
      {
        title: 'One sentence without a mask, token mean',
        inputs: {
          emissions: [
            [
              [1.2, -0.3],
              [0.2, 0.7],
              [-0.4, 0.9],
              [0.6, 0.1],
            ],
          ],
          tags: [[0, 1, 1, 0]],
          transitions: [
            [0.3, -0.2],
            [-0.1, 0.4],
          ],
          startTransitions: [0.05, -0.05],
          endTransitions: [0.0, 0.1],
        },
        options: { reduction: 'tokenMean' },
      },
    ],
    whenToUse:
      'Structured sequence tagging (named-entity recognition, chunking, part-of-speech, slot filling) where neighbouring labels constrain each other (I-PER only after B-PER or I-PER): a CRF layer over per-token scores learns transition scores and is trained by maximum likelihood over whole tag sequences, then decoded with viterbiDecode, usually beating an independent per-token softmax on span F1.',
    caveats: [
      "pytorch-crf's forward returns the log-likelihood (to maximise); this loss is its negative. pytorch-crf's default reduction is 'sum', losskit's is 'mean' over sequences.",
      'The mask must be left-aligned with the first step on (pytorch-crf checks only the first step); the end transition is taken at the last unmasked step.',
      'Cost is O(N·T·K²) per evaluation: large tag sets (K in the hundreds) make the CRF the bottleneck.',
      'Forbidding transitions with −Infinity scores is allowed; a gold sequence that uses one then has loss +Infinity.',
    ],
    notes: [
      'Gradients: emissions get marginal − indicator per unmasked step (0 at masked steps), transitions the expected minus observed transition counts, start/end the first/last-step marginal minus indicator.',
      'Masked steps are skipped, so their emissions (even ±Infinity or NaN) do not reach the loss (pytorch-crf multiplies them by 0, which gives NaN for non-finite scores).',
      'T = 0 gives loss 0 for every sequence.',
      'viterbiDecode({ emissions, transitions, startTransitions, endTransitions, mask? }) returns the best tag sequence of each sample (number[][]), as pytorch-crf decode; ties go to the lowest tag id.',
    ],
  },
  prepare(inputs, _options, id): CrfPlan {
    const { emissions, tags, mask, transitions, startTransitions, endTransitions } = inputs;
    const { N, T, K, lengths } = crfShapes(
      id,
      emissions,
      mask,
      transitions,
      startTransitions,
      endTransitions,
    );
    requireShape(id, 'tags', tags, [N, T], 'tag ids like the emissions without the tag axis');
    requireIndicesInRange(id, 'tags', tags.data, K);
    let tokens = 0;
    let maxLen = 0;
    for (let n = 0; n < N; n++) {
      tokens += lengths[n];
      maxLen = Math.max(maxLen, lengths[n]);
    }
    const tr = transitions.data;
    const transT = new Float64Array(K * K);
    for (let k = 0; k < K; k++) for (let j = 0; j < K; j++) transT[j * K + k] = tr[k * K + j];
    const colMax = new Float64Array(K).fill(NEG_INF);
    const rowMax = new Float64Array(K).fill(NEG_INF);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) {
        colMax[j] = Math.max(colMax[j], tr[k * K + j]);
        rowMax[k] = Math.max(rowMax[k], tr[k * K + j]);
      }
    }
    // A column (row) that is all −∞ stays 0 here; the kernel skips it.
    const expColT = new Float64Array(K * K);
    const expRow = new Float64Array(K * K);
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) {
        if (colMax[j] !== NEG_INF) expColT[j * K + k] = Math.exp(tr[k * K + j] - colMax[j]);
        if (rowMax[k] !== NEG_INF) expRow[k * K + j] = Math.exp(tr[k * K + j] - rowMax[k]);
      }
    }
    return {
      size: N,
      outShape: [N],
      divisors: { tokenMean: tokens },
      em: emissions.data,
      tags: tags.data,
      trans: tr,
      start: startTransitions.data,
      end: endTransitions.data,
      steps: T,
      numTags: K,
      lengths,
      transT,
      colMax,
      expColT,
      rowMax,
      expRow,
      p: new Float64Array(K),
      q: new Float64Array(K),
      alpha: new Float64Array(maxLen * K),
      beta: new Float64Array(maxLen * K),
      row: new Float64Array(K),
      gTrans: new Float64Array(K * K),
      gStart: new Float64Array(K),
      gEnd: new Float64Array(K),
    };
  },
  writesEveryGrad: true,
  kernel(plan, out, grads, seed, scale) {
    const { em, tags, trans, start, end, steps: T, numTags: K, lengths } = plan;
    const { alpha: a, beta: b, row, gTrans, gStart, gEnd } = plan;
    const N = plan.size;
    const ge = grads === null ? null : grads.emissions;
    if (ge !== null) {
      gTrans.fill(0);
      gStart.fill(0);
      gEnd.fill(0);
    }
    const acc = new CompensatedSum();
    for (let blk = 0; blk < N; blk += SUM_BLOCK) {
      const stop = Math.min(N, blk + SUM_BLOCK);
      let sum = 0;
      for (let n = blk; n < stop; n++) {
        const L = lengths[n];
        const eb = n * T * K;
        const yb = n * T;
        if (L === 0) {
          if (out !== null) out[n] = 0;
          continue;
        }
        // Score of the gold path.
        let y = tags[yb];
        let score = start[y] + em[eb + y];
        for (let i = 1; i < L; i++) {
          const yi = tags[yb + i];
          score += trans[y * K + yi] + em[eb + i * K + yi];
          y = yi;
        }
        score += end[y];
        // Forward: log α_i(j) = log Σ_k exp(log α_{i−1}(k) + A[k][j]) + E_i(j).
        for (let j = 0; j < K; j++) a[j] = start[j] + em[eb + j];
        for (let i = 1; i < L; i++) forwardStep(plan, a, (i - 1) * K, eb + i * K);
        const lastRow = (L - 1) * K;
        const logZ = lsePair(a, lastRow, end, 0, K);
        const loss = logZ - score;
        sum += loss;
        if (out !== null) out[n] = loss;
        if (ge === null) continue;
        const c = seed === null ? scale : seed[n] * scale;
        // Backward: log β_{L−1}(j) = b_j; log β_{i−1}(k) = log Σ_j exp(A[k][j] + E_i(j) + log β_i(j)).
        // The same exponentials give the pairwise marginals ξ_i(k, j) = exp(log α_{i−1}(k) + A[k][j] +
        // E_i(j) + log β_i(j) − log Z), accumulated (times c) into the transition gradient.
        for (let j = 0; j < K; j++) b[lastRow + j] = end[j];
        for (let i = L - 1; i >= 1; i--) backwardStep(plan, i * K, eb + i * K, logZ, c);
        // Unary marginals μ_i(j) = exp(log α_i(j) + log β_i(j) − log Z) give the emission gradient.
        for (let i = 0; i < L; i++) {
          const ri = i * K;
          const gi = eb + i * K;
          const yi = tags[yb + i];
          for (let j = 0; j < K; j++) {
            const mu = Math.exp(a[ri + j] + b[ri + j] - logZ);
            row[j] = mu;
            ge[gi + j] = c * mu;
          }
          ge[gi + yi] = c * (row[yi] - 1);
          if (i === 0) {
            for (let j = 0; j < K; j++) gStart[j] += c * row[j];
            gStart[yi] -= c;
          }
          if (i === L - 1) {
            for (let j = 0; j < K; j++) gEnd[j] += c * row[j];
            gEnd[yi] -= c;
          }
          if (i > 0) gTrans[tags[yb + i - 1] * K + yi] -= c;
        }
        ge.fill(0, eb + L * K, eb + T * K);
      }
      acc.add(sum);
    }
    if (grads !== null) {
      grads.transitions.set(gTrans);
      grads.startTransitions.set(gStart);
      grads.endTransitions.set(gEnd);
    }
    return acc.value();
  },
});

/** The inputs of viterbiDecode, named as the crf inputs. */
export interface ViterbiInputs {
  emissions: TensorLike;
  transitions: TensorLike;
  startTransitions: TensorLike;
  endTransitions: TensorLike;
  mask?: TensorLike;
}

function namedTensor(inputs: ViterbiInputs, name: keyof ViterbiInputs): Tensor | undefined {
  const v = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
  if (v === undefined || v === null) {
    if (name === 'mask') return undefined;
    fail('E_INPUT', 'viterbiDecode', `input '${name}'`, 'a tensor', describe(v));
  }
  return toTensor(v, 'viterbiDecode', name);
}

/**
 * The highest-scoring tag sequence of each sample under a linear-chain CRF (Viterbi), as pytorch-crf
 * `CRF.decode` with batch_first: one array of length Σ mask per sample. Ties go to the lowest tag.
 */
export function viterbiDecode(inputs: ViterbiInputs): number[][] {
  const id = 'viterbiDecode';
  const t = (name: keyof ViterbiInputs): Tensor => namedTensor(inputs, name)!;
  const emissions = t('emissions');
  const transitions = t('transitions');
  const startT = t('startTransitions');
  const endT = t('endTransitions');
  const maskT = namedTensor(inputs, 'mask');
  const { N, T, K, lengths } = crfShapes(id, emissions, maskT, transitions, startT, endT);
  const em: DataArray = asFloat(emissions);
  const tr = asFloat(transitions);
  const st = asFloat(startT);
  const en = asFloat(endT);
  const score = new Float64Array(K);
  const next = new Float64Array(K);
  const back = new Int32Array(Math.max(T, 1) * K);
  const paths: number[][] = [];
  for (let n = 0; n < N; n++) {
    const L = lengths[n];
    if (L === 0) {
      paths.push([]);
      continue;
    }
    const eb = n * T * K;
    for (let j = 0; j < K; j++) score[j] = st[j] + em[eb + j];
    for (let i = 1; i < L; i++) {
      for (let j = 0; j < K; j++) {
        let best = NEG_INF;
        let arg = 0;
        for (let k = 0; k < K; k++) {
          const v = score[k] + tr[k * K + j];
          if (v > best) {
            best = v;
            arg = k;
          }
        }
        next[j] = best + em[eb + i * K + j];
        back[i * K + j] = arg;
      }
      score.set(next);
    }
    let last = 0;
    let best = NEG_INF;
    for (let j = 0; j < K; j++) {
      const v = score[j] + en[j];
      if (v > best) {
        best = v;
        last = j;
      }
    }
    const path = new Array<number>(L);
    path[L - 1] = last;
    for (let i = L - 1; i >= 1; i--) path[i - 1] = back[i * K + path[i]];
    paths.push(path);
  }
  return paths;
}
