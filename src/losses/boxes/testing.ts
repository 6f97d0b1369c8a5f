/**
 * Test groups every row-paired box loss shares (used by the *.test.ts files of this folder):
 * finite differences in the three formats, format invariance, reductions, edge cases and errors.
 * Entry-specific identities live in each entry's own test file.
 */
import { expect, it } from 'vitest';
import type { Tensor } from '../../core/tensor.js';
import { evaluate } from '../../registry.js';
import {
  checkGradFD,
  expectClose,
  expectLossError,
  expectTensorClose,
} from '../../test-support/check.js';

export type Box = [number, number, number, number];

/** Overlapping, disjoint and nested xyxy pairs with no equal edges (away from every kink). */
export const PRED: Box[] = [
  [1, 1, 4, 3],
  [0.1, 0.2, 1.1, 0.9],
  [0, 0, 1, 1.3],
  [-2, -1.1, 2.2, 1],
];
export const TARGET: Box[] = [
  [0, 0, 2, 2],
  [0.05, -0.1, 1.2, 1.05],
  [1.5, 2, 3, 3.5],
  [-1, -0.5, 1.5, 0.25],
];

/** xyxy → the given format, with torchvision's arithmetic. */
export function toFormat(b: Box, format: string): Box {
  const [x1, y1, x2, y2] = b;
  if (format === 'xywh') return [x1, y1, x2 - x1, y2 - y1];
  if (format === 'cxcywh') return [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
  return [x1, y1, x2, y2];
}

export function boxes(rows: Box[], format = 'xyxy'): Tensor<Float64Array> {
  return {
    data: Float64Array.from(rows.flatMap((b) => toFormat(b, format))),
    shape: [rows.length, 4],
  };
}

function noneValues(id: string, inputs: Record<string, unknown>, opts: object): Float64Array {
  return (evaluate(id, inputs, { ...opts, reduction: 'none' }).value as Tensor<Float64Array>).data;
}

/**
 * Asserts that the mean loss and every element of its gradient are finite at the given xyxy pairs
 * (default: the zero-width prediction (1, 0, 1, 2) against (0, 0, 2, 2), where an unguarded
 * area or enclosing-box ratio would divide by 0).
 */
export function expectFiniteValueAndGrad(
  id: string,
  pred: Box[] = [[1, 0, 1, 2]],
  target: Box[] = [[0, 0, 2, 2]],
): void {
  const r = evaluate(id, { input: boxes(pred), target: boxes(target) }, {}, { grad: true });
  expect(Number.isFinite(r.value)).toBe(true);
  for (const g of r.grads!.input.data) expect(Number.isFinite(g)).toBe(true);
}

/** Finite differences in every format and reduction, at `pred`/`target` (default PRED/TARGET). */
export function fdGroup(
  id: string,
  optionSets: Record<string, unknown>[],
  pred: Box[] = PRED,
  target: Box[] = TARGET,
): void {
  it('matches central finite differences in xyxy, xywh and cxcywh under every reduction', () => {
    for (const o of optionSets) {
      for (const format of ['xyxy', 'xywh', 'cxcywh']) {
        for (const reduction of ['mean', 'sum', 'none']) {
          checkGradFD(
            id,
            { input: boxes(pred, format), target: boxes(target, format) },
            { ...o, format, reduction },
          );
        }
      }
    }
  });
}

/** The same boxes in the three formats give the same losses. */
export function formatInvarianceGroup(id: string, opts: Record<string, unknown> = {}): void {
  it('gives the same losses for the same boxes written in xyxy, xywh and cxcywh', () => {
    const ref = noneValues(id, { input: boxes(PRED), target: boxes(TARGET) }, opts);
    for (const format of ['xywh', 'cxcywh']) {
      const got = noneValues(
        id,
        { input: boxes(PRED, format), target: boxes(TARGET, format) },
        { ...opts, format },
      );
      expectTensorClose(
        { data: got, shape: [got.length] },
        { data: ref, shape: [ref.length] },
        {
          rtol: 1e-12,
          atol: 1e-14,
        },
      );
    }
  });
}

/** 'sum' is the sum of the 'none' values, 'mean' that sum over N; upstream scales the gradient. */
export function reductionGroup(id: string, opts: Record<string, unknown> = {}): void {
  it("sums the 'none' values under 'sum' and divides that by N under 'mean'", () => {
    const inputs = { input: boxes(PRED), target: boxes(TARGET) };
    const none = noneValues(id, inputs, opts);
    const sum = none.reduce((a, b) => a + b, 0);
    expectClose(evaluate(id, inputs, { ...opts, reduction: 'sum' }).value as number, sum);
    expectClose(evaluate(id, inputs, opts).value as number, sum / PRED.length);
  });
  it("gives under 'mean' the 'sum' gradient divided by N", () => {
    const inputs = { input: boxes(PRED), target: boxes(TARGET) };
    const m = evaluate(id, inputs, opts, { grad: true }).grads!.input.data;
    const s = evaluate(id, inputs, { ...opts, reduction: 'sum' }, { grad: true }).grads!.input.data;
    for (let i = 0; i < m.length; i++) expectClose(m[i], s[i] / PRED.length);
  });
  it('weights each row by its upstream value', () => {
    const inputs = { input: boxes(PRED), target: boxes(TARGET) };
    const up = { data: Float64Array.of(2, 0, -1, 0.5), shape: [4] };
    const g = evaluate(id, inputs, { ...opts, reduction: 'none' }, { grad: true, upstream: up })
      .grads!.input.data;
    for (let r = 0; r < 4; r++) {
      const one = evaluate(
        id,
        { input: boxes([PRED[r]]), target: boxes([TARGET[r]]) },
        { ...opts, reduction: 'sum' },
        { grad: true },
      ).grads!.input.data;
      for (let c = 0; c < 4; c++) expectClose(g[4 * r + c], up.data[r] * one[c]);
    }
  });
}

/** Empty batch, one row, NaN propagation, float32, identical boxes. */
export function edgeGroup(
  id: string,
  opts: Record<string, unknown> = {},
  identicalIsZero = true,
): void {
  it('gives 0 and an empty gradient for an empty batch', () => {
    const empty = { data: new Float64Array(0), shape: [0, 4] };
    const r = evaluate(id, { input: empty, target: empty }, opts, { grad: true });
    expect(r.value).toBe(0);
    expect(r.grads!.input.data.length).toBe(0);
    expect(evaluate(id, { input: empty, target: empty }, { ...opts, reduction: 'sum' }).value).toBe(
      0,
    );
  });
  it('propagates NaN to its own row only', () => {
    const p = boxes(PRED);
    p.data[5] = NaN;
    const v = noneValues(id, { input: p, target: boxes(TARGET) }, opts);
    expect(v[1]).toBeNaN();
    for (const r of [0, 2, 3]) expect(Number.isFinite(v[r])).toBe(true);
  });
  it('keeps float32 dtype in the value and the gradient', () => {
    const r = evaluate(
      id,
      {
        input: { data: Float32Array.from(boxes(PRED).data), shape: [4, 4] },
        target: boxes(TARGET),
      },
      { ...opts, reduction: 'none' },
      { grad: true },
    );
    expect((r.value as Tensor).data).toBeInstanceOf(Float32Array);
    expect(r.grads!.input.data).toBeInstanceOf(Float32Array);
  });
  if (identicalIsZero) {
    it('gives a finite loss near 0 and a finite gradient for identical boxes', () => {
      const b = boxes([[0.5, -1, 2, 1.5]]);
      const r = evaluate(
        id,
        { input: b, target: b },
        { ...opts, reduction: 'sum' },
        { grad: true },
      );
      expect(Math.abs(r.value as number)).toBeLessThan(1e-6);
      for (const g of r.grads!.input.data) expect(Number.isFinite(g)).toBe(true);
    });
  }
}

/** E_SHAPE for a non-(N, 4) input and for mismatched rows, E_OPTION for a bad format, E_TYPE. */
export function errorGroup(id: string): void {
  it('rejects boxes that are not (N, 4) with E_SHAPE', () => {
    expectLossError(() => evaluate(id, { input: [[0, 0, 1]], target: [[0, 0, 1]] }), 'E_SHAPE', [
      id,
      "'input'",
      '(N, 4)',
      '[1, 3]',
    ]);
  });
  it('rejects a target with another number of rows with E_SHAPE', () => {
    expectLossError(
      () => evaluate(id, { input: boxes(PRED), target: boxes(TARGET.slice(0, 2)) }),
      'E_SHAPE',
      ["'target'", '(4, 4)', '[2, 4]'],
    );
  });
  it('rejects an unknown box format with E_OPTION', () => {
    expectLossError(
      () => evaluate(id, { input: boxes(PRED), target: boxes(TARGET) }, { format: 'yxyx' }),
      'E_OPTION',
      ["option 'format'", 'xyxy'],
    );
  });
  it('rejects non-numeric boxes with E_TYPE', () => {
    expectLossError(
      () => evaluate(id, { input: [['a', 0, 1, 1]], target: [[0, 0, 1, 1]] }),
      'E_TYPE',
      ["'input'"],
    );
  });
}
