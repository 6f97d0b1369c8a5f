/**
 * Shared pieces of the box losses (catalog section 4): input and option specs, the paired-row plan,
 * one geometry object that holds the intersection / union / enclosing-box / centre quantities of a
 * predicted box against a target box, and its reverse pass from adjoints of those quantities to the
 * predicted corners, with torch's subgradients (half to each side of a max/min of equal values).
 */
import type { InputSpec, Plan } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { BoxFormat } from '../../core/layout.js';
import { addBoxGrad, BOX_FORMATS, boxRows, boxToXyxy } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import { formatShape } from '../../core/tensor.js';

export const FORMAT_OPTION = {
  type: 'enum',
  values: BOX_FORMATS,
  default: 'xyxy',
  doc: "Box coordinates: 'xyxy' (corners), 'xywh' (top-left corner + size) or 'cxcywh' (centre + size). Gradients are with respect to these coordinates.",
} as const;

export const EPS_OPTION = {
  type: 'number',
  default: 1e-7,
  min: 0,
  doc: 'Small constant guarding the divisions, placed where the reference places it.',
} as const;

export const BOX_INPUT = {
  name: 'input',
  role: 'boxes',
  shape: '(N, 4)',
  differentiable: true,
  kind: 'float',
  doc: 'Predicted boxes, one per row, in the chosen format.',
} as const satisfies InputSpec;

export const BOX_TARGET = {
  name: 'target',
  role: 'boxes',
  shape: '(N, 4)',
  differentiable: false,
  kind: 'float',
  doc: 'Target boxes, paired row by row with the predictions.',
} as const satisfies InputSpec;

/** 4/π², the constant of CIoU's aspect-ratio term v. */
export const FOUR_OVER_PI2 = 4 / Math.PI ** 2;

/** The plan of a row-paired box loss: the data as given, the format and the entry's options. */
export interface BoxPairPlan<O> extends Plan {
  x: FloatArray;
  t: FloatArray;
  format: BoxFormat;
  o: O;
  /** Scratch: corners of the prediction (0..3) and the target (4..7). */
  q: Float64Array;
  /** Scratch: d(loss)/d(predicted corners x1, y1, x2, y2). */
  g: Float64Array;
}

/** Validates (N, 4) predictions against (N, 4) targets. */
export function prepareBoxPair<O>(
  id: string,
  input: Tensor<FloatArray>,
  target: Tensor<FloatArray>,
  format: BoxFormat,
  o: O,
): BoxPairPlan<O> {
  const n = boxRows(id, 'input', input);
  const m = boxRows(id, 'target', target);
  if (m !== n) {
    fail(
      'E_SHAPE',
      id,
      "input 'target'",
      `boxes of shape (${n}, 4), one per predicted box`,
      `shape ${formatShape(target.shape)}`,
    );
  }
  return {
    size: n,
    outShape: [n],
    x: input.data,
    t: target.data,
    format,
    o,
    q: new Float64Array(8),
    g: new Float64Array(4),
  };
}

/**
 * The loss of one pair: reads corners q[0..3] (prediction) and q[4..7] (target), writes
 * d(loss)/d(prediction corners) into g[0..3] and returns the loss.
 */
export type PairAt<O> = (q: Float64Array, g: Float64Array, o: O) => number;

/**
 * The one kernel of every row-paired box loss: per row, corners in float64, the pair's loss and
 * corner gradient, the chain rule back to the given format (core/layout addBoxGrad).
 */
export function pairKernel<O>(
  plan: BoxPairPlan<O>,
  out: FloatArray | null,
  grad: FloatArray | null,
  seed: FloatArray | null,
  scale: number,
  at: PairAt<O>,
): number {
  const { x, t, format, o, q, g, size: n } = plan;
  const acc = new CompensatedSum();
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let s = 0;
    for (let i = b; i < e; i++) {
      boxToXyxy(x, i, format, q, 0);
      boxToXyxy(t, i, format, q, 4);
      const l = at(q, g, o);
      s += l;
      if (out !== null) out[i] = l;
      if (grad !== null) {
        const c = seed === null ? scale : seed[i] * scale;
        addBoxGrad(grad, i, format, c * g[0], c * g[1], c * g[2], c * g[3]);
      }
    }
    acc.add(s);
  }
  return acc.value();
}

/** The kernel of a row-paired box loss whose pair function is `at`: pairKernel on grads.input. */
export function boxPairKernel<O>(
  at: PairAt<O>,
): (
  plan: BoxPairPlan<O>,
  out: FloatArray | null,
  grads: { readonly input: FloatArray } | null,
  seed: FloatArray | null,
  scale: number,
) => number {
  return (plan, out, grads, seed, scale) =>
    pairKernel(plan, out, grads === null ? null : grads.input, seed, scale, at);
}

/** d max(a, b)/da with torch's convention: 1, 0, or ½ when a = b. */
export function dmax(a: number, b: number): number {
  return 0.5 + 0.5 * Math.sign(a - b);
}

/** d min(a, b)/da with torch's convention: 1, 0, or ½ when a = b. */
export function dmin(a: number, b: number): number {
  return 0.5 - 0.5 * Math.sign(a - b);
}

/**
 * How the intersection width and height become an area:
 * 'mask': I = iw·ih where iw > 0 and ih > 0, else 0, no gradient outside (torchvision's losses;
 * equivalently relu(iw)·relu(ih), Wise-IoU's code);
 * 'clamp': I = max(iw, 0)·max(ih, 0) with torch's clamp gradient (passes at iw = 0; mmdet,
 * torchvision's pairwise box_iou, the YOLO-style codes).
 */
export type IntersectionMode = 'mask' | 'clamp';

