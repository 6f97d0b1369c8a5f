import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { sequenceLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { formatShape } from '../../core/tensor.js';
import { requireShape } from './common.js';

interface CtcPlan {
  size: number;
  outShape: number[];
  x: FloatArray;
  tStride: number;
  nStride: number;
  steps: number;
  classes: number;
  blank: number;
  zeroInfinity: boolean;
  /** Target labels (padded rows or the concatenation) and where sample n's labels start. */
  labels: Int32Array;
  offsets: Int32Array;
  inputLengths: Int32Array;
  targetLengths: Int32Array;
  /** 1 / max(targetLength, 1) per sample under 'mean' (torch's normalisation), else null. */
  unitWeight: Float64Array | null;
  /** Scratch: log α and log β' lattices (maxT × maxS'), the extended label, skip flags, occupancies. */
  alpha: Float64Array;
  beta: Float64Array;
  ext: Int32Array;
  skip: Uint8Array;
  occ: Float64Array;
}

const NEG_INF = -Infinity;

/**
 * The most cells maxT · (2·maxL + 1) one CTC lattice may have (2^26): the log α and log β lattices
 * are then 512 MiB each as float64. Larger requests throw E_RANGE before anything is allocated.
 */
export const MAX_CTC_LATTICE_CELLS = 2 ** 26;

/** log(e^a + e^b), −∞ when both are −∞; NaN propagates. */
function lse2(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log(e^a + e^b + e^c), −∞ when all three are −∞; NaN propagates. */
function lse3(a: number, b: number, c: number): number {
  const m = Math.max(a, b, c);
  if (m === NEG_INF) return NEG_INF;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** Connectionist temporal classification, torch `ctc_loss` values, with the true gradient. */
export const ctc = defineLoss({
  meta: {
    id: 'ctc',
    task: 'sequence',
    title: 'Connectionist temporal classification (CTC)',
    summary:
      'Negative log-probability of a label sequence summed over every frame alignment (blanks and repeats collapsed), by the log-space forward–backward algorithm.',
    formula:
      '\\ell_n = -\\log \\sum_{\\pi \\in \\mathcal{B}^{-1}(l_n)} \\prod_{t=1}^{T_n} y^{t}_{\\pi_t},\\quad \\text{mean: } \\tfrac1N \\sum_n \\ell_n / \\max(|l_n|, 1)',
    inputs: [
      {
        name: 'logProbs',
        role: 'logProbabilities',
        shape: '(T, N, C)',
        differentiable: true,
        kind: 'float',
        doc: 'Log-probabilities over C classes (blank included) per frame, time-major, normally log_softmax outputs.',
      },
      {
        name: 'targets',
        role: 'classIndices',
        shape: '(N, S) or (Σ targetLengths)',
        differentiable: false,
        kind: 'index',
        doc: "Target label ids in [0, C) other than blank, padded to S per row (entries past a row's length are ignored), or all targets concatenated.",
      },
      {
        name: 'inputLengths',
        role: 'lengths',
        shape: '(N)',
        differentiable: false,
        kind: 'index',
        doc: 'Number of valid frames of each sample, in [0, T].',
      },
      {
        name: 'targetLengths',
        role: 'lengths',
        shape: '(N)',
        differentiable: false,
        kind: 'index',
        doc: 'Length of each target, in [0, S].',
      },
    ],
    options: {
      blank: {
        type: 'number',
        default: 0,
        integer: true,
        min: 0,
        doc: 'Class index of the blank symbol, in [0, C).',
      },
      zeroInfinity: {
        type: 'boolean',
        default: false,
        doc: 'Replace the infinite loss of an infeasible sample (input too short for its target) and its gradient by 0.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Graves et al. (2006), Connectionist Temporal Classification: Labelling Unsegmented Sequence Data with Recurrent Neural Networks',
        url: 'https://www.cs.toronto.edu/~graves/icml_2006.pdf',
      },
      {
        title: 'PyTorch ctc_loss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.functional.ctc_loss.html',
        implementation:
          'torch.nn.functional.ctc_loss values (PyTorch 1.13); the gradient is the true derivative with respect to logProbs, not torch’s logits-convention gradient',
      },
    ],
    examples: [
      {
        title: 'Two utterances of uneven length, blank = 0',
        inputs: {
          logProbs: [
            [
              [-1.2, -0.9, -1.3],
              [-0.6, -1.4, -1.6],
            ],
            [
              [-1.5, -0.5, -1.8],
              [-1.0, -1.0, -1.3],
            ],
            [
              [-0.8, -1.9, -0.9],
              [-1.7, -0.7, -1.1],
            ],
            [
              [-1.1, -1.3, -0.9],
              [-0.9, -1.2, -1.2],
            ],
          ],
          targets: [
            [1, 2],
            [2, 0],
          ],
          inputLengths: [4, 3],
          targetLengths: [2, 1],
        },
      },
      {
        title: 'A repeated label needs a blank between its copies (sum reduction)',
        inputs: {
          logProbs: [[[-0.9, -0.7, -2.0]], [[-1.3, -0.5, -1.9]], [[-0.6, -1.1, -1.8]]],
          targets: [[1, 1]],
          inputLengths: [3],
          targetLengths: [2],
        },
        options: { reduction: 'sum' },
      },
    ],
    whenToUse:
      'Sequence labelling without frame-level alignment: speech recognition, handwriting and scene-text recognition, where an encoder emits T ≥ |target| frames and the target is a shorter label sequence. CTC marginalises over every alignment, so no segmentation of the training data is needed.',
    caveats: [
      'The gradient returned is the true derivative with respect to logProbs (−posterior occupancy, zero for classes absent from the target). torch’s ctc_loss backward instead returns softmax − occupancy, the gradient with respect to the logits, which is only right when log_softmax is in the graph: losskit’s gradient chained through log_softmax gives exactly torch’s.',
      'A sample whose input is too short for its target (repeated labels need a blank in between) has probability 0: loss +Infinity and NaN gradient for its frames, unless zeroInfinity. Check lengths after any downsampling in the encoder.',
      "'mean' divides each loss by its target length (at least 1) before averaging over the batch, as torch; Keras' ctc averages raw losses. 'sum' and 'none' are raw.",
      'CTC assumes frames are conditionally independent given the input, and tends to produce peaky, blank-dominated outputs.',
    ],
    notes: [
      'logProbs should be normalised per frame (log_softmax); the loss does not renormalise.',
      'Entries of targets past a row’s length are ignored and may hold any value (e.g. padding −1).',
      'inputLength 0 with targetLength 0 gives loss 0 (the empty alignment); torch 1.13 returns an uninitialised ≈0 value there.',
      'Frames at or past a sample’s input length get zero gradient.',
    ],
  },
  prepare(inputs, options, id): CtcPlan {
    const { logProbs, targets, inputLengths, targetLengths } = inputs;
    const layout = sequenceLayout(id, 'logProbs', logProbs, false);
    const { steps: T, batch: N, features: C } = layout;
    if (C === 0 && N * T > 0) {
      fail(
        'E_SHAPE',
        id,
        "input 'logProbs'",
        'at least one class (C >= 1)',
        `shape ${formatShape(logProbs.shape)}`,
      );
    }
    const blank = options.blank;
    if (blank >= C && N > 0) {
      fail('E_OPTION', id, "option 'blank'", `a class index in [0, ${C - 1}]`, `blank=${blank}`);
    }
    requireShape(id, 'inputLengths', inputLengths, [N], 'one input length per sample');
    requireShape(id, 'targetLengths', targetLengths, [N], 'one target length per sample');
    const il = inputLengths.data;
    const tl = targetLengths.data;
    for (let n = 0; n < N; n++) {
      if (il[n] < 0 || il[n] > T) {
        fail(
          'E_RANGE',
          id,
          "input 'inputLengths'",
          `lengths in [0, T = ${T}]`,
          `${il[n]} for sample ${n}`,
        );
      }
    }
    const offsets = new Int32Array(N);
    const labels = targets.data;
    if (targets.shape.length === 2) {
      requireShape(
        id,
        'targets',
        targets,
        [N, targets.shape[1]],
        'padded targets (N, S) with N = ' + N,
      );
      const S = targets.shape[1];
      for (let n = 0; n < N; n++) {
        if (tl[n] < 0 || tl[n] > S) {
          fail(
            'E_RANGE',
            id,
            "input 'targetLengths'",
            `lengths in [0, S = ${S}] (the padded target width)`,
            `${tl[n]} for sample ${n}`,
          );
        }
        offsets[n] = n * S;
      }
    } else if (targets.shape.length === 1) {
      let total = 0;
      for (let n = 0; n < N; n++) {
        if (tl[n] < 0)
          fail(
            'E_RANGE',
            id,
            "input 'targetLengths'",
            'non-negative lengths',
            `${tl[n]} for sample ${n}`,
          );
        offsets[n] = total;
        total += tl[n];
      }
      if (total !== targets.shape[0]) {
        fail(
          'E_SHAPE',
          id,
          "input 'targets'",
          `the ${total} concatenated labels of Σ targetLengths`,
          `shape ${formatShape(targets.shape)}`,
        );
      }
    } else {
      fail(
        'E_SHAPE',
        id,
        "input 'targets'",
        'padded targets (N, S) or concatenated targets (Σ targetLengths)',
        `shape ${formatShape(targets.shape)}`,
      );
    }
    let maxT = 0;
    let maxL = 0;
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < tl[n]; s++) {
        const v = labels[offsets[n] + s];
        if (v < 0 || v >= C || v === blank) {
          fail(
            'E_RANGE',
            id,
            "input 'targets'",
            `labels in [0, ${C - 1}] other than blank = ${blank}`,
            `${v} at position ${s} of sample ${n}`,
          );
        }
      }
      maxT = Math.max(maxT, il[n]);
      maxL = Math.max(maxL, tl[n]);
    }
    const maxS = 2 * maxL + 1;
    if (maxT * maxS > MAX_CTC_LATTICE_CELLS) {
      fail(
        'E_RANGE',
        id,
        "inputs 'inputLengths' and 'targetLengths'",
        `at most ${MAX_CTC_LATTICE_CELLS} lattice cells max(inputLengths) · (2·max(targetLengths) + 1)`,
        `${maxT} · ${maxS} = ${maxT * maxS} cells`,
        'Split long utterances, or evaluate the longest samples in a separate call.',
      );
    }
    let unitWeight: Float64Array | null = null;
    if (options.reduction === 'mean') {
      unitWeight = new Float64Array(N);
      for (let n = 0; n < N; n++) unitWeight[n] = 1 / Math.max(tl[n], 1);
    }
    return {
      size: N,
      outShape: [N],
      x: logProbs.data,
      tStride: layout.tStride,
      nStride: layout.nStride,
      steps: T,
      classes: C,
      blank,
      zeroInfinity: options.zeroInfinity,
      labels,
      offsets,
      inputLengths: il,
      targetLengths: tl,
      unitWeight,
      alpha: new Float64Array(maxT * maxS),
      beta: new Float64Array(maxT * maxS),
      ext: new Int32Array(maxS),
      skip: new Uint8Array(maxS),
      occ: new Float64Array(C),
    };
  },
  writesEveryGrad: true,
  kernel(plan, out, grads, seed, scale) {
    const { x, tStride, nStride, steps, classes: C, blank, labels, offsets, unitWeight } = plan;
    const { alpha: a, beta: b, ext, skip, occ } = plan;
    const g = grads === null ? null : grads.logProbs;
    const N = plan.size;
    const acc = new CompensatedSum();
    for (let blk = 0; blk < N; blk += SUM_BLOCK) {
      const end = Math.min(N, blk + SUM_BLOCK);
      let sum = 0;
      for (let n = blk; n < end; n++) {
        const Tn = plan.inputLengths[n];
        const L = plan.targetLengths[n];
        const Sp = 2 * L + 1;
        const xn = n * nStride;
        // Extended label l' = (blank, l1, blank, l2, ..., lL, blank); a skip s−2 → s is allowed into a
        // label that differs from the previous label.
        for (let s = 0; s < Sp; s++) {
          const lab = (s & 1) === 1 ? labels[offsets[n] + ((s - 1) >> 1)] : blank;
          ext[s] = lab;
          skip[s] = s >= 3 && (s & 1) === 1 && lab !== ext[s - 2] ? 1 : 0;
        }
        let logLik: number;
        if (Tn === 0) logLik = L === 0 ? 0 : NEG_INF;
        else {
          // Only states in the band [lo_t, hi_t] can lie on a complete alignment: hi_t = 2t + 1 (reachable
          // from the start), lo_t = Sp − 2(Tn − t) (can still reach the end). The rest stay −∞.
          a.fill(NEG_INF, 0, Tn * Sp);
          a[0] = x[xn + ext[0]];
          if (Sp > 1) a[1] = x[xn + ext[1]];
          for (let t = 1; t < Tn; t++) {
            const row = t * Sp;
            const prev = row - Sp;
            const xt = t * tStride + xn;
            const lo = Math.max(0, Sp - 2 * (Tn - t));
            const hi = Math.min(Sp - 1, 2 * t + 1);
            for (let s = lo; s <= hi; s++) {
              const stay = a[prev + s];
              const from =
                skip[s] === 1
                  ? lse3(stay, a[prev + s - 1], a[prev + s - 2])
                  : s >= 1
                    ? lse2(stay, a[prev + s - 1])
                    : stay;
              a[row + s] = x[xt + ext[s]] + from;
            }
          }
          const last = (Tn - 1) * Sp;
          logLik = Sp >= 2 ? lse2(a[last + Sp - 1], a[last + Sp - 2]) : a[last];
        }
        const raw = -logLik;
        const infeasible = raw === Infinity;
        const lossN = infeasible && plan.zeroInfinity ? 0 : raw;
        const w = unitWeight === null ? 1 : unitWeight[n];
        sum += lossN * w;
        if (out !== null) out[n] = lossN;
        if (g === null) continue;
        // Rows of frames past the input length, and every row of a zeroed infeasible sample, get 0.
        const live = infeasible && plan.zeroInfinity ? 0 : Tn;
        for (let t = live; t < steps; t++) g.fill(0, t * tStride + xn, t * tStride + xn + C);
        if (live === 0) continue;
        if (infeasible || logLik !== logLik) {
          for (let t = 0; t < Tn; t++) g.fill(NaN, t * tStride + xn, t * tStride + xn + C);
          continue;
        }
        const coef = (seed === null ? scale : seed[n] * scale) * w;
        // log β'(t, s): log-probability of finishing from state s at frame t, emitting frames t+1 .. Tn−1.
        const lastRow = (Tn - 1) * Sp;
        b.fill(NEG_INF, 0, Tn * Sp);
        b[lastRow + Sp - 1] = 0;
        if (Sp >= 2) b[lastRow + Sp - 2] = 0;
        for (let t = Tn - 2; t >= 0; t--) {
          const row = t * Sp;
          const next = row + Sp;
          const xt = (t + 1) * tStride + xn;
          const lo = Math.max(0, Sp - 2 * (Tn - t));
          const hi = Math.min(Sp - 1, 2 * t + 1);
          for (let s = lo; s <= hi; s++) {
            const stay = x[xt + ext[s]] + b[next + s];
            b[row + s] =
              s + 1 >= Sp
                ? stay
                : s + 2 < Sp && skip[s + 2] === 1
                  ? lse3(
                      stay,
                      x[xt + ext[s + 1]] + b[next + s + 1],
                      x[xt + ext[s + 2]] + b[next + s + 2],
                    )
                  : lse2(stay, x[xt + ext[s + 1]] + b[next + s + 1]);
          }
        }
        // d(−log p)/d logProbs[t, c] = −Σ_{s: l'_s = c} α(t, s)·β'(t, s) / p (the occupancy of c at t).
        for (let t = 0; t < Tn; t++) {
          occ.fill(0);
          const row = t * Sp;
          const lo = Math.max(0, Sp - 2 * (Tn - t));
          const hi = Math.min(Sp - 1, 2 * t + 1);
          for (let s = lo; s <= hi; s++) occ[ext[s]] += Math.exp(a[row + s] + b[row + s] - logLik);
          const gt = t * tStride + xn;
          for (let c = 0; c < C; c++) g[gt + c] = -coef * occ[c];
        }
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
