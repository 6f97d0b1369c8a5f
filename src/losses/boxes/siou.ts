import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  BoxGeo,
  dmax,
  EPS_OPTION,
  FORMAT_OPTION,
  pairKernel,
  prepareBoxPair,
} from './common.js';

interface SiouOptions {
  eps: number;
  theta: number;
  geo: BoxGeo;
}
type SiouPlan = BoxPairPlan<SiouOptions>;

/** mmyolo's threshold pow(2, 0.5)/2 on sin α. */
const SIN_PI_4 = Math.SQRT2 / 2;

/**
 * SIoU as mmyolo `bbox_overlaps(iou_mode='siou')` (paper signs), without its final clamp:
 * IoU = I/(U + eps) with I = clamp(iw, 0)·clamp(ih, 0); heights get + eps before the shape cost;
 * the enclosing width and height are clamp(min = 0); σ has no eps (concentric boxes give NaN).
 * L = 1 − IoU + (Δ + Ω)/2, Λ = cos(2·asin(sin α) − π/2), Δ = Σ_t (1 − e^{−(2−Λ)ρ_t}),
 * ρ_x = (σ_x/C_w)², Ω = Σ (1 − e^{−ω})^θ, ω_w = |w − w_g|/max(w, w_g).
 */
function siouAt(q: Float64Array, g: Float64Array, o: SiouOptions): number {
  const geo = o.geo;
  geo.set(q, 'clamp', true);
  const { eps, theta } = o;
  const ue = geo.union + eps;
  const iou = geo.inter / ue;
  const { cw, ch, pw, tw } = geo;
  const h1 = geo.ph + eps;
  const h2 = geo.th + eps;
  // σ components: target centre minus prediction centre (mmyolo's sigma_cw, sigma_ch)
  const sx = -geo.dx;
  const sy = -geo.dy;
  const s2 = sx * sx + sy * sy;
  const sigma = Math.pow(s2, 0.5);
  const sa = Math.abs(sx) / sigma;
  const sb = Math.abs(sy) / sigma;
  const useB = sa > SIN_PI_4;
  const s = useB ? sb : sa;
  const z = Math.asin(s) * 2 - Math.PI / 2;
  const lambda = Math.cos(z);
  const rx = (sx / cw) ** 2;
  const ry = (sy / ch) ** 2;
  const gamma = lambda - 2;
  const ex = Math.exp(gamma * rx);
  const ey = Math.exp(gamma * ry);
  const distanceCost = 2 - ex - ey;
  const aw = Math.abs(pw - tw);
  const mw = Math.max(pw, tw);
  const ah = Math.abs(h1 - h2);
  const mh = Math.max(h1, h2);
  const ow = aw / mw;
  const oh = ah / mh;
  const sw = 1 - Math.exp(-ow);
  const sh = 1 - Math.exp(-oh);
  const shapeCost = Math.pow(sw, theta) + Math.pow(sh, theta);
  const loss = 1 - (iou - 0.5 * (distanceCost + shapeCost));

  // distance cost
  const gGamma = -0.5 * (ex * rx + ey * ry);
  const grx = -0.5 * ex * gamma;
  const gry = -0.5 * ey * gamma;
  // angle cost through γ = Λ − 2
  const gz = -Math.sin(z) * gGamma;
  const gs = (gz * 2) / Math.sqrt(1 - s * s);
  const gsa = useB ? 0 : gs;
  const gsb = useB ? gs : 0;
  let gsx = (gsa * Math.sign(sx)) / sigma;
  let gsy = (gsb * Math.sign(sy)) / sigma;
  const gSigma = (-gsa * (Math.abs(sx) / sigma)) / sigma - (gsb * (Math.abs(sy) / sigma)) / sigma;
  const gS2 = gSigma * 0.5 * Math.pow(s2, -0.5);
  gsx += gS2 * 2 * sx;
  gsy += gS2 * 2 * sy;
  const qx = sx / cw;
  const qy = sy / ch;
  const gqx = grx * 2 * qx;
  const gqy = gry * 2 * qy;
  gsx += gqx / cw;
  gsy += gqy / ch;
  const gcw = -gqx * (qx / cw);
  const gch = -gqy * (qy / ch);
  // shape cost
  const gow = 0.5 * theta * Math.pow(sw, theta - 1) * Math.exp(-ow);
  const goh = 0.5 * theta * Math.pow(sh, theta - 1) * Math.exp(-oh);
  const gpw = (gow / mw) * Math.sign(pw - tw) - gow * (ow / mw) * dmax(pw, tw);
  const gph = (goh / mh) * Math.sign(h1 - h2) - goh * (oh / mh) * dmax(h1, h2);
  geo.back(-1 / ue, iou / ue, gcw, gch, -gsx, -gsy, gpw, gph, g);
  return loss;
}

