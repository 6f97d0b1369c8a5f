/**
 * Registry-wide property-based probes (fast-check). For every entry of `list()` and every metadata
 * example, inputs and options are mutated the way a hostile or careless user would (shapes, ranks,
 * empty tensors, special values, dtype swaps, BigInt arrays, bad indices, bad options, frozen and
 * sliced views) and each call is checked against the library's guarantees:
 * - it returns a value of the documented form or throws a LossError (never another exception);
 * - it returns within a time bound (no hang);
 * - the same call twice is bit-identical;
 * - inputs and options are never mutated;
 * - the unmutated examples under small perturbations give finite values and gradients.
 * Used by test/fuzz/registry.fuzz.test.ts (fixed seed, CI budget) and test/fuzz/cli.ts
 * (`npm run fuzz -- --runs N`).
 */
import fc from 'fast-check';
import type { EntryMeta, EvalResult } from '../../src/core/define.js';
import { LossError } from '../../src/core/errors.js';
import { evaluate, list } from '../../src/index.js';

type Nested = number | boolean | Nested[];
type Value = unknown;

/** Special numbers a user can feed: non-finite, signed zero, subnormal, huge, tiny, logit extremes. */
export const SPECIALS: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1,
  -1,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1e-300,
  1e300,
  -1e300,
  700,
  -700,
  1.5,
  0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  1e9,
  Number.MAX_VALUE,
];

const PROTO_KEYS = [
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__proto__',
  'isPrototypeOf',
];

/** Options values of every wrong type. */
const BAD_OPTION_VALUES: readonly (() => Value)[] = [
  () => null,
  () => undefined,
  () => 'nonsense',
  () => NaN,
  () => -1,
  () => 0,
  () => 0.5,
  () => 1e300,
  () => -Infinity,
  () => true,
  () => [],
  () => [1, 2, 3],
  () => ({}),
  () => new Map([['a', 1]]),
  () => new Float64Array([1, 2]),
  () => new BigInt64Array([1n, 2n]),
  () => 2 ** 31,
  () => 50257,
];

function flatten(x: Nested, out: number[]): void {
  const stack: Nested[] = [x];
  while (stack.length > 0) {
    const v = stack.pop() as Nested;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else out.push(typeof v === 'boolean' ? Number(v) : v);
  }
}

