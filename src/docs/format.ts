/**
 * Rendering helpers shared by the docs generator and the CLI: option defaults, TypeScript literals,
 * tensors as nested arrays. Pure functions of the metadata, so their output is deterministic.
 */
import type { EntryMeta } from '../core/define.js';
import type { OptionSpec } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';

/** A number as JavaScript prints it, keeping -0 visible (NaN and ±Infinity as their names). */
export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** A plain value (number, string, boolean, null, array, object) as a TypeScript literal. */
export function literal(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return literal(Array.from(value as unknown as ArrayLike<number>));
  }
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    const body = entries.map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(', ');
    return `{ ${body} }`;
  }
  return String(value);
}

function propertyKey(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : literal(k);
}

/** The default of an option as a literal (`null`, `'mean'`, `0.25`, `true`). */
export function formatDefault(spec: OptionSpec): string {
  return literal(spec.default);
}

/** The type of an option in words. */
export function optionType(spec: OptionSpec): string {
  switch (spec.type) {
    case 'number':
      return spec.integer ? 'integer' : 'number';
    case 'boolean':
      return 'boolean';
    case 'enum':
      return 'string';
    case 'tensor':
      return spec.allowNumber ? 'number | tensor' : 'tensor';
    case 'intList':
      return (spec.keywords ?? []).length > 0 ? 'integer[] | string' : 'integer[]';
  }
}

/** Flat row-major data and a shape → nested arrays (a rank-0 tensor gives its number). */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  let pos = 0;
  const build = (depth: number): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i < shape[depth]; i++) {
      if (depth === shape.length - 1) out.push(data[pos++]);
      else out.push(build(depth + 1));
    }
    return out;
  };
  return build(0);
}

/** A loss or metric value: a number, or a tensor rendered as nested arrays. */
export function formatValue(value: number | Tensor): string {
  if (typeof value === 'number') return formatNumber(value);
  return literal(toNested(value.data, value.shape));
}

/** The implementations an entry's references say it matches, in order, without duplicates. */
export function implementations(meta: EntryMeta): string[] {
  const out: string[] = [];
  for (const r of meta.references) {
    if (r.implementation && !out.includes(r.implementation)) out.push(r.implementation);
  }
  return out;
}

/** The reductions of an entry in words ('scalar' for a loss without any, 'none' for a metric). */
export function formatReductions(meta: EntryMeta): string {
  if (meta.reductions.length === 0) return meta.kind === 'loss' ? 'scalar' : 'none';
  return meta.reductions
    .map((r) => (r === meta.defaultReduction ? `'${r}' (default)` : `'${r}'`))
    .join(', ');
}
