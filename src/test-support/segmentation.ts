/**
 * Inputs shared by the segmentation tests (seeded, float64). Not part of the package surface.
 */
import type { Tensor } from '../core/tensor.js';
import { seededRandom } from './check.js';

/** A type alias, not an interface, so that it is assignable to Record<string, Tensor>. */
export type SegCase = {
  input: Tensor<Float64Array>;
  target: Tensor;
};

function fill(shape: number[], f: () => number): Tensor<Float64Array> {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = f();
  return { data, shape };
}

/** Binary logits (N, 1, ...spatial) and a 0/1 mask (N, ...spatial). */
export function binaryCase(seed: number, n: number, spatial: number[]): SegCase {
  const r = seededRandom(seed);
  return {
    input: fill([n, 1, ...spatial], () => (r() - 0.5) * 4),
    target: fill([n, ...spatial], () => (r() < 0.45 ? 1 : 0)),
  };
}

/** Multiclass logits (N, C, ...spatial) and class indices (N, ...spatial). */
export function multiclassCase(seed: number, n: number, c: number, spatial: number[]): SegCase {
  const r = seededRandom(seed);
  const input = fill([n, c, ...spatial], () => (r() - 0.5) * 4);
  const t = fill([n, ...spatial], () => Math.floor(r() * c));
  return { input, target: { data: Int32Array.from(t.data), shape: t.shape } };
}

/** Multilabel logits and 0/1 masks, both (N, C, ...spatial). */
export function multilabelCase(seed: number, n: number, c: number, spatial: number[]): SegCase {
  const r = seededRandom(seed);
  return {
    input: fill([n, c, ...spatial], () => (r() - 0.5) * 4),
    target: fill([n, c, ...spatial], () => (r() < 0.45 ? 1 : 0)),
  };
}

/** Seed 002's tumour example as hard masks: TP 20, FP 5, FN 10, TN 65 over 100 pixels. */
export function tumourMasks(): { input: Tensor<Float64Array>; target: Tensor<Float64Array> } {
  const input = new Float64Array(100);
  const target = new Float64Array(100);
  // pixels 0..19: TP, 20..24: FP, 25..34: FN, the rest TN
  for (let i = 0; i < 20; i++) {
    input[i] = 1;
    target[i] = 1;
  }
  for (let i = 20; i < 25; i++) input[i] = 1;
  for (let i = 25; i < 35; i++) target[i] = 1;
  return {
    input: { data: input, shape: [1, 1, 10, 10] },
    target: { data: target, shape: [1, 10, 10] },
  };
}
