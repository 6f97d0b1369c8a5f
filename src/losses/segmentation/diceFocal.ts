import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { reduceSum, unitScale } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { sigmoidFocal } from '../classification/sigmoidFocal.js';
import type { SoftmaxFocalPlan } from '../classification/softmaxFocal.js';
import { softmaxFocal } from '../classification/softmaxFocal.js';
import { IGNORE_INDEX_OPTION, MODE_OPTION, SEG_INPUT, SEG_TARGET } from './common.js';
import { OVERLAP_EXAMPLES } from './dice.js';
import type { FloatArray } from '../../core/tensor.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

export interface DiceFocalPlan extends Plan {
  dice: OverlapPlan;
  /** Multiclass: softmaxFocal's plan, else null. */
  softmax: SoftmaxFocalPlan | null;
  /** Binary / multilabel: sigmoidFocal's plan over the non-ignored elements, else null. */
  sigmoid: PairPlan<{ alpha: number; gamma: number }> | null;
  /** Flat input index of each element of the sigmoid plan, or null when none is ignored. */
  pos: Int32Array | null;
  /** What the focal term's mean divides by (non-ignored pixels or elements). */
  focalDivisor: number;
  lambdaDice: number;
  lambdaFocal: number;
  gDice: Float64Array;
  gFocal: Float64Array;
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
      'The focal terms are the sigmoidFocal and softmaxFocal kernels themselves (one source of arithmetic); with ignored elements the sigmoid term runs on the gathered non-ignored ones.',
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
    let sigmoid: PairPlan<{ alpha: number; gamma: number }> | null = null;
    let pos: Int32Array | null = null;
    let focalDivisor: number;
    let focalN = n;
    if (dice.L.mode === 'multiclass') {
      softmax = softmaxFocal.kernels.prepare(
        { input: inputs.input, target: { data: dice.L.labels!, shape: inputs.target.shape } },
        { gamma: o.gamma, alpha: o.alpha, ignoreIndex: o.ignoreIndex ?? -100, reduction: 'mean' },
        id,
      );
      focalDivisor = softmax.divisors?.mean ?? softmax.size;
    } else {
      let alpha = -1; // sigmoidFocal: a negative alpha disables the weighting
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
      const x = dice.L.x;
      const t = dice.L.mask!;
      const ig = o.ignoreIndex;
      let valid = 0;
      for (let i = 0; i < t.length; i++) if (t[i] !== ig) valid++;
      let xs: FloatArray = x;
      let ts: FloatArray =
        t instanceof Float64Array || t instanceof Float32Array ? t : Float64Array.from(t);
      if (valid < n) {
        // the focal term over the non-ignored elements only: gather them (exact widening)
        pos = new Int32Array(valid);
        const xv = new Float64Array(valid);
        const tv = new Float64Array(valid);
        for (let i = 0, k = 0; i < n; i++) {
          if (t[i] === ig) continue;
          pos[k] = i;
          xv[k] = x[i];
          tv[k] = t[i];
          k++;
        }
        xs = xv;
        ts = tv;
      }
      sigmoid = sigmoidFocal.kernels.prepare(
        { input: { data: xs, shape: [valid] }, target: { data: ts, shape: [valid] } },
        { alpha, gamma: o.gamma, reduction: 'mean' },
        id,
      );
      focalDivisor = valid;
      focalN = valid;
    }
    return {
      size: 1,
      outShape: [],
      dice,
      softmax,
      sigmoid,
      pos,
      focalDivisor,
      lambdaDice: o.lambdaDice,
      lambdaFocal: o.lambdaFocal,
      gDice: new Float64Array(n),
      gFocal: new Float64Array(focalN),
    };
  },
  writesEveryGrad: true,
  kernel(plan: DiceFocalPlan, _out, grads, _seed, scale) {
    const { gDice, gFocal, focalDivisor, dice } = plan;
    const d = overlapKernel(dice, grads === null ? null : gDice, plan.lambdaDice * scale);
    const cf = unitScale(focalDivisor, plan.lambdaFocal * scale);
    const g = grads === null ? null : grads.input;
    const gf = g === null ? null : { input: gFocal };
    const focalSum =
      plan.softmax !== null
        ? softmaxFocal.kernels.kernel(plan.softmax, null, gf, null, cf)
        : sigmoidFocal.kernels.kernel(plan.sigmoid!, null, gf, null, cf);
    if (g !== null) {
      const pos = plan.pos;
      if (pos === null) {
        for (let i = 0; i < g.length; i++) g[i] = gDice[i] + gFocal[i];
      } else {
        // add the focal gradient in float64 first, then store each element once
        for (let k = 0; k < pos.length; k++) gDice[pos[k]] += gFocal[k];
        for (let i = 0; i < g.length; i++) g[i] = gDice[i];
      }
    }
    return plan.lambdaDice * d + plan.lambdaFocal * reduceSum(focalSum, focalDivisor);
  },
});
