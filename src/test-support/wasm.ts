/**
 * Helpers for the WebAssembly fast-path tests: run one evaluation through the fast path (every size
 * allowed) and through the JavaScript kernels, count the calls of a kernel, and compare results
 * elementwise by relative error with the same NaN and ±Infinity positions.
 */
import { expect } from 'vitest';
import type { EvalResult } from '../core/define.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import { getRuntime, setWasm, setWasmMinSize } from '../wasm/runtime.js';

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
