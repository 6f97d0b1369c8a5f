import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { SegLayout } from './common.js';
import { segLayout } from './common.js';
import {
  CLASS_INDEX_TARGET,
  EXAMPLE_IMAGE_LOGITS,
  EXAMPLE_IMAGE_TARGET,
  EXAMPLE_SECOND_TARGET,
  SOFTMAX_SEG_INPUT,
} from './examples.js';
import type { LovaszScratch } from './lovasz.js';
import { lovaszExtension, lovaszScratch } from './lovasz.js';

export interface SoftmaxPlan extends Plan {
  L: SegLayout;
  fromLogits: boolean;
  perImage: boolean;
  /** null: 'present' or 'all' (see `present`); else the listed class ids. */
  list: Int32Array | null;
  present: boolean;
  sc: LovaszScratch;
  /** Element index of class 0 of each local pixel of the current group. */
  base: Int32Array;
  /** Label of each local pixel of the current group. */
  lab: Int32Array;
  /** Pixels of each class in the current group. */
  count: Float64Array;
  /** Softmax probabilities (fromLogits) of every element, or null (the input is read). */
  probs: Float64Array | null;
  /** d(loss)/d(probability) of every element. */
  gp: Float64Array;
  /** One pixel's softmax numerators, then its d/dp. */
  row: Float64Array;
}

