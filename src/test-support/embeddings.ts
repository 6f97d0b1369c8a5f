/**
 * Helpers shared by the tests of the in-batch contrastive losses (infoNce, ntXent): deterministic
 * paired views and the reductions check. Not part of the package surface.
 */
import { expect } from 'vitest';
import type { Tensor } from '../core/tensor.js';
import { expectClose, tensorOf } from './check.js';

export const NONE = { reduction: 'none' } as const;

/** The values of a tensor output (reduction 'none') as a plain array. */
export function valuesOf(v: unknown): number[] {
  return Array.from((v as { data: Float64Array }).data);
}

/**
 * Two (N, D) sets of views, positives row by row and no two rows parallel: at flat index i,
 * a_i = sin(freq·i + phase) and b_i = a_i + amp·cos(freq2·i).
 */
export function sinViews(
  shape: readonly [number, number],
  freq: number,
  phase: number,
  amp: number,
  freq2: number,
): [Tensor<Float64Array>, Tensor<Float64Array>] {
  const a = (i: number) => Math.sin(freq * i + phase);
  return [tensorOf([...shape], a), tensorOf([...shape], (i) => a(i) + amp * Math.cos(freq2 * i))];
}

/**
 * 'sum' is the sum, and the default reduction ('mean') the sum over `count`, of the values of
 * 'none' (which must hold `count` values); `call` evaluates the loss with the given options.
 */
export function expectSumAndMeanOfNone(
  call: (options?: { readonly reduction: 'none' | 'sum' }) => unknown,
  count: number,
  rtol = 1e-14,
): void {
  const v = valuesOf(call(NONE));
  expect(v.length).toBe(count);
  const s = v.reduce((x, y) => x + y, 0);
  expectClose(call({ reduction: 'sum' }) as number, s, { rtol });
  expectClose(call() as number, s / count, { rtol });
}
