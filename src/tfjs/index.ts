/**
 * losskit/tfjs: every losskit entry on TensorFlow.js tensors, differentiable by `tf.grad`,
 * `tf.variableGrads`, `optimizer.minimize` and `model.fit`, on any backend.
 *
 * - `evaluateTf(id, inputs, options?)`: inputs are tf.Tensors (or TensorLikes) by catalog name; the
 *   result is a tf.Tensor (a scalar when reduced) with losskit's exact semantics.
 * - `kerasLoss(id, options?)`: `(yTrue, yPred) => tf.Scalar` for `model.compile({ loss })`.
 * - `kerasMetric(id, options?)`: the same shape for `model.compile({ metrics })`.
 *
 * Entries with a device implementation (`tfPath(id).path === 'native'`, see native.ts) run as tfjs
 * ops whose closed-form gradient is injected with `tf.customGrad`. Every other entry bridges inside
 * `tf.customGrad` to the core's CPU kernel: the inputs are read with `dataSync()` (on WebGL/WebGPU
 * that waits for the GPU and copies to the CPU), value and gradient come from one float64 kernel
 * pass, and the results are uploaded as tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EntryMeta, InputSpec } from '../core/define.js';
import { describe, LossError } from '../core/errors.js';
import type { OptionSpec } from '../core/options.js';
import { resolveOptions } from '../core/options.js';
import type { Reduction } from '../core/reduce.js';
import type { Tensor as LkTensor, TensorLike } from '../core/tensor.js';
import { toTensor } from '../core/tensor.js';
import { evaluate, getEntry } from '../registry.js';
import type { NativeResult } from './native.js';
import { NATIVE } from './native.js';
import { sumToShape } from './ops.js';

export { tfPath, nativeIds } from './paths.js';
export type { TfPath } from './paths.js';

/** What evaluateTf accepts for an input: a tf.Tensor or anything the core accepts. */
export type TfInput = tf.Tensor | TensorLike;

/** How evaluateTf computes: 'auto' (the device code where it exists) or 'bridge' (always the CPU kernel). */
export interface TfEvalOptions {
  path?: 'auto' | 'bridge';
}

/** Options by name; tensor options (class weights, posWeight) may be tf.Tensors. */
export type TfOptions = Readonly<Record<string, unknown>>;

/** A tf.Tensor, also one from a second copy of tfjs-core (the engine is global, so it still works). */
function isTfTensor(x: unknown): x is tf.Tensor {
  if (x instanceof tf.Tensor) return true;
  const o = x as { dataSync?: unknown; shape?: unknown; dtype?: unknown } | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.dataSync === 'function' &&
    Array.isArray(o.shape) &&
    typeof o.dtype === 'string'
  );
}

/** The dtype a TensorLike input becomes on the device. */
function dtypeFor(spec: InputSpec, t: LkTensor): 'float32' | 'int32' {
  if (spec.kind === 'index') return 'int32';
  if (spec.kind === 'raw' && t.data instanceof Int32Array) return 'int32';
  return 'float32';
}

function toTf(spec: InputSpec, value: TfInput, id: string): tf.Tensor {
  if (isTfTensor(value)) {
    if (value.isDisposed) {
      throw new LossError(
        'E_INPUT',
        `${id}: input '${spec.name}' is a disposed tf.Tensor. Received: a disposed tensor of shape [${value.shape.join(', ')}].`,
        {
          loss: id,
          argument: spec.name,
          expected: 'a live tf.Tensor',
          received: 'a disposed tf.Tensor',
        },
      );
    }
    return value;
  }
  const t = toTensor(value, id, spec.name);
  const dtype = dtypeFor(spec, t);
  const data = dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data);
  return tf.tensor(data, t.shape, dtype);
}

/** Inputs by name as tf tensors, with the core's messages for unknown and missing inputs. */
function tfInputs(
  meta: EntryMeta,
  raw: Readonly<Record<string, unknown>>,
): Record<string, tf.Tensor> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || isTfTensor(raw)) {
    throw new LossError(
      'E_INPUT',
      `${meta.id}: inputs must be an object of named tensors (${meta.inputs.map((s) => `'${s.name}'`).join(', ')}). Received: ${describe(raw)}.`,
      { loss: meta.id, argument: 'inputs', received: describe(raw) },
    );
  }
  const names = meta.inputs.map((s) => `'${s.name}'`).join(', ');
  for (const key of Object.keys(raw)) {
    if (!meta.inputs.some((s) => s.name === key)) {
      throw new LossError(
        'E_INPUT',
        `${meta.id}: unknown input '${key}'. Expected inputs: ${names}.`,
        {
          loss: meta.id,
          argument: key,
          expected: names,
          received: key,
        },
      );
    }
  }
  const out: Record<string, tf.Tensor> = {};
  for (const spec of meta.inputs) {
    const v = Object.hasOwn(raw, spec.name) ? raw[spec.name] : undefined;
    if (v === undefined || v === null) {
      if (spec.optional) continue;
      throw new LossError(
        'E_INPUT',
        `${meta.id}: input '${spec.name}' is required (${spec.role}, shape ${spec.shape}). Received: ${describe(v)}.`,
        {
          loss: meta.id,
          argument: spec.name,
          expected: `${spec.role} ${spec.shape}`,
          received: describe(v),
        },
      );
    }
    out[spec.name] = toTf(spec, v as TfInput, meta.id);
  }
  return out;
}

