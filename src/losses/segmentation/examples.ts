/**
 * Metadata shared by the multiclass segmentation entries: the softmax input and class-index target
 * specs of generalizedDice, lovaszSoftmax and diceCrossEntropy, and the example image that dice,
 * diceCrossEntropy, generalizedDice and lovaszSoftmax all start from.
 */

/** Class logits or probabilities (N, C, d1, ...), softmax over dim 1 when fromLogits. */
export const SOFTMAX_SEG_INPUT = {
  name: 'input',
  role: 'logits',
  shape: '(N, C, d1, ...)',
  differentiable: true,
  kind: 'float',
  doc: 'Class logits (softmax over dim 1 when fromLogits) or class probabilities.',
} as const;

/** Class indices (N, d1, ...), or the ignore index where the entry has one. */
export const CLASS_INDEX_TARGET = {
  name: 'target',
  role: 'classIndices',
  shape: '(N, d1, ...)',
  differentiable: false,
  kind: 'raw',
  doc: 'Class indices in [0, C) or the ignore index.',
} as const;

/** Logits (C, H, W) of one 2×3 image over three classes, no two of a pixel equal. */
export const EXAMPLE_IMAGE_LOGITS = [
  [
    [2.0, 0.1, -1.0],
    [0.5, 1.2, -0.3],
  ],
  [
    [-0.5, 1.5, 0.2],
    [1.0, -0.7, 0.8],
  ],
  [
    [0.3, -0.2, 0.6],
    [-1.2, 0.4, 0.1],
  ],
] as const;

/** A (H, W) target of that image using classes 0 and 1 only (class 2 absent). */
export const EXAMPLE_IMAGE_TARGET = [
  [0, 1, 1],
  [0, 0, 1],
] as const;

/** The target of the second image of the two-image examples, every class present. */
export const EXAMPLE_SECOND_TARGET = [
  [1, 2, 0],
  [2, 1, 2],
] as const;
