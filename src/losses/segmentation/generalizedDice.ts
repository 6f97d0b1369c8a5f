import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { SegLayout, StatsScratch } from './common.js';
import {
  accumulateStats,
  FP,
  segLayout,
  statOf,
  statsScratch,
  TP,
  TSUM,
  writeOverlapGrad,
} from './common.js';
import {
  CLASS_INDEX_TARGET,
  EXAMPLE_IMAGE_LOGITS,
  EXAMPLE_IMAGE_TARGET,
  EXAMPLE_SECOND_TARGET,
  SOFTMAX_SEG_INPUT,
} from './examples.js';

export const WEIGHT_TYPES = ['square', 'simple', 'uniform'] as const;
export type WeightType = (typeof WEIGHT_TYPES)[number];

export interface GdlPlan extends Plan {
  L: SegLayout;
  fromLogits: boolean;
  smooth: number;
  weightType: WeightType;
  sc: StatsScratch;
  /** Class weights of one sample (length C). */
  w: Float64Array;
  A: Float64Array;
  B: Float64Array;
}

/** MONAI's w_func on the target volume T: 1/T², 1/T or 1 (∞ for an absent class but uniform). */
function weightOf(type: WeightType, t: number): number {
  return type === 'square' ? 1 / (t * t) : type === 'simple' ? 1 / t : 1;
}

