/**
 * Inputs several softmax-family tests share. Treat them as read-only: tests that need to change
 * values copy them first.
 */

/** Logits of three samples over three classes. */
export const LOGITS_3X3 = [
  [2.0, 1.0, 0.1],
  [0.5, -1.0, 1.5],
  [0.3, 0.2, -0.4],
];

/** The first two samples of LOGITS_3X3. */
export const LOGITS_2X3 = LOGITS_3X3.slice(0, 2);

/** Class probabilities of three samples over three classes. */
export const PROBS_3X3 = [
  [0.2, 0.5, 0.3],
  [0.6, 0.1, 0.3],
  [0.1, 0.1, 0.8],
];

/** The first two samples of PROBS_3X3. */
export const PROBS_2X3 = PROBS_3X3.slice(0, 2);
