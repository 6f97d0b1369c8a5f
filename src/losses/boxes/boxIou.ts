import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { BoxFormat } from '../../core/layout.js';
import { addBoxGrad, boxRows, boxToXyxy } from '../../core/layout.js';
import { fail } from '../../core/errors.js';
import { CompensatedSum } from '../../core/numerics.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import { aspectTerm, BOX_INPUT, BoxGeo, EPS_OPTION, FORMAT_OPTION } from './common.js';
import { pairwiseMatrix } from './pairwiseMatrix.js';

type PairwiseKind = 'iou' | 'giou' | 'diou' | 'ciou';

interface PairwisePlan extends Plan {
  kind: PairwiseKind;
  x: FloatArray;
  n: number;
  m: number;
  format: BoxFormat;
  eps: number;
  /** Target corners (M·4), converted once. */
  tq: Float64Array;
  q: Float64Array;
  g: Float64Array;
  vg: Float64Array;
  geo: BoxGeo;
}

const PAIRWISE_TARGET = {
  name: 'target',
  role: 'boxes',
  shape: '(M, 4)',
  differentiable: false,
  kind: 'float',
  doc: 'The second set of boxes (columns of the matrix).',
} as const;

const PAIRWISE_INPUT = {
  ...BOX_INPUT,
  doc: 'The first set of boxes (rows of the matrix), in the chosen format.',
} as const;

/**
 * The most pairs N·M a pairwise matrix may have (2^27: 1 GiB as float64, 512 MiB as float32, plus a
 * gradient of the first set's size). Larger requests throw E_RANGE before anything is allocated.
 */
export const MAX_PAIRWISE_PAIRS = 2 ** 27;

function preparePairwise(
  kind: PairwiseKind,
  id: string,
  input: Tensor<FloatArray>,
  target: Tensor<FloatArray>,
  format: BoxFormat,
  eps: number,
): PairwisePlan {
  const n = boxRows(id, 'input', input);
  const m = boxRows(id, 'target', target);
  if (n * m > MAX_PAIRWISE_PAIRS) {
    fail(
      'E_RANGE',
      id,
      "inputs 'input' and 'target'",
      `at most ${MAX_PAIRWISE_PAIRS} box pairs N·M (the (N, M) matrix is allocated in full)`,
      `N = ${n}, M = ${m} (${n * m} pairs)`,
      'Split the first set into chunks of rows and evaluate each chunk against the second set.',
    );
  }
  const tq = new Float64Array(m * 4);
  for (let j = 0; j < m; j++) boxToXyxy(target.data, j, format, tq, 4 * j);
  return {
    kind,
    size: n * m,
    outShape: [n, m],
    x: input.data,
    n,
    m,
    format,
    eps,
    tq,
    q: new Float64Array(8),
    g: new Float64Array(4),
    vg: new Float64Array(2),
    geo: new BoxGeo(),
  };
}

/**
 * One matrix entry of torchvision's pairwise functions and its corner gradient. All four share
 * `_box_inter_union`: I = clamp(iw, 0)·clamp(ih, 0), U = A1 + A2 − I, IoU = I/U (no eps); the
 * enclosing width and height are clamped at 0 too.
 */
function pairwiseAt(p: PairwisePlan): number {
  const { geo, q, g, eps } = p;
  geo.set(q, 'clamp', true);
  const { inter, union } = geo;
  const iou = inter / union;
  const gI = 1 / union;
  let gU = -inter / (union * union);
  if (p.kind === 'iou') {
    geo.back(gI, gU, 0, 0, 0, 0, 0, 0, g);
    return iou;
  }
  const { cw, ch } = geo;
  if (p.kind === 'giou') {
    const area = cw * ch;
    const gA = -union / (area * area);
    gU += 1 / area;
    geo.back(gI, gU, gA * ch, gA * cw, 0, 0, 0, 0, g);
    return iou - (area - union) / area;
  }
  const c2 = cw ** 2 + ch ** 2 + eps;
  const { dx, dy } = geo;
  const rho2 = dx ** 2 + dy ** 2;
  const gc2 = rho2 / (c2 * c2);
  geo.back(gI, gU, 2 * cw * gc2, 2 * ch * gc2, (-2 * dx) / c2, (-2 * dy) / c2, 0, 0, g);
  const diou = iou - rho2 / c2;
  if (p.kind === 'diou') return diou;
  const v = aspectTerm(geo.pw, geo.ph, geo.tw, geo.th, 1, p.vg);
  const alpha = v / (1 - iou + v + eps);
  const gw = alpha * p.vg[0];
  const gh = alpha * p.vg[1];
  g[0] += gw;
  g[1] += gh;
  g[2] -= gw;
  g[3] -= gh;
  return diou - alpha * v;
}