/** Options with tf.Tensor values read into losskit tensors (options are small). */
function plainOptions(options: TfOptions | null | undefined): Record<string, unknown> | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) return options as never;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    out[k] = isTfTensor(v) ? { data: v.dataSync(), shape: v.shape.slice() } : v;
  }
  return out;
}

function isDefault(spec: OptionSpec, value: unknown): boolean {
  return value === spec.default || (value === null && spec.default === null);
}

/** Reads a tensor into the core's { data, shape } (float32 stays Float32Array, int32 Int32Array). */
function readCpu(t: tf.Tensor): LkTensor {
  const data = t.dataSync() as unknown as LkTensor['data'];
  return { data, shape: t.shape.slice() };
}

function upload(v: number | LkTensor): tf.Tensor {
  if (typeof v === 'number') return tf.scalar(v, 'float32');
  return tf.tensor(Float32Array.from(v.data), v.shape, 'float32');
}

/** Reduces per-unit losses on the device; returns the value and d(value)/d(unit) as a factor. */
function reduceUnits(
  r: NativeResult,
  reduction: Reduction | null,
): { value: tf.Tensor; factor: tf.Tensor | number } {
  if (reduction === null || reduction === 'none') return { value: r.units, factor: 1 };
  const sum = tf.sum(r.units);
  if (reduction === 'sum') return { value: sum, factor: 1 };
  if (reduction === 'batchmean') {
    const d = r.batchDivisor ?? 0;
    return { value: d === 0 ? tf.scalar(0) : tf.div(sum, d), factor: d === 0 ? 0 : 1 / d };
  }
  if (r.meanDivisor) {
    // The library rule: a divisor of 0 (nothing counted) gives 0, not NaN.
    return {
      value: tf.divNoNan(sum, r.meanDivisor),
      factor: tf.divNoNan(tf.scalar(1), r.meanDivisor),
    };
  }
  const n = r.units.size;
  return { value: n === 0 ? tf.scalar(0) : tf.div(sum, n), factor: n === 0 ? 0 : 1 / n };
}

interface Prepared {
  meta: EntryMeta;
  tensors: Record<string, tf.Tensor>;
  plain: Record<string, unknown> | undefined;
  resolved: Record<string, unknown>;
  reduction: Reduction | null;
}

function prepare(
  id: string,
  inputs: Readonly<Record<string, unknown>>,
  options?: TfOptions | null,
): Prepared {
  const meta = getEntry(id).meta;
  const tensors = tfInputs(meta, inputs);
  const plain = plainOptions(options);
  const resolved = resolveOptions(meta.id, meta.options, plain) as Record<string, unknown>;
  const reduction = meta.reductions.length > 0 ? (resolved.reduction as Reduction) : null;
  return { meta, tensors, plain, resolved, reduction };
}

/** The device path, or null when the entry or this call needs the bridge. */
function nativeCall(p: Prepared): ((t: Record<string, tf.Tensor>) => NativeResult | null) | null {
  const spec = NATIVE.get(p.meta.id);
  if (!spec) return null;
  const reductions: readonly (Reduction | null)[] = [null, 'mean', 'sum', 'none', 'batchmean'];
  if (!reductions.includes(p.reduction)) return null;
  const specs = p.meta.options as Readonly<Record<string, OptionSpec>>;
  for (const key of Object.keys(specs)) {
    if (key === 'reduction' || spec.handles.includes(key)) continue;
    if (!isDefault(specs[key], p.resolved[key])) return null;
  }
  return (t) => {
    const r = spec.build(t, p.resolved);
    return r !== null && p.reduction === 'batchmean' && r.batchDivisor === undefined ? null : r;
  };
}

let lastPath: 'native' | 'bridge' | null = null;

/**
 * The path the latest evaluateTf call took ('native' on the device, 'bridge' to the CPU kernel):
 * for tests and for checking that a hot loop stays on the device.
 */
