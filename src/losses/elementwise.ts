/**
 * Shared `prepare` for elementwise losses of (input, target) with identical shapes: every element is
 * one unit, 'none' keeps the input's shape, 'mean' divides by the element count.
 */
import type { Plan } from '../core/define.js';
import { requireSameShape } from '../core/shapes.js';
import type { F64Tensor } from '../core/tensor.js';

export interface PairPlan<O> extends Plan {
  x: Float64Array;
  y: Float64Array;
  options: O;
}

export function preparePair<O>(
  id: string,
  input: F64Tensor,
  target: F64Tensor,
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
