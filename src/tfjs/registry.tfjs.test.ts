/**
 * The adapter's contract over the whole registry: for every differentiable entry (iterating over
 * `list()`, so entries merged later are covered without changes here), `evaluateTf` equals
 * `evaluate` in value and gradient on each metadata example, under each of the entry's standard
 * reductions, on the cpu and wasm backends. Expected numbers come from the core run on the same
 * float32 values (so only the adapter's float32 arithmetic differs); the tolerance is float32's.
 * 'none' is differentiated with a non-uniform upstream gradient, which the core takes as `upstream`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryMeta } from '../core/define.js';
import type { Tensor } from '../core/tensor.js';
import { toTensor } from '../core/tensor.js';
import { evaluate, list } from '../registry.js';
import { BACKENDS, useBackend } from '../test-support/tfjs-backends.js';
import { evaluateTf, lastTfPath, tfPath } from './index.js';

/** float32 agreement: |a − e| ≤ 2e-5·max(1, max|e|) + 1e-4·|e| elementwise. */
function expectF32Close(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  }
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const tol = 2e-5 * scale + 1e-4 * Math.abs(e);
    expect(Math.abs(a - e), `${what}[${i}]: got ${a}, want ${e} (tol ${tol})`).toBeLessThanOrEqual(
      tol,
    );
  }
}

/** A deterministic non-uniform upstream gradient of n elements (0.5, 1.25, −0.75, ...). */
function upstreamData(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, k) => [0.5, 1.25, -0.75, 2][k % 4]);
}

const differentiable = list().filter(
  (m) => m.kind === 'loss' && m.inputs.some((s) => s.differentiable),
);

function reductionsOf(meta: EntryMeta, given: unknown): (string | undefined)[] {
  if (meta.reductions.length === 0) return [undefined];
  const out = new Set<string | undefined>([given as string | undefined]);
  for (const r of meta.reductions) if (r === 'none' || r === 'sum' || r === 'mean') out.add(r);
  return [...out];
}

for (const backend of BACKENDS) {
  describe(`evaluateTf on the ${backend} backend`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });
    afterAll(() => {
      tf.disposeVariables();
    });

    it('covers every differentiable entry of the registry', () => {
      expect(differentiable.length).toBeGreaterThan(20);
    });

    for (const meta of differentiable) {
      const id = meta.id;
      meta.examples.forEach((ex, i) => {
        const given = ex.options?.reduction;
        const paths =
          tfPath(id).path === 'native' ? (['auto', 'bridge'] as const) : (['auto'] as const);
        for (const reduction of reductionsOf(meta, given))
          for (const path of paths) {
            const label = reduction === undefined ? 'as given' : `reduction '${reduction}'`;
            const how = path === 'auto' ? tfPath(id).path : 'forced bridge';
            it(`${id} (${how}) matches evaluate on example ${i + 1} with ${label}`, () => {
              const opts: Record<string, unknown> = { ...(ex.options ?? {}) };
              if (reduction !== undefined) opts.reduction = reduction;
              const diff = meta.inputs
                .filter((s) => s.differentiable && Object.hasOwn(ex.inputs, s.name))
                .map((s) => s.name);
              // The core's inputs: float inputs as Float32Array (the values the device sees).
              const cpu: Record<string, Tensor> = {};
              for (const s of meta.inputs) {
                if (!Object.hasOwn(ex.inputs, s.name)) continue;
                const t = toTensor(ex.inputs[s.name], id, s.name);
                cpu[s.name] =
                  s.kind === 'float' ? { data: Float32Array.from(t.data), shape: t.shape } : t;
              }
              const probe = evaluate(id, cpu, opts);
              const outShape = typeof probe.value === 'number' ? [] : probe.value.shape;
              const outSize = outShape.reduce((a, b) => a * b, 1);
              const upData = upstreamData(outSize);
              const expected = evaluate(id, cpu, opts, {
                grad: true,
                upstream: { data: upData, shape: outShape },
              });

              tf.tidy(() => {
                const xs = diff.map((name) =>
                  tf.tensor(cpu[name].data as Float32Array, cpu[name].shape, 'float32'),
                );
                const others: Record<string, unknown> = {};
                for (const [k, v] of Object.entries(ex.inputs))
                  if (!diff.includes(k)) others[k] = v;
                const f = (...args: tf.Tensor[]): tf.Tensor => {
                  const inputs: Record<string, unknown> = { ...others };
                  diff.forEach((name, k) => (inputs[name] = args[k]));
                  return evaluateTf(id, inputs as never, opts, { path });
                };
                const value = f(...xs);
                // A native entry's examples run on the device, not through a silent fallback.
                expect(lastTfPath()).toBe(path === 'bridge' ? 'bridge' : tfPath(id).path);
                const want = expected.value;
                expect(value.shape).toEqual(outShape);
                expectF32Close(
                  value.dataSync(),
                  typeof want === 'number' ? [want] : want.data,
                  `${id} value`,
                );
                const dy = tf.tensor(upData, outShape, 'float32');
                const grads = tf.grads(f)(xs, dy);
                diff.forEach((name, k) => {
                  expect(grads[k].shape, `grad[${name}] shape`).toEqual(cpu[name].shape);
                  expectF32Close(
                    grads[k].dataSync(),
                    expected.grads![name].data,
                    `${id} grad[${name}]`,
                  );
                });
              });
            });
          }
      });
    }
  });
}
