/**
 * Registry-wide checks applied to every entry, so each new loss or metric inherits the baseline:
 * complete metadata, executed examples, finite-difference gradients at the examples, reduction
 * consistency, upstream linearity, float32 agreement, and the standard LossErrors.
 */
import { describe, expect, it } from 'vitest';
import type { EntryMeta } from './core/define.js';
import { TASKS } from './core/define.js';
import { LossError } from './core/errors.js';
import type { OptionSpec } from './core/options.js';
import type { Tensor } from './core/tensor.js';
import { toTensor } from './core/tensor.js';
import * as losskit from './index.js';
import { aliases, evaluate, getEntry, list } from './registry.js';
import { checkGradFD, expectLossError, expectTensorClose } from './test-support/check.js';

function exampleInputs(meta: EntryMeta, i: number): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(meta.examples[i].inputs)) out[k] = toTensor(v, meta.id, k);
  return out;
}

function wrongValueFor(spec: OptionSpec): unknown {
  switch (spec.type) {
    case 'number':
      return 'not a number';
    case 'boolean':
      return 1;
    case 'enum':
      return 'surely-not-a-valid-value';
    case 'tensor':
      return 'not a tensor';
    case 'intList':
      return [0.5];
  }
}

function asF32(t: Tensor): Tensor {
  return t.data instanceof Int32Array ? t : { data: Float32Array.from(t.data), shape: t.shape };
}

function total(v: number | Tensor): number {
  if (typeof v === 'number') return v;
  let s = 0;
  for (const x of v.data) s += x;
  return s;
}

describe('the registry', () => {
  it('lists every entry with an id unique among ids and aliases', () => {
    const all = list().map((m) => m.id);
    expect(new Set(all).size).toBe(all.length);
    for (const a of Object.keys(aliases())) expect(all).not.toContain(a);
  });

  it('resolves the alias mae to l1', () => {
    if (!list().some((m) => m.id === 'l1')) return;
    expect(getEntry('mae').meta.id).toBe('l1');
  });

  it('throws E_UNKNOWN_LOSS with a did-you-mean hint for an unknown id', () => {
    expectLossError(() => evaluate('msee', {}), 'E_UNKNOWN_LOSS', [
      "Unknown loss 'msee'",
      "Did you mean 'mse'?",
    ]);
  });

  it('suggests crossEntropy for softmaxCrossEntropy', () => {
    if (!list().some((m) => m.id === 'crossEntropy')) return;
    expectLossError(() => evaluate('softmaxCrossEntropy', {}), 'E_UNKNOWN_LOSS', [
      "Did you mean 'crossEntropy'?",
    ]);
  });

  it('exports each entry under its id', () => {
    const exported = losskit as unknown as Record<string, { meta?: EntryMeta }>;
    for (const m of list()) expect(exported[m.id]?.meta, `export '${m.id}'`).toBe(m);
  });
});