export function lastTfPath(): 'native' | 'bridge' | null {
  return lastPath;
}

/** One differentiable evaluation inside tf.customGrad. */
function differentiable(p: Prepared, forceBridge: boolean): tf.Tensor {
  const { meta, tensors, reduction } = p;
  const diff = meta.inputs
    .filter((s) => s.differentiable && Object.hasOwn(tensors, s.name))
    .map((s) => s.name);
  const tapeOn = tf.engine().isTapeOn();
  const native = forceBridge ? null : nativeCall(p);

  const forward = (args: tf.Tensor[], save: tf.GradSaveFunc) => {
    const t = { ...tensors };
    diff.forEach((name, i) => (t[name] = args[i]));
    const r = native ? native(t) : null;
    lastPath = r !== null ? 'native' : 'bridge';
    if (r !== null) {
      const { value, factor } = reduceUnits(r, reduction);
      if (tapeOn) {
        const local = r.local();
        save([
          ...diff.map((name) => local[name]),
          typeof factor === 'number' ? tf.scalar(factor) : factor,
        ]);
      }
      const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
        const f = saved[diff.length];
        const up = reduction === 'none' ? (r.expand ? r.expand(dy) : dy) : tf.mul(dy, f);
        return diff.map((name, i) => {
          const g = tf.mul(up, saved[i]);
          const fold = r.fold?.[name];
          return fold ? fold(g) : sumToShape(g, t[name].shape);
        });
      };
      return { value, gradFunc };
    }
    // The CPU bridge: one core kernel pass for value (and, when recorded, the gradient).
    const cpu: Record<string, LkTensor> = {};
    for (const [name, x] of Object.entries(t)) cpu[name] = readCpu(x);
    const eager = tapeOn && reduction !== 'none';
    const res = evaluate(meta.id, cpu, p.plain ?? null, { grad: eager });
    const value = upload(res.value);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      if (eager) return diff.map((name) => tf.mul(upload(res.grads![name]), dy));
      // d(Σ dy·loss)/d(input) for 'none' (or a call recorded late): the upstream goes to the kernel.
      const upstream = readCpu(dy);
      const g = evaluate(meta.id, cpu, p.plain ?? null, { grad: true, upstream }).grads!;
      return diff.map((name) => upload(g[name]));
    };
    return { value, gradFunc };
  };

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return forward(args as tf.Tensor[], save);
  });
  return op(...diff.map((name) => tensors[name]));
}

/**
 * Evaluates any losskit entry on tf tensors: `evaluateTf('sigmoidFocal', { input, target }, { gamma: 2 })`.
 * Returns a tf.Tensor (a scalar for reduced and scalar entries, the per-unit losses for
 * `reduction: 'none'`) that tf.grad / tf.variableGrads / optimizer.minimize differentiate with respect
 * to every differentiable input. Metrics return their value as a tensor without a gradient.
 * `{ path: 'bridge' }` forces the CPU kernel (to compare with the device code, or for float64
 * arithmetic).
 */
export function evaluateTf(
  id: string,
  inputs: Readonly<Record<string, TfInput | undefined>>,
  options?: TfOptions | null,
  how?: TfEvalOptions,
): tf.Tensor {
  const p = prepare(id, inputs, options);
  if (p.meta.kind === 'metric' || !p.meta.inputs.some((s) => s.differentiable)) {
    lastPath = 'bridge';
    const cpu: Record<string, LkTensor> = {};
    for (const [name, x] of Object.entries(p.tensors)) cpu[name] = readCpu(x);
    const v = evaluate(p.meta.id, cpu, p.plain ?? null).value;
    return typeof v === 'number' ? tf.scalar(v, 'float32') : upload(v);
  }
  return differentiable(p, how?.path === 'bridge');
}

/** The (prediction, target) input pair of an entry, or a LossError saying why it has none. */
function predictionTarget(meta: EntryMeta, what: string): [InputSpec, InputSpec] {
  const required = meta.inputs.filter((s) => !s.optional);
  if (required.length !== 2) {
    throw new LossError(
      'E_INPUT',
      `${meta.id}: ${what} needs an entry with exactly two required inputs (a prediction and a target); ${meta.id} takes ${meta.inputs.map((s) => `'${s.name}'`).join(', ')}. Use evaluateTf instead.`,
      {
        loss: meta.id,
        argument: 'id',
        expected: 'a (prediction, target) entry',
        received: meta.id,
      },
    );
  }
  return [required[0], required[1]];
}