function shapeOf(x: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = x;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function nest(flat: readonly number[], shape: readonly number[]): Nested {
  if (shape.length === 0) return flat[0];
  let pos = 0;
  const build = (d: number): Nested => {
    const n = shape[d];
    const a: Nested[] = [];
    for (let i = 0; i < n; i++) a.push(d === shape.length - 1 ? flat[pos++] : build(d + 1));
    return a;
  };
  return build(0);
}

/** 20,000 levels of nesting (built once). */
const DEEP: Nested = (() => {
  let v: Nested = [1];
  for (let i = 0; i < 20_000; i++) v = [v];
  return v;
})();

/** A mutation of one input, given its flat values and shape (from the example). */
type InputMutation = (flat: number[], shape: number[], pick: number, c: EntryCase) => Value;

const INPUT_MUTATIONS: Record<string, InputMutation> = {
  special: (flat, shape, pick) => {
    const f = flat.slice();
    if (f.length > 0)
      f[pick % f.length] = SPECIALS[Math.floor(pick / Math.max(1, f.length)) % SPECIALS.length];
    return nest(f, shape);
  },
  allSpecial: (flat, shape, pick) =>
    nest(
      flat.map(() => SPECIALS[pick % SPECIALS.length]),
      shape,
    ),
  empty: () => [],
  emptyRows: (_flat, shape) => ({ data: new Float64Array(0), shape: [0, ...shape.slice(1)] }),
  scalar: (flat) => flat[0] ?? 0,
  extraDim: (flat, shape) => ({ data: Float64Array.from(flat), shape: [...shape, 1] }),
  leadingDim: (flat, shape) => ({ data: Float64Array.from(flat), shape: [1, ...shape] }),
  reversedShape: (flat, shape) => ({ data: Float64Array.from(flat), shape: [...shape].reverse() }),
  flattened: (flat) => flat.slice(),
  dropLast: (flat, shape) =>
    shape.length === 0
      ? []
      : nest(flat.slice(0, flat.length - (flat.length / shape[0] || 0)), [
          Math.max(0, shape[0] - 1),
          ...shape.slice(1),
        ]),
  doubled: (flat, shape) => ({
    data: Float64Array.from([...flat, ...flat]),
    shape: [2 * (shape[0] ?? 1), ...shape.slice(1)],
  }),
  float32: (flat, shape) => ({ data: Float32Array.from(flat), shape }),
  int32: (flat, shape) => ({ data: Int32Array.from(flat.map((v) => Math.round(v) | 0)), shape }),
  uint8: (flat, shape) => ({
    data: Uint8Array.from(flat.map((v) => Math.max(0, Math.round(v)) & 255)),
    shape,
  }),
  bigint: (flat, shape, pick) => ({
    data: BigInt64Array.from(
      flat.map(
        (v) => BigInt(Number.isFinite(v) ? Math.trunc(v) : 0) + (pick % 3 === 0 ? 2n ** 60n : 0n),
      ),
    ),
    shape,
  }),
  biguint: (flat, shape) => ({
    data: BigUint64Array.from(
      flat.map((v) => BigInt(Number.isFinite(v) ? Math.abs(Math.trunc(v)) : 0)),
    ),
    shape,
  }),
  nonInteger: (flat, shape, pick) =>
    nest(
      flat.map((v, i) => (i === pick % Math.max(1, flat.length) ? v + 0.5 : v)),
      shape,
    ),
  outOfRange: (flat, shape, pick) =>
    nest(
      flat.map((v, i) =>
        i === pick % Math.max(1, flat.length) ? [-2, -101, 999, 2 ** 31, 1e20][pick % 5] : v,
      ),
      shape,
    ),
  frozenRecord: (flat, shape) =>
    Object.freeze({ data: Float64Array.from(flat), shape: Object.freeze([...shape]) }),
  sliced: (flat, shape) => {
    const buf = new Float64Array(flat.length + 7).fill(NaN);
    buf.set(flat, 3);
    return { data: buf.subarray(3, 3 + flat.length), shape };
  },
  shared: (flat, shape) => {
    const buf = new Float64Array(new SharedArrayBuffer(8 * flat.length));
    buf.set(flat);
    return { data: buf, shape };
  },
  badShapeEntries: (flat, shape, pick) => ({
    data: Float64Array.from(flat),
    shape: [[-1], [NaN], [1.5], [2 ** 40], ['2']][pick % 5].concat(shape.slice(1)),
  }),
  shapeMismatch: (flat, shape) => ({
    data: Float64Array.from(flat),
    shape: [...shape.slice(0, -1), (shape[shape.length - 1] ?? 0) + 1],
  }),
  ragged: (flat) => [[...flat.slice(0, 1)], [...flat]],
  deep: () => DEEP,
  strings: (flat) => flat.map(() => 'a'),
  copyOther: (_flat, _shape, pick, c) => {
    const others = Object.keys(c.flat);
    const k = others[pick % others.length];
    return nest(c.flat[k], c.shapes[k]);
  },
  nullInput: () => null,
  objectInput: () => ({ foo: 1 }),
  functionInput: () => () => 1,
  missing: () => undefined,
};

const OPTION_MUTATIONS = [
  'unknownKey',
  'protoKey',
  'jsonProto',
  'badValue',
  'optionsNull',
  'optionsNumber',
  'optionsArray',
  'optionsMap',
  'frozenOptions',
] as const;

export interface Probe {
  entry: EntryMeta;
  exampleIndex: number;
  inputs: Record<string, Value>;
  options: Value;
  grad: boolean;
  label: string;
}

/** Below this depth values are compared by identity (the 20,000-deep probe would overflow a recursive clone). */
const CLONE_DEPTH = 200;

function cloneValue(v: Value, depth = 0): Value {
  if (depth > CLONE_DEPTH) return v;
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice();
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, cloneValue(x, depth + 1)]));
  if (Array.isArray(v)) return v.map((x: Value) => cloneValue(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const o: Record<string, Value> = {};
    for (const k of Object.keys(v)) {
      const value = cloneValue((v as Record<string, Value>)[k], depth + 1);
      Object.defineProperty(o, k, { value, enumerable: true, configurable: true, writable: true });
    }
    return o;
  }
  return v;
}

/** Deep equality that distinguishes -0 from 0 and treats NaN as equal to NaN (Object.is per leaf). */
export function sameValue(a: Value, b: Value, depth = 0): boolean {
  if (depth > CLONE_DEPTH) return a === b;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b)) return false;
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length || a.constructor !== b.constructor) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameValue(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka)
      if (
        !Object.hasOwn(b, k) ||
        !sameValue((a as Record<string, Value>)[k], (b as Record<string, Value>)[k], depth + 1)
      )
        return false;
    return true;
  }
  return Object.is(a, b);
}

function resultSignature(r: EvalResult): Value {
  const v = r.value;
  const grads: Record<string, Value> = {};
  for (const k of Object.keys(r.grads ?? {})) {
    const g = (r.grads ?? {})[k];
    grads[k] = { data: g.data.slice(), shape: [...g.shape] };
  }
  return {
    value: typeof v === 'number' ? v : { data: v.data.slice(), shape: [...v.shape] },
    grads,
  };
}

