/**
 * defineLoss / defineMetric: the single place that converts inputs, validates options, allocates
 * outputs, reduces and names things. Kernels only compute, on Float64Array/Int32Array data.
 */
import { describe, fail, LossError } from './errors.js';
import type { EnumOptionSpec, OptionSpecs, OptionsInput, ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import type { Reduction } from './reduce.js';
import { divisorFor, reduceSum, unitScale } from './reduce.js';
import type {
  DataArray,
  F64Tensor,
  FloatArray,
  I32Tensor,
  NestedArray,
  Tensor,
  TensorLike,
} from './tensor.js';
import {
  asFloat64,
  asIndices,
  formatShape,
  isTensorLike,
  makeFloatTensor,
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
  ? F64Tensor
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

export type GradBuffers<In extends readonly InputSpec[]> = { [K in DiffNames<In>]: Float64Array };

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
  /** Validates shapes, ranges and option combinations; precomputes what the kernels need. */
  prepare(inputs: KernelInputs<In>, options: ResolvedOptions<WithReduction<S>>, id: string): P;
  /**
   * Writes each unit's loss into `out` (when given) and returns their compensated sum. For scalar
   * entries (no reductions) it returns the value itself.
   */
  forward(plan: P, out: Float64Array | null): number;
  /**
   * Writes d(Σ_k c_k·loss_k)/d(input) into the (zeroed) grad buffers, where c_k = seed[k]·scale, or
   * scale when seed is null.
   */
  backward(plan: P, seed: Float64Array | null, scale: number, grads: GradBuffers<In>): void;
  /**
   * Optional single pass doing both: writes `out` like forward, writes the gradient like backward with
   * the same (seed, scale), and returns forward's sum. valueAndGrad uses it when present, so the
   * transcendental functions of a loss are evaluated once per element instead of twice.
   */
  fused?(
    plan: P,
    out: Float64Array | null,
    seed: Float64Array | null,
    scale: number,
    grads: GradBuffers<In>,
  ): number;
}

export type TensorArgs<In extends readonly InputSpec[]> = {
  [K in keyof In]: In[K] extends { optional: true } ? TensorLike | undefined : TensorLike;
};

export type LossValue = number | Tensor<FloatArray>;

export interface EvalResult {
  value: LossValue;
  grads?: Record<string, Tensor<FloatArray>>;
}

export interface EvalExtras {
  /** Upstream gradient: a tensor shaped like the 'none' output, or a number scaling a reduced loss. */
  upstream?: TensorLike;
  /**
   * Caller-owned Float64Array gradient buffers by input name (each the input's element count, not
   * sharing memory with any input). They are zeroed and filled instead of allocating new ones, so a
   * training loop that reuses them allocates no gradient memory per step.
   */
  into?: Readonly<Record<string, Float64Array>>;
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
  (...args: [...TensorArgs<In>, OptionsInput<WithReduction<S>>?]): LossValue;
  readonly meta: EntryMeta<In, WithReduction<S>>;
  readonly id: string;
  valueAndGrad(...args: [...TensorArgs<In>, OptionsInput<WithReduction<S>>?, EvalExtras?]): {
    value: LossValue;
    grads: { [K in DiffNames<In>]: Tensor<FloatArray> };
  };
  readonly kernels: {
    prepare: LossDefinition<In, S, P>['prepare'];
    forward: LossDefinition<In, S, P>['forward'];
    backward: LossDefinition<In, S, P>['backward'];
    fused: LossDefinition<In, S, P>['fused'];
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
    const value = raw[spec.name];
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
    if (spec.kind === 'float') kernel[spec.name] = { data: asFloat64(t), shape: t.shape };
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
): { seed: Float64Array | null; scalar: number } {
  if (upstream === undefined || upstream === null) return { seed: null, scalar: 1 };
  const t = toTensor(upstream, id, 'upstream');
  const n = t.data.length;
  if (reduction === 'none' && shapeEquals(t.shape, outShape)) {
    return { seed: asFloat64(t), scalar: 1 };
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

/** Zeroed gradient buffers: the caller's `into` arrays where given (validated), else new ones. */
function gradBuffers(
  id: string,
  diffSpecs: readonly InputSpec[],
  kernel: Record<string, Tensor | undefined>,
  into: Readonly<Record<string, Float64Array>> | undefined,
): Record<string, Float64Array> {
  if (into !== undefined && (into === null || typeof into !== 'object')) {
    fail(
      'E_INPUT',
      id,
      "'into'",
      'an object of Float64Array gradient buffers by input name',
      describe(into),
    );
  }
  for (const key of Object.keys(into ?? {})) {
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
  const buffers: Record<string, Float64Array> = {};
  for (const s of diffSpecs) {
    const n = kernel[s.name]?.data.length ?? 0;
    const given = into?.[s.name];
    if (given === undefined) {
      buffers[s.name] = new Float64Array(n);
      continue;
    }
    if (!(given instanceof Float64Array) || given.length !== n) {
      fail('E_TYPE', id, `'into.${s.name}'`, `a Float64Array of length ${n}`, describe(given));
    }
    for (const t of Object.values(kernel)) {
      if (t !== undefined && t.data.buffer === given.buffer) {
        fail(
          'E_INPUT',
          id,
          `'into.${s.name}'`,
          'a buffer that shares no memory with any input',
          `a view of the same ArrayBuffer as an input`,
        );
      }
    }
    given.fill(0);
    buffers[s.name] = given;
  }
  return buffers;
}

function floatLike(t: Tensor | undefined): DataArray | undefined {
  return t?.data;
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
    let up: unknown = extras?.upstream;
    if (
      up === undefined &&
      rawOptions &&
      typeof rawOptions === 'object' &&
      'upstream' in rawOptions
    ) {
      up = (rawOptions as { upstream?: unknown }).upstream;
    }
    if (up === undefined && 'upstream' in rawInputs) up = rawInputs.upstream;
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
    const first = floatLike(original[meta.inputs[0].name]);
    const divisor = scalar ? 1 : divisorFor(reduction, plan.size, plan.divisors);
    const out = reduction === 'none' ? new Float64Array(plan.size) : null;
    const finish = (sum: number): LossValue =>
      out !== null
        ? makeFloatTensor(out, plan.outShape.slice(), first)
        : scalar
          ? sum
          : reduceSum(sum, divisor);
    if (!grad) return { value: finish(def.forward(plan, out)) };

    const { seed, scalar: upScale } = resolveUpstream(id, up, reduction, plan.outShape);
    const scale = reduction === 'none' ? upScale : unitScale(divisor, upScale);
    const buffers = gradBuffers(id, diffSpecs, kernel, extras?.into);
    let sum: number;
    if (plan.size > 0 && scale !== 0) {
      if (def.fused) {
        sum = def.fused(plan, out, seed, scale, buffers as GradBuffers<In>);
      } else {
        sum = def.forward(plan, out);
        def.backward(plan, seed, scale, buffers as GradBuffers<In>);
      }
    } else {
      sum = def.forward(plan, out);
    }
    const grads: Record<string, Tensor<FloatArray>> = {};
    for (const s of diffSpecs) {
      const t = original[s.name];
      if (!t) continue;
      grads[s.name] =
        extras?.into?.[s.name] !== undefined
          ? { data: buffers[s.name], shape: t.shape.slice() }
          : makeFloatTensor(buffers[s.name], t.shape.slice(), t.data);
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
        forward: def.forward,
        backward: def.backward,
        fused: def.fused,
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
