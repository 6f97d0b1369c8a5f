/**
 * Tensors: plain `{ data, shape }` records over typed arrays, row-major. Conversion from nested arrays,
 * numbers and typed arrays lives here; nothing else in losskit inspects raw user input.
 */
import { describe, fail } from './errors.js';

export type FloatArray = Float64Array | Float32Array;
export type DataArray = Float64Array | Float32Array | Int32Array;

export interface Tensor<D extends DataArray = DataArray> {
  data: D;
  shape: number[];
}

export type NestedArray = number | boolean | readonly NestedArray[];

type AnyTypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray
  | BigInt64Array
  | BigUint64Array;

/** Anything losskit accepts where a tensor is expected. */
export type TensorLike =
  | Tensor
  | { data: ArrayLike<number> | BigInt64Array | BigUint64Array; shape: readonly number[] }
  | number
  | boolean
  | readonly NestedArray[]
  | AnyTypedArray;

export type F64Tensor = Tensor<Float64Array>;
export type I32Tensor = Tensor<Int32Array>;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function shapeEquals(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** '[2, 3]'; shapes of more than 12 dims are shortened, so a message stays short whatever the rank. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length > 12)
    return `[${shape.slice(0, 10).join(', ')}, … (rank ${shape.length}), ${shape[shape.length - 1]}]`;
  return `[${shape.join(', ')}]`;
}

/** True for the values `toTensor` can convert (used to tell inputs from an options object). */
export function isTensorLike(x: unknown): x is TensorLike {
  if (typeof x === 'number' || typeof x === 'boolean' || Array.isArray(x)) return true;
  if (ArrayBuffer.isView(x)) return !(x instanceof DataView);
  if (typeof x === 'object' && x !== null) {
    const o = x as { data?: unknown; shape?: unknown };
    return o.data !== undefined && o.shape !== undefined;
  }
  return false;
}

function checkShape(shape: unknown, loss: string | undefined, arg: string): number[] {
  if (!Array.isArray(shape)) {
    fail(
      'E_TYPE',
      loss,
      `input '${arg}'.shape`,
      'an array of non-negative integers',
      describe(shape),
    );
  }
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      fail(
        'E_TYPE',
        loss,
        `input '${arg}'.shape`,
        'an array of non-negative integers',
        describe(shape),
      );
    }
  }
  return (shape as number[]).slice();
}

function flattenNested(
  x: readonly NestedArray[],
  loss: string | undefined,
  arg: string,
): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = (probe as readonly NestedArray[])[0];
  }
  const rank = shape.length;
  const data = new Float64Array(numel(shape));
  // Iterative depth-first walk (no recursion, so any nesting depth works): nodes[d] is the array at
  // depth d on the current path and idx[d] the position in it; the path string is built on error only.
  const nodes: (readonly NestedArray[])[] = new Array<readonly NestedArray[]>(rank);
  const idx = new Int32Array(rank + 1);
  const where = (depth: number): string => {
    let p = '';
    for (let d = 0; d < depth; d++) p += `[${idx[d]}]`;
    return p.length > 200 ? `${p.slice(0, 200)}…` : p;
  };
  const checkArray = (node: NestedArray, depth: number): readonly NestedArray[] => {
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      fail(
        'E_SHAPE',
        loss,
        `input '${arg}'${where(depth)}`,
        `an array of length ${shape[depth]} (nested arrays must be rectangular)`,
        describe(node),
      );
    }
    return node as readonly NestedArray[];
  };
  if (rank === 0) return { data, shape };
  let k = 0;
  let depth = 0;
  nodes[0] = checkArray(x, 0);
  idx[0] = 0;
  while (depth >= 0) {
    const arr = nodes[depth];
    if (idx[depth] >= arr.length) {
      depth--;
      if (depth >= 0) idx[depth]++;
      continue;
    }
    const node = arr[idx[depth]];
    if (depth === rank - 1) {
      if (typeof node === 'number') data[k++] = node;
      else if (typeof node === 'boolean') data[k++] = node ? 1 : 0;
      else
        fail(
          'E_TYPE',
          loss,
          `input '${arg}'${where(rank)}`,
          'a number (a ragged nested array has arrays and numbers at the same depth)',
          describe(node),
        );
      idx[depth]++;
      continue;
    }
    depth++;
    nodes[depth] = checkArray(node, depth);
    idx[depth] = 0;
  }
  return { data, shape };
}

/**
 * Converts any TensorLike to a Tensor. Float64Array, Float32Array and Int32Array data are kept as they
 * are (no copy); other typed arrays and nested arrays become Float64Array.
 */
