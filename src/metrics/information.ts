/**
 * Shared code of entropy, distributionCrossEntropy and klDivergence: sum a per-element term over one
 * axis (which is removed) and convert nats to the requested base.
 */
import type { MetricValue } from '../core/define.js';
import { describe, fail } from '../core/errors.js';
import { CompensatedSum } from '../core/numerics.js';
import { requireMinRank, requireSameShape } from '../core/shapes.js';
import type { FloatArray, Tensor } from '../core/tensor.js';
import { normalizeAxis } from '../core/tensor.js';

export const BASE_OPTION = {
  type: 'number',
  default: Math.E,
  min: 0,
  exclusiveMin: true,
  doc: 'Logarithm base: e (default) gives nats, 2 gives bits, 10 gives hartleys. Any positive number but 1.',
} as const;

export const AXIS_OPTION = {
  type: 'number',
  default: -1,
  integer: true,
  doc: 'Axis holding the distribution; it is summed over and removed (negative counts from the end).',
} as const;

/** The options of entropy, distributionCrossEntropy and klDivergence. */
export const DISTRIBUTION_OPTIONS = { base: BASE_OPTION, axis: AXIS_OPTION } as const;

/** Example data shared by the distribution metrics: seed 004's weather distribution and its code. */
export const WEATHER_P = [0.35, 0.35, 0.1, 0.1, 0.04, 0.04, 0.01, 0.01];
export const WEATHER_CODE_Q = [0.03125, 0.03125, 0.0625, 0.0625, 0.125, 0.125, 0.25, 0.25];
/** Two example distributions, (2, 3). */
export const TWO_ROWS_P = [
  [0.5, 0.5, 0],
  [0.7, 0.2, 0.1],
];

export const DISTRIBUTION_NOTES = [
  'p and q are used as given: no normalisation, no clipping. Terms with p = 0 are 0 (0·log 0 = 0, as torch.xlogy and scipy.special.entr / rel_entr); p > 0 with q = 0 gives +Infinity; a negative probability gives NaN.',
  'The axis is removed: a 1-D distribution gives a number, (N, C) gives a Float64Array of N values.',
];

export const P_INPUT = {
  name: 'p',
  role: 'probabilities',
  shape: '(..., C)',
  differentiable: false,
  kind: 'float',
  doc: 'The true distribution along `axis`.',
} as const;

export const Q_INPUT = {
  name: 'q',
  role: 'probabilities',
  shape: '(..., C) same as p',
  differentiable: false,
  kind: 'float',
  doc: 'The model (coding) distribution along `axis`, same shape as p.',
} as const;

/** Σ over `axis` of term(p_i, q_i), divided by ln(base). */
export function reduceOverAxis(
  id: string,
  p: Tensor<FloatArray>,
  q: Tensor<FloatArray> | null,
  axisOption: number,
  base: number,
  term: (p: number, q: number) => number,
): MetricValue {
  requireMinRank(id, 'p', p, 1, '(..., C)');
  if (q !== null) requireSameShape(id, { name: 'p', tensor: p }, { name: 'q', tensor: q });
  if (base === 1) {
    fail(
      'E_OPTION',
      id,
      "option 'base'",
      'a positive number other than 1',
      `base=${describe(base)}`,
    );
  }
  const shape = p.shape;
  const axis = normalizeAxis(axisOption, shape.length, id);
  const n = shape[axis];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const lnBase = Math.log(base);
  const out = new Float64Array(outer * inner);
  const pd = p.data;
  const qd = q === null ? pd : q.data;
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < inner; s++) {
      const acc = new CompensatedSum();
      const start = o * n * inner + s;
      for (let c = 0; c < n; c++) {
        const i = start + c * inner;
        acc.add(term(pd[i], qd[i]));
      }
      out[o * inner + s] = acc.value() / lnBase;
    }
  }
  const outShape = shape.filter((_, d) => d !== axis);
  return outShape.length === 0 ? out[0] : { data: out, shape: outShape };
}

/** p·log(p/q) with 0 for p = 0 (scipy.special.rel_entr); the ratio form unless it over/underflows. */
export function relEntr(p: number, q: number): number {
  if (p === 0 && q === q) return 0;
  const r = p / q;
  if (r > 0 && r < Infinity) return p * Math.log(r);
  return p * (Math.log(p) - Math.log(q));
}