function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks the documented form of a result; returns a problem description or null. */
function checkForm(entry: EntryMeta, options: Value, r: EvalResult): string | null {
  const v = r.value;
  const reduction =
    options instanceof Map
      ? options.get('reduction')
      : options !== null && typeof options === 'object' && Object.hasOwn(options, 'reduction')
        ? (options as Record<string, Value>).reduction
        : undefined;
  if (typeof v === 'number') {
    if (reduction === 'none') return `reduction 'none' gave a number`;
  } else {
    if (
      v === null ||
      typeof v !== 'object' ||
      !ArrayBuffer.isView(v.data) ||
      !Array.isArray(v.shape)
    )
      return 'value is neither a number nor a tensor';
    if (!(v.data instanceof Float32Array || v.data instanceof Float64Array))
      return 'value data is not float';
    if (v.shape.some((d) => !Number.isInteger(d) || d < 0))
      return `value shape ${JSON.stringify(v.shape)} is not a shape`;
    if (numelOf(v.shape) !== v.data.length)
      return `value data length ${v.data.length} differs from shape ${JSON.stringify(v.shape)}`;
    if (
      reduction !== undefined &&
      reduction !== 'none' &&
      entry.reductions.includes(reduction as never)
    )
      return `reduction '${String(reduction)}' gave a tensor`;
  }
  for (const [k, g] of Object.entries(r.grads ?? {})) {
    const spec = entry.inputs.find((s) => s.name === k);
    if (!spec) return `gradient for unknown input '${k}'`;
    if (!spec.differentiable) return `gradient for non-differentiable input '${k}'`;
    if (numelOf(g.shape) !== g.data.length) return `gradient '${k}' length differs from its shape`;
  }
  return null;
}

export interface Finding {
  label: string;
  problem: string;
}

/** Time bound of one call (ms): examples are tiny, so anything slower is a hang. */
export const CALL_TIME_LIMIT_MS = 5_000;

/** Runs one probe and returns a problem description, or null when every guarantee held. */
export function runProbe(p: Probe): string | null {
  const before = { inputs: cloneValue(p.inputs), options: cloneValue(p.options) };
  const call = (): { ok: true; sig: Value; r: EvalResult } | { ok: false; err: unknown } => {
    try {
      const r = evaluate(
        p.entry.id,
        p.inputs as Record<string, unknown>,
        p.options as Record<string, unknown>,
        { grad: p.grad },
      );
      return { ok: true, sig: resultSignature(r), r };
    } catch (err) {
      return { ok: false, err };
    }
  };
  const t0 = performance.now();
  const a = call();
  const dt = performance.now() - t0;
  if (dt > CALL_TIME_LIMIT_MS) return `call took ${dt.toFixed(0)} ms`;
  if (!a.ok) {
    if (!(a.err instanceof LossError)) {
      const e = a.err as Error;
      return `threw ${e?.name ?? typeof e}: ${String(e?.message ?? e).slice(0, 200)}`;
    }
    if (a.err.message.length > 2_000) return `error message of ${a.err.message.length} characters`;
  }
  const b = call();
  if (a.ok !== b.ok) return 'second call differs in success';
  if (a.ok && b.ok) {
    if (!sameValue(a.sig, b.sig)) return 'second call is not bit-identical';
    const problem = checkForm(p.entry, p.options, a.r);
    if (problem) return problem;
  } else if (!a.ok && !b.ok) {
    if ((a.err as LossError).code !== (b.err as LossError).code)
      return 'second call throws a different code';
  }
  if (!sameValue(before.inputs, p.inputs)) return 'inputs were mutated';
  if (!sameValue(before.options, p.options)) return 'options were mutated';
  return null;
}

/** Is every value and gradient finite? */
function allFinite(r: EvalResult): boolean {
  const v = r.value;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return false;
  } else {
    for (const x of v.data) if (!Number.isFinite(x)) return false;
  }
  for (const g of Object.values(r.grads ?? {}))
    for (const x of g.data) if (!Number.isFinite(x)) return false;
  return true;
}

export interface EntryCase {
  entry: EntryMeta;
  exampleIndex: number;
  flat: Record<string, number[]>;
  shapes: Record<string, number[]>;
  options: Record<string, unknown>;
}

export function entryCases(filter?: (id: string) => boolean): EntryCase[] {
  const cases: EntryCase[] = [];
  for (const entry of list()) {
    if (filter && !filter(entry.id)) continue;
    entry.examples.forEach((ex, exampleIndex) => {
      const flat: Record<string, number[]> = {};
      const shapes: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(ex.inputs)) {
        const f: number[] = [];
        flatten(v as Nested, f);
        flat[k] = f;
        shapes[k] = shapeOf(v as Nested);
      }
      cases.push({ entry, exampleIndex, flat, shapes, options: { ...(ex.options ?? {}) } });
    });
  }
  return cases;
}

