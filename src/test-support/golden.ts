/**
 * Golden fixtures: loads test/fixtures/golden/<file>.json (written by tools/golden/gen_*.py) and
 * checks losskit against every case in value and gradient.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Tensor } from '../core/tensor.js';
import { evaluate } from '../registry.js';
import { expectTensorClose, type Tolerance } from './check.js';

type Encoded = number | string;

interface EncodedTensor {
  dtype: 'float64' | 'int32';
  shape: number[];
  data: Encoded[];
}

export interface GoldenCase {
  name: string;
  inputs: Record<string, EncodedTensor>;
  options: Record<string, unknown>;
  upstream: EncodedTensor | Encoded | null;
  value: EncodedTensor | Encoded;
  grads: Record<string, EncodedTensor> | null;
  /** Optional per-case tolerance override (documented in the generator). */
  rtol?: number;
  /** Expected LossError code instead of a value. */
  error?: string;
}

export interface GoldenFile {
  id: string;
  generator: string;
  reference: string;
  seed: number;
  cases: GoldenCase[];
}

const FIXTURES = new URL('../../test/fixtures/golden/', import.meta.url);

export function decodeNumber(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new Error(`bad encoded number ${v}`);
}

function isEncodedTensor(v: unknown): v is EncodedTensor {
  return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v && 'dtype' in v;
}

export function decodeTensor(t: EncodedTensor): Tensor {
  const data =
    t.dtype === 'int32'
      ? Int32Array.from(t.data.map(decodeNumber))
      : Float64Array.from(t.data.map(decodeNumber));
  return { data, shape: t.shape };
}

/** Decodes tensors nested in an options object (e.g. `weight`). */
export function decodeOptions(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = isEncodedTensor(v) ? decodeTensor(v) : v;
  return out;
}

export function loadGolden(file: string): GoldenFile {
  return JSON.parse(readFileSync(new URL(`${file}.json`, FIXTURES), 'utf8')) as GoldenFile;
}

/**
 * Registers one `it` per case of a fixture file: evaluate(id, inputs, options, {grad, upstream}) must
 * match the reference value and every reference gradient.
 */
export function goldenTests(file: string, tol: Tolerance = {}): void {
  const golden = loadGolden(file);
  for (const c of golden.cases) {
    it(`matches ${golden.reference.split(':')[0]} on '${c.name}'`, () => {
      const inputs: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.inputs)) inputs[k] = decodeTensor(v);
      const options = decodeOptions(c.options);
      const upstream =
        c.upstream === null
          ? undefined
          : isEncodedTensor(c.upstream)
            ? decodeTensor(c.upstream)
            : decodeNumber(c.upstream);
      if (c.error !== undefined) {
        expect(() => evaluate(golden.id, inputs, options)).toThrowError(
          expect.objectContaining({ code: c.error }) as unknown as Error,
        );
        return;
      }
      const wantGrad = c.grads !== null && Object.keys(c.grads).length > 0;
      const res = evaluate(golden.id, inputs, options, { grad: wantGrad, upstream });
      const caseTol = { ...tol, ...(c.rtol === undefined ? {} : { rtol: c.rtol }) };
      if (isEncodedTensor(c.value)) {
        expect(typeof res.value).toBe('object');
        expectTensorClose(res.value as Tensor, decodeTensor(c.value), caseTol, 'value');
      } else {
        expect(typeof res.value).toBe('number');
        expectTensorClose(
          { data: Float64Array.of(res.value as number), shape: [] },
          { data: Float64Array.of(decodeNumber(c.value)), shape: [] },
          caseTol,
          'value',
        );
      }
      if (wantGrad && c.grads) {
        for (const [k, g] of Object.entries(c.grads)) {
          const got = res.grads?.[k];
          expect(got, `gradient for '${k}'`).toBeDefined();
          expectTensorClose(got!, decodeTensor(g), caseTol, `grad[${k}]`);
        }
      }
    });
  }
}
