import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { reduceSum, unitScale } from '../../core/reduce.js';
import type { CrossEntropyPlan } from '../classification/crossEntropy.js';
import { crossEntropy } from '../classification/crossEntropy.js';
import { CLASS_WEIGHTS_OPTION } from './common.js';
import { EPS_OPTION, SMOOTH_OPTION } from './dice.js';
import { CLASS_INDEX_TARGET, EXAMPLE_IMAGE_LOGITS, SOFTMAX_SEG_INPUT } from './examples.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

export interface DiceCePlan extends Plan {
  dice: OverlapPlan;
  ce: CrossEntropyPlan;
  /** What crossEntropy's 'mean' divides by (Σ w[y] over counted pixels). */
  ceDivisor: number;
  lambdaDice: number;
  lambdaCe: number;
  /** Float64 gradients of the two terms, summed into the caller's buffer once. */
  gDice: Float64Array;
  gCe: Float64Array;
}

const LAMBDA = (what: string) =>
  ({
    type: 'number',
    default: 1,
    min: 0,
    doc: `Weight of the ${what} term.`,
  }) as const;

/** Dice + cross-entropy (seed 002): lambdaDice·dice(multiclass) + lambdaCe·crossEntropy. */
export const diceCrossEntropy = defineLoss({
  meta: {
    id: 'diceCrossEntropy',
    task: 'segmentation',
    title: 'Dice + cross-entropy loss',
    summary:
      'Weighted sum of the multiclass dice loss (smp) and the mean pixelwise cross-entropy (torch) on the same logits.',
    formula:
      '\\mathcal{L} = \\lambda_{\\text{dice}}\\,\\mathcal{L}_{\\text{dice}}(\\operatorname{softmax}(x), y) + \\lambda_{\\text{ce}}\\,\\frac{\\sum_i w_{y_i}\\,(-\\log \\operatorname{softmax}(x_i)_{y_i})}{\\sum_i w_{y_i}}',
    inputs: [
      { ...SOFTMAX_SEG_INPUT, doc: 'Class logits (softmax over dim 1 in both terms).' },
      CLASS_INDEX_TARGET,
    ],
    options: {
      lambdaDice: LAMBDA('dice'),
      lambdaCe: LAMBDA('cross-entropy'),
      ignoreIndex: {
        type: 'number',
        default: null,
        integer: true,
        doc: 'Target value left out of both terms. null: none (the cross-entropy term then uses torch’s −100).',
      },
      weight: {
        type: 'tensor',
        default: null,
        doc: 'Per-class weights (length C) of the cross-entropy term (torch weight; its mean divides by Σ w[y]).',
      },
      classWeights: CLASS_WEIGHTS_OPTION,
      smooth: SMOOTH_OPTION,
      eps: EPS_OPTION,
    },
    reductions: [],
    references: [
      {
        title:
          'Isensee et al., nnU-Net: a self-configuring method for deep learning-based biomedical image segmentation (Nature Methods 2021): dice + cross-entropy',
        url: 'https://arxiv.org/abs/1809.10486',
      },
      {
        title: 'segmentation_models_pytorch DiceLoss (bd7f877) + torch.nn.functional.cross_entropy',
        implementation: 'smp.losses.DiceLoss("multiclass") + torch.nn.functional.cross_entropy',
      },
    ],
    examples: [
      {
        title: 'Three classes on one 2×3 image',
        inputs: {
          input: [EXAMPLE_IMAGE_LOGITS],
          target: [
            [
              [0, 1, 2],
              [0, 2, 1],
            ],
          ],
        },
      },
      {
        title: 'Weighted terms, an ignored pixel and class weights in both terms',
        inputs: {
          input: [
            [
              [0.4, -1.1, 0.9, 0.3],
              [1.3, 0.5, -0.4, -0.8],
            ],
          ],
          target: [[1, 0, 255, 1]],
        },
        options: {
          lambdaDice: 0.5,
          lambdaCe: 2,
          ignoreIndex: 255,
          weight: [1, 3],
          classWeights: [2, 1],
        },
      },
    ],
    whenToUse:
      'The standard remedy for the unstable training of plain dice in segmentation (seed 002): cross-entropy supplies smooth, per-pixel gradients from the first step, dice keeps the focus on the overlap of small foreground classes; their sum trains stably and scores well on Dice/IoU, as in nnU-Net.',
    caveats: [
      'The two terms have different scales (cross-entropy is unbounded, dice is in [0, 1]); tune lambdaDice / lambdaCe if one dominates.',
      'Both terms act on softmax probabilities of the same logits: pass logits, not probabilities.',
      'The dice term ignores classes absent from the batch (smp), the cross-entropy term does not.',
    ],
    notes: [
      'Equals lambdaDice · dice(mode multiclass, smooth, eps, ignoreIndex, classWeights) + lambdaCe · crossEntropy(weight, ignoreIndex) in value and gradient.',
      'MONAI DiceCELoss differs: its dice is per sample with smooth 1e-5 and empty-class handling of its own.',
    ],
  },
  prepare(inputs, o, id): DiceCePlan {
    const dice = prepareOverlap(
      id,
      inputs.input,
      inputs.target,
      {
        mode: 'multiclass',
        fromLogits: true,
        ignoreIndex: o.ignoreIndex,
        classes: null,
        classWeights: o.classWeights,
        perImage: false,
      },
      {
        k: 2,
        a: 1,
        b: 1,
        smooth: o.smooth,
        eps: o.eps,
        logLoss: false,
        outerGamma: 1,
        focalGamma: null,
      },
    );
    const ce = crossEntropy.kernels.prepare(
      { input: inputs.input, target: inputs.target },
      {
        weight: o.weight,
        ignoreIndex: o.ignoreIndex ?? -100,
        labelSmoothing: 0,
        reduction: 'mean',
      },
      id,
    );
    const n = inputs.input.data.length;
    return {
      size: 1,
      outShape: [],
      dice,
      ce,
      ceDivisor: ce.divisors?.mean ?? ce.size,
      lambdaDice: o.lambdaDice,
      lambdaCe: o.lambdaCe,
      gDice: new Float64Array(n),
      gCe: new Float64Array(n),
    };
  },
  writesEveryGrad: true,
  kernel(plan: DiceCePlan, _out, grads, _seed, scale) {
    const { gDice, gCe, ceDivisor } = plan;
    const d = overlapKernel(plan.dice, grads === null ? null : gDice, plan.lambdaDice * scale);
    const ceSum = crossEntropy.kernels.kernel(
      plan.ce,
      null,
      grads === null ? null : { input: gCe },
      null,
      unitScale(ceDivisor, plan.lambdaCe * scale),
    );
    if (grads !== null) {
      const g = grads.input;
      for (let i = 0; i < g.length; i++) g[i] = gDice[i] + gCe[i];
    }
    return plan.lambdaDice * d + plan.lambdaCe * reduceSum(ceSum, ceDivisor);
  },
});
