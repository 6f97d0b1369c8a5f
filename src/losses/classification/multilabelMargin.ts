import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { marginClassLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import { SCORES_NC } from './softmax-specs.js';

/** The padding value that ends a sample's list of target classes. */
const PAD = -1;

export interface MultilabelMarginPlan extends Plan {
  x: FloatArray;
  y: Int32Array;
  numClasses: number;
  /** Number of leading target entries (before the first −1) per sample. */
  count: Int32Array;
  /** Per sample (row of C), the classes that are not among its targets, then unused slots. */
  others: Int32Array;
  /** Number of non-target classes per sample. */
  otherCount: Int32Array;
  /** Float64 scratch row of length C: signed counts of active pairs per class. */
  hits: Float64Array;
}

/** Multi-label hinge over (target, non-target) pairs, torch `multilabel_margin_loss`. */
export const multilabelMargin = defineLoss({
  meta: {
    id: 'multilabelMargin',
    task: 'classification',
    title: 'Multi-label margin loss',
    summary:
      'Hinge max(0, 1 − (x_target − x_other)) summed over every (target class, non-target class) pair and divided by C; targets are listed as indices padded with −1.',
    formula:
      '\\ell_n = \\frac{1}{C}\\sum_{j \\in T_n}\\sum_{i \\notin T_n}\\max\\big(0,\\ 1 - (x_{n,j} - x_{n,i})\\big)',
    inputs: [
      SCORES_NC,
      {
        name: 'target',
        role: 'classIndices',
        shape: '(N, C) or (C) same as input',
        differentiable: false,
        kind: 'index',
        doc: 'Per sample, the target class indices followed by −1 padding; entries after the first −1 are ignored (but must lie in [−1, C)).',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MultiLabelMarginLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.MultiLabelMarginLoss.html',
        implementation: 'torch.nn.functional.multilabel_margin_loss (PyTorch 1.13)',
      },
    ],
    examples: [
      {
        title: "torch's documentation example (0.85)",
        inputs: { input: [[0.1, 0.2, 0.4, 0.8]], target: [[3, 0, -1, 1]] },
      },
    ],
    whenToUse:
      "Multi-label classification (several labels per sample, such as 'dog' and 'outdoor' for one photo) seen as ranking: every target class should score at least 1 above every non-target class, torch's multilabel_margin_loss. Use it when labels come as index lists and the order of targets above non-targets is what matters; prefer multilabelSoftMargin (independent sigmoids) when you need a calibrated probability per label.",
    caveats: [
      'Targets are class indices padded with −1, not a 0/1 mask: only the indices before the first −1 count, and a repeated index counts twice (torch).',
      'The cost per sample is |targets| × |non-targets| pairs, up to C²/4.',
      'The sum is divided by C, so its scale depends on the number of classes; there is no threshold for deciding which labels are on.',
    ],
    notes: [
      'Only the indices before the first −1 count; a repeated target index counts twice (as torch).',
      "At exactly 1 − (x_j − x_i) = 0 the gradient is 0 (torch's kernel tests z > 0).",
    ],
  },
  prepare(inputs, _options, id): MultilabelMarginPlan {
    const { input, target } = inputs;
    const layout = marginClassLayout(id, input);
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    const C = layout.numClasses;
    const y = target.data;
    for (let i = 0; i < y.length; i++) {
      if (y[i] < PAD || y[i] >= C) {
        fail(
          'E_RANGE',
          id,
          "input 'target'",
          `class indices in [0, ${C - 1}] or the padding -1`,
          `${y[i]} at flat position ${i}`,
        );
      }
    }
    const n = layout.size;
    const count = new Int32Array(n);
    const others = new Int32Array(n * C);
    const otherCount = new Int32Array(n);
    const isTarget = new Uint8Array(C);
    for (let s = 0; s < n; s++) {
      const base = s * C;
      isTarget.fill(0);
      let len = 0;
      while (len < C && y[base + len] !== PAD) {
        isTarget[y[base + len]] = 1;
        len++;
      }
      count[s] = len;
      let m = 0;
      for (let c = 0; c < C; c++) if (isTarget[c] === 0) others[base + m++] = c;
      otherCount[s] = m;
    }
    return {
      size: n,
      outShape: layout.outShape,
      x: input.data,
      y,
      numClasses: C,
      count,
      others,
      otherCount,
      hits: new Float64Array(C),
    };
  },
  writesEveryGrad: true,
  kernel(plan: MultilabelMarginPlan, out, grads, seed, scale) {
    const { x, y, numClasses: C, count, others, otherCount, hits } = plan;
    const n = count.length;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = k * C;
        const nt = count[k];
        const no = otherCount[k];
        let sum = 0;
        if (g === null) {
          for (let j = 0; j < nt; j++) {
            const xj = x[base + y[base + j]];
            // max(z, 0), NaN propagating (torch adds z only where z > 0)
            for (let q = 0; q < no; q++) sum += Math.max(1 - xj + x[base + others[base + q]], 0);
          }
        } else {
          // hits[c]: how many active pairs add +1/C (c a non-target) or −1/C (c a target) to
          // d loss / dx_c; the gradient is hits[c]·c_k/C, one rounding per element.
          hits.fill(0);
          for (let j = 0; j < nt; j++) {
            const tj = y[base + j];
            const xj = x[base + tj];
            let active = 0;
            for (let q = 0; q < no; q++) {
              const i = others[base + q];
              const z = 1 - xj + x[base + i];
              sum += Math.max(z, 0);
              // slope 1 at z > 0 (and NaN, which propagates); 0 at exactly z = 0, as torch's kernel
              const a = z > 0 || z !== z ? 1 : 0;
              hits[i] += a;
              active += a;
            }
            hits[tj] -= active;
          }
          const h = (seed === null ? scale : seed[k] * scale) / C;
          for (let c = 0; c < C; c++) g[base + c] = hits[c] * h;
        }
        const l = sum / C;
        if (out !== null) out[k] = l;
        s += l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
