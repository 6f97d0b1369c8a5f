import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  BoxGeo,
  FORMAT_OPTION,
  pairKernel,
  prepareBoxPair,
} from './common.js';

type Version = 'v1' | 'v2' | 'v3';
interface WiouOptions {
  version: Version;
  alpha: number;
  delta: number;
  iouMean: number;
  geo: BoxGeo;
}
type WiouPlan = BoxPairPlan<WiouOptions>;

/**
 * Wise-IoU as Instinct323/wiou `IouLoss` (iou.py, v1 branch defaults): L_IoU = 1 − I/U (relu'd
 * intersection, no eps), R = exp(ρ²/(W_g² + H_g²)*) with the denominator detached, v1 = R·L_IoU;
 * v2 multiplies by (L*_IoU/iouMean)^½, v3 by β/(δ·α^(β−δ)), β = L*_IoU/iouMean, both detached.
 */
function wiouAt(q: Float64Array, g: Float64Array, o: WiouOptions): number {
  const geo = o.geo;
  geo.set(q, 'mask', false);
  const { inter, union, cw, ch, dx, dy } = geo;
  const liou = 1 - inter / union;
  const l2box = cw * cw + ch * ch;
  const rho2 = dx * dx + dy * dy;
  const r = Math.exp(rho2 / l2box);
  let f = 1;
  if (o.version !== 'v1') {
    const beta = liou / o.iouMean;
    f = o.version === 'v2' ? Math.sqrt(beta) : beta / (o.delta * Math.pow(o.alpha, beta - o.delta));
  }
  const gl = f * r;
  const gRho2 = (f * liou * r) / l2box;
  geo.back(
    -gl / union,
    (gl * inter) / (union * union),
    0,
    0,
    2 * dx * gRho2,
    2 * dy * gRho2,
    0,
    0,
    g,
  );
  return f * r * liou;
}

/** Wise-IoU v1/v2/v3 (Tong et al. 2023), the authors' code. */
export const wiou = defineLoss({
  meta: {
    id: 'wiou',
    task: 'boxes',
    title: 'Wise-IoU loss',
    summary:
      'IoU loss scaled by a distance attention exp(ρ²/c²*), and in v2/v3 by a focusing coefficient of the box\u2019s outlier degree β against the running mean of the IoU loss.',
    formula:
      '\\ell_{v1} = e^{\\rho^2 / (W_g^2 + H_g^2)^{*}}\\,(1 - \\mathrm{IoU}),\\quad \\ell_{v2} = \\Big(\\frac{\\mathcal{L}_{IoU}^{*}}{\\overline{\\mathcal{L}_{IoU}}}\\Big)^{1/2}\\ell_{v1},\\quad \\ell_{v3} = \\frac{\\beta}{\\delta\\,\\alpha^{\\beta - \\delta}}\\,\\ell_{v1},\\ \\beta = \\frac{\\mathcal{L}_{IoU}^{*}}{\\overline{\\mathcal{L}_{IoU}}}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      version: {
        type: 'enum',
        values: ['v1', 'v2', 'v3'],
        default: 'v3',
        doc: "'v1' distance attention only, 'v2' monotonic focusing (β^½), 'v3' non-monotonic focusing β/(δ·α^(β−δ)).",
      },
      alpha: {
        type: 'number',
        default: 1.9,
        min: 0,
        exclusiveMin: true,
        doc: 'α of v3\u2019s focusing coefficient (v1-branch default 1.9; the current branch uses 1.7).',
      },
      delta: {
        type: 'number',
        default: 3,
        min: 0,
        exclusiveMin: true,
        doc: 'δ of v3\u2019s focusing coefficient, the outlier degree with coefficient 1 (v1-branch default 3; current branch 2.7).',
      },
      iouMean: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'The running mean of L_IoU = 1 − IoU over training (the reference\u2019s iou_mean, initialised to 1); keep it with WiouRunningMean.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Tong, Chen, Xu, Yu (2023), Wise-IoU: Bounding Box Regression Loss with Dynamic Focusing Mechanism (arXiv 2301.10051)',
        url: 'https://arxiv.org/abs/2301.10051',
      },
      {
        title: 'Instinct323/wiou, iou.py IouLoss (commit 01f7f07)',
        url: 'https://github.com/Instinct323/wiou',
        implementation: "IouLoss(ltype='WIoU', monotonous=None | True | False)",
      },
    ],
    examples: [
      {
        title:
          'v3 at the peak of its focusing coefficient (β = 1/ln α; the detached factors are then stationary)',
        inputs: { input: [[0.4, 0.3, 1.5, 1.6]], target: [[0, 0, 2, 2]] },
        // L_IoU = 1 − 1.43/4 = 0.6425; β = 1/ln 1.9 → iouMean = 0.6425·ln 1.9
        options: { iouMean: 0.41239112186576354 },
      },
      {
        title: 'v1 with the prediction inside its target (the detached c² is then constant)',
        inputs: {
          input: [
            [0.4, 0.3, 1.5, 1.6],
            [0.1, 0.2, 0.9, 0.7],
          ],
          target: [
            [0, 0, 2, 2],
            [0, 0, 1, 1],
          ],
        },
        options: { version: 'v1' },
      },
    ],
    whenToUse:
      'Training sets with low-quality (noisy or ambiguous) box annotations: WIoU v3\u2019s non-monotonic focusing gives the largest gradient gain to ordinary-quality boxes and reduces it for both the easy high-IoU boxes and the outliers whose harmful gradients would otherwise dominate; v1 alone adds a distance attention that amplifies the IoU loss of off-centre boxes (paper: YOLOv7 AP75 53.03 → 54.50).',
    caveats: [
      'The distance denominator W_g² + H_g² and the focusing factor are constants in the gradient (detached in the reference): the gradient is not the derivative of the printed value.',
      'v2 and v3 depend on iouMean, a training-state running mean you must maintain (WiouRunningMean) and pass in each step; with the default 1 the focusing is computed against an untrained mean.',
      'No eps: two zero-area boxes give 0/0 = NaN.',
    ],
    notes: [
      'Defaults α = 1.9, δ = 3 are the v1 branch of the authors\u2019 code (used for the paper\u2019s YOLOv7 results); the current branch uses 1.7 and 2.7.',
      'v3\u2019s coefficient is 1 at β = δ and largest at β = 1/ln α.',
    ],
  },
  prepare(inputs, options, id): WiouPlan {
    if (!Number.isFinite(options.iouMean))
      fail('E_OPTION', id, "option 'iouMean'", 'a finite number > 0', String(options.iouMean));
    return prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      version: options.version,
      alpha: options.alpha,
      delta: options.delta,
      iouMean: options.iouMean,
      geo: new BoxGeo(),
    });
  },
  kernel: (plan: WiouPlan, out, grads, seed, scale) =>
    pairKernel(plan, out, grads === null ? null : grads.input, seed, scale, wiouAt),
});

