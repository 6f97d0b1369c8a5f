/**
 * Zero-copy tensors: float32 arrays allocated in losskit's WebAssembly memory, which the fast paths
 * read and write where they are (no staging copy), and which threads can share.
 */
import { fail } from '../core/errors.js';
import { getRuntime } from './runtime.js';

/**
 * A float32 buffer in losskit's memory. Lifetime rule: the buffer lives until `free()`; `array` is
 * a view of it. Where the memory is not shared (browsers without cross-origin isolation), growing
 * the memory (allocating another tensor may) detaches earlier views: read `array` again after
 * allocating rather than keeping a view across allocations. Shared memory (Node, isolated pages)
 * never detaches views.
 */
export interface WasmTensor {
  readonly length: number;
  /** A Float32Array view of the buffer (the same view until the memory grows). */
  readonly array: Float32Array;
  /** Returns the buffer to losskit's allocator; `array` must not be used afterwards. */
  free(): void;
}

/**
 * Allocates a zero-filled float32 tensor of `length` elements in losskit's WebAssembly memory, for
 * training loops that reuse inputs and gradient buffers (pass `t.array` as an input, or as an
 * `into` buffer). Throws a LossError when WebAssembly is unavailable or the memory (4 GiB at most)
 * cannot hold it.
 */
export function wasmTensor(length: number): WasmTensor {
  if (!Number.isSafeInteger(length) || length < 0) {
    fail('E_RANGE', 'wasmTensor', "'length'", 'a non-negative integer', String(length));
  }
  const rt = getRuntime();
  if (rt === null) {
    fail(
      'E_INPUT',
      'wasmTensor',
      'WebAssembly',
      'WebAssembly SIMD, with the fast paths on (see wasmStatus())',
      'unavailable',
    );
  }
  const bytes = length * 4;
  const ptr = bytes > 2 ** 32 ? -1 : rt.heap.alloc(bytes);
  if (ptr < 0) {
    fail(
      'E_RANGE',
      'wasmTensor',
      "'length'",
      'a tensor that fits in the 4 GiB of WebAssembly memory',
      `${length} float32 elements`,
    );
  }
  new Uint8Array(rt.memory.buffer, ptr, bytes).fill(0);
  let view: Float32Array | null = null;
  let live = true;
  return {
    length,
    get array(): Float32Array {
      if (!live) throw new Error('wasmTensor: used after free()');
      if (view === null || view.buffer !== rt.memory.buffer || view.length !== length) {
        view = new Float32Array(rt.memory.buffer, ptr, length);
        rt.owns(view);
      }
      return view;
    },
    free(): void {
      if (!live) return;
      live = false;
      view = null;
      rt.heap.release(ptr, bytes);
    },
  };
}
