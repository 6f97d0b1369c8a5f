/**
 * Sweeps of one input element (or of a metric's threshold) through the library: every number the
 * explorer draws comes from `evaluate`, analytic gradients included; the finite differences are
 * central differences of the same `evaluate` values.
 */
import { evaluate } from '../../src/index.js';
import type { EntryMeta, InputSpec, NestedArray } from '../../src/index.js';

export interface Sweep {
  /** What the x axis varies, e.g. "input[0]" or "threshold". */
  xLabel: string;
  xs: number[];
  values: number[];
  /** Analytic gradient of the value with respect to the swept element (null for metrics). */
  grads: number[] | null;
  /** Finite-difference overlay: a subset of xs and the central differences there. */
  fd: { xs: number[]; grads: number[] } | null;
  /** The first error the library raised, when some points could not be evaluated. */
  error: string | null;
}

type Nested = number | boolean | Nested[];

/** The input whose first element is swept: the first differentiable one, else the first float one. */
export function mainInput(meta: EntryMeta): InputSpec {
  return (
    meta.inputs.find((i) => i.differentiable) ??
    meta.inputs.find((i) => i.kind === 'float') ??
    meta.inputs[0]
  );
}

function clone(v: unknown): Nested {
  return JSON.parse(JSON.stringify(v)) as Nested;
}

/** The path of indices to the first scalar of a nested array. */
function firstPath(v: Nested): number[] {
  const path: number[] = [];
  let cur = v;
  while (Array.isArray(cur) && cur.length > 0) {
    path.push(0);
    cur = cur[0];
  }
  return path;
}

function getAt(v: Nested, path: number[]): number {
  let cur = v;
  for (const i of path) cur = (cur as Nested[])[i];
  return Number(cur);
}

function setAt(v: Nested, path: number[], x: number): Nested {
  if (path.length === 0) return x;
  let cur = v as Nested[];
  for (const i of path.slice(0, -1)) cur = cur[i] as Nested[];
  cur[path[path.length - 1]] = x;
  return v;
}

/** The span swept around the example's value, chosen by the input's role. */
export function rangeFor(role: string, x0: number, example: Nested): [number, number] {
  switch (role) {
    case 'probabilities':
      return [0.005, 0.995];
    case 'logProbabilities':
      return [Math.min(x0, -0.05) - 4, -0.005];
    case 'logits':
      return [x0 - 5, x0 + 5];
    case 'boxes': {
      const row = Array.isArray(example) && Array.isArray(example[0]) ? example[0] : example;
      const nums = (Array.isArray(row) ? row : [row]).map(Number);
      const w = Math.abs((nums[2] ?? x0 + 1) - nums[0]) || 1;
      return [x0 - w, x0 + 0.9 * w];
    }
    default:
      return [x0 - 3, x0 + 3];
  }
}

/**
 * The plotted number: a reduced value as is; for an unreduced (tensor) value, the sum of its
 * elements for a loss (the quantity its gradient differentiates) and the first element for a metric.
 */
function scalarOf(value: unknown, kind: 'loss' | 'metric'): number {
  if (typeof value === 'number') return value;
  const data = (value as { data: ArrayLike<number> }).data;
  if (data.length === 0) return NaN;
  if (kind === 'metric') return Number(data[0]);
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  return sum;
}

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/**
 * Sweeps an entry on one of its examples with the given options. Losses: the first element of the
 * main input, with the value, the analytic gradient and a finite-difference overlay. Metrics: the
 * threshold when the metric has one, otherwise the first element of the main input (integers for
 * index inputs), value only.
 */
export function sweep(
  meta: EntryMeta,
  options: Record<string, unknown>,
  exampleIndex = 0,
  points = 121,
): Sweep {
  const example = meta.examples[exampleIndex] ?? meta.examples[0];
  const base = Object.fromEntries(
    Object.entries(example.inputs).map(([k, v]) => [k, clone(v)]),
  ) as Record<string, Nested>;
  // Options left empty (undefined) take the example's value or the default.
  const opts: Record<string, unknown> = { ...(example.options ?? {}) };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) opts[k] = v;
  let error: string | null = null;
  const run = (inputs: Record<string, Nested>, o: Record<string, unknown>, grad: boolean) => {
    try {
      return evaluate(meta.id, inputs, o, { grad });
    } catch (e) {
      error ??= e instanceof Error ? e.message : String(e);
      return null;
    }
  };

  if (meta.kind === 'metric' && Object.hasOwn(meta.options, 'threshold')) {
    const xs = linspace(0.01, 0.99, points);
    const values = xs.map((t) => {
      const r = run(base, { ...opts, threshold: t }, false);
      return r === null ? NaN : scalarOf(r.value, meta.kind);
    });
    return { xLabel: 'threshold', xs, values, grads: null, fd: null, error };
  }

  const spec = mainInput(meta);
  const path = firstPath(base[spec.name]);
  const x0 = getAt(base[spec.name], path);
  const label = `${spec.name}${path.map((i) => `[${i}]`).join('')}`;
  const at = (x: number): Record<string, Nested> => ({
    ...base,
    [spec.name]: setAt(clone(base[spec.name]), path, x),
  });

  if (meta.kind === 'metric' || !spec.differentiable) {
    const xs =
      spec.kind === 'float'
        ? linspace(...rangeFor(spec.role, x0, base[spec.name]), points)
        : Array.from({ length: 10 }, (_, i) => i);
    const values = xs.map((x) => {
      const r = run(at(x), opts, false);
      return r === null ? NaN : scalarOf(r.value, meta.kind);
    });
    return { xLabel: label, xs, values, grads: null, fd: null, error };
  }

  const xs = linspace(...rangeFor(spec.role, x0, base[spec.name]), points);
  const values: number[] = [];
  const grads: number[] = [];
  for (const x of xs) {
    const r = run(at(x), opts, true);
    values.push(r === null ? NaN : scalarOf(r.value, meta.kind));
    grads.push(r?.grads?.[spec.name] ? Number(r.grads[spec.name].data[0]) : NaN);
  }
  const fdXs = xs.filter((_, i) => i % 8 === 4);
  const fdGrads = fdXs.map((x) => {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    const up = run(at(x + h), opts, false);
    const dn = run(at(x - h), opts, false);
    return up === null || dn === null
      ? NaN
      : (scalarOf(up.value, meta.kind) - scalarOf(dn.value, meta.kind)) / (2 * h);
  });
  return { xLabel: label, xs, values, grads, fd: { xs: fdXs, grads: fdGrads }, error };
}

export type { NestedArray };