/** The geometry of one predicted box against one target box, and its reverse pass. */
export class BoxGeo {
  px1 = 0;
  py1 = 0;
  px2 = 0;
  py2 = 0;
  tx1 = 0;
  ty1 = 0;
  tx2 = 0;
  ty2 = 0;
  /** Prediction and target width and height. */
  pw = 0;
  ph = 0;
  tw = 0;
  th = 0;
  /** Prediction and target areas. */
  ap = 0;
  at = 0;
  /** Intersection width and height (unclamped) and area. */
  iw = 0;
  ih = 0;
  inter = 0;
  /** Union area Ap + At − I (no eps). */
  union = 0;
  /** Enclosing box width and height (clamped at 0 when `clampEnc`). */
  cw = 0;
  ch = 0;
  /** Centre offsets, prediction minus target. */
  dx = 0;
  dy = 0;
  private mode: IntersectionMode = 'mask';
  private clampEnc = false;
  private cwRaw = 0;
  private chRaw = 0;

  /** Reads corners q[o..o+3] (prediction) and q[o+4..o+7] (target). */
  set(q: Float64Array, mode: IntersectionMode, clampEnc: boolean, o = 0): void {
    this.mode = mode;
    this.clampEnc = clampEnc;
    const px1 = (this.px1 = q[o]);
    const py1 = (this.py1 = q[o + 1]);
    const px2 = (this.px2 = q[o + 2]);
    const py2 = (this.py2 = q[o + 3]);
    const tx1 = (this.tx1 = q[o + 4]);
    const ty1 = (this.ty1 = q[o + 5]);
    const tx2 = (this.tx2 = q[o + 6]);
    const ty2 = (this.ty2 = q[o + 7]);
    this.pw = px2 - px1;
    this.ph = py2 - py1;
    this.tw = tx2 - tx1;
    this.th = ty2 - ty1;
    this.ap = this.pw * this.ph;
    this.at = this.tw * this.th;
    const iw = (this.iw = Math.min(px2, tx2) - Math.max(px1, tx1));
    const ih = (this.ih = Math.min(py2, ty2) - Math.max(py1, ty1));
    if (mode === 'mask') this.inter = iw > 0 && ih > 0 ? iw * ih : 0;
    else this.inter = Math.max(iw, 0) * Math.max(ih, 0);
    this.union = this.ap + this.at - this.inter;
    this.cwRaw = Math.max(px2, tx2) - Math.min(px1, tx1);
    this.chRaw = Math.max(py2, ty2) - Math.min(py1, ty1);
    this.cw = clampEnc ? Math.max(this.cwRaw, 0) : this.cwRaw;
    this.ch = clampEnc ? Math.max(this.chRaw, 0) : this.chRaw;
    this.dx = (px2 + px1) / 2 - (tx1 + tx2) / 2;
    this.dy = (py2 + py1) / 2 - (ty1 + ty2) / 2;
  }

  /**
   * Reverse pass: given the adjoints of the intersection area, the union (Ap + At − I), the
   * enclosing width and height, the centre offsets and the prediction's width and height (each a
   * direct partial of the loss), writes d(loss)/d(x1, y1, x2, y2) of the prediction into g[0..3].
   */
  back(
    gInter: number,
    gUnion: number,
    gcw: number,
    gch: number,
    gdx: number,
    gdy: number,
    gpw: number,
    gph: number,
    g: Float64Array,
  ): void {
    const gI = gInter - gUnion;
    // area of the prediction: Ap = pw·ph
    const gw = gpw + gUnion * this.ph;
    const gh = gph + gUnion * this.pw;
    let giw: number;
    let gih: number;
    const { iw, ih } = this;
    if (this.mode === 'mask') {
      const on = iw > 0 && ih > 0;
      giw = on ? gI * ih : 0;
      gih = on ? gI * iw : 0;
    } else {
      giw = iw >= 0 ? gI * Math.max(ih, 0) : 0;
      gih = ih >= 0 ? gI * Math.max(iw, 0) : 0;
    }
    let cw = gcw;
    let ch = gch;
    if (this.clampEnc) {
      cw = this.cwRaw >= 0 ? cw : 0;
      ch = this.chRaw >= 0 ? ch : 0;
    }
    const { px1, py1, px2, py2, tx1, ty1, tx2, ty2 } = this;
    g[0] = -giw * dmax(px1, tx1) - cw * dmin(px1, tx1) + 0.5 * gdx - gw;
    g[1] = -gih * dmax(py1, ty1) - ch * dmin(py1, ty1) + 0.5 * gdy - gh;
    g[2] = giw * dmin(px2, tx2) + cw * dmax(px2, tx2) + 0.5 * gdx + gw;
    g[3] = gih * dmin(py2, ty2) + ch * dmax(py2, ty2) + 0.5 * gdy + gh;
  }
}

/**
 * The aspect-ratio term of CIoU and its partials: with a = atan(tw/th) − atan(pw/ph),
 * v = 4/π²·a², and d(coef·v)/d(pw, ph) written as torch's autograd evaluates them
 * (atan' = 1/(1 + q²), then the quotient q = pw/ph), so a zero-height box gives what torch gives.
 */
export function aspectTerm(
  pw: number,
  ph: number,
  tw: number,
  th: number,
  coef: number,
  out: Float64Array,
): number {
  const qp = pw / ph;
  const a = Math.atan(tw / th) - Math.atan(qp);
  const ga = coef * FOUR_OVER_PI2 * 2 * a;
  const gq = -ga / (1 + qp * qp);
  out[0] = gq / ph;
  out[1] = -gq * (qp / ph);
  return FOUR_OVER_PI2 * a * a;
}
