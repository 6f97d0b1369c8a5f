/**
 * The forward pass of the pairwise IoU, GIoU and DIoU matrices (boxIou, generalizedBoxIou,
 * distanceBoxIou) when no gradient is wanted: the WebAssembly fast path for float32 data, else a
 * JavaScript loop of only the forward arithmetic. Both compute pairwiseAt's value (boxIou.ts, BoxGeo
 * in 'clamp' mode with the enclosing box clamped at 0) operation for operation, so the matrix is the
 * same bit for bit:
 *   I = max(iw, 0)·max(ih, 0), U = (A1 + A2) − I, IoU = I/U;
 *   GIoU = IoU − (C − U)/C with C = cw·ch; DIoU = IoU − ρ²/(cw² + ch² + eps).
 * The sum is the per-row plain sums added with CompensatedSum (the WebAssembly row sums add two
 * lanes, so their last bits may differ).
 */
import type { BoxFormat } from '../../core/layout.js';
import { boxToXyxy } from '../../core/layout.js';
import { CompensatedSum } from '../../core/numerics.js';
import type { FloatArray } from '../../core/tensor.js';
import type { PairwiseMatrixKind } from '../../wasm/boxes.js';
import { boxIouFast } from '../../wasm/boxes.js';

/**
 * The matrix of `kind` of boxes x (n rows in `format`) against tq (m boxes as float64 corners) into
 * out when it is not null; returns the sum of the matrix.
 */
export function pairwiseMatrix(
  kind: PairwiseMatrixKind,
  eps: number,
  x: FloatArray,
  tq: Float64Array,
  n: number,
  m: number,
  format: BoxFormat,
  out: FloatArray | null,
): number {
  const fast = boxIouFast(kind, eps, x, tq, n, m, format, out);
  if (fast !== undefined) return fast;
  const giou = kind === 'giou';
  const diou = kind === 'diou';
  const q = new Float64Array(4);
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    boxToXyxy(x, i, format, q, 0);
    const px1 = q[0];
    const py1 = q[1];
    const px2 = q[2];
    const py2 = q[3];
    const ap = (px2 - px1) * (py2 - py1);
    const pcx = (px2 + px1) / 2;
    const pcy = (py2 + py1) / 2;
    const base = i * m;
    let s = 0;
    for (let j = 0; j < m; j++) {
      const tx1 = tq[4 * j];
      const ty1 = tq[4 * j + 1];
      const tx2 = tq[4 * j + 2];
      const ty2 = tq[4 * j + 3];
      const iw = Math.min(px2, tx2) - Math.max(px1, tx1);
      const ih = Math.min(py2, ty2) - Math.max(py1, ty1);
      const inter = Math.max(iw, 0) * Math.max(ih, 0);
      const union = ap + (tx2 - tx1) * (ty2 - ty1) - inter;
      let v = inter / union;
      if (giou || diou) {
        const cw = Math.max(Math.max(px2, tx2) - Math.min(px1, tx1), 0);
        const ch = Math.max(Math.max(py2, ty2) - Math.min(py1, ty1), 0);
        if (giou) {
          const area = cw * ch;
          v -= (area - union) / area;
        } else {
          const dx = pcx - (tx1 + tx2) / 2;
          const dy = pcy - (ty1 + ty2) / 2;
          v -= (dx * dx + dy * dy) / (cw * cw + ch * ch + eps);
        }
      }
      s += v;
      if (out !== null) out[base + j] = v;
    }
    acc.add(s);
  }
  return acc.value();
}
