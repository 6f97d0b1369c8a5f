/**
 * Test helpers shared by every loss test: tolerant tensor comparison, central finite differences,
 * and LossError assertions.
 */
import { expect } from 'vitest';
import { LossError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';

export interface Tolerance {
  /** Relative tolerance (default 1e-10). */
  rtol?: number;
  /** Absolute tolerance as a fraction of the tensor's largest |expected| value, at least 1 (default 1e-12). */
  atol?: number;
}

function fmt(v: number): string {
  return Number.isNaN(v) ? 'NaN' : String(v);
}

/** Element-by-element closeness; NaN must meet NaN and infinities must match exactly. */
export function expectTensorClose(
  actual: Tensor,
  expected: Tensor,
  tol: Tolerance = {},
  label = 'tensor',
): void {
  const rtol = tol.rtol ?? 1e-10;
  const atolFrac = tol.atol ?? 1e-12;
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual.data.length, `${label} length`).toBe(expected.data.length);
  let scale = 1;
  for (let i = 0; i < expected.data.length; i++) {
    const e = Math.abs(expected.data[i]);
    if (Number.isFinite(e) && e > scale) scale = e;
  }
  const atol = atolFrac * scale;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i];
    const e = expected.data[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e)) {
        expect.fail(`${label}[${i}]: expected ${fmt(e)}, got ${fmt(a)}`);
      }
      continue;
    }
    const err = Math.abs(a - e);
    if (!(err <= rtol * Math.abs(e) + atol)) {
      expect.fail(
        `${label}[${i}]: expected ${e}, got ${a} (|diff| ${err.toExponential(3)} > rtol ${rtol} · |e| + atol ${atol.toExponential(3)})`,
      );
    }
  }
}

export function expectClose(
  actual: number,
  expected: number,
  tol: Tolerance = {},
  label = 'value',
): void {
  expectTensorClose(
    { data: Float64Array.of(actual), shape: [] },
    { data: Float64Array.of(expected), shape: [] },
    tol,
    label,
  );
}

export interface FdOptions {
  /** Relative step (default 1e-6 · max(1, |x|)). */
  step?: number;
  rtol?: number;
  atol?: number;
  /** Only check these inputs (default: every gradient returned). */
  only?: string[];
  upstream?: Tensor | number;
}

function toF64(t: unknown): Tensor<Float64Array> {
  const tt = t as Tensor;
  return { data: Float64Array.from(tt.data), shape: tt.shape.slice() };
}

/**
 * Central finite-difference check of evaluate(id, ..., {grad: true}) in float64: the analytic gradient
 * must match (f(x+h) − f(x−h)) / 2h for every element of every differentiable input.
 * For reduction 'none' the checked scalar is Σ upstream·loss (upstream defaults to ones).
 */
export function checkGradFD(
  id: string,
  inputs: Record<string, Tensor>,
  options: Record<string, unknown> = {},
  fd: FdOptions = {},
): void {
  const base: Record<string, Tensor<Float64Array>> = {};
  for (const [k, v] of Object.entries(inputs)) base[k] = toF64(v);
  const res = evaluate(id, base, options, { grad: true, upstream: fd.upstream });
  const grads = res.grads ?? {};
  const scalar = (ins: Record<string, Tensor>): number => {
    const r = evaluate(id, ins, options).value;
    if (typeof r === 'number') return typeof fd.upstream === 'number' ? r * fd.upstream : r;
    let s = 0;
    const up = fd.upstream;
    for (let i = 0; i < r.data.length; i++) {
      const u = up === undefined ? 1 : typeof up === 'number' ? up : up.data[i];
      s += u * r.data[i];
    }
    return s;
  };
  const names = fd.only ?? Object.keys(grads);
  expect(names.length, 'at least one gradient to check').toBeGreaterThan(0);
  for (const name of names) {
    const g = grads[name];
    expect(g, `gradient for '${name}'`).toBeDefined();
    const x = base[name].data;
    for (let i = 0; i < x.length; i++) {
      const orig = x[i];
      const h = (fd.step ?? 1e-6) * Math.max(1, Math.abs(orig));
      x[i] = orig + h;
      const fp = scalar(base);
      x[i] = orig - h;
      const fm = scalar(base);
      x[i] = orig;
      const num = (fp - fm) / (2 * h);
      const ana = g.data[i];
      const tol = (fd.atol ?? 1e-6) + (fd.rtol ?? 1e-5) * Math.abs(num);
      if (!(Math.abs(num - ana) <= tol)) {
        expect.fail(
          `${id}: d/d${name}[${i}] analytic ${ana} vs finite difference ${num} (|diff| ${Math.abs(num - ana).toExponential(3)} > ${tol.toExponential(3)})`,
        );
      }
    }
  }
}

/**
 * Asserts that `fn` throws a LossError with `code` whose message contains every fragment
 * (strings are matched literally, RegExps tested).
 */
export function expectLossError(
  fn: () => unknown,
  code: string,
  fragments: (string | RegExp)[] = [],
): LossError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a LossError to be thrown').toBeInstanceOf(LossError);
  const err = caught as LossError;
  expect(err.code).toBe(code);
  for (const f of fragments) {
    if (typeof f === 'string') expect(err.message).toContain(f);
    else expect(err.message).toMatch(f);
  }
  return err;
}

/** A seeded PRNG (mulberry32) for property tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float64 tensor of the given shape filled by `f(i)`. */
export function tensorOf(shape: number[], f: (i: number) => number): Tensor<Float64Array> {
  let n = 1;
  for (const d of shape) n *= d;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = f(i);
  return { data, shape };
}