/** Lovász-Softmax loss, Berman's official `lovasz_softmax` on softmax(input). */
export const lovaszSoftmax = defineLoss({
  meta: {
    id: 'lovaszSoftmax',
    task: 'segmentation',
    title: 'Lovász-Softmax loss',
    summary:
      'Per class, the Lovász extension of the Jaccard loss evaluated at the errors |1[y = c] − p_c| of softmax probabilities, averaged over the present classes (Berman et al.).',
    formula:
      '\\mathcal{L} = \\frac{1}{|K|}\\sum_{c \\in K} \\sum_k m_{\\pi_c(k)}(c)\\,\\big(\\bar J_c(k) - \\bar J_c(k-1)\\big),\\quad m_i(c) = |[y_i = c] - p_{ic}|,\\quad \\bar J_c(k) = 1 - \\frac{G_c - \\sum_{j \\le k} g_{\\pi_c(j)}}{G_c + \\sum_{j\\le k}(1 - g_{\\pi_c(j)})}',
    inputs: [SOFTMAX_SEG_INPUT, CLASS_INDEX_TARGET],
    options: {
      fromLogits: {
        type: 'boolean',
        default: true,
        doc: 'Softmax over dim 1 first; false: the input holds probabilities (the official function takes probabilities).',
      },
      classes: {
        type: 'intList',
        default: 'present',
        keywords: ['present', 'all'],
        doc: "'present': the classes with a target pixel (in the batch, or in each image with perImage); 'all': every class (an absent class adds the largest p_c, a false-positive penalty); or a list of class ids.",
      },
      perImage: {
        type: 'boolean',
        default: false,
        doc: 'Mean over images of each image’s loss; false (official default): one loss over the flattened batch.',
      },
      ignoreIndex: {
        type: 'number',
        default: null,
        integer: true,
        doc: 'Target value whose pixels are removed before sorting (official ignore, typically 255). null: none.',
      },
    },
    reductions: [],
    references: [
      {
        title:
          'Berman, Rannen Triki, Blaschko, The Lovász-Softmax loss: A tractable surrogate for the optimization of the intersection-over-union measure in neural networks (CVPR 2018)',
        url: 'https://arxiv.org/abs/1705.08790',
      },
      {
        title:
          'bermanmaxim/LovaszSoftmax pytorch/lovasz_losses.py (7d48792): lovasz_softmax, lovasz_grad',
        url: 'https://github.com/bermanmaxim/LovaszSoftmax/blob/master/pytorch/lovasz_losses.py',
        implementation: 'lovasz_losses.lovasz_softmax(softmax(input), target)',
      },
    ],
    examples: [
      {
        title: 'Three classes on two 2×3 images (logits)',
        inputs: {
          input: [
            EXAMPLE_IMAGE_LOGITS,
            // the second image of generalizedDice's example but 0.05 and 0.15, away from ties
            [
              [
                [0.4, -1.1, 0.9],
                [0.2, 0.05, -0.6],
              ],
              [
                [1.3, 0.5, -0.4],
                [-0.9, 0.7, 0.3],
              ],
              [
                [-0.2, 0.8, 0.15],
                [0.6, -0.5, 1.4],
              ],
            ],
          ],
          target: [EXAMPLE_IMAGE_TARGET, EXAMPLE_SECOND_TARGET],
        },
      },
      {
        title: 'Probabilities of four pixels, every class',
        inputs: {
          input: [
            [
              [0.65, 0.15, 0.32, 0.55],
              [0.22, 0.71, 0.27, 0.36],
              [0.13, 0.14, 0.41, 0.09],
            ],
          ],
          target: [[0, 1, 1, 1]],
        },
        options: { fromLogits: false, classes: 'all' },
      },
    ],
    whenToUse:
      'Multi-class semantic segmentation judged by mean IoU (Pascal VOC, Cityscapes): Lovász-Softmax optimises a convex surrogate of each class’s Jaccard loss directly and, averaged over present classes, the mIoU; it gains most when fine-tuning a network trained with cross-entropy (seed 000, Berman et al.).',
    caveats: [
      'Its gradient is piecewise constant in the errors and sparse early in training; train with cross-entropy first or combine the two.',
      "classes = 'present' (default) ignores classes absent from the batch (or image); 'all' penalises their largest probability, which punishes false positives of absent classes.",
      'perImage = false (default) optimises the batch IoU; true optimises the mean per-image IoU, with a fully ignored image contributing 0 and counting.',
      'One O(n log n) sort per class (and image): heavier than the pixelwise losses.',
    ],
    notes: [
      'Ties between errors are broken by pixel order (a stable sort; the official torch.sort may break them differently: same value, the gradient at a tie may differ).',
      'Any spatial rank is flattened channels-last, as the official flatten_probas does for (B, C, H, W).',
      'The official 3-D (B, H, W) sigmoid case (C = 1 with classes = [1]) is not reproduced: use lovaszHinge for binary masks.',
    ],
  },
  prepare(inputs, o, id): SoftmaxPlan {
    const L = segLayout(id, 'multiclass', inputs.input, inputs.target, o.ignoreIndex);
    const C = L.numClasses;
    let list: Int32Array | null = null;
    if (typeof o.classes !== 'string' && o.classes !== null) {
      list = o.classes;
      for (const c of list) {
        if (c < 0 || c >= C) {
          fail(
            'E_OPTION',
            id,
            "option 'classes'",
            `'present', 'all' or class ids in [0, ${C - 1}]`,
            `classes=[${Array.from(list).join(', ')}]`,
          );
        }
      }
    }
    const group = o.perImage ? L.spatial : L.batch * L.spatial;
    return {
      size: 1,
      outShape: [],
      L,
      fromLogits: o.fromLogits,
      perImage: o.perImage,
      list,
      present: o.classes === 'present' || o.classes === null,
      sc: lovaszScratch(group),
      base: new Int32Array(group),
      lab: new Int32Array(group),
      count: new Float64Array(C),
      probs: o.fromLogits ? new Float64Array(L.x.length) : null,
      gp: new Float64Array(L.x.length),
      row: new Float64Array(Math.max(C, 1)),
    };
  },
  writesEveryGrad: true,
  kernel(plan: SoftmaxPlan, _out, grads, _seed, scale) {
    const { L, sc, base, lab, count, probs, gp, row, list } = plan;
    const { batch: N, numClasses: C, spatial: S, x } = L;
    const y = L.labels!;
    const ig = L.ignore;
    const CS = C * S;
    const gx = grads === null ? null : grads.input;
    // softmax probabilities of the counted pixels
    if (probs !== null) {
      for (let n = 0; n < N; n++) {
        for (let s = 0; s < S; s++) {
          if (y[n * S + s] === ig) continue;
          const b = n * CS + s;
          let m = -Infinity;
          for (let c = 0, i = b; c < C; c++, i += S) if (x[i] > m) m = x[i];
          let sum = 0;
          for (let c = 0, i = b; c < C; c++, i += S) {
            const v = Math.exp(x[i] - m);
            row[c] = v;
            sum += v;
          }
          for (let c = 0, i = b; c < C; c++, i += S) probs[i] = row[c] / sum;
        }
      }
    }
    const p = probs ?? x;
    if (gx !== null) gp.fill(0);
    const groups = plan.perImage ? N : 1;
    const imagesPer = plan.perImage ? 1 : N;
    let total = 0;
    for (let g = 0; g < groups; g++) {
      // gather the group's counted pixels and its class counts
      count.fill(0);
      let n = 0;
      for (let img = g * imagesPer, e = img + imagesPer; img < e; img++) {
        for (let s = 0; s < S; s++) {
          const label = y[img * S + s];
          if (label === ig) continue;
          base[n] = img * CS + s;
          lab[n] = label;
          count[label] += 1;
          n++;
        }
      }
      if (n === 0) continue; // a fully ignored group contributes 0 and counts
      let used = 0;
      const K = list === null ? C : list.length;
      for (let j = 0; j < K; j++) {
        const c = list === null ? j : list[j];
        if (!(plan.present && count[c] === 0)) used++;
      }
      if (used === 0) continue;
      const coef = scale / groups / used;
      let groupSum = 0;
      for (let j = 0; j < K; j++) {
        const c = list === null ? j : list[j];
        if (plan.present && count[c] === 0) continue;
        for (let k = 0; k < n; k++) {
          const f = lab[k] === c ? 1 : 0;
          sc.fg[k] = f;
          sc.err[k] = Math.abs(f - p[base[k] + c * S]);
        }
        groupSum += lovaszExtension(sc, n, false, gx !== null);
        if (gx !== null) {
          for (let k = 0; k < n; k++) {
            const i = base[k] + c * S;
            // d|f − p|/dp = −sign(f − p), torch's sign(0) = 0
            gp[i] -= coef * sc.dErr[k] * Math.sign(sc.fg[k] - p[i]);
          }
        }
      }
      total += groupSum / used;
    }
    if (gx !== null) {
      for (let img = 0; img < N; img++) {
        for (let s = 0; s < S; s++) {
          const b = img * CS + s;
          if (y[img * S + s] === ig) {
            for (let c = 0, i = b; c < C; c++, i += S) gx[i] = 0;
            continue;
          }
          if (probs === null) {
            for (let c = 0, i = b; c < C; c++, i += S) gx[i] = gp[i];
            continue;
          }
          let dot = 0;
          for (let c = 0, i = b; c < C; c++, i += S) dot += probs[i] * gp[i];
          for (let c = 0, i = b; c < C; c++, i += S) gx[i] = probs[i] * (gp[i] - dot);
        }
      }
    }
    return groups === 0 ? 0 : total / groups;
  },
});