/** SIoU loss (Gevorgyan 2022) as mmyolo, paper signs, no final clamp. */
export const siou = defineLoss({
  meta: {
    id: 'siou',
    task: 'boxes',
    title: 'SCYLLA-IoU (SIoU) loss',
    summary:
      'IoU loss plus angle-aware distance and shape costs: the prediction is first driven onto the nearest axis through the target centre, then along it.',
    formula:
      '\\ell = 1 - \\mathrm{IoU} + \\tfrac12(\\Delta + \\Omega),\\ \\Lambda = \\cos(2\\arcsin(\\sin\\alpha) - \\tfrac{\\pi}{2}),\\ \\Delta = \\sum_{t\\in\\{x,y\\}} (1 - e^{-(2-\\Lambda)\\rho_t}),\\ \\rho_x = (\\sigma_x / C_w)^2,\\ \\Omega = \\sum_{t\\in\\{w,h\\}} (1 - e^{-\\omega_t})^{\\theta},\\ \\omega_w = \\frac{|w - w^{gt}|}{\\max(w, w^{gt})}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      eps: EPS_OPTION,
      theta: {
        type: 'number',
        default: 4,
        min: 0,
        exclusiveMin: true,
        doc: 'Exponent θ of the shape cost (the paper recommends 2 to 6; mmyolo uses 4).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Gevorgyan (2022), SIoU Loss: More Powerful Learning for Bounding Box Regression (arXiv 2205.12740)',
        url: 'https://arxiv.org/abs/2205.12740',
      },
      {
        title: 'open-mmlab/mmyolo, mmyolo/models/losses/iou_loss.py bbox_overlaps (commit 0629a47)',
        url: 'https://github.com/open-mmlab/mmyolo/blob/main/mmyolo/models/losses/iou_loss.py',
        implementation: "mmyolo bbox_overlaps(iou_mode='siou') without the final clamp",
      },
    ],
    examples: [
      {
        title: 'Two overlapping pairs off the diagonal (xyxy)',
        inputs: {
          input: [
            [1, 1, 4, 3],
            [0.3, 0.1, 1.4, 1.2],
          ],
          target: [
            [0, 0, 2, 2],
            [0, 0, 1, 1],
          ],
        },
      },
      {
        title: 'A disjoint pair, theta = 2, centre + size',
        inputs: { input: [[4, 1.2, 1, 1.5]], target: [[1, 1, 2, 2]] },
        options: { theta: 2, format: 'cxcywh' },
      },
    ],
    whenToUse:
      'Faster box convergence in YOLO-style detectors: SIoU adds the direction of the mismatch (an angle cost that first aligns the prediction with the nearest axis through the target centre), a distance cost whose weight depends on that angle, and a shape cost, which the paper reports trains faster and more accurately than CIoU.',
    caveats: [
      'Concentric boxes (identical centres, including identical boxes) give NaN, as mmyolo: σ has no eps there. Add a tiny offset or use another loss when predictions can match exactly.',
      'Sign conventions differ between codes: this is the paper and mmyolo form Δ = Σ(1 − e^{−(2−Λ)ρ}); mmdet\u2019s default and YOLOv6 use γ = 2 − Λ in e^{γρ}, which makes Δ ≤ 0.',
      'No final clamp (mmyolo clamps the SIoU to [−1, 1]); the angle switch at 45° is a kink of the gradient.',
    ],
    notes: [
      'mmyolo adds eps to both heights before the shape cost and clamps the enclosing width and height at 0; both are reproduced.',
    ],
  },
  prepare: (inputs, options, id): SiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      theta: options.theta,
      geo: new BoxGeo(),
    }),
  kernel: (plan: SiouPlan, out, grads, seed, scale) =>
    pairKernel(plan, out, grads === null ? null : grads.input, seed, scale, siouAt),
});
