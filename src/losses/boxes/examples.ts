/**
 * Example box pairs (xyxy unless stated) shared by the metadata of the IoU-family entries, away
 * from every kink (no equal edges, no coinciding centres).
 */

/** An overlapping pair and a disjoint pair (diou, giou). */
export const OVERLAPPING_AND_DISJOINT = {
  input: [
    [1, 1, 4, 3],
    [0, 0, 1, 1],
  ],
  target: [
    [0, 0, 2, 2],
    [1.5, 2, 3, 3.5],
  ],
} as const;

/** Two overlapping pairs (iouLoss, alphaIou, focalEiou). */
export const TWO_OVERLAPPING = {
  input: [
    [1, 1, 4, 3],
    [0.1, 0.2, 1.1, 0.9],
  ],
  target: [
    [0, 0, 2, 2],
    [0, 0, 1, 1],
  ],
} as const;

/** One pair in centre + size (cxcywh) form, centres 0.14 apart (eiou, alphaIou). */
export const CENTRE_SIZE_PAIR = { input: [[2.1, 1.9, 2.6, 1.3]], target: [[2, 2, 2, 2]] } as const;
