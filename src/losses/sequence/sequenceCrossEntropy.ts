import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { sequenceLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { requireIndicesInRange } from '../../core/shapes.js';
import type { FloatArray, TensorLike } from '../../core/tensor.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';

interface SequenceCrossEntropyPlan {
  size: number;
  outShape: number[];
  divisors: { tokenMean: number; sentenceMean: number };
  x: FloatArray;
  y: Int32Array;
  vocab: number;
  ignore: number;
  /** Weight of −log p(target) in the loss. */
  a: number;
  /** Weight of −log p(v) for every v (the smoothing term), 0 without smoothing. */
  b: number;
  /** Softmax numerators of one position. */
  row: Float64Array;
}

/**
 * Token cross-entropy of a batch of sequences with padding, torch's or fairseq's label smoothing,
 * and token or sentence means.
 */
export const sequenceCrossEntropy = defineLoss({
  meta: {
    id: 'sequenceCrossEntropy',
    task: 'sequence',
    title: 'Sequence cross-entropy (padded, label-smoothed)',
    summary:
      'Per-token softmax cross-entropy of (N, T, V) logits against (N, T) token ids, padding masked, with torch-style or fairseq-style label smoothing and token or sentence means.',
    formula:
      '\\ell_{n,t} = -\\sum_v q_v \\log \\operatorname{softmax}(x_{n,t})_v,\\quad q_v = \\begin{cases} 1-\\varepsilon+\\varepsilon/V\\ \\text{or}\\ 1-\\varepsilon & v = y_{n,t} \\\\ \\varepsilon/V\\ \\text{or}\\ \\varepsilon/(V-1) & \\text{otherwise} \\end{cases}',
    inputs: [
      {
        name: 'input',
        role: 'logits',
        shape: '(N, T, V)',
        differentiable: true,
        kind: 'float',
        doc: 'Unnormalised scores over the vocabulary for every position of every sequence (batch first).',
      },
      {
        name: 'target',
        role: 'classIndices',
        shape: '(N, T)',
        differentiable: false,
        kind: 'index',
        doc: 'Target token ids in [0, V), or ignoreIndex at padding positions.',
      },
    ],
    options: {
      ignoreIndex: {
        type: 'number',
        default: -100,
        integer: true,
        doc: 'Target value of padding positions: they contribute 0 and are not counted by tokenMean.',
      },
      labelSmoothing: {
        type: 'number',
        default: 0,
        min: 0,
        max: 1,
        doc: 'ε in [0, 1]: the share of probability mass moved from the target to the other tokens.',
      },
      smoothingStyle: {
        type: 'enum',
        values: ['uniform', 'fairseq'],
        default: 'uniform',
        doc: "'uniform' (torch): target 1 − ε + ε/V, every token ε/V. 'fairseq': target 1 − ε, every other token ε/(V − 1).",
      },
    },
    reductions: ['tokenMean', 'sentenceMean', 'sum', 'none'],
    defaultReduction: 'tokenMean',
    references: [
      {
        title: 'Szegedy et al. (2016), Rethinking the Inception Architecture (label smoothing)',
        url: 'https://arxiv.org/abs/1512.00567',
      },
      {
        title: 'PyTorch cross_entropy with ignore_index and label_smoothing',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.functional.cross_entropy.html',
        implementation:
          "torch.nn.functional.cross_entropy over the flattened (N·T, V) logits (PyTorch 1.13), 'uniform' style",
      },
      {
        title: 'fairseq label_smoothed_cross_entropy',
        url: 'https://github.com/facebookresearch/fairseq/blob/main/fairseq/criterions/label_smoothed_cross_entropy.py',
        implementation:
          "fairseq label_smoothed_nll_loss (eps_i = ε/(V−1)), 'fairseq' style; sentenceMean = sentence_avg",
      },
    ],
    examples: [
      {
        title: 'Two sentences of three tokens, one padded',
        inputs: {
          input: [
            [
              [1.0, 0.2, -0.5, 0.1],
              [0.3, 1.2, 0.0, -0.4],
              [-0.2, 0.4, 0.9, 0.0],
            ],
            [
              [0.5, -0.3, 0.2, 0.8],
              [0.1, 0.1, -0.6, 0.3],
              [0.0, 0.7, -0.1, 0.2],
            ],
          ],
          target: [
            [0, 1, 2],
            [3, 0, -100],
          ],
        },
      },
      {
        title: 'fairseq label smoothing 0.1, sentence mean',
        inputs: {
          input: [
            [
              [0.4, -0.2, 1.1],
              [0.9, 0.3, -0.7],
            ],
          ],
          target: [[2, 0]],
        },
        options: { labelSmoothing: 0.1, smoothingStyle: 'fairseq', reduction: 'sentenceMean' },
      },
    ],
    whenToUse:
      'Training autoregressive or seq2seq language models (translation, captioning, speech-to-text decoders) with teacher forcing on padded batches: the token-level maximum-likelihood objective. Label smoothing (ε ≈ 0.1 in the Transformer) discourages over-confident softmaxes and usually improves BLEU while raising perplexity.',
    caveats: [
      'torch and fairseq smooth differently: torch gives the target 1 − ε + ε/V, fairseq 1 − ε; pick smoothingStyle to match the recipe you reproduce (the difference is ε/V per token, tiny for large V).',
      "tokenMean weights every token equally (long sentences dominate); sentenceMean (fairseq's sentence_avg) divides the sum by the number of sentences, which scales the gradient with the sentence length.",
      'With label smoothing the loss does not go to 0 and is not a log-likelihood; report perplexity from the unsmoothed loss (the exported perplexity helper does).',
    ],
    notes: [
      "'none' returns (N, T) with 0 at padding; 'sum' adds every token; 'tokenMean' divides by the number of non-padding tokens, 'sentenceMean' by N.",
      'All positions padded: every reduction gives 0 with zero gradient (torch returns NaN for its mean).',
      'fairseq logs the criterion in base 2 (÷ ln 2); losskit returns nats.',
      'perplexity(input, target, { ignoreIndex }) = exp(unsmoothed tokenMean loss), 1 when every position is padding.',
    ],
  },
  prepare(inputs, options, id): SequenceCrossEntropyPlan {
    const { input, target } = inputs;
    const layout = sequenceLayout(id, 'input', input, true);
    const { batch: N, steps: T, features: V } = layout;
    if (!shapeEquals(target.shape, [N, T])) {
      fail(
        'E_SHAPE',
        id,
        "input 'target'",
        `token ids of shape ${formatShape([N, T])} (the input shape ${formatShape(input.shape)} without the vocabulary axis)`,
        `shape ${formatShape(target.shape)}`,
      );
    }
    if (V === 0 && N * T > 0) {
      fail(
        'E_SHAPE',
        id,
        "input 'input'",
        'a vocabulary of at least one token (V >= 1)',
        `shape ${formatShape(input.shape)}`,
      );
    }
    const ignore = options.ignoreIndex;
    const y = target.data;
    requireIndicesInRange(id, 'target', y, V, ignore);
    let tokens = 0;
    for (let i = 0; i < y.length; i++) if (y[i] !== ignore) tokens++;
    const eps = options.labelSmoothing;
    let a: number;
    let b: number;
    if (options.smoothingStyle === 'fairseq') {
      // fairseq: (1 − ε − eps_i)·nll + eps_i·Σ_v(−log p_v), eps_i = ε/(V − 1).
      b = V > 1 ? eps / (V - 1) : 0;
      a = 1 - eps - b;
    } else {
      // torch: (1 − ε)·nll + (ε/V)·Σ_v(−log p_v).
      a = 1 - eps;
      b = eps / V;
    }
    return {
      size: N * T,
      outShape: [N, T],
      divisors: { tokenMean: tokens, sentenceMean: N },
      x: input.data,
      y,
      vocab: V,
      ignore,
      a,
      b,
      row: new Float64Array(V),
    };
  },
  writesEveryGrad: true,
  kernel(plan, out, grads, seed, scale) {
    const { x, y, vocab: V, ignore, a, b, row, size } = plan;
    const g = grads === null ? null : grads.input;
    const qsum = a + V * b;
    const acc = new CompensatedSum();
    for (let blk = 0; blk < size; blk += SUM_BLOCK) {
      const end = Math.min(size, blk + SUM_BLOCK);
      let s = 0;
      for (let p = blk; p < end; p++) {
        const base = p * V;
        const label = y[p];
        if (label === ignore) {
          if (out !== null) out[p] = 0;
          if (g !== null) g.fill(0, base, base + V);
          continue;
        }
        const m = maxAlong(x, base, 1, V);
        const z = expShiftedInto(x, row, base, 1, V, m);
        const lse = Math.log(z);
        const nll = lse - (x[base + label] - m);
        let l = a * nll;
        if (b !== 0) {
          let smooth = 0;
          for (let v = 0; v < V; v++) smooth += lse - (x[base + v] - m);
          l += b * smooth;
        }
        s += l;
        if (out !== null) out[p] = l;
        if (g !== null) {
          const c = seed === null ? scale : seed[p] * scale;
          const cp = (c * qsum) / z;
          const cb = c * b;
          // d/dx_v = c·(Σq·p_v − q_v), q_v = b + a·[v = label]; the target's term in its own store.
          for (let v = 0; v < label; v++) g[base + v] = cp * row[v] - cb;
          g[base + label] = cp * row[label] - cb - c * a;
          for (let v = label + 1; v < V; v++) g[base + v] = cp * row[v] - cb;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});

/**
 * Perplexity of a batch of sequences: exp of the unsmoothed token-mean cross-entropy (nats), padding
 * positions (target = ignoreIndex, default −100) left out. 1 when every position is padding.
 */
export function perplexity(
  input: TensorLike,
  target: TensorLike,
  options: { ignoreIndex?: number } = {},
): number {
  const ignoreIndex = Object.hasOwn(options, 'ignoreIndex') ? options.ignoreIndex : undefined;
  return Math.exp(
    sequenceCrossEntropy(input, target, {
      ...(ignoreIndex === undefined ? {} : { ignoreIndex }),
      labelSmoothing: 0,
      reduction: 'tokenMean',
    }),
  );
}
