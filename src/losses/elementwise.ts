/**
 * One element's loss `l` and its derivative `g` with respect to the input element: what an elementwise
 * entry's `<id>At(x, y, ...)` function returns. It is the entry's single source of arithmetic; the
 * kernel's loops call it, V8 inlines it and scalar-replaces the object (no allocation in the loop).
 */
export interface Elem {
  l: number;
  g: number;
}

/**
 * Shared `prepare` for elementwise losses of (input, target) with identical shapes: every element is
 * one unit, 'none' keeps the input's shape, 'mean' divides by the element count.
 */
import type { Plan } from '../core/define.js';
import { requireSameShape } from '../core/shapes.js';
import type { FloatArray, Tensor } from '../core/tensor.js';

export interface PairPlan<O> extends Plan {
  x: FloatArray;
  y: FloatArray;
  options: O;
}

export function preparePair<O>(
  id: string,
  input: Tensor<FloatArray>,
  target: Tensor<FloatArray>,
  options: O,
  targetName = 'target',
): PairPlan<O> {
  requireSameShape(id, { name: 'input', tensor: input }, { name: targetName, tensor: target });
  return {
    size: input.data.length,
    outShape: input.shape,
    x: input.data,
    y: target.data,
    options,
  };
}

export const INPUT_VALUES = {
  name: 'input',
  role: 'values',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Predictions, any shape.',
} as const;

export const TARGET_VALUES = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Targets, same shape as input.',
} as const;
