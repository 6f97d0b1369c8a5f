import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { reduceSum, unitScale } from '../../core/reduce.js';
import type { SoftmaxFocalPlan } from '../classification/softmaxFocal.js';
import { softmaxFocal } from '../classification/softmaxFocal.js';
import { IGNORE_INDEX_OPTION, MODE_OPTION, SEG_INPUT, SEG_TARGET } from './common.js';
import { OVERLAP_EXAMPLES } from './dice.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

interface DiceFocalPlan extends Plan {
  dice: OverlapPlan;
  /** Multiclass: softmaxFocal's plan; binary / multilabel: null (the sigmoid focal term is here). */
  softmax: SoftmaxFocalPlan | null;
  /** What the focal term's mean divides by (non-ignored pixels or elements). */
  focalDivisor: number;
  /** Sigmoid branch: α (< 0: no weighting) and γ. */
  alpha: number;
  gamma: number;
  lambdaDice: number;
  lambdaFocal: number;
  gDice: Float64Array;
  gFocal: Float64Array;
}

/**
 * torchvision's sigmoid focal loss of one element and its derivative: with p = σ(x),
 * CE = max(x, 0) − x·t + log1p(e^−|x|), m = 1 − p_t = p(1 − t) + σ(−x)·t (no cancellation),
 * ℓ = α_t·CE·m^γ and dℓ/dx = α_t·((p − t)·m^γ + CE·γ·m^(γ−1)·p(1 − p)(1 − 2t)).
 */
function sigmoidFocalAt(
  x: number,
  t: number,
  alpha: number,
  gamma: number,
): { l: number; g: number } {
  const e = Math.exp(-Math.abs(x));
  const r = 1 / (1 + e);
  const p = x >= 0 ? r : e * r;
  const q = x >= 0 ? e * r : r;
  const ce = Math.max(x, 0) - x * t + Math.log1p(e);
  const m = p * (1 - t) + q * t;
  const at = alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t);
  const mg = m ** gamma;
  const dm = gamma === 0 ? 0 : gamma * m ** (gamma - 1) * (e * r * r) * (1 - 2 * t);
  return { l: at * ce * mg, g: at * ((p - t) * mg + ce * dm) };
}

