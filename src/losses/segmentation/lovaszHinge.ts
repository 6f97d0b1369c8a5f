import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { SegLayout } from './common.js';
import { segLayout } from './common.js';
import type { LovaszScratch } from './lovasz.js';
import { lovaszExtension, lovaszScratch } from './lovasz.js';

export interface HingePlan extends Plan {
  L: SegLayout;
  perImage: boolean;
  sc: LovaszScratch;
  /** Flat input index of each local pixel of the current group. */
  pos: Int32Array;
}

/** Lovász hinge loss, Berman's official `lovasz_hinge` (relu form). */
export const lovaszHinge = defineLoss({
  meta: {
    id: 'lovaszHinge',
    task: 'segmentation',
    title: 'Lovász hinge loss',
    summary:
      'The Lovász extension of the Jaccard loss evaluated at the hinge errors 1 − x·(2t − 1) of binary logits: a convex, piecewise-linear surrogate of 1 − IoU (Berman et al.).',
    formula:
      '\\mathcal{L} = \\sum_{k} \\max(m_{\\pi(k)}, 0)\\, \\big(\\bar J(k) - \\bar J(k-1)\\big),\\quad m_i = 1 - x_i (2t_i - 1),\\quad \\bar J(k) = 1 - \\frac{G - \\sum_{j\\le k} t_{\\pi(j)}}{G + \\sum_{j \\le k} (1 - t_{\\pi(j)})}',
    inputs: [
      {
        name: 'input',
        role: 'logits',
        shape: '(N, H, W) or (N, 1, H, W) (any spatial rank)',
        differentiable: true,
        kind: 'float',
        doc: 'Foreground logits (no sigmoid is applied: the hinge acts on the logits).',
      },
      {
        name: 'target',
        role: 'targets',
        shape: 'the spatial shape of input',
        differentiable: false,
        kind: 'raw',
        doc: 'Binary mask: 0, 1 or the ignore index.',
      },
    ],
    options: {
      perImage: {
        type: 'boolean',
        default: true,
        doc: 'Mean over images of each image’s loss (official default); false: one loss over the flattened batch.',
      },
      ignoreIndex: {
        type: 'number',
        default: null,
        integer: true,
        doc: 'Target value whose pixels are removed before sorting (official ignore). null: none.',
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
          'bermanmaxim/LovaszSoftmax pytorch/lovasz_losses.py (7d48792): lovasz_hinge, lovasz_grad',
        url: 'https://github.com/bermanmaxim/LovaszSoftmax/blob/master/pytorch/lovasz_losses.py',
        implementation: 'lovasz_losses.lovasz_hinge',
      },
    ],
    examples: [
      {
        title: 'Two 2×3 images (logits)',
        inputs: {
          input: [
            [
              [2.1, -0.7, 0.4],
              [-1.3, 0.9, -0.2],
            ],
            [
              [0.6, 1.7, -2.4],
              [0.15, -0.55, 1.05],
            ],
          ],
          target: [
            [
              [1, 0, 1],
              [0, 1, 0],
            ],
            [
              [1, 1, 0],
              [0, 0, 1],
            ],
          ],
        },
      },
      {
        title: 'One flattened batch with an ignored pixel',
        inputs: {
          input: [[[0.3, -1.2, 2.2, 0.8]]],
          target: [[[1, 0, 255, 0]]],
        },
        options: { perImage: false, ignoreIndex: 255 },
      },
    ],
    whenToUse:
      'Binary segmentation judged by IoU (building, road or lesion masks): the Lovász hinge optimises a tight convex surrogate of the Jaccard loss directly, per image by default, so it improves IoU more than pixelwise losses; it is often used to fine-tune a model first trained with cross-entropy (seed 000, Berman et al.).',
    caveats: [
      'It acts on logits, not probabilities, and its gradient is piecewise constant: from a random start it learns slowly; start from a model trained with (binary) cross-entropy or add it to BCE.',
      'perImage = true (the default) optimises the mean per-image IoU; false optimises the IoU of the whole batch.',
      'A fully ignored image contributes 0 and still counts in the mean over images.',
      'Each image’s pixels are sorted: O(n log n) per image, more than the elementwise losses.',
    ],
    notes: [
      'Ties between errors are broken by pixel order (a stable sort); the value does not depend on it, the gradient at a tie does. The official code uses torch.sort (not guaranteed stable).',
      'Targets other than 0, 1 or ignoreIndex throw E_RANGE.',
    ],
  },
  prepare(inputs, o, id): HingePlan {
    const L = segLayout(id, 'binary', inputs.input, inputs.target, o.ignoreIndex);
    const t = L.mask!;
    for (let i = 0; i < t.length; i++) {
      const v = t[i];
      if (v !== 0 && v !== 1 && v === v && v !== o.ignoreIndex) {
        fail(
          'E_RANGE',
          id,
          "input 'target'",
          `a binary mask of 0 and 1${o.ignoreIndex === null ? '' : ` or the ignore index ${o.ignoreIndex}`}`,
          `${v} at flat position ${i}`,
        );
      }
    }
    const group = o.perImage ? L.spatial : t.length;
    return {
      size: 1,
      outShape: [],
      L,
      perImage: o.perImage,
      sc: lovaszScratch(group),
      pos: new Int32Array(group),
    };
  },
  writesEveryGrad: true,
  kernel(plan: HingePlan, _out, grads, _seed, scale) {
    const { L, sc, pos } = plan;
    const x = L.x;
    const t = L.mask!;
    const ig = L.ignore;
    const groups = plan.perImage ? L.batch : 1;
    const span = plan.perImage ? L.spatial : x.length;
    const gx = grads === null ? null : grads.input;
    const coef = groups === 0 ? 0 : scale / groups;
    let sum = 0;
    for (let g = 0; g < groups; g++) {
      let n = 0;
      for (let i = g * span, e = i + span; i < e; i++) {
        const tv = t[i];
        if (tv === ig) {
          if (gx !== null) gx[i] = 0;
          continue;
        }
        // signs 2t − 1, errors 1 − x·sign
        sc.err[n] = 1 - x[i] * (2 * tv - 1);
        sc.fg[n] = tv;
        pos[n] = i;
        n++;
      }
      sum += lovaszExtension(sc, n, true, gx !== null);
      if (gx !== null) {
        for (let k = 0; k < n; k++) {
          const i = pos[k];
          gx[i] = -(2 * t[i] - 1) * sc.dErr[k] * coef;
        }
      }
    }
    return groups === 0 ? 0 : sum / groups;
  },
});