/**
 * Keras passes (yTrue, yPred) with yTrue as float32. For an entry whose target is class indices
 * (kind 'index'), a yTrue shaped like the prediction is taken as one-hot and turned into indices
 * (argmax over the class axis: the `axis` option of Keras-layout entries, else axis 1 of (N, C, ...))
 * unless the entry's target is itself shaped like the input (multilabelMargin),
 * since model.fit only accepts targets of the output's shape for custom losses; a sparse column
 * (N, 1) against (N, C) is squeezed. crossEntropy, whose target may be indices or probabilities,
 * takes a one-hot yTrue as probabilities (the same values unless class weights are set).
 */
function kerasTarget(
  meta: EntryMeta,
  spec: InputSpec,
  options: TfOptions | null | undefined,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
): tf.Tensor {
  if (spec.kind !== 'index') {
    if (
      spec.role === 'classIndices' &&
      yTrue.rank === yPred.rank &&
      yTrue.rank > 1 &&
      yTrue.shape[yTrue.rank - 1] === 1 &&
      yPred.shape[yPred.rank - 1] !== 1
    )
      return tf.squeeze(yTrue, [yTrue.rank - 1]);
    return yTrue;
  }
  // Index targets of the prediction's own shape (multilabelMargin's padded lists) stay as they are.
  const ownShape = /same as input/.test(spec.shape);
  if (!ownShape && yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i])) {
    const given = options && Object.hasOwn(options, 'axis') ? options.axis : undefined;
    const spec0 = (meta.options as Readonly<Record<string, OptionSpec>>).axis;
    const axis =
      spec0 !== undefined ? ((given ?? spec0.default) as number) : yPred.rank === 1 ? 0 : 1;
    return tf.argMax(yTrue, axis < 0 ? axis + yPred.rank : axis);
  }
  if (
    yTrue.rank === yPred.rank &&
    yTrue.rank > 1 &&
    yTrue.shape[yTrue.rank - 1] === 1 &&
    yPred.shape[yPred.rank - 1] !== 1
  )
    return tf.squeeze(yTrue, [yTrue.rank - 1]);
  return yTrue;
}

/** A Keras loss function: `model.compile({ optimizer, loss: kerasLoss('sigmoidFocal', { gamma: 2 }) })`. */
export function kerasLoss(
  id: string,
  options?: TfOptions | null,
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  const meta = getEntry(id).meta;
  if (meta.kind !== 'loss') {
    throw new LossError(
      'E_INPUT',
      `${meta.id}: kerasLoss needs a loss; ${meta.id} is a metric (use kerasMetric).`,
      { loss: meta.id, argument: 'id', expected: 'a loss id', received: meta.id },
    );
  }
  const [pred, target] = predictionTarget(meta, 'kerasLoss');
  if (!pred.differentiable) {
    throw new LossError(
      'E_INPUT',
      `${meta.id}: its first input '${pred.name}' is not differentiable.`,
      {
        loss: meta.id,
        argument: 'id',
      },
    );
  }
  const reduction = options?.reduction;
  if (reduction === 'none') {
    throw new LossError(
      'E_OPTION',
      `${meta.id}: option 'reduction' must be a reducing value for kerasLoss (Keras averages a loss tensor itself). Received: reduction='none'.`,
      { loss: meta.id, argument: 'reduction', received: "'none'" },
    );
  }
  resolveOptions(meta.id, meta.options, plainOptions(options)); // fail at compile time, not at fit
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar =>
    evaluateTf(
      meta.id,
      { [pred.name]: yPred, [target.name]: kerasTarget(meta, target, options, yTrue, yPred) },
      options,
    ) as tf.Scalar;
  Object.defineProperty(fn, 'name', { value: meta.id });
  return fn;
}

/**
 * A Keras metric: `model.compile({ metrics: [kerasMetric('f1Score', { task: 'binary' })] })`. Works
 * for metrics and for losses (reported, not differentiated). Keras averages it over the batches of
 * an epoch, which for ratio metrics (precision, F1) is not the epoch's ratio.
 */
export function kerasMetric(
  id: string,
  options?: TfOptions | null,
): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  const meta = getEntry(id).meta;
  const [pred, target] = predictionTarget(meta, 'kerasMetric');
  resolveOptions(meta.id, meta.options, plainOptions(options));
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar =>
    tf.tidy(() => {
      const v = evaluateTf(
        meta.id,
        { [pred.name]: yPred, [target.name]: kerasTarget(meta, target, options, yTrue, yPred) },
        options,
      );
      return (v.rank === 0 ? v : tf.mean(v)) as tf.Scalar;
    });
  Object.defineProperty(fn, 'name', { value: meta.id });
  return fn;
}