/** Dice + focal (seed 002): lambdaDice·dice + lambdaFocal·focal (sigmoid or softmax by mode). */
export const diceFocal = defineLoss({
  meta: {
    id: 'diceFocal',
    task: 'segmentation',
    title: 'Dice + focal loss',
    summary:
      'Weighted sum of the dice loss (smp) and the mean focal loss on the same logits: sigmoid focal (torchvision) in binary / multilabel mode, softmax focal in multiclass mode.',
    formula:
      '\\mathcal{L} = \\lambda_{\\text{dice}}\\,\\mathcal{L}_{\\text{dice}} + \\lambda_{\\text{focal}}\\,\\frac{1}{|V|}\\sum_{i\\in V} -\\alpha_t\\,(1 - p_t)^{\\gamma}\\log p_t',
    inputs: [SEG_INPUT, SEG_TARGET],
    options: {
      mode: MODE_OPTION,
      lambdaDice: { type: 'number', default: 1, min: 0, doc: 'Weight of the dice term.' },
      lambdaFocal: { type: 'number', default: 1, min: 0, doc: 'Weight of the focal term.' },
      gamma: {
        type: 'number',
        default: 2,
        min: 0,
        doc: 'Focusing parameter γ of the focal term (0: cross-entropy).',
      },
      alpha: {
        type: 'tensor',
        default: null,
        allowNumber: true,
        doc: 'null: no α weighting. Binary / multilabel: a number in [0, 1] weighting positives (1 − α for negatives, torchvision); multiclass: a number or one α per class (softmaxFocal).',
      },
      ignoreIndex: IGNORE_INDEX_OPTION,
    },
    reductions: [],
    references: [
      {
        title:
          'Lin, Goyal, Girshick, He, Dollár, Focal Loss for Dense Object Detection (ICCV 2017)',
        url: 'https://arxiv.org/abs/1708.02002',
        implementation:
          'torchvision.ops.sigmoid_focal_loss (binary / multilabel), softmaxFocal (multiclass)',
      },
      {
        title: 'Zhu et al., AnatomyNet (Medical Physics 2019): dice + focal for small organs',
        url: 'https://arxiv.org/abs/1808.05238',
      },
      {
        title: 'segmentation_models_pytorch DiceLoss (bd7f877)',
        implementation: 'smp.losses.DiceLoss(mode) + focal',
      },
    ],
    examples: [
      OVERLAP_EXAMPLES[0],
      OVERLAP_EXAMPLES[1],
      {
        title: 'Multilabel logits with α = 0.25 and γ = 1',
        inputs: {
          input: [
            [
              [1.2, -0.4, 0.7],
              [-1.5, 0.3, 0.9],
            ],
          ],
          target: [
            [
              [1, 0, 1],
              [0, 0, 1],
            ],
          ],
        },
        options: { mode: 'multilabel', alpha: 0.25, gamma: 1, lambdaFocal: 2 },
      },
    ],
    whenToUse:
      'Segmentation with a small, hard foreground where plain dice trains unstably (seed 002): the focal term adds dense per-pixel gradients like cross-entropy but down-weights the many easy background pixels by (1 − p_t)^γ, so hard pixels at object boundaries drive learning, while dice keeps the overlap objective.',
    caveats: [
      'Two scales again: focal values are small (easy pixels are damped), so the dice term often dominates; tune lambdaFocal.',
      'alpha is off by default in both branches (MONAI’s choice), unlike torchvision’s 0.25.',
      'With ignoreIndex in binary / multilabel mode the focal mean is over the non-ignored elements.',
    ],
    notes: [
      'Equals lambdaDice · dice(mode, ignoreIndex) + lambdaFocal · focal in value and gradient: sigmoidFocal (alpha −1 when null) in binary / multilabel mode, softmaxFocal in multiclass mode.',
      'The sigmoid focal term computes 1 − p_t as p(1 − t) + σ(−x)·t, so it does not round to 0 for large logits.',
    ],
  },
  prepare(inputs, o, id): DiceFocalPlan {
    const dice = prepareOverlap(
      id,
      inputs.input,
      inputs.target,
      {
        mode: o.mode,
        fromLogits: true,
        ignoreIndex: o.ignoreIndex,
        classes: null,
        classWeights: null,
        perImage: false,
      },
      { k: 2, a: 1, b: 1, smooth: 0, eps: 1e-7, logLoss: false, outerGamma: 1, focalGamma: null },
    );
    const n = inputs.input.data.length;
    let softmax: SoftmaxFocalPlan | null = null;
    let focalDivisor = 0;
    let alpha = -1;
    if (dice.L.mode === 'multiclass') {
      softmax = softmaxFocal.kernels.prepare(
        { input: inputs.input, target: { data: dice.L.labels!, shape: inputs.target.shape } },
        {
          gamma: o.gamma,
          alpha: o.alpha,
          ignoreIndex: o.ignoreIndex ?? -100,
          reduction: 'mean',
        },
        id,
      );
      focalDivisor = softmax.divisors?.mean ?? softmax.size;
    } else {
      if (o.alpha !== null) {
        const a = o.alpha;
        if (a.shape.length !== 0 || !(a.data[0] >= 0 && a.data[0] <= 1)) {
          fail(
            'E_OPTION',
            id,
            "option 'alpha'",
            `null or a number in [0, 1] in ${dice.L.mode} mode`,
            a.shape.length === 0 ? `alpha=${a.data[0]}` : 'a tensor',
          );
        }
        alpha = a.data[0];
      }
      const t = dice.L.mask!;
      const ig = o.ignoreIndex;
      for (let i = 0; i < t.length; i++) if (t[i] !== ig) focalDivisor++;
    }
    return {
      size: 1,
      outShape: [],
      dice,
      softmax,
      focalDivisor,
      alpha,
      gamma: o.gamma,
      lambdaDice: o.lambdaDice,
      lambdaFocal: o.lambdaFocal,
      gDice: new Float64Array(n),
      gFocal: new Float64Array(softmax === null ? 0 : n),
    };
  },
  writesEveryGrad: true,
  kernel(plan: DiceFocalPlan, _out, grads, _seed, scale) {
    const { gDice, gFocal, focalDivisor, dice } = plan;
    const d = overlapKernel(dice, grads === null ? null : gDice, plan.lambdaDice * scale);
    const cf = unitScale(focalDivisor, plan.lambdaFocal * scale);
    const g = grads === null ? null : grads.input;
    let focalSum: number;
    if (plan.softmax !== null) {
      focalSum = softmaxFocal.kernels.kernel(
        plan.softmax,
        null,
        g === null ? null : { input: gFocal },
        null,
        cf,
      );
      if (g !== null) for (let i = 0; i < g.length; i++) g[i] = gDice[i] + gFocal[i];
    } else {
      const x = dice.L.x;
      const t = dice.L.mask!;
      const ig = dice.L.ignore;
      const { alpha, gamma } = plan;
      const n = x.length;
      const acc = new CompensatedSum();
      for (let b = 0; b < n; b += SUM_BLOCK) {
        const e = Math.min(n, b + SUM_BLOCK);
        let s = 0;
        for (let i = b; i < e; i++) {
          const tv = t[i];
          if (tv === ig) {
            if (g !== null) g[i] = gDice[i];
            continue;
          }
          const r = sigmoidFocalAt(x[i], tv, alpha, gamma);
          s += r.l;
          if (g !== null) g[i] = gDice[i] + r.g * cf;
        }
        acc.add(s);
      }
      focalSum = acc.value();
    }
    return plan.lambdaDice * d + plan.lambdaFocal * reduceSum(focalSum, focalDivisor);
  },
});
