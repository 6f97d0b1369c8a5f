/**
 * Small tfjs helpers shared by the native (on-device) implementations: stable softplus, the mean's
 * safe divisor, moving the class axis last and summing a broadcast gradient back to its input's shape.
 */
import * as tf from '@tensorflow/tfjs-core';

export type T = tf.Tensor;

/** softplus(x) = max(x, 0) + log1p(exp(−|x|)): no overflow for large |x|. */
export function softplus(x: T): T {
  return tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
}

/** The scalar float32 tensor of a number. */
export function scalar(v: number): T {
  return tf.scalar(v, 'float32');
}

/**
 * Moves axis 1 (the class axis of (N, C, d1, ...)) last, so that rows are contiguous: (N, d1, ..., C).
 * `back` moves a tensor of that layout back to (N, C, d1, ...).
 */
export function classesLast(x: T): { xl: T; back: (g: T) => T } {
  if (x.rank <= 2) return { xl: x, back: (g) => g };
  const perm = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1];
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return { xl: tf.transpose(x, perm), back: (g) => tf.transpose(g, inv) };
}

/**
 * Sums `g` (of a broadcast shape) back to `shape`, NumPy rules: leading extra axes and axes where
 * `shape` has 1 are summed. Returns `g` itself when the shapes agree.
 */
export function sumToShape(g: T, shape: readonly number[]): T {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const offset = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < offset || (shape[i - offset] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? tf.sum(g, axes, true) : g;
  return tf.reshape(s, shape.slice());
}

/** True when both shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
