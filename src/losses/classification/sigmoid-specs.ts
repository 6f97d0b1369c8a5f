/**
 * Metadata shared by the sigmoid / binary family: the input and option specs several entries repeat,
 * and the examples and notes of hinge and squaredHinge. No computation lives here (see
 * sigmoid-common.ts).
 */
import type { Example } from '../../core/define.js';

export const LOGITS_INPUT = {
  name: 'input',
  role: 'logits',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Logits (pre-sigmoid scores), any shape.',
} as const;

export const PROBABILITIES_INPUT = {
  name: 'input',
  role: 'probabilities',
  shape: '(*)',
  differentiable: true,
  kind: 'float',
  doc: 'Probabilities in [0, 1], any shape.',
} as const;

export const BINARY_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Binary targets 0/1 (soft targets in [0, 1] allowed), same shape as input.',
} as const;

export const SIGNED_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Labels ±1, same shape as input.',
} as const;

export const HINGE_TARGET = {
  name: 'target',
  role: 'targets',
  shape: '(*) same as input',
  differentiable: false,
  kind: 'float',
  doc: 'Labels ±1, or 0/1 (converted to ±1 when every label is 0 or 1), same shape as input.',
} as const;

export const LABEL_SMOOTHING_OPTION = {
  type: 'number',
  default: 0,
  min: 0,
  max: 1,
  doc: 'Binary label smoothing ε: each target becomes y(1−ε) + ε/2 (Keras BinaryCrossentropy).',
} as const;

export const FOCAL_ALPHA_OPTION = {
  type: 'number',
  default: 0.25,
  doc: 'Weight α of the positive class (1 − α for the negative); a negative value disables the weighting.',
} as const;

export const FOCAL_GAMMA_OPTION = {
  type: 'number',
  default: 2,
  min: 0,
  doc: 'Focusing exponent γ of the modulating factor (1 − p_t)^γ.',
} as const;

/** The examples of hinge and squaredHinge. */
export const HINGE_EXAMPLES: readonly Example[] = [
  {
    title: 'Scores against ±1 labels',
    inputs: { input: [0.3, -2.0, 1.7, 0.4], target: [1, -1, 1, -1] },
  },
  {
    title: 'Scores against 0/1 labels (converted to ±1)',
    inputs: { input: [0.6, -0.2, 1.4], target: [1, 0, 0] },
  },
];

/** The metadata notes hinge and squaredHinge share. */
export const HINGE_NOTES = [
  'Keras averages over the last axis first; here every element is one unit, which only matters for sum and none.',
  '0/1 labels are converted to ±1 only when the whole target tensor is 0/1 (Keras convert_binary_labels_to_hinge).',
];

/** The caveat hinge and squaredHinge share about Keras' label rule. */
export const HINGE_LABEL_CAVEAT =
  'Labels are converted from 0/1 to ±1 only when every label in the tensor is 0 or 1: a target mixing 0 with −1 is taken as it is, and each 0 label then costs max(0, 1) = 1 whatever the score.';
