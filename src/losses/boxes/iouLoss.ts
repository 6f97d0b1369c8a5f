import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import { TWO_OVERLAPPING } from './examples.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  boxPairKernel,
  BoxGeo,
  dmax,
  EPS_OPTION,
  FORMAT_OPTION,
  prepareBoxPair,
} from './common.js';

type IouMode = 'linear' | 'log' | 'square';
interface IouOptions {
  eps: number;
  mode: IouMode;
  geo: BoxGeo;
}
type IouPlan = BoxPairPlan<IouOptions>;

/**
 * mmdet `iou_loss`: IoU = clamp(I/max(U, eps), min = eps) with I = clamp(iw, 0)·clamp(ih, 0)
 * (`bbox_overlaps(..., is_aligned=True)`), then 1 − IoU, −ln IoU or 1 − IoU².
 */
function iouAt(q: Float64Array, g: Float64Array, o: IouOptions): number {
  const geo = o.geo;
  geo.set(q, 'clamp', false);
  const eps = o.eps;
  const u = geo.union;
  const um = Math.max(u, eps);
  const r = geo.inter / um;
  const iou = Math.max(r, eps);
  let loss: number;
  let gIou: number;
  if (o.mode === 'linear') {
    loss = 1 - iou;
    gIou = -1;
  } else if (o.mode === 'log') {
    loss = -Math.log(iou);
    gIou = -1 / iou;
  } else {
    loss = 1 - iou * iou;
    gIou = -2 * iou;
  }
  // torch clamp(min) passes the gradient where r >= eps; torch.max(U, eps) halves it at a tie.
  const gr = r >= eps ? gIou : 0;
  const gU = ((-gr * geo.inter) / (um * um)) * dmax(u, eps);
  geo.back(gr / um, gU, 0, 0, 0, 0, 0, 0, g);
  return loss;
}

/** IoU loss in mmdet's three modes (linear 1 − IoU, UnitBox's −ln IoU, 1 − IoU²). */
export const iouLoss = defineLoss({
  meta: {
    id: 'iouLoss',
    task: 'boxes',
    title: 'IoU loss',
    summary: 'One minus the IoU of each predicted box with its target (or −ln IoU, or 1 − IoU²).',
    formula:
      '\\mathrm{IoU} = \\max\\Big(\\frac{I}{\\max(U, \\epsilon)}, \\epsilon\\Big),\\quad \\ell = 1 - \\mathrm{IoU}\\ \\text{(linear)},\\ -\\ln \\mathrm{IoU}\\ \\text{(log)},\\ 1 - \\mathrm{IoU}^2\\ \\text{(square)}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      eps: EPS_OPTION,
      mode: {
        type: 'enum',
        values: ['linear', 'log', 'square'],
        default: 'linear',
        doc: "'linear' 1 − IoU, 'log' −ln IoU (UnitBox), 'square' 1 − IoU² (mmdet's modes; mmdet's own default is 'log').",
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Yu et al. (2016), UnitBox: An Advanced Object Detection Network (ACM MM)',
        url: 'https://arxiv.org/abs/1608.01471',
      },
      {
        title: 'mmdetection iou_loss (mmdet/models/losses/iou_loss.py)',
        url: 'https://github.com/open-mmlab/mmdetection/blob/main/mmdet/models/losses/iou_loss.py',
        implementation: 'mmdet.models.losses.iou_loss',
      },
    ],
    examples: [
      {
        title: 'Two overlapping pairs (xyxy)',
        inputs: TWO_OVERLAPPING,
      },
      {
        title: 'UnitBox log mode',
        inputs: { input: [[1, 1, 4, 3]], target: [[0, 0, 2, 2]] },
        options: { mode: 'log' },
      },
      {
        title: 'Square mode, corner + size boxes',
        inputs: { input: [[0.2, 0.1, 1.7, 2.1]], target: [[0, 0, 2, 2]] },
        options: { mode: 'square', format: 'xywh' },
      },
    ],
    whenToUse:
      'Box regression judged by the evaluation metric itself: the IoU loss treats the four coordinates as one unit and is scale invariant, unlike an l1/l2 loss on coordinates (UnitBox). Good once predictions overlap their targets; the log mode weights poor overlaps more strongly.',
    caveats: [
      'No gradient at all when the boxes do not overlap (IoU = 0 is flat; the clamp at eps only keeps −ln finite): use giou, diou or ciou when predictions can miss their targets.',
      'The log mode reaches −ln(eps) ≈ 16.1 for disjoint boxes, dominating a batch mean.',
    ],
    notes: [
      'mmdet semantics: the intersection is clamp(iw, 0)·clamp(ih, 0) (the gradient passes at exactly touching edges), the union is max(U, eps) and the IoU is clamped below at eps in every mode.',
      'The default eps here is the section default 1e-7 (mmdet: 1e-6).',
    ],
  },
  prepare: (inputs, options, id): IouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      mode: options.mode,
      geo: new BoxGeo(),
    }),
  kernel: boxPairKernel(iouAt),
});