/** The pairwise kernel: value matrix (N, M) and the gradient of Σ c_ij·value_ij for every row box. */
function pairwiseKernel(
  p: PairwisePlan,
  out: FloatArray | null,
  grads: { input: FloatArray } | null,
  seed: FloatArray | null,
  scale: number,
): number {
  const { n, m, q, g, tq } = p;
  if (p.kind !== 'ciou' && grads === null) {
    return pairwiseMatrix(p.kind, p.eps, p.x, tq, n, m, p.format, out);
  }
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    boxToXyxy(p.x, i, p.format, q, 0);
    let s = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    for (let j = 0; j < m; j++) {
      q[4] = tq[4 * j];
      q[5] = tq[4 * j + 1];
      q[6] = tq[4 * j + 2];
      q[7] = tq[4 * j + 3];
      const k = i * m + j;
      const v = pairwiseAt(p);
      s += v;
      if (out !== null) out[k] = v;
      if (grads !== null) {
        const c = seed === null ? scale : seed[k] * scale;
        g0 += c * g[0];
        g1 += c * g[1];
        g2 += c * g[2];
        g3 += c * g[3];
      }
    }
    if (grads !== null) addBoxGrad(grads.input, i, p.format, g0, g1, g2, g3);
    acc.add(s);
  }
  return acc.value();
}

const COMMON_CAVEATS = [
  'A similarity matrix, not a loss: 1 − value is the matching loss. The gradient is that of the sum of the matrix (or of Σ upstream·matrix), with respect to the first set of boxes only.',
  'Memory is the (N, M) matrix: at most 2^27 pairs (N·M ≤ 134,217,728); more throws E_RANGE before allocating (evaluate chunks of rows instead).',
];

const EXAMPLE_INPUTS = {
  input: [
    [0, 0, 2, 2],
    [1.1, 1.2, 4, 3],
  ],
  target: [
    [0.5, 0.5, 2.5, 2.8],
    [3, 0, 5, 1.5],
    [-1, 1, 0.9, 2.5],
  ],
};

/**
 * Nearly square boxes: α is constant in CIoU's gradient, so finite differences of the value agree
 * with it only where v (and its slope) is tiny.
 */
const CIOU_EXAMPLE_INPUTS = {
  input: [
    [0, 0, 2, 2],
    [1.1, 1.2, 3.1, 3.25],
  ],
  target: [
    [0.5, 0.5, 2.5, 2.55],
    [3, 0, 4.5, 1.5],
    [-1, 1, 0.5, 2.5],
  ],
};

const TORCHVISION_BOXES = 'https://pytorch.org/vision/0.14/ops.html';

/** Pairwise IoU matrix, torchvision `box_iou`. */
export const boxIou = defineLoss({
  meta: {
    id: 'boxIou',
    task: 'boxes',
    title: 'Pairwise box IoU',
    summary: 'The (N, M) matrix of intersection over union between two sets of boxes.',
    formula: '\\mathrm{IoU}_{ij} = \\frac{|B_i \\cap G_j|}{|B_i \\cup G_j|}',
    inputs: [PAIRWISE_INPUT, PAIRWISE_TARGET],
    options: { format: FORMAT_OPTION },
    reductions: ['none'],
    references: [
      {
        title: 'torchvision.ops.box_iou (0.14)',
        url: TORCHVISION_BOXES,
        implementation: 'torchvision.ops.box_iou',
      },
    ],
    examples: [{ title: 'Two boxes against three', inputs: EXAMPLE_INPUTS }],
    whenToUse:
      'Matching predictions or anchors to ground truths (assignment, NMS, mAP) and as the building block of set-based losses: the full IoU matrix between two sets of boxes in one pass, differentiable in the first set.',
    caveats: [
      ...COMMON_CAVEATS,
      'No eps, as torchvision: a pair of zero-area boxes gives 0/0 = NaN.',
    ],
    notes: [
      "Only reduction 'none' (the matrix); torchvision semantics, including clamp(min = 0) on the intersection sides.",
    ],
  },
  prepare: (inputs, options, id): PairwisePlan =>
    preparePairwise('iou', id, inputs.input, inputs.target, options.format, 0),
  kernel: pairwiseKernel,
});

