/**
 * Option specs and validation. Every loss declares its options as data (type, default, domain, doc);
 * `resolveOptions` rejects unknown keys (with a did-you-mean), wrong types and out-of-domain values, and
 * fills defaults. The same specs feed the docs, the CLI and the explorer.
 */
import { closest, describe, fail } from './errors.js';
import type { TensorLike } from './tensor.js';
import { asFloat64, toTensor } from './tensor.js';

export interface NumberOptionSpec {
  type: 'number';
  default: number | null;
  doc: string;
  /** null is accepted (and is the default when default is null). */
  nullable?: boolean;
  integer?: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** Allow ±Infinity (finite numbers only otherwise). */
  allowInfinite?: boolean;
  /** Allow NaN (e.g. scikit-learn's zero_division=np.nan). */
  allowNaN?: boolean;
}

export interface BooleanOptionSpec {
  type: 'boolean';
  default: boolean;
  doc: string;
}

export interface EnumOptionSpec<V extends string = string> {
  type: 'enum';
  values: readonly V[];
  default: V | null;
  doc: string;
  nullable?: boolean;
}

/** A float tensor option such as a class weight; always nullable, default null. */
export interface TensorOptionSpec {
  type: 'tensor';
  default: null;
  doc: string;
  /** Also accept a plain number (applied to every element / class). */
  allowNumber?: boolean;
}

/** A list of integers (class ids) or one of a few keywords. */
export interface IntListOptionSpec<V extends string = string> {
  type: 'intList';
  default: V | null;
  keywords?: readonly V[];
  doc: string;
}

export type OptionSpec =
  NumberOptionSpec | BooleanOptionSpec | EnumOptionSpec | TensorOptionSpec | IntListOptionSpec;

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value of a number, boolean or enum spec: the same before and after validation. */
type ScalarOptionValue<S> = S extends NumberOptionSpec
  ? S extends { nullable: true }
    ? number | null
    : S['default'] extends null
      ? number | null
      : number
  : S extends BooleanOptionSpec
    ? boolean
    : S extends EnumOptionSpec<infer V>
      ? S['default'] extends null
        ? V | null
        : V
      : never;

/** The value a user may pass for one spec. */
export type OptionInput<S> = S extends TensorOptionSpec
  ? S extends { allowNumber: true }
    ? TensorLike | number | null
    : TensorLike | null
  : S extends IntListOptionSpec<infer V>
    ? readonly number[] | V | null
    : ScalarOptionValue<S>;

/** The value a kernel sees after validation. */
export type OptionValue<S> = S extends TensorOptionSpec
  ? ResolvedTensorOption | null
  : S extends IntListOptionSpec<infer V>
    ? Int32Array | V | null
    : ScalarOptionValue<S>;

/** A validated tensor option: the float data and its shape (a plain number has shape []). */
export interface ResolvedTensorOption {
  data: Float64Array;
  shape: number[];
}

export type OptionsInput<S extends OptionSpecs> = { [K in keyof S]?: OptionInput<S[K]> };
export type ResolvedOptions<S extends OptionSpecs> = { [K in keyof S]: OptionValue<S[K]> };

/** Human description of a spec's domain, used in messages and generated docs. */
export function describeDomain(spec: OptionSpec): string {
  switch (spec.type) {
    case 'number': {
      const parts: string[] = [];
      parts.push(
        spec.integer
          ? 'an integer'
          : spec.allowInfinite
            ? spec.allowNaN
              ? 'any number (NaN and ±Infinity included)'
              : 'a number'
            : 'a finite number',
      );
      const lo =
        spec.min === undefined ? '' : `${spec.exclusiveMin ? '>' : '>='} ${String(spec.min)}`;
      const hi =
        spec.max === undefined ? '' : `${spec.exclusiveMax ? '<' : '<='} ${String(spec.max)}`;
      const range = [lo, hi].filter((x) => x !== '').join(' and ');
      let text = range ? `${parts[0]} ${range}` : parts[0];
      if (spec.nullable || spec.default === null) text += ' or null';
      return text;
    }
    case 'boolean':
      return 'true or false';
    case 'enum': {
      const list = spec.values.map((v) => `'${v}'`).join(', ');
      return spec.nullable || spec.default === null ? `one of ${list} or null` : `one of ${list}`;
    }
    case 'tensor':
      return spec.allowNumber ? 'a number, a float tensor or null' : 'a float tensor or null';
    case 'intList': {
      const kws = (spec.keywords ?? []).map((v) => `'${v}'`);
      return ['an array of integers', ...kws, 'null'].join(', ');
    }
  }
}

