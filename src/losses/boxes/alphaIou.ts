import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import { CENTRE_SIZE_PAIR, TWO_OVERLAPPING } from './examples.js';
import {
  aspectTerm,
  BOX_INPUT,
  BOX_TARGET,
  boxPairKernel,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  prepareBoxPair,
} from './common.js';

type Variant = 'iou' | 'giou' | 'diou' | 'ciou';
interface AlphaOptions {
  eps: number;
  alpha: number;
  variant: Variant;
  geo: BoxGeo;
  vg: Float64Array;
}
type AlphaPlan = BoxPairPlan<AlphaOptions>;

/**
 * α-IoU (He et al.), the catalog's form: IoU = I/(U + eps), loss 1 − IoU^α plus the variant's
 * penalty raised to α: ((C − U)/(C + eps))^α, (ρ²/(c² + eps))^α, or (ρ²/(c² + eps))^α + (βv)^α with
 * β = v/(1 − IoU + v + eps) constant in the gradient.
 */
function alphaAt(q: Float64Array, g: Float64Array, o: AlphaOptions): number {
  const geo = o.geo;
  geo.set(q, 'clamp', false);
  const { eps, alpha } = o;
  const ue = geo.union + eps;
  const iou = geo.inter / ue;
  let loss = 1 - Math.pow(iou, alpha);
  const gIou = -alpha * Math.pow(iou, alpha - 1);
  let gU = (-gIou * iou) / ue;
  const gI = gIou / ue;
  let gcw = 0;
  let gch = 0;
  let gdx = 0;
  let gdy = 0;
  let gpw = 0;
  let gph = 0;
  const { cw, ch } = geo;
  if (o.variant === 'giou') {
    const c = cw * ch;
    const ce = c + eps;
    const b = (c - geo.union) / ce;
    loss += Math.pow(b, alpha);
    const gb = alpha * Math.pow(b, alpha - 1);
    const gC = (gb * (geo.union + eps)) / (ce * ce);
    gU -= gb / ce;
    gcw = gC * ch;
    gch = gC * cw;
  } else if (o.variant !== 'iou') {
    const { dx, dy } = geo;
    const c2 = cw * cw + ch * ch + eps;
    const rho2 = dx * dx + dy * dy;
    const b = rho2 / c2;
    loss += Math.pow(b, alpha);
    const gb = alpha * Math.pow(b, alpha - 1);
    const gc2 = (-gb * rho2) / (c2 * c2);
    gcw = 2 * cw * gc2;
    gch = 2 * ch * gc2;
    gdx = (2 * gb * dx) / c2;
    gdy = (2 * gb * dy) / c2;
    if (o.variant === 'ciou') {
      const v = aspectTerm(geo.pw, geo.ph, geo.tw, geo.th, 1, o.vg);
      const beta = v / (1 - iou + v + eps);
      const bv = beta * v;
      loss += Math.pow(bv, alpha);
      const gv = alpha * Math.pow(bv, alpha - 1) * beta;
      gpw = gv * o.vg[0];
      gph = gv * o.vg[1];
    }
  }
  geo.back(gI, gU, gcw, gch, gdx, gdy, gpw, gph, g);
  return loss;
}

/** α-IoU family (He et al., NeurIPS 2021): IoU and its GIoU/DIoU/CIoU penalties raised to α. */
export const alphaIou = defineLoss({
  meta: {
    id: 'alphaIou',
    task: 'boxes',
    title: 'α-IoU loss',
    summary:
      'The IoU term and the GIoU/DIoU/CIoU penalty raised to a power α, up-weighting high-IoU boxes (α > 1).',
    formula:
      '\\ell = 1 - \\mathrm{IoU}^{\\alpha} + \\mathcal{P}^{\\alpha},\\quad \\mathcal{P} \\in \\Big\\{0,\\ \\tfrac{C - U}{C + \\epsilon},\\ \\tfrac{\\rho^2}{c^2 + \\epsilon},\\ \\tfrac{\\rho^2}{c^2 + \\epsilon}\\ \\&\\ \\beta v\\Big\\}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      eps: EPS_OPTION,
      alpha: {
        type: 'number',
        default: 3,
        min: 0,
        exclusiveMin: true,
        doc: 'The power α (the paper recommends 3; 1 recovers the plain losses).',
      },
      variant: {
        type: 'enum',
        values: ['iou', 'giou', 'diou', 'ciou'],
        default: 'iou',
        doc: "Which penalty: 'iou' (none), 'giou' ((C − U)/C), 'diou' (ρ²/c²) or 'ciou' (ρ²/c² and β·v).",
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'He et al. (2021), Alpha-IoU: A Family of Power Intersection over Union Losses for Bounding Box Regression (NeurIPS)',
        url: 'https://arxiv.org/abs/2110.13675',
      },
      {
        title: 'Jacobi93/Alpha-IoU, utils/general.py bbox_alpha_iou (commit 39d439e)',
        url: 'https://github.com/Jacobi93/Alpha-IoU',
        implementation: 'bbox_alpha_iou (clean formula; eps placement per the catalog)',
      },
    ],
    examples: [
      {
        title: 'alpha = 3, plain IoU term',
        inputs: TWO_OVERLAPPING,
      },
      {
        title: 'alpha-GIoU on a disjoint pair',
        inputs: { input: [[0, 0, 1, 1.3]], target: [[1.5, 2, 3, 3.5]] },
        options: { variant: 'giou' },
      },
      {
        title: 'alpha-DIoU, centre + size',
        inputs: CENTRE_SIZE_PAIR,
        options: { variant: 'diou', format: 'cxcywh' },
      },
    ],
    whenToUse:
      'A drop-in generalisation of the IoU losses that emphasises high-IoU objects: with α > 1 both the loss and its gradient weight well-localised boxes more, which the paper finds gives more accurate boxes and more robustness to small datasets and noisy boxes; α = 3 is the recommended setting, α = 1 recovers IoU/GIoU/DIoU/CIoU.',
    caveats: [
      'With α < 1 the power has an unbounded slope at 0: identical centres (ρ = 0) or IoU = 0 then give infinite or NaN gradients.',
      'The official code places eps differently ((IoU + eps)^α, ((c² )^α + eps), eps inside the CIoU power); this entry follows the catalog\u2019s clean form, which agrees to O(eps).',
      'In the ciou variant β is a constant in the gradient, like CIoU\u2019s α.',
    ],
    notes: [
      'With α = 1 the iou, giou, diou and ciou variants equal 1 − IoU and the GIoU, DIoU and CIoU losses with the same eps placement.',
    ],
  },
  prepare: (inputs, options, id): AlphaPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      alpha: options.alpha,
      variant: options.variant,
      geo: new BoxGeo(),
      vg: new Float64Array(2),
    }),
  kernel: boxPairKernel(alphaAt),
});
