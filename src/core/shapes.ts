/**
 * Shape checks shared by the kernels' `prepare` steps, with the standard LossError messages.
 */
import { fail } from './errors.js';
import type { Tensor } from './tensor.js';
import { formatShape, shapeEquals } from './tensor.js';

/** Both tensors must have exactly the same shape (no broadcasting, as torch's elementwise losses warn). */
export function requireSameShape(
  loss: string,
  a: { name: string; tensor: Tensor },
  b: { name: string; tensor: Tensor },
): void {
  if (!shapeEquals(a.tensor.shape, b.tensor.shape)) {
    fail(
      'E_SHAPE',
      loss,
      `input '${b.name}'`,
      `the same shape as '${a.name}' ${formatShape(a.tensor.shape)}`,
      `shape ${formatShape(b.tensor.shape)}`,
    );
  }
}

/** The tensor's rank must be one of `ranks`. */
export function requireRank(
  loss: string,
  name: string,
  tensor: Tensor,
  ranks: readonly number[],
  pattern: string,
): void {
  if (!ranks.includes(tensor.shape.length)) {
    fail(
      'E_SHAPE',
      loss,
      `input '${name}'`,
      `a tensor of shape ${pattern} (rank ${ranks.join(' or ')})`,
      `shape ${formatShape(tensor.shape)} (rank ${tensor.shape.length})`,
    );
  }
}

/** The tensor's rank must be at least `min`. */
export function requireMinRank(
  loss: string,
  name: string,
  tensor: Tensor,
  min: number,
  pattern: string,
): void {
  if (tensor.shape.length < min) {
    fail(
      'E_SHAPE',
      loss,
      `input '${name}'`,
      `a tensor of shape ${pattern} (rank >= ${min})`,
      `shape ${formatShape(tensor.shape)} (rank ${tensor.shape.length})`,
    );
  }
}

/** Every index must lie in [0, numClasses), except those equal to `ignore` (when given). */
export function requireIndicesInRange(
  loss: string,
  name: string,
  indices: Int32Array,
  numClasses: number,
  ignore: number | null = null,
): void {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if ((v < 0 || v >= numClasses) && v !== ignore) {
      fail(
        'E_RANGE',
        loss,
        `input '${name}'`,
        `class indices in [0, ${numClasses - 1}]${ignore === null ? '' : ` or the ignore index ${ignore}`}`,
        `${v} at flat position ${i}`,
      );
    }
  }
}