/** Generalized Dice loss, MONAI `GeneralizedDiceLoss(softmax=True, to_onehot_y=True)`. */
export const generalizedDice = defineLoss({
  meta: {
    id: 'generalizedDice',
    task: 'segmentation',
    title: 'Generalized Dice loss',
    summary:
      'Dice with per-class weights 1/(Σ t_c)² so every class counts alike whatever its volume, one loss per sample (Sudre et al., MONAI).',
    formula:
      "\\ell_n = 1 - \\frac{2\\sum_c w_{nc} \\sum_i p_{nic} t_{nic} + s}{\\sum_c w_{nc} \\sum_i (p_{nic} + t_{nic}) + s},\\quad w_{nc} = \\frac{1}{(\\sum_i t_{nic})^2}\\ (\\infty \\mapsto \\max_{c'} \\text{finite } w_{nc'})",
    inputs: [
      SOFTMAX_SEG_INPUT,
      {
        ...CLASS_INDEX_TARGET,
        doc: 'Class indices in [0, C) (one-hot encoded internally, MONAI to_onehot_y).',
      },
    ],
    options: {
      fromLogits: {
        type: 'boolean',
        default: true,
        doc: 'Softmax over dim 1 first (MONAI softmax=True); false: the input holds probabilities.',
      },
      smooth: {
        type: 'number',
        default: 1e-5,
        min: 0,
        doc: 'Added to numerator and denominator (MONAI smooth_nr = smooth_dr).',
      },
      weightType: {
        type: 'enum',
        values: WEIGHT_TYPES,
        default: 'square',
        doc: "Class weight from the target volume T_c: 'square' 1/T², 'simple' 1/T, 'uniform' 1 (MONAI w_type).",
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Sudre, Li, Vercauteren, Ourselin, Cardoso, Generalised Dice overlap as a deep learning loss function for highly unbalanced segmentations (DLMIA 2017)',
        url: 'https://arxiv.org/abs/1707.03237',
      },
      {
        title: 'MONAI GeneralizedDiceLoss (Project-MONAI/MONAI d388d1c, monai/losses/dice.py)',
        url: 'https://github.com/Project-MONAI/MONAI/blob/dev/monai/losses/dice.py',
        implementation: 'monai.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)',
      },
    ],
    examples: [
      {
        title: 'Two 2×3 images over three classes',
        inputs: {
          input: [
            EXAMPLE_IMAGE_LOGITS,
            [
              [
                [0.4, -1.1, 0.9],
                [0.2, 0.0, -0.6],
              ],
              [
                [1.3, 0.5, -0.4],
                [-0.9, 0.7, 0.3],
              ],
              [
                [-0.2, 0.8, 0.1],
                [0.6, -0.5, 1.4],
              ],
            ],
          ],
          target: [EXAMPLE_IMAGE_TARGET, EXAMPLE_SECOND_TARGET],
        },
      },
      {
        title: "Per-sample losses with 'simple' weights",
        inputs: {
          input: [
            [
              [0.5, -0.5, 1.0, 0.2],
              [-0.3, 0.8, -1.0, 0.4],
            ],
          ],
          target: [[0, 1, 0, 0]],
        },
        options: { weightType: 'simple', reduction: 'none' },
      },
    ],
    whenToUse:
      'Multi-class segmentation with very unequal class volumes (a small lesion class beside a large organ and background): weighting each class by the inverse square of its volume makes every class contribute about equally, so the small classes are not drowned out, which plain dice averaged over pixels does not achieve (Sudre et al.).',
    caveats: [
      'A class absent from a sample would get an infinite weight; MONAI replaces it by the largest finite weight of that sample, so false positives of absent classes are still penalised (unlike smp dice).',
      "With 'square' weights a class of a few pixels can dominate the loss and make it noisy; 'simple' or 'uniform' soften this.",
      'One loss per sample (MONAI batch=False); mean over samples by default.',
    ],
    notes: [
      'Weights are computed in float64 (MONAI casts the target volume to float32 before 1/T²).',
      "'uniform' weights give the per-sample dice over all classes pooled: 1 − (2ΣTP + s)/(Σp + Σt + s).",
      'With C = 1 the softmax is 1 everywhere (MONAI warns and skips softmax and one-hot instead).',
    ],
  },
  prepare(inputs, o, id): GdlPlan {
    const L = segLayout(id, 'multiclass', inputs.input, inputs.target, null);
    const C = L.numClasses;
    return {
      size: L.batch,
      outShape: [L.batch],
      L,
      fromLogits: o.fromLogits,
      smooth: o.smooth,
      weightType: o.weightType,
      sc: statsScratch(L, L.batch, o.fromLogits),
      w: new Float64Array(C),
      A: new Float64Array(L.batch * C),
      B: new Float64Array(L.batch * C),
    };
  },
  writesEveryGrad: true,
  kernel(plan: GdlPlan, out, grads, seed, scale) {
    const { L, sc, w, A, B, smooth } = plan;
    const N = L.batch;
    const C = L.numClasses;
    accumulateStats(L, plan.fromLogits, true, sc, grads !== null);
    const acc = new CompensatedSum();
    let s = 0;
    for (let n = 0; n < N; n++) {
      // weights, infinite ones replaced by the largest finite weight of the sample (MONAI)
      let maxFinite = 0;
      for (let c = 0; c < C; c++) {
        const v = weightOf(plan.weightType, statOf(sc, C, n, c, TSUM));
        w[c] = v;
        if (v !== Infinity && v > maxFinite) maxFinite = v;
      }
      let num = 0;
      let den = 0;
      for (let c = 0; c < C; c++) {
        if (w[c] === Infinity) w[c] = maxFinite;
        const tp = statOf(sc, C, n, c, TP);
        const p = tp + statOf(sc, C, n, c, FP);
        num += w[c] * tp;
        den += w[c] * (p + statOf(sc, C, n, c, TSUM));
      }
      num = 2 * num + smooth;
      den += smooth;
      const l = 1 - num / den;
      if (out !== null) out[n] = l;
      s += l;
      if ((n + 1) % SUM_BLOCK === 0) {
        acc.add(s);
        s = 0;
      }
      if (grads !== null) {
        // dl/dp_ic = w_c·num/den² − [y_i = c]·2·w_c/den
        const k = seed === null ? scale : seed[n] * scale;
        const q = num / den / den;
        for (let c = 0; c < C; c++) {
          A[n * C + c] = k * w[c] * q;
          B[n * C + c] = (-k * 2 * w[c]) / den;
        }
      }
    }
    acc.add(s);
    if (grads !== null) writeOverlapGrad(L, plan.fromLogits, true, sc, A, B, grads.input);
    return acc.value();
  },
});
