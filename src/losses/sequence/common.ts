/**
 * Validation shared by the sequence family: (N, T) companions of a sequence tensor, per-sequence
 * vectors and 0/1 masks.
 */
import { describe, fail } from '../../core/errors.js';
import type { DataArray, Tensor } from '../../core/tensor.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';

/** The tensor must have exactly `shape` (E_SHAPE naming `what` otherwise). */
export function requireShape(
  id: string,
  name: string,
  t: Tensor,
  shape: readonly number[],
  what: string,
): void {
  if (!shapeEquals(t.shape, shape)) {
    fail(
      'E_SHAPE',
      id,
      `input '${name}'`,
      `${what} of shape ${formatShape(shape)}`,
      `shape ${formatShape(t.shape)}`,
    );
  }
}

/**
 * A 0/1 mask (numbers or booleans): E_RANGE for any other value (NaN included), naming the first
 * offending position.
 */
export function requireBinaryMask(id: string, name: string, data: DataArray): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== 0 && v !== 1) {
      fail(
        'E_RANGE',
        id,
        `input '${name}'`,
        'a mask of 0/1 values (or booleans)',
        `${describe(v)} at flat position ${i}`,
      );
    }
  }
}
