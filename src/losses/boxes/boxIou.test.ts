import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';
import { goldenTests } from '../../test-support/golden.js';
import { boxIou, completeBoxIou, distanceBoxIou, generalizedBoxIou } from './boxIou.js';
import { ciou } from './ciou.js';
import { diou } from './diou.js';
import { giou } from './giou.js';
import { boxes, PRED, TARGET } from './testing.js';

const IDS = ['boxIou', 'generalizedBoxIou', 'distanceBoxIou', 'completeBoxIou'] as const;

/** Nearly square boxes, no equal edges (CIoU's α is constant in the gradient; v is tiny here). */
const A = boxes([
  [0, 0, 2, 2],
  [1.1, 1.2, 3.1, 3.25],
  [-1.3, 0.4, 0.2, 1.9],
]);
const B = boxes([
  [0.5, 0.5, 2.5, 2.55],
  [3, 0, 4.5, 1.5],
]);

describe('pairwise box IoU matrices', () => {
  for (const id of IDS) {
    describe(`golden values of ${id} (torchvision.ops)`, () => {
      goldenTests(id, { rtol: 1e-12 });
    });
  }

  describe('gradients', () => {
    it('match finite differences of the sum of the matrix in every format', () => {
      for (const id of IDS)
        for (const format of ['xyxy', 'xywh', 'cxcywh']) {
          const conv = (t: Tensor<Float64Array>) =>
            evaluate('boxConvert', { input: t }, { from: 'xyxy', to: format })
              .value as Tensor<Float64Array>;
          checkGradFD(id, { input: conv(A), target: conv(B) }, { format });
        }
    });
    it('accumulate the gradient of Σ upstream·matrix over the columns of each row', () => {
      const up = { data: Float64Array.of(1, -2, 0.5, 3, 0, 1), shape: [3, 2] };
      const g = boxIou.valueAndGrad(A, B, {}, { upstream: up }).grads.input.data;
      for (let i = 0; i < 3; i++) {
        const want = [0, 0, 0, 0];
        for (let j = 0; j < 2; j++) {
          const row = { data: A.data.slice(4 * i, 4 * i + 4), shape: [1, 4] };
          const col = { data: B.data.slice(4 * j, 4 * j + 4), shape: [1, 4] };
          const gj = boxIou.valueAndGrad(row, col).grads.input.data;
          for (let c = 0; c < 4; c++) want[c] += up.data[2 * i + j] * gj[c];
        }
        for (let c = 0; c < 4; c++)
          expectClose(g[4 * i + c], want[c], { rtol: 1e-14, atol: 1e-16 });
      }
    });
  });

  describe('identities', () => {
    it('have a diagonal equal to 1 − the paired losses (GIoU, DIoU, CIoU) on overlapping pairs', () => {
      // the pairwise functions carry no eps in the IoU, the losses do: compare with eps = 0
      const p = boxes([PRED[0], PRED[1], PRED[3]]);
      const t = boxes([TARGET[0], TARGET[1], TARGET[3]]);
      const gm = generalizedBoxIou(p, t, { reduction: 'none' }).data;
      const gl = giou(p, t, { eps: 0, reduction: 'none' }).data;
      const dm = distanceBoxIou(p, t, { eps: 0, reduction: 'none' }).data;
      const dl = diou(p, t, { eps: 0, reduction: 'none' }).data;
      for (let i = 0; i < 3; i++) {
        expectClose(1 - gm[4 * i], gl[i], { rtol: 1e-14 });
        expectClose(1 - dm[4 * i], dl[i], { rtol: 1e-14 });
      }
      // CIoU: eps = 1e-7 sits in the loss's IoU but not in the matrix's
      const mat = completeBoxIou(p, t, { reduction: 'none' }).data;
      const loss = ciou(p, t, { reduction: 'none' }).data;
      for (let i = 0; i < 3; i++) expectClose(1 - mat[4 * i], loss[i], { rtol: 1e-6 });
    });
    it('are 1 on the diagonal of a set against itself and order GIoU ≤ IoU', () => {
      const iou = boxIou(A, A, { reduction: 'none' }).data;
      const g = generalizedBoxIou(A, A, { reduction: 'none' }).data;
      for (let i = 0; i < 3; i++) expect(iou[4 * i]).toBe(1);
      for (let k = 0; k < 9; k++) expect(g[k]).toBeLessThanOrEqual(iou[k]);
    });
    it('are invariant to the box format', () => {
      for (const id of IDS) {
        const ref = evaluate(id, { input: A, target: B }).value as Tensor;
        for (const format of ['xywh', 'cxcywh']) {
          const conv = (t: Tensor<Float64Array>) =>
            evaluate('boxConvert', { input: t }, { from: 'xyxy', to: format })
              .value as Tensor<Float64Array>;
          const got = evaluate(id, { input: conv(A), target: conv(B) }, { format }).value as Tensor;
          expectTensorClose(got, ref, { rtol: 1e-12, atol: 1e-14 });
        }
      }
    });
  });

  describe('reductions', () => {
    it("return the (N, M) matrix: reduction 'none' only", () => {
      const v = boxIou(A, B, { reduction: 'none' });
      expect(v.shape).toEqual([3, 2]);
      expectLossError(
        () => evaluate('boxIou', { input: A, target: B }, { reduction: 'mean' }),
        'E_OPTION',
        ["option 'reduction'"],
      );
    });
  });

  describe('edge cases', () => {
    it('give an (N, 0) matrix and a zero gradient for an empty target set', () => {
      const empty = { data: new Float64Array(0), shape: [0, 4] };
      const r = boxIou.valueAndGrad(A, empty, { reduction: 'none' });
      expect(r.value.shape).toEqual([3, 0]);
      expect(Array.from(r.grads.input.data)).toEqual(new Array(12).fill(0));
    });
    it('give NaN for two zero-area boxes in box_iou (no eps, as torchvision) but not in distanceBoxIou', () => {
      const pt = [[1, 1, 1, 1]];
      expect(boxIou(pt, pt, { reduction: 'none' }).data[0]).toBeNaN();
      expect(distanceBoxIou(pt, [[0, 0, 2, 2]], { reduction: 'none' }).data[0]).toBe(0);
    });
    it('keep float32 dtype', () => {
      const r = boxIou.valueAndGrad({ data: Float32Array.from(A.data), shape: [3, 4] }, B, {
        reduction: 'none',
      });
      expect(r.value.data).toBeInstanceOf(Float32Array);
      expect(r.grads.input.data).toBeInstanceOf(Float32Array);
    });
  });

  describe('errors', () => {
    it('reject boxes that are not (N, 4) with E_SHAPE', () => {
      for (const id of IDS)
        expectLossError(() => evaluate(id, { input: A, target: [[0, 1, 2]] }), 'E_SHAPE', [
          "'target'",
          '(N, 4)',
        ]);
    });
    it('reject an unknown format with E_OPTION', () => {
      expectLossError(
        () => evaluate('boxIou', { input: A, target: B }, { format: 'xyx' }),
        'E_OPTION',
        ["option 'format'"],
      );
    });
    it('reject an eps option on boxIou, which has none (E_OPTION)', () => {
      expectLossError(
        () => evaluate('boxIou', { input: A, target: B }, { eps: 1e-7 }),
        'E_OPTION',
        ["'eps'"],
      );
    });
    it('reject non-numeric boxes with E_TYPE', () => {
      expectLossError(() => evaluate('boxIou', { input: [[0, 0, 'x', 1]], target: B }), 'E_TYPE', [
        "'input'",
      ]);
    });
    it('refuse more than 2^27 box pairs with E_RANGE before allocating the matrix', () => {
      // 11586² = 134,235,396 > 2^27 = 134,217,728 ≥ 11585²: inputs of 46,344 numbers each.
      const big = { data: new Float64Array(11586 * 4), shape: [11586, 4] };
      for (const id of ['boxIou', 'generalizedBoxIou', 'distanceBoxIou', 'completeBoxIou']) {
        expectLossError(() => evaluate(id, { input: big, target: big }), 'E_RANGE', [
          'at most 134217728 box pairs',
          'N = 11586, M = 11586',
        ]);
      }
    });
  });
});