/** Options of WiouRunningMean. */
export interface WiouRunningMeanOptions {
  /** The momentum m directly; otherwise 1 − 0.05^(1/(batchesPerEpoch·epochs)). */
  momentum?: number;
  /** n: batches per epoch (reference default 890). */
  batchesPerEpoch?: number;
  /** t: the epoch where the mAP growth slows down (reference default 34). */
  epochs?: number;
  /** Initial mean (the reference starts at 1). */
  initial?: number;
}

/**
 * The running mean of L_IoU = 1 − IoU that Wise-IoU v2/v3 take as `iouMean`, updated like the
 * reference: mean ← (1 − m)·mean + m·(batch mean of L_IoU), m = 1 − 0.05^(1/(n·t)). Call `update`
 * once per training step with the batch's L_IoU values (e.g. `iouLoss(input, target, { eps: 0,
 * reduction: 'none' })`) before evaluating wiou with `{ iouMean: tracker.value }`, as the reference
 * updates before it scales.
 */
export class WiouRunningMean {
  readonly momentum: number;
  value: number;

  constructor(options: WiouRunningMeanOptions = {}) {
    const n = options.batchesPerEpoch ?? 890;
    const t = options.epochs ?? 34;
    this.momentum = options.momentum ?? 1 - Math.pow(0.05, 1 / (n * t));
    this.value = options.initial ?? 1;
    if (!(this.momentum > 0 && this.momentum <= 1))
      fail('E_OPTION', 'wiou', "option 'momentum'", 'a number in (0, 1]', String(this.momentum));
  }

  /** Folds in one batch (its L_IoU values, or their mean) and returns the new mean. */
  update(lIou: ArrayLike<number> | number): number {
    let mean: number;
    if (typeof lIou === 'number') mean = lIou;
    else {
      if (lIou.length === 0) return this.value;
      let s = 0;
      for (let i = 0; i < lIou.length; i++) s += lIou[i];
      mean = s / lIou.length;
    }
    this.value = this.value * (1 - this.momentum) + this.momentum * mean;
    return this.value;
  }
}