function exampleInputs(c: EntryCase): Record<string, Value> {
  const ex = c.entry.examples[c.exampleIndex];
  return cloneValue(ex.inputs) as Record<string, Value>;
}

function mutateOptions(c: EntryCase, kind: (typeof OPTION_MUTATIONS)[number], pick: number): Value {
  const base: Record<string, unknown> = { ...c.options };
  const keys = Object.keys(c.entry.options);
  switch (kind) {
    case 'unknownKey':
      return { ...base, [['redution', 'Reduction', 'foo', 'weights'][pick % 4]]: 1 };
    case 'protoKey': {
      const o: Record<string, unknown> = { ...base };
      Object.defineProperty(o, PROTO_KEYS[pick % PROTO_KEYS.length], {
        value: 1,
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return o;
    }
    case 'jsonProto':
      return JSON.parse(
        `{"__proto__": {"reduction": "none"}, "constructor": ${pick % 2}}`,
      ) as unknown;
    case 'badValue': {
      if (keys.length === 0) return { ...base, reduction: 'none' };
      const key = keys[pick % keys.length];
      return {
        ...base,
        [key]: BAD_OPTION_VALUES[Math.floor(pick / keys.length) % BAD_OPTION_VALUES.length](),
      };
    }
    case 'optionsNull':
      return null;
    case 'optionsNumber':
      return [0, 1, NaN][pick % 3];
    case 'optionsArray':
      return [base];
    case 'optionsMap':
      return new Map(Object.entries(base));
    case 'frozenOptions':
      return Object.freeze({ ...base });
  }
}

/** An arbitrary probe for one entry case: one input and/or the options mutated. */
export function probeArbitrary(c: EntryCase): fc.Arbitrary<Probe> {
  const names = c.entry.inputs.map((s) => s.name);
  const mutationNames = Object.keys(INPUT_MUTATIONS);
  return fc
    .record({
      target: fc.constantFrom(...names),
      inputMutation: fc.option(fc.constantFrom(...mutationNames), { nil: undefined, freq: 4 }),
      optionMutation: fc.option(fc.constantFrom(...OPTION_MUTATIONS), { nil: undefined, freq: 2 }),
      reductionNone: fc.boolean(),
      pick: fc.nat({ max: 10_000 }),
      grad: fc.boolean(),
    })
    .map(({ target, inputMutation, optionMutation, reductionNone, pick, grad }) => {
      let inputs = exampleInputs(c);
      if (inputMutation !== undefined) {
        const flat = c.flat[target] ?? [];
        const shape = c.shapes[target] ?? [];
        const v = INPUT_MUTATIONS[inputMutation](flat, shape, pick, c);
        inputs = Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== target));
        if (v !== undefined) inputs[target] = v;
      }
      let options: Value = { ...c.options };
      if (reductionNone && c.entry.reductions.includes('none' as never))
        options = { ...c.options, reduction: 'none' };
      if (optionMutation !== undefined) options = mutateOptions(c, optionMutation, pick);
      const label = `${c.entry.id}#${c.exampleIndex} input=${target}:${inputMutation ?? '-'} options=${optionMutation ?? '-'} pick=${pick} grad=${grad} none=${reductionNone}`;
      return { entry: c.entry, exampleIndex: c.exampleIndex, inputs, options, grad, label };
    });
}

/**
 * In-domain probe: the example's differentiable float inputs scaled by (1 − ε·u), u ∈ [0, 1),
 * ε = 1e-6 (signs and [0, 1] ranges are kept). Returns a problem or null.
 */
export function runFiniteProbe(
  c: EntryCase,
  us: readonly number[],
  reductionNone: boolean,
): string | null {
  const ex = c.entry.examples[c.exampleIndex];
  const inputs = exampleInputs(c);
  let j = 0;
  for (const spec of c.entry.inputs) {
    if (!spec.differentiable || spec.kind !== 'float' || !Object.hasOwn(ex.inputs, spec.name))
      continue;
    const flat = c.flat[spec.name].map((v) => v * (1 - 1e-6 * us[j++ % us.length]));
    inputs[spec.name] = nest(flat, c.shapes[spec.name]);
  }
  const options: Record<string, unknown> = { ...c.options };
  if (reductionNone && c.entry.reductions.includes('none' as never)) options.reduction = 'none';
  let r: EvalResult;
  try {
    r = evaluate(c.entry.id, inputs, options, { grad: c.entry.kind === 'loss' });
  } catch (err) {
    return `in-domain input threw ${(err as Error).name}: ${String((err as Error).message).slice(0, 200)}`;
  }
  if (!allFinite(r)) return 'in-domain input gave a non-finite value or gradient';
  return null;
}