function optionFail(loss: string, key: string, spec: OptionSpec, value: unknown): never {
  return fail(
    'E_OPTION',
    loss,
    `option '${key}'`,
    describeDomain(spec),
    `${key}=${describe(value)}`,
  );
}

function resolveOne(loss: string, key: string, spec: OptionSpec, value: unknown): unknown {
  if (value === undefined) return spec.type === 'tensor' ? null : spec.default;
  switch (spec.type) {
    case 'number': {
      if (value === null) {
        if (spec.nullable || spec.default === null) return null;
        return optionFail(loss, key, spec, value);
      }
      if (typeof value !== 'number') return optionFail(loss, key, spec, value);
      if (Number.isNaN(value)) return spec.allowNaN ? value : optionFail(loss, key, spec, value);
      if (!spec.allowInfinite && !Number.isFinite(value)) return optionFail(loss, key, spec, value);
      if (spec.integer && !Number.isInteger(value)) return optionFail(loss, key, spec, value);
      if (spec.min !== undefined && (spec.exclusiveMin ? value <= spec.min : value < spec.min))
        return optionFail(loss, key, spec, value);
      if (spec.max !== undefined && (spec.exclusiveMax ? value >= spec.max : value > spec.max))
        return optionFail(loss, key, spec, value);
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return optionFail(loss, key, spec, value);
      return value;
    case 'enum':
      if (value === null && (spec.nullable || spec.default === null)) return null;
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        const hint = typeof value === 'string' ? closest(value, spec.values) : undefined;
        return fail(
          'E_OPTION',
          loss,
          `option '${key}'`,
          describeDomain(spec),
          `${key}=${describe(value)}`,
          hint ? `Did you mean '${hint}'?` : undefined,
        );
      }
      return value;
    case 'tensor': {
      if (value === null) return null;
      if (typeof value === 'number') {
        if (!spec.allowNumber) return optionFail(loss, key, spec, value);
        return { data: new Float64Array([value]), shape: [] } satisfies ResolvedTensorOption;
      }
      if (typeof value === 'boolean' || typeof value === 'string')
        return optionFail(loss, key, spec, value);
      const t = toTensor(value, loss, key);
      return { data: asFloat64(t), shape: t.shape } satisfies ResolvedTensorOption;
    }
    case 'intList': {
      if (value === null) return null;
      if (typeof value === 'string') {
        if (spec.keywords?.includes(value)) return value;
        return optionFail(loss, key, spec, value);
      }
      const arr: unknown = ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value;
      if (!Array.isArray(arr)) return optionFail(loss, key, spec, value);
      const out = new Int32Array(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const v: unknown = arr[i];
        if (typeof v !== 'number' || !Number.isInteger(v))
          return optionFail(loss, key, spec, value);
        out[i] = v;
      }
      return out;
    }
  }
}

/**
 * Validates user options against specs and fills defaults. Unknown keys are errors (catches typos such
 * as `{ detla: 1 }`), with the closest known name as a hint.
 */
export function resolveOptions<S extends OptionSpecs>(
  loss: string,
  specs: S,
  options: unknown,
  reserved: readonly string[] = [],
): ResolvedOptions<S> {
  let given: Map<string, unknown>;
  if (options === undefined || options === null) given = new Map();
  else if (options instanceof Map) {
    given = new Map();
    for (const [k, v] of options as Map<unknown, unknown>) {
      if (typeof k !== 'string')
        fail('E_OPTION', loss, 'options', 'a Map with string keys', `a key ${describe(k)}`);
      given.set(k, v);
    }
  } else if (typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    return fail('E_OPTION', loss, 'options', 'a plain object of named options', describe(options));
  } else {
    // Own enumerable keys only: 'constructor', 'toString' or a JSON '__proto__' key is a name like
    // any other, never something inherited from Object.prototype.
    given = new Map(Object.entries(options as Record<string, unknown>));
  }
  for (const key of given.keys()) {
    if (!Object.hasOwn(specs, key) && !reserved.includes(key)) {
      const names = Object.keys(specs);
      const hint = closest(key, names);
      const known = names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
      fail(
        'E_OPTION',
        loss,
        `option '${key}'`,
        `one of the known options (${known})`,
        `unknown option '${key}'`,
        hint ? `Did you mean '${hint}'?` : undefined,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(specs))
    out[key] = resolveOne(loss, key, specs[key], given.get(key));
  return out as ResolvedOptions<S>;
}
