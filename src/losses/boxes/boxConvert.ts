import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { BoxFormat } from '../../core/layout.js';
import { addBoxGrad, BOX_FORMATS, boxRows, boxToXyxy } from '../../core/layout.js';
import { CompensatedSum } from '../../core/numerics.js';
import type { FloatArray } from '../../core/tensor.js';

interface ConvertPlan extends Plan {
  x: FloatArray;
  n: number;
  from: BoxFormat;
  to: BoxFormat;
  q: Float64Array;
}

/**
 * Writes box i converted from `from` to `to` into r[0..3], with torchvision's arithmetic: the
 * identity when the formats agree, else through xyxy (cx = (x1 + x2)/2, w = x2 − x1).
 */
function convertRow(p: ConvertPlan, i: number, r: Float64Array): void {
  const { x, from, to } = p;
  if (from === to) {
    for (let c = 0; c < 4; c++) r[c] = x[4 * i + c];
    return;
  }
  boxToXyxy(x, i, from, r, 0);
  if (to === 'xyxy') return;
  const x1 = r[0];
  const y1 = r[1];
  const x2 = r[2];
  const y2 = r[3];
  if (to === 'cxcywh') {
    r[0] = (x1 + x2) / 2;
    r[1] = (y1 + y2) / 2;
  }
  r[2] = x2 - x1;
  r[3] = y2 - y1;
}

const FORMAT_SPEC = (which: string) =>
  ({
    type: 'enum',
    values: BOX_FORMATS,
    default: null,
    nullable: true,
    doc: `The ${which} format (required): 'xyxy', 'xywh' (top-left corner + size) or 'cxcywh' (centre + size).`,
  }) as const;

/** torchvision `box_convert` between xyxy, xywh and cxcywh; differentiable. */
export const boxConvert = defineLoss({
  meta: {
    id: 'boxConvert',
    task: 'boxes',
    title: 'Box format conversion',
    summary:
      'Converts (N, 4) boxes between xyxy, xywh and cxcywh, with the gradient of the result.',
    formula:
      '(x_1, y_1, x_2, y_2) \\leftrightarrow (x_1, y_1, x_2 - x_1, y_2 - y_1) \\leftrightarrow (\\tfrac{x_1 + x_2}{2}, \\tfrac{y_1 + y_2}{2}, x_2 - x_1, y_2 - y_1)',
    inputs: [
      {
        name: 'input',
        role: 'boxes',
        shape: '(N, 4)',
        differentiable: true,
        kind: 'float',
        doc: "Boxes in the 'from' format.",
      },
    ],
    options: { from: FORMAT_SPEC('input'), to: FORMAT_SPEC('output') },
    reductions: ['none'],
    references: [
      {
        title: 'torchvision.ops.box_convert (0.14)',
        url: 'https://pytorch.org/vision/0.14/generated/torchvision.ops.box_convert.html',
        implementation: 'torchvision.ops.box_convert',
      },
    ],
    examples: [
      {
        title: 'Centre + size to corners',
        inputs: {
          input: [
            [2, 2, 2, 1],
            [0.5, 1.5, 1, 3],
          ],
        },
        options: { from: 'cxcywh', to: 'xyxy' },
      },
      {
        title: 'Corner + size to centre + size',
        inputs: { input: [[1, 1, 3, 2]] },
        options: { from: 'xywh', to: 'cxcywh' },
      },
    ],
    whenToUse:
      'Moving boxes between the conventions of datasets and heads (COCO xywh, YOLO cxcywh, torchvision xyxy) inside a differentiable pipeline, with the same rounding as torchvision.',
    caveats: [
      "Both 'from' and 'to' are required; no check that x2 ≥ x1 or w ≥ 0 (torchvision does none either).",
    ],
    notes: [
      "Only reduction 'none' (the converted boxes). Conversions between xywh and cxcywh go through xyxy, as torchvision does, so they round the same way.",
    ],
  },
  prepare(inputs, options, id): ConvertPlan {
    const n = boxRows(id, 'input', inputs.input);
    const from = options.from;
    const to = options.to;
    if (from === null)
      fail('E_OPTION', id, "option 'from'", `one of ${BOX_FORMATS.join(', ')} (required)`, 'null');
    if (to === null)
      fail('E_OPTION', id, "option 'to'", `one of ${BOX_FORMATS.join(', ')} (required)`, 'null');
    return {
      size: 4 * n,
      outShape: [n, 4],
      x: inputs.input.data,
      n,
      from,
      to,
      q: new Float64Array(4),
    };
  },
  kernel(p: ConvertPlan, out, grads, seed, scale) {
    const { n, q, from, to } = p;
    const acc = new CompensatedSum();
    for (let i = 0; i < n; i++) {
      convertRow(p, i, q);
      const s = q[0] + q[1] + q[2] + q[3];
      if (out !== null) for (let c = 0; c < 4; c++) out[4 * i + c] = q[c];
      acc.add(s);
      if (grads === null) continue;
      const k = 4 * i;
      const c0 = seed === null ? scale : seed[k] * scale;
      const c1 = seed === null ? scale : seed[k + 1] * scale;
      const c2 = seed === null ? scale : seed[k + 2] * scale;
      const c3 = seed === null ? scale : seed[k + 3] * scale;
      if (from === to) {
        addBoxGrad(grads.input, i, 'xyxy', c0, c1, c2, c3);
      } else if (to === 'xyxy') {
        addBoxGrad(grads.input, i, from, c0, c1, c2, c3);
      } else if (to === 'xywh') {
        addBoxGrad(grads.input, i, from, c0 - c2, c1 - c3, c2, c3);
      } else {
        addBoxGrad(
          grads.input,
          i,
          from,
          0.5 * c0 - c2,
          0.5 * c1 - c3,
          0.5 * c0 + c2,
          0.5 * c1 + c3,
        );
      }
    }
    return acc.value();
  },
});
