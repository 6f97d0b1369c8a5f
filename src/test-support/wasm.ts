/**
 * Checks a WebAssembly fast path against the JavaScript kernel: the same call on float32 data with
 * the fast paths forced on for every size (setWasmMinSize(0)) and turned off (setWasm(false)).
 * The JavaScript kernel is the reference: it is the one the golden fixtures check in float64.
 * Also: count the calls of one kernel, and compare results elementwise by relative error with the
 * same NaN and ±Infinity positions (the softmax and overlap tests).
 */
import { expect, it } from 'vitest';
import type { EvalResult } from '../core/define.js';
import type { FloatArray, Tensor, TensorLike } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import { getRuntime, setWasm, setWasmMinSize, wasmCallCount } from '../wasm/runtime.js';
import { decodeNumber, decodeOptions, decodeTensor, loadGolden } from './golden.js';

/** The fast paths promise a relative error below this against the JavaScript float32 results. */
export const FAST_RTOL = 1e-6;

export interface FastRun {
  value: number | Tensor<FloatArray>;
  grads: Record<string, Tensor<FloatArray>>;
}

/** Runs fn with the fast paths forced (every size) or off, restoring the previous settings. */
export function withWasm<T>(on: boolean, fn: () => T): T {
  const old = setWasmMinSize(0);
  setWasm(on);
  try {
    return fn();
  } finally {
    setWasm(true);
    setWasmMinSize(old);
  }
}

/** Worst relative error |a − b| / |a| over the elements (NaN and infinities must match exactly). */
export function worstRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(b.length).toBe(a.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Object.is(x, y) || x === y) continue;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`element ${i}: ${x} (JS) vs ${y} (wasm)`);
    }
    // Below the float32 normal range the two round independently; compare absolutely there.
    const e = Math.abs(x - y) / Math.max(Math.abs(x), 1.2e-38);
    if (e > worst) worst = e;
  }
  return worst;
}

function flat(v: number | Tensor<FloatArray>): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v.data;
}

/**
 * Evaluates the call both ways and returns the worst relative error over the value and every
 * gradient; fails when the fast path was not taken.
 */
export function compareFast(
  id: string,
  inputs: Record<string, unknown>,
  options: Record<string, unknown>,
  upstream?: TensorLike,
): number {
  const extras = upstream === undefined ? { grad: true } : { grad: true, upstream };
  const js = withWasm(false, () => evaluate(id, inputs, options, extras)) as FastRun;
  const before = wasmCallCount();
  const fast = withWasm(true, () => evaluate(id, inputs, options, extras)) as FastRun;
  expect(wasmCallCount(), `${id}: the fast path was not taken`).toBeGreaterThan(before);
  let worst = worstRelError(flat(js.value), flat(fast.value));
  for (const [name, g] of Object.entries(js.grads)) {
    expect(fast.grads[name].data).toBeInstanceOf(Float32Array);
    worst = Math.max(worst, worstRelError(g.data, fast.grads[name].data));
  }
  return worst;
}

function toFloat32(t: Tensor): Tensor {
  return t.data instanceof Float64Array ? { data: Float32Array.from(t.data), shape: t.shape } : t;
}

/**
 * One test per golden case of `file` (error cases skipped) and reduction: the case's inputs in
 * float32 through the fast path and the JavaScript path agree within FAST_RTOL. `applies` filters
 * the cases whose options the fast path takes (the others run in JavaScript anyway).
 */
export function fastGoldenTests(
  file: string,
  id: string = file,
  applies: (options: Record<string, unknown>) => boolean = () => true,
): void {
  const golden = loadGolden(file);
  for (const c of golden.cases) {
    if (c.error !== undefined) continue;
    const options = decodeOptions(c.options);
    if (!applies(options)) continue;
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.inputs)) inputs[k] = toFloat32(decodeTensor(v));
    const up: TensorLike | undefined =
      c.upstream === null || c.upstream === undefined
        ? undefined
        : typeof c.upstream === 'object'
          ? toFloat32(decodeTensor(c.upstream))
          : decodeNumber(c.upstream);
    it(`the fast path agrees with JavaScript on golden case '${c.name}' in float32`, () => {
      expect(compareFast(id, inputs, options, up)).toBeLessThan(FAST_RTOL);
    });
  }
}

/** Runs f with the kernel `name` of the runtime wrapped to count its calls; returns the count. */
export function countCalls(name: string, f: () => void): number {
  const rt = getRuntime();
  if (rt === null) throw new Error('WebAssembly runtime unavailable');
  const orig = rt.kernels.get(name)!;
  let calls = 0;
  rt.kernels.set(name, (...a: number[]) => {
    calls++;
    orig(...a);
  });
  try {
    f();
  } finally {
    rt.kernels.set(name, orig);
  }
  return calls;
}

/** f() with the fast paths forced for every size (setWasmMinSize(0)), restoring the size after. */
export function forced<T>(f: () => T): T {
  const old = setWasmMinSize(0);
  try {
    return f();
  } finally {
    setWasmMinSize(old);
  }
}

/** f() with the fast paths off (the JavaScript kernels), turned back on after. */
export function jsOnly<T>(f: () => T): T {
  setWasm(false);
  try {
    return f();
  } finally {
    setWasm(true);
  }
}

export interface Both {
  fast: EvalResult;
  js: EvalResult;
  /** Calls of the counted kernel during the fast evaluation. */
  calls: number;
}

/** Evaluates id on the same inputs through the fast path (kernel `kernel` counted) and through JS. */
export function evalBoth(
  kernel: string,
  id: string,
  inputs: Record<string, unknown>,
  options: Record<string, unknown>,
  extras: { grad?: boolean; upstream?: unknown; into?: Record<string, FloatArray> } = {},
): Both {
  let fast: EvalResult | undefined;
  const calls = countCalls(kernel, () => {
    fast = forced(() => evaluate(id, inputs, options, extras as never));
  });
  const js = jsOnly(() => evaluate(id, inputs, options, { ...extras, into: undefined } as never));
  return { fast: fast!, js, calls };
}

function dataOf(v: EvalResult['value'] | Tensor<FloatArray>): ArrayLike<number> {
  return typeof v === 'number' ? [v] : v.data;
}

/**
 * Largest |a − b| / |b| over the elements (0 where a = b, including equal infinities); fails when
 * the NaN or infinity positions differ. `floor` adds an absolute allowance: elements with
 * |a − b| ≤ floor count as 0 (for values produced by cancellation; callers document it).
 */
export function worstRelative(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(y) || Number.isNaN(x)) {
      expect([i, Number.isNaN(x)]).toEqual([i, Number.isNaN(y)]);
      continue;
    }
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      expect([i, x]).toEqual([i, y]);
      continue;
    }
    const d = Math.abs(x - y);
    if (d === 0 || d <= floor) continue;
    worst = Math.max(worst, d / Math.abs(y));
  }
  return worst;
}

/** The worst relative error over the value and the gradients named in `grads`. */
export function worstOf(r: Both, grads: string[], floor = 0): number {
  let w = worstRelative(dataOf(r.fast.value), dataOf(r.js.value));
  for (const k of grads) {
    w = Math.max(w, worstRelative(r.fast.grads![k].data, r.js.grads![k].data, floor));
  }
  return w;
}