for (const meta of list()) {
  const id = meta.id;
  const isLoss = meta.kind === 'loss';
  const diffInputs = meta.inputs.filter((s) => s.differentiable).map((s) => s.name);

  describe(`${id} (shared checks)`, () => {
    it('has complete metadata', () => {
      expect(TASKS).toContain(meta.task);
      expect(meta.title.length).toBeGreaterThan(3);
      expect(meta.summary.length).toBeGreaterThan(10);
      expect(meta.formula.length).toBeGreaterThan(3);
      expect(meta.inputs.length).toBeGreaterThan(0);
      expect(meta.references.length).toBeGreaterThan(0);
      expect(meta.examples.length).toBeGreaterThan(0);
      expect(meta.whenToUse.length, 'whenToUse').toBeGreaterThan(40);
      expect(meta.caveats.length, 'caveats').toBeGreaterThan(0);
      for (const c of meta.caveats) expect(c.length).toBeGreaterThan(10);
      for (const s of meta.inputs) {
        expect(s.role.length).toBeGreaterThan(0);
        expect(s.shape.length).toBeGreaterThan(0);
        expect(s.doc.length).toBeGreaterThan(0);
      }
      for (const [k, spec] of Object.entries(meta.options)) {
        expect(spec.doc.length, `doc of option '${k}'`).toBeGreaterThan(0);
      }
      if (meta.reductions.length > 0) expect(meta.options).toHaveProperty('reduction');
      else expect(meta.options).not.toHaveProperty('reduction');
    });

    meta.examples.forEach((ex, i) => {
      it(`runs example ${i + 1} ('${ex.title}') through evaluate and the typed function alike`, () => {
        const inputs = exampleInputs(meta, i);
        const res = evaluate(id, inputs, ex.options ?? {}, { grad: true });
        const v = res.value;
        if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        else for (const x of v.data) expect(Number.isFinite(x)).toBe(true);
        const fn = (losskit as unknown as Record<string, (...a: unknown[]) => unknown>)[id];
        const positional = meta.inputs.map((s) => inputs[s.name]);
        expect(fn(...positional, ex.options ?? {})).toEqual(v);
        if (isLoss) {
          for (const name of diffInputs) {
            if (!inputs[name]) continue;
            expect(res.grads?.[name]?.shape, `grad shape of '${name}'`).toEqual(inputs[name].shape);
          }
        }
      });

      if (isLoss && diffInputs.length > 0) {
        it(`has gradients matching finite differences at example ${i + 1}`, () => {
          checkGradFD(id, exampleInputs(meta, i), (ex.options ?? {}) as Record<string, unknown>);
        });
      }
    });

    if (isLoss && meta.reductions.includes('none') && meta.reductions.includes('sum')) {
      it("sums its 'none' output to its 'sum' value, with matching gradients", () => {
        const ex = meta.examples[0];
        const inputs = exampleInputs(meta, 0);
        const opts = { ...(ex.options ?? {}) };
        const none = evaluate(id, inputs, { ...opts, reduction: 'none' }, { grad: true });
        const sum = evaluate(id, inputs, { ...opts, reduction: 'sum' }, { grad: true });
        expect(total(none.value)).toBeCloseTo(sum.value as number, 10);
        for (const name of diffInputs) {
          if (!sum.grads?.[name]) continue;
          expectTensorClose(none.grads![name], sum.grads[name], { rtol: 1e-9 }, `grad[${name}]`);
        }
      });

      it('scales its gradient linearly with the upstream tensor', () => {
        const ex = meta.examples[0];
        const inputs = exampleInputs(meta, 0);
        const opts = { ...(ex.options ?? {}), reduction: 'none' };
        const base = evaluate(id, inputs, opts, { grad: true });
        const shape = (base.value as Tensor).shape;
        const n = (base.value as Tensor).data.length;
        const up = { data: Float64Array.from({ length: n }, () => 2.5), shape };
        const scaled = evaluate(id, inputs, opts, { grad: true, upstream: up });
        for (const name of diffInputs) {
          if (!base.grads?.[name]) continue;
          const want = {
            data: base.grads[name].data.map((g) => 2.5 * g),
            shape: base.grads[name].shape,
          };
          expectTensorClose(scaled.grads![name], want, { rtol: 1e-12 }, `grad[${name}]`);
        }
      });
    }

    if (isLoss) {
      it('computes the same value with and without the gradient (one kernel)', () => {
        meta.examples.forEach((ex, i) => {
          for (const reduction of meta.reductions.length ? meta.reductions : [null]) {
            const inputs = exampleInputs(meta, i);
            const opts = reduction === null ? (ex.options ?? {}) : { ...ex.options, reduction };
            const a = evaluate(id, inputs, opts).value;
            const b = evaluate(id, inputs, opts, { grad: true }).value;
            expect(b).toEqual(a);
          }
        });
      });
    }

    if (isLoss && diffInputs.length > 0) {
      it('fills caller-owned gradient buffers given with into, whatever they held', () => {
        meta.examples.forEach((ex, i) => {
          for (const reduction of meta.reductions.length ? meta.reductions : [null]) {
            const inputs = exampleInputs(meta, i);
            const opts = reduction === null ? (ex.options ?? {}) : { ...ex.options, reduction };
            const plain = evaluate(id, inputs, opts, { grad: true });
            // Garbage in the buffers: a kernel that declares writesEveryGrad must overwrite all of it.
            const into: Record<string, Float64Array> = {};
            for (const name of diffInputs) {
              if (inputs[name]) into[name] = new Float64Array(inputs[name].data.length).fill(NaN);
            }
            const res = evaluate(id, inputs, opts, { grad: true, into });
            expect(res.value).toEqual(plain.value);
            for (const name of Object.keys(into)) {
              expect(res.grads![name].data).toBe(into[name]);
              expect(Array.from(res.grads![name].data)).toEqual(
                Array.from(plain.grads![name].data),
              );
            }
          }
        });
      });
    }

    it('gives on float32 inputs exactly the float64 result on the same values, rounded once', () => {
      meta.examples.forEach((ex, i) => {
        for (const reduction of meta.reductions.length ? meta.reductions : [null]) {
          const opts = reduction === null ? (ex.options ?? {}) : { ...ex.options, reduction };
          const f32: Record<string, Tensor> = {};
          const f64: Record<string, Tensor> = {};
          for (const [k, v] of Object.entries(exampleInputs(meta, i))) {
            const spec = meta.inputs.find((s) => s.name === k)!;
            const t = spec.kind === 'float' ? asF32(v) : v;
            f32[k] = t;
            // the same (float32-valued) numbers as float64
            f64[k] =
              t.data instanceof Float32Array
                ? { data: Float64Array.from(t.data), shape: t.shape }
                : t;
          }
          const a = evaluate(id, f64, opts, { grad: isLoss });
          const b = evaluate(id, f32, opts, { grad: isLoss });
          if (typeof a.value === 'number') expect(b.value).toBe(a.value);
          else {
            const bv = b.value as Tensor;
            if (isLoss) expect(bv.data).toBeInstanceOf(Float32Array);
            const want = Array.from(a.value.data);
            expect(Array.from(bv.data)).toEqual(isLoss ? want.map(Math.fround) : want);
          }
          for (const name of diffInputs) {
            const ga = a.grads?.[name];
            const gb = b.grads?.[name];
            if (!ga || !gb) continue;
            expect(gb.data).toBeInstanceOf(Float32Array);
            expect(Array.from(gb.data)).toEqual(Array.from(ga.data).map(Math.fround));
          }
        }
      });
    });

    it('agrees with float64 when given float32 inputs', () => {
      const ex = meta.examples[0];
      const inputs = exampleInputs(meta, 0);
      const f32: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(inputs)) {
        const spec = meta.inputs.find((s) => s.name === k)!;
        f32[k] = spec.kind === 'index' ? v : asF32(v);
      }
      const a = evaluate(id, inputs, ex.options ?? {}).value;
      const b = evaluate(id, f32, ex.options ?? {}).value;
      if (typeof a === 'number') {
        expect(typeof b).toBe('number');
        expect(Math.abs((b as number) - a)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a)));
      } else {
        expectTensorClose(b as Tensor, a, { rtol: 1e-5, atol: 1e-6 }, 'float32 value');
      }
    });

    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      it(`rejects an option named '${key}' like any unknown option`, () => {
        const ex = meta.examples[0];
        const opts = JSON.parse(JSON.stringify(ex.options ?? {})) as Record<string, unknown>;
        // JSON.parse makes '__proto__' an own key, as a config file read from disk would.
        const withKey = JSON.parse(`{"${key}": 1}`) as Record<string, unknown>;
        const merged = Object.assign(JSON.parse('{}') as object, opts);
        Object.defineProperty(merged, key, { value: withKey[key], enumerable: true });
        expectLossError(() => evaluate(id, exampleInputs(meta, 0), merged), 'E_OPTION', [
          id,
          `'${key}'`,
        ]);
      });
    }

    it('rejects an unknown option with E_OPTION naming it', () => {
      const ex = meta.examples[0];
      expectLossError(
        () => evaluate(id, exampleInputs(meta, 0), { ...(ex.options ?? {}), notAnOption: 1 }),
        'E_OPTION',
        [id, "'notAnOption'"],
      );
    });

    for (const [key, spec] of Object.entries(meta.options)) {
      it(`rejects a wrongly typed '${key}' with E_OPTION`, () => {
        const ex = meta.examples[0];
        expectLossError(
          () =>
            evaluate(id, exampleInputs(meta, 0), {
              ...(ex.options ?? {}),
              [key]: wrongValueFor(spec),
            }),
          'E_OPTION',
          [id, `'${key}'`, 'Received'],
        );
      });
    }

    it('rejects a missing input with E_INPUT and an unknown input with E_INPUT', () => {
      const ex = meta.examples[0];
      const inputs = exampleInputs(meta, 0);
      const required = meta.inputs.find((s) => !s.optional)!;
      const missing = Object.fromEntries(
        Object.entries(inputs).filter(([k]) => k !== required.name),
      );
      expectLossError(() => evaluate(id, missing, ex.options ?? {}), 'E_INPUT', [
        id,
        `'${required.name}'`,
      ]);
      expectLossError(() => evaluate(id, { ...inputs, bogus: [1] }, ex.options ?? {}), 'E_INPUT', [
        id,
        "'bogus'",
      ]);
    });

    it('rejects a string where a tensor belongs with E_TYPE', () => {
      const ex = meta.examples[0];
      const inputs: Record<string, unknown> = { ...exampleInputs(meta, 0) };
      inputs[meta.inputs[0].name] = 'three';
      expectLossError(() => evaluate(id, inputs, ex.options ?? {}), 'E_TYPE', [
        id,
        `'${meta.inputs[0].name}'`,
      ]);
    });

    it('is deterministic and does not modify its inputs', () => {
      const ex = meta.examples[0];
      const inputs = exampleInputs(meta, 0);
      const copies = Object.fromEntries(
        Object.entries(inputs).map(([k, v]) => [k, Array.from(v.data)]),
      );
      const a = evaluate(id, inputs, ex.options ?? {}, { grad: isLoss });
      const b = evaluate(id, inputs, ex.options ?? {}, { grad: isLoss });
      expect(b).toEqual(a);
      for (const [k, v] of Object.entries(inputs)) expect(Array.from(v.data)).toEqual(copies[k]);
    });
  });
}

