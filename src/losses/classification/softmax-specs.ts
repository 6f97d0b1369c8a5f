/**
 * Metadata shared by the softmax / multiclass family: the input and option specs several entries
 * repeat, and the example inputs of their metadata. No computation lives here (see softmax-common.ts).
 */

export const LOGITS_NC = {
  name: 'input',
  role: 'logits',
  shape: '(N, C, d1, ...) or (C)',
  differentiable: true,
  kind: 'float',
  doc: 'Unnormalised class scores; classes on dim 1 (dim 0 when unbatched).',
} as const;

/** The input of multiMargin and multilabelMargin. */
export const SCORES_NC = {
  name: 'input',
  role: 'values',
  shape: '(N, C) or (C)',
  differentiable: true,
  kind: 'float',
  doc: 'Class scores.',
} as const;

export const INDEX_TARGET_N = {
  name: 'target',
  role: 'classIndices',
  shape: '(N, d1, ...) or ()',
  differentiable: false,
  kind: 'index',
  doc: 'Integer class indices in [0, C), the input shape without the class dim.',
} as const;

export const LABEL_SMOOTHING = {
  type: 'number',
  default: 0,
  min: 0,
  max: 1,
  doc: 'ε in [0, 1]: the target becomes (1 − ε)·target + ε/C.',
} as const;

export const IGNORE_INDEX = {
  type: 'number',
  default: -100,
  integer: true,
  doc: 'Target value whose positions contribute 0 and are left out of the mean.',
} as const;

export const CLASS_WEIGHT = {
  type: 'tensor',
  default: null,
  doc: 'Per-class weight, a 1-D tensor of length C (null: every class 1).',
} as const;

/** The input of Keras' categorical cross-entropies. */
export const KERAS_PROBABILITIES_INPUT = {
  name: 'input',
  role: 'probabilities',
  shape: '(..., C)',
  differentiable: true,
  kind: 'float',
  doc: 'Class probabilities (or logits with fromLogits: true), classes along `axis`.',
} as const;

export const FROM_LOGITS = {
  type: 'boolean',
  default: false,
  doc: 'Treat the input as logits (log-softmax) instead of probabilities.',
} as const;

export const CLASS_AXIS = {
  type: 'number',
  default: -1,
  integer: true,
  doc: 'The class axis (negative counts from the end).',
} as const;

/** Example inputs of the softmax entries: logits of two and three samples, and probabilities. */
export const EXAMPLE_LOGITS_2 = [
  [2.0, 1.0, 0.1],
  [0.5, -1.0, 1.5],
];
export const EXAMPLE_LOGITS_3 = [...EXAMPLE_LOGITS_2, [0.3, 0.2, -0.4]];
export const EXAMPLE_PROBABILITIES = [
  [0.05, 0.95, 0],
  [0.1, 0.8, 0.1],
];
