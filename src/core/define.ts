/**
 * defineLoss / defineMetric: the single place that converts inputs, validates options, allocates
 * outputs, reduces and names things. Kernels only compute, reading Float32Array and Float64Array data
 * as they are (float64 arithmetic), and writing outputs and gradients in their input's dtype.
 */
import { describe, fail, LossError } from './errors.js';
import type { EnumOptionSpec, OptionSpecs, OptionsInput, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { Reduction } from './reduce.js';
import { divisorFor, reduceSum, unitScale } from './reduce.js';
import type { FloatArray, I32Tensor, NestedArray, Tensor, TensorLike } from './tensor.js';
import {
  allocFloat,
  asFloat,
  asIndices,
  formatShape,
  isTensorLike,
  numel,
  shapeEquals,
  toTensor,
} from './tensor.js';

/** The task families of the catalog, in catalog order. */
export const TASKS = [
  'regression',
  'classification',
  'segmentation',
  'boxes',
  'ranking',
  'generative',
  'sequence',
  'graph',
  'metrics',
] as const;

export type Task = (typeof TASKS)[number];

/** How the wrapper converts an input before the kernel sees it. */
export type InputKind = 'float' | 'index' | 'raw';

export interface InputSpec {
  readonly name: string;
  /** logits, probabilities, logProbabilities, values, targets, classIndices, ... */
  readonly role: string;
  /** Shape pattern, e.g. '(N, C, d1, ...)'. */
  readonly shape: string;
  readonly differentiable: boolean;
  readonly kind: InputKind;
  readonly optional?: boolean;
  readonly doc: string;
}

export interface Reference {
  readonly title: string;
  readonly url?: string;
  /** The implementation whose semantics this entry matches, e.g. 'torch.nn.functional.huber_loss'. */
  readonly implementation?: string;
}

export interface Example {
  readonly title: string;
  readonly inputs: Readonly<Record<string, NestedArray>>;
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface EntryMeta<
  In extends readonly InputSpec[] = readonly InputSpec[],
  S extends OptionSpecs = OptionSpecs,
> {
  readonly id: string;
  readonly kind: 'loss' | 'metric';
  readonly task: Task;
  readonly title: string;
  readonly summary: string;
  /** LaTeX. */
  readonly formula: string;
  readonly inputs: In;
  /** Option specs, including `reduction` when the entry has one. */
  readonly options: S;
  /** Allowed reductions; empty for scalar entries (no reduction option). */
  readonly reductions: readonly Reduction[];
  readonly defaultReduction: Reduction | null;
  readonly references: readonly Reference[];
  readonly examples: readonly Example[];
  readonly aliases?: readonly string[];
  /**
   * Which problem this entry solves and when to pick it over its neighbours (from the seeds and the
   * papers it cites): the answer to "which loss, and why". One or a few sentences.
   */
  readonly whenToUse: string;
  /** What to watch for: failure modes, sensitivities, reference disagreements a user trips over. */
  readonly caveats: readonly string[];
  /** Semantics worth knowing: reference quirks, decisions, differences. */
  readonly notes?: readonly string[];
}

/** What a user writes for a loss definition (reduction spec is added from `reductions`). */
export type MetaInput<In extends readonly InputSpec[], S extends OptionSpecs> = Omit<
  EntryMeta<In, S>,
  'kind' | 'options' | 'defaultReduction'
> & {
  readonly options: S;
  readonly defaultReduction?: Reduction;
};

type KernelTensor<I extends InputSpec> = I['kind'] extends 'float'
  ? Tensor<FloatArray>
  : I['kind'] extends 'index'
    ? I32Tensor
    : Tensor;

export type KernelInputs<In extends readonly InputSpec[]> = {
  [I in In[number] as I['name']]: I['optional'] extends true
    ? KernelTensor<I> | undefined
    : KernelTensor<I>;
};

type DiffNames<In extends readonly InputSpec[]> = Extract<
  In[number],
  { differentiable: true }
>['name'];

/** Gradient buffers by input name, each in its input's float dtype (or the caller's `into` buffer). */
export type GradBuffers<In extends readonly InputSpec[]> = { [K in DiffNames<In>]: FloatArray };

type ReductionSpec = { reduction: EnumOptionSpec<Reduction> };
export type WithReduction<S extends OptionSpecs> = S & ReductionSpec;

/** What `prepare` hands to the kernels. */
export interface Plan {
  /** Number of per-unit losses (the element count of the 'none' output). */
  size: number;
  /** Shape of the 'none' output ([] for scalar entries). */
  outShape: number[];
  /** Divisors of dividing reductions when they are not the unit count (e.g. Σ w[y] for CE). */
  divisors?: Partial<Record<Reduction, number>>;
}

export interface LossDefinition<
  In extends readonly InputSpec[],
  S extends OptionSpecs,
  P extends Plan,
> {
  meta: MetaInput<In, S>;
  /**
   * Validates shapes, ranges and option combinations and precomputes what the kernel needs: the
   * intermediates value and gradient share (layouts, sort orders, lattices, pairwise matrices) live
   * in the plan. It may allocate; the kernel should not.
   */
  prepare(inputs: KernelInputs<In>, options: ResolvedOptions<WithReduction<S>>, id: string): P;
  /**
   * The entry's one kernel: a single pass that computes every unit's loss, writes it into `out`
   * (when not null: the 'none' output, in the first input's dtype) and returns their sum (scalar
   * entries return the value itself). When `grads` is not null it also writes, in the same pass,
   * d(Σ_k c_k·loss_k)/d(input) for every differentiable input, where c_k = seed[k]·scale, or scale
   * when `seed` is null. Arithmetic and accumulation are float64 whatever the buffers' dtype; a value
   * stored in a float32 buffer is rounded once, so a kernel never reads back what it wrote there.
   */
  kernel(
    plan: P,
    out: FloatArray | null,
    grads: GradBuffers<In> | null,
    seed: FloatArray | null,
    scale: number,
  ): number;
  /**
   * True when the kernel assigns every element of every gradient buffer. Then a caller's `into`
   * buffers are handed over as they are; otherwise they are zeroed first (fresh buffers always are).
   */
  writesEveryGrad?: boolean;
}

export type TensorArgs<In extends readonly InputSpec[]> = {
  [K in keyof In]: In[K] extends { optional: true } ? TensorLike | undefined : TensorLike;
};

export type LossValue = number | Tensor<FloatArray>;

/** The value type for given options: a number unless `reduction` may be 'none'. */
export type ValueFor<O> = O extends { reduction: infer R }
  ? [R] extends ['none']
    ? Tensor<FloatArray>
    : 'none' extends R
      ? LossValue
      : number
  : number;

export interface EvalResult {
  value: LossValue;
  grads?: Record<string, Tensor<FloatArray>>;
}

export interface EvalExtras {
  /** Upstream gradient: a tensor shaped like the 'none' output, or a number scaling a reduced loss. */
  upstream?: TensorLike;
  /**
   * Caller-owned gradient buffers by input name: a Float32Array or Float64Array of the input's
   * element count (usually of the input's dtype), sharing no memory with any input. They are filled
   * instead of allocating new ones, so a training loop that reuses them allocates no gradient memory
   * per step. The returned gradients are views of exactly these buffers.
   */
  into?: Readonly<Record<string, FloatArray>>;
}

/** Everything the registry needs from an entry. */
export interface RegistryEntry {
  readonly meta: EntryMeta;
  /** Inputs by name, as `evaluate` takes them. */
  evaluateNamed(
    inputs: Readonly<Record<string, unknown>>,
    options: unknown,
    grad: boolean,
    extras?: EvalExtras,
  ): EvalResult;
}

export interface LossFunction<
  In extends readonly InputSpec[],
  S extends OptionSpecs,
  P extends Plan,
> extends RegistryEntry {
  <O extends OptionsInput<WithReduction<S>> = Record<never, never>>(
    ...args: [...TensorArgs<In>, O?]
  ): ValueFor<O>;
  readonly meta: EntryMeta<In, WithReduction<S>>;
  readonly id: string;
  valueAndGrad<O extends OptionsInput<WithReduction<S>> = Record<never, never>>(
    ...args: [...TensorArgs<In>, O?, EvalExtras?]
  ): {
    value: ValueFor<O>;
    grads: { [K in DiffNames<In>]: Tensor<FloatArray> };
  };
  readonly kernels: {
    prepare: LossDefinition<In, S, P>['prepare'];
    kernel: LossDefinition<In, S, P>['kernel'];
    writesEveryGrad: boolean;
  };
}

function buildMeta<In extends readonly InputSpec[], S extends OptionSpecs>(
  kind: 'loss' | 'metric',
  m: MetaInput<In, S>,
): EntryMeta<In, WithReduction<S>> {
  const options: Record<string, unknown> = { ...m.options };
  let defaultReduction: Reduction | null = null;
  if (m.reductions.length > 0) {
    defaultReduction =
      m.defaultReduction ?? (m.reductions.includes('mean') ? 'mean' : m.reductions[0]);
    options.reduction = {
      type: 'enum',
      values: m.reductions,
      default: defaultReduction,
      doc: 'How per-unit losses are combined.',
    } satisfies EnumOptionSpec<Reduction>;
  }
  return Object.freeze({
    ...m,
    kind,
    options: Object.freeze(options) as unknown as WithReduction<S>,
    defaultReduction,
  });
}

/** Options keys that are not options of any entry (the upstream gradient may travel there). */
const RESERVED_OPTION_KEYS = ['upstream'] as const;

/** Splits positional arguments into inputs, options and extras. */
function splitArgs(
  meta: EntryMeta,
  args: readonly unknown[],
): { inputs: Record<string, unknown>; options: unknown; extras: unknown } {
  const inputs: Record<string, unknown> = {};
  let i = 0;
  for (const spec of meta.inputs) {
    const a = args[i];
    if (spec.optional && (a === undefined ? i >= args.length : !isTensorLike(a))) {
      if (a === undefined && i < args.length) i++;
      continue;
    }
    inputs[spec.name] = a;
    i++;
  }
  return { inputs, options: args[i], extras: args[i + 1] };
}

function convertInputs(
  meta: EntryMeta,
  raw: Readonly<Record<string, unknown>>,
): { kernel: Record<string, Tensor | undefined>; original: Record<string, Tensor | undefined> } {
  for (const key of Object.keys(raw)) {
    if (!meta.inputs.some((s) => s.name === key) && key !== 'upstream') {
      // Object.keys lists own keys only, so 'constructor' or '__proto__' land here like any name.
      const names = meta.inputs.map((s) => `'${s.name}'`).join(', ');
      throw new LossError(
        'E_INPUT',
        `${meta.id}: unknown input '${key}'. Expected inputs: ${names}.`,
        { loss: meta.id, argument: key, expected: names, received: key },
      );
    }
  }
  const kernel: Record<string, Tensor | undefined> = {};
  const original: Record<string, Tensor | undefined> = {};
  for (const spec of meta.inputs) {
    const value = Object.hasOwn(raw, spec.name) ? raw[spec.name] : undefined;
    if (value === undefined || value === null) {
      if (spec.optional) {
        kernel[spec.name] = undefined;
        original[spec.name] = undefined;
        continue;
      }
      throw new LossError(
        'E_INPUT',
        `${meta.id}: input '${spec.name}' is required (${spec.role}, shape ${spec.shape}). Received: ${describe(value)}.`,
        {
          loss: meta.id,
          argument: spec.name,
          expected: `${spec.role} ${spec.shape}`,
          received: describe(value),
        },
      );
    }
    const t = toTensor(value, meta.id, spec.name);
    original[spec.name] = t;
    if (spec.kind === 'float') kernel[spec.name] = { data: asFloat(t), shape: t.shape };
    else if (spec.kind === 'index')
      kernel[spec.name] = { data: asIndices(t, meta.id, spec.name), shape: t.shape };
    else kernel[spec.name] = t;
  }
  return { kernel, original };
}

function resolveUpstream(
  id: string,
  upstream: unknown,
  reduction: Reduction,
  outShape: number[],
): { seed: FloatArray | null; scalar: number } {
  if (upstream === undefined || upstream === null) return { seed: null, scalar: 1 };
  const t = toTensor(upstream, id, 'upstream');
  const n = t.data.length;
  if (reduction === 'none' && shapeEquals(t.shape, outShape)) {
    return { seed: asFloat(t), scalar: 1 };
  }
  if (
    n === 1 &&
    t.shape.length <= 1 &&
    (reduction !== 'none' || numel(outShape) === 1 || t.shape.length === 0)
  ) {
    return { seed: null, scalar: t.data[0] };
  }
  return fail(
    'E_SHAPE',
    id,
    "'upstream'",
    reduction === 'none'
      ? `a tensor of the output's shape ${formatShape(outShape)} or a number`
      : 'a number (the loss is reduced to a scalar)',
    `shape ${formatShape(t.shape)}`,
  );
}

/** True when two views share bytes (views of one buffer at disjoint ranges do not). */
function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/**
 * Gradient buffers: the caller's `into` arrays where given (validated; zeroed unless the kernel
 * writes every element), else new ones in the dtype of their input.
 */
function gradBuffers(
  id: string,
  diffSpecs: readonly InputSpec[],
  kernel: Record<string, Tensor | undefined>,
  original: Record<string, Tensor | undefined>,
  into: unknown,
  zero: boolean,
): Record<string, FloatArray> {
  const buffers: Record<string, FloatArray> = {};
  if (into !== undefined && (into === null || typeof into !== 'object' || Array.isArray(into))) {
    fail(
      'E_INPUT',
      id,
      "'into'",
      'an object of Float32Array / Float64Array gradient buffers by input name',
      describe(into),
    );
  }
  const intoObj = (into ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(intoObj)) {
    if (!diffSpecs.some((s) => s.name === key)) {
      fail(
        'E_INPUT',
        id,
        `'into.${key}'`,
        `a differentiable input name (${diffSpecs.map((s) => `'${s.name}'`).join(', ')})`,
        `'${key}'`,
      );
    }
  }
  for (const s of diffSpecs) {
    const n = kernel[s.name]?.data.length ?? 0;
    const buf = Object.hasOwn(intoObj, s.name) ? intoObj[s.name] : undefined;
    if (buf === undefined) {
      buffers[s.name] = allocFloat(n, original[s.name]?.data);
      continue;
    }
    if (!(buf instanceof Float64Array || buf instanceof Float32Array) || buf.length !== n) {
      fail(
        'E_TYPE',
        id,
        `'into.${s.name}'`,
        `a Float32Array or Float64Array of length ${n}`,
        describe(buf),
      );
    }
    for (const t of Object.values(kernel)) {
      if (t !== undefined && overlaps(t.data, buf)) {
        fail(
          'E_INPUT',
          id,
          `'into.${s.name}'`,
          'a buffer that shares no memory with any input',
          `a view overlapping an input's memory`,
        );
      }
    }
    if (zero) buf.fill(0);
    buffers[s.name] = buf;
  }
  return buffers;
}

/** The upstream gradient, from the extras, the options object or the inputs (own keys only). */
function findUpstream(
  rawInputs: object,
  rawOptions: unknown,
  extras: EvalExtras | undefined,
): unknown {
  if (extras?.upstream !== undefined) return extras.upstream;
  if (
    rawOptions !== null &&
    typeof rawOptions === 'object' &&
    Object.hasOwn(rawOptions, 'upstream')
  )
    return (rawOptions as { upstream?: unknown }).upstream;
  if (Object.hasOwn(rawInputs, 'upstream')) return (rawInputs as { upstream?: unknown }).upstream;
  return undefined;
}

/** Creates a loss: typed function + valueAndGrad + meta + kernels, all from one definition. */
export function defineLoss<
  const In extends readonly InputSpec[],
  const S extends OptionSpecs,
  P extends Plan,
>(def: LossDefinition<In, S, P>): LossFunction<In, S, P> {
  const meta = buildMeta('loss', def.meta);
  const id = meta.id;
  const scalar = meta.reductions.length === 0;
  const diffSpecs = meta.inputs.filter((s) => s.differentiable);

  function run(
    rawInputs: Readonly<Record<string, unknown>>,
    rawOptions: unknown,
    grad: boolean,
    extras: EvalExtras | undefined,
  ): EvalResult {
    const up = findUpstream(rawInputs, rawOptions, extras);
    const options = resolveOptions(id, meta.options, rawOptions, RESERVED_OPTION_KEYS);
    const { kernel, original } = convertInputs(meta, rawInputs);
    const reduction: Reduction = scalar
      ? 'sum'
      : (options as unknown as { reduction: Reduction }).reduction;
    const plan = def.prepare(
      kernel as unknown as KernelInputs<In>,
      options as unknown as ResolvedOptions<WithReduction<S>>,
      id,
    );
    const divisor = scalar ? 1 : divisorFor(reduction, plan.size, plan.divisors);
    const out =
      reduction === 'none' ? allocFloat(plan.size, original[meta.inputs[0].name]?.data) : null;
    const finish = (sum: number): LossValue =>
      out !== null
        ? { data: out, shape: plan.outShape.slice() }
        : scalar
          ? sum
          : reduceSum(sum, divisor);
    if (!grad) return { value: finish(def.kernel(plan, out, null, null, 1)) };

    const { seed, scalar: upScale } = resolveUpstream(id, up, reduction, plan.outShape);
    const scale = reduction === 'none' ? upScale : unitScale(divisor, upScale);
    const active = plan.size > 0 && scale !== 0;
    const buffers = gradBuffers(
      id,
      diffSpecs,
      kernel,
      original,
      extras?.into,
      !(active && def.writesEveryGrad === true),
    );
    const sum = active
      ? def.kernel(plan, out, buffers as GradBuffers<In>, seed, scale)
      : def.kernel(plan, out, null, null, 1);
    const grads: Record<string, Tensor<FloatArray>> = {};
    for (const s of diffSpecs) {
      const t = original[s.name];
      if (!t) continue;
      grads[s.name] = { data: buffers[s.name], shape: t.shape.slice() };
    }
    return { value: finish(sum), grads };
  }

  const fn = ((...args: unknown[]) => {
    const { inputs, options } = splitArgs(meta, args);
    return run(inputs, options, false, undefined).value;
  }) as unknown as LossFunction<In, S, P>;

  Object.defineProperties(fn, {
    name: { value: id },
    id: { value: id, enumerable: true },
    meta: { value: meta, enumerable: true },
    kernels: {
      value: Object.freeze({
        prepare: def.prepare,
        kernel: def.kernel,
        writesEveryGrad: def.writesEveryGrad === true,
      }),
      enumerable: true,
    },
    valueAndGrad: {
      value: (...args: unknown[]) => {
        const { inputs, options, extras } = splitArgs(meta, args);
        return run(inputs, options, true, extras as EvalExtras | undefined);
      },
      enumerable: true,
    },
    evaluateNamed: { value: run },
  });
  return fn;
}

// ---------------------------------------------------------------------------------------------------
// Metrics

export type MetricValue = number | Tensor<Float64Array>;

export interface MetricDefinition<In extends readonly InputSpec[], S extends OptionSpecs> {
  meta: Omit<MetaInput<In, S>, 'reductions'> & { readonly reductions?: readonly Reduction[] };
  /** Validates and computes. Metrics have no gradient. */
  compute(inputs: KernelInputs<In>, options: ResolvedOptions<S>, id: string): MetricValue;
}

export interface MetricFunction<
  In extends readonly InputSpec[],
  S extends OptionSpecs,
> extends RegistryEntry {
  (...args: [...TensorArgs<In>, OptionsInput<S>?]): MetricValue;
  readonly meta: EntryMeta<In, S>;
  readonly id: string;
}

/** Creates a metric: typed function + meta. `evaluate(..., { grad: true })` gives empty grads. */
export function defineMetric<const In extends readonly InputSpec[], const S extends OptionSpecs>(
  def: MetricDefinition<In, S>,
): MetricFunction<In, S> {
  const meta = buildMeta('metric', { ...def.meta, reductions: def.meta.reductions ?? [] });
  const id = meta.id;

  function run(
    rawInputs: Readonly<Record<string, unknown>>,
    rawOptions: unknown,
    grad: boolean,
  ): EvalResult {
    const options = resolveOptions(id, meta.options, rawOptions, RESERVED_OPTION_KEYS);
    const { kernel } = convertInputs(meta, rawInputs);
    const value = def.compute(
      kernel as unknown as KernelInputs<In>,
      options as unknown as ResolvedOptions<S>,
      id,
    );
    return grad ? { value, grads: {} } : { value };
  }

  const fn = ((...args: unknown[]) => {
    const { inputs, options } = splitArgs(meta, args);
    return run(inputs, options, false).value;
  }) as unknown as MetricFunction<In, S>;
  Object.defineProperties(fn, {
    name: { value: id },
    id: { value: id, enumerable: true },
    meta: { value: meta, enumerable: true },
    evaluateNamed: { value: run },
  });
  return fn;
}