describe('caller-owned gradient buffers (into)', () => {
  const input = { data: Float64Array.of(1, 2, 3), shape: [3] };
  const target = { data: Float64Array.of(0, 0, 0), shape: [3] };
  it('rejects a buffer of the wrong length with E_TYPE', () => {
    expectLossError(
      () =>
        evaluate(
          'mse',
          { input, target },
          {},
          { grad: true, into: { input: new Float64Array(2) } },
        ),
      'E_TYPE',
      ['mse', "'into.input'", 'Float64Array of length 3', 'Float64Array(2)'],
    );
  });
  it('rejects a buffer that is an input itself with E_INPUT', () => {
    expectLossError(
      () => evaluate('mse', { input, target }, {}, { grad: true, into: { input: target.data } }),
      'E_INPUT',
      ['mse', "'into.input'", 'shares no memory'],
    );
  });
  it('rejects a buffer for a non-differentiable input with E_INPUT', () => {
    expectLossError(
      () =>
        evaluate(
          'mse',
          { input, target },
          {},
          { grad: true, into: { target: new Float64Array(3) } },
        ),
      'E_INPUT',
      ['mse', "'into.target'", "'input'"],
    );
  });
});

describe('LossError', () => {
  it('is an Error with a code, the loss, the argument, expected and received', () => {
    const err = expectLossError(() => evaluate('mse', { input: [1, 2], target: [1] }), 'E_SHAPE');
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(LossError);
    expect(err.loss).toBe('mse');
    expect(err.argument).toBe("input 'target'");
    expect(err.expected).toContain('[2]');
    expect(err.received).toContain('[1]');
  });
});
