import { describe, expect, it } from 'vitest';
import { evaluate } from '../../registry.js';
import type { Tensor } from '../../core/tensor.js';
import { setWasm } from '../../wasm/runtime.js';

/** Boxes with ordinary, degenerate, inverted, touching and non-finite members (float64). */
function mixedBoxes(n: number, salt: number): Float64Array {
  const d = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 12.9898 + salt) * 5;
    const b = Math.cos(i * 78.233 + salt) * 5;
    const k = (i + salt) % 9;
    const w = k === 0 ? 0 : k === 1 ? -1.5 : 1 + ((i * 7) % 5);
    const h = k === 2 ? 0 : 1 + ((i * 3) % 4);
    d.set([Math.round(a), Math.round(b), Math.round(a) + w, Math.round(b) + h], 4 * i);
  }
  d[5] = NaN;
  d[4 * (n - 1) + 2] = Infinity;
  return d;
}

describe('pairwise matrices forward loop (pairwiseMatrix.ts)', () => {
  it('gives the gradient kernel’s matrix bit for bit in float64 and float32, every format and kind', () => {
    setWasm(false);
    try {
      for (const id of ['boxIou', 'generalizedBoxIou', 'distanceBoxIou'])
        for (const format of ['xyxy', 'xywh', 'cxcywh']) {
          for (const dtype of [Float64Array, Float32Array]) {
            const input = { data: dtype.from(mixedBoxes(23, 1)), shape: [23, 4] };
            const target = { data: dtype.from(mixedBoxes(17, 4)), shape: [17, 4] };
            // grad: true runs pairwiseAt (the one formula with its gradient), grad: false this loop.
            const fwd = evaluate(id, { input, target }, { format });
            const withGrad = evaluate(id, { input, target }, { format }, { grad: true });
            const a = (fwd.value as Tensor).data;
            const b = (withGrad.value as Tensor).data;
            expect(a.constructor).toBe(dtype);
            let same = a.length === b.length;
            for (let i = 0; i < a.length; i++) same &&= Object.is(a[i], b[i]);
            expect(same, `${id} ${format} ${dtype.name}`).toBe(true);
            expect(a.some((v) => Number.isNaN(v))).toBe(true);
          }
        }
    } finally {
      setWasm(true);
    }
  });
});