/** Pairwise generalized IoU matrix, torchvision `generalized_box_iou`. */
export const generalizedBoxIou = defineLoss({
  meta: {
    id: 'generalizedBoxIou',
    task: 'boxes',
    title: 'Pairwise generalized box IoU',
    summary: 'The (N, M) matrix of GIoU = IoU − (C − U)/C between two sets of boxes.',
    formula: '\\mathrm{GIoU}_{ij} = \\mathrm{IoU}_{ij} - \\frac{C_{ij} - U_{ij}}{C_{ij}}',
    inputs: [PAIRWISE_INPUT, PAIRWISE_TARGET],
    options: { format: FORMAT_OPTION },
    reductions: ['none'],
    references: [
      {
        title: 'torchvision.ops.generalized_box_iou (0.14)',
        url: TORCHVISION_BOXES,
        implementation: 'torchvision.ops.generalized_box_iou',
      },
    ],
    examples: [{ title: 'Two boxes against three', inputs: EXAMPLE_INPUTS }],
    whenToUse:
      'The matching cost of DETR-style set prediction (Hungarian matching with −GIoU beside l1 and class costs): unlike IoU it still ranks disjoint pairs by how far apart they are.',
    caveats: [...COMMON_CAVEATS, 'No eps, as torchvision: degenerate pairs give NaN.'],
    notes: ["Only reduction 'none' (the matrix); torchvision semantics."],
  },
  prepare: (inputs, options, id): PairwisePlan =>
    preparePairwise('giou', id, inputs.input, inputs.target, options.format, 0),
  kernel: pairwiseKernel,
});

/** Pairwise distance IoU matrix, torchvision `distance_box_iou`. */
export const distanceBoxIou = defineLoss({
  meta: {
    id: 'distanceBoxIou',
    task: 'boxes',
    title: 'Pairwise distance box IoU',
    summary: 'The (N, M) matrix of DIoU = IoU − ρ²/(c² + eps) between two sets of boxes.',
    formula:
      '\\mathrm{DIoU}_{ij} = \\mathrm{IoU}_{ij} - \\frac{\\rho^2_{ij}}{C_{w,ij}^2 + C_{h,ij}^2 + \\epsilon}',
    inputs: [PAIRWISE_INPUT, PAIRWISE_TARGET],
    options: { format: FORMAT_OPTION, eps: EPS_OPTION },
    reductions: ['none'],
    references: [
      {
        title: 'torchvision.ops.distance_box_iou (0.14)',
        url: TORCHVISION_BOXES,
        implementation: 'torchvision.ops.distance_box_iou',
      },
      {
        title: 'Zheng et al. (2020), Distance-IoU Loss (AAAI), DIoU-NMS',
        url: 'https://arxiv.org/abs/1911.08287',
      },
    ],
    examples: [{ title: 'Two boxes against three', inputs: EXAMPLE_INPUTS }],
    whenToUse:
      'DIoU-NMS and centre-aware matching: boxes whose centres are far apart are treated as different objects even at equal IoU, which keeps occluded neighbours in crowded scenes.',
    caveats: [...COMMON_CAVEATS],
    notes: ["Only reduction 'none' (the matrix); torchvision semantics (IoU without eps)."],
  },
  prepare: (inputs, options, id): PairwisePlan =>
    preparePairwise('diou', id, inputs.input, inputs.target, options.format, options.eps),
  kernel: pairwiseKernel,
});

/** Pairwise complete IoU matrix, torchvision `complete_box_iou`. */
export const completeBoxIou = defineLoss({
  meta: {
    id: 'completeBoxIou',
    task: 'boxes',
    title: 'Pairwise complete box IoU',
    summary: 'The (N, M) matrix of CIoU = DIoU − α·v between two sets of boxes, α constant.',
    formula:
      '\\mathrm{CIoU}_{ij} = \\mathrm{DIoU}_{ij} - \\alpha_{ij} v_{ij},\\quad \\alpha = \\frac{v}{1 - \\mathrm{IoU} + v + \\epsilon}',
    inputs: [PAIRWISE_INPUT, PAIRWISE_TARGET],
    options: { format: FORMAT_OPTION, eps: EPS_OPTION },
    reductions: ['none'],
    references: [
      {
        title: 'torchvision.ops.complete_box_iou (0.14)',
        url: TORCHVISION_BOXES,
        implementation: 'torchvision.ops.complete_box_iou',
      },
    ],
    examples: [{ title: 'Two nearly square boxes against three', inputs: CIOU_EXAMPLE_INPUTS }],
    whenToUse:
      'Matching costs and NMS that also compare box shapes: DIoU plus the aspect-ratio consistency term of CIoU, for every pair of two sets.',
    caveats: [
      ...COMMON_CAVEATS,
      'α is constant in the gradient (no_grad in torchvision); a zero-height box gives NaN.',
    ],
    notes: ["Only reduction 'none' (the matrix); torchvision semantics."],
  },
  prepare: (inputs, options, id): PairwisePlan =>
    preparePairwise('ciou', id, inputs.input, inputs.target, options.format, options.eps),
  kernel: pairwiseKernel,
});