export function toTensor(x: unknown, loss?: string, arg = 'input'): Tensor {
  if (typeof x === 'number') return { data: new Float64Array([x]), shape: [] };
  if (typeof x === 'boolean') return { data: new Float64Array([x ? 1 : 0]), shape: [] };
  if (Array.isArray(x)) return flattenNested(x as readonly NestedArray[], loss, arg);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const data = keepOrCopy(x as unknown as ArrayLike<number>, loss, arg);
    return { data, shape: [data.length] };
  }
  if (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as { dataSync?: unknown }).dataSync === 'function'
  ) {
    fail(
      'E_TYPE',
      loss,
      `input '${arg}'`,
      "a losskit tensor ({ data, shape } with typed-array data), a typed array, a nested array or a number; for TensorFlow.js tensors use 'losskit/tfjs' (evaluateTf, kerasLoss), or pass { data: t.dataSync(), shape: t.shape }",
      describe(x),
    );
  }
  if (typeof x === 'function') {
    fail(
      'E_TYPE',
      loss,
      `input '${arg}'`,
      'a tensor ({ data, shape }), a typed array, a nested array of numbers or a number, not a function (a callback or an unevaluated getter was passed where data belongs)',
      describe(x),
    );
  }
  if (typeof x === 'object' && x !== null && 'data' in x && 'shape' in x) {
    const o = x as { data: unknown; shape: unknown };
    const shape = checkShape(o.shape, loss, arg);
    let data: DataArray;
    if (ArrayBuffer.isView(o.data) && !(o.data instanceof DataView)) {
      data = keepOrCopy(o.data as unknown as ArrayLike<number>, loss, arg);
    } else if (Array.isArray(o.data)) {
      const arr = o.data as unknown[];
      data = new Float64Array(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (typeof v === 'number') data[i] = v;
        else if (typeof v === 'boolean') data[i] = v ? 1 : 0;
        else fail('E_TYPE', loss, `input '${arg}'.data[${i}]`, 'a number', describe(v));
      }
    } else {
      fail(
        'E_TYPE',
        loss,
        `input '${arg}'.data`,
        'a typed array or an array of numbers',
        describe(o.data),
      );
    }
    if (numel(shape) !== data.length) {
      fail(
        'E_SHAPE',
        loss,
        `input '${arg}'`,
        `data of length ${numel(shape)} for shape ${formatShape(shape)}`,
        `data of length ${data.length}`,
      );
    }
    return { data, shape };
  }
  return fail(
    'E_TYPE',
    loss,
    `input '${arg}'`,
    'a tensor ({ data, shape }), a typed array, a nested array of numbers or a number',
    describe(x),
  );
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Float64Array, Float32Array and Int32Array are kept as they are. Other typed arrays are copied to
 * Float64Array (exact). int64 data (BigInt64Array / BigUint64Array, what NumPy and PyTorch save
 * labels as) becomes an Int32Array when every value fits in int32, else a Float64Array when every
 * value is exactly representable (|v| <= 2^53), else E_RANGE.
 */
function keepOrCopy(
  a: ArrayLike<number> | ArrayLike<bigint>,
  loss: string | undefined,
  arg: string,
): DataArray {
  if (a instanceof Float64Array || a instanceof Float32Array || a instanceof Int32Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return fromInt64(a, loss, arg);
  return Float64Array.from(a as ArrayLike<number>);
}

function fromInt64(
  a: BigInt64Array | BigUint64Array,
  loss: string | undefined,
  arg: string,
): DataArray {
  let fitsInt32 = true;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v < -9007199254740992n || v > 9007199254740992n) {
      fail(
        'E_RANGE',
        loss,
        `input '${arg}'`,
        'int64 values within ±2^53 (exactly representable as numbers)',
        `${v.toString()} at flat position ${i}`,
      );
    }
    if (v < -2147483648n || v > 2147483647n) fitsInt32 = false;
  }
  if (fitsInt32) {
    const out = new Int32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
    return out;
  }
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
  return out;
}

/** The data as Float64Array (a copy unless it already is one). For small option tensors. */
export function asFloat64(t: Tensor): Float64Array {
  return t.data instanceof Float64Array ? t.data : Float64Array.from(t.data);
}

/**
 * The data of a float input as the kernel reads it: Float32Array and Float64Array as they are (no
 * copy), integer data copied to Float64Array.
 */
export function asFloat(t: Tensor): FloatArray {
  const d = t.data;
  return d instanceof Float64Array || d instanceof Float32Array ? d : Float64Array.from(d);
}

/** A zeroed float buffer of length n in the dtype of `like`: Float32Array for float32 data, else float64. */
export function allocFloat(n: number, like: DataArray | undefined): FloatArray {
  return like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/**
 * The data as Int32Array of integer indices. Float data must hold integer values (else E_TYPE).
 * Range checks are the caller's, which knows the valid range.
 */
export function asIndices(t: Tensor, loss: string | undefined, arg: string): Int32Array {
  if (t.data instanceof Int32Array) return t.data;
  const src = t.data;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (!Number.isInteger(v) || v > INT32_MAX || v < INT32_MIN) {
      fail(
        'E_TYPE',
        loss,
        `input '${arg}'`,
        'integer class indices (an Int32Array or integer-valued numbers)',
        `${describe(v)} at flat position ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Normalises a possibly negative axis; throws E_OPTION when out of range. */
export function normalizeAxis(axis: number, ndim: number, loss: string, arg = 'axis'): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis) || a < 0 || a >= ndim) {
    fail(
      'E_OPTION',
      loss,
      `option '${arg}'`,
      `an integer in [${-ndim}, ${ndim - 1}] for an input of rank ${ndim}`,
      `${arg}=${describe(axis)}`,
    );
  }
  return a;
}
